"""Registrations (đăng ký thi đua): a unit's commitments and targets for a year."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models.campaigns import Campaign, Indicator
from units.models import Unit


class Registration(models.Model):
    """Đăng ký thi đua: a unit's commitments and targets for one year of the campaign."""

    class TargetTitle(models.TextChoices):
        TTLDTT = "TTLDTT", _("Tập thể lao động tiên tiến")
        TTLDXS = "TTLDXS", _("Tập thể lao động xuất sắc")
        CO_BO = "CO_BO", _("Cờ thi đua của Bộ Công Thương")
        CO_CP = "CO_CP", _("Cờ thi đua của Chính phủ")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting the head's confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="registrations"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    commitments = models.TextField(_("commitments"), blank=True)
    target_title = models.CharField(
        _("title aimed for"), max_length=10, choices=TargetTitle.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "year"], name="registration_unique_unit_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"


class Target(models.Model):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__objective__number", "indicator__order"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "indicator"], name="target_unique_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
