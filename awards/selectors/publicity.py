"""Publicity: the windows due to open or close, the secretary's list and the public pages."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from awards.models import Publication, PublicComment


def publications_due(*, today: datetime.date | None = None) -> tuple[list[int], list[int]]:
    """(publications to open, publications to close) on the day, for the beat task."""
    today = today or timezone.localdate()
    opening = Publication.objects.filter(
        status=Publication.Status.SCHEDULED, opens_on__lte=today
    ).order_by("pk")
    closing = Publication.objects.filter(
        status=Publication.Status.OPEN, closes_on__lt=today
    ).order_by("pk")
    return list(opening.values_list("pk", flat=True)), list(closing.values_list("pk", flat=True))


def publication_list(*, status: str = "") -> QuerySet[Publication]:
    publications = Publication.objects.select_related("nomination").annotate(
        pending=Count("comments", filter=Q(comments__status=PublicComment.Status.PENDING)),
        shown=Count("comments", filter=Q(comments__status=PublicComment.Status.APPROVED)),
        hidden=Count("comments", filter=Q(comments__status=PublicComment.Status.HIDDEN)),
    )
    if status:
        publications = publications.filter(status=status)
    return publications.order_by("-opens_on", "award_name", "nominee_name", "pk")


def public_publications(*, today: datetime.date | None = None) -> QuerySet[Publication]:
    """What the public page lists: the windows open today, and nothing else."""
    today = today or timezone.localdate()
    return Publication.objects.filter(
        status=Publication.Status.OPEN, opens_on__lte=today, closes_on__gte=today
    ).order_by("award_name", "nominee_name", "pk")


def public_publication(*, token: str, today: datetime.date | None = None) -> Publication:
    return (
        public_publications(today=today)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=PublicComment.objects.filter(
                    status=PublicComment.Status.APPROVED
                ).order_by("created_at", "pk"),
                to_attr="shown_comments",
            )
        )
        .get(token=token)
    )
