"""Sending one reminder, exactly once: what a reminder adds to the one delivery path
(units/delivery.py) is the check, at send time, that it still applies, and its words."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import mailers
from django.utils import timezone

from campaigns.models import ProgressReport, Reminder
from campaigns.notices import notice_for
from campaigns.periods import previous_week
from campaigns.selectors.reminders import digest_figures, overdue_units, reminder_for_delivery
from units.delivery import Letter, MailServerUnavailable, deliver, record_crash


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


def _load(reminder_id: int) -> Reminder:
    return reminder_for_delivery(reminder_id=reminder_id)


def _composer(today: datetime.date):
    def compose(reminder: Reminder) -> Letter | None:
        context = _still_needed(reminder, today)
        if context is None:
            return None
        notice, text = notice_for(reminder, **context)
        return Letter(subject=notice.subject, message=notice.message, url=notice.url, body=text)

    return compose


def reminder_deliver(*, reminder_id: int, mailer=None, today: datetime.date | None = None) -> str:
    """Send one reminder, at most once, through the one delivery path (units/delivery.py):
    claimed, cancelled if it no longer applies (the report came in, the period locked), written
    in the recipient's language to the inbox and by e-mail, and marked in the claim's
    transaction. Returns "sent", "failed", "cancelled" or "skipped"; a transient mail error
    raises MailServerUnavailable after the failure is recorded."""
    own_mailer = mailer is None
    mailer = mailers.default if own_mailer else mailer
    try:
        outcome, transient = deliver(
            model=Reminder,
            pk=reminder_id,
            load=_load,
            compose=_composer(today or timezone.localdate()),
            mailer=mailer,
        )
    finally:
        if own_mailer:
            mailer.close()
    if transient is not None:
        raise MailServerUnavailable(str(transient)) from transient
    return outcome


def reminder_record_crash(*, reminder_id: int, error: str) -> None:
    """A send that crashed on a bug (not a mail error): kept failed, with the error, for a
    person to look at, rather than retried in a loop."""
    record_crash(model=Reminder, pk=reminder_id, error=error)
