"""Open matters replace the task rating's `pending` value, and the catalogue's rules follow the
law: any-of groups where the law lists alternatives, discipline in every year relied on.

Each task rating's pending value becomes an open matter of the same nominee (opened 1 January
of the rating's year; its summary says where it came from); then the field is removed. The
catalogue's rule codes change only where they are still the shipped ones (an administrator's
change is kept and reported). Both steps print what they did and can be reversed.
"""

import datetime

from django.db import migrations, models

KINDS = {"discipline": "discipline", "investigation": "investigation", "complaint": "complaint"}
LABELS = {
    "discipline": "đang xem xét kỷ luật",
    "investigation": "đang bị điều tra",
    "complaint": "đang giải quyết khiếu nại",
}
FROM_RATING = "Chuyển từ xếp loại nhiệm vụ năm %(year)s: %(label)s."

OLD_RULES = {
    "CSTDTQ": (["two_consecutive_cstd_bo", "national_initiative"], {}),
    "BK_BO": (["two_consecutive_cstdcs_or_excellent", "two_unused_base_initiatives"], {}),
    "BK_TTG": (["five_good_years_after_bk_bo", "three_cstdcs_after_bk_bo"], {}),
    "HCLD_3": (
        [
            "five_good_years_after_bk_ttg",
            "excellent_year_after_bk_ttg",
            "three_cstdcs_after_bk_ttg",
        ],
        {},
    ),
}
NEW_RULES = {
    "CSTDTQ": (
        ["two_consecutive_cstd_bo", "national_initiative", "not_disciplined_in_period"],
        {"discipline_years": 6},
    ),
    "BK_BO": (
        [
            {
                "any_of": [
                    ["two_consecutive_cstdcs_or_excellent", "two_unused_base_initiatives"],
                    ["bk_bo_other_criterion"],
                ],
                "label": "Luật TĐKT 2022, Điều 74.1",
            },
            "not_disciplined_in_period",
        ],
        {"discipline_years": 2},
    ),
    "BK_TTG": (
        [
            {
                "any_of": [
                    ["five_good_years_after_bk_bo", "three_cstdcs_after_bk_bo"],
                    ["bk_ttg_other_criterion"],
                ],
                "label": "Luật TĐKT 2022, Điều 73.1",
            },
            "not_disciplined_in_period",
        ],
        {"discipline_years": 5},
    ),
    "HCLD_3": (
        [
            {
                "any_of": [
                    [
                        "five_good_years_after_bk_ttg",
                        "excellent_year_after_bk_ttg",
                        "three_cstdcs_after_bk_ttg",
                    ],
                    ["hcld3_other_criterion"],
                ],
                "label": "Luật TĐKT 2022, Điều 44.1",
            },
            "not_disciplined_in_period",
        ],
        {"discipline_years": 5},
    ),
}


def _say(message: str) -> None:
    print(f"\n  {message}", end="")


def move_pending(apps, schema_editor):
    TaskRating = apps.get_model("awards", "TaskRating")
    OpenMatter = apps.get_model("awards", "OpenMatter")
    moved = 0
    for rating in TaskRating.objects.exclude(pending="").order_by("pk"):
        OpenMatter.objects.create(
            person_id=rating.person_id,
            unit_id=rating.unit_id,
            kind=KINDS.get(rating.pending, "complaint"),
            summary=FROM_RATING
            % {"year": rating.year, "label": LABELS.get(rating.pending, rating.pending)},
            opened_on=datetime.date(rating.year, 1, 1),
        )
        moved += 1
    if moved:
        _say(f"Moved {moved} pending matter(s) from task ratings to open matters.")


def unmove_pending(apps, schema_editor):
    TaskRating = apps.get_model("awards", "TaskRating")
    OpenMatter = apps.get_model("awards", "OpenMatter")
    restored = 0
    for matter in OpenMatter.objects.filter(summary__startswith="Chuyển từ xếp loại nhiệm vụ"):
        year = matter.opened_on.year
        kind = next(
            (
                code
                for code, label in LABELS.items()
                if FROM_RATING % {"year": year, "label": label} == matter.summary
            ),
            None,
        )
        if kind is None or matter.opened_on != datetime.date(year, 1, 1):
            continue
        updated = TaskRating.objects.filter(
            person_id=matter.person_id, unit_id=matter.unit_id, year=year
        ).update(pending=kind if matter.closed_on is None else "")
        if updated:
            matter.delete()
            restored += 1
    if restored:
        _say(f"Moved {restored} open matter(s) back to their task ratings.")


def _set_rules(apps, source, target, direction):
    AwardType = apps.get_model("awards", "AwardType")
    changed, kept = [], []
    for award in AwardType.objects.filter(code__in=list(target)).order_by("code"):
        codes, params = source[award.code]
        if award.rule_codes == codes and award.rule_params == params:
            award.rule_codes, award.rule_params = target[award.code]
            award.save(update_fields=["rule_codes", "rule_params"])
            changed.append(award.code)
        elif (award.rule_codes, award.rule_params) != target[award.code]:
            kept.append(award.code)
    if changed:
        _say(f"Rules {direction} for: {', '.join(changed)}.")
    if kept:
        _say(f"Rules left as an administrator set them (check them by hand): {', '.join(kept)}.")


def rules_forward(apps, schema_editor):
    _set_rules(apps, OLD_RULES, NEW_RULES, "set to the law's any-of groups and discipline years")


def rules_backward(apps, schema_editor):
    _set_rules(apps, NEW_RULES, OLD_RULES, "restored to the plain codes")


class Migration(migrations.Migration):
    dependencies = [("awards", "0007_open_matters")]

    operations = [
        migrations.RunPython(move_pending, unmove_pending),
        migrations.RunPython(rules_forward, rules_backward),
        migrations.RemoveField(model_name="historicaltaskrating", name="pending"),
        migrations.RemoveField(model_name="taskrating", name="pending"),
        migrations.AlterField(
            model_name='awardtype',
            name='rule_codes',
            field=models.JSONField(blank=True, default=list, help_text='The eligibility rules checked for this award: a list whose items are rule codes or any-of groups where the law lists alternatives, e.g. {"any_of": [["rule_a", "rule_b"], ["rule_c"]], "label": "Điều 74.1"} (met when one path is met). The general rules (initiative used once, no open matter) are always checked.', verbose_name='eligibility rules'),
        ),
        migrations.AlterField(
            model_name='historicalawardtype',
            name='rule_codes',
            field=models.JSONField(blank=True, default=list, help_text='The eligibility rules checked for this award: a list whose items are rule codes or any-of groups where the law lists alternatives, e.g. {"any_of": [["rule_a", "rule_b"], ["rule_c"]], "label": "Điều 74.1"} (met when one path is met). The general rules (initiative used once, no open matter) are always checked.', verbose_name='eligibility rules'),
        ),
    ]
