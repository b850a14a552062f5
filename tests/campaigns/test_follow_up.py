"""The secretary's list of units that have not reported, and the one-click reminder."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Reminder
from campaigns.services.campaigns import campaign_enrol_units
from campaigns.services.reminders import reminders_nudge
from campaigns.services.reports import report_start, report_submit
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from units.models import Membership, Notification

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def q1(campaign):
    return campaign.periods.get(label="Q1/2025")


def _page(client, campaign, **params):
    return client.get(reverse("campaigns:follow_up", args=[campaign.code]), params)


def _batch(body: str) -> str:
    return re.search(r'name="batch" value="([0-9a-f]{32})"', body).group(1)


def _nudge(client, campaign, period, batch, unit=None, htmx=True):
    data = {"batch": batch, **({"unit": unit} if unit else {})}
    return client.post(
        reverse("campaigns:nudge", args=[campaign.code, period.pk]),
        data,
        headers=HTMX if htmx else {},
    )


def test_the_list_shows_every_unit_not_reported_with_who_would_be_reminded(
    client, cast, campaign, unit, other_unit, sub_unit, q1, today
):
    report = report_start(unit=other_unit, period=q1, actor=None)
    report_submit(report=report, actor=cast["outsider"])
    report_start(unit=unit, period=q1, actor=None)
    client.force_login(cast["secretary"])
    body = _page(client, campaign).content.decode()
    assert "Q1/2025" in body and "Q2/2025" in body  # both periods can be followed up
    assert 'id="follow-up-cuc-a"' in body and 'id="follow-up-chi-cuc-a1"' in body
    assert 'id="follow-up-cuc-b"' not in body  # submitted
    assert "1 officer" in body and "nobody: no user in this unit" in body
    assert "2 of 3 units" not in body and "1 of 3 units" in body
    assert body.count("Send reminder now") == 1  # Chi cục A1 has nobody to remind
    assert "never" in body


def test_each_page_view_gets_a_fresh_click_token(client, cast, campaign, today):
    client.force_login(cast["secretary"])
    first = _batch(_page(client, campaign).content.decode())
    second = _batch(_page(client, campaign).content.decode())
    assert first != second


def test_send_reminder_now_reaches_the_officers_once_per_click(
    client, cast, campaign, unit, q1, today, django_capture_on_commit_callbacks
):
    client.force_login(cast["secretary"])
    batch = _batch(_page(client, campaign).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = _nudge(client, campaign, q1, batch, unit="cuc-a")
    body = response.content.decode()
    assert response.status_code == 200 and body.strip().startswith('<tr id="follow-up-cuc-a"')
    assert "A reminder is on its way to 1 person." in body
    assert "10/05/2025 10:00" in _page(client, campaign).content.decode()  # last reminded
    reminder = Reminder.objects.get(kind="nudge")
    assert (reminder.recipient, reminder.requested_by, reminder.state) == (
        cast["officer"],
        cast["secretary"],
        "sent",
    )
    assert [m.to for m in mail.outbox] == [["officer@example.gov.vn"]]
    assert Notification.objects.get(recipient=cast["officer"]).url.startswith(
        "/reports/units/cuc-a/periods/"
    )
    # A double click, or the same form sent again, reminds nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = _nudge(client, campaign, q1, batch, unit="cuc-a")
    assert "Already reminded from this page" in again.content.decode()
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1
    # From a fresh page view it may go again.
    fresh = _batch(_page(client, campaign).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        _nudge(client, campaign, q1, fresh, unit="cuc-a")
    assert Reminder.objects.filter(kind="nudge").count() == 2 and len(mail.outbox) == 2


def test_remind_all_reaches_every_missing_unit_heads_when_no_officer(
    client, cast, campaign, ministry, q1, today, django_capture_on_commit_callbacks
):
    head_only = UnitFactory(code="chi-huy", parent=ministry)
    campaign_enrol_units(campaign=campaign, units=[head_only])
    MembershipFactory(user=UserFactory(username="chief"), unit=head_only, role=Membership.Role.HEAD)
    client.force_login(cast["secretary"])
    page = _page(client, campaign).content.decode()
    assert (
        'data-confirm="Send a reminder now to the 4 units that have not reported for Q1/2025?"'
        in page
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _nudge(client, campaign, q1, _batch(page))
    body = response.content.decode()
    assert body.strip().startswith('<div id="follow-up-results">')
    assert "Reminders are on their way to 3 people in 3 units." in body
    assert sorted(Reminder.objects.values_list("recipient__username", flat=True)) == [
        "chief",
        "officer",
        "outsider",
    ]
    assert len(mail.outbox) == 3


def test_without_htmx_the_reminder_redirects_back_with_a_message(
    client, cast, campaign, q1, today, django_capture_on_commit_callbacks
):
    client.force_login(cast["secretary"])
    batch = _batch(_page(client, campaign).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = _nudge(client, campaign, q1, batch, unit="cuc-a", htmx=False)
    assert response.status_code == 302 and f"period={q1.pk}" in response["Location"]
    assert "A reminder is on its way" in client.get(response["Location"]).content.decode()


def test_a_unit_that_reported_meanwhile_is_shown_so_and_not_reminded(
    client, cast, campaign, unit, q1, today
):
    client.force_login(cast["secretary"])
    batch = _batch(_page(client, campaign).content.decode())
    report = report_start(unit=unit, period=q1, actor=None)
    report_submit(report=report, actor=cast["officer"])
    body = _nudge(client, campaign, q1, batch, unit="cuc-a").content.decode()
    assert "Reported meanwhile" in body and not Reminder.objects.exists()


def test_a_locked_period_cannot_be_nudged(client, cast, campaign, today):
    client.force_login(cast["secretary"])
    locked = campaign.periods.get(label="Q4/2024")
    response = _nudge(client, campaign, locked, "a" * 32, unit="cuc-a")
    assert response.status_code == 422 and not Reminder.objects.exists()


def test_malformed_or_foreign_requests_are_refused(client, cast, campaign, ministry, q1, today):
    client.force_login(cast["secretary"])
    assert _nudge(client, campaign, q1, "not-a-token", unit="cuc-a").status_code == 400
    outside = UnitFactory(code="ngoai", parent=ministry)
    MembershipFactory(unit=outside)
    assert _nudge(client, campaign, q1, "b" * 32, unit="ngoai").status_code == 404
    assert _nudge(client, campaign, q1, "b" * 32, unit="khong-co").status_code == 404
    assert not Reminder.objects.exists()


def test_the_page_remembers_when_each_unit_was_last_reminded(
    client, cast, campaign, q1, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_nudge(period=q1, units=None, batch="c" * 32, actor=cast["secretary"])
    client.force_login(cast["board"])
    body = _page(client, campaign).content.decode()
    assert "a reminder is waiting to go" in body
    assert "Send reminder now" not in body  # the board reads, the secretary reminds


def test_filters_narrow_the_list(client, cast, campaign, today):
    client.force_login(cast["secretary"])
    response = client.get(
        reverse("campaigns:follow_up", args=[campaign.code]), {"q": "Chi cục"}, headers=HTMX
    )
    body = response.content.decode()
    assert body.strip().startswith('<div id="follow-up-results">')
    assert "chi-cuc-a1" in body and 'follow-up-cuc-a"' not in body


def test_follow_up_query_count_does_not_grow_with_units(
    client, cast, campaign, ministry, q1, today, django_assert_max_num_queries
):
    client.force_login(cast["secretary"])
    client.get(reverse("campaigns:follow_up", args=[campaign.code]))
    with django_assert_max_num_queries(16) as small:
        _page(client, campaign)
    units = UnitFactory.create_batch(30, parent=ministry)
    campaign_enrol_units(campaign=campaign, units=units)
    for target in units:
        MembershipFactory.create_batch(2, unit=target)
        MembershipFactory(unit=target, role=Membership.Role.HEAD)
    reminders_nudge(period=q1, units=None, batch="d" * 32, actor=cast["secretary"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = _page(client, campaign).content.decode()
    assert body.count("Send reminder now") == 32


def test_after_the_campaign_no_period_can_be_followed_up(client, cast, campaign):
    from tests.campaigns.clock import at, d

    with at(d("01/06/2027")):
        client.force_login(cast["secretary"])
        body = _page(client, campaign).content.decode()
    assert "No period is open for reporting today." in body and "Send reminder now" not in body
