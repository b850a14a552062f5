import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign, IndicatorValue, Participation, ProgressReport, Registration
from units.models import Membership, Person, Unit, User


def _counts():
    return (
        Unit.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Campaign.objects.count(),
        Participation.objects.count(),
        ProgressReport.objects.count(),
        IndicatorValue.objects.count(),
        Registration.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_prints_one_login_per_role_and_can_run_twice():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    printed = out.getvalue()
    for username in [
        "quantri",
        "thuky",
        "hoidong1",
        "hoidong2",
        "truongdonvi",
        "canbo",
        "canbo.hanoi",
    ]:
        assert username in printed
        browser = Client()  # through the login page, as people sign in
        browser.post(reverse("login"), {"username": username, "password": "thidua-demo-2026"})
        assert "_auth_user_id" in browser.session, username
    head, officer = User.objects.get(username="truongdonvi"), User.objects.get(username="canbo")
    assert head.memberships.get().unit == officer.memberships.get().unit
    assert User.objects.get(username="canbo.hanoi").memberships.get().unit.code == "sct-ha-noi"


@pytest.mark.django_db
def test_demo_sector_has_every_kind_of_unit_grouped_in_blocs():
    call_command("seed_demo", stdout=io.StringIO())
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert kinds == set(Unit.Kind.values)
    provincial = Unit.objects.filter(kind=Unit.Kind.PROVINCIAL)
    assert not provincial.filter(bloc__isnull=True).exists()
    campaign = Campaign.objects.get()
    assert campaign.participations.filter(unit__kind=Unit.Kind.PROVINCIAL).count() == 86


@pytest.mark.django_db
def test_demo_has_reports_only_from_units_expected_in_their_period():
    call_command("seed_demo", stdout=io.StringIO())
    reports = ProgressReport.objects.select_related("unit", "period")
    assert reports.count() > 100
    assert reports.filter(late=True).exists() and reports.filter(late=False).exists()
    for report in reports:
        unit, period = report.unit, report.period
        assert unit.closed_on is None or unit.closed_on >= period.ends_on
        assert unit.opened_on is None or unit.opened_on <= period.ends_on


@pytest.mark.django_db
def test_seed_demo_on_a_database_not_migrated_says_to_migrate_and_writes_nothing(monkeypatch):
    from django.core.management.base import CommandError
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)])
    with pytest.raises(CommandError, match="migrate"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Unit.objects.exists()
