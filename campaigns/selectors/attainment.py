"""Attainment: what units achieved against the targets they registered, computed in the database.

For each unit × indicator, the reported values of received reports (submitted or accepted) of
one year are rolled up the way the indicator says (sum, average, latest, best), set against
the target registered for that year, and turned into a ratio capped at 1 (100 %): an indicator
far above its target must not hide another one far below in its objective's weighted roll-up.

Figures are "as of" a period: the roll-up of the values of that period's year reported for it
and the periods before it. A unit that skipped the period keeps its figures as of its last
report of the year; the year-end figures are those as of the year's last period.

How it runs: one SQL statement whose common table expressions are built here and reused by the
dashboards. The received values are read once, with running roll-ups per unit × indicator ×
year computed by window functions (each value row then carries the roll-up up to its own
period, and the period of the next value), and every as-of period picks, for each unit ×
indicator, the one row whose period is the last at or before it. That keeps the work linear in
the number of values, whatever the number of periods asked for.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Cast, ExtractYear, Lead, RowNumber

from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorValue,
    Objective,
    ProgressReport,
    ReportingPeriod,
    Target,
)
from campaigns.selectors.expected import (
    EXPECTED_PERIOD,
    PeriodRef,
    expected_filter,
    units_expected_in_periods,
)
from units.models import Unit

RECEIVED = [ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
HIGHER = Indicator.Direction.HIGHER.value
FLOAT = "DOUBLE PRECISION"  # PostgreSQL's float; SQLite reads it as REAL


# --- SQL assembly -----------------------------------------------------------------------------


@dataclass
class Sql:
    """A piece of SQL with its parameters, in the order of its placeholders."""

    text: str
    params: list = field(default_factory=list)

    @classmethod
    def of(cls, queryset: QuerySet) -> Sql:
        text, params = queryset.query.sql_with_params()
        return cls(text, list(params))


@dataclass
class Statement:
    """Named common table expressions followed by a final SELECT."""

    ctes: list[tuple[str, Sql]] = field(default_factory=list)

    def add(self, name: str, sql: Sql | str, params: Iterable = ()) -> None:
        if isinstance(sql, str):
            sql = Sql(sql, list(params))
        self.ctes.append((name, sql))

    def _sql(self, tail: str, params: Iterable) -> tuple[str, list]:
        text = "WITH " + ",\n".join(f"{name} AS ({sql.text})" for name, sql in self.ctes)
        all_params = [p for _, sql in self.ctes for p in sql.params] + list(params)
        return f"{text}\n{tail}", all_params

    def fetch(self, select: str, params: Iterable = ()) -> list[dict]:
        with connection.cursor() as cursor:
            cursor.execute(*self._sql(select, params))
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def execute(self, statement: str, params: Iterable = ()) -> int:
        """Run a write (`INSERT INTO … SELECT … FROM <cte>`) after the CTEs; rows written."""
        with connection.cursor() as cursor:
            cursor.execute(*self._sql(statement, params))
            return cursor.rowcount


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# --- The roll-up ------------------------------------------------------------------------------


def _received_values(
    *,
    campaign: Campaign,
    units: Q,
    since: datetime.date,
    until: datetime.date,
    expected_only: bool,
    unit_ids: list[int] | None = None,
) -> QuerySet:
    """Received values, each with running figures of its unit × indicator × year up to it.

    Columns: unit, ind, period, yr, starts (the period's first day), direction, target (the
    one registered for that year), amount, run_sum, run_count, run_best (the best value so far,
    signed so that the maximum is the best whatever the direction), next_start (the first day
    of the year's next period with a value, or NULL).
    """
    start = F("report__period__starts_on")
    year = Cast(ExtractYear("report__period__starts_on"), IntegerField())
    amount = Cast("value", FloatField())
    window = {
        "partition_by": [F("report__unit_id"), F("indicator_id"), year],
        "order_by": start.asc(),
        "frame": RowRange(None, 0),  # from the year's first value up to this one
    }
    signed = Case(When(indicator__direction=HIGHER, then=amount), default=-amount)
    values = IndicatorValue.objects.annotate(
        registration=FilteredRelation(
            "report__unit__registrations",
            condition=Q(
                report__unit__registrations__campaign=campaign,
                report__unit__registrations__year=year,
            ),
        ),
        target=FilteredRelation(
            "registration__targets",
            condition=Q(registration__targets__indicator=F("indicator")),
        ),
    ).filter(
        report__period__campaign=campaign,
        report__period__starts_on__gte=since,
        report__period__starts_on__lte=until,
        report__status__in=RECEIVED,
        value__isnull=False,
    )
    if unit_ids is not None:
        # A handful of units (a page of the heat map, one unit): straight to their reports.
        values = values.filter(report__unit_id__in=unit_ids)
    else:
        values = values.filter(report__unit__in=Unit.objects.filter(units).values("pk"))
    if expected_only:
        values = values.filter(expected_filter(PeriodRef.path("report__period"), "report__unit__"))
    return values.order_by().values(
        unit=F("report__unit_id"),
        ind=F("indicator_id"),
        period=F("report__period_id"),
        yr=year,
        starts=start,
        direction=F("indicator__direction"),
        goal=Cast("target__value", FloatField()),
        amount=amount,
        run_sum=Window(Sum(amount), **window),
        run_count=Window(RowNumber(), **window),
        run_best=Window(Max(signed), **window),
        next_start=Window(Lead(start), **window),
    )


def rollup_statement(
    *,
    campaign: Campaign,
    periods: Sequence[ReportingPeriod],
    units: Q | None = None,
    unit_ids: list[int] | None = None,
    expected_only: bool = True,
) -> Statement:
    """The `rollup` CTE every attainment figure is read from, for the given periods and units.

    `rollup` has one row per as-of period × unit × indicator with a value: period_id,
    unit_id, indicator_id, objective_id, weight, actual, target, ratio. With `expected_only`
    it keeps only units expected to report for the period (a department closed mid-year drops
    out of the periods after its closure). Add `with_unit_figures` or `with_sector_figures`
    for the roll-ups per unit × objective or for the whole set of units.

    Units are those `units` selects (a filter on Unit), or `unit_ids` when there are few.
    """
    ids = [period.pk for period in periods] or [0]
    since = datetime.date(min((p.starts_on.year for p in periods), default=1), 1, 1)
    until = max((p.starts_on for p in periods), default=since)
    if unit_ids is not None and len(unit_ids) <= FEW_UNITS:
        # A few units (one report's unit, most often): the statement of this shape is built
        # by the ORM once per process, then only its values change.
        return _few_units_statement(campaign.pk, ids, since, until, list(unit_ids), expected_only)
    return _rollup_statement(
        campaign=campaign,
        ids=ids,
        since=since,
        until=until,
        units=units if units is not None else Q(),
        unit_ids=unit_ids,
        expected_only=expected_only,
    )


# Up to how many listed units a roll-up's shape is kept (one kept shape per number of units).
FEW_UNITS = 8
# Values no real row has, standing for the ones of a call while a shape is built.
_CAMPAIGN, _PERIOD, _UNIT = -7_100_000, -7_200_000, -7_300_000
_SINCE, _UNTIL = datetime.date(1901, 2, 3), datetime.date(1901, 4, 5)
_shapes: dict[tuple, tuple[list[tuple[str, str]], list[list[tuple[str, object]]]]] = {}


def _few_units_statement(
    campaign_pk: int,
    ids: list[int],
    since: datetime.date,
    until: datetime.date,
    unit_ids: list[int],
    expected_only: bool,
) -> Statement:
    """`rollup_statement` for listed units, from a cache of its SQL by shape (how many periods
    and units, whether only expected units count, which database).

    A shape is built once with stand-in values; each parameter equal to a stand-in is noted
    with what it stands for (or how the database adapted it), the others are constants.
    """
    key = (connection.vendor, len(ids), len(unit_ids), expected_only)
    if key not in _shapes:
        stand_ins = [_PERIOD - i for i in range(len(ids))]
        unit_stand_ins = [_UNIT - i for i in range(len(unit_ids))]
        built = _rollup_statement(
            campaign=Campaign(pk=_CAMPAIGN),
            ids=stand_ins,
            since=_SINCE,
            until=_UNTIL,
            units=Q(pk__in=unit_stand_ins),
            unit_ids=unit_stand_ins,
            expected_only=expected_only,
        )
        roles = {_CAMPAIGN: ("campaign", 0), _SINCE: ("since", 0), _UNTIL: ("until", 0)}
        roles |= {value: ("period", i) for i, value in enumerate(stand_ins)}
        roles |= {value: ("unit", i) for i, value in enumerate(unit_stand_ins)}
        roles |= {str(_SINCE): ("since text", 0), str(_UNTIL): ("until text", 0)}
        for _name, sql in built.ctes:
            for param in sql.params:
                if not _hashable(param) and set(param) & set(roles):
                    raise RuntimeError("a stand-in went into a list parameter")
        _shapes[key] = (
            [(name, sql.text) for name, sql in built.ctes],
            [
                [
                    roles.get(param, ("constant", param))
                    if _hashable(param)
                    else ("constant", param)
                    for param in sql.params
                ]
                for _name, sql in built.ctes
            ],
        )
    texts, params = _shapes[key]
    values = {
        "campaign": [campaign_pk],
        "since": [since],
        "until": [until],
        "since text": [str(since)],
        "until text": [str(until)],
        "period": ids,
        "unit": unit_ids,
    }
    statement = Statement()
    for (name, text), roles in zip(texts, params, strict=True):
        statement.add(
            name,
            Sql(text, [at if role == "constant" else values[role][at] for role, at in roles]),
        )
    return statement


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _rollup_statement(
    *,
    campaign: Campaign,
    ids: list[int],
    since: datetime.date,
    until: datetime.date,
    units: Q,
    unit_ids: list[int] | None,
    expected_only: bool,
) -> Statement:
    if unit_ids is not None:
        units = Q(pk__in=unit_ids)
    statement = Statement()
    statement.add(
        "rv",
        Sql.of(
            _received_values(
                campaign=campaign,
                units=units,
                since=since,
                until=until,
                expected_only=expected_only,
                unit_ids=unit_ids,
            )
        ),
    )
    statement.add(
        "pr",
        Sql.of(
            ReportingPeriod.objects.filter(pk__in=ids)
            .order_by()
            .values(
                p_id=F("pk"),
                p_start=F("starts_on"),
                p_year=Cast(ExtractYear("starts_on"), IntegerField()),
            )
        ),
    )
    # The start of the next period of the same year (NULL for the year's last period).
    statement.add(
        "pn",
        Sql.of(
            ReportingPeriod.objects.filter(campaign=campaign)
            .order_by()
            .values(
                n_id=F("pk"),
                following=Window(
                    Lead("starts_on"),
                    partition_by=[ExtractYear("starts_on")],
                    order_by=F("starts_on").asc(),
                ),
            )
        ),
    )
    expected_join = ""
    if expected_only:
        statement.add(
            "ex",
            Sql.of(
                units_expected_in_periods(campaign=campaign, period_ids=ids, units=units).values(
                    ex_unit=F("pk"), ex_period=F(EXPECTED_PERIOD)
                )
            ),
        )
        expected_join = "JOIN ex ON ex.ex_unit = rv.unit AND ex.ex_period = pr.p_id"
    # Each value stands for its own period and, when the unit has no value in the next period
    # of the year, for the following periods up to (not including) its next value. Most stand
    # for their own period only and pass straight through; only the few others are matched
    # against the periods they carry over to.
    placeholders = ", ".join(["%s"] * len(ids))
    statement.add(
        "asof",
        f"""
        SELECT rv.period AS period_id, rv.* FROM rv WHERE rv.period IN ({placeholders})
        UNION ALL
        SELECT pr.p_id AS period_id, rv.*
        FROM rv
        JOIN pn ON pn.n_id = rv.period
        JOIN pr ON pr.p_year = rv.yr AND pr.p_start > rv.starts
               AND (rv.next_start IS NULL OR pr.p_start < rv.next_start)
        {expected_join}
        WHERE pn.following IS NOT NULL AND pr.p_start >= pn.following
          AND (rv.next_start IS NULL OR rv.next_start > pn.following)
        """,
        ids,
    )
    rollup = Indicator.Rollup
    # Higher is better: actual / target, capped at 1 (a target of 0 or less is met by
    # anything). Lower is better: at or under the target is full attainment, above it
    # target / actual.
    statement.add(
        "rollup",
        f"""
        SELECT period_id, unit_id, indicator_id, objective_id, weight, actual, target,
               CASE WHEN target IS NULL OR actual IS NULL THEN NULL
                    WHEN direction = '{HIGHER}' THEN
                        CASE WHEN target <= 0 OR actual >= target THEN 1.0
                             ELSE actual / target END
                    WHEN actual <= target THEN 1.0
                    ELSE target / actual END AS ratio
        FROM (
            SELECT a.period_id AS period_id, a.unit AS unit_id, a.ind AS indicator_id,
                   ind.objective_id AS objective_id, CAST(ind.weight AS {FLOAT}) AS weight,
                   a.direction AS direction, a.goal AS target,
                   CASE ind.rollup
                        WHEN '{rollup.SUM.value}' THEN a.run_sum
                        WHEN '{rollup.AVERAGE.value}' THEN a.run_sum / a.run_count
                        WHEN '{rollup.MAX.value}' THEN
                             CASE WHEN a.direction = '{HIGHER}' THEN a.run_best
                                  ELSE -a.run_best END
                        ELSE a.amount END AS actual
            FROM asof a JOIN {table(Indicator)} ind ON ind.id = a.ind
        ) with_actuals
        """,
    )
    return statement


def _weighted(ratio: str, weight: str) -> str:
    """SQL for the weighted mean of `ratio` over the rows that have one (NULL if none)."""
    return (
        f"SUM(CASE WHEN {ratio} IS NOT NULL THEN {weight} * {ratio} END)"
        f" / NULLIF(SUM(CASE WHEN {ratio} IS NOT NULL THEN {weight} END), 0)"
    )


def with_unit_figures(statement: Statement) -> Statement:
    """Add `unit_objective` (period_id, unit_id, objective_id, ratio: the weighted mean of the
    unit's indicators that have both a target and a value) and `unit_overall` (period_id,
    unit_id, ratio: the mean of its objectives, by objective weight)."""
    statement.add(
        "unit_objective",
        f"""
        SELECT period_id, unit_id, objective_id, {_weighted("ratio", "weight")} AS ratio
        FROM rollup
        GROUP BY period_id, unit_id, objective_id
        """,
    )
    statement.add(
        "unit_overall",
        f"""
        SELECT uo.period_id AS period_id, uo.unit_id AS unit_id,
               {_weighted("uo.ratio", f"CAST(o.weight AS {FLOAT})")} AS ratio
        FROM unit_objective uo JOIN {table(Objective)} o ON o.id = uo.objective_id
        GROUP BY uo.period_id, uo.unit_id
        """,
    )
    return statement


def with_sector_figures(statement: Statement) -> Statement:
    """Add `sector_figures` (period_id, kind, item_id, ratio, units) for the set of units.

    An indicator's attainment is the mean of the units that have a ratio for it (`units`
    says how many); an objective's is the weighted mean of its indicators' (the indicator
    weights); the overall attainment (kind "overall", item_id 0) is the mean of the
    objectives' by objective weight.
    """
    statement.add(
        "indicator_figures",
        """
        SELECT period_id, indicator_id, objective_id, MAX(weight) AS weight,
               AVG(ratio) AS ratio, COUNT(ratio) AS units
        FROM rollup
        GROUP BY period_id, indicator_id, objective_id
        """,
    )
    return with_objective_figures(statement)


def with_objective_figures(statement: Statement) -> Statement:
    """Add `objective_figures` and `sector_figures` (see `with_sector_figures`) on top of an
    `indicator_figures` CTE (period_id, indicator_id, objective_id, weight, ratio, units)."""
    statement.add(
        "objective_figures",
        f"""
        SELECT period_id, objective_id, {_weighted("ratio", "weight")} AS ratio
        FROM indicator_figures
        GROUP BY period_id, objective_id
        """,
    )
    statement.add(
        "sector_figures",
        f"""
        SELECT period_id, 'indicator' AS kind, indicator_id AS item_id, ratio, units
        FROM indicator_figures
        UNION ALL
        SELECT period_id, 'objective', objective_id, ratio, NULL FROM objective_figures
        UNION ALL
        SELECT f.period_id, 'overall', 0, {_weighted("f.ratio", f"CAST(o.weight AS {FLOAT})")},
               NULL
        FROM objective_figures f JOIN {table(Objective)} o ON o.id = f.objective_id
        GROUP BY f.period_id
        """,
    )
    return statement


def as_decimal(value) -> Decimal | None:
    """Amounts come back as Decimal from PostgreSQL and as float from SQLite."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def year_end_period(*, campaign: Campaign, year: int) -> ReportingPeriod | None:
    return campaign.periods.filter(starts_on__year=year).order_by("-starts_on").first()


def indicator_rollups(*, campaign: Campaign, year: int, unit_ids=None) -> list[dict]:
    """One row per unit × indicator for the year: unit_id, indicator_id, actual, target, ratio.

    The year's figures are those as of its last period; units are read whether or not they
    were still expected to report then (a unit closed mid-year keeps its figures). Read from
    the maintained year-end figures (one query).
    """
    from campaigns.models import YearFigure

    rows = YearFigure.objects.filter(campaign=campaign, year=year)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    rows = list(
        rows.order_by("unit_id", "indicator_id").values(
            "unit_id", "indicator_id", "actual", "target", "ratio"
        )
    )
    for row in rows:
        row["actual"], row["target"] = as_decimal(row["actual"]), as_decimal(row["target"])
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
    """Attainment per objective and indicator for one unit and year (three queries)."""
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
