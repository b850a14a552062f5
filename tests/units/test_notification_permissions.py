"""The signed-in user's own pages (inbox, bell, preferences), for every role and for
anonymous visitors: each sees and marks only their own notifications.

Codes: 200 page or fragment, 302 redirect after a step, 404 not this user's, "login" anonymous
sent to the login page.
"""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_status, client_as
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


@pytest.mark.parametrize("role", ROLES)
def test_notifications_page(client, users, role):
    assert_status(client_as(client, users, role).get(reverse("me:notifications")), SIGNED_IN[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_bell(client, users, role):
    response = client_as(client, users, role).get(
        reverse("me:notifications"), headers={**HTMX, "HX-Target": "notification-bell"}
    )
    assert_status(response, {**SIGNED_IN, "anonymous": 286}[role])


@pytest.mark.parametrize("role", ROLES)
def test_mark_my_notification_read_only_mine(client, users, role):
    # Every notification belongs to the officer: only the officer may mark it.
    notification = notify(recipient=users["officer"], message="Nhắc")
    expected = {role: 404 for role in ROLES} | {"officer": 302, "anonymous": "login"}
    url = reverse("me:notification_read", args=[notification.pk])
    assert_status(client_as(client, users, role).post(url), expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_mark_all_read(client, users, role):
    expected = {role: 302 for role in ROLES} | {"anonymous": "login"}
    assert_status(
        client_as(client, users, role).post(reverse("me:notifications_read_all")), expected[role]
    )


@pytest.mark.parametrize("role", ROLES)
def test_preferences(client, users, role):
    c = client_as(client, users, role)
    assert_status(c.get(reverse("me:preferences")), SIGNED_IN[role])
    expected = {role: 302 for role in ROLES} | {"anonymous": "login"}
    assert_status(c.post(reverse("me:preferences"), {"language": "vi"}), expected[role])
