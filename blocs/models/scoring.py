"""The scoring table of a bloc's year, the members' scorings and the published ranking."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocs.models.years import BlocYear
from units.models import Unit

POINTS = {"max_digits": 7, "decimal_places": 2}


class CriterionGroup(models.Model):
    """A group of criteria with its own maximum of points (e.g. "I. Performing the tasks")."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("bloc year"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    max_points = models.DecimalField(
        _("maximum points"), validators=[MinValueValidator(Decimal(0))], **POINTS
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc_year", "number", "pk"]
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "number"], name="criteriongroup_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    """A criterion: scored by hand with evidence, computed from the app's figures by a formula
    over named indicators (blocs.indicators), or a bonus or a penalty."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Scored by the unit, with evidence")
        COMPUTED = "computed", _("Computed from the app's figures")
        BONUS = "bonus", _("Bonus points")
        PENALTY = "penalty", _("Penalty points")

    group = models.ForeignKey(
        CriterionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("criterion"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    max_points = models.DecimalField(
        _("maximum points"), validators=[MinValueValidator(Decimal(0))], **POINTS
    )
    formula = models.CharField(
        _("formula"),
        max_length=255,
        blank=True,
        help_text=_("For a computed criterion, e.g. 10 * on_time_rate."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group__number", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="criterion_code_in_group"),
            models.CheckConstraint(
                condition=Q(kind="computed") | Q(formula=""),
                name="criterion_formula_only_computed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_computed(self) -> bool:
        return self.kind == self.Kind.COMPUTED


class Scoring(models.Model):
    """A member unit's scoring of itself against the bloc's table, and its cross-check."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        CHECKED = "checked", _("Cross-checked")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("bloc year"), on_delete=models.CASCADE, related_name="scorings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True, max_length=2000)
    checked_at = models.DateTimeField(_("cross-checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cross-checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc_year", "unit__path"]
        verbose_name = _("scoring")
        verbose_name_plural = _("scorings")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "unit"], name="scoring_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.bloc_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Score(models.Model):
    """The points of one criterion: the unit's own, and the cross-checked ones with the reason
    of the change (shown to the unit)."""

    scoring = models.ForeignKey(
        Scoring, verbose_name=_("scoring"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    points = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    evidence = models.TextField(_("evidence"), blank=True, max_length=2000)
    checked_points = models.DecimalField(_("cross-checked points"), null=True, blank=True, **POINTS)
    check_reason = models.TextField(_("reason for the change"), blank=True, max_length=2000)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scoring", "criterion__group__number", "criterion__order", "criterion__pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["scoring", "criterion"], name="score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} — {self.final}"

    @property
    def final(self) -> Decimal | None:
        return self.checked_points if self.checked_points is not None else self.points


class RankEntry(models.Model):
    """A line of the published ranking, frozen when it was published."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("bloc year"), on_delete=models.CASCADE, related_name="ranking"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="bloc_ranks"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    total = models.DecimalField(_("total points"), **POINTS)
    penalty = models.DecimalField(_("penalty points"), default=0, **POINTS)

    class Meta:
        ordering = ["bloc_year", "rank"]
        verbose_name = _("ranking line")
        verbose_name_plural = _("ranking lines")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "unit"], name="rankentry_once"),
            models.UniqueConstraint(fields=["bloc_year", "rank"], name="rankentry_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit}"
