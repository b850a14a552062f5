"""Each award decided at its level (Law on Emulation and Commendation 2022, Art 80).

The heads of units holding commendation authority decide the awards the catalogue marks as
decided by the unit head (LĐTT, CSTĐCS, TTLĐTT, Giấy khen), after their own emulation council;
the Ministry's council reviews and the Minister decides the Ministry's awards; those of the
Prime Minister and the President are forwarded by the Ministry. A nomination stores its level
(`Nomination.deciding_unit`, None for the Ministry) when it is submitted; the pages and the
permissions read it from there.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardType, CouncilMember, Meeting, Nomination
from awards.selectors.council import council_members, council_on
from units.models import Unit, User
from units.roles import Roles


def deciding_unit_for(*, award_type: AwardType, proposing_unit: Unit) -> Unit | None:
    """Where a nomination is decided: for an award of the unit head, the nearest unit at or
    above the proposing unit that holds commendation authority; None (the Ministry) for the
    Ministry's awards, for forwarded ones, and when no unit on the way up holds authority
    (the departments of the Ministry's office)."""
    if award_type.decided_by != AwardType.DecidedBy.UNIT_HEAD:
        return None
    return proposing_unit.authority_unit()


def level_name(unit: Unit | None) -> str:
    """The council that reviews a level, as pages write it."""
    if unit is None:
        return _("the Ministry's Emulation and Commendation Council")
    return _("the Emulation and Commendation Council of %(unit)s") % {"unit": unit.name}


def unit_issuer(unit: Unit) -> str:
    """The issuer written in the award history for a decision of a unit's head."""
    return f"Thủ trưởng {unit.name}"


def level_members(unit_id: int | None, *, day: datetime.date | None = None) -> QuerySet[User]:
    """Who sits on the council of a level on a day (today by default): the Ministry's board
    (None) or the members seated on the unit's council in office."""
    if unit_id is None:
        return council_members(day=day)
    day = day or timezone.localdate()
    council = council_on(day, unit=unit_id)
    if council is None:
        return User.objects.none()
    seated = CouncilMember.objects.active_on(day).filter(council=council)
    return User.objects.filter(is_active=True, pk__in=seated.values("user_id")).order_by(
        "full_name", "username"
    )


def check_same_level(nomination: Nomination, meeting: Meeting) -> None:
    """A council votes only on what its level decides (another unit's, or the Ministry's,
    nomination is refused)."""
    if nomination.deciding_unit_id != meeting.council.unit_id:
        raise ValidationError(
            _("%(nomination)s is decided by another council: it cannot be on this agenda.")
            % {"nomination": nomination},
            code="level",
        )


def council_levels(roles: Roles) -> QuerySet[Unit] | None:
    """The units whose council the Ministry's secretary may record (those holding
    commendation authority); None for anyone else (a unit's secretary keeps their level)."""
    if not roles.is_secretary:
        return None
    return Unit.objects.filter(commendation_authority=True).order_by("name")


def check_decided_by(nomination: Nomination, unit: Unit | None) -> None:
    """A decision settles only the nominations of its level: a unit's head decides what
    their unit's council approved, the Ministry what its council approved."""
    if nomination.deciding_unit_id != (unit.pk if unit is not None else None):
        raise ValidationError(
            _("%(nomination)s is decided at another level: it cannot be in this decision.")
            % {"nomination": nomination},
            code="level",
        )
