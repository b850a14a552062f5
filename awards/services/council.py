"""The council and its seats, its meetings and the secret ballot."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from awards import ballot_crypto
from awards.models import (
    Attendance,
    BallotKey,
    BallotReceipt,
    Council,
    CouncilMember,
    Meeting,
    Nomination,
    SealedVote,
    VoteTally,
    share_reached,
)
from awards.selectors.catalogue import terms_prefetch
from awards.selectors.council import ballot_items, council_on, meeting_seats
from awards.selectors.levels import check_same_level
from awards.services._steps import (
    Status,
    field_error,
    move,
    release_initiatives,
    save_checked,
    vi_date,
)
from awards.services.publicity import check_ready_for_meeting, status_back_to_review
from units.models import Unit, User

# A meeting is planned months ahead, not decades: a date past this horizon is a typing error
# (31/12/9999 under an open-ended council).
MEETING_HORIZON_DAYS = 2 * 366
# A term is five years (the council is re-established with the Ministry's leadership): the next
# council may be recorded up to a term ahead, and a term may be extended by decision up to ten
# years; past that a date is a mistyped year such as 9999.
COUNCIL_HORIZON_DAYS = 6 * 366
TERM_LIMIT_DAYS = 10 * 366


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
    unit: Unit | None = None,
) -> Council:
    """Record a council for a term, or change one; terms of two councils of the same level
    (the Ministry's, or one unit's: Law 2022 Art 80) never overlap."""
    # Councils are few: locking them all serialises two secretaries saving overlapping terms.
    if term_start > timezone.localdate() + datetime.timedelta(days=COUNCIL_HORIZON_DAYS):
        raise field_error(
            "term_start",
            _("A council's term cannot start more than six years ahead."),
            "too_far_ahead",
        )
    if term_end is not None and term_end > term_start + datetime.timedelta(days=TERM_LIMIT_DAYS):
        raise field_error(
            "term_end", _("A council's term cannot last more than ten years."), "too_long"
        )
    list(Council.objects.select_for_update().order_by("pk"))
    council = Council() if council is None else Council.objects.get(pk=council.pk)
    council.unit = unit
    default_name = Council._meta.get_field("name").default
    if unit is not None:
        default_name = f"Hội đồng Thi đua - Khen thưởng {unit.name}"
    council.name = name.strip() or default_name
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
    votes: bool = True,
) -> CouncilMember:
    """Seat `user` on the council, or change their seat (ending it is giving it an end date).
    Every seat votes but a secretary's may not (a secretary who only keeps the minutes)."""
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
    seat.votes = votes
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
    _save_meeting(meeting, actor)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, held_on: datetime.date, title: str, location: str, actor: User | None
) -> Meeting:
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
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
    _save_meeting(locked, actor)
    return locked


@transaction.atomic
def meeting_agenda_add(
    *, meeting: Meeting, nominations: Iterable[Nomination], actor: User | None
) -> list[VoteTally]:
    """Put reviewed nominations on the agenda (in review → on the agenda): only those whose
    publicity ends before the meeting day (NĐ 98/2023 Art 46.2, NĐ 152/2025 Art 44.2) and
    whose nominee has no open matter."""
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
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
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
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


# --- The ballot --------------------------------------------------------------------------------

PASSPHRASE_MIN_LENGTH = 12


def _context(meeting: Meeting) -> bytes:
    """What the meeting's key is bound to (the HMAC of its public key, the AES-GCM data of its
    private key): a key copied from another meeting's row is refused here."""
    return f"thidua secret ballot, meeting {meeting.pk}".encode()


def _sealed(key: BallotKey) -> ballot_crypto.SealedKey:
    return ballot_crypto.SealedKey(
        public_n=bytes(key.public_n),
        public_n_mac=key.public_n_mac,
        salt=bytes(key.salt),
        scrypt_n=key.scrypt_n,
        nonce=bytes(key.nonce),
        sealed_private_key=bytes(key.sealed_private_key),
    )


