"""Every write to commendations goes through here.

A workflow step is one function: it locks the nomination's row, guards its current status (so
a double click or a retried request cannot apply a step twice), re-evaluates eligibility,
changes the nomination (history is kept by simple_history) and logs the step with the
eligibility as it stood.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from awards.models import (
    Attendance,
    AwardGrant,
    AwardType,
    BallotReceipt,
    Council,
    CouncilMember,
    Decision,
    Initiative,
    Meeting,
    Nomination,
    NominationAttachment,
    NominationStep,
    Publication,
    PublicComment,
    Review,
    VoteTally,
)
from awards.selectors import (
    ballot_items,
    council_on,
    dossier_checklist,
    meeting_seats,
    nomination_evaluate,
    report_prefill,
    unit_people_to_tell,
)
from config.uploads import check_upload
from config.workdays import add_working_days
from units.models import Notification, Person, Unit, User
from units.services import notify

Status = Nomination.Status


# --- Helpers -----------------------------------------------------------------------------


def _lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("award_type", "person", "unit", "proposing_unit")
        .get(pk=nomination.pk)
    )


def _guard(nomination: Nomination, allowed: Iterable[str]) -> None:
    if nomination.status not in allowed:
        raise ValidationError(
            _("The nomination is now “%(status)s”: this step no longer applies.")
            % {"status": nomination.get_status_display()},
            code="status",
        )


def _evaluate(nomination: Nomination) -> dict:
    evaluation = nomination_evaluate(nomination)
    snapshot = evaluation.snapshot(award_code=nomination.award_type.code, year=nomination.year)
    nomination.eligibility = snapshot
    nomination.eligibility_outcome = str(evaluation.outcome)
    return snapshot


def _save(nomination: Nomination, actor: User | None) -> None:
    nomination._history_user = actor
    nomination.save()


def _step(
    nomination: Nomination, *, from_status: str, actor: User | None, reason: str = ""
) -> NominationStep:
    return NominationStep.objects.create(
        nomination=nomination,
        from_status=from_status,
        to_status=nomination.status,
        actor=actor,
        reason=reason,
        eligibility=nomination.eligibility,
        eligibility_outcome=nomination.eligibility_outcome,
    )


def _move(
    nomination: Nomination,
    *,
    allowed: Iterable[str],
    to: str,
    actor: User | None,
    reason: str = "",
    check=None,
) -> Nomination:
    """1. lock the row; 2. guard the status; 3. re-evaluate; 4. run the step's own check on
    the fresh row; 5. move and save (history); 6. log the step with the snapshot."""
    locked = _lock(nomination)
    _guard(locked, allowed)
    _evaluate(locked)
    if check is not None:
        check(locked)
    previous = locked.status
    locked.status = to
    locked.version += 1  # an edit form opened before this step is stale
    _save(locked, actor)
    _step(locked, from_status=previous, actor=actor, reason=reason)
    return locked


def _check_award_fits(award_type: AwardType, *, person: Person | None) -> None:
    if not award_type.active:
        raise ValidationError({"award_type": _("This award is no longer offered.")})
    if person is not None and not award_type.for_individuals:
        raise ValidationError({"award_type": _("This award is for collectives, not individuals.")})
    if person is None and not award_type.for_collectives:
        raise ValidationError({"award_type": _("This award is for individuals, not collectives.")})


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError(
            {"year": _("Give a year from 2000 to %(year)s.") % {"year": timezone.localdate().year}}
        )


def _check_unique(
    *, person: Person | None, unit: Unit | None, award_type: AwardType, year: int, exclude=None
) -> None:
    owner = {"person": person} if person is not None else {"unit": unit}
    others = Nomination.objects.filter(**owner, award_type=award_type, year=year).exclude(
        status__in=Nomination.CLOSED_WITHOUT_AWARD
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ValidationError(
            _("There is already a nomination of this nominee for %(award)s %(year)s.")
            % {"award": award_type.short_name, "year": year},
            code="duplicate",
        )


def _save_unique(nomination: Nomination, actor: User | None) -> None:
    # The check above answers clearly; the database constraint settles a race between two.
    try:
        with transaction.atomic():
            _save(nomination, actor)
    except IntegrityError:
        raise ValidationError(
            _("There is already a nomination of this nominee for %(award)s %(year)s.")
            % {"award": nomination.award_type.short_name, "year": nomination.year},
            code="duplicate",
        ) from None


# --- Drafting ------------------------------------------------------------------------------


def nomination_check_new(
    *,
    proposing_unit: Unit,
    award_type: AwardType,
    year: int,
    person: Person | None,
    unit: Unit | None,
) -> None:
    """Refuses a nomination that cannot be drafted (also used by the admin's add form)."""
    if (person is None) == (unit is None):
        raise ValidationError(_("Nominate either a person or the unit."))
    if person is not None and person.unit_id != proposing_unit.pk:
        raise ValidationError(_("A unit nominates only its own people."))
    if unit is not None and unit.pk != proposing_unit.pk:
        raise ValidationError(_("A unit nominates only itself as a collective."))
    _check_award_fits(award_type, person=person)
    _check_year(year)
    _check_unique(person=person, unit=unit, award_type=award_type, year=year)


@transaction.atomic
def nomination_draft(
    *,
    proposing_unit: Unit,
    award_type: AwardType,
    year: int,
    actor: User | None,
    person: Person | None = None,
    unit: Unit | None = None,
    report_background: str = "",
    report_achievements: str = "",
    report_awards: str = "",
) -> Nomination:
    """Create a draft for a person of the proposing unit or for the unit itself.

    Empty sections of the achievement report are prefilled from the record, and eligibility
    is evaluated at once.
    """
    nomination_check_new(
        proposing_unit=proposing_unit, award_type=award_type, year=year, person=person, unit=unit
    )
    prefill = report_prefill(person=person, unit=unit, year=year)
    nomination = Nomination(
        person=person,
        unit=unit,
        award_type=award_type,
        year=year,
        proposing_unit=proposing_unit,
        report_background=report_background or prefill.background,
        report_achievements=report_achievements or prefill.achievements,
        report_awards=report_awards or prefill.awards,
        created_by=actor,
    )
    _evaluate(nomination)
    _save_unique(nomination, actor)
    _step(nomination, from_status="", actor=actor)
    return nomination


@transaction.atomic
def nomination_update(
    *,
    nomination: Nomination,
    actor: User | None,
    version: int,
    award_type: AwardType,
    year: int,
    report_background: str,
    report_achievements: str,
    report_awards: str,
    justification: str,
) -> Nomination:
    """Save the unit's edits; a stale form (someone saved in between) is refused, not merged."""
    locked = _lock(nomination)
    _guard(locked, Nomination.EDITABLE)
    if locked.version != version:
        raise ValidationError(
            _(
                "Someone else saved this nomination after you opened it. Your changes were not "
                "saved: reload the page to see the current text."
            ),
            code="stale",
        )
    _check_award_fits(award_type, person=locked.person)
    _check_year(year)
    _check_unique(
        person=locked.person, unit=locked.unit, award_type=award_type, year=year, exclude=locked.pk
    )
    locked.award_type = award_type
    locked.year = year
    locked.report_background = report_background
    locked.report_achievements = report_achievements
    locked.report_awards = report_awards
    locked.justification = justification
    locked.version += 1
    _evaluate(locked)
    _save_unique(locked, actor)
    return locked


@transaction.atomic
def nomination_attach_initiative(
    *, nomination: Nomination, initiative: Initiative, actor: User | None
) -> Nomination:
    """Rely on one of the nominee's initiatives; one already relied on elsewhere is refused."""
    locked = _lock(nomination)
    _guard(locked, Nomination.EDITABLE)
    item = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if (item.person_id, item.unit_id) != (locked.person_id, locked.unit_id):
        raise ValidationError(_("This initiative is not the nominee's."), code="owner")
    if item.used_by_id == locked.pk:
        return locked
    if item.used_by_id is not None:
        raise ValidationError(
            _(
                "The initiative “%(title)s” is already relied on by another nomination: an "
                "initiative supports one award only."
            )
            % {"title": item.title},
            code="used",
        )
    item.used_by = locked
    item._history_user = actor
    item.save()
    _evaluate(locked)
    _save(locked, actor)
    return locked


@transaction.atomic
def nomination_detach_initiative(
    *, nomination: Nomination, initiative: Initiative, actor: User | None
) -> Nomination:
    locked = _lock(nomination)
    _guard(locked, Nomination.EDITABLE)
    item = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if item.used_by_id == locked.pk:
        item.used_by = None
        item._history_user = actor
        item.save()
        _evaluate(locked)
        _save(locked, actor)
    return locked


def _release_initiatives(nomination: Nomination, actor: User | None) -> None:
    """A nomination that ends without an award gives its initiatives back to the nominee."""
    for item in Initiative.objects.select_for_update().filter(used_by=nomination):
        item.used_by = None
        item._history_user = actor
        item.save()


@transaction.atomic
def attachment_add(
    *, nomination: Nomination, kind: str, upload: UploadedFile, actor: User | None
) -> NominationAttachment:
    locked = _lock(nomination)
    _guard(locked, Nomination.EDITABLE)
    if kind not in NominationAttachment.Kind.values:
        raise ValidationError({"kind": _("Choose what the document is.")})
    checked = check_upload(upload)
    attachment = NominationAttachment(
        nomination=locked,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    attachment.file.save(checked.name, upload, save=False)
    stored = attachment.file.name
    try:
        attachment._history_user = actor
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: NominationAttachment, actor: User | None) -> None:
    locked = _lock(attachment.nomination)
    _guard(locked, Nomination.EDITABLE)
    storage, name = attachment.file.storage, attachment.file.name
    attachment._history_user = actor
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


# --- The unit's steps --------------------------------------------------------------------


@transaction.atomic
def nomination_submit(
    *, nomination: Nomination, actor: User | None, justification: str | None = None
) -> Nomination:
    """The head submits; a nomination failing a rule needs a written justification."""
    locked = _lock(nomination)
    _guard(locked, Nomination.EDITABLE)
    if justification is not None:
        locked.justification = justification.strip()
    _evaluate(locked)
    missing = []
    if not locked.report_background.strip():
        missing.append(str(Nomination._meta.get_field("report_background").verbose_name))
    if not locked.report_achievements.strip():
        missing.append(str(Nomination._meta.get_field("report_achievements").verbose_name))
    if missing:
        raise ValidationError(
            _("Write these sections of the achievement report first: %(sections)s.")
            % {"sections": ", ".join(missing)},
            code="incomplete",
        )
    if locked.eligibility_outcome == Nomination.Eligibility.NOT_MET and not locked.justification:
        raise ValidationError(
            {
                "justification": _(
                    "The nomination fails an eligibility rule: write a justification for the "
                    "board to submit it."
                )
            }
        )
    previous = locked.status
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1
    _save(locked, actor)
    _step(locked, from_status=previous, actor=actor, reason=locked.justification)
    return locked


@transaction.atomic
def nomination_withdraw(
    *, nomination: Nomination, actor: User | None, reason: str = ""
) -> Nomination:
    locked = _lock(nomination)
    _guard(
        locked,
        (Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.SCREENING, Status.IN_REVIEW),
    )
    previous = locked.status
    _release_initiatives(locked, actor)
    _evaluate(locked)
    locked.status = Status.WITHDRAWN
    locked.version += 1
    _save(locked, actor)
    _step(locked, from_status=previous, actor=actor, reason=reason.strip())
    return locked


# --- The secretary's screening ------------------------------------------------------------


@transaction.atomic
def nomination_screening_start(*, nomination: Nomination, actor: User | None) -> Nomination:
    return _move(nomination, allowed=[Status.SUBMITTED], to=Status.SCREENING, actor=actor)


def _check_dossier(nomination: Nomination) -> None:
    missing = [str(item.label) for item in dossier_checklist(nomination) if not item.done]
    if missing:
        raise ValidationError(
            _("The dossier is incomplete: %(items)s. Return it to the unit with a reason.")
            % {"items": "; ".join(missing)},
            code="incomplete",
        )


@transaction.atomic
def nomination_screening_accept(*, nomination: Nomination, actor: User | None) -> Nomination:
    """The dossier is complete: the nomination goes to the board's review."""
    return _move(
        nomination,
        allowed=[Status.SCREENING],
        to=Status.IN_REVIEW,
        actor=actor,
        check=_check_dossier,
    )


@transaction.atomic
def nomination_return(*, nomination: Nomination, actor: User | None, reason: str) -> Nomination:
    """Back to the unit with a reason, which the unit sees at the top of its nomination."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the nomination goes back to the unit.")})
    return _move(
        nomination,
        allowed=[Status.SUBMITTED, Status.SCREENING],
        to=Status.RETURNED,
        actor=actor,
        reason=reason.strip(),
    )


# --- The board's review --------------------------------------------------------------------


def _check_reviewer(nomination: Nomination, member: User) -> None:
    if nomination.person_id and nomination.person.user_id == member.pk:
        raise ValidationError(_("A member never reviews a nomination of themselves."), code="self")


@transaction.atomic
def review_declare_conflict(*, nomination: Nomination, member: User, reason: str) -> Review:
    """Recorded for good: the member stays out of this nomination's review."""
    locked = _lock(nomination)
    _guard(locked, [Status.IN_REVIEW])
    if not reason.strip():
        raise ValidationError({"conflict_reason": _("Describe the conflict of interest.")})
    review, _created = Review.objects.select_for_update().get_or_create(
        nomination=locked, member=member
    )
    if review.submitted_at:
        raise ValidationError(
            _("You already reviewed this nomination; tell the secretary about the conflict."),
            code="reviewed",
        )
    if review.conflict_of_interest:
        return review
    review.conflict_of_interest = True
    review.conflict_reason = reason.strip()
    review._history_user = member
    review.save()
    return review


@transaction.atomic
def review_submit(
    *,
    nomination: Nomination,
    member: User,
    recommendation: str,
    score: int | None,
    comment: str,
) -> Review:
    """One review per member, final once submitted."""
    locked = _lock(nomination)
    _guard(locked, [Status.IN_REVIEW])
    _check_reviewer(locked, member)
    if recommendation not in Review.Recommendation.values:
        raise ValidationError({"recommendation": _("Choose support, oppose or abstain.")})
    if score is None and recommendation != Review.Recommendation.ABSTAIN:
        raise ValidationError({"score": _("Give a score to support or oppose.")})
    if score is not None and not Review.SCORE_MIN <= score <= Review.SCORE_MAX:
        raise ValidationError(
            {
                "score": _("The score is between %(min)s and %(max)s.")
                % {"min": Review.SCORE_MIN, "max": Review.SCORE_MAX}
            }
        )
    review, _created = Review.objects.select_for_update().get_or_create(
        nomination=locked, member=member
    )
    if review.conflict_of_interest:
        raise ValidationError(
            _("You declared a conflict of interest: you do not review this nomination."),
            code="conflict",
        )
    if review.submitted_at:
        raise ValidationError(_("You already reviewed this nomination."), code="reviewed")
    review.recommendation = recommendation
    review.score = score
    review.comment = comment.strip()
    review.submitted_at = timezone.now()
    review._history_user = member
    review.save()
    return review


# --- The council ---------------------------------------------------------------------------


def _save_checked(obj, actor: User | None) -> None:
    """Model validation (constraints and the model's own checks), history, save."""
    obj.full_clean()
    obj._history_user = actor
    obj.save()


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
    _save_checked(council, actor)
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
    """Seat a member on the council, or change a seat (ending it is giving it an end date)."""
    Council.objects.select_for_update().get(pk=council.pk)  # one chair at a time, no race
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
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
    _save_checked(seat, actor)
    return seat


# --- Meetings ----------------------------------------------------------------------------------


def _vi_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)


