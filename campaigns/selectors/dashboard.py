"""Every read the campaign dashboards need: reporting counts, attainment, heat map, overdue units.

Each function runs a fixed number of queries whatever the number of units and periods, and
leaves the arithmetic over rows to the database (see attainment.py beside it for the roll-up).
Units are chosen by a `Q` over Unit: the reader's scope (the whole sector, or the subtrees of
the units they head) and the page's filters (kind, bloc, province).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorFigure,
    Objective,
    ObjectiveFigure,
    PeriodFigure,
    ReportingPeriod,
    SectorFigure,
    UnitFigure,
)
from campaigns.selectors.attainment import (
    FLOAT,
    Sql,
    Statement,
    table,
    with_objective_figures,
    with_sector_figures,
)
from campaigns.selectors.expected import expected_filter
from campaigns.selectors.follow_up import last_reminder_sent
from units.models import Unit
from units.roles import Roles

PAGE_SIZE = 50


# --- who sees what, and which units ------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The units a reader's dashboard covers: the whole sector, or the subtrees they head."""

    paths: tuple[str, ...] | None = None  # None: the whole sector

    def key(self) -> str:
        return "sector" if self.paths is None else ",".join(self.paths)

    def q(self) -> Q:
        if self.paths is None:
            return Q()
        subtrees = Q()
        for path in self.paths:
            subtrees |= Q(path__startswith=path)
        return subtrees


def dashboard_scope(roles: Roles) -> Scope | None:
    """Board, secretary and administrator see the sector; a unit head sees the units they
    head and everything under them; anybody else has no dashboard (None)."""
    if roles.sees_all_units:
        return Scope()
    if roles.head_paths:
        return Scope(tuple(sorted(roles.head_paths)))
    return None


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    bloc: str = ""  # bloc code
    province: str = ""

    def key(self) -> str:
        return f"{self.kind}|{self.bloc}|{self.province}"

    def q(self) -> Q:
        q = Q()
        if self.kind:
            q &= Q(kind=self.kind)
        if self.bloc:
            q &= Q(bloc__code=self.bloc)
        if self.province:
            q &= Q(province=self.province)
        return q


def unit_for_dashboard(*, code: str) -> Unit:
    """A unit with what its drill-down page shows about it (Unit.DoesNotExist if none)."""
    return Unit.objects.select_related("bloc", "parent").get(code=code)


def units_under(unit: Unit) -> Q:
    """The unit and everything under it, as a filter over Unit."""
    return Q(pk__in=Unit.objects.descendants_of(unit).values("pk"))


def provinces_in(*, campaign: Campaign, scope: Scope) -> list[str]:
    return list(
        Unit.objects.filter(scope.q(), participations__campaign=campaign)
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )


# --- periods ---------------------------------------------------------------------------------


def periods_started(campaign: Campaign, today: datetime.date) -> list[ReportingPeriod]:
    """The periods a reader can pick, newest first (from a campaign_detail() prefetch)."""
    return [p for p in reversed(campaign.periods.all()) if p.starts_on <= today]


def periods_ended(campaign: Campaign, today: datetime.date) -> list[ReportingPeriod]:
    """The periods the trend covers: every period that has ended, oldest first."""
    return [p for p in campaign.periods.all() if p.ends_on < today]


def default_period(campaign: Campaign, today: datetime.date) -> ReportingPeriod | None:
    """The period being reported on: the last one that has ended (else the first one)."""
    ended = periods_ended(campaign, today)
    if ended:
        return ended[-1]
    periods = list(campaign.periods.all())
    return periods[0] if periods else None


# --- reporting -------------------------------------------------------------------------------


@dataclass
class Reporting:
    """Who was expected to report for a period, and who did (first submission counts)."""

    period: ReportingPeriod
    expected: int = 0
    reported: int = 0
    late: int = 0

    @property
    def on_time(self) -> int:
        return self.reported - self.late

    @property
    def not_yet(self) -> int:
        return self.expected - self.reported

    @property
    def reporting_rate(self) -> float | None:
        return self.reported / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """Share of the expected units whose first submission came by the due date."""
        return self.on_time / self.expected if self.expected else None


def _unit_rows(units: Q) -> Q:
    """Rows of a figures table for the units `units` selects (no filter for the whole sector)."""
    return Q(unit__in=Unit.objects.filter(units).values("pk")) if units else Q()


