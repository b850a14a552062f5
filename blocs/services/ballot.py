"""The bloc's year-end meeting: the agenda (units ranked, and the flag for each), the secret
ballot of the member units, and the proposals it makes.

The ballot keeps the council ballot's secrecy (awards.ballot_crypto, README "The secret
ballot"): choices are Paillier ciphertexts, a receipt says only that a unit voted, and the
private key is sealed under the chair's (the leading unit's head) and the board secretary's
passphrases together. Each member unit casts one ballot, by one of its heads; the catalogue's
threshold (AwardType.terms_on) is a share of all member units.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from awards import ballot_crypto
from awards.documents.blocks import DOCX
from awards.models import AwardType, Nomination, NominationAttachment, share_reached
from awards.services.council.ballot import _check_new_passphrases
from awards.services.nominations import nomination_draft
from blocs import documents
from blocs.models import (
    BlocBallotItem,
    BlocBallotKey,
    BlocBallotReceipt,
    BlocMeeting,
    BlocSealedVote,
    BlocYear,
)
from blocs.services.handovers import ballot_tell_members
from blocs.services.years import lock_year
from units.models import Unit, User

# The flags the bloc proposes for (the catalogue's codes).
FLAG_CODES = ("CO_BO", "CO_CP")


def _context(meeting: BlocMeeting) -> bytes:
    return f"thidua bloc ballot, meeting {meeting.pk}".encode()


def _lock(meeting: BlocMeeting) -> BlocMeeting:
    return (
        BlocMeeting.objects.select_for_update().select_related("bloc_year__bloc").get(pk=meeting.pk)
    )


def _guard(meeting: BlocMeeting, *statuses: str) -> None:
    if meeting.status not in statuses:
        raise ValidationError(
            _("The meeting is %(status)s: this step is not open.")
            % {"status": meeting.get_status_display().lower()},
            code="status",
        )


@transaction.atomic
def meeting_schedule(
    *, bloc_year: BlocYear, held_on, location: str, actor: User | None
) -> BlocMeeting:
    bloc_year = lock_year(bloc_year)
    if not bloc_year.is_published:
        raise ValidationError(_("Publish the ranking before the year-end meeting."), code="ranking")
    if BlocMeeting.objects.filter(bloc_year=bloc_year).exists():
        raise ValidationError(_("The year's meeting is already scheduled."), code="exists")
    meeting = BlocMeeting(bloc_year=bloc_year, held_on=held_on, location=location.strip())
    meeting._history_user = actor
    meeting.save()
    return meeting


@transaction.atomic
def meeting_item_add(*, meeting: BlocMeeting, unit: Unit, award_code: str) -> BlocBallotItem:
    meeting = _lock(meeting)
    _guard(meeting, BlocMeeting.Status.SCHEDULED)
    bloc_year = meeting.bloc_year
    if award_code not in FLAG_CODES:
        raise ValidationError({"award": _("Choose a flag.")})
    if not bloc_year.ranking.filter(unit=unit).exists():
        raise ValidationError({"unit": _("Only a unit of the published ranking can be proposed.")})
    award = AwardType.objects.get(code=award_code)
    live = Nomination.objects.filter(unit=unit, award_type=award, year=bloc_year.year).exclude(
        status__in=Nomination.CLOSED_WITHOUT_AWARD
    )
    if live.exists():
        raise ValidationError(
            {"unit": _("The unit already has a nomination for this award and year.")}
        )
    try:
        with transaction.atomic():
            return BlocBallotItem.objects.create(meeting=meeting, unit=unit, award_type=award)
    except IntegrityError:
        raise ValidationError(
            {"unit": _("This unit is already on the agenda for that flag.")}
        ) from None


@transaction.atomic
def meeting_item_remove(*, item: BlocBallotItem) -> None:
    meeting = _lock(item.meeting)
    _guard(meeting, BlocMeeting.Status.SCHEDULED)
    item.delete()


def _terms(item: BlocBallotItem, held_on):
    terms = item.award_type.terms_on(held_on)
    return terms.required_share()


@sensitive_variables("chair_passphrase", "secretary_passphrase")
@transaction.atomic
def ballot_open(
    *, meeting: BlocMeeting, chair_passphrase: str, secretary_passphrase: str, actor: User | None
) -> BlocMeeting:
    meeting = _lock(meeting)
    _guard(meeting, BlocMeeting.Status.SCHEDULED)
    items = list(meeting.items.select_related("award_type"))
    if not items:
        raise ValidationError(_("Put at least one unit on the agenda first."), code="agenda")
    for item in items:
        _terms(item, meeting.held_on)  # refused now, not at the count
    _check_new_passphrases(chair_passphrase, secretary_passphrase)
    sealed = ballot_crypto.key_new(
        context=_context(meeting),
        chair=chair_passphrase,
        secretary=secretary_passphrase,
        bits=settings.BALLOT_KEY_BITS,
        scrypt_n=settings.BALLOT_SCRYPT_N,
    )
    BlocBallotKey.objects.create(meeting=meeting, **asdict(sealed))
    meeting.voters = meeting.bloc_year.members.count()
    meeting.status = BlocMeeting.Status.BALLOT_OPEN
    meeting.ballot_opened_at = timezone.now()
    meeting._history_user = actor
    meeting.save()
    ballot_tell_members(meeting=meeting, actor=actor)
    return meeting


def _sealed(key: BlocBallotKey) -> ballot_crypto.SealedKey:
    return ballot_crypto.SealedKey(
        public_n=bytes(key.public_n),
        public_n_mac=key.public_n_mac,
        salt=bytes(key.salt),
        scrypt_n=key.scrypt_n,
        nonce=bytes(key.nonce),
        sealed_private_key=bytes(key.sealed_private_key),
    )


@transaction.atomic
def ballot_cast(
    *, meeting: BlocMeeting, unit: Unit, voter: User, choices: Mapping[int, bool]
) -> BlocBallotReceipt:
    """One member unit's ballot: a choice on every item, sealed; the receipt names the unit."""
    meeting = _lock(meeting)
    _guard(meeting, BlocMeeting.Status.BALLOT_OPEN)
    if not meeting.bloc_year.members.filter(unit=unit).exists():
        raise ValidationError(_("Only a member unit of the bloc votes."), code="member")
    items = list(meeting.items.order_by("pk"))
    if set(choices) != {item.pk for item in items}:
        raise ValidationError(
            _("Choose approve or disapprove for every unit on the agenda."), code="choices"
        )
    try:
        with transaction.atomic():
            receipt = BlocBallotReceipt.objects.create(
                meeting=meeting, unit=unit, voter=voter, cast_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(_("This unit has already voted."), code="voted") from None
    key = ballot_crypto.public_key(_sealed(meeting.ballot_key), context=_context(meeting))
    BlocSealedVote.objects.bulk_create(
        BlocSealedVote(item=item, ciphertext=ballot_crypto.seal(key, choices[item.pk]))
        for item in items
    )
    return receipt


@sensitive_variables("chair_passphrase", "secretary_passphrase", "private")
@transaction.atomic
def ballot_close(
    *, meeting: BlocMeeting, chair_passphrase: str, secretary_passphrase: str, actor: User | None
) -> BlocMeeting:
    """Count with both passphrases, apply the catalogue's threshold to all member units, and
    turn every approved item into a nomination of that unit with the bloc's evidence."""
    meeting = _lock(meeting)
    _guard(meeting, BlocMeeting.Status.BALLOT_OPEN)
    try:
        private = ballot_crypto.private_key_open(
            _sealed(meeting.ballot_key),
            context=_context(meeting),
            chair=chair_passphrase,
            secretary=secretary_passphrase,
        )
    except ballot_crypto.WrongPassphrases:
        raise ValidationError(
            _("The passphrases do not open the ballot: both are needed, as typed at the opening."),
            code="passphrase",
        ) from None
    cast = meeting.receipts.count()
    items = list(meeting.items.select_related("award_type", "unit").order_by("pk"))
    for item in items:
        ciphertexts = [bytes(vote.ciphertext) for vote in item.sealed_votes.all()]
        total = ballot_crypto.add(private.public_key, ciphertexts)
        approvals = private.raw_decrypt(total) if ciphertexts else 0
        rule, percent = _terms(item, meeting.held_on)
        item.approvals, item.disapprovals = approvals, cast - approvals
        item.threshold_rule, item.threshold_percent = rule, percent
        reached = share_reached(
            rule=rule, percent=percent, approvals=approvals, council_size=meeting.voters or 1
        )
        item.outcome = (
            BlocBallotItem.Outcome.APPROVED if reached else BlocBallotItem.Outcome.REJECTED
        )
        item.save()
    BlocSealedVote.objects.filter(item__meeting=meeting).delete()
    BlocBallotKey.objects.filter(meeting=meeting).delete()
    meeting.status = BlocMeeting.Status.CLOSED
    meeting.ballot_closed_at = timezone.now()
    meeting._history_user = actor
    meeting.save()
    for item in items:
        if item.outcome == BlocBallotItem.Outcome.APPROVED:
            _propose(item, meeting, actor)
    return meeting


def _attach(nomination: Nomination, kind: str, name: str, data: bytes, actor: User | None) -> None:
    attachment = NominationAttachment(
        nomination=nomination,
        kind=kind,
        original_name=name,
        content_type=DOCX,
        size=len(data),
        uploaded_by=actor,
    )
    attachment.file.save(name, ContentFile(data), save=False)
    attachment._history_user = actor
    attachment.save()


def _propose(item: BlocBallotItem, meeting: BlocMeeting, actor: User | None) -> None:
    """The bloc's proposal becomes a draft nomination of the unit, for its head to submit, with
    the ranking (and the scores) and the minutes attached."""
    bloc_year = meeting.bloc_year
    entry = bloc_year.ranking.get(unit=item.unit)
    nomination = nomination_draft(
        proposing_unit=item.unit,
        award_type=item.award_type,
        year=bloc_year.year,
        unit=item.unit,
        actor=actor,
        report_achievements=_(
            "Ranked %(rank)s of %(ranked)s in the emulation bloc “%(bloc)s” for %(year)s with "
            "%(total)s points; proposed by the bloc's year-end vote (%(approvals)s of %(voters)s "
            "member units)."
        )
        % {
            "rank": entry.rank,
            "ranked": bloc_year.ranking.count(),
            "bloc": bloc_year.bloc.name,
            "year": bloc_year.year,
            "total": entry.total,
            "approvals": item.approvals,
            "voters": meeting.voters,
        },
    )
    slug = f"{bloc_year.bloc.code}-{bloc_year.year}"
    _attach(
        nomination,
        NominationAttachment.Kind.OTHER,
        f"xep-hang-{slug}.docx",
        documents.ranking_report(bloc_year),
        actor,
    )
    _attach(
        nomination,
        NominationAttachment.Kind.MINUTES,
        f"bien-ban-{slug}.docx",
        documents.minutes(meeting),
        actor,
    )
    item.nomination = nomination
    item.save(update_fields=["nomination"])
