"""Keeping the dashboards' figures (campaigns/models/figures.py) equal to their recomputation.

Every write that changes a figure marks what it touched — a report (its unit × year), a
registration, a unit, a participation, or the whole campaign (an indicator's weight, roll-up or
direction, an objective's weight, a period's dates) — through the model signals wired in
`connect()`. Services run under `maintains_figures`: the marks are collected while the service
runs and the figures of the units × years they name are recomputed once at its end, inside the
service's transaction (a rolled-back service leaves the figures as they were). A write outside
any service (the admin, a shell) is maintained at once, in its own transaction.

Recomputing a unit × year is the roll-up of campaigns/selectors/attainment.py restricted to that
unit and the periods of that year, written with `INSERT … SELECT` (no round trip of rows
through Python): about ten statements, a few milliseconds. `figures_rebuild` runs the same
statements over every unit and period of a campaign.

The whole sector's sums (SectorFigure, PeriodFigure) follow the unit rows: what a refresh is
about to delete is subtracted from them, what it inserted is added, in the same transaction.
Concurrent writes for different units change the same sums; each first locks its periods'
PeriodFigure rows in period order, so they wait for each other instead of deadlocking, and
every change is a relative `UPDATE` that cannot lose another's.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorFigure,
    IndicatorValue,
    Objective,
    ObjectiveFigure,
    Participation,
    PeriodFigure,
    ProgressReport,
    Registration,
    ReportingPeriod,
    SectorFigure,
    Target,
    UnitFigure,
    YearFigure,
)
from campaigns.selectors.attainment import (
    FLOAT,
    RECEIVED,
    Sql,
    Statement,
    rollup_statement,
    table,
)
from campaigns.selectors.expected import EXPECTED_PERIOD, units_expected_in_periods
from units.models import Unit


def _weighted(ratio: str, weight: str) -> str:
    return (
        f"SUM(CASE WHEN {ratio} IS NOT NULL THEN {weight} * {ratio} END)"
        f" / NULLIF(SUM(CASE WHEN {ratio} IS NOT NULL THEN {weight} END), 0)"
    )


# --- the sector's sums ------------------------------------------------------------------------


@dataclass
class SectorSums:
    """Keeps SectorFigure and PeriodFigure equal to the sums of the unit rows of `period_ids`
    while those rows of `unit_ids` (every unit if None) are deleted and written again."""

    campaign_id: int
    period_ids: list[int]
    unit_ids: list[int] | None

    def _where(self, alias: str) -> tuple[str, list]:
        text = f"{alias}.period_id IN ({', '.join(['%s'] * len(self.period_ids))})"
        params = list(self.period_ids)
        if self.unit_ids is not None:
            text += f" AND {alias}.unit_id IN ({', '.join(['%s'] * len(self.unit_ids))})"
            params += self.unit_ids
        return text, params

    def _run(self, sql: str, params: list) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def before_delete(self) -> None:
        """Lock the periods' sums, then take away the rows about to be deleted (or, for every
        unit, drop the sums: they are written again whole)."""
        list(
            PeriodFigure.objects.select_for_update()
            .filter(period_id__in=self.period_ids)
            .order_by("period_id")
            .values_list("pk", flat=True)
        )
        if self.unit_ids is None:
            SectorFigure.objects.filter(period_id__in=self.period_ids).delete()
            PeriodFigure.objects.filter(period_id__in=self.period_ids).delete()
            return
        where, params = self._where("f")
        self._run(
            f"""
            UPDATE {table(SectorFigure)} AS s
            SET units = s.units - d.units, rated = s.rated - d.rated,
                ratio_sum = CASE WHEN s.rated = d.rated THEN 0
                                 ELSE s.ratio_sum - d.ratio_sum END
            FROM (SELECT f.period_id AS period_id, f.indicator_id AS indicator_id,
                         COUNT(*) AS units, COUNT(f.ratio) AS rated,
                         COALESCE(SUM(f.ratio), 0) AS ratio_sum
                  FROM {table(IndicatorFigure)} f WHERE {where}
                  GROUP BY f.period_id, f.indicator_id) d
            WHERE s.period_id = d.period_id AND s.indicator_id = d.indicator_id
            """,
            params,
        )
        self._run(
            f"""
            UPDATE {table(PeriodFigure)} AS s
            SET expected = s.expected - d.expected, reported = s.reported - d.reported,
                late = s.late - d.late
            FROM (SELECT f.period_id AS period_id, COUNT(*) AS expected,
                         SUM(CASE WHEN f.reported THEN 1 ELSE 0 END) AS reported,
                         SUM(CASE WHEN f.reported AND f.late THEN 1 ELSE 0 END) AS late
                  FROM {table(UnitFigure)} f WHERE {where} GROUP BY f.period_id) d
            WHERE s.period_id = d.period_id
            """,
            params,
        )

    def after_insert(self) -> None:
        """Add the rows just written (a period or indicator seen for the first time gets its
        row)."""
        where, params = self._where("f")
        sector, periods = table(SectorFigure), table(PeriodFigure)
        self._run(
            f"""
            INSERT INTO {sector} (campaign_id, period_id, indicator_id, objective_id, units,
                                  rated, ratio_sum)
            SELECT %s, f.period_id, f.indicator_id, MAX(f.objective_id), COUNT(*),
                   COUNT(f.ratio), COALESCE(SUM(f.ratio), 0)
            FROM {table(IndicatorFigure)} f WHERE {where}
            GROUP BY f.period_id, f.indicator_id
            ON CONFLICT (period_id, indicator_id) DO UPDATE
            SET units = {sector}.units + excluded.units,
                rated = {sector}.rated + excluded.rated,
                ratio_sum = {sector}.ratio_sum + excluded.ratio_sum
            """,
            [self.campaign_id, *params],
        )
        # Every period gets its row, counted from the unit rows (zero if nobody is expected).
        ids = ", ".join(["%s"] * len(self.period_ids))
        unit_filter, unit_params = "", []
        if self.unit_ids is not None:
            unit_filter = f" AND f.unit_id IN ({', '.join(['%s'] * len(self.unit_ids))})"
            unit_params = list(self.unit_ids)
        self._run(
            f"""
            INSERT INTO {periods} (campaign_id, period_id, expected, reported, late)
            SELECT %s, p.id, COUNT(f.id),
                   COALESCE(SUM(CASE WHEN f.reported THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN f.reported AND f.late THEN 1 ELSE 0 END), 0)
            FROM {table(ReportingPeriod)} p
            LEFT JOIN {table(UnitFigure)} f ON f.period_id = p.id{unit_filter}
            WHERE p.id IN ({ids})
            GROUP BY p.id
            ON CONFLICT (period_id) DO UPDATE
            SET expected = {periods}.expected + excluded.expected,
                reported = {periods}.reported + excluded.reported,
                late = {periods}.late + excluded.late
            """,
            [self.campaign_id, *unit_params, *self.period_ids],
        )


# --- recomputation ---------------------------------------------------------------------------


def figures_refresh(
    *, campaign: Campaign, years: Iterable[int] | None = None, unit_ids: list[int] | None = None
) -> int:
    """Recompute the figures of `unit_ids` (every unit if None) for `years` (every year if
    None) of the campaign, from the raw values; returns the number of rows written."""
    periods = list(campaign.periods.order_by("starts_on"))
    if years is not None:
        years = set(years)
        periods = [p for p in periods if p.starts_on.year in years]
    if not periods:
        return 0
    period_ids = [p.pk for p in periods]
    by_year: dict[int, ReportingPeriod] = {}
    for period in periods:
        by_year[period.starts_on.year] = period  # the year's last period wins
    units_q = Q(pk__in=unit_ids) if unit_ids is not None else Q()
    scope = Q(period_id__in=period_ids)
    if unit_ids is not None:
        scope &= Q(unit_id__in=unit_ids)
    sums = SectorSums(campaign_id=campaign.pk, period_ids=period_ids, unit_ids=unit_ids)
    sums.before_delete()
    for model in (IndicatorFigure, ObjectiveFigure, UnitFigure):
        model.objects.filter(scope).delete()
    year_scope = Q(campaign=campaign, year__in=list(by_year))
    if unit_ids is not None:
        year_scope &= Q(unit_id__in=unit_ids)
    YearFigure.objects.filter(year_scope).delete()
    written = 0

    # Unit × indicator as of each period, units expected then only (the dashboards' figures).
    statement = rollup_statement(
        campaign=campaign, periods=periods, units=units_q, unit_ids=unit_ids
    )
    written += statement.execute(
        f"INSERT INTO {table(IndicatorFigure)} (campaign_id, period_id, unit_id, indicator_id, "
        "objective_id, actual, target, ratio) "
        "SELECT %s, period_id, unit_id, indicator_id, objective_id, actual, target, ratio "
        "FROM rollup",
        [campaign.pk],
    )

    # Unit × objective: the weighted mean of its indicators (those with a ratio).
    unit_filter, unit_params = "", []
    if unit_ids is not None:
        unit_filter = f" AND f.unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        unit_params = list(unit_ids)
    placeholders = ", ".join(["%s"] * len(period_ids))
    objective_statement = Statement()
    objective_statement.add(
        "f",
        f"""
        SELECT f.period_id, f.unit_id, f.objective_id, f.ratio,
               CAST(i.weight AS {FLOAT}) AS weight
        FROM {table(IndicatorFigure)} f JOIN {table(Indicator)} i ON i.id = f.indicator_id
        WHERE f.period_id IN ({placeholders}){unit_filter}
        """,
        period_ids + unit_params,
    )
    written += objective_statement.execute(
        f"INSERT INTO {table(ObjectiveFigure)} (campaign_id, period_id, unit_id, objective_id, "
        f"ratio) SELECT %s, period_id, unit_id, objective_id, {_weighted('ratio', 'weight')} "
        "FROM f GROUP BY period_id, unit_id, objective_id",
        [campaign.pk],
    )

    # Unit × period for every unit expected then: reported, late, overall attainment.
    unit_statement = Statement()
    unit_statement.add(
        "ex",
        Sql.of(
            units_expected_in_periods(
                campaign=campaign, period_ids=period_ids, units=units_q
            ).values(ex_unit=F("pk"), ex_period=F(EXPECTED_PERIOD))
        ),
    )
    expected_rows = unit_statement.execute(
        f"""
        INSERT INTO {table(UnitFigure)} (campaign_id, period_id, unit_id, reported, late, overall)
        SELECT %s, ex.ex_period, ex.ex_unit,
               CASE WHEN r.first_submitted_at IS NULL THEN FALSE ELSE TRUE END,
               CASE WHEN r.first_submitted_at IS NOT NULL AND r.late THEN TRUE ELSE FALSE END,
               (SELECT {_weighted("o.ratio", f"CAST(obj.weight AS {FLOAT})")}
                FROM {table(ObjectiveFigure)} o JOIN {table(Objective)} obj
                     ON obj.id = o.objective_id
                WHERE o.period_id = ex.ex_period AND o.unit_id = ex.ex_unit)
        FROM ex LEFT JOIN {table(ProgressReport)} r
             ON r.unit_id = ex.ex_unit AND r.period_id = ex.ex_period
        """,
        [campaign.pk],
    )
    written += expected_rows
    sums.after_insert()

    # Year-end unit × indicator, whether or not the unit was still expected then. Units
    # expected in every period refreshed (a report's own unit, nearly always) have them already:
    # their rows as of the year's last period, where nothing was left out for not being expected.
    expected_throughout = unit_ids is not None and expected_rows == len(unit_ids) * len(periods)
    for year, period in by_year.items():
        if expected_throughout:
            written += _year_end_from_rows(
                campaign=campaign, year=year, period=period, units=unit_ids
            )
            continue
        statement = rollup_statement(
            campaign=campaign,
            periods=[period],
            units=units_q,
            unit_ids=unit_ids,
            expected_only=False,
        )
        written += statement.execute(
            f"INSERT INTO {table(YearFigure)} (campaign_id, year, unit_id, indicator_id, actual, "
            "target, ratio) SELECT %s, %s, unit_id, indicator_id, actual, target, ratio "
            "FROM rollup",
            [campaign.pk, year],
        )
    return written


def _year_end_from_rows(*, campaign: Campaign, year: int, period, units: list[int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(YearFigure)} (campaign_id, year, unit_id, indicator_id, actual, "
            "target, ratio) SELECT campaign_id, %s, unit_id, indicator_id, actual, target, ratio "
            f"FROM {table(IndicatorFigure)} WHERE period_id = %s "
            f"AND unit_id IN ({', '.join(['%s'] * len(units))})",
            [year, period.pk, *units],
        )
        return cursor.rowcount


def figures_rebuild(*, campaign: Campaign) -> int:
    """Every figure of the campaign recomputed from scratch; returns the rows written."""
    with transaction.atomic():
        for model in (
            IndicatorFigure,
            ObjectiveFigure,
            UnitFigure,
            YearFigure,
            SectorFigure,
            PeriodFigure,
        ):
            model.objects.filter(campaign=campaign).delete()
        return figures_refresh(campaign=campaign)


# --- what changed ----------------------------------------------------------------------------


@dataclass
class Pending:
    """What the writes of one service touched, resolved to units × years when it ends."""

    reports: set[int] = field(default_factory=set)  # report ids (a value changed)
    period_units: set[tuple[int, int]] = field(default_factory=set)  # (period, unit)
    unit_years: set[tuple[int, int, int]] = field(default_factory=set)  # (campaign, unit, year)
    unit_campaigns: set[tuple[int, int]] = field(default_factory=set)  # (campaign, unit)
    units: set[int] = field(default_factory=set)
    objectives: set[int] = field(default_factory=set)
    campaigns: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return any(vars(self).values())


_local = threading.local()


def _pending() -> Pending | None:
    return getattr(_local, "pending", None)


@contextmanager
def figures_batch():
    """Collect the marks of the writes inside, and maintain their figures once at the end
    (nested batches join the outer one; nothing is maintained if the block raises)."""
    if _pending() is not None:
        yield
        return
    _local.pending = Pending()
    try:
        yield
        pending = _local.pending
    finally:
        _local.pending = None
    # In the caller's transaction (a service's), or in one of its own when the batch ran in
    # autocommit (a script, a test building data): the sums' rows are locked for the update.
    with transaction.atomic(savepoint=False):
        _flush(pending)


def maintains_figures(function):
    """Decorate a service (under its @transaction.atomic) so that its writes' figures are
    maintained once, at its end, in its transaction."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with figures_batch():
            return function(*args, **kwargs)

    return wrapper


