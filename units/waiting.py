""" "Waiting for you" on the home page: what each role has to act on now, with counts and links.

Each app that keeps a workflow registers one provider at start-up (its AppConfig.ready), as
the slots do (units/slots.py): campaigns its reports, awards its nominations, meetings and
ballots, units the units nobody can be reached in. A provider answers its items for one user in
a fixed number of queries whatever the data (the home page's count is asserted in a test); it
answers nothing, without a query, for a role the user does not hold.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import Membership, Unit, User
from units.roles import Roles


@dataclass(frozen=True)
class WaitingItem:
    """One line of the list: `count` things of one kind, and where to act on them."""

    label: str
    count: int
    url: str


Provider = Callable[[User, Roles, datetime.date], list[WaitingItem]]
_providers: list[Provider] = []


def register_waiting(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def waiting_for(user: User, roles: Roles, today: datetime.date) -> list[WaitingItem]:
    """Every item waiting for the user, in registration order; items with nothing to do are
    left out."""
    items: list[WaitingItem] = []
    for provider in _providers:
        items.extend(item for item in provider(user, roles, today) if item.count)
    return items


def reachable_members():
    """The memberships through which a unit can be told something: an officer or a head whose
    account is active (the inbox reaches them; the e-mail too when they have an address)."""
    return Membership.objects.filter(
        role__in=[Membership.Role.OFFICER, Membership.Role.HEAD], user__is_active=True
    )


def units_unreachable(*, today: datetime.date):
    """Units open today in which nobody can be told anything."""
    reachable = reachable_members().filter(unit=OuterRef("pk"))
    return Unit.objects.open_on(today).filter(~Exists(reachable)).order_by("path")


def administrator_items(user: User, roles: Roles, today: datetime.date) -> list[WaitingItem]:
    if not roles.is_admin:
        return []
    count = units_unreachable(today=today).count()
    return [
        WaitingItem(
            _("Units with nobody reachable (no active officer or head)"),
            count,
            reverse("admin:units_unit_changelist") + "?reachable=no",
        )
    ]
