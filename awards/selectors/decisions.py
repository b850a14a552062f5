"""Decisions: the nominations ready for one, the list and a decision's page."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from awards.models import AwardType, Decision, Nomination, Publication


def decidable_nominations(*, kind: str) -> QuerySet[Nomination]:
    """Approved nominations a decision (or, for higher awards, a forwarding) can settle: no
    publicity required, or their publicity window closed."""
    forwarded = [AwardType.DecidedBy.PRIME_MINISTER, AwardType.DecidedBy.PRESIDENT]
    nominations = Nomination.objects.filter(
        # Approved and nothing scheduled: the terms in force required no publicity.
        Q(status=Nomination.Status.APPROVED, publication__isnull=True)
        | Q(
            status=Nomination.Status.PUBLISHED,
            publication__status=Publication.Status.CLOSED,
        )
    )
    if kind == Decision.Kind.FORWARDING:
        nominations = nominations.filter(award_type__decided_by__in=forwarded)
    else:
        nominations = nominations.exclude(award_type__decided_by__in=forwarded)
    return (
        nominations.select_related("award_type", "person", "unit", "proposing_unit")
        .annotate(nominee_name=Coalesce("person__full_name", "unit__name"))
        .order_by("award_type__order", "nominee_name", "pk")
    )


def decidable_counts() -> dict[str, int]:
    """How many nominations wait for a decision and for a forwarding."""
    return {kind: decidable_nominations(kind=kind).count() for kind in Decision.Kind.values}


def decision_list() -> QuerySet[Decision]:
    return Decision.objects.annotate(size=Count("nominations")).order_by("-signed_on", "-pk")


def decision_detail(*, pk: int) -> Decision:
    return (
        Decision.objects.select_related("recorded_by", "revoked_by")
        .prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.select_related(
                    "award_type", "person", "unit", "proposing_unit"
                )
                .annotate(nominee_name=Coalesce("person__full_name", "unit__name"))
                .order_by("award_type__order", "nominee_name", "pk"),
            )
        )
        .get(pk=pk)
    )
