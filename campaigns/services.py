"""Every write to campaigns goes through here."""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from campaigns.models import (
    Campaign,
    Evidence,
    Indicator,
    IndicatorValue,
    Objective,
    Participation,
    ProgressReport,
    Registration,
    Reminder,
    ReportingPeriod,
    ReportLine,
    Target,
)
from campaigns.notices import notice_for
from campaigns.periods import (
    before_due_dates,
    before_due_offset,
    escalation_date,
    iso_week_label,
    overdue_date,
    period_spans,
    previous_week,
)
from campaigns.selectors import (
    board_recipients,
    digest_figures,
    overdue_units,
    period_state,
    reminder_for_delivery,
    unit_recipients,
    units_missing,
)
from campaigns.validation import check_indicator_value
from config.uploads import check_upload
from config.workdays import is_working_day, next_working_day
from units.models import Membership, Unit, User
from units.services import notify

logger = logging.getLogger(__name__)


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
def report_start(*, unit: Unit, period: ReportingPeriod, user: User | None) -> ProgressReport:
    """Create the unit's draft for the period with a line per objective and a value per indicator.

    Safe to call twice (a double click): the unique key unit × period returns the existing
    report instead of a second one.
    """
    report, created = ProgressReport.objects.get_or_create(unit=unit, period=period)
    if created:
        _audit(report, user)
        objectives = list(period.campaign.objectives.all())
        bulk_create_with_history(
            [ReportLine(report=report, objective=objective) for objective in objectives],
            ReportLine,
            default_user=user,
        )
        bulk_create_with_history(
            [
                IndicatorValue(report=report, indicator=indicator)
                for indicator in Indicator.objects.filter(objective__in=objectives)
            ],
            IndicatorValue,
            default_user=user,
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
    _touch(line.report_id)
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
    _touch(row.report_id)
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
    _touch(line.report_id)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User | None) -> None:
    report_id = evidence.line.report_id
    _ensure_editable(_lock_report(report_id))
    stored = evidence.file.name
    storage = evidence.file.storage
    _audit(evidence, user).delete()
    _touch(report_id)
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
    _touch(report.pk)
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
    _touch(report.pk)
    reminders_for_return(report=report, user=user)
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
    _touch(report.pk)
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
    _touch(report.pk)
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
    # The year's reports show these targets beside the values.
    ProgressReport.objects.filter(
        unit=unit, period__campaign=campaign, period__starts_on__year=year
    ).update(content_version=F("content_version") + 1)
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


# --- Reminders --------------------------------------------------------------------------------
# Rows are created by the daily sweep (before the due date, overdue, escalation, digest), by a
# returned report and by the secretary's nudge; each is then sent once by a task. See Reminder.


class MailServerUnavailable(Exception):
    """The mail server could not take a message now; the reminder is recorded as failed and
    tried again later."""


# Named transient errors: the server is down, unreachable, or answered "try again" (4xx).
TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)
MAX_ATTEMPTS = 8
REQUEUE_AFTER = datetime.timedelta(minutes=15)
INSERT_BATCH = 1000


def is_transient_mail_error(error: BaseException) -> bool:
    if isinstance(error, TRANSIENT_MAIL_ERRORS):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return False


def retry_delay(attempts: int) -> datetime.timedelta:
    """5, 10, 20, 40 … minutes, at most six hours."""
    return min(
        datetime.timedelta(minutes=5 * 2 ** max(attempts - 1, 0)), datetime.timedelta(hours=6)
    )


@dataclass
class SweepResult:
    created: Counter = field(default_factory=Counter)
    queued: int = 0
    requeued: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _queue_on_commit(reminder_ids: list[int]) -> None:
    """Hand the reminders to the send task in batches, once the rows are committed."""
    if not reminder_ids:
        return
    ids = sorted(reminder_ids)

    def queue() -> None:
        from campaigns.tasks import reminders_send

        size = settings.REMINDER_BATCH_SIZE
        for start in range(0, len(ids), size):
            reminders_send.delay(ids[start : start + size])

    transaction.on_commit(queue)


