"""Reminders: which rows exist, and when they are handed to the send task.

Rows are created by the daily sweep (before the due date, overdue, escalation, digest), by a
returned report and by the secretary's nudge; each is then sent once by a task (delivery.py).
See Reminder for the key that makes a reminder exist once.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, ProgressReport, Reminder, ReportingPeriod
from campaigns.periods import (
    before_due_dates,
    before_due_offset,
    escalation_date,
    iso_week_label,
    overdue_date,
    previous_week,
)
from campaigns.selectors.campaigns import period_state
from campaigns.selectors.expected import units_missing
from campaigns.selectors.reminders import board_recipients, unit_recipients
from config.workdays import is_working_day, next_working_day
from units.delivery import REQUEUE_AFTER, due_again, failed_again, insert_new, queue_on_commit
from units.models import Membership, Unit, User


@dataclass
class SweepResult:
    created: Counter = field(default_factory=Counter)
    queued: int = 0
    requeued: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _send_reminders(batch: list[int]) -> None:
    from campaigns.tasks import reminders_send  # the tasks import the services

    reminders_send.delay(batch)


def _queue_on_commit(reminder_ids: list[int]) -> None:
    queue_on_commit(_send_reminders, reminder_ids)


def _insert(rows: list[Reminder], handover: uuid.UUID) -> list[int]:
    """Insert what is not there yet and return the ids this call added (see insert_new)."""
    return insert_new(Reminder, rows, handover=handover)


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
    """Hand back to the queue the reminders whose task was lost and the failed sends now due
    (the every-15-minutes task; see units.delivery.due_again)."""
    ids = due_again(Reminder, now=now or timezone.now(), older_than=older_than)
    _queue_on_commit(ids)
    return len(ids)


@transaction.atomic
def reminders_retry(*, reminder_ids: list[int]) -> int:
    """Send failed reminders again now (the admin's action); sent ones are left alone."""
    ids = failed_again(Reminder, ids=reminder_ids)
    _queue_on_commit(ids)
    return len(ids)


def reminders_for_return(*, report: ProgressReport, actor: User) -> list[int]:
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
    people.pop(actor.pk, None)
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
            requested_by=actor,
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
    *, period: ReportingPeriod, units: list[Unit] | None, batch: str, actor: User
) -> NudgeResult:
    """The secretary's "send a reminder now", to some missing units or all of them.

    `batch` identifies the click (the page view the button was on): it is part of the key, so
    a double click or a resent request reminds nobody twice, while a later nudge from a fresh
    page does go out. Officers are reminded, or the heads of a unit with no officer.
    """
    if period_state(period, timezone.localdate()) not in {"open", "overdue"}:
        raise ValidationError(_("This period is not open for reporting."), code="closed")
    stamp = timezone.now()
    missing = units_missing(period=period)
    if units is not None:
        missing = missing.filter(pk__in=[unit.pk for unit in units])
    recipients = unit_recipients(
        units=missing, roles=(Membership.Role.OFFICER,), heads_if_no_officer=True
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
            requested_by=actor,
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