@sensitive_variables("chair_passphrase", "secretary_passphrase")
def _check_new_passphrases(chair_passphrase: str, secretary_passphrase: str) -> None:
    errors = {}
    for field, value in (
        ("chair_passphrase", chair_passphrase),
        ("secretary_passphrase", secretary_passphrase),
    ):
        if len(ballot_crypto.normalise(value)) < PASSPHRASE_MIN_LENGTH:
            errors[field] = ValidationError(
                _("A passphrase has at least %(count)s characters.")
                % {"count": PASSPHRASE_MIN_LENGTH},
                code="passphrase_short",
            )
    if not errors and ballot_crypto.normalise(chair_passphrase) == ballot_crypto.normalise(
        secretary_passphrase
    ):
        errors["secretary_passphrase"] = ValidationError(
            _("The two passphrases must differ: each person chooses their own."),
            code="passphrase_same",
        )
    if errors:
        raise ValidationError(errors)


@sensitive_variables("chair_passphrase", "secretary_passphrase")
@transaction.atomic
def meeting_ballot_open(
    *,
    meeting: Meeting,
    chair_passphrase: str,
    secretary_passphrase: str,
    actor: User | None,
) -> Meeting:
    """Open the secret ballot, with its key sealed under the chair's and the secretary's
    passphrases (a two-person counting board: both are needed to count).

    1. lock the meeting and guard its status; 2. check the agenda and that attendance was
    recorded against the seats as they stand on the meeting day, and that every award of the
    agenda has its vote terms for that day; 3. check the passphrases; 4. freeze the council
    size (every voting seat on the meeting day, present or not, whatever the state of the
    member's account: the thresholds are shares of it); 5. make the meeting's key pair and
    store it, the private half sealed; 6. open.
    """
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.SCHEDULED])
    if not locked.tallies.exists():
        raise ValidationError(_("Put at least one nomination on the agenda first."), code="agenda")
    for tally in locked.tallies.select_related("nomination__award_type").order_by("pk"):
        check_ready_for_meeting(tally.nomination, held_on=locked.held_on)
    seated = set(meeting_seats(locked).values_list("user_id", "votes"))
    rows = list(locked.attendance.all())
    if not rows or {(row.member_id, row.votes) for row in rows} != seated:
        raise ValidationError(
            _("Record the attendance of the council's members first."), code="attendance"
        )
    if not any(row.present for row in rows):
        raise ValidationError(_("No member is recorded as present."), code="attendance")
    council_size = sum(1 for row in rows if row.votes)
    if council_size < 1:
        raise ValidationError(_("No seat of the council votes."), code="attendance")
    # Every award on the agenda has its vote terms for the meeting day (refused now, not at
    # the count).
    tallies = locked.tallies.select_related("nomination__award_type").prefetch_related(
        terms_prefetch("nomination__award_type__terms")
    )
    for tally in tallies:
        tally.nomination.award_type.terms_on(locked.held_on)
    _check_new_passphrases(chair_passphrase, secretary_passphrase)
    sealed = ballot_crypto.key_new(
        context=_context(locked),
        chair=chair_passphrase,
        secretary=secretary_passphrase,
        bits=settings.BALLOT_KEY_BITS,
        scrypt_n=settings.BALLOT_SCRYPT_N,
    )
    BallotKey.objects.create(meeting=locked, **asdict(sealed))
    locked.council_size = council_size
    locked.status = Meeting.Status.BALLOT_OPEN
    locked.ballot_opened_at = timezone.now()
    _save_meeting(locked, actor)
    return locked


