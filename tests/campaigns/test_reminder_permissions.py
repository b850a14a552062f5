"""Every URL of the reminders feature, for every role and for anonymous visitors.

Codes: 200 page or fragment, 302 redirect after a step, 403 known object but not allowed,
404 not for this user (ids cannot be probed), "login" anonymous sent to the login page.
"""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from units.models import Membership
from units.services import notify

pytestmark = pytest.mark.django_db

ROLES = ["officer", "head", "parent_head", "outsider", "board", "secretary", "admin", "anonymous"]
SIGNED_IN = {role: 200 for role in ROLES} | {"anonymous": "login"}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def users(cast, ministry):
    parent_head = UserFactory(username="parent_head")
    MembershipFactory(user=parent_head, unit=ministry, role=Membership.Role.HEAD)
    return {**cast, "parent_head": parent_head}


def _client(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _check(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_notifications_page(client, users, role):
    _check(_client(client, users, role).get(reverse("me:notifications")), SIGNED_IN[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_bell(client, users, role):
    response = _client(client, users, role).get(
        reverse("me:notifications"), headers={**HTMX, "HX-Target": "notification-bell"}
    )
    _check(response, {**SIGNED_IN, "anonymous": 286}[role])


@pytest.mark.parametrize("role", ROLES)
def test_mark_my_notification_read_only_mine(client, users, role):
    # Every notification belongs to the officer: only the officer may mark it.
    notification = notify(recipient=users["officer"], message="Nhắc")
    expected = {role: 404 for role in ROLES} | {"officer": 302, "anonymous": "login"}
    url = reverse("me:notification_read", args=[notification.pk])
    _check(_client(client, users, role).post(url), expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_mark_all_read(client, users, role):
    expected = {role: 302 for role in ROLES} | {"anonymous": "login"}
    _check(_client(client, users, role).post(reverse("me:notifications_read_all")), expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_preferences(client, users, role):
    c = _client(client, users, role)
    _check(c.get(reverse("me:preferences")), SIGNED_IN[role])
    expected = {role: 302 for role in ROLES} | {"anonymous": "login"}
    _check(c.post(reverse("me:preferences"), {"language": "vi"}), expected[role])


FOLLOW_UP_READERS = {
    "officer": 404,
    "head": 404,
    "parent_head": 404,
    "outsider": 404,
    "board": 200,
    "secretary": 200,
    "admin": 200,
    "anonymous": "login",
}


@pytest.mark.parametrize("role", ROLES)
def test_follow_up_page(client, users, campaign, today, role):
    url = reverse("campaigns:follow_up", args=[campaign.code])
    _check(_client(client, users, role).get(url), FOLLOW_UP_READERS[role])


@pytest.mark.parametrize("role", ROLES)
def test_send_reminder_now(client, users, campaign, today, role):
    period = campaign.periods.get(label="Q1/2025")
    url = reverse("campaigns:nudge", args=[campaign.code, period.pk])
    expected = {**FOLLOW_UP_READERS, "board": 403, "admin": 403, "secretary": 302}
    response = _client(client, users, role).post(url, {"unit": "cuc-a", "batch": "e" * 32})
    _check(response, expected[role])


@pytest.mark.parametrize(
    ("url_name", "args", "method"),
    [
        ("me:notifications", [], "post"),
        ("me:notifications_read_all", [], "get"),
        ("me:notification_read", [1], "get"),
        ("me:preferences", [], "put"),
        ("campaigns:follow_up", ["pttd-test"], "post"),
        ("campaigns:nudge", ["pttd-test", 1], "get"),
    ],
)
def test_wrong_method_is_refused(client, users, campaign, url_name, args, method):
    client.force_login(users["secretary"])
    assert getattr(client, method)(reverse(url_name, args=args)).status_code == 405


def test_the_reminder_admin_is_read_by_the_secretary_and_closed_to_units(client, users):
    client.force_login(users["secretary"])
    assert client.get("/admin/campaigns/reminder/").status_code == 200
    assert client.get("/admin/units/notification/").status_code == 200
    client.force_login(users["officer"])
    assert client.get("/admin/campaigns/reminder/").status_code == 302
