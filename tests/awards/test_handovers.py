"""Each hand-over of a nomination tells the next person (issue 14 §3): drafted → the unit's
heads; submitted → the secretary of the level that decides (the Ministry's, or the unit's
council secretary for a unit-level award); returned → the unit; ballot opened → the members
present with a vote; publication, comments, open matter → the secretary. Messages go on commit,
once per key, and never to another unit's people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import Council, CouncilMember, Nomination
from awards.services.nominations import nomination_return, nomination_submit
from awards.services.publicity import open_matter_from_comment, public_comment_add
from tests.awards.conftest import (
    COUNCIL_START,
    PASSPHRASES,
    advance,
    complete_dossier,
    open_publication_now,
)
from tests.factories import MembershipFactory, UserFactory
from units.models import Membership, Message, Notification, Unit

pytestmark = pytest.mark.django_db


def _told(**filters) -> set[str]:
    return set(Message.objects.filter(**filters).values_list("recipient__username", flat=True))


def test_a_draft_tells_the_heads_of_the_proposing_unit_only(cast, draft_for, other_unit):
    other_head = UserFactory(username="other-head")
    MembershipFactory(user=other_head, unit=other_unit, role=Membership.Role.HEAD)
    nomination = draft_for("Trần Thị Bình")
    assert _told(key=f"nomination-drafted:{nomination.pk}") == {"head"}
    message = Message.objects.get(key=f"nomination-drafted:{nomination.pk}")
    assert "Trần Thị Bình" in message.text and message.url == reverse(
        "awards:detail", args=[nomination.pk]
    )


def test_a_submission_tells_the_ministry_secretary_and_a_return_tells_the_unit(
    cast, draft_for, django_capture_on_commit_callbacks
):
    nomination = draft_for("Lê Văn Cường", award="CSTD_BO")
    Nomination.objects.filter(pk=nomination.pk).update(justification="Thành tích nổi bật.")
    complete_dossier(nomination, cast["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nomination_submit(nomination=nomination, actor=cast["head"])
    assert _told(key__startswith=f"nomination-submitted:{nomination.pk}:") == {"secretary"}
    secretary_note = Notification.objects.get(recipient=cast["secretary"])
    assert "Lê Văn Cường" in secretary_note.message
    nomination_return(nomination=nomination, actor=cast["secretary"], reason="Thiếu biên bản.")
    assert _told(key__startswith=f"nomination-returned:{nomination.pk}:") == {"officer", "head"}


def test_a_unit_level_award_goes_to_its_council_secretary_not_the_ministry(cast, draft_for, unit):
    Unit.objects.filter(pk=unit.pk).update(commendation_authority=True)
    council = Council.objects.create(unit=unit, name="HĐTĐKT Cục A", term_start=COUNCIL_START)
    unit_secretary = UserFactory(username="a-secretary")
    CouncilMember.objects.create(
        council=council, user=unit_secretary, role="secretary", term_start=COUNCIL_START
    )
    nomination = draft_for("Phạm Văn Dũng", award="CSTDCS")
    complete_dossier(nomination, cast["officer"])
    nomination = nomination_submit(nomination=nomination, actor=cast["head"])
    assert nomination.deciding_unit_id == unit.pk
    assert _told(key__startswith=f"nomination-submitted:{nomination.pk}:") == {"a-secretary"}


def test_opening_the_ballot_tells_the_members_present_who_vote(
    cast, council, members, in_review, today
):
    from awards.services.council import (
        meeting_agenda_add,
        meeting_attendance_record,
        meeting_ballot_open,
        meeting_schedule,
    )

    nomination = in_review("Đỗ Thị Em")
    secretary = cast["secretary"]
    meeting = meeting_schedule(held_on=today, title="", location="Phòng A", actor=secretary)
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=secretary)
    meeting_attendance_record(meeting=meeting, present=members[:3], actor=secretary)
    meeting = meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    told = _told(key__startswith=f"ballot-open:{meeting.pk}:")
    # The first three are present; the fifth seat is the secretary's (recorded absent here).
    assert told == {user.username for user in members[:3]}
    assert Message.objects.filter(key__startswith="ballot-open:").first().url == reverse(
        "awards:ballot", args=[meeting.pk]
    )


def test_publicity_comments_and_an_open_matter_reach_the_secretary(
    cast, council, members, accepted, today
):
    nomination = accepted("Vũ Văn Phong")
    publication = open_publication_now(nomination)
    assert _told(key=f"publication-secretary:{publication.pk}") == {"secretary"}
    first = public_comment_add(
        publication=publication, name="A", contact="a@example.vn", text="Ý kiến 1."
    )
    public_comment_add(publication=publication, name="B", contact="b@example.vn", text="Ý kiến 2.")
    # One message a publication a day, however many comments come.
    assert Message.objects.filter(key__startswith=f"comments:{publication.pk}:").count() == 1
    other_secretary = UserFactory(username="secretary-2", groups=["secretary"])
    open_matter_from_comment(
        comment=first, kind="complaint", summary="Khiếu nại.", actor=cast["secretary"]
    )
    matter_told = _told(key__startswith="matter:")
    assert matter_told == {other_secretary.username}  # not the secretary who recorded it


def test_waiting_for_you_counts_for_each_role(client, cast, council, members, draft_for, today):
    nomination = draft_for("Ngô Thị Giang")
    client.force_login(cast["head"])
    body = client.get("/").content.decode()
    waiting = body[body.index('id="waiting"') :]
    assert "Hồ sơ đề nghị cần trình" in waiting[: waiting.index("</section>")]
    advance(nomination, "submitted", cast)
    client.force_login(cast["secretary"])
    body = client.get("/").content.decode()
    waiting = body[body.index('id="waiting"') :]
    waiting = waiting[: waiting.index("</section>")]
    assert "Hồ sơ cần thẩm định" in waiting and '<span class="count">1</span>' in waiting
    client.force_login(cast["outsider"])
    body = client.get("/").content.decode()
    waiting = body[body.index('id="waiting"') :]
    assert "Hồ sơ" not in waiting[: waiting.index("</section>")]