def reporting_by_period(
    *, campaign: Campaign, periods: list[ReportingPeriod], units: Q
) -> dict[int, Reporting]:
    """Expected, reported and late counts per period (one query, whatever the periods).

    A report counts as reported once first submitted, even if it was returned since; it is
    late if that first submission came after the due date. Only units expected to report for
    the period count, so a unit closed or opened mid-campaign counts only where it existed.
    Read from the maintained figures: the whole sector's counts per period, or the rows of
    the units selected (one row per unit expected for a period).
    """
    ids = [period.pk for period in periods]
    result = {period.pk: Reporting(period) for period in periods}
    if not ids:
        return result
    if not units:  # the whole sector: its counts are kept per period
        for period_id, expected, reported, late in PeriodFigure.objects.filter(
            period_id__in=ids
        ).values_list("period_id", "expected", "reported", "late"):
            reporting = result[period_id]
            reporting.expected, reporting.reported, reporting.late = expected, reported, late
        return result
    rows = (
        UnitFigure.objects.filter(_unit_rows(units), period_id__in=ids)
        .order_by()
        .values("period_id")
        .annotate(
            n_expected=Count("pk"),
            n_reported=Count("pk", filter=Q(reported=True)),
            n_late=Count("pk", filter=Q(reported=True, late=True)),
        )
    )
    for row in rows:
        reporting = result[row["period_id"]]
        reporting.expected, reporting.reported = row["n_expected"], row["n_reported"]
        reporting.late = row["n_late"]
    return result


# --- attainment ------------------------------------------------------------------------------


@dataclass
class Figures:
    """Attainment of a set of units as of one period (ratios 0–1, None when nothing to measure)."""

    overall: float | None = None
    objectives: dict[int, float | None] = field(default_factory=dict)
    indicators: dict[int, tuple[float | None, int]] = field(default_factory=dict)


def _in(column: str, ids: list[int]) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(ids))})"


def sector_figures(
    *,
    campaign: Campaign,
    periods: list[ReportingPeriod],
    units: Q,
    cache_key: str | None = None,
) -> dict[int, Figures]:
    """Attainment per indicator, objective and overall, as of each period (one query).

    Read from the maintained unit × indicator figures of the units expected then: an
    indicator's attainment is the mean over the units that have a ratio for it, an objective's
    the weighted mean of its indicators', the overall one the objectives' by objective weight.
    For the whole sector the indicators' sums are kept per period (SectorFigure); a scope or
    a filter sums the rows of its units.
    (`cache_key` is accepted for the callers written when figures were cached; nothing is.)
    """
    result = {period.pk: Figures() for period in periods}
    if not periods:
        return result
    ids = [period.pk for period in periods]
    statement = _sector_statement(ids) if not units else _units_statement(ids, units)
    return read_sector_figures(statement, result)


def read_sector_figures(statement: Statement, result: dict[int, Figures]) -> dict[int, Figures]:
    """Fill `result` (period id → Figures) from the statement's `sector_figures` CTE."""
    rows = statement.fetch("SELECT period_id, kind, item_id, ratio, units FROM sector_figures")
    for row in rows:
        figures = result[row["period_id"]]
        if row["kind"] == "indicator":
            figures.indicators[row["item_id"]] = (row["ratio"], row["units"])
        elif row["kind"] == "objective":
            figures.objectives[row["item_id"]] = row["ratio"]
        else:
            figures.overall = row["ratio"]
    return result


def _sector_statement(ids: list[int]) -> Statement:
    statement = Statement()
    statement.add(
        "indicator_figures",
        f"""
        SELECT s.period_id AS period_id, s.indicator_id AS indicator_id,
               s.objective_id AS objective_id, CAST(i.weight AS {FLOAT}) AS weight,
               CASE WHEN s.rated > 0 THEN s.ratio_sum / s.rated END AS ratio, s.rated AS units
        FROM {table(SectorFigure)} s JOIN {table(Indicator)} i ON i.id = s.indicator_id
        WHERE {_in("s.period_id", ids)} AND s.units > 0
        """,
        ids,
    )
    return with_objective_figures(statement)


