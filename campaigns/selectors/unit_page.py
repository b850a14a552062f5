"""What the unit page shows of the campaign: the unit's reports and its registrations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from campaigns.models import Campaign, ProgressReport, Registration, ReportingPeriod, Target
from campaigns.selectors.campaigns import period_state
from campaigns.selectors.expected import unit_is_expected
from units.models import Unit


@dataclass
class PeriodRow:
    period: ReportingPeriod
    report: ProgressReport | None
    state: str


def unit_report_rows(*, unit: Unit, campaign: Campaign, today: datetime.date) -> list[PeriodRow]:
    """The periods this unit is expected to report for, up to today, with its report (1 query)."""
    periods = (
        campaign.periods.filter(starts_on__lte=today)
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(unit=unit),
                to_attr="unit_reports",
            )
        )
        .order_by("-starts_on")
    )
    return [
        PeriodRow(
            period,
            period.unit_reports[0] if period.unit_reports else None,
            period_state(period, today),
        )
        for period in periods
        if unit_is_expected(unit, period)
    ]


def unit_registrations(*, unit: Unit, campaign: Campaign) -> list[Registration]:
    return list(
        Registration.objects.filter(unit=unit, campaign=campaign)
        .select_related("confirmed_by")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related(
                    "indicator", "indicator__objective"
                ).order_by("indicator__objective__number", "indicator__order"),
            )
        )
        .order_by("-year")
    )
