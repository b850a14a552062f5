"""Every write to campaigns goes through here."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
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
from campaigns.periods import period_spans
from campaigns.validation import check_indicator_value
from config.uploads import check_upload
from units.models import Unit, User


class WorkflowError(Exception):
    """A step that cannot apply in the current state; the message is for the user."""


class StaleEdit(Exception):
    """Someone saved this row since the form was loaded; carries the row as it is now."""

    def __init__(self, current) -> None:
        super().__init__(_("Someone else saved this since you opened it."))
        self.current = current


@transaction.atomic
def campaign_generate_periods(*, campaign: Campaign) -> list[ReportingPeriod]:
    """Create the campaign's periods from its cadence; existing ones get their dates refreshed.

    Safe to run again: periods are matched by label, so nothing is duplicated, and a change of
    the days of grace or of locking moves the due and lock dates of every period.
    """
    existing = {period.label: period for period in campaign.periods.all()}
    grace = datetime.timedelta(days=campaign.grace_days)
    lock = datetime.timedelta(days=campaign.lock_days)
    periods = []
    for span in period_spans(campaign.cadence, campaign.starts_on, campaign.ends_on):
        values = {
            "starts_on": span.starts_on,
            "ends_on": span.ends_on,
            "due_on": span.ends_on + grace,
            "locks_on": span.ends_on + grace + lock,
        }
        period = existing.get(span.label)
        if period is None:
            period = ReportingPeriod.objects.create(campaign=campaign, label=span.label, **values)
        elif any(getattr(period, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(period, key, value)
            period.save()
        periods.append(period)
    return periods


@transaction.atomic
def campaign_load(*, data: dict[str, Any]) -> Campaign:
    """Create or update a campaign, its objectives and indicators from a data document.

    Objectives are matched by number and indicators by code, so loading the same document
    twice changes nothing; the launching unit must already exist (it is looked up by code).
    """
    launched_by = Unit.objects.get(code=data["launched_by"])
    campaign, _ = Campaign.objects.update_or_create(
        code=data["code"],
        defaults={
            "title": data["title"],
            "title_en": data.get("title_en", ""),
            "slogan": data.get("slogan", ""),
            "document_ref": data.get("document_ref", ""),
            "launched_on": datetime.date.fromisoformat(data["launched_on"]),
            "launched_by": launched_by,
            "starts_on": datetime.date.fromisoformat(data["starts_on"]),
            "ends_on": datetime.date.fromisoformat(data["ends_on"]),
            "cadence": data.get("cadence", Campaign.Cadence.QUARTERLY),
            "grace_days": data.get("grace_days", 15),
            "lock_days": data.get("lock_days", 30),
            "status": data.get("status", Campaign.Status.ACTIVE),
        },
    )
    for objective_data in data["objectives"]:
        objective, _ = Objective.objects.update_or_create(
            campaign=campaign,
            number=objective_data["number"],
            defaults={
                "title": objective_data["title"],
                "title_en": objective_data.get("title_en", ""),
                "text": objective_data["text"],
                "weight": Decimal(objective_data.get("weight", "1")),
            },
        )
        for order, indicator_data in enumerate(objective_data.get("indicators", []), start=1):
            Indicator.objects.update_or_create(
                code=indicator_data["code"],
                defaults={
                    "objective": objective,
                    "name": indicator_data["name"],
                    "name_en": indicator_data.get("name_en", ""),
                    "measure": indicator_data["measure"],
                    "measure_en": indicator_data.get("measure_en", ""),
                    "kind": indicator_data["kind"],
                    "direction": indicator_data.get("direction", Indicator.Direction.HIGHER),
                    "rollup": indicator_data["rollup"],
                    "weight": Decimal(indicator_data.get("weight", "1")),
                    "order": order,
                },
            )
    campaign_generate_periods(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_enrol_units(*, campaign: Campaign, units: list[Unit]) -> int:
    """Add units to the campaign's participants; returns how many were new."""
    already = set(campaign.participations.values_list("unit_id", flat=True))
    new = [
        Participation(campaign=campaign, unit=unit, joined_on=unit.opened_on)
        for unit in units
        if unit.pk not in already
    ]
    Participation.objects.bulk_create(new)
    return len(new)


# --- Progress reports ---------------------------------------------------------------------