def _mark(**items) -> None:
    pending = _pending()
    standalone = pending is None
    if standalone:
        pending = Pending()
    for name, values in items.items():
        getattr(pending, name).update(values)
    if standalone:
        with transaction.atomic():
            _flush(pending)


def figures_changed_for(*, campaign: Campaign, unit_ids: Iterable[int]) -> None:
    """Mark units whose participation in the campaign changed in bulk (no signal is sent)."""
    _mark(unit_campaigns={(campaign.pk, unit_id) for unit_id in unit_ids})


def _flush(pending: Pending) -> None:
    if not pending:
        return
    _local.pending = Pending()  # what the maintenance itself writes is not marked again
    try:
        _maintain(pending)
    finally:
        _local.pending = None


def _maintain(pending: Pending) -> None:
    campaigns = set(pending.campaigns)
    if pending.objectives:
        campaigns |= set(
            Objective.objects.filter(pk__in=pending.objectives).values_list(
                "campaign_id", flat=True
            )
        )
    unit_years = set(pending.unit_years)
    period_units = set(pending.period_units)
    if pending.reports:
        reports = ProgressReport.objects.filter(pk__in=pending.reports)
        period_units |= set(reports.values_list("period_id", "unit_id"))
    if period_units:
        periods = {
            pk: (campaign_id, starts_on.year)
            for pk, campaign_id, starts_on in ReportingPeriod.objects.filter(
                pk__in={p for p, _u in period_units}
            ).values_list("pk", "campaign_id", "starts_on")
        }
        unit_years |= {(periods[p][0], u, periods[p][1]) for p, u in period_units if p in periods}
    unit_campaigns = set(pending.unit_campaigns)
    if pending.units:
        unit_campaigns |= set(
            Participation.objects.filter(unit__in=pending.units).values_list(
                "campaign_id", "unit_id"
            )
        )
    # The whole campaign covers its units; a unit's every year covers its single years.
    unit_campaigns = {(c, u) for c, u in unit_campaigns if c not in campaigns}
    unit_years = {
        (c, u, y) for c, u, y in unit_years if c not in campaigns and (c, u) not in unit_campaigns
    }
    needed = campaigns | {c for c, _u in unit_campaigns} | {c for c, _u, _y in unit_years}
    # The campaign is only named in filters: no need to read it (a deleted one has no periods).
    by_pk = {pk: Campaign(pk=pk) for pk in needed}
    for pk in campaigns:
        if pk in by_pk:
            figures_refresh(campaign=by_pk[pk])
    per_campaign: dict[int, list[int]] = defaultdict(list)
    for c, u in unit_campaigns:
        per_campaign[c].append(u)
    for c, units in per_campaign.items():
        if c in by_pk:
            figures_refresh(campaign=by_pk[c], unit_ids=sorted(units))
    per_year: dict[tuple[int, int], list[int]] = defaultdict(list)
    for c, u, y in unit_years:
        per_year[(c, y)].append(u)
    for (c, y), units in per_year.items():
        if c in by_pk:
            figures_refresh(campaign=by_pk[c], years=[y], unit_ids=sorted(units))


