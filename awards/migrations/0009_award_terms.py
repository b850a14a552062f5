"""The law in force on the day (issue 12, point 6): the council vote and the publicity period
of each award become dated terms, each value with its source.

Until now AwardType held secret_ballot, ballot_threshold_percent and publicity_working_days as
single values. They move to AwardTerms, two periods per award, each taking the award's current
values (including any an administrator changed):
- NĐ 98/2023/NĐ-CP, from 01/01/2024 (when it and Law 06/2022/QH15 came into force) to
  30/06/2025: ballot Art 30.7, publicity Art 46.2;
- NĐ 152/2025/NĐ-CP from 01/07/2025: publicity Art 44.2; whether it keeps the 90 % / 80 %
  thresholds of NĐ 98 Art 30.7 is unconfirmed, so the vote values are [U] in this period.
The [U] marks of the moved values go with them. The award's legal basis no longer cites NĐ 98
(the terms cite the decree of each period). Closed tallies get the threshold they applied
frozen (the award's values, which both periods now carry, with the source of the period of the
meeting day) and publications the source of their period. Council seats and attendance get
`votes` (True: every seat so far counted). On PostgreSQL an exclusion constraint refuses two
overlapping periods of one award. Reversible: the terms in force today go back to the award.
"""

import datetime
import importlib

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("secret_ballot", "ballot_threshold_percent", "publicity_working_days")
VOTE = ("secret_ballot", "ballot_threshold_percent")
SWITCH = datetime.date(2025, 7, 1)
NĐ98_FROM = datetime.date(2024, 1, 1)
NĐ98_UNTIL = datetime.date(2025, 6, 30)
NĐ98 = "Nghị định 98/2023/NĐ-CP"
NĐ152 = "Nghị định 152/2025/NĐ-CP"
BALLOT_SOURCE = {
    NĐ98: f"{NĐ98}, Điều 30.7",
    NĐ152: f"{NĐ152} (chưa xác nhận giữ quy định của {NĐ98}, Điều 30.7)",
}
PUBLICITY_SOURCE = {NĐ98: f"{NĐ98}, Điều 46.2", NĐ152: f"{NĐ152}, Điều 44.2"}
OLD_DECREE = "NĐ 98/2023/NĐ-CP"
EXCLUSION = "awardterms_periods_do_not_overlap"


def _say(message: str) -> None:
    print(f"\n  awards 0009: {message}", end="")


def _decree_on(day: datetime.date) -> str:
    return NĐ98 if day < SWITCH else NĐ152


def _basis_without_decree(basis: str) -> str:
    return "; ".join(part for part in basis.split("; ") if not part.startswith(OLD_DECREE))


def _create_terms(AwardTerms, award, values: dict, marked: list) -> int:
    """The two periods of one award, both with `values`; `marked` are the [U] names."""
    for decree, start, end in ((NĐ98, NĐ98_FROM, NĐ98_UNTIL), (NĐ152, SWITCH, None)):
        unconfirmed = set(marked)
        if decree == NĐ152:
            unconfirmed |= set(VOTE)  # NĐ 152 keeping NĐ 98's thresholds: not verified
        AwardTerms.objects.create(
            award_type=award,
            valid_from=start,
            valid_until=end,
            secret_ballot=values["secret_ballot"],
            ballot_threshold_percent=values["ballot_threshold_percent"],
            ballot_source=BALLOT_SOURCE[decree],
            publicity_working_days=values["publicity_working_days"],
            publicity_source=PUBLICITY_SOURCE[decree],
            unconfirmed=[name for name in MOVED if name in unconfirmed],
        )
    return 2


def _catalogue_0002() -> list[dict]:
    return importlib.import_module("awards.migrations.0002_award_catalogue").CATALOGUE


