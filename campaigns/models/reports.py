"""Progress reports: a unit's report for a period, its lines, values and evidence files."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models.campaigns import Indicator, Objective, ReportingPeriod
from units.models import Unit


class ReportQuerySet(models.QuerySet):
    def received(self) -> ReportQuerySet:
        return self.filter(
            status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
        )


class ProgressReport(models.Model):
    """A unit's report for one period: one line per objective and a value per indicator."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        ACCEPTED = "accepted", _("Accepted")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    late = models.BooleanField(
        _("late"), default=False, help_text=_("First submitted after the due date.")
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unlocked_until = models.DateField(
        _("reopened until"),
        null=True,
        blank=True,
        help_text=_("Set when the secretary reopens a locked report."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Bumped whenever a line, value or file of the report changes: the report page caches its
    # body under this number.
    content_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["content_version"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["period__starts_on", "unit__path"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="report_unique_unit_period"),
        ]
        indexes = [
            # The dashboards read a period's received reports (status) with their unit and id
            # to reach the values, and count a period's submitted reports, late or not: both
            # straight from these indexes, without visiting the table.
            models.Index(fields=["period", "status", "unit", "id"], name="report_period_status"),
            models.Index(
                fields=["period", "unit", "late"],
                condition=Q(first_submitted_at__isnull=False),
                name="report_period_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    def is_locked(self, today) -> bool:
        if today <= self.period.locks_on:
            return False
        return self.unlocked_until is None or today > self.unlocked_until

    def is_editable(self, today) -> bool:
        return self.status in self.EDITABLE and not self.is_locked(today)


class VersionedRow(models.Model):
    """A row edited field by field: `version` detects a stale edit (optimistic locking)."""

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class ReportLine(VersionedRow):
    """What a unit did on one objective during the period."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="lines"
    )
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="+"
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    narrative = models.TextField(_("what was done"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__number"]
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        constraints = [
            models.UniqueConstraint(fields=["report", "objective"], name="line_unique_objective"),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
                name="line_percent_0_100",
                violation_error_message=_("Percent complete must be between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.objective.number}"


class IndicatorValue(VersionedRow):
    """The value a unit reports for one indicator in one period."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__objective__number", "indicator__order"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="value_unique_indicator"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="value_not_negative",
                violation_error_message=_("A value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


REVIEW_SECTION_MAX_CHARS = 20000


class ReviewSections(VersionedRow):
    """The narrative of a unit's review report (sơ kết, tổng kết): the report on a review
    period holds these four sections instead of lines and values."""

    SECTIONS = ("results", "good_examples", "limits", "proposals")

    report = models.OneToOneField(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="review"
    )
    results = models.TextField(_("results per task"), blank=True)
    good_examples = models.TextField(_("models and good examples"), blank=True)
    limits = models.TextField(_("limits and their causes"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review sections")
        verbose_name_plural = _("review sections")

    def __str__(self) -> str:
        return str(self.report)

    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.SECTIONS)


def evidence_path(instance: Evidence, filename: str) -> str:
    # Stored names are random: the original name is kept in the row, never on disk.
    return (
        f"evidence/{instance.line.report_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"
    )


class Evidence(models.Model):
    """A file proving a report line, stored privately and served through a permission check."""

    line = models.ForeignKey(
        ReportLine, verbose_name=_("report line"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name