def _public_key(meeting: Meeting):
    key = BallotKey.objects.filter(meeting=meeting).first()
    try:
        if key is None:
            raise ballot_crypto.DamagedBallot("no key")
        return ballot_crypto.public_key(_sealed(key), context=_context(meeting))
    except ballot_crypto.DamagedBallot:
        raise ValidationError(
            _(
                "This ballot's key is missing or was altered: no ballot can be cast. "
                "The secretary voids the ballot and opens it again."
            ),
            code="damaged",
        ) from None


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
       open and sealed;
    2. check the voter: a member present votes themselves (`actor` is the member); an absent
       member votes in writing, entered by the secretary (`actor` is the secretary);
    3. the choices cover exactly the items the member votes on: the agenda less the
       nominations of themselves or on which they declared a conflict — on those they stand
       aside and cast no vote either way (which, the thresholds being shares of all members,
       weighs as not approving);
    4. insert the receipt: the unique constraint refuses a second ballot, even from a race;
    5. insert one SealedVote per item voted on, in the agenda's order, in one statement: a
       ciphertext of the choice, of a fixed size. The rows, their number, order, sizes and the
       statements that write them are the same whatever the choices; only the ciphertexts,
       random, differ. No count is touched until the ballot closes.
    """
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
    if locked.plain_counts:
        raise ValidationError(
            _(
                "This ballot was opened before ballots were sealed: it takes no more ballots. "
                "The secretary closes it with the ballots cast, or voids it so that the "
                "council votes again."
            ),
            code="plain_counts",
        )
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
    if not attendance.votes:
        raise ValidationError(
            _("This seat of the council does not vote (a secretary who is not a member)."),
            code="no_vote",
        )
    votable, _aside = ballot_items(meeting=locked, member=member)
    expected = {tally.nomination_id: tally for tally in votable}
    if not expected:
        raise ValidationError(
            _("There is nothing on this ballot for you to vote on."), code="nothing"
        )
    chosen = {nomination.pk: choice for nomination, choice in choices.items()}
    if set(chosen) != set(expected) or not all(isinstance(v, bool) for v in chosen.values()):
        raise ValidationError(
            _("Approve or disapprove every nomination of the ballot."), code="incomplete"
        )
    public_key = _public_key(locked)
    # Encrypt before writing anything: the statements below then follow each other at once.
    sealed = [
        SealedVote(tally=tally, ciphertext=ballot_crypto.seal(public_key, chosen[pk]))
        for pk, tally in sorted(expected.items(), key=lambda item: item[1].pk)
    ]
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
    SealedVote.objects.bulk_create(sealed)
    return receipt


@sensitive_variables("chair_passphrase", "secretary_passphrase", "private_key")
def _count(meeting: Meeting, chair_passphrase: str, secretary_passphrase: str) -> dict[int, tuple]:
    """{tally id: (approvals, disapprovals)}, decrypting only each item's sum. Writes nothing."""
    key = BallotKey.objects.filter(meeting=meeting).first()
    if key is None:
        raise ValidationError(
            _("This ballot's key is missing: it cannot be counted. Void it and vote again."),
            code="damaged",
        )
    sealed = _sealed(key)
    context = _context(meeting)
    try:
        public_key = ballot_crypto.public_key(sealed, context=context)
        private_key = ballot_crypto.private_key_open(
            sealed, context=context, chair=chair_passphrase, secretary=secretary_passphrase
        )
    except ballot_crypto.WrongPassphrases:
        raise ValidationError(
            _(
                "The passphrases do not open this ballot: one of them is wrong, or both. "
                "Each person types their own again. Nothing was changed."
            ),
            code="passphrase",
        ) from None
    except ballot_crypto.DamagedBallot:
        raise ValidationError(
            _("This ballot's key was altered: it cannot be counted. Void it and vote again."),
            code="damaged",
        ) from None
    ciphertexts: dict[int, list[bytes]] = {}
    for tally_id, ciphertext in SealedVote.objects.filter(tally__meeting=meeting).values_list(
        "tally_id", "ciphertext"
    ):
        ciphertexts.setdefault(tally_id, []).append(bytes(ciphertext))
    counts = {}
    for tally_id in meeting.tallies.values_list("pk", flat=True):
        cast = ciphertexts.get(tally_id, [])
        try:
            approvals = private_key.raw_decrypt(ballot_crypto.add(public_key, cast))
        except ballot_crypto.DamagedBallot:
            approvals = -1
        if not 0 <= approvals <= len(cast):
            raise ValidationError(
                _("The stored ballots were altered: they cannot be counted."), code="damaged"
            )
        counts[tally_id] = (approvals, len(cast) - approvals)
    return counts


