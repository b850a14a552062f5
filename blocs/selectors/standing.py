"""What the eligibility rule "leads its emulation bloc" reads (awards.eligibility.leads_bloc)."""

from __future__ import annotations

from awards.eligibility import BlocStandingFact
from blocs.models import BlocBallotItem, RankEntry


def bloc_standing(unit, year: int) -> BlocStandingFact | None:
    """The unit's place in its bloc's published ranking of the year and the flags its bloc
    voted to propose it for (two queries), or None when no published ranking has it."""
    entry = (
        RankEntry.objects.filter(
            unit=unit, bloc_year__year=year, bloc_year__ranking_published_at__isnull=False
        )
        .select_related("bloc_year__bloc")
        .first()
    )
    if entry is None:
        return None
    proposed = frozenset(
        BlocBallotItem.objects.filter(
            meeting__bloc_year=entry.bloc_year,
            unit=unit,
            outcome=BlocBallotItem.Outcome.APPROVED,
        ).values_list("award_type__code", flat=True)
    )
    return BlocStandingFact(
        bloc=entry.bloc_year.bloc.name,
        rank=entry.rank,
        ranked=entry.bloc_year.ranking.count(),
        proposed=proposed,
    )
