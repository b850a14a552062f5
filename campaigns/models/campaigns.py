"""The campaign and what it is made of: objectives, indicators, participants, periods."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import LocalizedNameMixin, Unit

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
    notice_signer = models.CharField(
        _("notice signed by"), max_length=150, blank=True, help_text=_("Who signed the notice.")
    )
    notice_issuer = models.CharField(
        _("notice issued by"),
        max_length=255,
        blank=True,
        help_text=_("As written on the notice, e.g. Bộ trưởng Bộ Công Thương."),
    )
    midterm_review_on = models.DateField(_("mid-term review on"), null=True, blank=True)
    final_review_on = models.DateField(_("final review on"), null=True, blank=True)
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


class RegularPeriodManager(models.Manager):
    """The periods of the cadence only: every figure, dashboard, reminder and list of periods
    reads periods through `objects` (and `campaign.periods`), so a review period never counts
    in them. Review periods are read through `ReportingPeriod.all_kinds`."""

    def get_queryset(self):
        return super().get_queryset().filter(kind=ReportingPeriod.Kind.REGULAR)


class ReportingPeriod(models.Model):
    """A period every participating unit reports on, generated from the campaign's cadence, or
    a review period (sơ kết, tổng kết) generated from one of the campaign's review dates."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular report")
        REVIEW = "review", _("Review report")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(_("label"), max_length=20)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("due on"))
    locks_on = models.DateField(_("locks on"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR, db_index=True
    )

    history = HistoricalRecords()
    all_kinds = models.Manager()
    objects = RegularPeriodManager()

    class Meta:
        ordering = ["campaign", "starts_on"]
        default_manager_name = "objects"
        base_manager_name = "all_kinds"
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="period_unique_label"),
            models.UniqueConstraint(
                fields=["campaign", "starts_on"],
                condition=Q(kind="regular"),
                name="period_unique_start",
            ),
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

    @property
    def is_review(self) -> bool:
        return self.kind == self.Kind.REVIEW
