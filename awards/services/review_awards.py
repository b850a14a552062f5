"""Awards for a campaign's review (khen thưởng tổng kết): the board picks the units with the
best results, and the people with the best record, and starts their nominations in one go."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import AwardType, Nomination
from awards.services.nominations import nomination_draft
from campaigns.models import Campaign
from units.models import Person, Unit, User


def _start_all(
    *,
    campaign: Campaign,
    nominees: list,
    unit_of: Callable[[object], Unit],
    name_of: Callable[[object], str],
    not_taking_part: Callable[[object], str],
    draft: Callable[[object], Nomination],
) -> list[Nomination]:
    """One draft per nominee, all or none: the first nominee whose unit does not take part, or
    who cannot be nominated, refuses the whole set with a message naming them."""
    taking_part = set(campaign.participations.values_list("unit_id", flat=True))
    created = []
    for nominee in nominees:
        if unit_of(nominee).pk not in taking_part:
            raise ValidationError(not_taking_part(nominee), code="not_participant")
        try:
            created.append(draft(nominee))
        except ValidationError as error:
            raise ValidationError(
                _("%(unit)s: %(why)s")
                % {"unit": name_of(nominee), "why": " ".join(error.messages)},
                code="refused",
            ) from None
    return created


@transaction.atomic
def review_nominations_start(
    *, campaign: Campaign, award_type: AwardType, year: int, units: list[Unit], actor: User
) -> list[Nomination]:
    """One draft nomination per unit, proposed by the unit itself; all or none."""
    if not units:
        raise ValidationError(_("Pick at least one unit."), code="empty")
    return _start_all(
        campaign=campaign,
        nominees=units,
        unit_of=lambda unit: unit,
        name_of=lambda unit: unit.name,
        not_taking_part=lambda unit: (
            _("%(unit)s does not take part in the campaign.") % {"unit": unit.name}
        ),
        draft=lambda unit: nomination_draft(
            proposing_unit=unit, award_type=award_type, year=year, unit=unit, actor=actor
        ),
    )


@transaction.atomic
def review_people_nominations_start(
    *, campaign: Campaign, award_type: AwardType, year: int, people: list[Person], actor: User
) -> list[Nomination]:
    """One draft nomination per person, proposed by the person's unit; all or none."""
    if not people:
        raise ValidationError(_("Pick at least one person."), code="empty")
    return _start_all(
        campaign=campaign,
        nominees=people,
        unit_of=lambda person: person.unit,
        name_of=lambda person: person.full_name,
        not_taking_part=lambda person: (
            _("%(person)s: the unit does not take part in the campaign.")
            % {"person": person.full_name}
        ),
        draft=lambda person: nomination_draft(
            proposing_unit=person.unit,
            award_type=award_type,
            year=year,
            person=person,
            actor=actor,
        ),
    )
