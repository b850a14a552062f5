"""The award catalogue: the titles and forms of commendation of the Law."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import LocalizedNameMixin


class AwardType(LocalizedNameMixin, models.Model):
    """One title or form of commendation of the Law on Emulation and Commendation.

    The catalogue is loaded by a data migration. Values the reference marks as unconfirmed
    ([U]) are listed in `unconfirmed`; only those can be changed in the admin. What the council
    vote and the publicity require changes with the law in force on the day: AwardTerms.
    """

    class Kind(models.TextChoices):
        TITLE = "title", _("Danh hiệu thi đua")
        FORM = "form", _("Hình thức khen thưởng")

    class Recipient(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COLLECTIVE = "collective", _("Collective")
        BOTH = "both", _("Individual or collective")

    class DecidedBy(models.TextChoices):
        UNIT_HEAD = "unit_head", _("Head of the unit")
        MINISTER = "minister", _("Minister of Industry and Trade")
        PRIME_MINISTER = "prime_minister", _("Prime Minister")
        PRESIDENT = "president", _("President")

    # The policy values of the award itself an administrator may adjust when the reference
    # marks them [U]. The council vote and the publicity period are dated: AwardTerms.
    ADJUSTABLE = ("decided_by", "rule_codes", "rule_params")

    code = models.CharField(_("code"), max_length=20, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    recipient = models.CharField(_("awarded to"), max_length=12, choices=Recipient.choices)
    decided_by = models.CharField(
        _("decided by"),
        max_length=20,
        choices=DecidedBy.choices,
        help_text=_(
            "Awards decided by the Prime Minister or the President are prepared by the Ministry "
            "and forwarded."
        ),
    )
    rule_codes = models.JSONField(
        _("eligibility rules"),
        default=list,
        blank=True,
        help_text=_(
            "The eligibility rules checked for this award: a list whose items are rule codes or "
            'any-of groups where the law lists alternatives, e.g. {"any_of": [["rule_a", '
            '"rule_b"], ["rule_c"]], "label": "Điều 74.1"} (met when one path is met). The '
            "general rules (initiative used once, no open matter) are always checked."
        ),
    )
    rule_params = models.JSONField(
        _("rule parameters"),
        default=dict,
        blank=True,
        help_text=_('Whole-number parameters of the rules, e.g. {"ldtt_min_percent": 70}.'),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    unconfirmed = models.JSONField(
        _("unconfirmed values"),
        default=list,
        blank=True,
        help_text=_("Fields whose values the legal reference marks as unconfirmed [U]."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("award type")
        verbose_name_plural = _("award catalogue")

    def __str__(self) -> str:
        return f"{self.short_name} — {self.localized('name')}"

    @property
    def is_forwarded(self) -> bool:
        """The Ministry prepares the dossier and sends it up; it does not decide."""
        return self.decided_by in {self.DecidedBy.PRIME_MINISTER, self.DecidedBy.PRESIDENT}

    @property
    def for_individuals(self) -> bool:
        return self.recipient in {self.Recipient.INDIVIDUAL, self.Recipient.BOTH}

    @property
    def for_collectives(self) -> bool:
        return self.recipient in {self.Recipient.COLLECTIVE, self.Recipient.BOTH}

    def terms_on(self, day: datetime.date) -> AwardTerms:
        """The vote and publicity terms in force on `day` (from the prefetched `terms` when
        awards.selectors.catalogue prefetched them, else one query). A ValidationError when the
        catalogue has none for that day."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "terms" in cache:
            found = next((terms for terms in cache["terms"] if terms.covers(day)), None)
        else:
            found = self.terms.in_force_on(day).first()
        if found is None:
            raise ValidationError(
                _(
                    "The catalogue has no council vote or publicity terms for %(award)s in force "
                    "on %(day)s: the administrator records them first."
                )
                % {"award": self.short_name, "day": formats.date_format(day, "SHORT_DATE_FORMAT")},
                code="no_terms",
            )
        return found

    def clean(self) -> None:
        from awards.eligibility import validate_rule_setup

        errors = validate_rule_setup(
            rule_codes=self.rule_codes, rule_params=self.rule_params, recipient=self.recipient
        )
        if errors:
            raise ValidationError(errors)


class TermsQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> TermsQuerySet:
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class AwardTerms(models.Model):
    """What the council vote and the publicity of an award require for a period: the law in
    force on the day (NĐ 98/2023/NĐ-CP until 30/06/2025, NĐ 152/2025/NĐ-CP from 01/07/2025).

    Each value carries its source. The ballot applies the terms in force on the meeting day
    and publicity those in force on the day its window opens; both copy what they applied
    (VoteTally, Publication), so that a later change here never changes a closed result.
    Periods of one award never overlap (clean(), and on PostgreSQL an exclusion constraint of
    migration 0009). Values the reference marks [U] are listed in `unconfirmed`; only those
    can be changed in the admin.
    """

    ADJUSTABLE = ("secret_ballot", "ballot_threshold_percent", "publicity_working_days")
    # The source of a value may be corrected with the value, never alone.
    SOURCE_OF = {
        "secret_ballot": "ballot_source",
        "ballot_threshold_percent": "ballot_source",
        "publicity_working_days": "publicity_source",
    }

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.CASCADE, related_name="terms"
    )
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("The last day these terms apply; empty while they are in force."),
    )
    secret_ballot = models.BooleanField(
        _("secret ballot required"),
        default=False,
        help_text=_("Whether the council must vote on it by secret ballot."),
    )
    ballot_threshold_percent = models.PositiveSmallIntegerField(
        _("approval threshold (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of ALL council members (not of those present) who must approve, in whole "
            "percent, e.g. 90. Empty when the law sets no threshold: then more than half of all "
            "members."
        ),
    )
    ballot_source = models.CharField(
        _("source of the vote rule"),
        max_length=255,
        help_text=_("The text and article the secret ballot and threshold come from."),
    )
    publicity_working_days = models.PositiveSmallIntegerField(
        _("publicity (working days)"),
        default=0,
        help_text=_(
            "Working days the nominee is published for public comment, counted without "
            "weekends and public holidays; 0 means no publicity."
        ),
    )
    publicity_source = models.CharField(
        _("source of the publicity period"),
        max_length=255,
        help_text=_("The text and article the publicity period comes from."),
    )
    unconfirmed = models.JSONField(
        _("unconfirmed values"),
        default=list,
        blank=True,
        help_text=_("Values the legal reference marks as unconfirmed [U] for this period."),
    )

    history = HistoricalRecords()
    objects = TermsQuerySet.as_manager()

    class Meta:
        ordering = ["award_type_id", "valid_from"]
        verbose_name = _("award terms")
        verbose_name_plural = _("award terms")
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "valid_from"],
                name="awardterms_one_start_per_award",
                violation_error_message=_("This award already has terms from that day."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="awardterms_until_after_from",
                violation_error_message=_("The terms cannot end before they start."),
            ),
            models.CheckConstraint(
                condition=Q(ballot_threshold_percent__isnull=True)
                | (Q(ballot_threshold_percent__gte=1) & Q(ballot_threshold_percent__lte=100)),
                name="awardterms_threshold_is_a_percent",
                violation_error_message=_("The threshold is a percentage between 1 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(secret_ballot=False) | Q(ballot_threshold_percent__isnull=False),
                name="awardterms_ballot_has_threshold",
                violation_error_message=_("A secret ballot needs an approval threshold."),
            ),
            models.CheckConstraint(
                condition=~Q(ballot_source="") & ~Q(publicity_source=""),
                name="awardterms_values_have_sources",
                violation_error_message=_("Every value cites its source."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type.short_name}: {self.period_label()}"

    def period_label(self) -> str:
        start = formats.date_format(self.valid_from, "SHORT_DATE_FORMAT")
        if self.valid_until is None:
            return gettext("from %(start)s") % {"start": start}
        return gettext("%(start)s – %(end)s") % {
            "start": start,
            "end": formats.date_format(self.valid_until, "SHORT_DATE_FORMAT"),
        }

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def is_unconfirmed(self, name: str) -> bool:
        return name in (self.unconfirmed or [])

    @property
    def ballot_unconfirmed(self) -> bool:
        return self.is_unconfirmed("secret_ballot") or self.is_unconfirmed(
            "ballot_threshold_percent"
        )

    @property
    def publicity_unconfirmed(self) -> bool:
        return self.is_unconfirmed("publicity_working_days")

    def threshold_met(self, *, approvals: int, council_size: int) -> bool:
        """Approvals reach the threshold share of all council members (integer arithmetic)."""
        if self.ballot_threshold_percent is None:
            raise ValueError(f"{self.award_type_id} has no approval threshold")
        return approvals * 100 >= self.ballot_threshold_percent * council_size

    def required_share(self) -> tuple[str, int]:
        """(rule, percent) the ballot applies: ("at_least", the law's threshold) or, where the
        law sets none, ("more_than", COUNCIL_MAJORITY_PERCENT) — a simple majority of all."""
        if self.ballot_threshold_percent is not None:
            return "at_least", self.ballot_threshold_percent
        return "more_than", settings.COUNCIL_MAJORITY_PERCENT

    def approved_by(self, *, approvals: int, council_size: int) -> bool:
        """Whether a council vote approves the award, counted on ALL council members.

        The law sets a threshold ("at least N% of all members") for the awards it puts to a
        secret ballot. The others are voted on the same ballot and need a simple majority of
        all members: more than COUNCIL_MAJORITY_PERCENT % (50 by default). Integers only.
        """
        rule, percent = self.required_share()
        return share_reached(
            rule=rule, percent=percent, approvals=approvals, council_size=council_size
        )

    @property
    def needs_publicity(self) -> bool:
        return self.publicity_working_days > 0

    def clean(self) -> None:
        if self.valid_from is None or not self.award_type_id:
            return
        if self.valid_until is not None and self.valid_until < self.valid_from:
            return  # the check constraint says so
        others = AwardTerms.objects.filter(award_type_id=self.award_type_id).exclude(pk=self.pk)
        others = others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))
        if self.valid_until is not None:
            others = others.filter(valid_from__lte=self.valid_until)
        clash = others.order_by("valid_from").first()
        if clash is not None:
            raise ValidationError(
                _(
                    "These dates overlap the terms %(period)s of the same award: end those "
                    "first, so that one set of terms applies on each day."
                )
                % {"period": clash.period_label()},
                code="overlap",
            )
        unknown = set(self.unconfirmed or []) - set(self.ADJUSTABLE)
        if unknown:
            raise ValidationError(
                {"unconfirmed": _("Unknown values: %(names)s.") % {"names": ", ".join(unknown)}},
                code="unconfirmed",
            )


def share_reached(*, rule: str, percent: int, approvals: int, council_size: int) -> bool:
    """`approvals` of `council_size` reach `percent` % ("at_least") or pass it ("more_than"),
    in integers. The applied rule frozen on a closed tally is checked with this too."""
    if council_size < 1:
        raise ValueError("a council has at least one member")
    if rule == "at_least":
        return approvals * 100 >= percent * council_size
    return approvals * 100 > percent * council_size