def load_catalogue_now(apps) -> None:
    """The catalogue of 0002 as this migration leaves it, with the models of today (for tests
    whose database was flushed; the migrations themselves never call it)."""
    rules_0008 = importlib.import_module("awards.migrations.0008_rules_open_matters")
    AwardType = apps.get_model("awards", "AwardType")
    AwardTerms = apps.get_model("awards", "AwardTerms")
    for order, row in enumerate(_catalogue_0002(), start=1):
        values = {k: v for k, v in row.items() if k not in MOVED and k != "code"}
        values["unconfirmed"] = [name for name in row["unconfirmed"] if name not in MOVED]
        values["legal_basis"] = _basis_without_decree(row["legal_basis"])
        if row["code"] in rules_0008.NEW_RULES:
            values["rule_codes"], values["rule_params"] = rules_0008.NEW_RULES[row["code"]]
        award, _created = AwardType.objects.update_or_create(
            code=row["code"], defaults={**values, "order": order * 10, "active": True}
        )
        AwardTerms.objects.filter(award_type=award).delete()
        marked = [name for name in row["unconfirmed"] if name in MOVED]
        _create_terms(AwardTerms, award, {name: row[name] for name in MOVED}, marked)


def forward(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    AwardTerms = apps.get_model("awards", "AwardTerms")
    VoteTally = apps.get_model("awards", "VoteTally")
    Publication = apps.get_model("awards", "Publication")
    created = stripped = rebased = 0
    for award in AwardType.objects.order_by("pk"):
        marked = [name for name in award.unconfirmed or [] if name in MOVED]
        values = {name: getattr(award, name) for name in MOVED}
        created += _create_terms(AwardTerms, award, values, marked)
        changed = []
        if marked:
            award.unconfirmed = [n for n in award.unconfirmed if n not in MOVED]
            changed.append("unconfirmed")
            stripped += 1
        basis = _basis_without_decree(award.legal_basis)
        if basis != award.legal_basis:
            award.legal_basis = basis
            changed.append("legal_basis")
            rebased += 1
        if changed:
            award.save(update_fields=changed)
    frozen = 0
    tallies = VoteTally.objects.exclude(outcome="").select_related(
        "meeting", "nomination__award_type"
    )
    for tally in tallies:
        award = tally.nomination.award_type
        if award.ballot_threshold_percent is not None:
            tally.threshold_rule, tally.threshold_percent = (
                "at_least",
                award.ballot_threshold_percent,
            )
        else:
            tally.threshold_rule, tally.threshold_percent = (
                "more_than",
                settings.COUNCIL_MAJORITY_PERCENT,
            )
        tally.threshold_source = BALLOT_SOURCE[_decree_on(tally.meeting.held_on)]
        tally.save(update_fields=["threshold_rule", "threshold_percent", "threshold_source"])
        frozen += 1
    sourced = 0
    for publication in Publication.objects.filter(working_days_source=""):
        publication.working_days_source = PUBLICITY_SOURCE[_decree_on(publication.opens_on)]
        publication.save(update_fields=["working_days_source"])
        sourced += 1
    if created:
        _say(
            f"{created} dated terms created (NĐ 98/2023 until 30/06/2025, NĐ 152/2025 from 01/07/2025)."
        )
    if stripped:
        _say(f"{stripped} awards: [U] marks of the vote and publicity moved to their terms.")
    if rebased:
        _say(f"{rebased} awards: legal basis no longer cites {OLD_DECREE} (the terms cite it).")
    if frozen:
        _say(f"{frozen} closed tallies: the threshold they applied frozen with its source.")
    if sourced:
        _say(f"{sourced} publications: the source of their period recorded.")


def backward(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    AwardTerms = apps.get_model("awards", "AwardTerms")
    today = datetime.date.today()
    restored = 0
    for award in AwardType.objects.order_by("pk"):
        periods = list(AwardTerms.objects.filter(award_type=award).order_by("valid_from"))
        if not periods:
            continue
        terms = next(
            (
                t
                for t in periods
                if t.valid_from <= today and (t.valid_until is None or today <= t.valid_until)
            ),
            periods[-1],
        )
        award.secret_ballot = terms.secret_ballot
        award.ballot_threshold_percent = terms.ballot_threshold_percent
        award.publicity_working_days = terms.publicity_working_days
        award.unconfirmed = [
            *award.unconfirmed,
            *(n for n in terms.unconfirmed if n not in award.unconfirmed),
        ]
        original = {row["code"]: row["legal_basis"] for row in _catalogue_0002()}.get(award.code)
        if original and _basis_without_decree(original) == award.legal_basis:
            award.legal_basis = original
        award.save()
        restored += 1
    if restored:
        _say(
            f"{restored} awards took back the vote and publicity values of the terms in force today."
        )


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: AwardTerms.clean() and the admin's formset refuse overlaps
    table = schema_editor.quote_name(apps.get_model("awards", "AwardTerms")._meta.db_table)
    schema_editor.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {EXCLUSION} EXCLUDE USING gist ("
        "int8range(award_type_id, award_type_id, '[]') WITH &&, "
        "daterange(valid_from, valid_until, '[]') WITH &&)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("awards", "AwardTerms")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {EXCLUSION}")


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0008_rules_open_matters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AwardTerms",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="in force from")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        help_text="The last day these terms apply; empty while they are in force.",
                        null=True,
                        verbose_name="in force until",
                    ),
                ),
                (
                    "secret_ballot",
                    models.BooleanField(
                        default=False,
                        help_text="Whether the council must vote on it by secret ballot.",
                        verbose_name="secret ballot required",
                    ),
                ),
                (
                    "ballot_threshold_percent",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Share of ALL council members (not of those present) who must approve, in whole percent, e.g. 90. Empty when the law sets no threshold: then more than half of all members.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="approval threshold (%)",
                    ),
                ),
                (
                    "ballot_source",
                    models.CharField(
                        help_text="The text and article the secret ballot and threshold come from.",
                        max_length=255,
                        verbose_name="source of the vote rule",
                    ),
                ),
                (
                    "publicity_working_days",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Working days the nominee is published for public comment, counted without weekends and public holidays; 0 means no publicity.",
                        verbose_name="publicity (working days)",
                    ),
                ),
                (
                    "publicity_source",
                    models.CharField(
                        help_text="The text and article the publicity period comes from.",
                        max_length=255,
                        verbose_name="source of the publicity period",
                    ),
                ),
                (
                    "unconfirmed",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Values the legal reference marks as unconfirmed [U] for this period.",
                        verbose_name="unconfirmed values",
                    ),
                ),
            ],
            options={
                "verbose_name": "award terms",
                "verbose_name_plural": "award terms",
                "ordering": ["award_type_id", "valid_from"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAwardTerms",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="in force from")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True,
                        help_text="The last day these terms apply; empty while they are in force.",
                        null=True,
                        verbose_name="in force until",
                    ),
                ),
                (
                    "secret_ballot",
                    models.BooleanField(
                        default=False,
                        help_text="Whether the council must vote on it by secret ballot.",
                        verbose_name="secret ballot required",
                    ),
                ),
                (
                    "ballot_threshold_percent",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Share of ALL council members (not of those present) who must approve, in whole percent, e.g. 90. Empty when the law sets no threshold: then more than half of all members.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="approval threshold (%)",
                    ),
                ),
                (
                    "ballot_source",
                    models.CharField(
                        help_text="The text and article the secret ballot and threshold come from.",
                        max_length=255,
                        verbose_name="source of the vote rule",
                    ),
                ),
                (
                    "publicity_working_days",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Working days the nominee is published for public comment, counted without weekends and public holidays; 0 means no publicity.",
                        verbose_name="publicity (working days)",
                    ),
                ),
                (
                    "publicity_source",
                    models.CharField(
                        help_text="The text and article the publicity period comes from.",
                        max_length=255,
                        verbose_name="source of the publicity period",
                    ),
                ),
                (
                    "unconfirmed",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Values the legal reference marks as unconfirmed [U] for this period.",
                        verbose_name="unconfirmed values",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical award terms",
                "verbose_name_plural": "historical award terms",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="attendance",
            name="votes",
            field=models.BooleanField(default=True, verbose_name="votes"),
        ),
        migrations.AddField(
            model_name="councilmember",
            name="votes",
            field=models.BooleanField(
                default=True,
                help_text="A member of the council votes and counts in its size. Only a secretary who is not a member of the council (keeps the minutes only) does not.",
                verbose_name="votes",
            ),
        ),
        migrations.AddField(
            model_name="historicalattendance",
            name="votes",
            field=models.BooleanField(default=True, verbose_name="votes"),
        ),
        migrations.AddField(
            model_name="historicalcouncilmember",
            name="votes",
            field=models.BooleanField(
                default=True,
                help_text="A member of the council votes and counts in its size. Only a secretary who is not a member of the council (keeps the minutes only) does not.",
                verbose_name="votes",
            ),
        ),
        migrations.AddField(
            model_name="historicalpublication",
            name="working_days_source",
            field=models.CharField(blank=True, max_length=255, verbose_name="source of the period"),
        ),
        migrations.AddField(
            model_name="publication",
            name="working_days_source",
            field=models.CharField(blank=True, max_length=255, verbose_name="source of the period"),
        ),
        migrations.AddField(
            model_name="votetally",
            name="threshold_percent",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="threshold (%)"
            ),
        ),
        migrations.AddField(
            model_name="votetally",
            name="threshold_rule",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("more_than", "more than")],
                max_length=10,
                verbose_name="threshold rule",
            ),
        ),
        migrations.AddField(
            model_name="votetally",
            name="threshold_source",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="source of the threshold"
            ),
        ),
        migrations.AddConstraint(
            model_name="councilmember",
            constraint=models.CheckConstraint(
                condition=models.Q(("votes", True), ("role", "secretary"), _connector="OR"),
                name="councilmember_only_secretary_without_vote",
                violation_error_message="Only the secretary's seat can be without a vote: every other seat is a voting member.",
            ),
        ),
        migrations.AddField(
            model_name="awardterms",
            name="award_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="terms",
                to="awards.awardtype",
                verbose_name="award",
            ),
        ),
        migrations.AddField(
            model_name="historicalawardterms",
            name="award_type",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="awards.awardtype",
                verbose_name="award",
            ),
        ),
        migrations.AddField(
            model_name="historicalawardterms",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="awardterms",
            constraint=models.UniqueConstraint(
                fields=("award_type", "valid_from"),
                name="awardterms_one_start_per_award",
                violation_error_message="This award already has terms from that day.",
            ),
        ),
        migrations.AddConstraint(
            model_name="awardterms",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_until__isnull", True),
                    ("valid_until__gte", models.F("valid_from")),
                    _connector="OR",
                ),
                name="awardterms_until_after_from",
                violation_error_message="The terms cannot end before they start.",
            ),
        ),
        migrations.AddConstraint(
            model_name="awardterms",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ballot_threshold_percent__isnull", True),
                    models.Q(
                        ("ballot_threshold_percent__gte", 1), ("ballot_threshold_percent__lte", 100)
                    ),
                    _connector="OR",
                ),
                name="awardterms_threshold_is_a_percent",
                violation_error_message="The threshold is a percentage between 1 and 100.",
            ),
        ),
        migrations.AddConstraint(
            model_name="awardterms",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("secret_ballot", False),
                    ("ballot_threshold_percent__isnull", False),
                    _connector="OR",
                ),
                name="awardterms_ballot_has_threshold",
                violation_error_message="A secret ballot needs an approval threshold.",
            ),
        ),
        migrations.AddConstraint(
            model_name="awardterms",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("ballot_source", ""), _negated=True),
                    models.Q(("publicity_source", ""), _negated=True),
                ),
                name="awardterms_values_have_sources",
                violation_error_message="Every value cites its source.",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RunPython(add_exclusion, drop_exclusion),
        migrations.AddConstraint(
            model_name="votetally",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("outcome", ""),
                    models.Q(
                        models.Q(("threshold_rule", ""), _negated=True),
                        ("threshold_percent__gte", 1),
                    ),
                    _connector="OR",
                ),
                name="votetally_result_has_threshold",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="awardtype",
            name="awardtype_threshold_is_a_percent",
        ),
        migrations.RemoveConstraint(
            model_name="awardtype",
            name="awardtype_ballot_has_threshold",
        ),
        migrations.RemoveField(
            model_name="historicalawardtype",
            name="ballot_threshold_percent",
        ),
        migrations.RemoveField(
            model_name="historicalawardtype",
            name="publicity_working_days",
        ),
        migrations.RemoveField(
            model_name="historicalawardtype",
            name="secret_ballot",
        ),
        migrations.RemoveField(
            model_name="awardtype",
            name="ballot_threshold_percent",
        ),
        migrations.RemoveField(
            model_name="awardtype",
            name="publicity_working_days",
        ),
        migrations.RemoveField(
            model_name="awardtype",
            name="secret_ballot",
        ),
    ]
