"""Celery tasks of the one delivery path (units/delivery.py): sending a batch of rows, each at
most once, and handing back to the queue what was lost or is due for another try.

The batch loop is shared by every kind of row (reminders use it too): a worker killed in the
middle leaves the task unacknowledged, the broker delivers it again and the rows already sent
are skipped by their claim; a mail server that is down stops the batch and retries it later; a
bug in one row is recorded on it and does not stop the others.
"""

from __future__ import annotations

import logging
import random
import traceback
from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import mailers

from units import delivery
from units.models import Message

logger = logging.getLogger(__name__)


def backoff(retries: int) -> int:
    """Seconds before retry n: 1, 2, 4 … minutes with jitter, at most 30 minutes (under the
    broker's visibility timeout, so a waiting retry is not delivered twice)."""
    return min(60 * 2**retries, 1800) + random.randint(0, 30)


def send_batch(
    task,
    ids: list[int],
    *,
    deliver_one: Callable[..., str],
    record_crash: Callable[[int, str], None],
) -> dict[str, int]:
    """Deliver the rows of `ids` one by one with one mail connection; see the module."""
    outcomes: dict[str, int] = {}
    mailer = mailers.default  # one connection for the whole batch
    try:
        for pk in ids:
            try:
                outcome = deliver_one(pk, mailer)
            except delivery.MailServerUnavailable as error:
                if task.request.is_eager:
                    # No broker to wait in: the failure is recorded and the requeue task tries
                    # again.
                    logger.warning("mail server unavailable, %s kept: %s", pk, error)
                    return outcomes
                raise task.retry(exc=error, countdown=backoff(task.request.retries)) from error
            except SoftTimeLimitExceeded:
                raise
            except Exception:
                logger.exception("%s could not be sent", pk)
                record_crash(pk, traceback.format_exc(limit=5))
                outcome = "crashed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        mailer.close()
    return outcomes


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
    soft_time_limit=300,
    time_limit=360,
)
def messages_send(self, message_ids: list[int]) -> dict:
    return send_batch(
        self,
        message_ids,
        deliver_one=lambda pk, mailer: delivery.message_deliver(message_id=pk, mailer=mailer),
        record_crash=lambda pk, error: delivery.record_crash(model=Message, pk=pk, error=error),
    )


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def messages_requeue() -> int:
    """Every 15 minutes (CELERY_BEAT_SCHEDULE): messages whose task was lost, failed sends due."""
    return delivery.messages_requeue()
