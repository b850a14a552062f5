"""The board, the council and its meetings, and the ballot as a member votes on it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    Attendance,
    AwardTerms,
    BallotReceipt,
    Council,
    CouncilMember,
    Meeting,
    Nomination,
    Review,
    VoteTally,
)
from awards.selectors.catalogue import terms_prefetch
from awards.selectors.nominations import shown_comments, with_comment_counts
from awards.selectors.record import open_matter_exists
from config.workdays import next_working_day
from units.models import Unit, User
from units.roles import BOARD_GROUP, UNIT_SEAT, Roles

# --- The board -------------------------------------------------------------------------------


def _level(unit: Unit | int | None) -> Q:
    """The councils of one level: a unit's (by the unit or its id), or the Ministry's (None)."""
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    return Q(unit__isnull=True) if unit_id is None else Q(unit_id=unit_id)


def council_on(day: datetime.date | None = None, *, unit: Unit | None = None) -> Council | None:
    """The council of a level whose term covers the day (today by default): the Ministry's,
    or the unit's when given; councils of one level never overlap."""
    day = day or timezone.localdate()
    return (
        Council.objects.active_on(day).filter(_level(unit)).order_by("-term_start", "-pk").first()
    )


def council_members(*, day: datetime.date | None = None) -> QuerySet[User]:
    """Who sits on the board: the one place that answers it (users.roles asks it per user).

    The members seated on the day on the council whose term covers it, with an active account:
    this answers who may read and act as the board, not how many members a threshold counts
    (that is every seat on the meeting day, disabled accounts included: meeting_seats). Until
    the secretary
    has recorded a council for that day, the `board` group stands in for it, so that an
    installation works before its council is entered; once a council covers the day, the
    group no longer counts. One lazy query either way.
    """
    day = day or timezone.localdate()
    council = (
        Council.objects.active_on(day)
        .filter(unit__isnull=True)
        .order_by("-term_start", "-pk")
        .values("pk")[:1]
    )
    seated = CouncilMember.objects.active_on(day).filter(council__in=Subquery(council))
    in_group = User.groups.through.objects.filter(group__name=BOARD_GROUP)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=seated.values("user_id"))
            | (Q(pk__in=in_group.values("user_id")) & ~Exists(council))
        )
        .order_by("full_name", "username")
    )


def unit_council_seats(user_id: int, *, day: datetime.date | None = None) -> QuerySet:
    """One user's seats today on the councils of units (units.roles' unit seat provider):
    rows ("unit_seat", "<unit id>:<role>"), for the one UNION that loads the roles.

    A seat counts while the seat and its council are in office and the account is active."""
    day = day or timezone.localdate()
    text = CharField()
    return (
        CouncilMember.objects.active_on(day)
        .filter(
            user_id=user_id,
            user__is_active=True,
            council__unit__isnull=False,
            council__term_start__lte=day,
        )
        .filter(Q(council__term_end__isnull=True) | Q(council__term_end__gte=day))
        .annotate(
            kind=Value(UNIT_SEAT, output_field=text),
            label=Concat(Cast("council__unit_id", text), Value(":"), "role", output_field=text),
        )
        .values_list("kind", "label")
    )


def sits_on_council(user) -> bool:
    """The per-user twin of council_members() (one query)."""
    if user is None or not user.is_authenticated:
        return False
    return council_members().filter(pk=user.pk).exists()


# --- The council and its meetings --------------------------------------------------------------


def _seat_order(seats: list[CouncilMember]) -> list[CouncilMember]:
    return sorted(
        seats,
        key=lambda seat: (
            CouncilMember.ROLE_ORDER.get(seat.role, 99),
            seat.user.full_name or seat.user.username,
        ),
    )


def council_list(*, roles: Roles | None = None) -> QuerySet[Council]:
    """The councils a reader sees: every level for the Ministry's secretary, the board and the
    administrator; a unit's secretary, members and head see their unit's councils only."""
    councils = Council.objects.select_related("unit").annotate(seat_count=Count("members"))
    if roles is not None and not roles.sees_all_units:
        councils = councils.filter(
            unit_id__in=roles.council_unit_ids | roles.secretary_unit_ids | roles.head_unit_ids
        )
    return councils.order_by("unit__name", "-term_start", "-pk")


def council_detail(*, pk: int) -> Council:
    return (
        Council.objects.select_related("unit")
        .prefetch_related(
            Prefetch("members", queryset=CouncilMember.objects.select_related("user"))
        )
        .get(pk=pk)
    )


def council_seats(council: Council, *, day: datetime.date | None = None) -> list[CouncilMember]:
    """The council's seats (from the prefetch), in the order of the roles; only those
    active on `day` when given."""
    seats = list(council.members.all())
    if day is not None:
        seats = [seat for seat in seats if seat.is_active_on(day)]
    return _seat_order(seats)