# --- the signals (every write, whoever makes it) ----------------------------------------------


def _on_report(sender, instance: ProgressReport, created: bool = False, **kwargs) -> None:
    if created and instance.status not in RECEIVED and instance.first_submitted_at is None:
        return  # a new draft counts nowhere yet
    _mark(period_units={(instance.period_id, instance.unit_id)})


def _on_value(sender, instance: IndicatorValue, **kwargs) -> None:
    # Only received reports count: the autosave of a draft's values changes no figure (its
    # submission, a status change, marks the report).
    report = instance._state.fields_cache.get("report")  # loaded (and locked) by the service
    status = (
        report.status
        if report is not None
        else ProgressReport.objects.filter(pk=instance.report_id)
        .values_list("status", flat=True)
        .first()
    )
    if status is None or status in RECEIVED:
        _mark(reports={instance.report_id})


def _on_registration(sender, instance: Registration, **kwargs) -> None:
    _mark(unit_years={(instance.campaign_id, instance.unit_id, instance.year)})


def _on_target(sender, instance: Target, **kwargs) -> None:
    registration = (
        Registration.objects.filter(pk=instance.registration_id)
        .values_list("campaign_id", "unit_id", "year")
        .first()
    )
    if registration is not None:
        _mark(unit_years={registration})


