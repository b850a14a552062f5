"""A council meeting before its ballot: scheduling, the agenda (only nominations whose
publicity ended before the meeting day), cancelling and the attendance."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import (
    Attendance,
    Meeting,
    Nomination,
    VoteTally,
)
from awards.selectors.council import council_on, meeting_seats
from awards.selectors.levels import check_same_level
from awards.services._steps import (
    Status,
    field_error,
    move,
    vi_date,
)
from awards.services.publicity import check_ready_for_meeting, status_back_to_review
from units.models import Unit, User

# A meeting is planned months ahead, not decades: a date past this horizon is a typing error
# (31/12/9999 under an open-ended council).
MEETING_HORIZON_DAYS = 2 * 366


def lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)


def guard_meeting(meeting: Meeting, allowed: Iterable[str]) -> None:
    if meeting.status not in allowed:
        raise ValidationError(
            _("The meeting is now “%(status)s”: this step no longer applies.")
            % {"status": meeting.get_status_display()},
            code="status",
        )


def _check_meeting_date(held_on: datetime.date) -> None:
    if held_on > timezone.localdate() + datetime.timedelta(days=MEETING_HORIZON_DAYS):
        raise field_error(
            "held_on",
            _("A meeting cannot be scheduled more than two years ahead."),
            "too_far_ahead",
        )


def save_meeting(meeting: Meeting, actor: User | None) -> None:
    meeting._history_user = actor
    meeting.save()


@transaction.atomic
def meeting_schedule(
    *,
    held_on: datetime.date,
    title: str,
    location: str,
    actor: User | None,
    unit: Unit | None = None,
) -> Meeting:
    """A meeting of the council of a level (the Ministry's, or the unit's) whose term covers
    its date."""
    _check_meeting_date(held_on)
    council = council_on(held_on, unit=unit)
    if council is None:
        raise field_error(
            "held_on",
            _("No council is in office on that date: record the council first."),
            "no_council",
        )
    meeting = Meeting(
        council=council,
        held_on=held_on,
        title=title.strip(),
        location=location.strip(),
        created_by=actor,
    )
    save_meeting(meeting, actor)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, held_on: datetime.date, title: str, location: str, actor: User | None
) -> Meeting:
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.SCHEDULED])
    _check_meeting_date(held_on)
    council = council_on(held_on, unit=locked.council.unit_id)
    if council is None or council.pk != locked.council_id:
        raise field_error(
            "held_on",
            _("The date must fall within the term of the meeting's council."),
            "council_term",
        )
    if held_on != locked.held_on:
        for tally in locked.tallies.select_related("nomination__award_type").order_by("pk"):
            check_ready_for_meeting(tally.nomination, held_on=held_on)
        # Attendance was taken against the seats of the old date.
        for row in locked.attendance.all():
            row._history_user = actor
            row.delete()
    locked.held_on = held_on
    locked.title = title.strip()
    locked.location = location.strip()
    save_meeting(locked, actor)
    return locked


@transaction.atomic
def meeting_agenda_add(
    *, meeting: Meeting, nominations: Iterable[Nomination], actor: User | None
) -> list[VoteTally]:
    """Put reviewed nominations on the agenda (in review → on the agenda): only those whose
    publicity ends before the meeting day (NĐ 98/2023 Art 46.2, NĐ 152/2025 Art 44.2) and
    whose nominee has no open matter."""
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.SCHEDULED])
    added = []
    with translation.override("vi"):
        reason = _("On the agenda of the council meeting of %(day)s.") % {
            "day": vi_date(locked.held_on)
        }
    for nomination in sorted(nominations, key=lambda item: item.pk):
        check_same_level(nomination, locked)
        moved = move(
            nomination,
            allowed=Nomination.IN_THE_BOARDS_REVIEW,
            to=Status.ON_AGENDA,
            actor=actor,
            reason=reason,
            check=lambda fresh: check_ready_for_meeting(fresh, held_on=locked.held_on),
        )
        added.append(VoteTally.objects.create(meeting=locked, nomination=moved))
    return added


@transaction.atomic
def meeting_agenda_remove(
    *, meeting: Meeting, nomination: Nomination, actor: User | None
) -> Nomination:
    """Take a nomination off the agenda before the ballot: it goes back to the review."""
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.SCHEDULED])
    tally = VoteTally.objects.filter(meeting=locked, nomination=nomination).first()
    if tally is None:
        raise ValidationError(_("This nomination is not on the agenda."), code="agenda")
    tally.delete()
    return move(
        nomination,
        allowed=[Status.ON_AGENDA],
        to=status_back_to_review(nomination),
        actor=actor,
    )


def _back_to_review(meeting: Meeting, actor: User | None) -> None:
    for tally in meeting.tallies.select_related("nomination").order_by("nomination_id"):
        move(
            tally.nomination,
            allowed=[Status.ON_AGENDA],
            to=status_back_to_review(tally.nomination),
            actor=actor,
        )
        tally.delete()


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User | None) -> Meeting:
    """A meeting that will not be held: its agenda goes back to the review."""
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.SCHEDULED])
    _back_to_review(locked, actor)
    locked.status = Meeting.Status.CANCELLED
    save_meeting(locked, actor)
    return locked


@transaction.atomic
def meeting_attendance_record(
    *, meeting: Meeting, present: Iterable[User], actor: User | None
) -> list[Attendance]:
    """Who of the members seated on the meeting day attends; the others are absent."""
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.SCHEDULED])
    seats = list(meeting_seats(locked))
    seated = {seat.user_id: seat for seat in seats}
    present = {member.pk for member in present}
    if present - set(seated):
        raise ValidationError(_("Only members of the council attend its meeting."), code="seat")
    rows = []
    existing = {row.member_id: row for row in locked.attendance.all()}
    for member_id, row in existing.items():
        if member_id not in seated:
            row._history_user = actor
            row.delete()
    for seat in seats:
        row = existing.get(seat.user_id) or Attendance(meeting=locked, member_id=seat.user_id)
        if (
            row.pk
            and row.present == (seat.user_id in present)
            and (row.role, row.votes) == (seat.role, seat.votes)
        ):
            rows.append(row)
            continue
        row.role = seat.role
        row.votes = seat.votes
        row.present = seat.user_id in present
        row._history_user = actor
        row.save()
        rows.append(row)
    return rows
