"""The demo shows what the product does (issue 14 §6): every unit has a history of
registrations and reports, the persona's unit page shows its attainment, the council has a
meeting in each state, a publicity window is open with comments, a decision is recorded, and
a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from awards.models import Decision, Meeting, Nomination, Publication, PublicComment
from campaigns.models import IndicatorValue, ProgressReport, Registration, Target
from units.models import Message, Unit, User


def _counts():
    return tuple(
        model.objects.count()
        for model in (
            Registration,
            Target,
            ProgressReport,
            IndicatorValue,
            Meeting,
            Decision,
            Nomination,
            PublicComment,
            Message,
        )
    )


@pytest.mark.django_db
def test_the_demo_has_a_history_for_every_unit_and_a_second_run_adds_nothing(catalogue, client):
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first

    # Every unit expected in the last ended period registered targets and most reported.
    xnk = Unit.objects.get(code="cuc-xnk")
    years = set(Registration.objects.filter(unit=xnk).values_list("year", flat=True))
    assert {2022, 2023, 2024, 2025} <= years
    assert Target.objects.filter(registration__unit=xnk).count() > 50
    reports = ProgressReport.objects.all()
    assert reports.filter(unit=xnk).count() >= 20
    assert reports.filter(late=True).exists() and reports.filter(status="returned").exists()
    units_reporting = reports.values("unit").distinct().count()
    assert units_reporting > 50

    # The persona sees attainment on its unit's page.
    client.force_login(User.objects.get(username="canbo"))
    page = client.get(reverse("units:detail", args=["cuc-xnk"])).content.decode()
    attainment = page[page.index('id="attainment"') :]
    assert '<span class="figure">' in attainment and "%</span>" in attainment
    assert '<span class="figure">—</span>' not in attainment

    # The council has a meeting in each state, and the closed one's approval is decided.
    assert set(Meeting.objects.values_list("status", flat=True)) == set(Meeting.Status.values)
    decision = Decision.objects.get()
    assert decision.nominations.get().status == "decided"
    # A publicity window is open, with comments.
    open_window = Publication.objects.get(status="open")
    assert open_window.comments.exists()

    # The board member who has not voted finds the open ballot waiting.
    client.force_login(User.objects.get(username="hoidong1"))
    home = client.get("/").content.decode()
    assert "Phiếu bầu đang mở chờ bạn bỏ phiếu" in home
