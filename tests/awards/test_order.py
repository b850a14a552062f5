"""Publicity before the council (NĐ 98/2023 Art 46.2 until 30/06/2025, NĐ 152/2025 Art 44.2
from 01/07/2025): the list of those proposed is published for the award's working days, from
the next working day after screening, and a nomination goes before a meeting only once its
window has ended before the meeting day; the public's comments reach those who decide; a
comment raising a complaint can hold the nomination as an open matter."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from awards.models import Nomination, NominationStep, OpenMatter, Publication, PublicComment
from awards.selectors.council import agenda_candidates, agenda_not_ready
from awards.services.council import (
    meeting_agenda_add,
    meeting_agenda_remove,
    meeting_ballot_open,
    meeting_schedule,
    meeting_update,
)
from awards.services.nominations import review_submit
from awards.services.publicity import open_matter_from_comment, public_comment_moderate
from tests.awards.conftest import PASSPHRASES, open_publication_now, publicity_over

pytestmark = pytest.mark.django_db
D = datetime.date
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _meeting(cast, held_on):
    return meeting_schedule(held_on=held_on, title="", location="", actor=cast["secretary"])


# --- The window, from the next working day ----------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "award", "opens", "closes"),
    [
        pytest.param(
            D(2025, 5, 9),
            "CSTD_BO",
            D(2025, 5, 12),
            D(2025, 5, 16),
            id="NĐ98 Art46.2: accepted on a Friday → 5 working days from Monday",
        ),
        pytest.param(
            D(2025, 1, 24),
            "CSTDTQ",
            D(2025, 2, 3),
            D(2025, 2, 14),
            id="NĐ98 Art46.2: 10 working days across Tết Ất Tỵ (27–31/01/2025)",
        ),
        pytest.param(
            D(2025, 8, 29),
            "CSTDTQ",
            D(2025, 9, 3),
            D(2025, 9, 16),
            id="NĐ152 Art44.2: 10 working days across the weekend and 01–02/09/2025",
        ),
    ],
)
def test_the_window_opens_on_the_next_working_day_after_screening(
    accepted, time_machine, accepted_on, award, opens, closes
):
    moment = datetime.datetime.combine(accepted_on, datetime.time(15), tzinfo=TZ)
    time_machine.move_to(moment, tick=False)
    nomination = accepted("Người công khai", award=award)
    publication = Publication.objects.get(nomination=nomination)
    assert (publication.opens_on, publication.closes_on) == (opens, closes)
    assert publication.status == "scheduled" and nomination.status == "published"


def test_an_award_with_no_publicity_skips_the_step(accepted, today):
    """NĐ 152/2025 Art 44.2 applies to the awards whose catalogue entry asks for publicity:
    CSTĐCS (0 working days) goes straight to the review and is ready for any meeting."""
    nomination = accepted("Không công khai", award="CSTDCS")
    assert nomination.status == "in_review"
    assert not Publication.objects.exists()
    assert nomination in agenda_candidates(held_on=today)


# --- The agenda waits for the window's end ----------------------------------------------------


@pytest.mark.parametrize(
    ("window_ends", "meeting_on", "allowed"),
    [
        pytest.param(
            D(2025, 6, 19),
            D(2025, 6, 20),
            True,
            id="NĐ98 Art46.2: window ends the day before the meeting → allowed",
        ),
        pytest.param(
            D(2025, 6, 20),
            D(2025, 6, 20),
            False,
            id="NĐ98 Art46.2: window ends on the meeting day → refused",
        ),
        pytest.param(
            D(2025, 6, 23),
            D(2025, 6, 20),
            False,
            id="NĐ98 Art46.2: window ends after the meeting → refused",
        ),
        pytest.param(
            D(2025, 7, 4),
            D(2025, 7, 7),
            True,
            id="NĐ152 Art44.2: window ends on Friday, meeting on Monday → allowed",
        ),
        pytest.param(
            D(2025, 7, 7),
            D(2025, 7, 7),
            False,
            id="NĐ152 Art44.2: window ends on the meeting day → refused",
        ),
    ],
)
def test_a_nomination_goes_on_the_agenda_only_once_its_window_ends_before_the_meeting(
    cast, council, accepted, today, window_ends, meeting_on, allowed
):
    nomination = accepted("Người đề nghị", award="CSTD_BO")
    publicity_over(nomination, ended=window_ends)
    Nomination.objects.filter(pk=nomination.pk).update(status="published")
    meeting = _meeting(cast, meeting_on)
    assert (nomination in agenda_candidates(held_on=meeting_on)) is allowed
    waiting = agenda_not_ready(held_on=meeting_on)
    assert (nomination in waiting) is not allowed
    if allowed:
        meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
        assert Nomination.objects.get(pk=nomination.pk).status == "on_agenda"
        return
    # The form lists it with the first day it will be ready: the working day after the window.
    (row,) = waiting
    assert row.ready_from > window_ends and row.ready_from.weekday() < 5
    with pytest.raises(ValidationError) as error:
        meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    assert error.value.code == "publicity"
    assert row.ready_from.strftime("%d/%m/%Y") in error.value.messages[0]
    assert Nomination.objects.get(pk=nomination.pk).status == "published"
    assert not meeting.tallies.exists()


def test_the_board_reviews_during_the_window(cast, council, members, accepted, today):
    """Only the agenda waits for the publicity: the members review meanwhile."""
    nomination = accepted("Đang công khai", award="CSTD_BO")
    assert nomination.status == "published"
    review_submit(
        nomination=nomination, actor=members[1], recommendation="support", score=8, comment=""
    )
    assert nomination.reviews.filter(submitted_at__isnull=False).count() == 1


def test_moving_a_meeting_earlier_than_a_window_allows_is_refused(cast, council, accepted, today):
    nomination = publicity_over(accepted("Người họp", award="CSTD_BO"), ended=D(2025, 6, 2))
    meeting = _meeting(cast, D(2025, 6, 10))
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    with pytest.raises(ValidationError) as error:
        meeting_update(
            meeting=meeting, held_on=D(2025, 6, 2), title="", location="", actor=cast["secretary"]
        )
    assert error.value.code == "publicity"
    meeting.refresh_from_db()
    assert meeting.held_on == D(2025, 6, 10)


def test_taken_off_the_agenda_during_its_window_it_is_published_again(
    cast, council, accepted, today
):
    nomination = publicity_over(accepted("Người rút", award="CSTD_BO"), ended=D(2025, 5, 20))
    Nomination.objects.filter(pk=nomination.pk).update(status="published")
    meeting = _meeting(cast, D(2025, 5, 21))
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    back = meeting_agenda_remove(meeting=meeting, nomination=nomination, actor=cast["secretary"])
    assert back.status == "published"  # its window runs until 20/05; today is 10/05


def test_withdrawn_during_its_window_it_leaves_the_public_pages(cast, accepted, client, today):
    from awards.services.nominations import nomination_withdraw

    nomination = accepted("Người rút hồ sơ", award="CSTD_BO")
    publication = open_publication_now(nomination)
    assert client.get(reverse("public:detail", args=[publication.token])).status_code == 200
    nomination_withdraw(nomination=nomination, actor=cast["head"], reason="Đơn vị rút")
    assert client.get(reverse("public:detail", args=[publication.token])).status_code == 404


# --- Open matters -------------------------------------------------------------------------------


def test_an_open_matter_blocks_the_agenda_and_the_ballot(cast, council, members, in_review, today):
    """NĐ 152/2025 Art 4 (and Law 06/2022 Art 5): while a complaint of the nominee is open the
    nomination goes on no agenda, and a ballot does not open with it on the agenda."""
    nomination = in_review("Có đơn thư", award="CSTD_BO")
    meeting = _meeting(cast, today)
    matter = OpenMatter.objects.create(
        person=nomination.person, kind="complaint", summary="Đơn tố cáo", opened_on=today
    )
    assert nomination not in agenda_candidates(held_on=today)
    assert [row.ready_from for row in agenda_not_ready(held_on=today)] == [None]
    with pytest.raises(ValidationError) as error:
        meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    assert error.value.code == "open_matter"
    OpenMatter.objects.filter(pk=matter.pk).update(closed_on=today, resolution="Đã giải quyết.")
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    # Opened again after it went on the agenda: the ballot waits.
    OpenMatter.objects.create(
        person=nomination.person, kind="investigation", summary="Điều tra", opened_on=today
    )
    from awards.services.council import meeting_attendance_record

    meeting_attendance_record(meeting=meeting, present=members, actor=cast["secretary"])
    with pytest.raises(ValidationError) as error:
        meeting_ballot_open(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert error.value.code == "open_matter"


@pytest.fixture
def commented(cast, accepted, today):
    """A nominee in its window with three comments: one approved, one pending, one hidden."""
    nomination = accepted("Người được góp ý", award="CSTD_BO")
    publication = open_publication_now(nomination)
    comments = [
        PublicComment.objects.create(
            publication=publication, name=f"Dân {n}", contact="0912345678", text=f"Ý kiến {n}"
        )
        for n in range(3)
    ]
    public_comment_moderate(comment=comments[0], status="approved", actor=cast["secretary"])
    public_comment_moderate(comment=comments[2], status="hidden", actor=cast["secretary"])
    return nomination, comments


def test_the_secretary_turns_a_complaint_into_an_open_matter(client, cast, commented, today):
    nomination, comments = commented
    client.force_login(cast["secretary"])
    url = reverse("awards:comment_matter", args=[comments[1].pk])
    bad = client.post(url, {"kind": "nope", "summary": ""})
    assert bad.status_code == 302 and not OpenMatter.objects.exists()
    response = client.post(url, {"kind": "complaint", "summary": "Phản ánh kê khai sai"})
    assert response.status_code == 302
    matter = OpenMatter.objects.get()
    assert (matter.person, matter.source_comment, matter.created_by) == (
        nomination.person,
        comments[1],
        cast["secretary"],
    )
    assert matter.opened_on == today and matter.is_open
    step = NominationStep.objects.filter(nomination=nomination).last()
    assert "Phản ánh kê khai sai" in step.reason and step.to_status == "published"
    with pytest.raises(ValidationError) as error:
        open_matter_from_comment(
            comment=comments[1], kind="complaint", summary="Lần nữa", actor=cast["secretary"]
        )
    assert error.value.code == "duplicate"
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "Phản ánh kê khai sai" in page
    # Only the secretary (moderators) records matters.
    client.force_login(cast["board"])
    assert client.post(url, {"kind": "complaint", "summary": "x"}).status_code in (403, 404)
    assert OpenMatter.objects.count() == 1


# --- The comments reach those who decide ----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible", "hidden_texts"),
    [
        pytest.param(
            "board",
            ["Ý kiến 0"],
            ["Ý kiến 1", "Ý kiến 2"],
            id="NĐ152 Art44.2: the board reads the approved comment, counts the rest",
        ),
        pytest.param(
            "secretary",
            ["Ý kiến 0", "Ý kiến 1", "Ý kiến 2"],
            [],
            id="NĐ152 Art44.2: the secretary reads and moderates every comment",
        ),
    ],
)
def test_the_nomination_page_shows_the_comments_and_the_count_held_back(
    client, cast, council, commented, role, visible, hidden_texts
):
    nomination, _comments = commented
    client.force_login(cast[role])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    for text in visible:
        assert text in page
    for text in hidden_texts:
        assert text not in page
    assert "1 ý kiến nhân dân được công bố" in page and "2 ý kiến chưa công bố" in page


def test_the_boards_queue_counts_the_comments(client, cast, council, commented):
    client.force_login(cast["board"])
    page = client.get(reverse("awards:list"), {"review": "todo"}).content.decode()
    assert "Người được góp ý" in page
    assert "1 ý kiến nhân dân được công bố" in page and "2 ý kiến chưa công bố" in page


def test_the_meeting_page_and_its_documents_carry_the_comments(
    client, cast, council, commented, today
):
    nomination, _comments = commented
    publicity_over(nomination, ended=D(2025, 5, 9))
    Publication.objects.filter(nomination=nomination).update(status="closed")
    meeting = _meeting(cast, D(2025, 5, 12))
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert "Ý kiến 0" in page and "Ý kiến 1" not in page
    assert "1 ý kiến nhân dân" in page and "2 ý kiến chưa công bố" in page
    import io

    from docx import Document

    letter = client.get(reverse("awards:cover_letter", args=[meeting.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.getvalue())).paragraphs)
    assert "1 ý kiến được công bố, 2 ý kiến chưa công bố" in text
    assert "Dân 0" in text and "Ý kiến 0" in text and "Ý kiến 1" not in text


def test_the_agenda_form_runs_a_constant_number_of_queries(
    client, cast, council, accepted, today, django_assert_max_num_queries
):
    meeting = _meeting(cast, D(2025, 5, 20))
    client.force_login(cast["secretary"])
    url = reverse("awards:meeting", args=[meeting.pk])

    def some(prefix: str):
        ready = accepted(f"{prefix} sẵn sàng", award="CSTD_BO")
        publicity_over(ready, ended=D(2025, 5, 9))
        waiting = accepted(f"{prefix} chờ", award="CSTD_BO")
        publication = open_publication_now(waiting)
        PublicComment.objects.create(
            publication=publication, name="Dân", contact="0", text="Ý kiến", status="approved"
        )
        meeting_agenda_add(meeting=meeting, nominations=[ready], actor=cast["secretary"])
        accepted(f"{prefix} thêm", award="CSTD_BO")

    some("Một")
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        page = client.get(url)
    assert "Một chờ" in page.content.decode()
    for n in range(3):
        some(f"Nữa {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_boards_queue_runs_a_constant_number_of_queries(
    client, cast, council, accepted, today, django_assert_max_num_queries
):
    client.force_login(cast["board"])
    url = reverse("awards:list")
    open_publication_now(accepted("Một", award="CSTD_BO"))
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n in range(5):
        publication = open_publication_now(accepted(f"Người {n}", award="CSTD_BO"))
        PublicComment.objects.create(publication=publication, name="D", contact="0", text="Ý")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- The migration ------------------------------------------------------------------------------


# The state before 0010 (the units' authority of 0006 came later, with the levels).
BEFORE_0010 = [("awards", "0009_award_terms"), ("units", "0005_person_codes_as_slugs")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_what_was_published_after_the_ballot(catalogue, capsys):
    """Nominations published after their ballot under the earlier order become approved with
    their publication and comments kept; those in review without publicity are published; the
    migration says what it did, and reverses."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_0010)
    old = executor.loader.project_state(BEFORE_0010).apps
    Unit = old.get_model("units", "Unit")
    Person = old.get_model("units", "Person")
    AwardType = old.get_model("awards", "AwardType")
    OldNomination = old.get_model("awards", "Nomination")
    OldPublication = old.get_model("awards", "Publication")
    unit = Unit.objects.create(code="cuc-m", name="Cục M")
    award = AwardType.objects.get(code="CSTD_BO")
    ids = {}
    for status in ("published", "in_review", "approved"):
        person = Person.objects.create(unit=unit, code=f"p-{status}", full_name=f"Người {status}")
        nomination = OldNomination.objects.create(
            person=person, award_type=award, year=2025, proposing_unit=unit, status=status
        )
        ids[status] = nomination.pk
        if status in ("published", "approved"):
            publication = OldPublication.objects.create(
                nomination=nomination,
                opens_on=D(2025, 5, 12),
                closes_on=D(2025, 5, 16),
                working_days=5,
                status="closed",
                nominee_name=person.full_name,
                unit_name=unit.name,
                award_name=award.name,
                year=2025,
                summary="…",
            )
            old.get_model("awards", "PublicComment").objects.create(
                publication=publication, name="Dân", contact="0", text="Ý kiến cũ"
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    printed = capsys.readouterr().out
    assert "1 nominations published after their ballot" in printed
    assert "1 nominations in review published" in printed
    statuses = {k: Nomination.objects.get(pk=pk).status for k, pk in ids.items()}
    assert statuses == {"published": "approved", "in_review": "published", "approved": "approved"}
    assert Publication.objects.count() == 3 and PublicComment.objects.count() == 2
    kept = Nomination.objects.get(pk=ids["published"])
    assert kept.steps.get().from_status == "published"
    assert kept.publication.comments.get().text == "Ý kiến cũ"

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_0010)
    back = executor.loader.project_state(BEFORE_0010).apps
    statuses = {
        k: back.get_model("awards", "Nomination").objects.get(pk=pk).status for k, pk in ids.items()
    }
    assert statuses == {"published": "published", "in_review": "in_review", "approved": "approved"}
    assert back.get_model("awards", "Publication").objects.count() == 2
    assert not back.get_model("awards", "NominationStep").objects.exists()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_nobody_else_records_matters(client, cast, commented):
    _nomination, comments = commented
    url = reverse("awards:comment_matter", args=[comments[0].pk])
    for role in ("officer", "head", "outsider"):
        client.force_login(cast[role])
        assert client.post(url, {"kind": "complaint", "summary": "x"}).status_code == 404
    client.logout()
    assert client.post(url, {"kind": "complaint", "summary": "x"}).status_code == 302
    assert not OpenMatter.objects.exists()


