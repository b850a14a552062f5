"""The year at a glance on the campaign page (issue 17 §4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from awards.models import Decision
from campaigns.calendar import due_next, year_calendar


@pytest.mark.django_db
def test_the_year_lists_registration_reports_and_decisions_with_their_state(
    client, cast, campaign, today
):
    Decision.objects.create(
        kind=Decision.Kind.DECISION,
        number="77/QĐ-BCT",
        signed_on=datetime.date(2025, 3, 2),
        signer="Nguyễn Hồng Diên",
        issuer="Bộ trưởng Bộ Công Thương",
    )
    with translation.override("en"):
        entries = year_calendar(campaign=campaign, year=2025)
    kinds = [entry.kind for entry in entries]
    assert {"registration", "report", "nomination", "decision"} <= set(kinds)
    states = {entry.title: entry.state(today) for entry in entries}
    assert states["Decision 77/QĐ-BCT"] == "done"
    q2 = next(title for title in states if title.startswith("Report Q2/2025"))
    assert states[q2] == "open"  # 10/05/2025: Q2 runs, due 15/07
    # Q1/2025 is due 15/04 (passed); the first thing still to do ends soonest after today.
    assert due_next(entries, today).ends_on >= today

    client.force_login(cast["officer"])
    page = client.get(reverse("campaigns:detail", args=[campaign.code]) + "?year=2025")
    html = page.content.decode()
    assert "77/QĐ-BCT" in html and "Q2/2025" in html and 'id="calendar"' in html
