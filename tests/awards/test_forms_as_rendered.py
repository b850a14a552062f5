"""Every edit form, saved exactly as it is rendered, saves without an error and changes nothing:
a form that forgets a value (an award not preselected, a date in the wrong format) would fail
or change the record behind the user's back."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from awards.models import Council, CouncilMember, Meeting, Nomination
from awards.services.council import meeting_schedule
from tests.helpers import form_as_rendered

pytestmark = pytest.mark.django_db


def _save_as_rendered(client, url: str):
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_as_rendered(page.content.decode()))
    assert response.status_code == 302, response.content.decode()[:2000]


def _fields(obj, *exclude: str) -> dict:
    obj.refresh_from_db()
    return {k: v for k, v in model_to_dict(obj).items() if k not in exclude}


def test_the_nomination_edit_form_keeps_its_award(client, cast, nomination, catalogue):
    # The award was not preselected: saving the page as shown failed, or picked another award.
    Nomination.objects.filter(pk=nomination.pk).update(
        award_type=catalogue["LDTT"], report_background="Lý lịch\ntrích ngang"
    )
    # The version and the evaluation are written by every save; the dossier itself must not move.
    derived = ("version", "eligibility", "eligibility_outcome")
    before = _fields(nomination, *derived)
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:edit", args=[nomination.pk])).content.decode()
    assert form_as_rendered(page)["award_type"] == ["LDTT"]
    _save_as_rendered(client, reverse("awards:edit", args=[nomination.pk]))
    assert _fields(nomination, *derived) == before


def test_the_council_edit_form_changes_nothing(client, cast, council):
    council.established_by = "Quyết định số 12/QĐ-BCT ngày 02/01/2024"
    council.save()
    before = _fields(council)
    client.force_login(cast["secretary"])
    _save_as_rendered(client, reverse("awards:council_edit", args=[council.pk]))
    assert _fields(council) == before


@pytest.mark.parametrize("role", ["chair", "secretary", "member"])
def test_the_seat_edit_form_changes_nothing(client, cast, council, role):
    seat = CouncilMember.objects.filter(council=council, role=role).first()
    seat.position = "Vụ trưởng"
    seat.term_end = datetime.date(2027, 6, 30)
    seat.save()
    before = _fields(seat)
    client.force_login(cast["secretary"])
    _save_as_rendered(client, reverse("awards:seat_edit", args=[seat.pk]))
    assert _fields(seat) == before


def test_the_meeting_edit_form_changes_nothing(client, cast, council):
    meeting = meeting_schedule(
        held_on=datetime.date.today() + datetime.timedelta(days=10),
        title="Phiên họp thứ nhất",
        location="Phòng họp số 1, 54 Hai Bà Trưng",
        actor=cast["secretary"],
    )
    before = _fields(meeting)
    client.force_login(cast["secretary"])
    _save_as_rendered(client, reverse("awards:meeting_edit", args=[meeting.pk]))
    assert _fields(meeting) == before
    assert Meeting.objects.count() == 1 and Council.objects.count() == 1


def test_the_preferences_form_changes_nothing(client, cast):
    user = cast["officer"]
    before = _fields(user, "last_login", "password")
    client.force_login(user)
    _save_as_rendered(client, reverse("me:preferences"))
    assert _fields(user, "last_login", "password") == before
