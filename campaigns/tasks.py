"""Celery tasks of campaigns: each takes ids (or nothing), loads rows and calls services.

Queued with transaction.on_commit by the services; safe to run twice (the send claims each
reminder before sending it); retried only on a named transient error, with backoff.
"""

from __future__ import annotations

import logging
import random
import traceback

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import mailers

from campaigns import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def reminders_sweep() -> dict:
    """Daily (see CELERY_BEAT_SCHEDULE): create the reminders due today and queue them."""
    result = services.reminders_sweep()
    logger.info(
        "reminder sweep: created %s, queued %s, requeued %s",
        dict(result.created),
        result.queued,
        result.requeued,
    )
    return {"created": dict(result.created), "requeued": result.requeued}


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def reminders_requeue() -> int:
    """Every 15 minutes: hand back to the queue reminders whose message was lost, and failed
    sends whose next attempt is due."""
    return services.reminders_requeue()


def backoff(retries: int) -> int:
    """Seconds before retry n: 1, 2, 4 … minutes with jitter, at most 30 minutes (under the
    broker's visibility timeout, so a waiting retry is not delivered twice)."""
    return min(60 * 2**retries, 1800) + random.randint(0, 30)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
    soft_time_limit=300,
    time_limit=360,
)
def reminders_send(self, reminder_ids: list[int]) -> dict:
    """Send a batch of reminders, each at most once.

    A worker killed in the middle leaves the message unacknowledged: the broker delivers it
    again and the reminders already sent are skipped by their claim. A mail server that is down
    stops the batch and retries it later; a bug in one reminder is recorded on it and does not
    stop the others.
    """
    outcomes: dict[str, int] = {}
    mailer = mailers.default  # one connection for the whole batch
    try:
        for reminder_id in reminder_ids:
            try:
                outcome = services.reminder_deliver(reminder_id=reminder_id, mailer=mailer)
            except services.MailServerUnavailable as error:
                if self.request.is_eager:
                    # No broker to wait in: the failure is recorded and the next sweep, or
                    # the requeue task, tries again.
                    logger.warning(
                        "mail server unavailable, reminder %s kept: %s", reminder_id, error
                    )
                    return outcomes
                raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
            except SoftTimeLimitExceeded:
                raise
            except Exception:
                logger.exception("reminder %s could not be sent", reminder_id)
                services.reminder_record_crash(
                    reminder_id=reminder_id, error=traceback.format_exc(limit=5)
                )
                outcome = "crashed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        mailer.close()
    return outcomes