def _before_unit_save(sender, instance: Unit, raw: bool = False, **kwargs) -> None:
    """Note whether the unit's opening or closing date changes (only those move figures)."""
    if instance._state.adding or instance.pk is None:
        return
    before = Unit.objects.filter(pk=instance.pk).values_list("opened_on", "closed_on").first()
    instance._figures_dates_changed = before != (instance.opened_on, instance.closed_on)


def _on_unit(sender, instance: Unit, created: bool = False, **kwargs) -> None:
    # A new unit takes part in nothing yet; a deleted one takes its figures with it (cascade).
    if created or kwargs.get("signal") is post_delete:
        return
    if getattr(instance, "_figures_dates_changed", False):
        instance._figures_dates_changed = False
        _mark(units={instance.pk})


def _before_unit_delete(sender, instance: Unit, **kwargs) -> None:
    """A deleted unit's rows go with it (Django cascades): take them out of the sector's sums
    first, in the deletion's transaction."""
    campaign_ids = set(
        UnitFigure.objects.filter(unit_id=instance.pk).values_list("campaign_id", flat=True)
    )
    for campaign_id in sorted(campaign_ids):
        period_ids = list(
            ReportingPeriod.objects.filter(campaign_id=campaign_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        SectorSums(
            campaign_id=campaign_id, period_ids=period_ids, unit_ids=[instance.pk]
        ).before_delete()
        for model in (IndicatorFigure, ObjectiveFigure, UnitFigure):
            model.objects.filter(unit_id=instance.pk, period_id__in=period_ids).delete()


def _on_participation(sender, instance: Participation, **kwargs) -> None:
    _mark(unit_campaigns={(instance.campaign_id, instance.unit_id)})


def _on_objective(sender, instance: Objective, **kwargs) -> None:
    _mark(campaigns={instance.campaign_id})


def _on_indicator(sender, instance: Indicator, **kwargs) -> None:
    _mark(objectives={instance.objective_id})


def _on_period(sender, instance: ReportingPeriod, **kwargs) -> None:
    _mark(campaigns={instance.campaign_id})


RECEIVERS = [
    (ProgressReport, _on_report),
    (IndicatorValue, _on_value),
    (Registration, _on_registration),
    (Target, _on_target),
    (Unit, _on_unit),
    (Participation, _on_participation),
    (Objective, _on_objective),
    (Indicator, _on_indicator),
    (ReportingPeriod, _on_period),
]


def connect() -> None:
    for model, receiver in RECEIVERS:
        uid = f"figures:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ":delete")
    pre_save.connect(_before_unit_save, sender=Unit, dispatch_uid="figures:units.Unit:before")
    pre_delete.connect(
        _before_unit_delete, sender=Unit, dispatch_uid="figures:units.Unit:before-delete"
    )