def _units_statement(ids: list[int], units: Q) -> Statement:
    text, params = _in("f.period_id", ids), list(ids)
    if units:
        subquery = Sql.of(Unit.objects.filter(units).values("pk"))
        text += f" AND f.unit_id IN ({subquery.text})"
        params += subquery.params
    statement = Statement()
    statement.add(
        "rollup",
        f"""
        SELECT f.period_id AS period_id, f.unit_id AS unit_id, f.indicator_id AS indicator_id,
               f.objective_id AS objective_id, CAST(i.weight AS {FLOAT}) AS weight,
               f.ratio AS ratio
        FROM {table(IndicatorFigure)} f JOIN {table(Indicator)} i ON i.id = f.indicator_id
        WHERE {text}
        """,
        params,
    )
    return with_sector_figures(statement)


def _unit_cells(period_ids: list[int], unit_ids: list[int]) -> list[tuple]:
    """(period, unit, objective or None for overall, ratio) of the given units and periods."""
    where = f"{_in('period_id', period_ids)} AND {_in('unit_id', unit_ids)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT period_id, unit_id, objective_id, ratio FROM {table(ObjectiveFigure)} "
            f"WHERE {where} UNION ALL "
            f"SELECT period_id, unit_id, NULL, overall FROM {table(UnitFigure)} WHERE {where}",
            [*period_ids, *unit_ids] * 2,
        )
        return cursor.fetchall()


def unit_timeline(
    *, campaign: Campaign, unit: Unit, periods: list[ReportingPeriod]
) -> dict[int, Figures]:
    """One unit's attainment per objective and overall as of each period (one query)."""
    result = {period.pk: Figures() for period in periods}
    if not periods:
        return result
    for period_id, _unit, objective_id, ratio in _unit_cells(list(result), [unit.pk]):
        figures = result[period_id]
        if objective_id is None:
            figures.overall = ratio
        else:
            figures.objectives[objective_id] = ratio
    return result


# --- heat map --------------------------------------------------------------------------------

SORT_UNIT = "unit"
SORT_OVERALL = "overall"


@dataclass
class Cell:
    objective: Objective
    ratio: float | None


@dataclass
class HeatRow:
    """A unit of the heat map, with its report for the period and attainment per objective."""

    unit: Unit  # annotated with report_id, report_status, report_late, reported_at
    cells: list[Cell]
    overall: float | None


def _units_of_period(*, period: ReportingPeriod, units: Q) -> QuerySet[Unit]:
    """Units expected for the period, each with its report for it (if any)."""
    return (
        Unit.objects.filter(units)
        .filter(expected_filter(period))
        .annotate(report=FilteredRelation("reports", condition=Q(reports__period=period)))
        .select_related("bloc")
        .annotate(
            report_id=F("report__id"),
            report_status=F("report__status"),
            report_late=F("report__late"),
            reported_at=F("report__first_submitted_at"),
        )
    )


def sort_choices(objectives: list[Objective]) -> list[tuple[str, str]]:
    """What the heat map sorts by: the unit's name, overall attainment, or one objective."""
    return [
        (SORT_UNIT, _("Unit name")),
        (SORT_OVERALL, _("Overall attainment")),
        *((f"o{o.number}", _("Objective %(number)s") % {"number": o.number}) for o in objectives),
    ]


def heat_map(
    *,
    campaign: Campaign,
    period: ReportingPeriod,
    units: Q,
    objectives: list[Objective],
    sort: str = SORT_UNIT,
    descending: bool = False,
    page: int | str | None = 1,
    every_unit: bool = False,
) -> tuple[list[HeatRow], Page | None]:
    """The units expected for the period × the objectives, sorted, one page (or every unit).

    Sorted by unit name, only the page's units are rolled up (three queries); sorted by an
    objective or overall, every unit is rolled up and the database sorts and cuts the page
    (three queries). Units without figures come last either way.
    """
    base = _units_of_period(period=period, units=units)
    if sort not in {key for key, _label in sort_choices(objectives)} - {SORT_UNIT}:
        ordered = base.order_by("-name" if descending else "name", "pk")
        if every_unit:
            unit_page, found = None, list(ordered)
        else:
            unit_page = Paginator(ordered, PAGE_SIZE).get_page(page)
            found = list(unit_page.object_list)
        cells = _cells(campaign=campaign, period=period, unit_ids=[unit.pk for unit in found])
    else:
        total = base.count()
        paginator = Paginator(range(total), PAGE_SIZE)
        unit_page = None if every_unit else paginator.get_page(page)
        first = 0 if unit_page is None else unit_page.start_index() - 1
        last = total if unit_page is None else unit_page.end_index()
        order, cells = _sorted_cells(
            campaign=campaign,
            period=period,
            units=units,
            sort=sort,
            descending=descending,
            objectives=objectives,
            first=first,
            last=last,
        )
        by_pk = {unit.pk: unit for unit in base.filter(pk__in=order)}
        found = [by_pk[pk] for pk in order if pk in by_pk]
    rows = [
        HeatRow(
            unit=unit,
            cells=[Cell(objective, cells.get((unit.pk, objective.pk))) for objective in objectives],
            overall=cells.get((unit.pk, None)),
        )
        for unit in found
    ]
    if unit_page is not None:
        unit_page.object_list = rows
    return rows, unit_page


