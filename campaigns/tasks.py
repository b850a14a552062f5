"""Celery tasks of campaigns: each takes ids (or nothing), loads rows and calls services.

Queued with transaction.on_commit by the services; safe to run twice (the send claims each
reminder before sending it); retried only on a named transient error, with backoff
(units.tasks.backoff).
"""

from __future__ import annotations

import logging

from celery import shared_task

from campaigns import services
from units.tasks import send_batch

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
def campaigns_close() -> list[str]:
    """Nightly (see CELERY_BEAT_SCHEDULE): close the campaigns whose last period has locked."""
    from django.utils import timezone

    from campaigns.services.drafting import campaigns_close_over

    closed = campaigns_close_over(today=timezone.localdate())
    if closed:
        logger.info("campaigns closed: %s", ", ".join(closed))
    return closed


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def reminders_requeue() -> int:
    """Every 15 minutes: hand back to the queue reminders whose message was lost, and failed
    sends whose next attempt is due."""
    return services.reminders_requeue()


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
    soft_time_limit=300,
    time_limit=360,
)
def reminders_send(self, reminder_ids: list[int]) -> dict:
    """Send a batch of reminders, each at most once (units.tasks.send_batch: a worker killed
    in the middle leaves the task unacknowledged and the rows already sent are skipped by their
    claim; a mail server that is down stops the batch and retries it; a bug in one reminder is
    recorded on it and does not stop the others)."""
    return send_batch(
        self,
        reminder_ids,
        deliver_one=lambda pk, mailer: services.reminder_deliver(reminder_id=pk, mailer=mailer),
        record_crash=lambda pk, error: services.reminder_record_crash(reminder_id=pk, error=error),
    )
