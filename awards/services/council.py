"""The council and its seats, its meetings and the secret ballot."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import (
    Attendance,
    BallotReceipt,
    Council,
    CouncilMember,
    Meeting,
    Nomination,
    VoteTally,
)
from awards.selectors.council import ballot_items, council_on, meeting_seats
from awards.services._steps import (
    Status,
    field_error,
    move,
    release_initiatives,
    save_checked,
    vi_date,
)
from awards.services.publicity import publication_schedule
from units.models import User

# --- The council ---------------------------------------------------------------------------


@transaction.atomic
def council_save(
    *,
    council: Council | None = None,
    name: str,
    established_by: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    actor: User | None,
) -> Council:
    """Record a council for a term, or change one; terms of two councils never overlap."""
    # Councils are few: locking them all serialises two secretaries saving overlapping terms.
    list(Council.objects.select_for_update().order_by("pk"))
    council = Council() if council is None else Council.objects.get(pk=council.pk)
    council.name = name.strip() or Council._meta.get_field("name").default
    council.established_by = established_by.strip()
    council.term_start = term_start
    council.term_end = term_end
    if council.pk:
        outside = Q(term_start__lt=term_start)
        if term_end is not None:
            outside |= Q(term_start__gt=term_end) | Q(term_end__gt=term_end)
        if council.members.filter(outside).exists():
            raise ValidationError(
                _("Some seats lie outside this term: change them first."), code="seats"
            )
    save_checked(council, actor)
    return council


@transaction.atomic
def council_seat_save(
    *,
    council: Council,
    seat: CouncilMember | None = None,
    user: User,
    role: str,
    position: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    actor: User | None,
) -> CouncilMember:
    """Seat `user` on the council, or change their seat (ending it is giving it an end date)."""
    Council.objects.select_for_update().get(pk=council.pk)  # one chair at a time, no race
    if not user.is_active:
        raise field_error("user", _("This account is disabled."), "inactive")
    if seat is None:
        seat = CouncilMember(council=council, user=user)
    else:
        seat = CouncilMember.objects.get(pk=seat.pk, council=council)
        if seat.user_id != user.pk:
            raise ValidationError(_("A seat stays with its member."), code="user")
    seat.role = role
    seat.position = position.strip()
    seat.term_start = term_start
    seat.term_end = term_end
    save_checked(seat, actor)
    return seat


# --- Meetings ----------------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)


def _guard_meeting(meeting: Meeting, allowed: Iterable[str]) -> None:
    if meeting.status not in allowed:
        raise ValidationError(
            _("The meeting is now “%(status)s”: this step no longer applies.")
            % {"status": meeting.get_status_display()},
            code="status",
        )


# A meeting is planned months ahead, not decades: a date past this horizon is a typing error
# (31/12/9999 under an open-ended council).
MEETING_HORIZON_DAYS = 2 * 366


def _check_meeting_date(held_on: datetime.date) -> None:
    if held_on > timezone.localdate() + datetime.timedelta(days=MEETING_HORIZON_DAYS):
        raise field_error(
            "held_on",
            _("A meeting cannot be scheduled more than two years ahead."),
            "too_far_ahead",
        )


def _save_meeting(meeting: Meeting, actor: User | None) -> None:
    meeting._history_user = actor
    meeting.save()


@transaction.atomic
def meeting_schedule(
    *, held_on: datetime.date, title: str, location: str, actor: User | None
) -> Meeting:
    """A meeting of the council whose term covers its date."""
    _check_meeting_date(held_on)
    council = council_on(held_on)
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
    _save_meeting(meeting, actor)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, held_on: datetime.date, title: str, location: str, actor: User | None
) -> Meeting:
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
    _check_meeting_date(held_on)
    council = council_on(held_on)
    if council is None or council.pk != locked.council_id:
        raise field_error(
            "held_on",
            _("The date must fall within the term of the meeting's council."),
            "council_term",
        )
    if held_on != locked.held_on:
        # Attendance was taken against the seats of the old date.
        for row in locked.attendance.all():
            row._history_user = actor
            row.delete()
    locked.held_on = held_on
    locked.title = title.strip()
    locked.location = location.strip()
    _save_meeting(locked, actor)
    return locked


@transaction.atomic
def meeting_agenda_add(
    *, meeting: Meeting, nominations: Iterable[Nomination], actor: User | None
) -> list[VoteTally]:
    """Put reviewed nominations on the agenda (in review → on the agenda)."""
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
    added = []
    with translation.override("vi"):
        reason = _("On the agenda of the council meeting of %(day)s.") % {
            "day": vi_date(locked.held_on)
        }
    for nomination in sorted(nominations, key=lambda item: item.pk):
        moved = move(
            nomination,
            allowed=[Status.IN_REVIEW],
            to=Status.ON_AGENDA,
            actor=actor,
            reason=reason,
        )
        added.append(VoteTally.objects.create(meeting=locked, nomination=moved))
    return added


@transaction.atomic
def meeting_agenda_remove(
    *, meeting: Meeting, nomination: Nomination, actor: User | None
) -> Nomination:
    """Take a nomination off the agenda before the ballot: it goes back to the review."""
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
    tally = VoteTally.objects.filter(meeting=locked, nomination=nomination).first()
    if tally is None:
        raise ValidationError(_("This nomination is not on the agenda."), code="agenda")
    tally.delete()
    return move(nomination, allowed=[Status.ON_AGENDA], to=Status.IN_REVIEW, actor=actor)


def _back_to_review(meeting: Meeting, actor: User | None) -> None:
    for tally in meeting.tallies.select_related("nomination").order_by("nomination_id"):
        move(tally.nomination, allowed=[Status.ON_AGENDA], to=Status.IN_REVIEW, actor=actor)
        tally.delete()


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User | None) -> Meeting:
    """A meeting that will not be held: its agenda goes back to the review."""
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
    _back_to_review(locked, actor)
    locked.status = Meeting.Status.CANCELLED
    _save_meeting(locked, actor)
    return locked


@transaction.atomic
def meeting_attendance_record(
    *, meeting: Meeting, present: Iterable[User], actor: User | None
) -> list[Attendance]:
    """Who of the members seated on the meeting day attends; the others are absent."""
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
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
        if row.pk and row.present == (seat.user_id in present) and row.role == seat.role:
            rows.append(row)
            continue
        row.role = seat.role
        row.present = seat.user_id in present
        row._history_user = actor
        row.save()
        rows.append(row)
    return rows


@transaction.atomic
def meeting_ballot_open(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Open the secret ballot.

    1. lock the meeting and guard its status; 2. check the agenda and that attendance was
    recorded against the seats as they stand on the meeting day; 3. freeze the council size
    (all seated members, present or not: the thresholds are shares of it); 4. open.
    """
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
    if not locked.tallies.exists():
        raise ValidationError(_("Put at least one nomination on the agenda first."), code="agenda")
    seated = set(meeting_seats(locked).values_list("user_id", flat=True))
    attendance = {row.member_id: row.present for row in locked.attendance.all()}
    if not attendance or set(attendance) != seated:
        raise ValidationError(
            _("Record the attendance of the council's members first."), code="attendance"
        )
    if not any(attendance.values()):
        raise ValidationError(_("No member is recorded as present."), code="attendance")
    locked.council_size = len(seated)
    locked.status = Meeting.Status.BALLOT_OPEN
    locked.ballot_opened_at = timezone.now()
    _save_meeting(locked, actor)
    return locked


