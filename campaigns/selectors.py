"""Every read a campaigns page needs, with its joins and aggregates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Evidence,
    Indicator,
    IndicatorValue,
    Objective,
    Participation,
    ProgressReport,
    Registration,
    ReportingPeriod,
    ReportLine,
    Target,
)
from units.models import Unit


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("launched_by").annotate(
        participant_count=Count("participations", distinct=True)
    )


def campaign_detail(*, code: str) -> Campaign:
    return (
        Campaign.objects.select_related("launched_by")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("number").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code"))
                ),
            ),
            Prefetch("periods", queryset=ReportingPeriod.objects.order_by("starts_on")),
        )
        .get(code=code)
    )


def campaign_active(*, today: datetime.date) -> Campaign | None:
    return (
        Campaign.objects.select_related("launched_by")
        .filter(status=Campaign.Status.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on")
        .first()
    )


def participant_counts(*, campaign: Campaign, on: datetime.date) -> dict[str, int]:
    """How many units take part, and how many of them exist on the given day."""
    open_units = Q(unit__opened_on__isnull=True) | Q(unit__opened_on__lte=on)
    not_closed = Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gte=on)
    return campaign.participations.aggregate(
        total=Count("pk"), open_now=Count("pk", filter=open_units & not_closed)
    )


def participant_list(
    *, campaign: Campaign, kind: str = "", bloc_code: str = "", query: str = ""
) -> QuerySet[Participation]:
    participations = campaign.participations.select_related("unit", "unit__bloc")
    if kind:
        participations = participations.filter(unit__kind=kind)
    if bloc_code:
        participations = participations.filter(unit__bloc__code=bloc_code)
    if query:
        participations = participations.filter(
            Q(unit__name__icontains=query)
            | Q(unit__code__icontains=query)
            | Q(unit__province__icontains=query)
        )
    return participations.order_by("unit__bloc__name", "unit__path")


def period_state(period: ReportingPeriod, today: datetime.date) -> str:
    if today < period.starts_on:
        return "upcoming"
    if today > period.locks_on:
        return "locked"
    if today > period.due_on:
        return "overdue"
    return "open"


def periods_open(*, campaign: Campaign, today: datetime.date) -> QuerySet[ReportingPeriod]:
    """Periods a unit may still report on today, the most urgent (earliest due) first."""
    return campaign.periods.filter(starts_on__lte=today, locks_on__gte=today).order_by("due_on")


def units_of_user_in_campaign(*, campaign: Campaign, unit_ids: list[int]) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=unit_ids, participations__campaign=campaign).select_related(
        "bloc"
    )


# --- Who is expected to report ----------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRef:
    """A period named inside a query rather than loaded: the campaign and end date as expressions.

    `expected_filter` takes one where a query covers many periods at once: `PeriodRef.outer()`
    inside a subquery correlated to a queryset of periods, `PeriodRef.path(...)` for a period
    reached through a relation of the rows being filtered.
    """

    campaign: Any
    ends_on: Any

    @classmethod
    def outer(cls) -> PeriodRef:
        return cls(OuterRef("campaign_id"), OuterRef("ends_on"))

    @classmethod
    def path(cls, relation: str) -> PeriodRef:
        return cls(F(f"{relation}__campaign"), F(f"{relation}__ends_on"))


def expected_filter(period: ReportingPeriod | PeriodRef, prefix: str = "") -> Q:
    """Units expected to report for a period: participating, and in existence when it ends.

    A department closed on 30/06/2025 reports for Q2/2025 but not Q3/2025; one opened on
    01/07/2025 reports from Q3/2025 on. `prefix` lets the same rule filter related rows.
    """
    if isinstance(period, ReportingPeriod):
        campaign, ends_on = period.campaign_id, period.ends_on
    else:
        campaign, ends_on = period.campaign, period.ends_on
    return (
        Q(**{f"{prefix}participations__campaign": campaign})
        & (Q(**{f"{prefix}opened_on__isnull": True}) | Q(**{f"{prefix}opened_on__lte": ends_on}))
        & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": ends_on}))
    )


def units_expected(*, period: ReportingPeriod) -> QuerySet[Unit]:
    return Unit.objects.filter(expected_filter(period))


EXPECTED_PERIOD = "participations__campaign__periods"


def units_expected_in_periods(
    *, campaign: Campaign, period_ids: list[int], units: Q | None = None
) -> QuerySet[Unit]:
    """One row per unit × period it is expected to report for, among `units`.

    The period of each row is reached as `EXPECTED_PERIOD` (e.g. `.values(F(EXPECTED_PERIOD))`
    or grouped by it to count the expected units of each period).
    """
    return (
        Unit.objects.filter(units or Q())
        .filter(
            Q(participations__campaign=campaign, participations__campaign__periods__in=period_ids)
            & expected_filter(PeriodRef.path(EXPECTED_PERIOD))
        )
        .order_by()
    )


def unit_is_expected(unit: Unit, period: ReportingPeriod) -> bool:
    return (unit.opened_on is None or unit.opened_on <= period.ends_on) and (
        unit.closed_on is None or unit.closed_on >= period.ends_on
    )


# --- Reports ----------------------------------------------------------------------------------


def report_detail(*, report_id: int) -> ProgressReport:
    return (
        ProgressReport.objects.select_related(
            "unit", "unit__parent", "period", "period__campaign", "submitted_by", "reviewed_by"
        )
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ReportLine.objects.select_related("objective", "updated_by")
                .order_by("objective__number")
                .prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by"))
                ),
            ),
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("indicator", "updated_by").order_by(
                    "indicator__order", "indicator__code"
                ),
            ),
        )
        .get(pk=report_id)
    )


def report_for(*, unit: Unit, period: ReportingPeriod) -> ProgressReport | None:
    return ProgressReport.objects.filter(unit=unit, period=period).first()


def targets_for(*, campaign_id: int, unit_id: int, year: int) -> dict[int, Decimal]:
    return dict(
        Target.objects.filter(
            registration__campaign_id=campaign_id,
            registration__unit_id=unit_id,
            registration__year=year,
        ).values_list("indicator_id", "value")
    )


@dataclass
class ObjectiveBlock:
    """A report line with the indicator values (and targets) of its objective."""

    line: ReportLine
    values: list[tuple[IndicatorValue, Decimal | None]]


def report_blocks(report: ProgressReport) -> list[ObjectiveBlock]:
    """Group a report_detail() report's values under their lines; one query for the targets."""
    targets = targets_for(
        campaign_id=report.period.campaign_id, unit_id=report.unit_id, year=report.period.year
    )
    values_by_objective: dict[int, list] = {}
    for value in report.values.all():
        values_by_objective.setdefault(value.indicator.objective_id, []).append(
            (value, targets.get(value.indicator_id))
        )
    return [
        ObjectiveBlock(line, values_by_objective.get(line.objective_id, []))
        for line in report.lines.all()
    ]


