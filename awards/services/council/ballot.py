"""The secret ballot of a meeting: opening it under the chair's and the secretary's
passphrases, casting, counting with both passphrases, closing and voiding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from awards import ballot_crypto
from awards.models import (
    Attendance,
    BallotKey,
    BallotReceipt,
    Meeting,
    Nomination,
    SealedVote,
    VoteTally,
    share_reached,
)
from awards.selectors.catalogue import terms_prefetch
from awards.selectors.council import ballot_items, meeting_seats
from awards.services._steps import (
    Status,
    move,
    release_initiatives,
    vi_date,
)
from awards.services.council.meetings import guard_meeting, lock_meeting, save_meeting
from awards.services.notices import ballot_tell_members
from awards.services.publicity import check_ready_for_meeting
from units.models import User

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
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.SCHEDULED])
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
    save_meeting(locked, actor)
    ballot_tell_members(meeting=locked, actor=actor)
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
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
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
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
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
    save_meeting(locked, actor)
    return locked


@transaction.atomic
def meeting_ballot_void(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Void an open ballot that cannot be counted (a passphrase is lost, the chair cannot come
    back, a ballot opened before ballots were sealed): the ballots cast, their receipts and the
    key are destroyed unread and the meeting is scheduled again with its agenda and attendance,
    so that the secretary opens a new ballot, with new passphrases, and the members vote again.
    The meeting's history keeps that it happened and who did it.
    """
    locked = lock_meeting(meeting)
    guard_meeting(locked, [Meeting.Status.BALLOT_OPEN])
    SealedVote.objects.filter(tally__meeting=locked).delete()
    BallotKey.objects.filter(meeting=locked).delete()
    BallotReceipt.objects.filter(meeting=locked).delete()
    if locked.plain_counts:
        VoteTally.objects.filter(meeting=locked).update(approvals=0, disapprovals=0)
    locked.plain_counts = False
    locked.council_size = None
    locked.ballot_opened_at = None
    locked.status = Meeting.Status.SCHEDULED
    save_meeting(locked, actor)
    return locked
