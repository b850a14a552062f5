"""Decisions: the decision (or the forwarding to a higher level) that settles approved
nominations, and its revocation."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import AwardGrant, Decision, Initiative, Nomination, Publication
from awards.selectors.levels import check_decided_by
from awards.services._steps import (
    Status,
    evaluate,
    field_error,
    lock,
    log_step,
    move,
    save,
    save_checked,
    vi_date,
)
from awards.services.notices import decision_tell_units
from awards.services.publicity import check_no_open_matter
from units.models import Unit, User

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
        raise field_error(
            "number",
            _("Write the number as on the document, e.g. %(example)s.") % {"example": example},
            "number",
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
    if nomination.status != Status.APPROVED or not _publicity_over(nomination):
        raise ValidationError(
            _(
                "%(nomination)s is not ready for a decision: it must be approved by the council "
                "and its publicity ended."
            )
            % {"nomination": nomination},
            code="not_ready",
        )
    check_no_open_matter(nomination)


def _publicity_over(nomination: Nomination) -> bool:
    """No publicity needed, or its window over: under the order of NĐ 152/2025 Art 44.2 it ended
    before the meeting; a nomination approved under the earlier order waits for its window."""
    publication = Publication.objects.filter(nomination=nomination).first()
    if publication is None:
        return True  # the terms in force when the dossier was accepted required no publicity
    return (
        publication.status == Publication.Status.CLOSED
        or publication.closes_on < timezone.localdate()
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
    unit: Unit | None = None,
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
        raise field_error("kind", _("Choose a decision or a forwarding."), "kind")
    number = decision_number_clean(kind=kind, number=number)
    if signed_on > timezone.localdate():
        raise field_error("signed_on", _("The date cannot be in the future."), "future")
    if not signer.strip():
        raise field_error("signer", _("Give the signer's name."), "required")
    if not issuer.strip():
        raise field_error(
            "issuer", _("Give the issuer as written in the award history."), "required"
        )
    if Decision.objects.filter(kind=kind, number=number, signed_on__year=signed_on.year).exists():
        raise field_error(
            "number",
            _("A document numbered %(number)s was already recorded in %(year)s.")
            % {"number": number, "year": signed_on.year},
            "duplicate",
        )
    chosen = sorted({nomination.pk for nomination in nominations})
    if not chosen:
        raise field_error("nominations", _("Choose the nominations it settles."), "required")
    locked = []
    if unit is not None and kind != Decision.Kind.DECISION:
        raise field_error("kind", _("A unit's head records decisions, not forwardings."), "kind")
    for pk in chosen:
        nomination = lock(Nomination(pk=pk))
        _check_decidable(nomination, kind=kind)
        check_decided_by(nomination, unit)
        locked.append(nomination)
    decision = Decision(
        unit=unit,
        kind=kind,
        number=number,
        signed_on=signed_on,
        signer=signer.strip(),
        signer_title=signer_title.strip(),
        issuer=issuer.strip(),
        recorded_by=actor,
    )
    save_checked(decision, actor)
    with translation.override("vi"):
        reason = _("%(kind)s %(number)s of %(day)s.") % {
            "kind": decision.get_kind_display(),
            "number": number,
            "day": vi_date(signed_on),
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
            save_checked(grant, actor)
        for item in Initiative.objects.select_for_update().filter(used_by=nomination):
            item.used_on = signed_on
            item._history_user = actor
            item.save()
        previous = nomination.status
        nomination.status = Status.FORWARDED if forwarding else Status.DECIDED
        nomination.decision = decision
        nomination.version += 1
        evaluate(nomination)
        save(nomination, actor)
        log_step(nomination, from_status=previous, actor=actor, reason=reason)
    decision_tell_units(decision=decision)
    return decision


@transaction.atomic
def decision_revoke(*, decision: Decision, reason: str, actor: User | None) -> Decision:
    """Revoke a decision: its awards leave the nominees' history (the audit history keeps them)
    and its nominations are revoked, with the reason in their steps."""
    if not reason.strip():
        raise field_error("reason", _("Say why the decision is revoked."), "required")
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
        move(
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
    save_checked(locked, actor)
    decision_tell_units(decision=locked)
    return locked
