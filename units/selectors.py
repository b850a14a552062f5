from __future__ import annotations

import datetime

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


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