# --- The ballot --------------------------------------------------------------------------------


def _quiet_cursor() -> CursorWrapper:
    """A cursor whose statements never reach Django's SQL debug log, whatever DEBUG or the
    logging settings say: the ballot's count updates name the nominations a member approved."""
    connection.ensure_connection()
    return CursorWrapper(connection.create_cursor(), connection)


def _add_one(meeting: Meeting, column: str, nomination_ids: list[int]) -> None:
    if not nomination_ids:
        return
    table = connection.ops.quote_name(VoteTally._meta.db_table)
    column = connection.ops.quote_name(column)
    marks = ", ".join(["%s"] * len(nomination_ids))
    with _quiet_cursor() as cursor:
        cursor.execute(
            # Table and column names come from the model, never from the request.
            f"UPDATE {table} SET {column} = {column} + 1 "
            f"WHERE meeting_id = %s AND nomination_id IN ({marks})",
            [meeting.pk, *nomination_ids],
        )


@transaction.atomic
def ballot_cast(
    *,
    meeting: Meeting,
    member: User,
    choices: Mapping[Nomination, bool],
    actor: User,
) -> BallotReceipt:
    """Record one member's secret ballot: approve (True) or disapprove (False) per nomination.

    1. lock the meeting (ballots and the closing queue up behind it) and check the ballot is
       open;
    2. check the voter: a member present votes themselves (`actor` is the member); an absent
       member votes in writing, entered by the secretary (`actor` is the secretary);
    3. the choices cover exactly the items the member votes on: the agenda less the
       nominations of themselves or on which they declared a conflict — on those they stand
       aside and cast no vote either way (which, the thresholds being shares of all members,
       weighs as not approving);
    4. insert the receipt: the unique constraint refuses a second ballot, even from a race;
    5. add one to the approvals of the approved items and to the disapprovals of the others,
       two set-wise UPDATEs out of the SQL log, in the same transaction as the receipt: no
       row, history, timestamp or log line says what this member chose.
    """
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
    in_writing = actor.pk != member.pk
    attendance = Attendance.objects.filter(meeting=locked, member=member).first()
    if attendance is None:
        raise ValidationError(
            _("Only the members of the council at this meeting vote."), code="voter"
        )
    if not in_writing and not attendance.present:
        raise ValidationError(
            _("You are recorded as absent: give your written ballot to the secretary."),
            code="absent",
        )
    if in_writing and attendance.present:
        raise ValidationError(
            _("This member is present and casts the ballot themselves."), code="present"
        )
    votable, _aside = ballot_items(meeting=locked, member=member)
    expected = {tally.nomination_id for tally in votable}
    if not expected:
        raise ValidationError(
            _("There is nothing on this ballot for you to vote on."), code="nothing"
        )
    chosen = {nomination.pk: choice for nomination, choice in choices.items()}
    if set(chosen) != expected or not all(isinstance(v, bool) for v in chosen.values()):
        raise ValidationError(
            _("Approve or disapprove every nomination of the ballot."), code="incomplete"
        )
    try:
        with transaction.atomic():
            receipt = BallotReceipt.objects.create(
                meeting=locked,
                member=member,
                cast_at=timezone.now(),
                in_writing=in_writing,
                recorded_by=actor if in_writing else None,
            )
    except IntegrityError:
        raise ValidationError(
            _("This member has already voted in this meeting: a ballot is cast once."),
            code="voted",
        ) from None
    approved = sorted(pk for pk, choice in chosen.items() if choice)
    _add_one(locked, "approvals", approved)
    _add_one(locked, "disapprovals", sorted(expected - set(approved)))
    return receipt


