from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import Nomination, NominationAttachment
from awards.services.council import (
    ballot_cast,
    meeting_agenda_add,
    meeting_attendance_record,
    meeting_ballot_close,
    meeting_ballot_open,
    meeting_schedule,
)
from awards.services.nominations import (
    attachment_add,
    nomination_draft,
    nomination_screening_accept,
    nomination_screening_start,
    nomination_submit,
)
from awards.services.publicity import publication_close, publication_open, publicity_window
from tests.factories import PersonFactory, TaskRatingFactory

YEAR = 2025
# The counting board's passphrases in the tests (composed Vietnamese, more than 12 characters).
PASSPHRASES = {
    "chair_passphrase": "hoa sen nở giữa hồ",
    "secretary_passphrase": "trống đồng Ngọc Lũ",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def office_file(name: str, main_part: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def complete_dossier(nomination: Nomination, actor) -> None:
    """The attachments screening asks for: cover letter and minutes."""
    for kind in (NominationAttachment.Kind.COVER_LETTER, NominationAttachment.Kind.MINUTES):
        attachment_add(nomination=nomination, kind=kind, upload=pdf(), actor=actor)


def advance(nomination: Nomination, status: str, cast) -> Nomination:
    """Moves a draft along the workflow with the services, up to the given status."""
    order = ["draft", "submitted", "screening", "in_review"]
    if order.index(status) >= 1:
        complete_dossier(nomination, cast["officer"])
        nomination = nomination_submit(nomination=nomination, actor=cast["head"])
    if order.index(status) >= 2:
        nomination = nomination_screening_start(nomination=nomination, actor=cast["secretary"])
    if order.index(status) >= 3:
        nomination = nomination_screening_accept(nomination=nomination, actor=cast["secretary"])
        nomination = publicity_over(nomination)
    return nomination


def publicity_over(nomination: Nomination, *, ended: datetime.date | None = None) -> Nomination:
    """Moves the nomination's publication (if its award has one) into the past as if the
    dossier had been accepted a month ago: the window opened and closed, the nomination back in
    review and ready for any meeting after `ended` (by default, the window ended last month)."""
    from django.utils import timezone

    from awards.models import Publication

    publication = Publication.objects.filter(nomination=nomination).first()
    if publication is None:
        return nomination
    today = timezone.localdate()
    after = (ended or today) - datetime.timedelta(days=45 if ended is None else 0)
    opens_on, closes_on = publicity_window(after=after, working_days=publication.working_days)
    if ended is not None:  # the window ends exactly on `ended`
        shift = ended - closes_on
        opens_on, closes_on = opens_on + shift, ended
    Publication.objects.filter(pk=publication.pk).update(opens_on=opens_on, closes_on=closes_on)
    publication.refresh_from_db()
    publication_open(publication=publication, today=today)
    publication_close(publication=publication, today=max(today, closes_on + datetime.timedelta(1)))
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def person(unit):
    return PersonFactory(unit=unit, code="nguyen-van-an", full_name="Nguyễn Văn An")


@pytest.fixture
def draft_for(cast, unit, catalogue):
    """Drafts a CSTĐCS nomination for a new person of the unit, rated HTXS (eligible)."""

    def make(name: str = "Trần Thị Bình", *, award: str = "CSTDCS", rating: str = "HTXS"):
        nominee = PersonFactory(unit=unit, full_name=name)
        TaskRatingFactory(person=nominee, year=YEAR, rating=rating)
        return nomination_draft(
            proposing_unit=unit,
            award_type=catalogue[award],
            year=YEAR,
            person=nominee,
            actor=cast["officer"],
        )

    return make


@pytest.fixture
def nomination(draft_for):
    return draft_for()


# --- The council, meetings and decisions --------------------------------------------------------

COUNCIL_START = datetime.date(2024, 1, 1)
ROLES_IN_ORDER = ["chair", "vice_chair", "standing", "member", "secretary"]


@pytest.fixture
def council(cast):
    """A council in office 2024–2028: the cast's board member chairs it, four more sit on it."""
    from awards.models import Council, CouncilMember
    from tests.factories import UserFactory

    council = Council.objects.create(term_start=COUNCIL_START, term_end=datetime.date(2028, 12, 31))
    users = [cast["board"], *(UserFactory(username=f"member{n}") for n in range(1, 5))]
    for user, role in zip(users, ROLES_IN_ORDER, strict=True):
        CouncilMember.objects.create(
            council=council, user=user, role=role, term_start=COUNCIL_START
        )
    return council


@pytest.fixture
def members(council):
    """The five members of the council, chair first."""
    return [seat.user for seat in council.members.select_related("user").order_by("pk")]


@pytest.fixture
def in_review(draft_for, cast):
    """Makes nominations in the board's review: in_review("Name", award="CSTDCS")."""

    def make(name: str = "Trần Thị Bình", *, award: str = "CSTDCS", rating: str = "HTXS"):
        nomination = draft_for(name, award=award, rating=rating)
        # A nomination failing a rule goes to the board with a justification.
        Nomination.objects.filter(pk=nomination.pk).update(justification="Thành tích nổi bật.")
        nomination.refresh_from_db()
        return advance(nomination, "in_review", cast)

    return make


@pytest.fixture
def accepted(draft_for, cast):
    """Makes nominations the secretary has just accepted: in the board's review and, for an
    award with publicity, published (window scheduled from the next working day)."""

    def make(name: str = "Trần Thị Bình", *, award: str = "CSTD_BO", rating: str = "HTXS"):
        nomination = draft_for(name, award=award, rating=rating)
        Nomination.objects.filter(pk=nomination.pk).update(justification="Thành tích nổi bật.")
        nomination.refresh_from_db()
        nomination = advance(nomination, "screening", cast)
        return nomination_screening_accept(nomination=nomination, actor=cast["secretary"])

    return make


def run_meeting(cast, members, nominations, votes, *, present=None, held_on=None):
    """Schedules a meeting, puts the nominations on its agenda, records attendance, opens the
    ballot and casts `votes`: {member index: {nomination index: True/False}}. Returns the
    meeting with its ballot still open."""
    from django.utils import timezone

    secretary = cast["secretary"]
    meeting = meeting_schedule(
        held_on=held_on or timezone.localdate(), title="", location="Phòng họp A", actor=secretary
    )
    meeting_agenda_add(meeting=meeting, nominations=nominations, actor=secretary)
    present = range(len(members)) if present is None else present
    meeting_attendance_record(
        meeting=meeting, present=[members[i] for i in present], actor=secretary
    )
    meeting = meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    for index, choices in votes.items():
        ballot_cast(
            meeting=meeting,
            member=members[index],
            choices={nominations[n]: choice for n, choice in choices.items()},
            actor=members[index],
        )
    return meeting


def approve_all(cast, members, nominations, **kwargs):
    """A meeting where every member approves every nomination; returns it closed."""
    everyone = {
        index: dict.fromkeys(range(len(nominations)), True) for index in range(len(members))
    }
    meeting = run_meeting(cast, members, nominations, everyone, **kwargs)
    return meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)


def open_publication_now(nomination):
    """Moves the nomination's publication window to today and opens it (for page tests)."""
    from django.utils import timezone

    from awards.models import Publication

    today = timezone.localdate()
    Publication.objects.filter(nomination=nomination).update(
        opens_on=today, closes_on=today + datetime.timedelta(days=6), status="scheduled"
    )
    publication = Publication.objects.get(nomination=nomination)
    publication_open(publication=publication)
    publication.refresh_from_db()
    return publication