def _guard_meeting(meeting: Meeting, allowed: Iterable[str]) -> None:
    if meeting.status not in allowed:
        raise ValidationError(
            _("The meeting is now “%(status)s”: this step no longer applies.")
            % {"status": meeting.get_status_display()},
            code="status",
        )


def _save_meeting(meeting: Meeting, actor: User | None) -> None:
    meeting._history_user = actor
    meeting.save()


@transaction.atomic
def meeting_schedule(
    *, held_on: datetime.date, title: str, location: str, actor: User | None
) -> Meeting:
    """A meeting of the council whose term covers its date."""
    council = council_on(held_on)
    if council is None:
        raise ValidationError(
            {"held_on": _("No council is in office on that date: record the council first.")}
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
    council = council_on(held_on)
    if council is None or council.pk != locked.council_id:
        raise ValidationError(
            {"held_on": _("The date must fall within the term of the meeting's council.")}
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
            "day": _vi_date(locked.held_on)
        }
    for nomination in sorted(nominations, key=lambda item: item.pk):
        moved = _move(
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
    return _move(nomination, allowed=[Status.ON_AGENDA], to=Status.IN_REVIEW, actor=actor)


def _back_to_review(meeting: Meeting, actor: User | None) -> None:
    for tally in meeting.tallies.select_related("nomination").order_by("nomination_id"):
        _move(tally.nomination, allowed=[Status.ON_AGENDA], to=Status.IN_REVIEW, actor=actor)
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
    *, meeting: Meeting, present: Iterable[int], actor: User | None
) -> list[Attendance]:
    """Who of the members seated on the meeting day attends; the others are absent."""
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
    seats = list(meeting_seats(locked))
    seated = {seat.user_id: seat for seat in seats}
    present = set(present)
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
    choices: Mapping[int, bool],
    recorded_by: User | None = None,
) -> BallotReceipt:
    """Record one member's secret ballot: approve (True) or disapprove (False) per nomination.

    1. lock the meeting (ballots and the closing queue up behind it) and check the ballot is
       open;
    2. check the voter: a member present votes themselves; an absent member votes in writing,
       entered by the secretary (`recorded_by`);
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
    attendance = Attendance.objects.filter(meeting=locked, member=member).first()
    if attendance is None:
        raise ValidationError(
            _("Only the members of the council at this meeting vote."), code="voter"
        )
    if recorded_by is None and not attendance.present:
        raise ValidationError(
            _("You are recorded as absent: give your written ballot to the secretary."),
            code="absent",
        )
    if recorded_by is not None and attendance.present:
        raise ValidationError(
            _("This member is present and casts the ballot themselves."), code="present"
        )
    votable, _aside = ballot_items(meeting=locked, member=member)
    expected = {tally.nomination_id for tally in votable}
    if not expected:
        raise ValidationError(
            _("There is nothing on this ballot for you to vote on."), code="nothing"
        )
    if set(choices) != expected or not all(isinstance(v, bool) for v in choices.values()):
        raise ValidationError(
            _("Approve or disapprove every nomination of the ballot."), code="incomplete"
        )
    try:
        with transaction.atomic():
            receipt = BallotReceipt.objects.create(
                meeting=locked,
                member=member,
                cast_at=timezone.now(),
                in_writing=recorded_by is not None,
                recorded_by=recorded_by,
            )
    except IntegrityError:
        raise ValidationError(
            _("This member has already voted in this meeting: a ballot is cast once."),
            code="voted",
        ) from None
    approved = sorted(pk for pk, choice in choices.items() if choice)
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
                "day": _vi_date(locked.held_on),
                "approvals": tally.approvals,
                "size": locked.council_size,
                "disapprovals": tally.disapprovals,
            }
        nomination = _move(
            tally.nomination,
            allowed=[Status.ON_AGENDA],
            to=Status.APPROVED if approved else Status.REJECTED,
            actor=actor,
            reason=reason,
        )
        if not approved:
            _release_initiatives(nomination, actor)
        elif award.needs_publicity:
            _publication_schedule(nomination, after=today, actor=actor)
    locked.status = Meeting.Status.CLOSED
    locked.ballot_closed_at = timezone.now()
    _save_meeting(locked, actor)
    return locked


# --- Publicity ---------------------------------------------------------------------------------


def publicity_window(
    *, after: datetime.date, working_days: int
) -> tuple[datetime.date, datetime.date]:
    """The window of `working_days` working days that starts on the first working day after
    `after`: (first day, last day), weekends and Vietnamese public holidays skipped."""
    return add_working_days(after, 1), add_working_days(after, working_days)


def _publication_schedule(
    nomination: Nomination, *, after: datetime.date, actor: User | None
) -> Publication:
    award = nomination.award_type
    opens_on, closes_on = publicity_window(after=after, working_days=award.publicity_working_days)
    person, unit = nomination.person, nomination.unit
    publication = Publication(
        nomination=nomination,
        opens_on=opens_on,
        closes_on=closes_on,
        working_days=award.publicity_working_days,
        nominee_name=person.full_name if person else unit.name,
        nominee_is_person=person is not None,
        nominee_position=(person.position if person else "") or "",
        unit_name=nomination.proposing_unit.name,
        unit_name_en=nomination.proposing_unit.name_en,
        award_name=award.name,
        award_name_en=award.name_en,
        year=nomination.year,
        summary=nomination.report_achievements.strip(),
    )
    publication._history_user = actor
    publication.save()
    return publication


def _lock_publication(publication: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=publication.pk)


@transaction.atomic
def publication_open(*, publication: Publication, today: datetime.date | None = None) -> bool:
    """Open the window on its first day; the nomination is then published. Safe to run twice:
    it answers False, changing nothing, when there is nothing to do."""
    today = today or timezone.localdate()
    locked = _lock_publication(publication)
    if locked.status != Publication.Status.SCHEDULED or locked.opens_on > today:
        return False
    locked.status = Publication.Status.OPEN
    locked.opened_at = timezone.now()
    locked.save()
    with translation.override("vi"):
        reason = _("Published for public comment from %(start)s to %(end)s.") % {
            "start": _vi_date(locked.opens_on),
            "end": _vi_date(locked.closes_on),
        }
    _move(
        locked.nomination, allowed=[Status.APPROVED], to=Status.PUBLISHED, actor=None, reason=reason
    )
    transaction.on_commit(lambda: _queue("notify_publication", locked.pk))
    return True


@transaction.atomic
def publication_close(*, publication: Publication, today: datetime.date | None = None) -> bool:
    """Close the window once its last day has passed; safe to run twice."""
    today = today or timezone.localdate()
    locked = _lock_publication(publication)
    if locked.status != Publication.Status.OPEN or locked.closes_on >= today:
        return False
    locked.status = Publication.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save()
    return True


@transaction.atomic
def public_comment_add(
    *, publication: Publication, name: str, contact: str, text: str
) -> PublicComment:
    """A comment from anyone while the window is open; it shows once the secretary approves it."""
    locked = _lock_publication(publication)
    today = timezone.localdate()
    if locked.status != Publication.Status.OPEN or not (
        locked.opens_on <= today <= locked.closes_on
    ):
        raise ValidationError(_("Comments on this nominee are closed."), code="closed")
    comment = PublicComment(
        publication=locked, name=name.strip(), contact=contact.strip(), text=text.strip()
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def public_comment_moderate(
    *, comment: PublicComment, status: str, actor: User | None
) -> PublicComment:
    """Show or hide a comment; it can be changed again, each change kept in its history."""
    if status not in {PublicComment.Status.APPROVED, PublicComment.Status.HIDDEN}:
        raise ValidationError(_("Show or hide the comment."), code="status")
    locked = PublicComment.objects.select_for_update().get(pk=comment.pk)
    if locked.status == status:
        return locked
    locked.status = status
    locked.moderated_by = actor
    locked.moderated_at = timezone.now()
    locked._history_user = actor
    locked.save()
    return locked


# --- Decisions ---------------------------------------------------------------------------------

# Official numbers: "123/QĐ-BCT" for a decision; a proposal sent up is a tờ trình ("45/TTr-BCT")
# or an official letter ("CV").
_ISSUER_CODE = r"[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*"
NUMBER_PATTERNS = {
    Decision.Kind.DECISION: re.compile(rf"^[1-9]\d{{0,5}}/QĐ-{_ISSUER_CODE}$"),
    Decision.Kind.FORWARDING: re.compile(rf"^[1-9]\d{{0,5}}/(?:TTr|CV|QĐ)-{_ISSUER_CODE}$"),
}


def decision_number_clean(*, kind: str, number: str) -> str:
    """The number as written on the document, or a ValidationError saying what is expected."""
    value = unicodedata.normalize("NFC", number.strip())
    if not NUMBER_PATTERNS[kind].match(value):
        example = "123/QĐ-BCT" if kind == Decision.Kind.DECISION else "45/TTr-BCT"
        raise ValidationError(
            {
                "number": _("Write the number as on the document, e.g. %(example)s.")
                % {"example": example}
            },
            code="number",
        )
    return value


def _check_decidable(nomination: Nomination, *, kind: str) -> None:
    forwarded = nomination.award_type.is_forwarded
    if forwarded != (kind == Decision.Kind.FORWARDING):
        raise ValidationError(
            (
                _("%(nomination)s is decided by a higher level: record it as forwarded.")
                if forwarded
                else _("%(nomination)s is decided by the Ministry: record it in a decision.")
            )
            % {"nomination": nomination},
            code="kind",
        )
    publication = Publication.objects.filter(nomination=nomination).first()
    if nomination.status == Status.APPROVED and not nomination.award_type.needs_publicity:
        return
    if (
        nomination.status == Status.PUBLISHED
        and publication
        and (publication.status == Publication.Status.CLOSED)
    ):
        return
    raise ValidationError(
        _(
            "%(nomination)s is not ready for a decision: it must be approved by the council and "
            "its publicity ended."
        )
        % {"nomination": nomination},
        code="not_ready",
    )


@transaction.atomic
def decision_record(
    *,
    kind: str,
    number: str,
    signed_on: datetime.date,
    signer: str,
    signer_title: str,
    issuer: str,
    nominations: Iterable[Nomination],
    actor: User | None,
) -> Decision:
    """Record a decision (or a forwarding) settling a set of approved nominations.

    1. check the number, the date and that no document of the year has the same number;
    2. lock each nomination (in id order) and check it is ready: approved, with its publicity
       (when the award requires one) ended, and of the kind recorded — the Ministry decides
       its own awards; those of the Prime Minister or the President are forwarded;
    3. create the decision; a decision adds each award to the nominee's history, a forwarding
       grants nothing;
    4. mark the initiatives relied on as used, move each nomination to decided or forwarded;
    5. after commit, tell the proposing units.
    """
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": _("Choose a decision or a forwarding.")})
    number = decision_number_clean(kind=kind, number=number)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    if not signer.strip():
        raise ValidationError({"signer": _("Give the signer's name.")})
    if not issuer.strip():
        raise ValidationError({"issuer": _("Give the issuer as written in the award history.")})
    if Decision.objects.filter(kind=kind, number=number, signed_on__year=signed_on.year).exists():
        raise ValidationError(
            {
                "number": _("A document numbered %(number)s was already recorded in %(year)s.")
                % {"number": number, "year": signed_on.year}
            },
            code="duplicate",
        )
    chosen = sorted({nomination.pk for nomination in nominations})
    if not chosen:
        raise ValidationError({"nominations": _("Choose the nominations it settles.")})
    locked = []
    for pk in chosen:
        nomination = _lock(Nomination(pk=pk))
        _check_decidable(nomination, kind=kind)
        locked.append(nomination)
    decision = Decision(
        kind=kind,
        number=number,
        signed_on=signed_on,
        signer=signer.strip(),
        signer_title=signer_title.strip(),
        issuer=issuer.strip(),
        recorded_by=actor,
    )
    _save_checked(decision, actor)
    with translation.override("vi"):
        reason = _("%(kind)s %(number)s of %(day)s.") % {
            "kind": decision.get_kind_display(),
            "number": number,
            "day": _vi_date(signed_on),
        }
    forwarding = kind == Decision.Kind.FORWARDING
    for nomination in locked:
        if not forwarding:
            grant = AwardGrant(
                person=nomination.person,
                unit=nomination.unit,
                year=nomination.year,
                award_type=nomination.award_type,
                decision_number=number,
                decided_on=signed_on,
                issuer=decision.issuer,
                decision=decision,
                nomination=nomination,
            )
            _save_checked(grant, actor)
        for item in Initiative.objects.select_for_update().filter(used_by=nomination):
            item.used_on = signed_on
            item._history_user = actor
            item.save()
        previous = nomination.status
        nomination.status = Status.FORWARDED if forwarding else Status.DECIDED
        nomination.decision = decision
        nomination.version += 1
        _evaluate(nomination)
        _save(nomination, actor)
        _step(nomination, from_status=previous, actor=actor, reason=reason)
    transaction.on_commit(lambda: _queue("notify_decision", decision.pk))
    return decision


@transaction.atomic
def decision_revoke(*, decision: Decision, reason: str, actor: User | None) -> Decision:
    """Revoke a decision: its awards leave the nominees' history (the audit history keeps them)
    and its nominations are revoked, with the reason in their steps."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the decision is revoked.")})
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != Decision.Status.IN_FORCE:
        raise ValidationError(_("This decision is already revoked."), code="status")
    for grant in AwardGrant.objects.select_for_update().filter(decision=locked):
        grant._history_user = actor
        grant.delete()
    with translation.override("vi"):
        step_reason = _("%(number)s revoked: %(reason)s") % {
            "number": locked.number,
            "reason": reason.strip(),
        }
    for pk in locked.nominations.order_by("pk").values_list("pk", flat=True):
        _move(
            Nomination(pk=pk),
            allowed=[Status.DECIDED, Status.FORWARDED],
            to=Status.REVOKED,
            actor=actor,
            reason=step_reason,
        )
    locked.status = Decision.Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason.strip()
    _save_checked(locked, actor)
    transaction.on_commit(lambda: _queue("notify_decision", locked.pk))
    return locked


