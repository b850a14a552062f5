"""The maintained figures always equal their recomputation from the raw values.

Hypothesis draws random sequences of the writes that change a figure — values saved, reports
submitted, accepted, returned and reopened through the services, a value corrected in the admin,
targets registered, units opened and closed, units joining and leaving the campaign, an
indicator's roll-up, direction or weight and an objective's weight changed in the admin — and
after each sequence every figure the dashboards read (reporting counts, sector attainment, each
unit's timeline, the year-end roll-ups the awards read) is compared with the oracle
(campaigns/selectors/figures_oracle.py), for the whole sector and for a subset of units.

Runs on SQLite, and on PostgreSQL with DATABASE_URL set (the PostgreSQL run is part of CI).
"""

from __future__ import annotations

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorFigure,
    IndicatorValue,
    Objective,
    Participation,
    PeriodFigure,
    ProgressReport,
    SectorFigure,
    UnitFigure,
)
from campaigns.selectors import dashboard, figures_oracle
from campaigns.selectors.attainment import indicator_rollups
from campaigns.services.campaigns import campaign_enrol_units, campaign_generate_periods
from campaigns.services.registrations import registration_save
from campaigns.services.reports import (
    indicator_value_save,
    report_accept,
    report_reopen,
    report_return,
    report_start,
    report_submit,
)
from tests.factories import (
    CampaignFactory,
    IndicatorFactory,
    ObjectiveFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Early January 2024: every period open; late June 2024: Q1/2024 late and locked.
MOMENTS = [
    datetime.datetime(2024, 1, 5, 9, 0, tzinfo=HANOI),
    datetime.datetime(2024, 6, 20, 9, 0, tzinfo=HANOI),
]
UNITS, PERIODS, INDICATORS, OBJECTIVES = 4, 8, 4, 2
DATES = st.sampled_from(
    [datetime.date(2024, 3, 31), datetime.date(2024, 8, 1), datetime.date(2025, 6, 30)]
)


@pytest.fixture
def world(db):
    ministry = UnitFactory(code="bo", kind=Unit.Kind.MINISTRY)
    units = [UnitFactory(code=f"u{i}", parent=ministry) for i in range(UNITS)]
    campaign = CampaignFactory(
        code="prop",
        launched_by=ministry,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    objectives = [ObjectiveFactory(campaign=campaign, number=n + 1) for n in range(OBJECTIVES)]
    indicators = [
        IndicatorFactory(
            objective=objectives[i % OBJECTIVES],
            code=f"prop-{i}",
            kind=Indicator.Kind.COUNT,
            rollup=["sum", "average", "last", "max"][i],
            direction="lower" if i == 3 else "higher",
        )
        for i in range(INDICATORS)
    ]
    campaign_generate_periods(campaign=campaign)
    campaign_enrol_units(campaign=campaign, units=units[:3])  # the fourth joins later, maybe
    return {
        "campaign": campaign.pk,
        "units": [unit.pk for unit in units],
        "periods": list(campaign.periods.order_by("starts_on").values_list("pk", flat=True)),
        "indicators": [indicator.pk for indicator in indicators],
        "objectives": [objective.pk for objective in objectives],
        "actor": UserFactory(),
    }


UNIT = st.integers(0, UNITS - 1)
PERIOD = st.integers(0, PERIODS - 1)
INDICATOR = st.integers(0, INDICATORS - 1)
AMOUNT = st.one_of(st.none(), st.integers(0, 120))
WRITE = st.one_of(
    st.tuples(st.just("value"), UNIT, PERIOD, INDICATOR, AMOUNT),
    st.tuples(st.just("submit"), UNIT, PERIOD),
    st.tuples(st.just("accept"), UNIT, PERIOD),
    st.tuples(st.just("return"), UNIT, PERIOD),
    st.tuples(st.just("reopen"), UNIT, PERIOD),
    st.tuples(st.just("admin value"), UNIT, PERIOD, INDICATOR, AMOUNT),
    st.tuples(st.just("target"), UNIT, st.sampled_from([2024, 2025]), INDICATOR, AMOUNT),
    st.tuples(st.just("open"), UNIT, st.one_of(st.none(), DATES)),
    st.tuples(st.just("close"), UNIT, st.one_of(st.none(), DATES)),
    st.tuples(st.just("join"), UNIT),
    st.tuples(st.just("leave"), UNIT),
    st.tuples(
        st.just("indicator"),
        INDICATOR,
        st.sampled_from(["sum", "average", "last", "max"]),
        st.sampled_from(["higher", "lower"]),
        st.integers(0, 3),
    ),
    st.tuples(st.just("objective"), st.integers(0, OBJECTIVES - 1), st.integers(0, 3)),
)


def apply(world: dict, write: tuple, late: bool) -> None:
    campaign = Campaign.objects.get(pk=world["campaign"])
    actor = world["actor"]
    kind, *args = write

    def report(unit_index: int, period_index: int) -> ProgressReport:
        return report_start(
            unit=Unit.objects.get(pk=world["units"][unit_index]),
            period=campaign.periods.get(pk=world["periods"][period_index]),
            actor=actor,
        )

    with time_machine.travel(MOMENTS[late], tick=False):
        try:
            with transaction.atomic():  # a refused write rolls back alone
                _write(world, campaign, actor, kind, args, report)
        except (ValidationError, IntegrityError):
            pass  # refused (wrong status, locked, closed before opened…): nothing changed


def _write(world, campaign, actor, kind, args, report) -> None:
    if kind == "value":
        unit, period, indicator, amount = args
        value = report(unit, period).values.get(indicator_id=world["indicators"][indicator])
        indicator_value_save(
            indicator_value=value,
            value=None if amount is None else Decimal(amount),
            version=value.version,
            actor=actor,
        )
    elif kind == "submit":
        report_submit(report=report(*args), actor=actor)
    elif kind == "accept":
        report_accept(report=report(*args), actor=actor)
    elif kind == "return":
        report_return(report=report(*args), actor=actor, reason="Sửa lại")
    elif kind == "reopen":
        report_reopen(report=report(*args), actor=actor, reason="Mở lại")
    elif kind == "admin value":
        unit, period, indicator, amount = args
        value = report(unit, period).values.get(indicator_id=world["indicators"][indicator])
        value.value = None if amount is None else Decimal(amount)
        value.save()
    elif kind == "target":
        unit, year, indicator, amount = args
        unit = Unit.objects.get(pk=world["units"][unit])
        registration_save(
            campaign=campaign,
            unit=unit,
            year=year,
            commitments="",
            target_title="",
            targets={world["indicators"][indicator]: None if amount is None else Decimal(amount)},
            actor=actor,
        )
    elif kind in ("open", "close"):
        unit, day = args
        unit = Unit.objects.get(pk=world["units"][unit])
        setattr(unit, f"{kind}ed_on" if kind == "open" else "closed_on", day)
        unit.save()
    elif kind == "join":
        campaign_enrol_units(
            campaign=campaign, units=[Unit.objects.get(pk=world["units"][args[0]])]
        )
    elif kind == "leave":
        for participation in Participation.objects.filter(
            campaign=campaign, unit_id=world["units"][args[0]]
        ):
            participation.delete()
    elif kind == "indicator":
        index, rollup, direction, weight = args
        indicator = Indicator.objects.get(pk=world["indicators"][index])
        indicator.rollup, indicator.direction = rollup, direction
        indicator.weight = Decimal(weight)
        indicator.save()
    elif kind == "objective":
        index, weight = args
        objective = Objective.objects.get(pk=world["objectives"][index])
        objective.weight = Decimal(weight)
        objective.save()


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-9


def _sans_none(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if value is not None}


def check(world: dict) -> None:
    campaign = Campaign.objects.get(pk=world["campaign"])
    periods = list(campaign.periods.order_by("starts_on"))
    check_sums(campaign, periods)
    for units in (Q(), Q(pk__in=world["units"][:2])):
        kept = dashboard.reporting_by_period(campaign=campaign, periods=periods, units=units)
        again = figures_oracle.reporting_by_period(campaign=campaign, periods=periods, units=units)
        for period in periods:
            a, b = kept[period.pk], again[period.pk]
            assert (a.expected, a.reported, a.late) == (b.expected, b.reported, b.late), period
        kept = dashboard.sector_figures(campaign=campaign, periods=periods, units=units)
        again = figures_oracle.sector_figures(campaign=campaign, periods=periods, units=units)
        for period in periods:
            a, b = kept[period.pk], again[period.pk]
            assert _close(a.overall, b.overall), period
            assert a.objectives.keys() == b.objectives.keys(), period
            for key in a.objectives:
                assert _close(a.objectives[key], b.objectives[key]), (period, key)
            assert a.indicators.keys() == b.indicators.keys(), period
            for key, (ratio, count) in a.indicators.items():
                assert count == b.indicators[key][1] and _close(ratio, b.indicators[key][0])
    again = figures_oracle.unit_cells(campaign=campaign, periods=periods)
    for unit_id in world["units"]:
        timeline = dashboard.unit_timeline(
            campaign=campaign, unit=Unit.objects.get(pk=unit_id), periods=periods
        )
        kept = {}
        for period in periods:
            kept[(period.pk, unit_id, None)] = timeline[period.pk].overall
            for objective_id, ratio in timeline[period.pk].objectives.items():
                kept[(period.pk, unit_id, objective_id)] = ratio
        expected = {key: ratio for key, ratio in again.items() if key[1] == unit_id}
        kept, expected = _sans_none(kept), _sans_none(expected)
        assert kept.keys() == expected.keys()
        assert all(_close(kept[key], expected[key]) for key in kept)
    for year in (2024, 2025):
        kept = indicator_rollups(campaign=campaign, year=year)
        again = figures_oracle.indicator_rollups(campaign=campaign, year=year)
        assert [(r["unit_id"], r["indicator_id"], r["actual"], r["target"]) for r in kept] == [
            (r["unit_id"], r["indicator_id"], r["actual"], r["target"]) for r in again
        ]
        assert all(_close(a["ratio"], b["ratio"]) for a, b in zip(kept, again, strict=True))


def check_sums(campaign: Campaign, periods: list) -> None:
    """The sector's sums are the sums of the unit rows: one PeriodFigure per period, and a
    SectorFigure per period × indicator with rows (a row emptied by subtraction holds zeros)."""
    counts = {
        row["period_id"]: (row["n"], row["r"], row["l"])
        for row in UnitFigure.objects.filter(campaign=campaign)
        .values("period_id")
        .annotate(
            n=Count("pk"),
            r=Count("pk", filter=Q(reported=True)),
            l=Count("pk", filter=Q(reported=True, late=True)),
        )
    }
    kept = {
        row[0]: row[1:]
        for row in PeriodFigure.objects.filter(campaign=campaign).values_list(
            "period_id", "expected", "reported", "late"
        )
    }
    assert kept == {period.pk: counts.get(period.pk, (0, 0, 0)) for period in periods}
    sums = {
        (row["period_id"], row["indicator_id"]): row
        for row in IndicatorFigure.objects.filter(campaign=campaign)
        .values("period_id", "indicator_id")
        .annotate(n=Count("pk"), r=Count("ratio"), s=Sum("ratio"))
    }
    for figure in SectorFigure.objects.filter(campaign=campaign):
        row = sums.pop((figure.period_id, figure.indicator_id), {"n": 0, "r": 0, "s": None})
        assert (figure.units, figure.rated) == (row["n"], row["r"]), figure
        assert _close(figure.ratio_sum, row["s"] or 0.0), figure
        if figure.rated == 0:
            assert figure.ratio_sum == 0, figure  # no leftover of float subtraction
    assert sums == {}, "unit rows missing from the sector's sums"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(st.tuples(WRITE, st.booleans()), min_size=1, max_size=14))
def test_maintained_figures_equal_their_recomputation(world, writes):
    with transaction.atomic():
        for write, late in writes:
            apply(world, write, late)
        check(world)
        transaction.set_rollback(True)  # the next example starts from the same world


def test_the_rebuild_writes_what_the_writes_maintained(world):
    for write in [
        ("target", 0, 2024, 0, 50),
        ("value", 0, 0, 0, 30),
        ("submit", 0, 0),
        ("value", 1, 1, 2, 7),
        ("submit", 1, 1),
        ("close", 1, datetime.date(2024, 8, 1)),
    ]:
        apply(world, write, late=False)
    before = sorted(UnitFigure.objects.values_list("period_id", "unit_id", "reported", "overall"))
    assert any(row[3] is not None for row in before)
    UnitFigure.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_figures", stdout=out)
    assert "rows/s" in out.getvalue()
    after = sorted(UnitFigure.objects.values_list("period_id", "unit_id", "reported", "overall"))
    assert after == before
    check(world)


def test_a_refused_write_changes_no_figure(world):
    apply(world, ("value", 0, 0, 0, 30), late=False)
    apply(world, ("submit", 0, 0), late=False)
    before = sorted(UnitFigure.objects.values_list("period_id", "unit_id", "reported", "overall"))
    report = ProgressReport.objects.get(unit_id=world["units"][0], period_id=world["periods"][0])
    with pytest.raises(ValidationError), time_machine.travel(MOMENTS[0], tick=False):
        report_submit(report=report, actor=world["actor"])  # already submitted
    assert (
        sorted(UnitFigure.objects.values_list("period_id", "unit_id", "reported", "overall"))
        == before
    )
    assert IndicatorValue.objects.filter(report=report, value=30).exists()


def test_a_deleted_unit_leaves_the_sector_sums(world):
    """A unit deleted in the admin takes its rows with it (cascade); the sums follow."""
    apply(world, ("value", 2, 0, 0, 30), late=False)
    apply(world, ("submit", 2, 0), late=False)
    apply(world, ("value", 0, 0, 0, 10), late=False)
    apply(world, ("submit", 0, 0), late=False)
    campaign = Campaign.objects.get(pk=world["campaign"])
    first = PeriodFigure.objects.get(period_id=world["periods"][0])
    assert (first.expected, first.reported) == (3, 2)
    unit = Unit.objects.get(pk=world["units"][1])  # expected, never reported
    ProgressReport.objects.filter(unit=unit).delete()
    unit.delete()
    first.refresh_from_db()
    assert (first.expected, first.reported) == (2, 2)
    world["units"].remove(world["units"][1])
    check(world)
    assert campaign.periods.count() == PERIODS


def test_a_drafts_autosave_maintains_nothing_its_submission_does(world):
    """A draft's values count in no figure: saving one writes no figure row; submitting the
    report maintains them (and a correction of a received report's value does too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    apply(world, ("target", 0, 2024, 0, 50), late=False)
    with CaptureQueriesContext(connection) as queries:
        apply(world, ("value", 0, 0, 0, 30), late=False)  # the report started, then a value
        apply(world, ("value", 0, 0, 1, 12), late=False)
    assert not [q for q in queries if "campaigns_indicatorfigure" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        apply(world, ("submit", 0, 0), late=False)
    assert [q for q in queries if "campaigns_indicatorfigure" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        apply(world, ("admin value", 0, 0, 0, 40), late=False)
    assert [q for q in queries if "campaigns_indicatorfigure" in q["sql"]]
    check(world)


@pytest.mark.django_db(transaction=True)
def test_a_batch_in_autocommit_maintains_in_a_transaction_of_its_own(world):
    """Data built outside any transaction (a script, a test's fixture) inside a figures_batch:
    the maintenance at its end runs in its own transaction (it locks the sums' rows)."""
    from campaigns.services.figures import figures_batch

    assert not transaction.get_connection().in_atomic_block
    with figures_batch():
        apply(world, ("target", 1, 2024, 0, 50), late=False)
        apply(world, ("value", 1, 0, 0, 25), late=False)
        apply(world, ("submit", 1, 0), late=False)
    assert PeriodFigure.objects.get(period_id=world["periods"][0]).reported == 1
    check(world)