# --- The council's size on the meeting day (issue 12 §7b) ---------------------------------------


@pytest.mark.parametrize(
    ("disabled", "approvals", "approved"),
    [
        pytest.param(
            False, 5, True, id="NĐ98 Art30.7: 5 of the 5 members seated approve CSTĐ Bộ → ≥ 90 %"
        ),
        pytest.param(
            True,
            4,
            False,
            id="NĐ98 Art30.7: a seated member's account disabled still counts: 4 of 5 < 90 %",
        ),
    ],
)
def test_the_council_size_is_every_member_seated_on_the_meeting_day(
    cast, council, members, in_review, today, disabled, approvals, approved
):
    from awards.services.council import ballot_cast, meeting_attendance_record, meeting_ballot_close

    nomination = in_review("Người bỏ phiếu", award="CSTD_BO")
    if disabled:
        members[4].is_active = False
        members[4].save()
    meeting = _meeting(cast, today)
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    present = members[:approvals]
    meeting_attendance_record(meeting=meeting, present=present, actor=cast["secretary"])
    assert meeting.attendance.count() == 5
    meeting = meeting_ballot_open(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert meeting.council_size == 5
    for member in present:
        ballot_cast(meeting=meeting, member=member, choices={nomination: True}, actor=member)
    meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert Nomination.objects.get(pk=nomination.pk).status == (
        "approved" if approved else "rejected"
    )
