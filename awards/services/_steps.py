"""The helpers every workflow step of a nomination shares.

A step locks the nomination's row, guards its current status (so that a double click or a
retried request cannot apply it twice), re-evaluates eligibility, changes the nomination
(history is kept by simple_history) and logs the step with the eligibility as it stood.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards.models import Initiative, Nomination, NominationStep
from awards.selectors.nominations import nomination_evaluate
from units.models import User

Status = Nomination.Status


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal that the form shows at one of its fields."""
    return ValidationError({field: ValidationError(message, code=code)})


def lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("award_type", "person", "unit", "proposing_unit")
        .get(pk=nomination.pk)
    )


def guard(nomination: Nomination, allowed: Iterable[str]) -> None:
    if nomination.status not in allowed:
        raise ValidationError(
            _("The nomination is now “%(status)s”: this step no longer applies.")
            % {"status": nomination.get_status_display()},
            code="status",
        )


def evaluate(nomination: Nomination) -> dict:
    evaluation = nomination_evaluate(nomination)
    snapshot = evaluation.snapshot(award_code=nomination.award_type.code, year=nomination.year)
    nomination.eligibility = snapshot
    nomination.eligibility_outcome = str(evaluation.outcome)
    return snapshot


def save(nomination: Nomination, actor: User | None) -> None:
    nomination._history_user = actor
    nomination.save()


def save_checked(obj, actor: User | None) -> None:
    """Model validation (constraints and the model's own checks), history, save."""
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def log_step(
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


def move(
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
    locked = lock(nomination)
    guard(locked, allowed)
    evaluate(locked)
    if check is not None:
        check(locked)
    previous = locked.status
    locked.status = to
    locked.version += 1  # an edit form opened before this step is stale
    save(locked, actor)
    log_step(locked, from_status=previous, actor=actor, reason=reason)
    return locked


def release_initiatives(nomination: Nomination, actor: User | None) -> None:
    """A nomination that ends without an award gives its initiatives back to the nominee."""
    for item in Initiative.objects.select_for_update().filter(used_by=nomination):
        item.used_by = None
        item._history_user = actor
        item.save()


def vi_date(day: datetime.date) -> str:
    """A date as the Vietnamese step reasons write it."""
    return day.strftime("%d/%m/%Y")