def seat_candidates(*, seat: CouncilMember | None = None) -> QuerySet[User]:
    """Whom a seat may go to: any active account for a new seat; a seat stays with its
    member."""
    if seat is not None:
        return User.objects.filter(pk=seat.user_id)
    return User.objects.filter(is_active=True).order_by("full_name", "username")


def meeting_seats(meeting: Meeting) -> QuerySet[CouncilMember]:
    """The seats of the meeting's council on the meeting day, whatever the state of the
    members' accounts: a member whose account is disabled is still a member (absent, or voting
    in writing) and counts in the council's size, as does every seat that votes (NĐ 98/2023
    Art 30.7, NĐ 152/2025 keeping it [U]: thresholds are shares of all members). Only
    `votes=False` (a secretary who is not a member) leaves a seat out of the size."""
    return (
        CouncilMember.objects.active_on(meeting.held_on)
        .filter(council_id=meeting.council_id)
        .select_related("user")
    )


def council_size_on(meeting: Meeting) -> int:
    """How many members the thresholds of this meeting are shares of: its voting seats on the
    meeting day (frozen as Meeting.council_size when the ballot opens)."""
    return meeting_seats(meeting).filter(votes=True).count()


def meeting_list(*, user, roles: Roles) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("council__unit").annotate(
        agenda_size=Count("tallies", distinct=True),
        ballots=Count("receipts", distinct=True),
        present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        attends=Exists(
            Attendance.objects.filter(meeting=OuterRef("pk"), member_id=getattr(user, "pk", None))
        ),
        present_me=Exists(
            Attendance.objects.filter(
                meeting=OuterRef("pk"), member_id=getattr(user, "pk", None), present=True
            )
        ),
        voted=Exists(
            BallotReceipt.objects.filter(
                meeting=OuterRef("pk"), member_id=getattr(user, "pk", None)
            )
        ),
    )
    if roles.is_admin:
        return meetings.order_by("-held_on", "-pk")
    # Each council's meetings for its secretary and members; the meetings one attends.
    levels = Q(attends=True) | Q(
        council__unit_id__in=roles.council_unit_ids | roles.secretary_unit_ids
    )
    if roles.is_secretary or roles.is_board_member:
        levels |= Q(council__unit__isnull=True)
    return meetings.filter(levels).order_by("-held_on", "-pk")


def _agenda_queryset() -> QuerySet[VoteTally]:
    """The agenda, each item with what the public said of it: the approved comments and the
    counts shown and held back (NĐ 152/2025 Art 44.2: the comments inform the vote)."""
    return (
        with_comment_counts(VoteTally.objects.all(), "nomination_id")
        .select_related(
            "nomination__award_type",
            "nomination__person",
            "nomination__unit",
            "nomination__proposing_unit",
            "nomination__publication",
        )
        .prefetch_related(
            terms_prefetch("nomination__award_type__terms"),
            Prefetch(
                "nomination__publication__comments",
                queryset=shown_comments().queryset,
                to_attr="shown_comments",
            ),
        )
    ).order_by(
        "nomination__award_type__order",
        "nomination__person__full_name",
        "nomination__unit__name",
        "pk",
    )


def meeting_detail(*, pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("council__unit", "created_by")
        .prefetch_related(
            Prefetch("tallies", queryset=_agenda_queryset()),
            Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
            Prefetch(
                "receipts",
                queryset=BallotReceipt.objects.select_related("member", "recorded_by"),
            ),
        )
        .get(pk=pk)
    )


def agenda_candidates(
    *, held_on: datetime.date | None = None, unit_id: int | None = None
) -> QuerySet[Nomination]:
    """Nominations in the review of a level's council (the Ministry's by default, or the
    unit's) that may go on the agenda of a meeting on `held_on`: their publicity ended before
    that day (NĐ 98/2023 Art 46.2, NĐ 152/2025 Art 44.2; none when the award needs none) and no
    open matter of the nominee."""
    candidates = _review_queue(unit_id=unit_id)
    if held_on is not None:
        candidates = candidates.filter(
            Q(publication__isnull=True) | Q(publication__closes_on__lt=held_on),
            has_open_matter=False,
        )
    return candidates


def agenda_not_ready(*, held_on: datetime.date, unit_id: int | None = None) -> list[Nomination]:
    """The nominations in review that a meeting on `held_on` cannot take yet, each with
    `ready_from` (the first working day after its window; None while an open matter holds it)."""
    waiting = list(
        _review_queue(unit_id=unit_id).filter(
            Q(publication__closes_on__gte=held_on) | Q(has_open_matter=True)
        )
    )
    for nomination in waiting:
        publication = getattr(nomination, "publication", None)
        late = publication is not None and publication.closes_on >= held_on
        nomination.publicity_late = late
        nomination.ready_from = (
            None
            if nomination.has_open_matter
            else next_working_day(publication.closes_on + datetime.timedelta(days=1))
        )
    return waiting