# --- Telling the proposing units ------------------------------------------------------------


def _queue(task_name: str, pk: int) -> None:
    from awards import tasks

    getattr(tasks, task_name).delay(pk)


def _tell_unit(nomination: Nomination, *, key: str, message, url: str) -> int:
    """Put a message in the inbox of every officer and head of the proposing unit, in each
    one's language, and e-mail those who want e-mail. Once per recipient and key, so that a
    retried task neither repeats the message nor the e-mail. Answers how many were told."""
    told = 0
    for user in unit_people_to_tell(nomination.proposing_unit):
        with translation.override(user.language):
            text = str(message())
            subject = _("Commendations: %(nominee)s") % {"nominee": nomination.nominee}
        if Notification.objects.filter(recipient=user, key=key).exists():
            continue
        notify(recipient=user, message=text, url=url, key=key)
        told += 1
        if user.email_notifications and user.email:
            send_mail(subject, f"{text}\n\n{settings.SITE_URL}{url}", None, [user.email])
    return told


def publication_tell_unit(*, publication: Publication) -> int:
    nomination = publication.nomination

    def message():
        return _(
            "The nomination of %(nominee)s for %(award)s is published for public comment "
            "from %(start)s to %(end)s."
        ) % {
            "nominee": nomination.nominee,
            "award": nomination.award_type.localized("name"),
            "start": formats.date_format(publication.opens_on, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(publication.closes_on, "SHORT_DATE_FORMAT"),
        }

    return _tell_unit(
        nomination,
        key=f"publication:{publication.pk}",
        message=message,
        url=reverse("awards:detail", args=[nomination.pk]),
    )


def decision_tell_units(*, decision: Decision) -> int:
    told = 0
    for nomination in decision.nominations.select_related(
        "award_type", "person", "unit", "proposing_unit"
    ).order_by("pk"):

        def message(nomination=nomination):
            values = {
                "nominee": nomination.nominee,
                "award": nomination.award_type.localized("name"),
                "number": decision.number,
                "day": formats.date_format(decision.signed_on, "SHORT_DATE_FORMAT"),
            }
            if decision.status == Decision.Status.REVOKED:
                return _("%(number)s is revoked: %(award)s is withdrawn from %(nominee)s.") % values
            if decision.is_forwarding:
                return (
                    _(
                        "The nomination of %(nominee)s for %(award)s is forwarded to a "
                        "higher level (%(number)s of %(day)s)."
                    )
                    % values
                )
            return _("%(nominee)s is awarded %(award)s by %(number)s of %(day)s.") % values

        told += _tell_unit(
            nomination,
            key=f"decision:{decision.pk}:{decision.status}:{nomination.pk}",
            message=message,
            url=reverse("awards:detail", args=[nomination.pk]),
        )
    return told