def _audit(instance, user: User | None):
    # simple_history reads the author from the request in views; tasks and shells pass it here.
    instance._history_user = user
    return instance


def _lock_report(report_id: int) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=report_id)
    )


@transaction.atomic
def report_start(*, unit: Unit, period: ReportingPeriod, user: User | None) -> ProgressReport:
    """Create the unit's draft for the period with a line per objective and a value per indicator.

    Safe to call twice (a double click): the unique key unit × period returns the existing
    report instead of a second one.
    """
    report, created = ProgressReport.objects.get_or_create(unit=unit, period=period)
    if created:
        _audit(report, user)
        objectives = list(period.campaign.objectives.all())
        ReportLine.objects.bulk_create(
            [ReportLine(report=report, objective=objective) for objective in objectives]
        )
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(report=report, indicator=indicator)
                for indicator in Indicator.objects.filter(objective__in=objectives)
            ]
        )
    return report


def _ensure_editable(report: ProgressReport) -> None:
    if report.status not in ProgressReport.EDITABLE:
        raise WorkflowError(
            _("This report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()}
        )
    if report.is_locked(timezone.localdate()):
        raise WorkflowError(
            _("The period locked on %(day)s; only the board secretary can reopen the report.")
            % {"day": report.period.locks_on.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def report_line_save(
    *,
    line_id: int,
    percent_complete: int | None,
    narrative: str,
    version: int,
    user: User | None,
) -> ReportLine:
    """Save one line of a report if nobody saved it since `version`.

    1. lock the report row, so a submit cannot slip between the check and the write;
    2. refuse if the report is not editable (submitted, accepted, locked);
    3. lock the line and compare versions: a stale edit raises StaleEdit with the current row;
    4. write and bump the version (history keeps the previous values).
    """
    line = ReportLine.objects.select_related("objective").get(pk=line_id)
    _ensure_editable(_lock_report(line.report_id))
    line = ReportLine.objects.select_for_update().select_related("objective").get(pk=line_id)
    if line.version != version:
        raise StaleEdit(line)
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        raise ValidationError(_("Percent complete must be between 0 and 100."))
    line.percent_complete = percent_complete
    line.narrative = narrative
    line.version += 1
    line.updated_by = user
    _audit(line, user).save()
    return line


@transaction.atomic
def indicator_value_save(
    *, value_id: int, value: Decimal | None, version: int, user: User | None
) -> IndicatorValue:
    """Save one indicator value; the same steps as report_line_save."""
    row = IndicatorValue.objects.select_related("indicator").get(pk=value_id)
    _ensure_editable(_lock_report(row.report_id))
    row = IndicatorValue.objects.select_for_update().select_related("indicator").get(pk=value_id)
    if row.version != version:
        raise StaleEdit(row)
    check_indicator_value(row.indicator, value)
    row.value = value
    row.version += 1
    row.updated_by = user
    _audit(row, user).save()
    return row


@transaction.atomic
def evidence_add(*, line: ReportLine, upload: UploadedFile, user: User | None) -> Evidence:
    checked = check_upload(upload)
    _ensure_editable(_lock_report(line.report_id))
    evidence = Evidence(
        line=line,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    evidence.file.save(checked.name, upload, save=False)
    # If the row cannot be written, the stored file must not stay behind as an orphan.
    try:
        _audit(evidence, user).save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User | None) -> None:
    _ensure_editable(_lock_report(evidence.line.report_id))
    stored = evidence.file.name
    storage = evidence.file.storage
    _audit(evidence, user).delete()
    # The file goes only once the deletion is committed; a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def report_submit(*, report_id: int, user: User) -> ProgressReport:
    report = _lock_report(report_id)
    if report.status == ProgressReport.Status.SUBMITTED:
        raise WorkflowError(_("This report has already been submitted."))
    _ensure_editable(report)
    now = timezone.now()
    if report.first_submitted_at is None:
        # Lateness is judged on the first submission: correcting a returned report after the
        # due date does not make a report that came in on time late.
        report.first_submitted_at = now
        report.late = timezone.localdate(now) > report.period.due_on
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_by = user
    report.return_reason = ""
    _audit(report, user).save()
    return report


@transaction.atomic
def report_return(*, report_id: int, user: User, reason: str) -> ProgressReport:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the report is returned, so the officer can correct it."))
    report = _lock_report(report_id)
    if report.status != ProgressReport.Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted report can be returned."))
    report.status = ProgressReport.Status.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    _audit(report, user).save()
    return report


@transaction.atomic
def report_accept(*, report_id: int, user: User) -> ProgressReport:
    report = _lock_report(report_id)
    if report.status == ProgressReport.Status.ACCEPTED:
        raise WorkflowError(_("This report has already been accepted."))
    if report.status != ProgressReport.Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted report can be accepted."))
    report.status = ProgressReport.Status.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    _audit(report, user).save()
    return report


@transaction.atomic
def report_reopen(*, report_id: int, user: User, reason: str) -> ProgressReport:
    """Make a locked report editable again for REPORT_REOPEN_DAYS days (secretary only)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the report is reopened."))
    report = _lock_report(report_id)
    today = timezone.localdate()
    if not report.is_locked(today):
        raise WorkflowError(_("This report is not locked."))
    report.unlocked_until = today + datetime.timedelta(days=settings.REPORT_REOPEN_DAYS)
    if report.status not in ProgressReport.EDITABLE:
        report.status = ProgressReport.Status.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    _audit(report, user).save()
    return report


# --- Registration (đăng ký thi đua) ---------------------------------------------------------


@transaction.atomic
def registration_save(
    *,
    campaign: Campaign,
    unit: Unit,
    year: int,
    commitments: str,
    target_title: str,
    targets: dict[int, Decimal | None],
    user: User,
) -> Registration:
    """Create or update the unit's registration for the year, with a target per indicator."""
    if not campaign.starts_on.year <= year <= campaign.ends_on.year:
        raise ValidationError(_("The campaign does not run in %(year)s.") % {"year": year})
    registration, _created = Registration.objects.select_for_update().get_or_create(
        campaign=campaign, unit=unit, year=year, defaults={"created_by": user}
    )
    if registration.status == Registration.Status.CONFIRMED:
        raise WorkflowError(_("This registration has been confirmed and can no longer change."))
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(objective__campaign=campaign)
    }
    errors = {}
    for indicator_id, value in targets.items():
        try:
            check_indicator_value(indicators[indicator_id], value)
        except ValidationError as error:
            errors[f"target_{indicator_id}"] = error.messages
    if errors:
        raise ValidationError(errors)
    registration.commitments = commitments
    registration.target_title = target_title
    _audit(registration, user).save()
    existing = {target.indicator_id: target for target in registration.targets.all()}
    for indicator_id, value in targets.items():
        target = existing.get(indicator_id)
        if value is None:
            if target is not None:
                _audit(target, user).delete()
        elif target is None:
            _audit(
                Target(registration=registration, indicator_id=indicator_id, value=value), user
            ).save()
        elif target.value != value:
            target.value = value
            _audit(target, user).save()
    return registration


def _registration_step(
    registration_id: int, user: User, *, allowed: set[str], refusal: str, to: str, **fields
) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status not in allowed:
        raise WorkflowError(refusal)
    registration.status = to
    for name, value in fields.items():
        setattr(registration, name, value)
    _audit(registration, user).save()
    return registration


@transaction.atomic
def registration_submit(*, registration_id: int, user: User) -> Registration:
    return _registration_step(
        registration_id,
        user,
        allowed={Registration.Status.DRAFT},
        refusal=_("This registration is already with the unit head."),
        to=Registration.Status.SUBMITTED,
    )


@transaction.atomic
def registration_confirm(*, registration_id: int, user: User) -> Registration:
    if not Target.objects.filter(registration_id=registration_id).exists():
        raise WorkflowError(_("Register at least one target before confirming."))
    return _registration_step(
        registration_id,
        user,
        allowed={Registration.Status.DRAFT, Registration.Status.SUBMITTED},
        refusal=_("This registration has already been confirmed."),
        to=Registration.Status.CONFIRMED,
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )


@transaction.atomic
def registration_send_back(*, registration_id: int, user: User) -> Registration:
    return _registration_step(
        registration_id,
        user,
        allowed={Registration.Status.SUBMITTED},
        refusal=_("Only a registration awaiting confirmation can be sent back."),
        to=Registration.Status.DRAFT,
    )