@transaction.atomic
def meeting_ballot_close(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Close the ballot and settle every nomination on the agenda.

    1. lock the meeting and guard its status (a second click finds it closed);
    2. each nomination is approved when its approvals reach the award's threshold of ALL
       council members (AwardType.approved_by; integers only), else rejected;
    3. the nomination moves with the count in its step; a rejected one gives its initiatives
       back; an approved one whose award requires publicity gets its publication scheduled
       from the next working day;
    4. the meeting is closed: only now do the counts show anywhere.
    """
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
    today = timezone.localdate()
    tallies = VoteTally.objects.filter(meeting=locked).select_related("nomination__award_type")
    for tally in tallies.order_by("nomination_id"):
        award = tally.nomination.award_type
        approved = award.approved_by(approvals=tally.approvals, council_size=locked.council_size)
        tally.outcome = VoteTally.Outcome.APPROVED if approved else VoteTally.Outcome.REJECTED
        tally.save(update_fields=["outcome"])
        with translation.override("vi"):
            reason = _(
                "Council meeting of %(day)s: %(approvals)s of the %(size)s members approve, "
                "%(disapprovals)s disapprove."
            ) % {
                "day": vi_date(locked.held_on),
                "approvals": tally.approvals,
                "size": locked.council_size,
                "disapprovals": tally.disapprovals,
            }
        nomination = move(
            tally.nomination,
            allowed=[Status.ON_AGENDA],
            to=Status.APPROVED if approved else Status.REJECTED,
            actor=actor,
            reason=reason,
        )
        if not approved:
            release_initiatives(nomination, actor)
        elif award.needs_publicity:
            publication_schedule(nomination=nomination, after=today, actor=actor)
    locked.status = Meeting.Status.CLOSED
    locked.ballot_closed_at = timezone.now()
    _save_meeting(locked, actor)
    return locked
