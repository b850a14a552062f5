from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import LocalizedNameMixin, Notification, Unit

MAX_REMINDER_DAYS = 90
MAX_REMINDERS_BEFORE_DUE = 5
MAX_ESCALATION_DAYS = 60  # also in the check constraint's message


def parse_reminder_days(value: str) -> tuple[int, ...]:
    """ "7, 3,1" → (7, 3, 1): whole days before the due date, each once, largest first.

    Refuses anything else with a message naming the problem; empty means no reminder before
    the due date.
    """
    value = (value or "").strip()
    if not value:
        return ()
    days = []
    for item in value.split(","):
        item = item.strip()
        if not item.isdigit() or not item.isascii():
            raise ValidationError(
                _("Write whole numbers of days separated by commas, e.g. 7,3,1."),
                code="format",
            )
        day = int(item)
        if not 1 <= day <= MAX_REMINDER_DAYS:
            raise ValidationError(
                _("Each number of days must be between 1 and %(max)s.")
                % {"max": MAX_REMINDER_DAYS},
                code="range",
            )
        if day in days:
            raise ValidationError(
                _("%(day)s days is listed twice.") % {"day": day}, code="duplicate"
            )
        days.append(day)
    if len(days) > MAX_REMINDERS_BEFORE_DUE:
        raise ValidationError(
            _("At most %(max)s reminders before the due date.") % {"max": MAX_REMINDERS_BEFORE_DUE},
            code="too_many",
        )
    return tuple(sorted(days, reverse=True))


def validate_reminder_days(value: str) -> None:
    parse_reminder_days(value)


class Campaign(LocalizedNameMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")
        YEARLY = "yearly", _("Yearly")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    slogan = models.CharField(_("slogan"), max_length=500, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=255, blank=True)
    launched_on = models.DateField(_("launched on"))
    launched_by = models.ForeignKey(
        Unit, verbose_name=_("launched by"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    cadence = models.CharField(
        _("reporting cadence"), max_length=12, choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days of grace"),
        default=15,
        help_text=_("Days after a period ends before its report is due; later reports are late."),
    )
    lock_days = models.PositiveSmallIntegerField(
        _("days before locking"),
        default=30,
        help_text=_("Days after the due date after which the period's reports are read-only."),
    )
    reminder_days = models.CharField(
        _("reminders before the due date"),
        max_length=30,
        blank=True,
        default="7,3,1",
        validators=[validate_reminder_days],
        help_text=_(
            "Days before the due date on which officers of units that have not reported are "
            "reminded, separated by commas (e.g. 7,3,1). Leave empty for none. A reminder "
            "falling on a weekend or public holiday goes out the working day before."
        ),
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("days before escalating"),
        default=7,
        validators=[MaxValueValidator(MAX_ESCALATION_DAYS)],
        help_text=_(
            "Days after the overdue notice before the board secretary receives the list of "
            "units that still have not reported."
        ),
    )
    participants = models.ManyToManyField(
        Unit,
        verbose_name=_("participating units"),
        through="Participation",
        related_name="campaigns",
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("A campaign must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(escalation_days__lte=MAX_ESCALATION_DAYS),
                name="campaign_escalation_days_range",
                violation_error_message=_("Escalation must come within 60 days."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        # Stored in one spelling ("7,3,1"), whatever spacing or order was typed.
        try:
            self.reminder_days = ",".join(map(str, parse_reminder_days(self.reminder_days)))
        except ValidationError as error:
            raise ValidationError({"reminder_days": error.messages}) from None

    @property
    def reminder_offsets(self) -> tuple[int, ...]:
        return parse_reminder_days(self.reminder_days)


class Participation(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="participations"
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign.code}"


class Objective(LocalizedNameMixin, models.Model):
    """One task of the campaign's notice, with its text kept verbatim."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    text = models.TextField(_("full text"))
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="objective_unique_number"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="objective_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.localized('title')}"


class Indicator(LocalizedNameMixin, models.Model):
    """A measurable value that units report for an objective each period."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage (0–100)")
        NUMBER = "number", _("Number")
        COUNT = "count", _("Count (whole number)")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Rollup(models.TextChoices):
        SUM = "sum", _("Sum of the periods")
        AVERAGE = "average", _("Average of the periods")
        LAST = "last", _("Latest period")
        MAX = "max", _("Best period")

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    measure = models.CharField(
        _("measure"), max_length=60, help_text=_("Unit of measure, e.g. %, documents, people.")
    )
    measure_en = models.CharField(_("English measure"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    rollup = models.CharField(
        _("roll-up"), max_length=10, choices=Rollup.choices, default=Rollup.LAST
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Share of this indicator in its objective's attainment."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__number", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.localized("name")


class ReportingPeriod(models.Model):
    """A period every participating unit reports on, generated from the campaign's cadence."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(_("label"), max_length=20)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("due on"))
    locks_on = models.DateField(_("locks on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "starts_on"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="period_unique_label"),
            models.UniqueConstraint(fields=["campaign", "starts_on"], name="period_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on"))
                & Q(due_on__gte=F("ends_on"))
                & Q(locks_on__gte=F("due_on")),
                name="period_dates_in_order",
                violation_error_message=_(
                    "A period must start, end, fall due and lock in that order."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def year(self) -> int:
        return self.starts_on.year


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


class Reminder(models.Model):
    """One message to one person about one unit's report: the unit of exactly-once delivery.

    The key unit × period × kind × occasion × recipient is unique in the database, so however
    many sweeps, workers or retries race, a reminder exists once; `occasion` tells apart the
    legitimate repeats of a kind (the days before the due date, each return of a report, the
    week of a digest, each click of a nudge). Digests concern no period: their own constraint
    keys them by campaign instead. Escalations and digests are written on behalf of the unit
    that launched the campaign (the Ministry), whose secretary and board receive them.
    """

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the due date")
        OVERDUE = "overdue", _("Overdue")
        ESCALATION = "escalation", _("Escalation to the secretary")
        RETURNED = "returned", _("Report returned")
        DIGEST = "digest", _("Weekly digest")
        NUDGE = "nudge", _("Reminder sent by the secretary")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("No longer needed")

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
    via_email = models.BooleanField(_("by e-mail"), default=True)
    via_app = models.BooleanField(_("in the app"), default=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("handed to the queue at"), default=timezone.now)
    handover = models.UUIDField(
        _("hand-over"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The sweep, nudge or returned report that created and queued it."),
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("When a failed send is tried again; empty means it waits for a person."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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
