import pytest
from django.core.cache import cache

from campaigns.services import campaign_enrol_units, campaign_generate_periods
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    IndicatorFactory,
    MembershipFactory,
    ObjectiveFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Membership, Unit
from units.roles import BOARD_GROUP, SECRETARY_GROUP


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def ministry(db) -> Unit:
    return UnitFactory(code="bct", name="Bộ Công Thương", kind=Unit.Kind.MINISTRY)


@pytest.fixture
def unit(ministry) -> Unit:
    return UnitFactory(code="cuc-a", name="Cục A", parent=ministry)


@pytest.fixture
def sub_unit(unit) -> Unit:
    return UnitFactory(code="chi-cuc-a1", name="Chi cục A1", parent=unit, kind=Unit.Kind.ENTERPRISE)


@pytest.fixture
def other_unit(ministry) -> Unit:
    return UnitFactory(code="cuc-b", name="Cục B", parent=ministry)


@pytest.fixture
def campaign(ministry, unit, sub_unit, other_unit):
    campaign = CampaignFactory(code="pttd-test", launched_by=ministry)
    for number in (1, 2):
        objective = ObjectiveFactory(campaign=campaign, number=number)
        IndicatorFactory(objective=objective, code=f"ind-{number}-a")
        IndicatorFactory(objective=objective, code=f"ind-{number}-b")
    campaign_generate_periods(campaign=campaign)
    campaign_enrol_units(campaign=campaign, units=[unit, sub_unit, other_unit])
    return campaign


@pytest.fixture
def cast(unit, other_unit):
    """One user per role: the fixed cast every permission test walks through."""
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, unit=unit, role=Membership.Role.OFFICER)
    head = UserFactory(username="head")
    MembershipFactory(user=head, unit=unit, role=Membership.Role.HEAD)
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, unit=other_unit, role=Membership.Role.OFFICER)
    return {
        "officer": officer,
        "head": head,
        "outsider": outsider,
        "board": UserFactory(username="board", groups=[BOARD_GROUP]),
        "secretary": UserFactory(username="secretary", groups=[SECRETARY_GROUP], is_staff=True),
        "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today():
    """Freeze the clock on 10/05/2025 (Q1/2025 due 15/04, locks 15/05; Q2/2025 running)."""
    import datetime
    import zoneinfo

    import time_machine

    moment = datetime.datetime(2025, 5, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield moment.date()


@pytest.fixture
def period(campaign):
    return campaign.periods.get(label="Q1/2025")


@pytest.fixture
def report(campaign, unit, period, today):
    from campaigns.services import report_start

    return report_start(unit=unit, period=period, user=None)


# The small hand-built sector of the dashboard tests (tests/sector.py).
from tests.sector import october, sector, sector_cast  # noqa: E402, F401
