"""Attainment: what units achieved against the targets they registered, computed in the database.

For each unit × indicator of a year, the reported values of received reports (submitted or
accepted) are rolled up the way the indicator says (sum, average, latest, best), set against
the registered target, and turned into a ratio capped at 1 (100 %): an indicator far above its
target must not hide another one far below in its objective's weighted roll-up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    DecimalField,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Least

from campaigns.models import Campaign, Indicator, IndicatorValue, Objective, ProgressReport, Target

RATIO = FloatField()
AMOUNT = DecimalField(max_digits=14, decimal_places=2)


def indicator_rollups(*, campaign: Campaign, year: int, unit_ids=None):
    """One row per unit × indicator: unit_id, indicator_id, actual, target, ratio (0–1 or None)."""
    received = Q(
        report__period__campaign=campaign,
        report__period__starts_on__year=year,
        report__status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED],
        value__isnull=False,
    )
    values = IndicatorValue.objects.filter(received)
    if unit_ids is not None:
        values = values.filter(report__unit_id__in=unit_ids)
    latest = (
        IndicatorValue.objects.filter(
            received,
            report__unit_id=OuterRef("report__unit_id"),
            indicator_id=OuterRef("indicator_id"),
        )
        .order_by("-report__period__starts_on")
        .values("value")[:1]
    )
    target = Target.objects.filter(
        registration__campaign=campaign,
        registration__year=year,
        registration__unit_id=OuterRef("report__unit_id"),
        indicator_id=OuterRef("indicator_id"),
    ).values("value")[:1]
    higher = Indicator.Direction.HIGHER
    rollup = Indicator.Rollup
    rows = (
        values.values("report__unit_id", "indicator_id")
        .annotate(
            total=Sum("value"),
            average=Avg("value"),
            highest=Max("value"),
            lowest=Min("value"),
            latest=Subquery(latest, output_field=AMOUNT),
            target=Subquery(target, output_field=AMOUNT),
        )
        .annotate(
            actual=Case(
                When(indicator__rollup=rollup.SUM, then=F("total")),
                When(indicator__rollup=rollup.AVERAGE, then=Cast("average", AMOUNT)),
                When(indicator__rollup=rollup.MAX, indicator__direction=higher, then=F("highest")),
                When(indicator__rollup=rollup.MAX, then=F("lowest")),
                default=F("latest"),
                output_field=AMOUNT,
            )
        )
        .annotate(
            ratio=Case(
                When(Q(target__isnull=True) | Q(actual__isnull=True), then=Value(None)),
                When(
                    indicator__direction=higher,
                    then=Case(
                        When(target__lte=0, then=Value(1.0)),
                        default=Least(
                            Cast(F("actual"), RATIO) / Cast(F("target"), RATIO), Value(1.0)
                        ),
                    ),
                ),
                # Lower is better: at or under the target is full attainment.
                When(actual__lte=F("target"), then=Value(1.0)),
                default=Cast(F("target"), RATIO) / Cast(F("actual"), RATIO),
                output_field=RATIO,
            )
        )
        .order_by()
    )
    return rows


@dataclass
class IndicatorAttainment:
    indicator: Indicator
    actual: Decimal | None
    target: Decimal | None
    ratio: float | None


@dataclass
class ObjectiveAttainment:
    objective: Objective
    indicators: list[IndicatorAttainment]

    @property
    def ratio(self) -> float | None:
        """Weighted mean of the indicators that have both a target and a value."""
        weighted = [
            (float(i.indicator.weight), i.ratio) for i in self.indicators if i.ratio is not None
        ]
        total_weight = sum(weight for weight, _ in weighted)
        if not weighted or total_weight == 0:
            return None
        return sum(weight * ratio for weight, ratio in weighted) / total_weight


def unit_attainment(*, campaign: Campaign, unit_id: int, year: int) -> list[ObjectiveAttainment]:
    """Attainment per objective and indicator for one unit and year (two queries)."""
    rows = {
        row["indicator_id"]: row
        for row in indicator_rollups(campaign=campaign, year=year, unit_ids=[unit_id])
    }
    targets = dict(
        Target.objects.filter(
            registration__campaign=campaign, registration__year=year, registration__unit_id=unit_id
        ).values_list("indicator_id", "value")
    )
    by_objective: dict[int, list[IndicatorAttainment]] = defaultdict(list)
    indicators = Indicator.objects.filter(objective__campaign=campaign).select_related("objective")
    objectives = {}
    for indicator in indicators.order_by("objective__number", "order"):
        objectives[indicator.objective_id] = indicator.objective
        row = rows.get(indicator.pk, {})
        by_objective[indicator.objective_id].append(
            IndicatorAttainment(
                indicator=indicator,
                actual=row.get("actual"),
                target=targets.get(indicator.pk),
                ratio=row.get("ratio"),
            )
        )
    return [ObjectiveAttainment(objectives[pk], items) for pk, items in by_objective.items()]
