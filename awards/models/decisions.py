"""Decisions: the commendation decisions and the forwardings to a higher level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Decision(models.Model):
    """A commendation decision (quyết định), or the proposal forwarding awards the Ministry does
    not decide to a higher level (tờ trình). It settles a set of approved nominations."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Commendation decision")
        FORWARDING = "forwarding", _("Proposal to a higher level")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        REVOKED = "revoked", _("Revoked")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, help_text=_("e.g. 123/QĐ-BCT"))
    signed_on = models.DateField(_("date"))
    signer = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("deciding unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("The unit whose head decided; empty for the Ministry."),
    )
    issuer = models.CharField(
        _("issuer"),
        max_length=255,
        help_text=_("As written in the award history, e.g. Bộ trưởng Bộ Công Thương."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "signed_on"],
                name="decision_unique_number",
                violation_error_message=_("A decision with this number and date exists."),
            ),
            models.CheckConstraint(
                condition=(Q(status="in_force") & Q(revoked_at__isnull=True))
                | (Q(status="revoked") & Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="decision_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({formats.date_format(self.signed_on, 'SHORT_DATE_FORMAT')})"

    @property
    def is_forwarding(self) -> bool:
        return self.kind == self.Kind.FORWARDING
