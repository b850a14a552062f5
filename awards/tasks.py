"""Background jobs of commendations: publicity windows that open and close on their own (the
proposing units are told by the steps themselves, through units/delivery.py).

Each task takes ids, loads the rows and calls one service; the services are guarded, so a task
that runs twice (acks_late redelivers after a crash) changes nothing the second time. Retries
are only for the named transient error: a lost database connection.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from awards import selectors, services
from awards.models import Publication

DATABASE_DOWN = (OperationalError, InterfaceError)

OPTIONS = {
    "acks_late": True,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(name="awards.tasks.publicity_sweep", autoretry_for=DATABASE_DOWN, **OPTIONS)
def publicity_sweep() -> dict[str, list[int]]:
    """The beat job (CELERY_BEAT_SCHEDULE): queue the windows due to open or close today."""
    opening, closing = selectors.publications_due()
    for pk in opening:
        open_publication.delay(pk)
    for pk in closing:
        close_publication.delay(pk)
    return {"opening": opening, "closing": closing}


@shared_task(name="awards.tasks.open_publication", autoretry_for=DATABASE_DOWN, **OPTIONS)
def open_publication(publication_id: int) -> bool:
    publication = Publication.objects.filter(pk=publication_id).first()
    return publication is not None and services.publication_open(publication=publication)


@shared_task(name="awards.tasks.close_publication", autoretry_for=DATABASE_DOWN, **OPTIONS)
def close_publication(publication_id: int) -> bool:
    publication = Publication.objects.filter(pk=publication_id).first()
    return publication is not None and services.publication_close(publication=publication)
