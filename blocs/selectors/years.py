"""Reads of the bloc pages: which blocs a user sees, a bloc's year and a unit's standings."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from blocs.models import BlocMeeting, BlocYear, RankEntry, Scoring, Signature
from units.models import EmulationBloc, Unit
from units.roles import Roles


def visible_blocs(roles: Roles) -> QuerySet[EmulationBloc]:
    blocs = EmulationBloc.objects.order_by("name")
    if roles.sees_all_units:
        return blocs
    unit_ids = roles.officer_unit_ids | roles.head_unit_ids
    return blocs.filter(Q(years__members__unit_id__in=unit_ids) | Q(units__in=unit_ids)).distinct()


def bloc_year_detail(*, code: str, year: int) -> BlocYear:
    return BlocYear.objects.select_related(
        "bloc", "leading_unit", "deputy_unit", "campaign", "ranking_published_by"
    ).get(bloc__code=code, year=year)


def members(bloc_year: BlocYear) -> list[Unit]:
    return [
        member.unit for member in bloc_year.members.select_related("unit").order_by("unit__path")
    ]


def signatures(bloc_year: BlocYear) -> dict[int, Signature]:
    return {
        signature.unit_id: signature
        for signature in Signature.objects.filter(bloc_year=bloc_year).select_related("signed_by")
    }


def scorings_by_unit(bloc_year: BlocYear) -> dict[int, Scoring]:
    return {scoring.unit_id: scoring for scoring in Scoring.objects.filter(bloc_year=bloc_year)}


def meeting_of(bloc_year: BlocYear) -> BlocMeeting | None:
    return BlocMeeting.objects.filter(bloc_year=bloc_year).first()


def unit_standings(unit: Unit) -> list[RankEntry]:
    """The unit's rank and total in its blocs' published rankings, latest year first."""
    return list(
        RankEntry.objects.filter(unit=unit, bloc_year__ranking_published_at__isnull=False)
        .select_related("bloc_year__bloc")
        .order_by("-bloc_year__year")
    )


def published_rankings(
    *, year: int, bloc_code: str = "", roles: Roles
) -> list[tuple[BlocYear, list[RankEntry]]]:
    """The published rankings of a year, per bloc the user sees (the dashboard's section)."""
    years = BlocYear.objects.filter(
        year=year, ranking_published_at__isnull=False, bloc__in=visible_blocs(roles)
    )
    if bloc_code:
        years = years.filter(bloc__code=bloc_code)
    years = list(years.select_related("bloc").order_by("bloc__name"))
    entries: dict[int, list[RankEntry]] = {item.pk: [] for item in years}
    for entry in (
        RankEntry.objects.filter(bloc_year__in=years).select_related("unit").order_by("rank")
    ):
        entries[entry.bloc_year_id].append(entry)
    return [(item, entries[item.pk]) for item in years]
