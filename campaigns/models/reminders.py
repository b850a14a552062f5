"""Reminders: one row per message, the key of exactly-once delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign, ReportingPeriod
from units.models import Delivery, Unit


class Reminder(Delivery):
    """One message to one person about one unit's report: the unit of exactly-once delivery.

    The key unit × period × kind × occasion × recipient is unique in the database, so however
    many sweeps, workers or retries race, a reminder exists once; `occasion` tells apart the
    legitimate repeats of a kind (the days before the due date, each return of a report, the
    week of a digest, each click of a nudge). Digests concern no period: their own constraint
    keys them by campaign instead. Escalations and digests are written on behalf of the unit
    that launched the campaign (the Ministry), whose secretary and board receive them.
    How it is delivered (state, attempts, inbox item, e-mail) is the one delivery path's
    (units.models.Delivery, units/delivery.py).
    """

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the due date")
        OVERDUE = "overdue", _("Overdue")
        ESCALATION = "escalation", _("Escalation to the secretary")
        RETURNED = "returned", _("Report returned")
        DIGEST = "digest", _("Weekly digest")
        NUDGE = "nudge", _("Reminder sent by the secretary")

    # Kinds that ask someone to act: e-mailed whatever the recipient's e-mail preference.
    ESSENTIAL = (Kind.BEFORE_DUE, Kind.OVERDUE, Kind.ESCALATION, Kind.RETURNED, Kind.NUDGE)
    # Kinds that chase a unit's missing report; the follow-up page shows when they last went.
    CHASING = (Kind.BEFORE_DUE, Kind.OVERDUE, Kind.NUDGE)

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="reminders"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    occasion = models.CharField(
        _("occasion"),
        max_length=40,
        blank=True,
        default="",
        help_text=_(
            "Which repeat of the kind: days before the due date, the return, the week, the nudge."
        ),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    scheduled_on = models.DateField(_("scheduled on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who sent it by hand (nudges) or caused it (a returned report)."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "kind", "occasion", "recipient"],
                condition=Q(period__isnull=False),
                name="reminder_unique_key",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit", "kind", "occasion", "recipient"],
                condition=Q(period__isnull=True),
                name="reminder_unique_key_without_period",
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=False) | Q(kind="digest"),
                name="reminder_period_unless_digest",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "enqueued_at"], name="reminder_queue"),
            models.Index(fields=["state", "next_attempt_at"], name="reminder_retry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit} — {self.period or self.occasion}"