@sensitive_variables("chair_passphrase", "secretary_passphrase")
@transaction.atomic
def meeting_ballot_close(
    *,
    meeting: Meeting,
    chair_passphrase: str,
    secretary_passphrase: str,
    actor: User | None,
) -> Meeting:
    """Close the ballot, count it and settle every nomination on the agenda.

    1. lock the meeting and guard its status (a second click finds it closed);
    2. open the meeting's private key with the chair's and the secretary's passphrases (a
       wrong one refuses and changes nothing) and decrypt each item's sum — the product of its
       sealed votes —, never a single ballot; a ballot opened before ballots were sealed
       (`plain_counts`) has its counts already and needs no passphrase;
    3. write the sums to the tallies, then destroy the sealed votes and the key;
    4. each nomination is approved when its approvals reach the threshold of ALL council
       members in force on the meeting day (AwardType.terms_on(held_on); integers only), else
       rejected; the threshold applied and its source are frozen on the tally;
    5. the nomination moves with the count in its step; a rejected one gives its initiatives
       back (the publicity came before the meeting: NĐ 152/2025 Art 44.2);
    6. the meeting is closed: only now do the counts show anywhere.
    """
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
    if not locked.plain_counts:
        counts = _count(locked, chair_passphrase, secretary_passphrase)
        for tally_id, (approvals, disapprovals) in sorted(counts.items()):
            VoteTally.objects.filter(pk=tally_id).update(
                approvals=approvals, disapprovals=disapprovals
            )
        SealedVote.objects.filter(tally__meeting=locked).delete()
        BallotKey.objects.filter(meeting=locked).delete()
    tallies = (
        VoteTally.objects.filter(meeting=locked)
        .select_related("nomination__award_type")
        .prefetch_related(terms_prefetch("nomination__award_type__terms"))
    )
    for tally in tallies.order_by("nomination_id"):
        # The threshold in force on the meeting day, frozen on the tally with its source.
        terms = tally.nomination.award_type.terms_on(locked.held_on)
        tally.threshold_rule, tally.threshold_percent = terms.required_share()
        tally.threshold_source = terms.ballot_source
        approved = share_reached(
            rule=tally.threshold_rule,
            percent=tally.threshold_percent,
            approvals=tally.approvals,
            council_size=locked.council_size,
        )
        tally.outcome = VoteTally.Outcome.APPROVED if approved else VoteTally.Outcome.REJECTED
        tally.save(
            update_fields=["outcome", "threshold_rule", "threshold_percent", "threshold_source"]
        )
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
    locked.status = Meeting.Status.CLOSED
    locked.ballot_closed_at = timezone.now()
    _save_meeting(locked, actor)
    return locked


@transaction.atomic
def meeting_ballot_void(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Void an open ballot that cannot be counted (a passphrase is lost, the chair cannot come
    back, a ballot opened before ballots were sealed): the ballots cast, their receipts and the
    key are destroyed unread and the meeting is scheduled again with its agenda and attendance,
    so that the secretary opens a new ballot, with new passphrases, and the members vote again.
    The meeting's history keeps that it happened and who did it.
    """
    locked = _lock_meeting(meeting)
    _guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
    SealedVote.objects.filter(tally__meeting=locked).delete()
    BallotKey.objects.filter(meeting=locked).delete()
    BallotReceipt.objects.filter(meeting=locked).delete()
    if locked.plain_counts:
        VoteTally.objects.filter(meeting=locked).update(approvals=0, disapprovals=0)
    locked.plain_counts = False
    locked.council_size = None
    locked.ballot_opened_at = None
    locked.status = Meeting.Status.SCHEDULED
    _save_meeting(locked, actor)
    return locked
