"""A small hand-built sector for the dashboard tests; the right answers are in the tests.

Campaign 2025 with quarterly periods; objective 1 (weight 1): i1a sum, i1b latest; objective 2
(weight 2): i2a average (weight 3), i2b best period, lower is better. Units, all participating:

    Alpha    agency, bloc "khoi-a", Hà Nội, reports every quarter
      Delta  enterprise under Alpha, Hà Nội: draft in Q1, late and then returned in Q2
    Bravo    provincial, bloc "cum-b", Hà Giang, closed 30/06/2025 (still reports in Q3!)
    Charlie  provincial, bloc "cum-b", Tuyên Quang, opened 01/07/2025, late in Q3
    Echo     agency, bloc "khoi-a", Hà Nội, never reports

Today is 20/10/2025: Q1–Q3 have ended, Q3 was due 15/10/2025.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest

from campaigns.models import (
    Indicator,
    IndicatorValue,
    ProgressReport,
    Registration,
    Target,
)
from campaigns.services.campaigns import campaign_enrol_units, campaign_generate_periods
from campaigns.services.figures import figures_batch
from tests.factories import (
    BlocFactory,
    CampaignFactory,
    IndicatorFactory,
    MembershipFactory,
    ObjectiveFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Membership, Unit

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.datetime(2025, 10, 20, 9, 0, tzinfo=TZ)


@dataclass
class Sector:
    campaign: object
    units: dict
    indicators: dict
    objectives: dict
    periods: dict
    reports: dict


TARGETS = {  # unit → indicator → 2025 target
    "alpha": {"i1a": 200, "i1b": 100, "i2a": 100, "i2b": 5},
    "bravo": {"i1a": 50, "i1b": 50, "i2a": 50, "i2b": 5},
    "charlie": {"i1a": 40, "i1b": 100, "i2a": 80},  # no target for i2b
    "delta": {"i1a": 20, "i1b": 20, "i2a": 20, "i2b": 20},
}

# (unit, period) → status, day first submitted (or None), late, values of i1a, i1b, i2a, i2b
# (None leaves a value empty).
REPORTS = {
    ("alpha", "Q1/2025"): ("accepted", (2025, 4, 10), False, (30, 60, 80, 12)),
    ("alpha", "Q2/2025"): ("accepted", (2025, 7, 14), False, (30, None, 100, 8)),
    ("alpha", "Q3/2025"): ("submitted", (2025, 10, 15), False, (50, 90, 90, None)),
    ("bravo", "Q1/2025"): ("submitted", (2025, 4, 20), True, (10, 40, 50, 10)),
    ("bravo", "Q2/2025"): ("submitted", (2025, 7, 1), False, (20, 45, 40, 4)),
    ("bravo", "Q3/2025"): ("submitted", (2025, 10, 1), False, (999, 999, 999, 0)),
    ("charlie", "Q3/2025"): ("accepted", (2025, 10, 18), True, (60, 50, 40, 3)),
    ("delta", "Q1/2025"): ("draft", None, False, (500, 500, 500, 0)),
    ("delta", "Q2/2025"): ("returned", (2025, 7, 20), True, (500, 500, 500, 0)),
}
VALUE_ORDER = ("i1a", "i1b", "i2a", "i2b")


@pytest.fixture
def sector(db) -> Sector:
    ministry = UnitFactory(code="bo", name="Ministry", kind=Unit.Kind.MINISTRY)
    bloc_a = BlocFactory(code="khoi-a", name="Khối A")
    bloc_b = BlocFactory(code="cum-b", name="Cụm B")
    units = {
        "alpha": UnitFactory(
            code="alpha", name="Alpha", parent=ministry, bloc=bloc_a, province="Hà Nội"
        ),
        "bravo": UnitFactory(
            code="bravo",
            name="Bravo",
            parent=ministry,
            kind=Unit.Kind.PROVINCIAL,
            bloc=bloc_b,
            province="Hà Giang",
            closed_on=datetime.date(2025, 6, 30),
        ),
        "charlie": UnitFactory(
            code="charlie",
            name="Charlie",
            parent=ministry,
            kind=Unit.Kind.PROVINCIAL,
            bloc=bloc_b,
            province="Tuyên Quang",
            opened_on=datetime.date(2025, 7, 1),
        ),
        "echo": UnitFactory(
            code="echo", name="Echo", parent=ministry, bloc=bloc_a, province="Hà Nội"
        ),
    }
    units["delta"] = UnitFactory(
        code="delta",
        name="Delta",
        parent=units["alpha"],
        kind=Unit.Kind.ENTERPRISE,
        bloc=bloc_a,
        province="Hà Nội",
    )
    campaign = CampaignFactory(
        code="pttd-2025",
        launched_by=ministry,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        launched_on=datetime.date(2025, 1, 1),
    )
    objectives = {
        1: ObjectiveFactory(campaign=campaign, number=1, title="Học tập", weight=Decimal("1")),
        2: ObjectiveFactory(campaign=campaign, number=2, title="Cải cách", weight=Decimal("2")),
    }
    indicators = {
        "i1a": IndicatorFactory(
            objective=objectives[1], code="i1a", kind="count", rollup="sum", order=1
        ),
        "i1b": IndicatorFactory(objective=objectives[1], code="i1b", rollup="last", order=2),
        "i2a": IndicatorFactory(
            objective=objectives[2], code="i2a", rollup="average", weight=Decimal("3"), order=1
        ),
        "i2b": IndicatorFactory(
            objective=objectives[2],
            code="i2b",
            rollup="max",
            direction=Indicator.Direction.LOWER,
            order=2,
        ),
    }
    # Written row by row outside the services: the dashboards' figures are maintained once, at
    # the end of the block, as a service does (campaigns/services/figures.py).
    with figures_batch():
        periods = {period.label: period for period in campaign_generate_periods(campaign=campaign)}
        campaign_enrol_units(campaign=campaign, units=list(units.values()))
        for code, targets in TARGETS.items():
            registration = Registration.objects.create(
                campaign=campaign, unit=units[code], year=2025
            )
            for key, value in targets.items():
                Target.objects.create(
                    registration=registration, indicator=indicators[key], value=Decimal(value)
                )
        reports = {}
        for (code, label), (status, day, late, values) in REPORTS.items():
            submitted = datetime.datetime(*day, 9, 0, tzinfo=TZ) if day else None
            report = ProgressReport.objects.create(
                unit=units[code],
                period=periods[label],
                status=status,
                first_submitted_at=submitted,
                submitted_at=submitted,
                late=late,
            )
            for key, value in zip(VALUE_ORDER, values, strict=True):
                IndicatorValue.objects.create(
                    report=report,
                    indicator=indicators[key],
                    value=None if value is None else Decimal(value),
                )
            reports[(code, label)] = report
    return Sector(campaign, units, indicators, objectives, periods, reports)


@pytest.fixture
def october(sector):
    import time_machine

    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


@pytest.fixture
def sector_cast(sector):
    """Users around the small sector: the head of Alpha (sees Alpha and Delta), an officer of
    Alpha (no dashboard), and a board member (sees everything)."""
    head = UserFactory(username="head-alpha")
    MembershipFactory(user=head, unit=sector.units["alpha"], role=Membership.Role.HEAD)
    officer = UserFactory(username="officer-alpha")
    MembershipFactory(user=officer, unit=sector.units["alpha"], role=Membership.Role.OFFICER)
    from units.roles import BOARD_GROUP

    board = UserFactory(username="board-member", groups=[BOARD_GROUP])
    return {"head": head, "officer": officer, "board": board}
