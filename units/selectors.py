from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from units.models import Notification, Unit, User


def unit_list(
    *,
    query: str = "",
    kind: str = "",
    bloc_code: str = "",
    include_closed: bool = False,
    on: datetime.date | None = None,
) -> QuerySet[Unit]:
    units = Unit.objects.select_related("bloc", "parent").annotate(
        child_count=Count("children", distinct=True)
    )
    if not include_closed:
        units = units.open_on(on or timezone.localdate())
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(province__icontains=query)
        )
    if kind:
        units = units.filter(kind=kind)
    if bloc_code:
        units = units.filter(bloc__code=bloc_code)
    return units.order_by("path")


def unit_detail(*, code: str) -> Unit:
    return (
        Unit.objects.select_related("bloc", "parent")
        .prefetch_related("predecessors", "successors", "children")
        .get(code=code)
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


# The bell shows on every page: its count is cached briefly per user, and dropped by the
# services whenever a notification is added or read (units/services.py).
UNREAD_CACHE_SECONDS = 30


def _unread_key(user_id: int) -> str:
    return f"unread:{user_id}"


def forget_unread_count(user_id: int) -> None:
    cache.delete(_unread_key(user_id))


def unread_count(*, user: User) -> int:
    return cache.get_or_set(
        _unread_key(user.pk),
        lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        UNREAD_CACHE_SECONDS,
    )


def read_reader_cache(user: User) -> int | None:
    """Read the user's cached roles and bell count in one cache round trip, for pages that
    need both at once. The roles are kept on the user (see `roles_of`); the count is returned,
    or None when it is not cached (then `unread_count` counts it)."""
    from units.roles import attach_roles, roles_cache_key

    if getattr(user, "_thidua_roles", None) is not None:
        return cache.get(_unread_key(user.pk))
    roles_key, unread_key = roles_cache_key(user.pk), _unread_key(user.pk)
    values = cache.get_many([roles_key, unread_key])
    if values.get(roles_key) is not None:
        attach_roles(user, values[roles_key])
    return values.get(unread_key)
