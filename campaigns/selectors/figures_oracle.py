"""The oracle: the dashboards' figures recomputed from the raw values on every call.

This is how the dashboards read their figures before they were maintained
(campaigns/models/figures.py). It stays as the reference the maintained figures must equal:
the property test (tests/campaigns/test_figures_maintained.py) applies random writes and
compares, and the bench times it beside the maintained reads. No page calls it.
"""

from __future__ import annotations

from django.db.models import Count, F, Q

from campaigns.models import Campaign, ProgressReport, ReportingPeriod
from campaigns.selectors.attainment import (
    as_decimal,
    rollup_statement,
    with_sector_figures,
    with_unit_figures,
    year_end_period,
)
from campaigns.selectors.dashboard import Figures, Reporting, read_sector_figures
from campaigns.selectors.expected import (
    EXPECTED_PERIOD,
    PeriodRef,
    expected_filter,
    units_expected_in_periods,
)
from units.models import Unit


def reporting_by_period(
    *, campaign: Campaign, periods: list[ReportingPeriod], units: Q
) -> dict[int, Reporting]:
    ids = [period.pk for period in periods]
    result = {period.pk: Reporting(period) for period in periods}
    expected = (
        units_expected_in_periods(campaign=campaign, period_ids=ids, units=units)
        .values(period_id=F(EXPECTED_PERIOD))
        .annotate(count=Count("pk"))
    )
    for row in expected:
        result[row["period_id"]].expected = row["count"]
    received = (
        ProgressReport.objects.filter(period__in=ids, first_submitted_at__isnull=False)
        .filter(expected_filter(PeriodRef.path("period"), "unit__"))
        .filter(unit__in=Unit.objects.filter(units).values("pk"))
        .order_by()
        .values("period_id")
        .annotate(reported=Count("pk"), late=Count("pk", filter=Q(late=True)))
    )
    for row in received:
        result[row["period_id"]].reported = row["reported"]
        result[row["period_id"]].late = row["late"]
    return result


def sector_figures(
    *, campaign: Campaign, periods: list[ReportingPeriod], units: Q
) -> dict[int, Figures]:
    result = {period.pk: Figures() for period in periods}
    if not periods:
        return result
    statement = with_sector_figures(
        rollup_statement(campaign=campaign, periods=periods, units=units)
    )
    return read_sector_figures(statement, result)


def unit_cells(
    *, campaign: Campaign, periods: list[ReportingPeriod], unit_ids: list[int] | None = None
) -> dict[tuple[int, int, int | None], float | None]:
    """(period, unit, objective or None for overall) → ratio, for the units (every unit if
    None) expected in each period."""
    if not periods:
        return {}
    statement = with_unit_figures(
        rollup_statement(campaign=campaign, periods=periods, units=Q(), unit_ids=unit_ids)
    )
    rows = statement.fetch(
        "SELECT period_id, unit_id, objective_id, ratio FROM unit_objective "
        "UNION ALL SELECT period_id, unit_id, NULL, ratio FROM unit_overall"
    )
    return {(r["period_id"], r["unit_id"], r["objective_id"]): r["ratio"] for r in rows}


def indicator_rollups(*, campaign: Campaign, year: int, unit_ids=None) -> list[dict]:
    period = year_end_period(campaign=campaign, year=year)
    if period is None:
        return []
    statement = rollup_statement(
        campaign=campaign,
        periods=[period],
        units=Q(),
        unit_ids=list(unit_ids) if unit_ids is not None else None,
        expected_only=False,
    )
    rows = statement.fetch(
        "SELECT unit_id, indicator_id, actual, target, ratio FROM rollup "
        "ORDER BY unit_id, indicator_id"
    )
    for row in rows:
        row["actual"], row["target"] = as_decimal(row["actual"]), as_decimal(row["target"])
    return rows
