"""The scores of a bloc's year: each member's total and the ranking with its tie-break rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Criterion, CriterionGroup, Score, Scoring

ZERO = Decimal(0)
TIE_BREAK_RULE = _(
    "Higher total first; on equal totals, fewer penalty points, then the higher score of "
    "group I, then of group II and so on, then the earlier submission."
)


def table(bloc_year: BlocYear) -> list[CriterionGroup]:
    """The groups with their criteria (two queries)."""
    return list(
        CriterionGroup.objects.filter(bloc_year=bloc_year)
        .order_by("number", "pk")
        .prefetch_related(Prefetch("criteria", Criterion.objects.order_by("order", "pk")))
    )


@dataclass
class Sheet:
    """One scoring with its scores by criterion and the totals."""

    scoring: Scoring
    scores: dict[int, Score]
    group_points: dict[int, Decimal] = field(default_factory=dict)
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    total: Decimal = ZERO
    rank: int | None = None

    @property
    def unit(self):
        return self.scoring.unit

    def sort_key(self, groups: list[CriterionGroup]) -> tuple:
        submitted = self.scoring.submitted_at or datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return (
            -self.total,
            self.penalty,
            *(-self.group_points.get(group.pk, ZERO) for group in groups),
            submitted,
            self.unit.path,
        )


def compute(sheet: Sheet, groups: list[CriterionGroup]) -> Sheet:
    """Totals: each group's criteria up to the group's maximum, plus bonus, minus penalty."""
    sheet.bonus = sheet.penalty = ZERO
    sheet.group_points = {}
    for group in groups:
        in_group = ZERO
        for criterion in group.criteria.all():
            score = sheet.scores.get(criterion.pk)
            points = (score.final if score is not None else None) or ZERO
            if criterion.kind == Criterion.Kind.BONUS:
                sheet.bonus += points
            elif criterion.kind == Criterion.Kind.PENALTY:
                sheet.penalty += points
            else:
                in_group += points
        sheet.group_points[group.pk] = min(in_group, group.max_points)
    sheet.total = sum(sheet.group_points.values(), ZERO) + sheet.bonus - sheet.penalty
    return sheet


def sheets(
    bloc_year: BlocYear, *, groups: list[CriterionGroup] | None = None, unit_ids=None
) -> list[Sheet]:
    """Every scoring of the year (or of the units given) with its totals (two queries more)."""
    groups = table(bloc_year) if groups is None else groups
    scorings = (
        Scoring.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related(Prefetch("scores", Score.objects.select_related("checked_by")))
        .order_by("unit__path")
    )
    if unit_ids is not None:
        scorings = scorings.filter(unit_id__in=unit_ids)
    return [
        compute(
            Sheet(scoring, {score.criterion_id: score for score in scoring.scores.all()}), groups
        )
        for scoring in scorings
    ]


def ranking(bloc_year: BlocYear, *, groups: list[CriterionGroup] | None = None) -> list[Sheet]:
    """The ranking of the cross-checked scorings, ties broken by TIE_BREAK_RULE."""
    groups = table(bloc_year) if groups is None else groups
    ranked = [
        sheet
        for sheet in sheets(bloc_year, groups=groups)
        if sheet.scoring.status == Scoring.Status.CHECKED
    ]
    ranked.sort(key=lambda sheet: sheet.sort_key(groups))
    for position, sheet in enumerate(ranked, start=1):
        sheet.rank = position
    return ranked
