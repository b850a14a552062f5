"""Domain checks shared by forms, imports and services."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Indicator


def check_indicator_value(indicator: Indicator, value: Decimal | None) -> None:
    """A value must fit its indicator's kind: a share 0–100, a whole count, a number ≥ 0."""
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("A value cannot be negative."), code="negative")
    if indicator.kind == Indicator.Kind.PERCENT and value > 100:
        raise ValidationError(_("A percentage must be between 0 and 100."), code="percent")
    if indicator.kind == Indicator.Kind.COUNT and value != value.to_integral_value():
        raise ValidationError(_("A count must be a whole number."), code="count")
    if value >= Decimal("1e12"):
        raise ValidationError(_("The value is too large."), code="too_large")
