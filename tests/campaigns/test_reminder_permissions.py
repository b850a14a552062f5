"""Every URL of the reminders feature, for every role and for anonymous visitors.

Codes: 200 page or fragment, 302 redirect after a step, 403 known object but not allowed,
404 not for this user (ids cannot be probed), "login" anonymous sent to the login page.
"""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_status, client_as
from units.models import Membership

pytestmark = pytest.mark.django_db

ROLES = ["officer", "head", "parent_head", "outsider", "board", "secretary", "admin", "anonymous"]
SIGNED_IN = {role: 200 for role in ROLES} | {"anonymous": "login"}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def users(cast, ministry):
    parent_head = UserFactory(username="parent_head")
    MembershipFactory(user=parent_head, unit=ministry, role=Membership.Role.HEAD)
    return {**cast, "parent_head": parent_head}


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
    assert_status(client_as(client, users, role).get(url), FOLLOW_UP_READERS[role])


@pytest.mark.parametrize("role", ROLES)
def test_send_reminder_now(client, users, campaign, today, role):
    period = campaign.periods.get(label="Q1/2025")
    url = reverse("campaigns:nudge", args=[campaign.code, period.pk])
    expected = {**FOLLOW_UP_READERS, "board": 403, "admin": 403, "secretary": 302}
    response = client_as(client, users, role).post(url, {"unit": "cuc-a", "batch": "e" * 32})
    assert_status(response, expected[role])


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
