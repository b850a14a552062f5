"""Progress reports: start one, save it field group by field group, attach files, and the
workflow (submit, return, accept, reopen).

Every step locks the report row (fetched again by pk, whatever object the caller holds) and
guards its status inside the transaction, so a double click, a stale form or two sessions at
once never apply a step twice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from campaigns.models import (
    Evidence,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportLine,
    ReviewSections,
)
from campaigns.models.reports import REVIEW_SECTION_MAX_CHARS
from campaigns.services._audit import audit
from campaigns.services.figures import maintains_figures
from campaigns.services.handovers import (
    report_tell_heads_submitted,
    report_tell_officers_accepted,
)
from campaigns.services.reminders import reminders_for_return
from campaigns.validation import check_indicator_value
from config.errors import StaleEdit
from config.uploads import check_upload
from units.models import Unit, User


def _touch(report_id: int) -> None:
    """Mark the report changed when one of its lines, values or files changes.

    The report page caches its body under `content_version`; an UPDATE (not save()) so that the
    report's own history records only its real changes.
    """
    ProgressReport.objects.filter(pk=report_id).update(content_version=F("content_version") + 1)


def _lock_report(report_id: int) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=report_id)
    )


@transaction.atomic
@maintains_figures
def report_start(*, unit: Unit, period: ReportingPeriod, actor: User | None) -> ProgressReport:
    """Create the unit's draft for the period with a line per objective and a value per indicator.

    Safe to call twice (a double click): the unique key unit × period returns the existing
    report instead of a second one.
    """
    report, created = ProgressReport.objects.get_or_create(unit=unit, period=period)
    if created and period.is_review:
        # A review report is narrative only: its sections, no lines or values to count.
        audit(report, actor)
        audit(ReviewSections(report=report, updated_by=actor), actor).save()
    elif created:
        audit(report, actor)
        objectives = list(period.campaign.objectives.all())
        bulk_create_with_history(
            [ReportLine(report=report, objective=objective) for objective in objectives],
            ReportLine,
            default_user=actor,
        )
        bulk_create_with_history(
            [
                IndicatorValue(report=report, indicator=indicator)
                for indicator in Indicator.objects.filter(objective__in=objectives)
            ],
            IndicatorValue,
            default_user=actor,
        )
    return report


def _ensure_editable(report: ProgressReport) -> None:
    if report.status not in ProgressReport.EDITABLE:
        raise ValidationError(
            _("This report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()},
            code="status",
        )
    if report.is_locked(timezone.localdate()):
        raise ValidationError(
            _("The period locked on %(day)s; only the board secretary can reopen the report.")
            % {"day": report.period.locks_on.strftime("%d/%m/%Y")},
            code="locked",
        )


@transaction.atomic
def report_line_save(
    *,
    line: ReportLine,
    percent_complete: int | None,
    narrative: str,
    version: int,
    actor: User | None,
) -> ReportLine:
    """Save one line of a report if nobody saved it since `version`.

    1. lock the report row, so a submit cannot slip between the check and the write;
    2. refuse if the report is not editable (submitted, accepted, locked);
    3. lock the line, read again, and compare versions: a stale edit raises StaleEdit with the
       current row;
    4. write and bump the version (history keeps the previous values).
    """
    _ensure_editable(_lock_report(line.report_id))
    line = ReportLine.objects.select_for_update().select_related("objective").get(pk=line.pk)
    if line.version != version:
        raise StaleEdit(line)
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        raise ValidationError(_("Percent complete must be between 0 and 100."), code="range")
    line.percent_complete = percent_complete
    line.narrative = narrative
    line.version += 1
    line.updated_by = actor
    audit(line, actor).save()
    _touch(line.report_id)
    return line


@transaction.atomic
def review_sections_save(
    *, sections: ReviewSections, texts: dict[str, str], version: int, actor: User | None
) -> ReviewSections:
    """Save the four sections of a review report; the same steps as report_line_save. A
    section longer than REVIEW_SECTION_MAX_CHARS is refused and nothing is written."""
    _ensure_editable(_lock_report(sections.report_id))
    row = ReviewSections.objects.select_for_update().get(pk=sections.pk)
    if row.version != version:
        raise StaleEdit(row)
    too_long = [
        str(ReviewSections._meta.get_field(name).verbose_name)
        for name in ReviewSections.SECTIONS
        if len(texts.get(name, "")) > REVIEW_SECTION_MAX_CHARS
    ]
    if too_long:
        raise ValidationError(
            _("%(sections)s: at most %(max)d characters per section.")
            % {"sections": ", ".join(too_long).capitalize(), "max": REVIEW_SECTION_MAX_CHARS},
            code="too_long",
        )
    for name in ReviewSections.SECTIONS:
        setattr(row, name, texts.get(name, ""))
    row.version += 1
    row.updated_by = actor
    audit(row, actor).save()
    _touch(row.report_id)
    return row


@transaction.atomic
@maintains_figures
def indicator_value_save(
    *, indicator_value: IndicatorValue, value: Decimal | None, version: int, actor: User | None
) -> IndicatorValue:
    """Save one indicator value; the same steps as report_line_save."""
    _ensure_editable(_lock_report(indicator_value.report_id))
    row = (
        IndicatorValue.objects.select_for_update()
        .select_related("indicator")
        .get(pk=indicator_value.pk)
    )
    if row.version != version:
        raise StaleEdit(row)
    check_indicator_value(row.indicator, value)
    row.value = value
    row.version += 1
    row.updated_by = actor
    audit(row, actor).save()
    _touch(row.report_id)
    return row


@transaction.atomic
def evidence_add(*, line: ReportLine, upload: UploadedFile, actor: User | None) -> Evidence:
    checked = check_upload(upload)
    _ensure_editable(_lock_report(line.report_id))
    evidence = Evidence(
        line=line,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    evidence.file.save(checked.name, upload, save=False)
    # If the row cannot be written, the stored file must not stay behind as an orphan.
    try:
        audit(evidence, actor).save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    _touch(line.report_id)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: User | None) -> None:
    report_id = evidence.line.report_id
    _ensure_editable(_lock_report(report_id))
    stored = evidence.file.name
    storage = evidence.file.storage
    audit(evidence, actor).delete()
    _touch(report_id)
    # The file goes only once the deletion is committed; a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
@maintains_figures
def report_submit(*, report: ProgressReport, actor: User) -> ProgressReport:
    report = _lock_report(report.pk)
    if report.status == ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("This report has already been submitted."), code="status")
    _ensure_editable(report)
    if report.period.is_review:
        sections = ReviewSections.objects.filter(report=report).first()
        if sections is None or sections.is_empty():
            raise ValidationError(
                _("Write at least one section of the review before submitting it."),
                code="empty",
            )
    now = timezone.now()
    if report.first_submitted_at is None:
        # Lateness is judged on the first submission: correcting a returned report after the
        # due date does not make a report that came in on time late.
        report.first_submitted_at = now
        report.late = timezone.localdate(now) > report.period.due_on
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_by = actor
    report.return_reason = ""
    audit(report, actor).save()
    _touch(report.pk)
    report_tell_heads_submitted(report=report, actor=actor)
    return report


@transaction.atomic
@maintains_figures
def report_return(*, report: ProgressReport, actor: User, reason: str) -> ProgressReport:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the report is returned, so the officer can correct it."), code="reason"
        )
    report = _lock_report(report.pk)
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."), code="status")
    report.status = ProgressReport.Status.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    audit(report, actor).save()
    _touch(report.pk)
    reminders_for_return(report=report, actor=actor)
    return report


@transaction.atomic
@maintains_figures
def report_accept(*, report: ProgressReport, actor: User) -> ProgressReport:
    report = _lock_report(report.pk)
    if report.status == ProgressReport.Status.ACCEPTED:
        raise ValidationError(_("This report has already been accepted."), code="status")
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."), code="status")
    report.status = ProgressReport.Status.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    audit(report, actor).save()
    _touch(report.pk)
    report_tell_officers_accepted(report=report, actor=actor)
    return report


@transaction.atomic
@maintains_figures
def report_reopen(*, report: ProgressReport, actor: User, reason: str) -> ProgressReport:
    """Make a locked report editable again for REPORT_REOPEN_DAYS days (secretary only)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the report is reopened."), code="reason")
    report = _lock_report(report.pk)
    today = timezone.localdate()
    if not report.is_locked(today):
        raise ValidationError(_("This report is not locked."), code="not_locked")
    report.unlocked_until = today + datetime.timedelta(days=settings.REPORT_REOPEN_DAYS)
    if report.status not in ProgressReport.EDITABLE:
        report.status = ProgressReport.Status.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    audit(report, actor).save()
    _touch(report.pk)
    return report
