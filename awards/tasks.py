"""Background jobs of commendations: publicity windows that open and close on their own, and
telling the proposing units.

Each task takes ids, loads the rows and calls one service; the services are guarded, so a task
that runs twice (acks_late redelivers after a crash) changes nothing the second time. Retries
are only for the named transient errors: a lost database connection, an unreachable mail
server.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from awards import selectors, services
from awards.models import Decision, Publication

DATABASE_DOWN = (OperationalError, InterfaceError)
MAIL_DOWN = (*DATABASE_DOWN, SMTPException, ConnectionError, TimeoutError)

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


@shared_task(name="awards.tasks.notify_publication", autoretry_for=MAIL_DOWN, **OPTIONS)
def notify_publication(publication_id: int) -> int:
    publication = (
        Publication.objects.select_related(
            "nomination__award_type",
            "nomination__person",
            "nomination__unit",
            "nomination__proposing_unit",
        )
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        return 0
    return services.publication_tell_unit(publication=publication)


@shared_task(name="awards.tasks.notify_decision", autoretry_for=MAIL_DOWN, **OPTIONS)
def notify_decision(decision_id: int) -> int:
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        return 0
    return services.decision_tell_units(decision=decision)
