"""The one way thidua tells people something: every outgoing message — a reminder, a workflow
hand-over, an award notice, a digest — is a row (a `Delivery`) delivered here exactly once.

How a row reaches its recipient, whatever its kind:
1. it is created once under its unique key (ON CONFLICT DO NOTHING), in the recipient's
   language, and handed to a send task once the creating transaction commits;
2. the send claims it with a conditional UPDATE that must change exactly one row (still queued,
   or failed and due for another try); the row stays locked until the send's transaction ends,
   so a second worker given the same id waits, then finds it sent and skips it;
3. its words are composed (a reminder checks here that it still applies; a message was written
   when it was created); nothing to say cancels it;
4. it is put in the inbox once (the inbox item's key is unique per recipient) and e-mailed once
   (`emailed_at`), with a Message-ID that is the same on every attempt;
5. it is marked sent in the same transaction as the claim: a worker killed at any point leaves
   the row queued (sent again later, inbox item and e-mail included, since neither committed)
   or sent, never half-done. A mail error is recorded on the row with the inbox item kept, and
   a transient one is tried again later without repeating the inbox item.
The one gap: a worker that dies after the mail server accepted a message but before the commit
sends that message again on retry, with the same Message-ID.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerUnavailable

from units.models import Delivery, Message, User
from units.services import notify

logger = logging.getLogger(__name__)


class MailServerUnavailable(Exception):
    """The mail server could not take a message now; the row is recorded as failed and tried
    again later."""


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


@dataclass(frozen=True)
class Letter:
    """What a row says: the inbox line, its link, and the e-mail's subject and text."""

    subject: str
    message: str
    url: str
    body: str


def wants_email(user: User, *, essential: bool) -> bool:
    """Messages that ask someone to act are always e-mailed; the rest only if the person wants."""
    return bool(user.email) and (essential or user.email_notifications)


def insert_new(
    model: type[Delivery], rows: list[Delivery], *, handover: uuid.UUID | None = None
) -> list[int]:
    """Insert the rows that are not there yet (ON CONFLICT DO NOTHING) and return the ids this
    call added: every row carries this call's hand-over id, so the rows inserted here are told
    apart from those that already existed (another sweep, a retried task) in one query."""
    if not rows:
        return []
    handover = handover or uuid.uuid4()
    for row in rows:
        row.handover = handover
    model.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return list(model.objects.filter(handover=handover).values_list("pk", flat=True))


def deliver(
    *,
    model: type[Delivery],
    pk: int,
    load: Callable[[int], Delivery],
    compose: Callable[[Delivery], Letter | None],
    mailer,
) -> tuple[str, Exception | None]:
    """Deliver one row at most once (steps 2–5 of the module's docstring).

    Answers the outcome ("sent", "failed", "cancelled", "skipped") and the transient mail error
    to retry on, if any. `load` reads the claimed row with what `compose` needs.
    """
    with transaction.atomic():
        now = timezone.now()
        retryable = Q(state=Delivery.State.QUEUED) | Q(
            state=Delivery.State.FAILED, next_attempt_at__isnull=False
        )
        claimed = model.objects.filter(retryable, pk=pk).update(attempts=F("attempts") + 1)
        if claimed != 1:
            return "skipped", None
        row = load(pk)
        letter = compose(row)
        if letter is None:
            row.state = Delivery.State.CANCELLED
            row.save(update_fields=["state"])
            return "cancelled", None
        if row.via_app and row.notification_id is None:
            row.notification = notify(
                recipient=row.recipient, message=letter.message, url=letter.url, key=row.inbox_key()
            )
        failure = None
        if row.via_email and row.emailed_at is None and row.recipient.email:
            email = EmailMessage(
                letter.subject,
                letter.body,
                to=[row.recipient.email],
                headers={"Message-ID": row.message_id(), "Auto-Submitted": "auto-generated"},
            )
            try:
                mailer.open()
                mailer.send_messages([email])
            except Exception as error:  # classified below: transient, or waits for a person
                failure = error
            else:
                row.emailed_at = now
        if failure is None:
            row.state = Delivery.State.SENT
            row.sent_at = now
            row.error = ""
            row.next_attempt_at = None
            outcome, transient = "sent", None
        else:
            transient = is_transient_mail_error(failure)
            row.state = Delivery.State.FAILED
            row.error = f"{failure.__class__.__name__}: {failure}"[:2000]
            # A transient error is tried again later (the task retries sooner); after
            # MAX_ATTEMPTS, or for a permanent error, the row waits in the admin for a person.
            row.next_attempt_at = (
                now + retry_delay(row.attempts)
                if transient and row.attempts < MAX_ATTEMPTS
                else None
            )
            outcome, transient = "failed", (failure if transient else None)
        row.save(
            update_fields=[
                "state",
                "sent_at",
                "error",
                "next_attempt_at",
                "emailed_at",
                "notification",
            ]
        )
    return outcome, transient


def record_crash(*, model: type[Delivery], pk: int, error: str) -> None:
    """A send that crashed on a bug (not a mail error): keep the row failed, with the error, for
    a person to look at, rather than retrying it in a loop."""
    model.objects.filter(pk=pk, state__in=[Delivery.State.QUEUED, Delivery.State.FAILED]).update(
        state=Delivery.State.FAILED,
        error=error[:2000],
        attempts=F("attempts") + 1,
        next_attempt_at=None,
    )


