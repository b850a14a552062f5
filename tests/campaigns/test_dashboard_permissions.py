"""Every URL of the dashboards, for every role: 200/302 for readers, 404 for the others.

Board, secretary and administrator see the sector; a unit head sees their unit and the units
under it (the head of the Ministry, a parent of every unit, sees them all); officers and
outsiders have no dashboard. Another unit's drill-down answers 404, not 403.
"""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_status
from units.models import Membership

pytestmark = pytest.mark.django_db

ROLES = ["officer", "head", "parent_head", "outsider", "board", "secretary", "admin", "anonymous"]
EVERYONE_BUT_MEMBERS = {
    "officer": 404,
    "head": 200,
    "parent_head": 200,
    "outsider": 404,
    "board": 200,
    "secretary": 200,
    "admin": 200,
    "anonymous": "login",
}


@pytest.fixture
def users(cast, ministry):
    parent_head = UserFactory(username="parent_head")
    MembershipFactory(user=parent_head, unit=ministry, role=Membership.Role.HEAD)
    return {**cast, "parent_head": parent_head}


def _get(client, users, role, url, method="get"):
    if role != "anonymous":
        client.force_login(users[role])
    return getattr(client, method)(url)


@pytest.mark.parametrize("role", ROLES)
def test_dashboard(client, users, campaign, today, role):
    url = reverse("campaigns:dashboard", args=[campaign.code])
    assert_status(_get(client, users, role, url), EVERYONE_BUT_MEMBERS[role])


@pytest.mark.parametrize("role", ROLES)
def test_export(client, users, campaign, today, role):
    url = reverse("campaigns:dashboard_export", args=[campaign.code])
    assert_status(_get(client, users, role, url), EVERYONE_BUT_MEMBERS[role])


@pytest.mark.parametrize("role", ROLES)
def test_current_dashboard_redirects_readers(client, users, campaign, today, role):
    response = _get(client, users, role, reverse("campaigns:dashboard_current"))
    expected = {**EVERYONE_BUT_MEMBERS, **{r: 302 for r in ("head", "parent_head", "board")}}
    expected.update(secretary=302, admin=302)
    assert_status(response, expected[role])
    if expected[role] == 302:
        assert response["Location"] == reverse("campaigns:dashboard", args=[campaign.code])


@pytest.mark.parametrize(
    ("unit_code", "expected"),
    [
        ("cuc-a", EVERYONE_BUT_MEMBERS),
        ("chi-cuc-a1", EVERYONE_BUT_MEMBERS),  # under the head's unit
        ("cuc-b", {**EVERYONE_BUT_MEMBERS, "head": 404}),  # another unit for the head
        ("bct", {**EVERYONE_BUT_MEMBERS, **dict.fromkeys(EVERYONE_BUT_MEMBERS, 404)}),
        ("nowhere", {**dict.fromkeys(EVERYONE_BUT_MEMBERS, 404), "anonymous": "login"}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_unit_drill_down(client, users, campaign, today, role, unit_code, expected):
    url = reverse("campaigns:dashboard_unit", args=[campaign.code, unit_code])
    if unit_code == "bct":  # the Ministry does not take part in the campaign
        expected = {**expected, "anonymous": "login"}
    assert_status(_get(client, users, role, url), expected[role])


@pytest.mark.parametrize(
    "name", ["campaigns:dashboard", "campaigns:dashboard_export", "campaigns:dashboard_unit"]
)
def test_the_dashboards_are_read_only(client, users, campaign, name):
    args = [campaign.code, "cuc-a"] if name.endswith("unit") else [campaign.code]
    response = _get(client, users, "board", reverse(name, args=args), method="post")
    assert response.status_code == 405


def test_an_unknown_campaign_answers_404(client, users, today):
    response = _get(client, users, "board", reverse("campaigns:dashboard", args=["nope"]))
    assert response.status_code == 404


def test_a_head_sees_only_their_units_figures(client, users, campaign, today):
    response = _get(client, users, "head", reverse("campaigns:dashboard", args=[campaign.code]))
    body = response.content.decode()
    assert "Cục A" in body and "Chi cục A1" in body and "Cục B" not in body
    response = _get(client, users, "board", reverse("campaigns:dashboard", args=[campaign.code]))
    assert "Cục B" in response.content.decode()


def test_the_navigation_links_the_dashboard_for_those_who_may_see_it(client, users, today):
    link = reverse("campaigns:dashboard_current")
    for role, shown in [("board", True), ("head", True), ("officer", False), ("outsider", False)]:
        body = _get(client, users, role, reverse("home")).content.decode()
        assert (link in body) is shown, role
