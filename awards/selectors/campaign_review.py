"""The figures of a campaign's review (sơ kết, tổng kết), per year and for the whole campaign.

Every figure of reporting and attainment is the dashboard's own (campaigns.selectors.dashboard),
asked for the year's periods: the review can never disagree with the dashboard. Awards and
initiatives come from the record (grants settled by decisions, initiatives recognised).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from awards.models import AwardGrant, AwardType, Decision, Initiative
from campaigns.models import Campaign, Objective, ReportingPeriod
from campaigns.selectors.dashboard import (
    SORT_OVERALL,
    HeatRow,
    heat_map,
    reporting_by_period,
    sector_figures,
)
from units.models import EmulationBloc, Person, Unit

LEADERS = 5


@dataclass
class YearFigures:
    """One year of the campaign (or the whole of it, when `year` is None)."""

    label: str
    year: int | None
    periods: list[ReportingPeriod]
    expected: int = 0
    reported: int = 0
    late: int = 0
    overall: float | None = None
    objectives: dict[int, float | None] = field(default_factory=dict)
    by_kind: dict[str, float | None] = field(default_factory=dict)
    by_bloc: dict[str, float | None] = field(default_factory=dict)
    leading: list[HeatRow] = field(default_factory=list)
    lagging: list[HeatRow] = field(default_factory=list)

    @property
    def reporting_rate(self) -> float | None:
        return self.reported / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return (self.reported - self.late) / self.expected if self.expected else None

    @property
    def as_of(self) -> ReportingPeriod | None:
        """The period the year's attainment is read at: its last ended one."""
        return self.periods[-1] if self.periods else None


@dataclass
class ReviewFigures:
    campaign: Campaign
    objectives: list[Objective]
    years: list[YearFigures]
    whole: YearFigures
    kinds: list[tuple[str, str]]
    blocs: list[EmulationBloc]
    awards: list[tuple[str, dict[int, int]]]  # (award name, year → grants)
    initiatives: dict[int, int]  # year → initiatives recognised
    award_years: list[int]


def _mean(values) -> float | None:
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


def _year(campaign: Campaign, label: str, year, periods, objectives, kinds, blocs) -> YearFigures:
    figures = YearFigures(label=label, year=year, periods=periods)
    reporting = reporting_by_period(campaign=campaign, periods=periods, units=Q())
    for row in reporting.values():
        figures.expected += row.expected
        figures.reported += row.reported
        figures.late += row.late
    period = figures.as_of
    if period is None:
        return figures
    sector = sector_figures(campaign=campaign, periods=[period], units=Q())[period.pk]
    figures.overall, figures.objectives = sector.overall, dict(sector.objectives)
    for kind, _label in kinds:
        figures.by_kind[kind] = sector_figures(
            campaign=campaign, periods=[period], units=Q(kind=kind)
        )[period.pk].overall
    for bloc in blocs:
        figures.by_bloc[bloc.code] = sector_figures(
            campaign=campaign, periods=[period], units=Q(bloc=bloc)
        )[period.pk].overall
    rows, _page = heat_map(
        campaign=campaign,
        period=period,
        units=Q(),
        objectives=objectives,
        sort=SORT_OVERALL,
        descending=True,
        every_unit=True,
    )
    ranked = [row for row in rows if row.overall is not None]
    figures.leading = ranked[:LEADERS]
    figures.lagging = list(reversed(ranked[-LEADERS:])) if len(ranked) > LEADERS else []
    return figures