def due_again(
    model: type[Delivery], *, now: datetime.datetime, older_than=REQUEUE_AFTER
) -> list[int]:
    """Rows to hand back to the queue, put back in it (the every-15-minutes task).

    A row still queued long after it was handed over lost its task (broker restarted, process
    gone before on_commit ran); a failed send whose next attempt is due goes again. A duplicate
    task is harmless: the send claims the row first. Rows a worker holds locked are being sent
    right now and are skipped.
    """
    ids = list(
        model.objects.select_for_update(skip_locked=True)
        .filter(
            Q(state=Delivery.State.QUEUED, enqueued_at__lte=now - older_than)
            | Q(state=Delivery.State.FAILED, next_attempt_at__lte=now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        model.objects.filter(pk__in=ids).update(
            state=Delivery.State.QUEUED, enqueued_at=now, next_attempt_at=None
        )
    return ids


def failed_again(model: type[Delivery], *, ids: list[int]) -> list[int]:
    """The admin's "send again": failed rows back to the queue; sent ones are left alone."""
    ids = list(
        model.objects.filter(pk__in=ids, state=Delivery.State.FAILED).values_list("pk", flat=True)
    )
    model.objects.filter(pk__in=ids).update(
        state=Delivery.State.QUEUED, enqueued_at=timezone.now(), next_attempt_at=None
    )
    return ids


# --- Messages ------------------------------------------------------------------------------------


def queue_on_commit(send: Callable[[list[int]], object], ids: list[int]) -> None:
    """Hand rows to their send task in batches once they are committed; `send(batch)` queues
    one batch (e.g. `messages_send.delay`).

    The rows are the record of what is owed: when the broker cannot be reached (Redis down),
    the step that created them still answers, a warning is logged, and the rows wait queued
    until the requeue job (or `send_reminders`) hands them over again.
    """
    if not ids:
        return
    ids = sorted(ids)

    def queue() -> None:
        size = settings.REMINDER_BATCH_SIZE
        try:
            for start in range(0, len(ids), size):
                send(ids[start : start + size])
        except BrokerUnavailable as error:
            logger.warning("broker unavailable, %d rows wait for the requeue: %s", len(ids), error)

    transaction.on_commit(queue)


def _send_messages(batch: list[int]) -> None:
    from units.tasks import messages_send  # the tasks import this module

    messages_send.delay(batch)


def _queue_messages(ids: list[int]) -> None:
    queue_on_commit(_send_messages, ids)


def _email_text(recipient: User, letter_message: str, url: str, essential: bool) -> str:
    from django.urls import reverse

    return render_to_string(
        "units/email/message.txt",
        {
            "name": recipient.get_full_name(),
            "message": letter_message,
            "link": f"{settings.SITE_URL}{url}" if url else "",
            "essential": essential,
            "preferences": f"{settings.SITE_URL}{reverse('me:preferences')}",
        },
    )


@transaction.atomic
def messages_post(
    *,
    recipients: Iterable[User],
    key: str,
    write: Callable[[User], tuple[str, str, str]],
    essential: bool = False,
) -> list[int]:
    """Tell each recipient something once: `write(user)` answers (subject, message, url) and is
    called in the recipient's language. A recipient already told under this key is not told
    again. Answers the ids of the messages this call created; they are sent once this
    transaction commits."""
    rows = []
    for user in {user.pk: user for user in recipients if user.is_active}.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, message, url = (str(part) for part in write(user))
            body = _email_text(user, message, url, essential)
        rows.append(
            Message(
                recipient=user,
                key=key,
                essential=essential,
                subject=subject[:255],
                text=message,
                url=url,
                body=body,
                via_email=wants_email(user, essential=essential),
            )
        )
    ids = insert_new(Message, rows)
    _queue_messages(ids)
    return ids


def _load_message(pk: int) -> Message:
    return Message.objects.select_related("recipient").get(pk=pk)


def _compose_message(message: Message) -> Letter | None:
    if not message.recipient.is_active:
        return None
    return Letter(subject=message.subject, message=message.text, url=message.url, body=message.body)


def message_deliver(*, message_id: int, mailer=None) -> str:
    """Send one message at most once; "sent", "failed", "cancelled" or "skipped".
    A transient mail error raises MailServerUnavailable after the failure is recorded."""
    from django.core.mail import mailers

    own_mailer = mailer is None
    mailer = mailers.default if own_mailer else mailer
    try:
        outcome, transient = deliver(
            model=Message,
            pk=message_id,
            load=_load_message,
            compose=_compose_message,
            mailer=mailer,
        )
    finally:
        if own_mailer:
            mailer.close()
    if transient is not None:
        raise MailServerUnavailable(str(transient)) from transient
    return outcome


@transaction.atomic
def messages_requeue(*, now: datetime.datetime | None = None) -> int:
    ids = due_again(Message, now=now or timezone.now())
    _queue_messages(ids)
    return len(ids)


@transaction.atomic
def messages_retry(*, message_ids: list[int]) -> int:
    ids = failed_again(Message, ids=message_ids)
    _queue_messages(ids)
    return len(ids)
