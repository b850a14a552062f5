import pytest
from django.core.cache import cache

from campaigns.services.campaigns import campaign_enrol_units, campaign_generate_periods
from campaigns.services.reminders import reminders_sweep
from campaigns.services.reports import report_start
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
    # Small ballot keys and a cheap passphrase KDF: production uses 3072 bits and 2**17.
    settings.BALLOT_KEY_BITS = 512
    settings.BALLOT_SCRYPT_N = 2**8
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _accounts_relaxed(settings):
    """Two-factor enforcement and idle expiry off: tests sign in with force_login and move the
    clock; tests/accounts turn both on where they are tested."""
    settings.TWO_FACTOR_ENFORCED = False
    settings.SESSION_IDLE_MINUTES = 0
    settings.SESSION_COOKIE_AGE = 14 * 24 * 3600  # Django's default; journeys move the clock days
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False


@pytest.fixture
def redis_down(settings):
    """The production cache (config/cache.py) pointed at a Redis that is not there: nothing
    listens on port 1."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "KEY_PREFIX": "thidua",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


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
    """Uploaded files of a test go to its own folder, never to the project's var/."""
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

    return report_start(unit=unit, period=period, actor=None)


# --- Commendations -----------------------------------------------------------------------


@pytest.fixture
def catalogue(db) -> dict:
    """The award catalogue of the data migration, reloaded if a transactional test flushed it."""
    import importlib

    from django.apps import apps

    from awards.models import AwardType

    if not AwardType.objects.exists():
        migration = importlib.import_module("awards.migrations.0009_award_terms")
        migration.load_catalogue_now(apps)
    return {award.code: award for award in AwardType.objects.all()}


@pytest.fixture(autouse=True)
def _celery_eager_for_real():
    """Celery reads its configuration once, lazily: set eager mode on the app itself too, so
    no test can reach a broker by accident (the real-worker test switches it off explicitly)."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the reminder sweep on a given day, sending what it queues (eager) before returning."""

    from tests.campaigns.clock import at

    def run(day):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep()

    return run


# The small hand-built sector of the dashboard tests (tests/sector.py).
from tests.sector import october, sector, sector_cast  # noqa: E402, F401
