"""Review reports (sơ kết, tổng kết): the review periods of a campaign, a unit's figures for
the whole campaign shown beside its review, and who has submitted theirs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from campaigns.models import Campaign, Objective, ProgressReport, ReportingPeriod, ReviewSections
from campaigns.selectors.campaigns import period_state
from campaigns.selectors.dashboard import periods_ended, reporting_by_period, unit_timeline
from campaigns.selectors.expected import unit_is_expected
from campaigns.selectors.unit_page import PeriodRow
from units.models import Unit


def review_periods(*, campaign: Campaign) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.all_kinds.filter(
        campaign=campaign, kind=ReportingPeriod.Kind.REVIEW
    ).order_by("due_on")


def review_sections(*, report: ProgressReport) -> ReviewSections:
    return ReviewSections.objects.select_related("updated_by").get(report=report)


@dataclass
class ReviewYear:
    year: int
    expected: int = 0
    reported: int = 0
    late: int = 0
    overall: float | None = None
    objectives: list[tuple[Objective, float | None]] = field(default_factory=list)

    @property
    def on_time(self) -> int:
        return self.reported - self.late


def unit_review_figures(
    *, campaign: Campaign, unit: Unit, today: datetime.date
) -> list[ReviewYear]:
    """The unit's figures per year of the campaign, read from the dashboard's selectors (the
    maintained figures): reports expected, received and on time over the year's ended periods,
    and attainment per objective as of the year's last ended period. Four queries."""
    ended = periods_ended(campaign, today)
    if not ended:
        return []
    reporting = reporting_by_period(campaign=campaign, periods=ended, units=Q(pk=unit.pk))
    last_of_year = {period.year: period for period in ended}
    timeline = unit_timeline(campaign=campaign, unit=unit, periods=list(last_of_year.values()))
    objectives = list(campaign.objectives.order_by("number"))
    years = {}
    for period in ended:
        row = years.setdefault(period.year, ReviewYear(period.year))
        figures = reporting[period.pk]
        row.expected += figures.expected
        row.reported += figures.reported
        row.late += figures.late
    for year, period in last_of_year.items():
        figures = timeline[period.pk]
        years[year].overall = figures.overall
        years[year].objectives = [(o, figures.objectives.get(o.pk)) for o in objectives]
    return [years[year] for year in sorted(years)]


@dataclass
class ReviewReceived:
    period: ReportingPeriod
    reports: list[ProgressReport]
    participants: int

    @property
    def submitted(self) -> list[ProgressReport]:
        return [r for r in self.reports if r.first_submitted_at is not None]


def review_reports_received(*, campaign: Campaign) -> list[ReviewReceived]:
    """Per review period, the units' review reports (started, submitted, accepted) and how many
    units take part (three queries): the board sees who has submitted theirs."""
    reports = ProgressReport.objects.select_related("unit").order_by("unit__path")
    periods = list(
        review_periods(campaign=campaign).prefetch_related(
            Prefetch("reports", queryset=reports, to_attr="review_reports")
        )
    )
    if not periods:
        return []
    participants = campaign.participations.count()
    return [ReviewReceived(p, p.review_reports, participants) for p in periods]


def unit_review_rows(*, unit: Unit, campaign: Campaign, today: datetime.date) -> list:
    """The campaign's review periods opened by today, with the unit's review report (one
    query); the unit page lists them apart from the regular periods."""
    periods = review_periods(campaign=campaign).filter(starts_on__lte=today)
    periods = periods.prefetch_related(
        Prefetch(
            "reports", queryset=ProgressReport.objects.filter(unit=unit), to_attr="unit_reports"
        )
    )
    return [
        PeriodRow(period, (period.unit_reports or [None])[0], period_state(period, today))
        for period in periods
        if unit_is_expected(unit, period)
    ]
