"""Registrations (đăng ký thi đua): the officer saves and submits, the unit head confirms or sends
back. Each step locks the registration row and guards its status."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Indicator, ProgressReport, Registration, Target
from campaigns.services._audit import audit
from campaigns.services.figures import maintains_figures
from campaigns.validation import check_indicator_value
from units.models import Unit, User


@transaction.atomic
@maintains_figures
def registration_save(
    *,
    campaign: Campaign,
    unit: Unit,
    year: int,
    commitments: str,
    target_title: str,
    targets: dict[int, Decimal | None],
    actor: User,
) -> Registration:
    """Create or update the unit's registration for the year, with a target per indicator.

    A refused target is reported under its form field (`target_<indicator id>`).
    """
    if not campaign.starts_on.year <= year <= campaign.ends_on.year:
        raise ValidationError(
            _("The campaign does not run in %(year)s.") % {"year": year}, code="year"
        )
    registration, _created = Registration.objects.select_for_update().get_or_create(
        campaign=campaign, unit=unit, year=year, defaults={"created_by": actor}
    )
    if registration.status == Registration.Status.CONFIRMED:
        raise ValidationError(
            _("This registration has been confirmed and can no longer change."), code="status"
        )
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(objective__campaign=campaign)
    }
    errors = {}
    for indicator_id, value in targets.items():
        try:
            check_indicator_value(indicators[indicator_id], value)
        except ValidationError as error:
            errors[f"target_{indicator_id}"] = error.error_list
    if errors:
        raise ValidationError(errors)
    registration.commitments = commitments
    registration.target_title = target_title
    audit(registration, actor).save()
    existing = {target.indicator_id: target for target in registration.targets.all()}
    for indicator_id, value in targets.items():
        target = existing.get(indicator_id)
        if value is None:
            if target is not None:
                audit(target, actor).delete()
        elif target is None:
            audit(
                Target(registration=registration, indicator_id=indicator_id, value=value), actor
            ).save()
        elif target.value != value:
            target.value = value
            audit(target, actor).save()
    # The year's reports show these targets beside the values.
    ProgressReport.objects.filter(
        unit=unit, period__campaign=campaign, period__starts_on__year=year
    ).update(content_version=F("content_version") + 1)
    return registration


def _registration_step(
    registration: Registration,
    actor: User,
    *,
    allowed: set[str],
    refusal: str,
    to: str,
    **fields,
) -> Registration:
    """Lock the row (read again by pk), guard its status, move it and record who did it."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in allowed:
        raise ValidationError(refusal, code="status")
    registration.status = to
    for name, value in fields.items():
        setattr(registration, name, value)
    audit(registration, actor).save()
    return registration


@transaction.atomic
@maintains_figures
def registration_submit(*, registration: Registration, actor: User) -> Registration:
    return _registration_step(
        registration,
        actor,
        allowed={Registration.Status.DRAFT},
        refusal=_("This registration is already with the unit head."),
        to=Registration.Status.SUBMITTED,
    )


@transaction.atomic
@maintains_figures
def registration_confirm(*, registration: Registration, actor: User) -> Registration:
    if not Target.objects.filter(registration=registration).exists():
        raise ValidationError(_("Register at least one target before confirming."), code="targets")
    return _registration_step(
        registration,
        actor,
        allowed={Registration.Status.DRAFT, Registration.Status.SUBMITTED},
        refusal=_("This registration has already been confirmed."),
        to=Registration.Status.CONFIRMED,
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )


@transaction.atomic
@maintains_figures
def registration_send_back(*, registration: Registration, actor: User) -> Registration:
    return _registration_step(
        registration,
        actor,
        allowed={Registration.Status.SUBMITTED},
        refusal=_("Only a registration awaiting confirmation can be sent back."),
        to=Registration.Status.DRAFT,
    )
