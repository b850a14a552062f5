"""The award catalogue, and its terms (vote and publicity) in force on a day."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from awards.models import AwardTerms, AwardType

# The decrees guiding Law 06/2022/QH15, by the days they apply: the documents cite the one in
# force on their day (the catalogue's terms cite their own article).
GUIDING_DECREES = (
    (datetime.date(2024, 1, 1), datetime.date(2025, 6, 30), "98/2023/NĐ-CP"),
    (datetime.date(2025, 7, 1), None, "152/2025/NĐ-CP"),
)


def guiding_decree_on(day: datetime.date) -> str | None:
    """The number of the decree guiding the Law on `day` (None before 01/01/2024)."""
    for start, end, number in GUIDING_DECREES:
        if start <= day and (end is None or day <= end):
            return number
    return None


def award_types(*, active_only: bool = True) -> QuerySet[AwardType]:
    types = AwardType.objects.all()
    return types.filter(active=True) if active_only else types


def award_types_with_terms(*, active_only: bool = True) -> QuerySet[AwardType]:
    """The catalogue with every award's dated terms in one more query, so that
    AwardType.terms_on(day) reads them without a query per award."""
    return award_types(active_only=active_only).prefetch_related(terms_prefetch())


def terms_prefetch(lookup: str = "terms") -> str:
    """The prefetch of the terms of the awards reached by `lookup` (e.g.
    "nomination__award_type__terms"), for AwardType.terms_on(day). A plain lookup, so that a
    queryset prefetching it twice stays valid."""
    return lookup


def award_short_names() -> dict[str, str]:
    return dict(AwardType.objects.values_list("code", "short_name"))


def terms_on(award_type: AwardType, day: datetime.date) -> AwardTerms:
    """The award's vote and publicity terms in force on `day` (ValidationError if none)."""
    return award_type.terms_on(day)


def terms_in_force(award_type: AwardType, day: datetime.date) -> AwardTerms | None:
    """The award's terms in force on `day`, or None (for pages that show them)."""
    try:
        return award_type.terms_on(day)
    except ValidationError:
        return None


def publicity_days_on(award_type: AwardType, day: datetime.date) -> tuple[int, str]:
    """(working days, source) of the award's publicity in force on `day` — the day the
    window opens (NĐ 98/2023 Art 46.2 until 30/06/2025, NĐ 152/2025 Art 44.2 from 01/07/2025).
    0 days: the award needs no publicity."""
    terms = award_type.terms_on(day)
    return terms.publicity_working_days, terms.publicity_source