def _insert(rows: list[Reminder], handover: uuid.UUID) -> list[int]:
    """Insert what is not there yet (ON CONFLICT DO NOTHING) and return the ids this call added.

    Every row carries the caller's hand-over id, so the rows inserted here are told apart from
    those that already existed (from another sweep, or a double click) in one query.
    """
    if not rows:
        return []
    for row in rows:
        row.handover = handover
    Reminder.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return list(Reminder.objects.filter(handover=handover).values_list("pk", flat=True))


def _row(
    *,
    campaign_id: int,
    unit_id: int,
    period_id: int | None,
    kind: str,
    occasion: str = "",
    recipient_id: int,
    email: str,
    wants_email: bool,
    scheduled_on: datetime.date,
    stamp: datetime.datetime,
    requested_by: User | None = None,
) -> Reminder:
    essential = kind in Reminder.ESSENTIAL
    return Reminder(
        campaign_id=campaign_id,
        unit_id=unit_id,
        period_id=period_id,
        kind=kind,
        occasion=occasion,
        recipient_id=recipient_id,
        scheduled_on=scheduled_on,
        # Reminders that need action are always e-mailed; the rest only if the person wants.
        via_email=bool(email) and (essential or wants_email),
        created_at=stamp,
        enqueued_at=stamp,
        requested_by=requested_by,
    )


def _period_rows(
    period: ReportingPeriod, today: datetime.date, stamp: datetime.datetime, secretaries
) -> list[Reminder]:
    campaign = period.campaign
    missing = units_missing(period=period)
    common = {"campaign_id": campaign.pk, "period_id": period.pk, "stamp": stamp}
    rows = []
    offset = before_due_offset(period.due_on, campaign.reminder_offsets, today)
    if offset is not None:
        scheduled = before_due_dates(period.due_on, (offset,))[offset]
        rows += [
            _row(
                **common,
                unit_id=person.unit_id,
                kind=Reminder.Kind.BEFORE_DUE,
                occasion=str(offset),
                recipient_id=person.user_id,
                email=person.email,
                wants_email=person.wants_email,
                scheduled_on=scheduled,
            )
            for person in unit_recipients(units=missing, roles=(Membership.Role.OFFICER,))
        ]
    late_from = overdue_date(period.due_on)
    if late_from <= today <= period.locks_on:
        rows += [
            _row(
                **common,
                unit_id=person.unit_id,
                kind=Reminder.Kind.OVERDUE,
                recipient_id=person.user_id,
                email=person.email,
                wants_email=person.wants_email,
                scheduled_on=late_from,
            )
            for person in unit_recipients(
                units=missing, roles=(Membership.Role.OFFICER, Membership.Role.HEAD)
            )
        ]
        escalate_from = escalation_date(period.due_on, campaign.escalation_days)
        if escalate_from <= today and secretaries and missing.exists():
            rows += [
                _row(
                    **common,
                    unit_id=campaign.launched_by_id,
                    kind=Reminder.Kind.ESCALATION,
                    recipient_id=user.pk,
                    email=user.email,
                    wants_email=user.email_notifications,
                    scheduled_on=escalate_from,
                )
                for user in secretaries
            ]
    return rows


def _digest_rows(
    campaign: Campaign, today: datetime.date, stamp: datetime.datetime, readers
) -> list[Reminder]:
    week_start, week_end = previous_week(today)
    if campaign.starts_on > week_end or campaign.ends_on < week_start:
        return []
    return [
        _row(
            campaign_id=campaign.pk,
            unit_id=campaign.launched_by_id,
            period_id=None,
            kind=Reminder.Kind.DIGEST,
            occasion=iso_week_label(week_start),
            recipient_id=user.pk,
            email=user.email,
            wants_email=user.email_notifications,
            scheduled_on=next_working_day(week_end + datetime.timedelta(days=1)),
            stamp=stamp,
        )
        for user in readers
    ]


