"""Who is expected to report for a period, and who has not reported yet.

A unit is expected when it takes part in the campaign and exists when the period ends; the
same rule counts the dashboards' expected units, chooses who is reminded and lists the missing
reports of the follow-up page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet

from campaigns.models import Campaign, ProgressReport, ReportingPeriod
from units.models import Unit


@dataclass(frozen=True)
class PeriodRef:
    """A period named inside a query rather than loaded: the campaign and end date as expressions.

    `expected_filter` takes one where a query covers many periods at once: `PeriodRef.outer()`
    inside a subquery correlated to a queryset of periods, `PeriodRef.path(...)` for a period
    reached through a relation of the rows being filtered.
    """

    campaign: Any
    ends_on: Any

    @classmethod
    def outer(cls) -> PeriodRef:
        return cls(OuterRef("campaign_id"), OuterRef("ends_on"))

    @classmethod
    def path(cls, relation: str) -> PeriodRef:
        return cls(F(f"{relation}__campaign"), F(f"{relation}__ends_on"))


def expected_filter(period: ReportingPeriod | PeriodRef, prefix: str = "") -> Q:
    """Units expected to report for a period: participating, and in existence when it ends.

    A department closed on 30/06/2025 reports for Q2/2025 but not Q3/2025; one opened on
    01/07/2025 reports from Q3/2025 on. `prefix` lets the same rule filter related rows.
    """
    if isinstance(period, ReportingPeriod):
        campaign, ends_on = period.campaign_id, period.ends_on
    else:
        campaign, ends_on = period.campaign, period.ends_on
    return (
        Q(**{f"{prefix}participations__campaign": campaign})
        & (Q(**{f"{prefix}opened_on__isnull": True}) | Q(**{f"{prefix}opened_on__lte": ends_on}))
        & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": ends_on}))
    )


def units_expected(*, period: ReportingPeriod) -> QuerySet[Unit]:
    return Unit.objects.filter(expected_filter(period))


EXPECTED_PERIOD = "participations__campaign__periods"


def units_expected_in_periods(
    *, campaign: Campaign, period_ids: list[int], units: Q | None = None
) -> QuerySet[Unit]:
    """One row per unit × period it is expected to report for, among `units`.

    The period of each row is reached as `EXPECTED_PERIOD` (e.g. `.values(F(EXPECTED_PERIOD))`
    or grouped by it to count the expected units of each period).
    """
    return (
        Unit.objects.filter(units or Q())
        .filter(
            Q(participations__campaign=campaign, participations__campaign__periods__in=period_ids)
            & expected_filter(PeriodRef.path(EXPECTED_PERIOD))
        )
        .order_by()
    )


def unit_is_expected(unit: Unit, period: ReportingPeriod) -> bool:
    return (unit.opened_on is None or unit.opened_on <= period.ends_on) and (
        unit.closed_on is None or unit.closed_on >= period.ends_on
    )


def unit_participates(*, unit: Unit, campaign: Campaign) -> bool:
    return campaign.participations.filter(unit=unit).exists()


RECEIVED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)


def units_missing(*, period: ReportingPeriod) -> QuerySet[Unit]:
    """Units expected to report for the period whose report has not come in.

    No report, a draft and a returned report all count as missing; submitted and accepted do
    not. Closed, not-yet-opened and non-participating units are never expected.
    """
    received = ProgressReport.objects.filter(period=period, status__in=RECEIVED).values("unit_id")
    return units_expected(period=period).exclude(pk__in=received)
