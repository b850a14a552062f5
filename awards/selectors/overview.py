"""Every read the awards overview needs: a year's nominations by status and award type, the
council meetings ahead and the publicity windows open today.

The reader's scope is the campaign dashboard's (`campaigns.selectors.dashboard_scope`): the
whole sector for the board, the secretary and the administrator, the subtrees of the units
they head for a unit head. Nominations are counted by their proposing unit. Each function runs
a fixed number of queries whatever the number of nominations, units or meetings, and the
counting is done by the database, never by a loop over nominations.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from awards.models import AwardType, Meeting, Nomination, Publication, PublicComment
from awards.selectors.publicity import public_publications
from campaigns.selectors import Filters, Scope
from units.models import Unit

PAGE_SIZE = 50

Status = Nomination.Status

# The workflow in a few stages, for the headline figures and the chart.
STAGES: list[tuple[str, object, tuple[str, ...]]] = [
    ("units", _("At the units"), (Status.DRAFT, Status.RETURNED)),
    ("screening", _("Being screened"), (Status.SUBMITTED, Status.SCREENING)),
    ("board", _("With the board"), (Status.PUBLISHED, Status.IN_REVIEW, Status.ON_AGENDA)),
    ("approved", _("Approved, not yet decided"), (Status.APPROVED,)),
    ("decided", _("Decided or forwarded"), (Status.DECIDED, Status.FORWARDED)),
    ("closed", _("Closed without an award"), (Status.REJECTED, Status.WITHDRAWN, Status.REVOKED)),
]

# The statuses as rows of the cross table, in the order of the workflow.
STATUS_ORDER: list[str] = [status for _key, _label, statuses in STAGES for status in statuses]


@dataclass(frozen=True)
class NominationFilters:
    """Which nominations the table counts: a year, the proposing units (kind, bloc, province
    through the dashboard's `Filters`) and whether the nominee is a person or a unit."""

    year: int
    units: Filters = field(default_factory=Filters)
    nominee: str = ""  # "person", "unit" or "" for both

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the year and the reader's scope narrows the count."""
        return bool(self.units.q()) or bool(self.nominee)


def _units(scope: Scope, filters: Filters | None = None) -> QuerySet[Unit] | None:
    """The units in scope (and filters) as a subquery, or None for the whole sector."""
    q = scope.q() & (filters.q() if filters is not None else Q())
    return Unit.objects.filter(q).values("pk") if q else None


def unit_provinces(*, scope: Scope) -> list[str]:
    """The provinces of the units in the reader's scope, for the filter."""
    return list(
        Unit.objects.filter(scope.q())
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )


def nominations_in(*, scope: Scope, filters: NominationFilters) -> QuerySet[Nomination]:
    nominations = Nomination.objects.filter(year=filters.year)
    units = _units(scope, filters.units)
    if units is not None:
        nominations = nominations.filter(proposing_unit__in=units)
    if filters.nominee == "person":
        nominations = nominations.filter(person__isnull=False)
    elif filters.nominee == "unit":
        nominations = nominations.filter(unit__isnull=False)
    return nominations


def nomination_years(*, scope: Scope) -> list[int]:
    """The years of achievement that have nominations in the reader's scope, newest first."""
    nominations = Nomination.objects.all()
    units = _units(scope)
    if units is not None:
        nominations = nominations.filter(proposing_unit__in=units)
    return list(nominations.order_by("-year").values_list("year", flat=True).distinct())


# --- nominations by status and award type ------------------------------------------------------


@dataclass
class StatusRow:
    status: str
    label: str
    cells: list[tuple[AwardType, int]]  # one per column of the table (CrossTable.awards)
    total: int

    @property
    def counts(self) -> list[int]:
        return [count for _award, count in self.cells]


@dataclass
class Stage:
    key: str
    label: str
    count: int


@dataclass
class CrossTable:
    """Nominations by status (rows) × award type (columns), with the totals of both."""

    awards: list[AwardType]  # the award types with at least one nomination, catalogue order
    rows: list[StatusRow]  # every status, in the order of the workflow
    total_cells: list[tuple[AwardType, int]]  # the total of each column
    total: int
    stages: list[Stage]

    @property
    def totals(self) -> list[int]:
        return [count for _award, count in self.total_cells]


def nomination_table(*, scope: Scope, filters: NominationFilters) -> CrossTable:
    """The cross table of the year's nominations (two queries: the catalogue, and the count of
    each status × award type pair). The totals of rows, columns and stages are sums of those
    counts: at most one per status and award type, whatever the number of nominations."""
    catalogue = list(AwardType.objects.order_by("order", "code"))
    counts: dict[tuple[str, int], int] = {
        (row["status"], row["award_type_id"]): row["n"]
        for row in nominations_in(scope=scope, filters=filters)
        .order_by()
        .values("status", "award_type_id")
        .annotate(n=Count("pk"))
    }
    by_status: dict[str, int] = defaultdict(int)
    by_award: dict[int, int] = defaultdict(int)
    for (status, award_id), count in counts.items():
        by_status[status] += count
        by_award[award_id] += count
    awards = [award for award in catalogue if by_award[award.pk]]
    labels = dict(Status.choices)
    rows = [
        StatusRow(
            status=status,
            label=labels[status],
            cells=[(award, counts.get((status, award.pk), 0)) for award in awards],
            total=by_status[status],
        )
        for status in STATUS_ORDER
    ]
    return CrossTable(
        awards=awards,
        rows=rows,
        total_cells=[(award, by_award[award.pk]) for award in awards],
        total=sum(counts.values()),
        stages=[
            Stage(key=key, label=str(label), count=sum(by_status[status] for status in statuses))
            for key, label, statuses in STAGES
        ],
    )


# --- meetings ahead and publicity windows open -----------------------------------------------


def meetings_ahead(*, scope: Scope, today: datetime.date) -> QuerySet[Meeting]:
    """Meetings still to be held (scheduled for today or later) and those whose ballot is open,
    soonest first, with the size of their agenda and the ballots cast so far (no count of
    choices: those stay in the database until the ballot closes).

    A unit head sees the meetings that have their units' nominations on the agenda, and the
    agenda size counts those nominations only.
    """
    meetings = Meeting.objects.select_related("council__unit").filter(
        Q(status=Meeting.Status.BALLOT_OPEN)
        | Q(status=Meeting.Status.SCHEDULED, held_on__gte=today)
    )
    units = _units(scope)
    if units is None:
        agenda = Count("tallies", distinct=True)
    else:
        agenda = Count(
            "tallies", filter=Q(tallies__nomination__proposing_unit__in=units), distinct=True
        )
    meetings = meetings.annotate(agenda_size=agenda, ballots=Count("receipts", distinct=True))
    if units is not None:
        meetings = meetings.filter(agenda_size__gt=0)
    return meetings.order_by("held_on", "pk")


def publicity_open(*, scope: Scope, today: datetime.date) -> QuerySet[Publication]:
    """The publicity windows open today (those the public page lists), closing soonest first,
    with the number of comments received and of those still to moderate."""
    publications = public_publications(today=today)
    units = _units(scope)
    if units is not None:
        publications = publications.filter(nomination__proposing_unit__in=units)
    return publications.annotate(
        comment_count=Count("comments"),
        pending=Count("comments", filter=Q(comments__status=PublicComment.Status.PENDING)),
    ).order_by("closes_on", "award_name", "nominee_name", "pk")
