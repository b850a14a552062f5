"""A bloc's year: its leading unit and deputy, its members and its covenant."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import EmulationBloc, Unit


class BlocYear(models.Model):
    """Khối thi đua in one year: who leads it, who belongs, the deadline and the ranking."""

    bloc = models.ForeignKey(
        EmulationBloc,
        verbose_name=_("emulation bloc"),
        on_delete=models.PROTECT,
        related_name="years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    leading_unit = models.ForeignKey(
        Unit,
        verbose_name=_("leading unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deputy_unit = models.ForeignKey(
        Unit,
        verbose_name=_("deputy unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The campaign whose reports and objectives the computed criteria read."),
    )
    scoring_deadline = models.DateField(_("self-scoring deadline"), null=True, blank=True)
    members_confirmed_at = models.DateTimeField(_("members confirmed at"), null=True, blank=True)
    ranking_published_at = models.DateTimeField(_("ranking published at"), null=True, blank=True)
    ranking_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ranking published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc__name", "-year"]
        verbose_name = _("bloc year")
        verbose_name_plural = _("bloc years")
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="blocyear_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.bloc} — {self.year}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def is_published(self) -> bool:
        return self.ranking_published_at is not None


class BlocMember(models.Model):
    """A unit confirmed as a member of the bloc for the year (with the part of the year it
    existed, when it opened or closed during it)."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("bloc year"), on_delete=models.CASCADE, related_name="members"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="bloc_memberships"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc_year", "unit__path"]
        verbose_name = _("bloc member")
        verbose_name_plural = _("bloc members")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "unit"], name="blocmember_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.bloc_year}"


class Commitment(models.Model):
    """One commitment of the covenant (giao ước thi đua), drafted by the leading unit."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("bloc year"), on_delete=models.CASCADE, related_name="commitments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("commitment"), max_length=2000)
    objective = models.ForeignKey(
        "campaigns.Objective",
        verbose_name=_("campaign objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc_year", "number", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Signature(models.Model):
    """A member unit's signature of the covenant, by its head, in the app."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("bloc year"), on_delete=models.CASCADE, related_name="signatures"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["bloc_year", "signed_at"]
        verbose_name = _("covenant signature")
        verbose_name_plural = _("covenant signatures")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "unit"], name="signature_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.bloc_year}"