def _review_queue(*, unit_id: int | None = None) -> QuerySet[Nomination]:
    deciding = Q(deciding_unit__isnull=True) if unit_id is None else Q(deciding_unit_id=unit_id)
    return (
        with_comment_counts(
            Nomination.objects.filter(deciding, status__in=Nomination.IN_THE_BOARDS_REVIEW)
        )
        .select_related("award_type", "person", "unit", "proposing_unit", "publication")
        .annotate(
            nominee_name=Coalesce("person__full_name", "unit__name"),
            reviews_done=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
            has_open_matter=open_matter_exists(),
        )
        .order_by("award_type__order", "nominee_name", "pk")
    )


def ballot_items(*, meeting: Meeting, member: User) -> tuple[list[VoteTally], list[tuple]]:
    """The agenda as one member votes on it: (the items they vote on, [(item, why they stand
    aside)]). A member stands aside on a nomination of themselves and on one where they
    declared a conflict of interest."""
    items = list(_agenda_queryset().filter(meeting=meeting))
    conflicts = set(
        Review.objects.filter(
            member=member,
            conflict_of_interest=True,
            nomination_id__in=[item.nomination_id for item in items],
        ).values_list("nomination_id", flat=True)
    )
    votable, aside = [], []
    for item in items:
        nominee = item.nomination.person
        if nominee is not None and nominee.user_id == member.pk:
            aside.append((item, _("You are the nominee.")))
        elif item.nomination_id in conflicts:
            aside.append((item, _("You declared a conflict of interest.")))
        else:
            votable.append(item)
    return votable, aside


@dataclass(frozen=True)
class ResultRow:
    tally: VoteTally
    council_size: int
    threshold: str
    not_voting: int
    source: str = ""

    @property
    def nomination(self) -> Nomination:
        return self.tally.nomination

    @property
    def approved(self) -> bool:
        return self.tally.outcome == self.tally.Outcome.APPROVED


def threshold_label(terms: AwardTerms) -> str:
    """The threshold of the terms (in force on a day), as the pages and minutes write it."""
    rule, percent = terms.required_share()
    if rule == VoteTally.Rule.AT_LEAST:
        return _("at least %(percent)s%% of all members") % {"percent": percent}
    return _("more than %(percent)s%% of all members") % {"percent": percent}


@dataclass(frozen=True)
class AgendaRow:
    """An item of a meeting's agenda with the vote terms of its award in force on the meeting
    day (None when the catalogue has none: the ballot cannot open)."""

    tally: VoteTally
    terms: AwardTerms | None

    @property
    def nomination(self) -> Nomination:
        return self.tally.nomination

    @property
    def nomination_id(self) -> int:
        return self.tally.nomination_id

    @property
    def comments_shown(self) -> int:
        return self.tally.comments_shown

    @property
    def comments_held(self) -> int:
        return self.tally.comments_held

    @property
    def threshold(self) -> str:
        if self.tally.threshold_rule:  # closed: what was applied, frozen
            return self.tally.threshold_label()
        return threshold_label(self.terms) if self.terms else ""

    @property
    def source(self) -> str:
        if self.tally.threshold_rule:
            return self.tally.threshold_source
        return self.terms.ballot_source if self.terms else ""


def meeting_agenda(meeting: Meeting) -> list[AgendaRow]:
    """The agenda (prefetched by meeting_detail, with the awards' terms) and the threshold
    each item is voted on: the one in force on the meeting day."""
    rows = []
    for tally in meeting.tallies.all():
        try:
            terms = tally.nomination.award_type.terms_on(meeting.held_on)
        except ValidationError:
            terms = None
        rows.append(AgendaRow(tally=tally, terms=terms))
    return rows


def meeting_results(meeting: Meeting) -> list[ResultRow]:
    """The counts of a closed ballot (from the prefetched agenda) with the threshold applied
    and its source, as frozen when the ballot closed. Before the ballot closes they exist only
    in the database and no page may show them: this refuses."""
    if meeting.status != Meeting.Status.CLOSED:
        raise ValueError("the counts of a ballot are shown only once it is closed")
    size = meeting.council_size or 0
    return [
        ResultRow(
            tally=tally,
            council_size=size,
            threshold=tally.threshold_label(),
            not_voting=size - tally.approvals - tally.disapprovals,
            source=tally.threshold_source,
        )
        for tally in meeting.tallies.all()
    ]


def nomination_ballots(nomination: Nomination) -> list[ResultRow]:
    """The counts of the closed ballots on a nomination (from the prefetched `closed_tallies`
    of nomination_detail), with the threshold each applied."""
    return [
        ResultRow(
            tally=tally,
            council_size=tally.meeting.council_size,
            threshold=tally.threshold_label(),
            not_voting=tally.meeting.council_size - tally.approvals - tally.disapprovals,
            source=tally.threshold_source,
        )
        for tally in nomination.closed_tallies
    ]