def _cells(*, campaign: Campaign, period: ReportingPeriod, unit_ids: list[int]) -> dict:
    if not unit_ids:
        return {}
    return {
        (unit_id, objective_id): ratio
        for _period, unit_id, objective_id, ratio in _unit_cells([period.pk], unit_ids)
    }


def _sorted_cells(
    *,
    campaign: Campaign,
    period: ReportingPeriod,
    units: Q,
    sort: str,
    descending: bool,
    objectives: list[Objective],
    first: int,
    last: int,
) -> tuple[list[int], dict]:
    """Positions first+1…last of the units sorted by an objective or overall, with their cells
    (one query over the maintained figures of the period)."""
    statement = Statement()
    statement.add(
        "heat_units",
        Sql.of(
            Unit.objects.filter(units)
            .filter(expected_filter(period))
            .order_by()
            .values(hu_id=F("pk"), hu_name=F("name"))
        ),
    )
    if sort == SORT_OVERALL:
        key_join = f"LEFT JOIN {table(UnitFigure)} k ON k.unit_id = hu.hu_id AND k.period_id = %s"
        key, params = "k.overall", [period.pk]
    else:
        number = int(sort[1:])
        objective = next(o for o in objectives if o.number == number)
        key_join = (
            f"LEFT JOIN {table(ObjectiveFigure)} k ON k.unit_id = hu.hu_id "
            "AND k.period_id = %s AND k.objective_id = %s"
        )
        key, params = "k.ratio", [period.pk, objective.pk]
    direction = "DESC" if descending else "ASC"
    statement.add(
        "ranked",
        f"""
        SELECT hu.hu_id AS unit_id,
               ROW_NUMBER() OVER (ORDER BY CASE WHEN {key} IS NULL THEN 1 ELSE 0 END,
                                  {key} {direction}, hu.hu_name, hu.hu_id) AS position
        FROM heat_units hu {key_join}
        """,
        params,
    )
    statement.add(
        "page", "SELECT * FROM ranked WHERE position > %s AND position <= %s", [first, last]
    )
    rows = statement.fetch(
        f"""
        SELECT r.position AS position, r.unit_id AS unit_id, uo.objective_id AS objective_id,
               uo.ratio AS ratio
        FROM page r JOIN {table(ObjectiveFigure)} uo
             ON uo.unit_id = r.unit_id AND uo.period_id = %s
        UNION ALL
        SELECT r.position, r.unit_id, NULL, ov.overall
        FROM page r LEFT JOIN {table(UnitFigure)} ov
             ON ov.unit_id = r.unit_id AND ov.period_id = %s
        ORDER BY 1
        """,
        [period.pk, period.pk],
    )
    cells = {(row["unit_id"], row["objective_id"]): row["ratio"] for row in rows}
    return list(dict.fromkeys(row["unit_id"] for row in rows)), cells


# --- units that have not reported ----------------------------------------------------------


def units_not_reported(*, period: ReportingPeriod, units: Q) -> QuerySet[Unit]:
    """Units expected for the period that have not submitted their report, in tree order."""
    return with_last_reminder(
        _units_of_period(period=period, units=units)
        .filter(report__first_submitted_at__isnull=True)
        .order_by("path"),
        period=period,
    )


def with_last_reminder(units: QuerySet[Unit], *, period: ReportingPeriod) -> QuerySet[Unit]:
    """The units that have not reported, with when a reminder about the period last went out
    (the same figure as the secretary's follow-up page)."""
    return units.annotate(last_reminded_at=last_reminder_sent(period))
