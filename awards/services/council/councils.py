"""The council of a level and its seats: terms that do not overlap, one chair at a time."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Council,
    CouncilMember,
)
from awards.services._steps import (
    field_error,
    save_checked,
)
from units.models import Unit, User

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
