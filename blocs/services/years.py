"""Setting up a bloc's year (leading unit, deputy, members) and its covenant."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import BlocMember, BlocYear, Commitment, Signature
from units.models import EmulationBloc, Unit, User


def member_candidates(bloc: EmulationBloc, year: int) -> QuerySet[Unit]:
    """The bloc's units that existed at some time in the year: a unit that opened or closed
    during the year belongs to it for that year (as the dashboard counts a unit open on any day
    of a period)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Unit.objects.filter(
            Q(bloc=bloc)
            | Q(bloc_memberships__bloc_year__bloc=bloc, bloc_memberships__bloc_year__year=year),
            Q(opened_on__isnull=True) | Q(opened_on__lte=last),
            Q(closed_on__isnull=True) | Q(closed_on__gte=first),
        )
        .distinct()
        .order_by("path")
    )


def lock_year(bloc_year: BlocYear) -> BlocYear:
    return BlocYear.objects.select_for_update().get(pk=bloc_year.pk)


def guard_not_published(bloc_year: BlocYear) -> None:
    if bloc_year.is_published:
        raise ValidationError(
            _("The ranking of this year is published: it no longer changes."), code="published"
        )


@transaction.atomic
def bloc_year_save(
    *,
    bloc: EmulationBloc,
    year: int,
    leading_unit: Unit,
    deputy_unit: Unit | None,
    members: Iterable[Unit],
    campaign=None,
    scoring_deadline: datetime.date | None = None,
    actor: User | None,
) -> BlocYear:
    """Set the leading unit, the deputy and the confirmed members of the bloc's year."""
    members = list(members)
    member_ids = {unit.pk for unit in members}
    allowed = set(member_candidates(bloc, year).values_list("pk", flat=True))
    errors = {}
    if not member_ids:
        errors["members"] = _("Confirm at least one member unit.")
    elif member_ids - allowed:
        errors["members"] = _("Only units of the bloc that existed during the year can be members.")
    if leading_unit.pk not in member_ids:
        errors["leading_unit"] = _("The leading unit must be one of the members.")
    if deputy_unit is not None:
        if deputy_unit.pk == leading_unit.pk:
            errors["deputy_unit"] = _("The deputy is another unit than the leading unit.")
        elif deputy_unit.pk not in member_ids:
            errors["deputy_unit"] = _("The deputy unit must be one of the members.")
    if errors:
        raise ValidationError(errors)
    bloc_year, _created = BlocYear.objects.get_or_create(bloc=bloc, year=year)
    bloc_year = lock_year(bloc_year)
    guard_not_published(bloc_year)
    if bloc_year.scorings.exclude(unit_id__in=member_ids).exclude(status="draft").exists():
        raise ValidationError(
            {"members": _("A unit that has submitted its scoring stays a member.")}
        )
    bloc_year.leading_unit = leading_unit
    bloc_year.deputy_unit = deputy_unit
    bloc_year.campaign = campaign
    bloc_year.scoring_deadline = scoring_deadline
    bloc_year.members_confirmed_at = timezone.now()
    bloc_year._history_user = actor
    bloc_year.save()
    bloc_year.members.exclude(unit_id__in=member_ids).delete()
    existing = set(bloc_year.members.values_list("unit_id", flat=True))
    BlocMember.objects.bulk_create(
        BlocMember(bloc_year=bloc_year, unit=unit) for unit in members if unit.pk not in existing
    )
    bloc_year.scorings.exclude(unit_id__in=member_ids).delete()
    return bloc_year


# --- The covenant ----------------------------------------------------------------------------


def _guard_unsigned(bloc_year: BlocYear) -> None:
    if bloc_year.signatures.exists():
        raise ValidationError(
            _("Members have signed the covenant: its commitments no longer change."),
            code="signed",
        )


@transaction.atomic
def commitment_add(
    *, bloc_year: BlocYear, text: str, objective=None, actor: User | None
) -> Commitment:
    bloc_year = lock_year(bloc_year)
    _guard_unsigned(bloc_year)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the commitment.")})
    if objective is not None and objective.campaign_id != bloc_year.campaign_id:
        raise ValidationError({"objective": _("Choose an objective of the bloc's campaign.")})
    number = (
        bloc_year.commitments.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    commitment = Commitment(bloc_year=bloc_year, number=number, text=text, objective=objective)
    commitment._history_user = actor
    commitment.save()
    return commitment


@transaction.atomic
def commitment_remove(*, commitment: Commitment, actor: User | None) -> None:
    lock_year(commitment.bloc_year)
    _guard_unsigned(commitment.bloc_year)
    commitment._history_user = actor
    commitment.delete()


@transaction.atomic
def covenant_sign(*, bloc_year: BlocYear, unit: Unit, actor: User) -> Signature:
    bloc_year = lock_year(bloc_year)
    if not bloc_year.members.filter(unit=unit).exists():
        raise ValidationError(_("Only a member unit signs the covenant."), code="member")
    if not bloc_year.commitments.exists():
        raise ValidationError(_("The covenant has no commitment yet."), code="empty")
    try:
        with transaction.atomic():
            return Signature.objects.create(
                bloc_year=bloc_year, unit=unit, signed_by=actor, signed_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(
            _("The unit has already signed the covenant."), code="signed"
        ) from None