@transaction.atomic
def reminders_sweep(*, today: datetime.date | None = None) -> SweepResult:
    """Create the reminders due today and queue them: the daily beat task.

    1. nothing on a weekend or public holiday: reminders go out on working days only, and a
       missed day is caught up on the next working day;
    2. for each active campaign and each period started and not locked, find who is due what
       today — before the due date, overdue, escalation — plus last week's digest: a few
       queries per period, none per unit or person;
    3. insert them in batches with ON CONFLICT DO NOTHING on the unique key, so another
       sweep, at the same time or later, adds nothing;
    4. on commit, queue the reminders this sweep added, and hand back to the queue those whose
       message was lost or whose send failed and is due again.
    """
    today = today or timezone.localdate()
    stamp = timezone.now()
    result = SweepResult()
    if is_working_day(today):
        campaigns = list(Campaign.objects.filter(status=Campaign.Status.ACTIVE).order_by("pk"))
        periods = ReportingPeriod.objects.filter(
            campaign__in=campaigns, starts_on__lte=today, locks_on__gte=today
        ).order_by("campaign_id", "due_on")
        secretaries = board_recipients(secretaries=True)
        readers = board_recipients(secretaries=True, members=True)
        by_pk = {campaign.pk: campaign for campaign in campaigns}
        rows: list[Reminder] = []
        for period in periods:
            period.campaign = by_pk[period.campaign_id]
            rows += _period_rows(period, today, stamp, secretaries)
        for campaign in campaigns:
            rows += _digest_rows(campaign, today, stamp, readers)
        handover = uuid.uuid4()
        added = _insert(rows, handover)
        result.queued = len(added)
        if added:
            result.created.update(
                dict(
                    Reminder.objects.filter(handover=handover)
                    .order_by()
                    .values_list("kind")
                    .annotate(count=Count("pk"))
                    .values_list("kind", "count")
                )
            )
        _queue_on_commit(added)
    result.requeued = reminders_requeue(now=stamp)
    return result