def review_figures(*, campaign: Campaign, today: datetime.date) -> ReviewFigures:
    """Per year (as of the year's last ended period) and for the whole campaign."""
    objectives = list(campaign.objectives.order_by("number"))
    units = Unit.objects.filter(participations__campaign=campaign)
    present = set(units.values_list("kind", flat=True))
    kinds = [(kind, label) for kind, label in Unit.Kind.choices if kind in present]
    blocs = list(
        EmulationBloc.objects.filter(units__participations__campaign=campaign)
        .distinct()
        .order_by("name")
    )
    ended = [p for p in campaign.periods.order_by("starts_on") if p.ends_on < today]
    by_year: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in ended:
        by_year[period.starts_on.year].append(period)
    years = [
        _year(campaign, str(year), year, periods, objectives, kinds, blocs)
        for year, periods in sorted(by_year.items())
    ]
    whole = YearFigures(
        label=f"{campaign.starts_on.year}–{campaign.ends_on.year}", year=None, periods=ended
    )
    for figures in years:
        whole.expected += figures.expected
        whole.reported += figures.reported
        whole.late += figures.late
    # The whole campaign's attainment: the mean of its years' (each year is rolled up apart).
    whole.overall = _mean(figures.overall for figures in years)
    whole.objectives = {o.pk: _mean(f.objectives.get(o.pk) for f in years) for o in objectives}
    whole.by_kind = {k: _mean(f.by_kind.get(k) for f in years) for k, _label in kinds}
    whole.by_bloc = {b.code: _mean(f.by_bloc.get(b.code) for f in years) for b in blocs}
    if years:
        whole.leading, whole.lagging = years[-1].leading, years[-1].lagging

    first, last = campaign.starts_on.year, campaign.ends_on.year
    participants = Q(unit__participations__campaign=campaign) | Q(
        person__unit__participations__campaign=campaign
    )
    grants = (
        AwardGrant.objects.filter(participants, year__range=(first, last))
        .filter(Q(decision__isnull=True) | Q(decision__status=Decision.Status.IN_FORCE))
        .values("award_type__name", "award_type__order", "year")
        .annotate(count=Count("pk", distinct=True))
        .order_by("award_type__order", "award_type__name", "year")
    )
    awards: dict[str, dict[int, int]] = {}
    for row in grants:
        awards.setdefault(row["award_type__name"], {})[row["year"]] = row["count"]
    initiatives: dict[int, int] = {}
    for row in (
        Initiative.objects.filter(participants, recognised_on__year__range=(first, last))
        .values("recognised_on__year")
        .annotate(count=Count("pk", distinct=True))
    ):
        initiatives[row["recognised_on__year"]] = row["count"]
    return ReviewFigures(
        campaign=campaign,
        objectives=objectives,
        years=years,
        whole=whole,
        kinds=kinds,
        blocs=blocs,
        awards=list(awards.items()),
        initiatives=initiatives,
        award_years=list(range(first, last + 1)),
    )


@dataclass
class PersonResult:
    """A person of a participating unit and what the record holds for the campaign's years."""

    person: Person
    titles: int
    initiatives: int


def review_people(*, campaign: Campaign, limit: int = 10) -> list[PersonResult]:
    """The people with the best results over the campaign: the most emulation titles granted
    to them in its years, then the most initiatives recognised in its dates (the figures kept
    per person are the record's; reports are per unit). Active people of participating units
    only; nobody with neither. One query."""
    years = (campaign.starts_on.year, campaign.ends_on.year)
    people = (
        Person.objects.filter(active=True, unit__participations__campaign=campaign)
        .annotate(
            titles=Count(
                "award_grants",
                filter=Q(
                    award_grants__year__range=years,
                    award_grants__award_type__kind=AwardType.Kind.TITLE,
                ),
                distinct=True,
            ),
            initiatives_recognised=Count(
                "initiatives",
                filter=Q(initiatives__recognised_on__range=(campaign.starts_on, campaign.ends_on)),
                distinct=True,
            ),
        )
        .filter(Q(titles__gt=0) | Q(initiatives_recognised__gt=0))
        .select_related("unit")
        .order_by("-titles", "-initiatives_recognised", "full_name", "pk")[:limit]
    )
    return [
        PersonResult(person=person, titles=person.titles, initiatives=person.initiatives_recognised)
        for person in people
    ]
