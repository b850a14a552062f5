"""The award catalogue."""

from __future__ import annotations

from django.db.models import QuerySet

from awards.models import AwardType


def award_types(*, active_only: bool = True) -> QuerySet[AwardType]:
    types = AwardType.objects.all()
    return types.filter(active=True) if active_only else types


def award_short_names() -> dict[str, str]:
    return dict(AwardType.objects.values_list("code", "short_name"))
