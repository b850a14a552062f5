"""The registration page: a unit's registration for a year and the indicators it targets."""

from __future__ import annotations

from django.db.models import QuerySet

from campaigns.models import Campaign, Indicator, Registration
from units.models import Unit


def registration_for(*, campaign: Campaign, unit: Unit, year: int) -> Registration | None:
    """The unit's registration for the year with its targets and who confirmed it, if any."""
    return (
        Registration.objects.filter(campaign=campaign, unit=unit, year=year)
        .prefetch_related("targets")
        .select_related("confirmed_by")
        .first()
    )


def registration_indicators(*, campaign: Campaign) -> QuerySet[Indicator]:
    """The campaign's indicators in the order of the form, each with its objective."""
    return (
        Indicator.objects.filter(objective__campaign=campaign)
        .select_related("objective")
        .order_by("objective__number", "order")
    )