@dataclass
class HistoryEvent:
    when: datetime.datetime
    who: str
    subject: str
    action: str
    changes: list[tuple[str, str, str]]


_HIDDEN_FIELDS = {"version", "updated_at", "updated_by", "created_at", "file", "path"}


def _display(record, field: str) -> str:
    value = getattr(record, field)
    if value is None or value == "":
        return "—"
    display = getattr(record, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _events(records, subject_of) -> list[HistoryEvent]:
    """Turn historical rows into events listing the fields each change touched."""
    events = []
    previous: dict[int, object] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        fields = [
            f.name
            for f in record.instance_type._meta.concrete_fields
            if f.name not in _HIDDEN_FIELDS and not f.primary_key and not f.is_relation
        ]
        changes = []
        if record.history_type == "~" and before is not None:
            changes = [
                (
                    str(record.instance_type._meta.get_field(name).verbose_name),
                    _display(before, name),
                    _display(record, name),
                )
                for name in fields
                if getattr(before, name) != getattr(record, name)
            ]
            if not changes:
                previous[record.id] = record
                continue
        action = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
        user = record.history_user
        events.append(
            HistoryEvent(
                when=record.history_date,
                who=user.get_full_name() if user else str(_("the system")),
                subject=subject_of(record),
                action=str(action),
                changes=changes,
            )
        )
        previous[record.id] = record
    return events


def report_history(report: ProgressReport) -> list[HistoryEvent]:
    """Every change to the report, its lines, values and evidence, newest first (4 queries)."""
    lines = {line.pk: line for line in report.lines.all()}
    values = {value.pk: value for value in report.values.all()}
    report_rows = ProgressReport.history.filter(id=report.pk).select_related("history_user")
    line_rows = ReportLine.history.filter(report_id=report.pk).select_related("history_user")
    value_rows = IndicatorValue.history.filter(report_id=report.pk).select_related("history_user")
    evidence_rows = Evidence.history.filter(line_id__in=list(lines)).select_related("history_user")

    def line_subject(record) -> str:
        line = lines.get(record.id)
        number = line.objective.number if line else "?"
        return str(_("Objective %(number)s") % {"number": number})

    def value_subject(record) -> str:
        value = values.get(record.id)
        return value.indicator.localized("name") if value else str(_("Indicator"))

    def evidence_subject(record) -> str:
        return str(_("Evidence “%(name)s”") % {"name": record.original_name})

    events = (
        _events(report_rows, lambda record: str(_("Report")))
        + _events(line_rows, line_subject)
        + _events(value_rows, value_subject)
        + _events(evidence_rows, evidence_subject)
    )
    return sorted(events, key=lambda event: event.when, reverse=True)


# --- The unit page ----------------------------------------------------------------------------


@dataclass
class PeriodRow:
    period: ReportingPeriod
    report: ProgressReport | None
    state: str


def unit_report_rows(*, unit: Unit, campaign: Campaign, today: datetime.date) -> list[PeriodRow]:
    """The periods this unit is expected to report for, up to today, with its report (1 query)."""
    periods = (
        campaign.periods.filter(starts_on__lte=today)
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(unit=unit),
                to_attr="unit_reports",
            )
        )
        .order_by("-starts_on")
    )
    return [
        PeriodRow(
            period,
            period.unit_reports[0] if period.unit_reports else None,
            period_state(period, today),
        )
        for period in periods
        if unit_is_expected(unit, period)
    ]


def unit_registrations(*, unit: Unit, campaign: Campaign) -> list[Registration]:
    return list(
        Registration.objects.filter(unit=unit, campaign=campaign)
        .select_related("confirmed_by")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related(
                    "indicator", "indicator__objective"
                ).order_by("indicator__objective__number", "indicator__order"),
            )
        )
        .order_by("-year")
    )


def unit_participates(*, unit: Unit, campaign: Campaign) -> bool:
    return campaign.participations.filter(unit=unit).exists()
