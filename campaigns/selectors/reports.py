"""The report page: a report with its lines, values, targets, files and history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Evidence,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportLine,
    Target,
)
from config.numbers import format_number
from units.models import Unit


def report_detail(*, report_id: int) -> ProgressReport:
    """The report with what its permissions need (one query); the rest of the page (campaign,
    who submitted and reviewed) is read only when the cached page has to be drawn again."""
    return ProgressReport.objects.select_related("unit", "period").get(pk=report_id)


def report_with_content(report: ProgressReport) -> ProgressReport:
    """Load the lines, files and values of a report_detail() report (three queries)."""
    prefetch_related_objects(
        [report],
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
    return report


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


def report_line(*, report: ProgressReport, line_id: int) -> ReportLine:
    return ReportLine.objects.get(pk=line_id, report=report)


def report_value(*, report: ProgressReport, value_id: int) -> IndicatorValue:
    return IndicatorValue.objects.select_related("indicator").get(pk=value_id, report=report)


def report_evidence(*, report: ProgressReport, evidence_id: int) -> Evidence:
    return Evidence.objects.select_related("line").get(pk=evidence_id, line__report=report)


def line_with_evidence(*, line_id: int) -> ReportLine:
    """A line with its files and who uploaded them, as the evidence part of the page shows it."""
    return ReportLine.objects.prefetch_related("evidence__uploaded_by").get(pk=line_id)


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
    if isinstance(value, (Decimal, int, float)):
        return format_number(value)  # in the page's language, as the report shows it
    return str(value)


def _events(records, subject_of) -> list[HistoryEvent]:
    """Turn historical rows into events listing the fields each change touched."""
    events = []
    previous: dict[int, object] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        recorded = {f.name for f in type(record)._meta.fields}
        fields = [
            f.name
            for f in record.instance_type._meta.concrete_fields
            if f.name in recorded
            and f.name not in _HIDDEN_FIELDS
            and not f.primary_key
            and not f.is_relation
        ]
        changes = []
        if record.history_type == "~":
            # Without an earlier row (rows created in bulk before history), compare with empty.
            changes = [
                (
                    str(record.instance_type._meta.get_field(name).verbose_name),
                    _display(before, name) if before is not None else "—",
                    _display(record, name),
                )
                for name in fields
                if (getattr(before, name) if before is not None else None) != getattr(record, name)
                and not (before is None and getattr(record, name) in (None, ""))
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


def report_empty_objectives(*, report: ProgressReport) -> list:
    """The objectives the report says nothing about: no percent, no narrative, no file and no
    indicator value. Submitting asks to confirm them by name (one query)."""
    from django.db.models import Exists, OuterRef

    valued = IndicatorValue.objects.filter(
        report_id=report.pk, indicator__objective=OuterRef("objective"), value__isnull=False
    )
    filed = Evidence.objects.filter(line=OuterRef("pk"))
    return [
        line.objective
        for line in ReportLine.objects.filter(
            report_id=report.pk, percent_complete__isnull=True, narrative=""
        )
        .filter(~Exists(valued), ~Exists(filed))
        .select_related("objective")
        .order_by("objective__number")
    ]
