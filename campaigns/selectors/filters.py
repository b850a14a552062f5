"""Choices of the dashboard's filters that follow the selected period."""

from __future__ import annotations

from django.db.models import Q

from campaigns.models import ReportingPeriod
from campaigns.selectors.expected import expected_filter
from units.models import Unit


def provinces_of_period(*, period: ReportingPeriod, units: Q) -> list[str]:
    """The provinces of the units expected to report for the period (taking part and existing
    when it ends): a 2026 period lists the 34 provinces after the merger of 01/07/2025, a 2024
    period the 63 before it. One query."""
    return list(
        Unit.objects.filter(units, expected_filter(period))
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
