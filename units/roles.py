"""Who a user is in the organisation, loaded once per request and cached on the user object."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import CharField, QuerySet, Value

from units.models import Membership, Unit, User

SECRETARY_GROUP = "secretary"
BOARD_GROUP = "board"
# The role of a seat that makes its holder the secretary of a unit's council.
UNIT_SECRETARY_ROLE = "secretary"


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    is_secretary: bool = False
    is_board_member: bool = False
    officer_unit_ids: frozenset[int] = frozenset()
    head_unit_ids: frozenset[int] = frozenset()
    head_paths: tuple[str, ...] = ()
    units: tuple[Unit, ...] = field(default=())
    # Seats today on the councils of units with commendation authority (Law 2022 Art 80): the
    # units whose council the user sits on, and those whose council they are the secretary of.
    council_unit_ids: frozenset[int] = frozenset()
    secretary_unit_ids: frozenset[int] = frozenset()

    @property
    def is_unit_member(self) -> bool:
        return bool(self.officer_unit_ids or self.head_unit_ids)

    @property
    def sees_all_units(self) -> bool:
        return self.is_admin or self.is_secretary or self.is_board_member

    @property
    def heads_a_deciding_unit(self) -> bool:
        """Heads a unit holding commendation authority: records its decisions."""
        return any(unit.commendation_authority for unit in self.units if self.is_head_of(unit))

    @property
    def on_a_unit_council(self) -> bool:
        return bool(self.council_unit_ids)

    def sits_on_council_of(self, unit_id: int | None) -> bool:
        """On the council of that level today: a unit's (by id) or the Ministry's (None)."""
        return self.is_board_member if unit_id is None else unit_id in self.council_unit_ids

    def is_secretary_of(self, unit_id: int | None) -> bool:
        """The secretary of that level's council: the Ministry's (None, the secretary group)
        or a unit's (the secretary seat on its council today)."""
        return self.is_secretary if unit_id is None else unit_id in self.secretary_unit_ids

    def is_officer_of(self, unit: Unit) -> bool:
        return unit.pk in self.officer_unit_ids

    def is_head_of(self, unit: Unit) -> bool:
        return unit.pk in self.head_unit_ids

    def is_head_of_id(self, unit_id: int | None) -> bool:
        return unit_id is not None and unit_id in self.head_unit_ids

    def is_member_of(self, unit: Unit) -> bool:
        return unit.pk in self.officer_unit_ids or unit.pk in self.head_unit_ids

    def heads_an_ancestor_of(self, unit: Unit) -> bool:
        return any(unit.path.startswith(path) and unit.path != path for path in self.head_paths)

    def fingerprint(self) -> str:
        """A short digest of everything the roles put on a page (the navigation's links and
        unit names), for the keys of cached pages."""
        parts = (
            self.is_admin,
            self.is_secretary,
            self.is_board_member,
            sorted(self.officer_unit_ids),
            sorted(self.head_unit_ids),
            sorted(self.council_unit_ids),
            sorted(self.secretary_unit_ids),
            [(unit.pk, unit.code, unit.short_name, unit.name) for unit in self.units],
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


ANONYMOUS = Roles()


# Roles are read on every page; they are cached for a few minutes per user and dropped as soon as
# a membership, a group (units/signals.py) or a council seat (awards/signals.py) of the user
# changes. What changes with the calendar alone — a council term or a seat that starts or ends
# today, a unit moved in the tree — reaches the cached roles within ROLES_CACHE_SECONDS.
ROLES_CACHE_SECONDS = 300


def roles_cache_key(user_id: int) -> str:
    return f"roles:{user_id}"


def forget_roles(user_id: int) -> None:
    cache.delete(roles_cache_key(user_id))


# Who sits on the board is the council's to say, and the council is kept by the awards app,
# which builds on this one: it registers its answer at start-up (AwardsConfig.ready).
BoardProvider = Callable[[], QuerySet[User]]
_board_provider: BoardProvider | None = None


def register_board_provider(provider: BoardProvider) -> None:
    """Let the app that keeps the council say who sits on the board.

    `provider()` returns a lazy queryset of the users seated today; it is asked inside the
    one query that loads a user's groups. Without a provider the `board` group alone decides.
    """
    global _board_provider
    _board_provider = provider


# The councils of units with commendation authority are kept by the awards app too. Its
# provider answers, for one user, their seats today on those councils as rows of two text
# columns: ("unit_seat", "<unit id>:<role>") — the role "secretary" makes the unit's secretary.
UNIT_SEAT = "unit_seat"
UnitSeatProvider = Callable[[int], QuerySet]
_unit_seat_provider: UnitSeatProvider | None = None


def register_unit_seat_provider(provider: UnitSeatProvider) -> None:
    """Let the app that keeps the councils say on which units' councils a user sits today.

    `provider(user_id)` returns a lazy `values_list` queryset of two text columns (see
    UNIT_SEAT); it joins the same UNION as the groups and the board seat.
    """
    global _unit_seat_provider
    _unit_seat_provider = provider


def _board_members() -> QuerySet[User]:
    if _board_provider is None:
        return User.objects.filter(is_active=True, groups__name=BOARD_GROUP)
    return _board_provider()


def _groups_and_seats(user) -> tuple[set[str], bool, set[tuple[int, str]]]:
    """The user's group names, whether they sit on the board and their seats on units'
    councils, in one query.

    The questions go out as one UNION so that a page pays no extra query for the seats.
    """
    text = CharField()
    groups = user.groups.annotate(kind=Value("group", output_field=text)).values_list(
        "kind", "name"
    )
    seat = (
        _board_members()
        .filter(pk=user.pk)
        .annotate(kind=Value("seat", output_field=text), label=Value("", output_field=text))
        .values_list("kind", "label")
    )
    parts = [seat.order_by()]
    if _unit_seat_provider is not None:
        parts.append(_unit_seat_provider(user.pk).order_by())
    rows = set(groups.order_by().union(*parts))
    unit_seats = set()
    for kind, label in rows:
        if kind == UNIT_SEAT:
            unit_id, _, role = label.partition(":")
            unit_seats.add((int(unit_id), role))
    return (
        {name for kind, name in rows if kind == "group"},
        ("seat", "") in rows,
        unit_seats,
    )


def roles_of(user) -> Roles:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_thidua_roles", None)
    if cached is not None:
        return cached
    stored = cache.get(roles_cache_key(user.pk))
    if stored is None:
        stored = _load_roles(user)
        cache.set(roles_cache_key(user.pk), stored, ROLES_CACHE_SECONDS)
    return attach_roles(user, stored)


def attach_roles(user, stored: Roles) -> Roles:
    """Keep roles read from the cache on the user object for the rest of the request."""
    # Superuser status comes with the user row of the request, never from the cache.
    roles = replace(stored, is_admin=user.is_superuser)
    user._thidua_roles = roles
    return roles


def _load_roles(user) -> Roles:
    group_names, on_board, unit_seats = _groups_and_seats(user)
    memberships = list(
        Membership.objects.filter(user=user).select_related("unit").order_by("unit__path")
    )
    officer = frozenset(m.unit_id for m in memberships if m.role == Membership.Role.OFFICER)
    head = frozenset(m.unit_id for m in memberships if m.role == Membership.Role.HEAD)
    units: dict[int, Unit] = {m.unit_id: m.unit for m in memberships}
    return Roles(
        is_secretary=SECRETARY_GROUP in group_names,
        is_board_member=on_board,
        officer_unit_ids=officer,
        head_unit_ids=head,
        head_paths=tuple(units[pk].path for pk in head),
        units=tuple(units.values()),
        council_unit_ids=frozenset(unit_id for unit_id, _role in unit_seats),
        secretary_unit_ids=frozenset(
            unit_id for unit_id, role in unit_seats if role == UNIT_SECRETARY_ROLE
        ),
    )
