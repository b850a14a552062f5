"""Sessions end when idle, when the user is deactivated or loses their last membership; the
sign-in log records what happened; a unit head manages the officers of their own unit only."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import SignInEvent
from tests.accounts.helpers import sign_in
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return client.get(reverse("me:preferences")).status_code == 200


def test_deactivating_a_user_ends_their_sessions_at_once(client, cast, password):
    other = Client()
    sign_in(client, "officer", password)
    sign_in(other, "officer", password)
    assert _signed_in(client) and _signed_in(other)
    user = cast["officer"]
    user.is_active = False
    user.save()
    assert not _signed_in(client) and not _signed_in(other)
    assert SignInEvent.objects.filter(kind="sessions_ended", user=user).exists()


def test_removing_the_last_membership_ends_the_sessions(client, cast, password, other_unit):
    MembershipFactory(user=cast["officer"], unit=other_unit)
    sign_in(client, "officer", password)
    Membership.objects.filter(user=cast["officer"], unit=other_unit).delete()
    assert _signed_in(client)  # one membership left
    Membership.objects.filter(user=cast["officer"]).delete()
    assert not _signed_in(client)


def test_a_session_ends_after_the_idle_minutes_and_activity_renews_it(client, cast, password):
    now = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(now, tick=False):
        sign_in(client, "officer", password)
    with time_machine.travel(now + datetime.timedelta(minutes=20), tick=False):
        assert _signed_in(client)  # activity at 20 minutes renews the 30
    with time_machine.travel(now + datetime.timedelta(minutes=45), tick=False):
        assert _signed_in(client)
    with time_machine.travel(now + datetime.timedelta(minutes=80), tick=False):
        assert not _signed_in(client)


def test_the_sign_in_log_records_sign_in_failure_lockout_and_sign_out(
    client, cast, password, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    client.post(reverse("login"), {"username": "head", "password": password}, **meta)
    client.post(reverse("logout"), **meta)
    client.post(reverse("login"), {"username": "officer", "password": "wrong"}, **meta)
    client.post(reverse("login"), {"username": "officer", "password": "wrong"}, **meta)
    rows = list(SignInEvent.objects.order_by("id").values_list("kind", "username", "address"))
    assert rows[:2] == [("sign_in", "head", "203.0.113.9"), ("sign_out", "head", "203.0.113.9")]
    kinds = [kind for kind, *_ in rows[2:]]
    assert kinds.count("failure") >= 1 and "lockout" in kinds


def test_the_sign_in_log_is_read_only_in_the_admin(client, cast, settings):
    settings.TWO_FACTOR_ENFORCED = False
    client.force_login(cast["admin"])
    assert (
        client.get(reverse("admin:accounts_signinevent_changelist") + "?kind=sign_in").status_code
        == 200
    )
    assert client.get(reverse("admin:accounts_signinevent_add")).status_code == 403


# --- A unit head's officers -------------------------------------------------------------------


def test_a_head_adds_a_new_officer_who_is_invited(
    client, cast, unit, django_capture_on_commit_callbacks
):
    client.force_login(cast["head"])
    url = reverse("accounts:unit_officers", args=[unit.code])
    assert (
        reverse("accounts:unit_officers", args=[unit.code])
        in client.get(reverse("units:detail", args=[unit.code])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"username": "hoa", "full_name": "Lê Thị Hoa", "email": "hoa@example.gov.vn"}
        )
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="hoa", unit=unit, role="officer").exists()
    assert [m.to for m in mail.outbox] == [["hoa@example.gov.vn"]]
    mail.outbox.clear()
    hoa = Membership.objects.get(user__username="hoa").user
    client.post(reverse("accounts:officer_invite", args=[unit.code, hoa.pk]))
    assert [m.to for m in mail.outbox] == [["hoa@example.gov.vn"]]  # sent again


def test_a_new_officer_without_an_email_is_refused_and_nothing_is_made(client, cast, unit):
    client.force_login(cast["head"])
    url = reverse("accounts:unit_officers", args=[unit.code])
    response = client.post(url, {"username": "hoa", "full_name": "Hoa", "email": ""})
    assert response.status_code == 422
    assert not Membership.objects.filter(user__username="hoa").exists()


def test_a_head_removes_an_officer_but_not_a_head(client, cast, unit):
    client.force_login(cast["head"])
    officer, head = cast["officer"], cast["head"]
    remove = "accounts:officer_remove"
    assert client.post(reverse(remove, args=[unit.code, head.pk])).status_code == 404
    assert client.post(reverse(remove, args=[unit.code, officer.pk])).status_code == 302
    assert not Membership.objects.filter(user=officer, unit=unit).exists()
    assert Membership.objects.filter(user=head, unit=unit, role="head").exists()


@pytest.mark.parametrize("who", ["officer", "outsider", "board"])
def test_others_get_404_for_the_officers_of_a_unit(client, cast, unit, who, settings):
    settings.TWO_FACTOR_ENFORCED = False  # the board member's second factor is not the point
    client.force_login(cast[who])
    assert client.get(reverse("accounts:unit_officers", args=[unit.code])).status_code == 404
    response = client.post(reverse("accounts:officer_remove", args=[unit.code, cast["officer"].pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(user=cast["officer"], unit=unit).exists()


def test_a_head_cannot_manage_another_units_officers(client, cast, other_unit):
    client.force_login(cast["head"])
    url = reverse("accounts:unit_officers", args=[other_unit.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"username": "x", "email": "x@example.gov.vn"}).status_code == 404
    assert not UserFactory._meta.model.objects.filter(username="x").exists()


def test_the_officers_page_in_few_queries(client, cast, unit, django_assert_max_num_queries):
    for number in range(5):
        MembershipFactory(unit=unit, user=UserFactory(username=f"o{number}"))
    client.force_login(cast["head"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:unit_officers", args=[unit.code])).status_code == 200
