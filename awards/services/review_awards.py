"""Awards for a campaign's review (khen thưởng tổng kết): the board picks the units with the
best results, and the people with the best record, and starts their nominations in one go."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import AwardType, Nomination
from awards.services.nominations import nomination_draft
from campaigns.models import Campaign
from units.models import Person, Unit, User


@transaction.atomic
def review_nominations_start(
    *, campaign: Campaign, award_type: AwardType, year: int, units: list[Unit], actor: User
) -> list[Nomination]:
    """One draft nomination per unit, proposed by the unit itself; all or none.

    A unit that does not take part in the campaign, or one that cannot be nominated (the award
    is not for collectives, a nomination for it exists for the year…), refuses the whole set
    with a message naming the unit.
    """
    if not units:
        raise ValidationError(_("Pick at least one unit."), code="empty")
    taking_part = set(campaign.participations.values_list("unit_id", flat=True))
    created = []
    for unit in units:
        if unit.pk not in taking_part:
            raise ValidationError(
                _("%(unit)s does not take part in the campaign.") % {"unit": unit.name},
                code="not_participant",
            )
        try:
            created.append(
                nomination_draft(
                    proposing_unit=unit, award_type=award_type, year=year, unit=unit, actor=actor
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(unit)s: %(why)s") % {"unit": unit.name, "why": " ".join(error.messages)},
                code="refused",
            ) from None
    return created


@transaction.atomic
def review_people_nominations_start(
    *, campaign: Campaign, award_type: AwardType, year: int, people: list[Person], actor: User
) -> list[Nomination]:
    """One draft nomination per person, proposed by the person's unit; all or none.

    A person whose unit does not take part in the campaign, or who cannot be nominated (the
    award is not for individuals, a nomination for it exists for the year…), refuses the whole
    set with a message naming the person.
    """
    if not people:
        raise ValidationError(_("Pick at least one person."), code="empty")
    taking_part = set(campaign.participations.values_list("unit_id", flat=True))
    created = []
    for person in people:
        if person.unit_id not in taking_part:
            raise ValidationError(
                _("%(person)s: the unit does not take part in the campaign.")
                % {"person": person.full_name},
                code="not_participant",
            )
        try:
            created.append(
                nomination_draft(
                    proposing_unit=person.unit,
                    award_type=award_type,
                    year=year,
                    person=person,
                    actor=actor,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(unit)s: %(why)s")
                % {"unit": person.full_name, "why": " ".join(error.messages)},
                code="refused",
            ) from None
    return created