@transaction.atomic
def reminders_requeue(*, now: datetime.datetime | None = None, older_than=REQUEUE_AFTER) -> int:
    """Hand back to the queue what would otherwise wait for ever (the every-15-minutes task).

    A reminder still queued long after it was handed over lost its message (broker restarted,
    process gone before on_commit ran); a failed send whose next attempt is due goes again.
    A duplicate message is harmless: the send claims the row first. Rows a worker holds
    locked are being sent right now and are skipped.
    """
    now = now or timezone.now()
    ids = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(
            Q(state=Reminder.State.QUEUED, enqueued_at__lte=now - older_than)
            | Q(state=Reminder.State.FAILED, next_attempt_at__lte=now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        Reminder.objects.filter(pk__in=ids).update(
            state=Reminder.State.QUEUED, enqueued_at=now, next_attempt_at=None
        )
        _queue_on_commit(ids)
    return len(ids)


@transaction.atomic
def reminders_retry(*, reminder_ids: list[int]) -> int:
    """Send failed reminders again now (the admin's action); sent ones are left alone."""
    now = timezone.now()
    ids = list(
        Reminder.objects.filter(pk__in=reminder_ids, state=Reminder.State.FAILED).values_list(
            "pk", flat=True
        )
    )
    Reminder.objects.filter(pk__in=ids).update(
        state=Reminder.State.QUEUED, enqueued_at=now, next_attempt_at=None
    )
    _queue_on_commit(ids)
    return len(ids)


def reminders_for_return(*, report: ProgressReport, user: User) -> list[int]:
    """Tell the unit's officers, and whoever submitted, that the head sent the report back.

    Called inside report_return's transaction, so the rows exist exactly when the return
    does; they are queued on commit. Each return is its own occasion (its review time).
    """
    stamp = timezone.now()
    people = {
        person.user_id: (person.email, person.wants_email)
        for person in unit_recipients(units=[report.unit_id], roles=(Membership.Role.OFFICER,))
    }
    submitter = report.submitted_by
    if submitter is not None and submitter.is_active:
        people.setdefault(submitter.pk, (submitter.email, submitter.email_notifications))
    people.pop(user.pk, None)
    occasion = report.reviewed_at.strftime("%Y%m%dT%H%M%S.%f")
    rows = [
        _row(
            campaign_id=report.period.campaign_id,
            unit_id=report.unit_id,
            period_id=report.period_id,
            kind=Reminder.Kind.RETURNED,
            occasion=occasion,
            recipient_id=user_id,
            email=email,
            wants_email=wants_email,
            scheduled_on=timezone.localdate(stamp),
            stamp=stamp,
            requested_by=user,
        )
        for user_id, (email, wants_email) in people.items()
    ]
    added = _insert(rows, uuid.uuid4())
    _queue_on_commit(added)
    return added


@dataclass(frozen=True)
class NudgeResult:
    reachable: int  # units with someone to remind
    created: int  # reminders added by this click
    units: int  # units those reminders are about


@transaction.atomic
def reminders_nudge(
    *, period: ReportingPeriod, unit_ids: list[int] | None, batch: str, user: User
) -> NudgeResult:
    """The secretary's "send a reminder now", to some missing units or all of them.

    `batch` identifies the click (the page view the button was on): it is part of the key, so
    a double click or a resent request reminds nobody twice, while a later nudge from a fresh
    page does go out. Officers are reminded, or the heads of a unit with no officer.
    """
    if period_state(period, timezone.localdate()) not in {"open", "overdue"}:
        raise WorkflowError(_("This period is not open for reporting."))
    stamp = timezone.now()
    units = units_missing(period=period)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    recipients = unit_recipients(
        units=units, roles=(Membership.Role.OFFICER,), heads_if_no_officer=True
    )
    rows = [
        _row(
            campaign_id=period.campaign_id,
            unit_id=person.unit_id,
            period_id=period.pk,
            kind=Reminder.Kind.NUDGE,
            occasion=batch,
            recipient_id=person.user_id,
            email=person.email,
            wants_email=person.wants_email,
            scheduled_on=timezone.localdate(stamp),
            stamp=stamp,
            requested_by=user,
        )
        for person in recipients
    ]
    added = _insert(rows, uuid.uuid4())
    _queue_on_commit(added)
    reminded = set(Reminder.objects.filter(pk__in=added).values_list("unit_id", flat=True))
    return NudgeResult(
        reachable=len({person.unit_id for person in recipients}),
        created=len(added),
        units=len(reminded),
    )


# --- Sending one reminder ---------------------------------------------------------------------


def _still_needed(reminder: Reminder, today: datetime.date) -> dict[str, Any] | None:
    """What the message needs, or None when it no longer applies (then it is not sent)."""
    if not reminder.recipient.is_active:
        return None
    kind, period = reminder.kind, reminder.period
    if kind == Reminder.Kind.DIGEST:
        start, end = previous_week(reminder.scheduled_on)
        return {
            "figures": digest_figures(campaign=reminder.campaign, week_start=start, week_end=end)
        }
    if today > period.locks_on:
        return None
    if kind == Reminder.Kind.ESCALATION:
        units = overdue_units(period=period)
        return {"units": units} if units else None
    reports = ProgressReport.objects.filter(unit_id=reminder.unit_id, period=period)
    if kind == Reminder.Kind.RETURNED:
        reports = reports.select_related("reviewed_by")
    report = reports.first()
    if kind == Reminder.Kind.RETURNED:
        return {"report": report} if report and report.status == report.Status.RETURNED else None
    if report is not None and report.status in (report.Status.SUBMITTED, report.Status.ACCEPTED):
        return None
    if kind == Reminder.Kind.BEFORE_DUE and today > period.due_on:
        return None  # the overdue notice takes over
    return {}


def _message_id(reminder: Reminder) -> str:
    # The same for every attempt at the same reminder, so that in the rare case a message is
    # handed to the mail server and the worker dies before recording it, the copy sent on
    # retry is recognisable as the same message by mail servers and clients.
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "thidua"
    return f"<reminder-{reminder.pk}@{domain}>"


@transaction.atomic
def _deliver(reminder_id: int, mailer, today: datetime.date) -> tuple[str, Exception | None]:
    now = timezone.now()
    retryable = Q(state=Reminder.State.QUEUED) | Q(
        state=Reminder.State.FAILED, next_attempt_at__isnull=False
    )
    claimed = Reminder.objects.filter(retryable, pk=reminder_id).update(attempts=F("attempts") + 1)
    if claimed != 1:
        return "skipped", None
    reminder = reminder_for_delivery(reminder_id=reminder_id)
    context = _still_needed(reminder, today)
    if context is None:
        reminder.state = Reminder.State.CANCELLED
        reminder.save(update_fields=["state"])
        return "cancelled", None
    notice, text = notice_for(reminder, **context)
    if reminder.via_app and reminder.notification_id is None:
        reminder.notification = notify(
            recipient=reminder.recipient,
            message=notice.message,
            url=notice.url,
            key=f"reminder:{reminder.pk}",
        )
    failure = None
    if reminder.via_email and reminder.emailed_at is None and reminder.recipient.email:
        message = EmailMessage(
            notice.subject,
            text,
            to=[reminder.recipient.email],
            headers={"Message-ID": _message_id(reminder), "Auto-Submitted": "auto-generated"},
        )
        try:
            mailer.open()
            mailer.send_messages([message])
        except Exception as error:  # classified below: transient, or waits for a person
            failure = error
        else:
            reminder.emailed_at = now
    if failure is None:
        reminder.state = Reminder.State.SENT
        reminder.sent_at = now
        reminder.error = ""
        reminder.next_attempt_at = None
        outcome, transient = "sent", None
    else:
        transient = is_transient_mail_error(failure)
        reminder.state = Reminder.State.FAILED
        reminder.error = f"{failure.__class__.__name__}: {failure}"[:2000]
        # A transient error is tried again later (the task retries sooner); after MAX_ATTEMPTS,
        # or for a permanent error, the reminder waits in the admin for a person.
        reminder.next_attempt_at = (
            now + retry_delay(reminder.attempts)
            if transient and reminder.attempts < MAX_ATTEMPTS
            else None
        )
        outcome, transient = "failed", (failure if transient else None)
    reminder.save(
        update_fields=["state", "sent_at", "error", "next_attempt_at", "emailed_at", "notification"]
    )
    return outcome, transient


def reminder_deliver(*, reminder_id: int, mailer=None, today: datetime.date | None = None) -> str:
    """Send one reminder, at most once; returns "sent", "failed", "cancelled" or "skipped".

    1. claim it with a conditional UPDATE (still queued, or failed and due for another try)
       that must change exactly one row; the row stays locked until this transaction ends,
       so a second worker given the same id waits, then finds it sent and skips it — or, if
       the first worker died, finds it queued again and sends it;
    2. cancel it if it no longer applies (the report came in, the period locked);
    3. write it in the recipient's language and put it in their inbox (once: by key);
    4. e-mail it; a mail error is recorded on the row and the inbox part is kept;
    5. mark it sent, in the same transaction as the claim: a worker killed at any point leaves
       the reminder as it was (queued) or sent, never half-done.
    A transient mail error raises MailServerUnavailable after the failure is recorded.
    """
    own_mailer = mailer is None
    mailer = mailers.default if own_mailer else mailer
    try:
        outcome, transient = _deliver(reminder_id, mailer, today or timezone.localdate())
    finally:
        if own_mailer:
            mailer.close()
    if transient is not None:
        raise MailServerUnavailable(str(transient)) from transient
    return outcome


def reminder_record_crash(*, reminder_id: int, error: str) -> None:
    """A send that crashed on a bug (not a mail error): keep the reminder failed, with the
    error, for a person to look at, rather than retrying it in a loop."""
    Reminder.objects.filter(
        pk=reminder_id, state__in=[Reminder.State.QUEUED, Reminder.State.FAILED]
    ).update(
        state=Reminder.State.FAILED,
        error=error[:2000],
        attempts=F("attempts") + 1,
        next_attempt_at=None,
    )
