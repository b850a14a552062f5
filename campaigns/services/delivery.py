"""Sending one reminder, exactly once: claim the row, check it still applies, write it in the
recipient's language to their inbox and by e-mail, record the outcome; a mail error is either
transient (tried again later) or waits for a person."""

from __future__ import annotations

import datetime
import smtplib
import socket
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.models import ProgressReport, Reminder
from campaigns.notices import notice_for
from campaigns.periods import previous_week
from campaigns.selectors.reminders import digest_figures, overdue_units, reminder_for_delivery
from units.services import notify


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
