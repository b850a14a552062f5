"""Publicity: approved nominees published for public comment, and the comments."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards.models.nominations import Nomination


def publication_token() -> str:
    return secrets.token_urlsafe(9)


class Publication(models.Model):
    """An approved nomination published for public comment for the award's working days.

    What the public sees is copied here when the publication is scheduled, so that the public
    pages never read the nomination itself (no eligibility, reviews, files or internal ids).
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open for comment")
        CLOSED = "closed", _("Closed")

    nomination = models.OneToOneField(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    token = models.CharField(_("public key"), max_length=20, unique=True, default=publication_token)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day of the window."))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    # The source of `working_days`: the award's terms in force on the day the window opens.
    working_days_source = models.CharField(_("source of the period"), max_length=255, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The published text.
    nominee_name = models.CharField(_("nominee"), max_length=255)
    nominee_is_person = models.BooleanField(_("individual"), default=True)
    nominee_position = models.CharField(_("position"), max_length=255, blank=True)
    unit_name = models.CharField(_("unit"), max_length=255)
    unit_name_en = models.CharField(_("unit (English)"), max_length=255, blank=True)
    award_name = models.CharField(_("award"), max_length=200)
    award_name_en = models.CharField(_("award (English)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year of achievement"))
    summary = models.TextField(_("summary of achievements"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "award_name", "nominee_name"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="publication_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} — {self.award_name} {self.year}"

    def localized_award(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.award_name_en or self.award_name
        return self.award_name

    def localized_unit(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.unit_name_en or self.unit_name
        return self.unit_name


class PublicComment(models.Model):
    """A comment sent by anyone on a published nominee; shown publicly once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Shown")
        HIDDEN = "hidden", _("Hidden")

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=150)
    text = models.TextField(_("comment"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:60]}"
