"""Every read the campaign dashboards need: reporting counts, attainment, heat map, overdue units.

Each function runs a fixed number of queries whatever the number of units and periods, and
leaves the arithmetic over rows to the database (see attainment.py beside it for the roll-up).
Units are chosen by a `Q` over Unit: the reader's scope (the whole sector, or the subtrees of
the units they head) and the page's filters (kind, bloc, province).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from hashlib import md5

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FilteredRelation, Max, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorValue,
    Objective,
    ProgressReport,
    Registration,
    ReportingPeriod,
    Target,
)
from campaigns.selectors.attainment import (
    Sql,
    rollup_statement,
    with_sector_figures,
    with_unit_figures,
)
from campaigns.selectors.expected import (
    EXPECTED_PERIOD,
    PeriodRef,
    expected_filter,
    units_expected_in_periods,
)
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


def reporting_by_period(
    *, campaign: Campaign, periods: list[ReportingPeriod], units: Q
) -> dict[int, Reporting]:
    """Expected, reported and late counts per period (two queries, whatever the periods).

    A report counts as reported once first submitted, even if it was returned since; it is
    late if that first submission came after the due date. Only units expected to report for
    the period count, so a unit closed or opened mid-campaign counts only where it existed.
    """
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


# --- attainment ------------------------------------------------------------------------------


@dataclass
class Figures:
    """Attainment of a set of units as of one period (ratios 0–1, None when nothing to measure)."""

    overall: float | None = None
    objectives: dict[int, float | None] = field(default_factory=dict)
    indicators: dict[int, tuple[float | None, int]] = field(default_factory=dict)


FIGURES_TTL = 6 * 3600  # a safety net: the stamps below already tell when figures change


def figures_stamps(campaign: Campaign) -> tuple[dict[int, str], str]:
    """What attainment figures depend on, read cheaply (two queries): per year, the count and
    last change of the campaign's reports; and, for every year, the last recorded change of
    targets, registrations, values, indicators, objectives, periods and units (history rows,
    found by their indexed date) with the number of participating units.

    Figures as of a period only read reports of that period's year, so a report submitted
    this quarter leaves the cached figures of past years alone.
    """
    per_year = {
        row["year"]: f"{row['count']}:{row['last'].isoformat() if row['last'] else ''}"
        for row in ProgressReport.objects.filter(period__campaign=campaign)
        .order_by()
        .values(year=ExtractYear("period__starts_on"))
        .annotate(count=Count("pk"), last=Max("updated_at"))
    }

    def last_change(model) -> Subquery:
        return Subquery(model.history.order_by("-history_date").values("history_date")[:1])

    models = [Target, Registration, IndicatorValue, Indicator, Objective, ReportingPeriod, Unit]
    stamp = (
        Campaign.objects.filter(pk=campaign.pk)
        .annotate(
            stamp_units=Count("participations", distinct=True),
            **{f"stamp_{model._meta.model_name}": last_change(model) for model in models},
        )
        .values(*(f"stamp_{model._meta.model_name}" for model in models), "stamp_units")
        .get()
    )
    return per_year, "|".join(str(stamp[key]) for key in sorted(stamp))


def sector_figures(
    *,
    campaign: Campaign,
    periods: list[ReportingPeriod],
    units: Q,
    cache_key: str | None = None,
) -> dict[int, Figures]:
    """Attainment per indicator, objective and overall, as of each period (one query).

    With a `cache_key` naming the set of units (the reader's scope and filters), each period's
    figures are kept in the cache under the stamps of its year: a view computes only the
    periods whose data changed since (at most one query more, for the stamps, and one fewer
    when nothing changed). Without one, everything is computed.
    """
    result = {period.pk: Figures() for period in periods}
    if not periods:
        return result
    missing = list(periods)
    keys: dict[int, str] = {}
    if cache_key is not None:
        per_year, common = figures_stamps(campaign)
        keys = {
            period.pk: "dashboard:figures:"
            + md5(
                f"{campaign.pk}|{cache_key}|{period.pk}|{per_year.get(period.starts_on.year)}|"
                f"{common}".encode(),
                usedforsecurity=False,
            ).hexdigest()
            for period in periods
        }
        cached = cache.get_many(list(keys.values()))
        for period in periods:
            if keys[period.pk] in cached:
                result[period.pk] = cached[keys[period.pk]]
        missing = [period for period in periods if keys[period.pk] not in cached]
    if missing:
        statement = with_sector_figures(
            rollup_statement(campaign=campaign, periods=missing, units=units)
        )
        rows = statement.fetch("SELECT period_id, kind, item_id, ratio, units FROM sector_figures")
        for row in rows:
            figures = result[row["period_id"]]
            if row["kind"] == "indicator":
                figures.indicators[row["item_id"]] = (row["ratio"], row["units"])
            elif row["kind"] == "objective":
                figures.objectives[row["item_id"]] = row["ratio"]
            else:
                figures.overall = row["ratio"]
        if keys:
            cache.set_many({keys[period.pk]: result[period.pk] for period in missing}, FIGURES_TTL)
    return result


def unit_timeline(
    *, campaign: Campaign, unit: Unit, periods: list[ReportingPeriod]
) -> dict[int, Figures]:
    """One unit's attainment per objective and overall as of each period (one query)."""
    result = {period.pk: Figures() for period in periods}
    if not periods:
        return result
    statement = with_unit_figures(
        rollup_statement(campaign=campaign, periods=periods, unit_ids=[unit.pk])
    )
    rows = statement.fetch(
        "SELECT period_id, objective_id, ratio FROM unit_objective "
        "UNION ALL SELECT period_id, NULL, ratio FROM unit_overall"
    )
    for row in rows:
        figures = result[row["period_id"]]
        if row["objective_id"] is None:
            figures.overall = row["ratio"]
        else:
            figures.objectives[row["objective_id"]] = row["ratio"]
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
    statement = with_unit_figures(
        rollup_statement(campaign=campaign, periods=[period], unit_ids=unit_ids)
    )
    rows = statement.fetch(
        "SELECT unit_id, objective_id, ratio FROM unit_objective "
        "UNION ALL SELECT unit_id, NULL, ratio FROM unit_overall"
    )
    return {(row["unit_id"], row["objective_id"]): row["ratio"] for row in rows}


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
    """Positions first+1…last of the units sorted by an objective or overall, with their cells."""
    statement = with_unit_figures(
        rollup_statement(campaign=campaign, periods=[period], units=units)
    )
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
        key_join, params = "LEFT JOIN unit_overall k ON k.unit_id = hu.hu_id", []
    else:
        number = int(sort[1:])
        objective = next(o for o in objectives if o.number == number)
        key_join = "LEFT JOIN unit_objective k ON k.unit_id = hu.hu_id AND k.objective_id = %s"
        params = [objective.pk]
    direction = "DESC" if descending else "ASC"
    statement.add(
        "ranked",
        f"""
        SELECT hu.hu_id AS unit_id,
               ROW_NUMBER() OVER (ORDER BY CASE WHEN k.ratio IS NULL THEN 1 ELSE 0 END,
                                  k.ratio {direction}, hu.hu_name, hu.hu_id) AS position
        FROM heat_units hu {key_join}
        """,
        params,
    )
    rows = statement.fetch(
        """
        SELECT r.position AS position, r.unit_id AS unit_id, uo.objective_id AS objective_id,
               uo.ratio AS ratio
        FROM ranked r JOIN unit_objective uo ON uo.unit_id = r.unit_id
        WHERE r.position > %s AND r.position <= %s
        UNION ALL
        SELECT r.position, r.unit_id, NULL, ov.ratio
        FROM ranked r LEFT JOIN unit_overall ov ON ov.unit_id = r.unit_id
        WHERE r.position > %s AND r.position <= %s
        ORDER BY 1
        """,
        [first, last, first, last],
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
