"""Decisions: the nominations ready for one, the list and a decision's page."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from awards.models import AwardType, Decision, Nomination, Publication
from awards.selectors.record import open_matter_exists
from units.roles import Roles


def decidable_nominations(*, kind: str, unit_id: int | None = None) -> QuerySet[Nomination]:
    """Approved nominations of a level (the Ministry's by default, or a unit's) a decision
    (or, for higher awards, a forwarding) can settle: no publicity required, or their
    publicity window over (before the meeting under NĐ 152/2025 Art 44.2; after it for those
    approved under the earlier order), and no open matter of the nominee."""
    forwarded = [AwardType.DecidedBy.PRIME_MINISTER, AwardType.DecidedBy.PRESIDENT]
    nominations = Nomination.objects.filter(
        # No publication: the terms in force when the dossier was accepted required none.
        Q(publication__isnull=True)
        | Q(publication__status=Publication.Status.CLOSED)
        | Q(publication__closes_on__lt=timezone.localdate()),
        status=Nomination.Status.APPROVED,
    ).exclude(open_matter_exists())
    nominations = nominations.filter(
        Q(deciding_unit__isnull=True) if unit_id is None else Q(deciding_unit_id=unit_id)
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


def decidable_counts(*, unit_id: int | None = None) -> dict[str, int]:
    """How many nominations of a level wait for a decision and for a forwarding."""
    return {
        kind: decidable_nominations(kind=kind, unit_id=unit_id).count()
        for kind in Decision.Kind.values
    }


def decision_list(*, roles: Roles | None = None) -> QuerySet[Decision]:
    """Every decision for the Ministry's side; a unit's head, secretary and council members
    read their units' decisions."""
    decisions = Decision.objects.select_related("unit").annotate(size=Count("nominations"))
    if roles is not None and not roles.sees_all_units:
        decisions = decisions.filter(
            unit_id__in=roles.head_unit_ids | roles.council_unit_ids | roles.secretary_unit_ids
        )
    return decisions.order_by("-signed_on", "-pk")


def decision_detail(*, pk: int) -> Decision:
    return (
        Decision.objects.select_related("unit", "recorded_by", "revoked_by")
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
