"""Every read the commendation pages and services need, with its joins and aggregates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from awards.eligibility import (
    CSTDCS,
    LDTT,
    Evaluation,
    GrantFact,
    InitiativeFact,
    MembersFact,
    ProgressFact,
    RatingFact,
    Record,
    RegistrationFact,
    evaluate,
)
from awards.models import (
    Attendance,
    AwardGrant,
    AwardType,
    BallotReceipt,
    Council,
    CouncilMember,
    Decision,
    Initiative,
    Meeting,
    Nomination,
    NominationAttachment,
    NominationStep,
    Publication,
    PublicComment,
    Review,
    TaskRating,
    VoteTally,
)
from campaigns.models import Registration, Target
from campaigns.selectors import indicator_rollups
from units.models import Person, Unit, User
from units.roles import BOARD_GROUP, Roles

# Nominations of a nominee that may still end in an award, so rules needing that award wait.
LIVE_STATUSES = (
    Nomination.Status.SUBMITTED,
    Nomination.Status.SCREENING,
    Nomination.Status.RETURNED,
    Nomination.Status.IN_REVIEW,
    Nomination.Status.ON_AGENDA,
    Nomination.Status.APPROVED,
    Nomination.Status.PUBLISHED,
    Nomination.Status.FORWARDED,
)


# --- The board -------------------------------------------------------------------------------


def council_on(day: datetime.date | None = None) -> Council | None:
    """The council whose term covers the day (today by default); councils never overlap."""
    day = day or timezone.localdate()
    return Council.objects.active_on(day).order_by("-term_start", "-pk").first()


def council_members(*, day: datetime.date | None = None) -> QuerySet[User]:
    """Who sits on the board: the one place that answers it (users.roles asks it per user).

    The members seated on the day on the council whose term covers it. Until the secretary
    has recorded a council for that day, the `board` group stands in for it, so that an
    installation works before its council is entered; once a council covers the day, the
    group no longer counts. One lazy query either way.
    """
    day = day or timezone.localdate()
    council = Council.objects.active_on(day).order_by("-term_start", "-pk").values("pk")[:1]
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


def sits_on_council(user) -> bool:
    """The per-user twin of council_members() (one query), used by units.roles.roles_of."""
    if user is None or not user.is_authenticated:
        return False
    return council_members().filter(pk=user.pk).exists()


# --- The catalogue ---------------------------------------------------------------------------


def award_types(*, active_only: bool = True) -> QuerySet[AwardType]:
    types = AwardType.objects.all()
    return types.filter(active=True) if active_only else types


def award_short_names() -> dict[str, str]:
    return dict(AwardType.objects.values_list("code", "short_name"))


# --- The nominee's record --------------------------------------------------------------------


def _owner(*, person: Person | None, unit: Unit | None) -> dict:
    return {"person": person} if person is not None else {"unit": unit}


def _unit_members(unit: Unit, year: int) -> MembersFact:
    people = Person.objects.filter(unit=unit, active=True)
    serious = list(TaskRating.DisciplineLevel.values)[
        TaskRating.severity(TaskRating.DisciplineLevel.WARNING) :
    ]
    ratings = TaskRating.objects.filter(person__in=people, year=year).aggregate(
        rated=Count("pk"),
        completed=Count("pk", filter=~Q(rating=TaskRating.Rating.NOT_COMPLETED)),
        disciplined_serious=Count("pk", filter=Q(disciplined=True, discipline_level__in=serious)),
    )
    titles = AwardGrant.objects.filter(person__in=people, year=year).aggregate(
        ldtt=Count("person", filter=Q(award_type__code=LDTT), distinct=True),
        cstdcs=Count("person", filter=Q(award_type__code=CSTDCS), distinct=True),
    )
    return MembersFact(total=people.count(), **ratings, **titles)


def _unit_registration(unit: Unit, year: int) -> RegistrationFact | None:
    registration = (
        Registration.objects.filter(unit=unit, year=year)
        .select_related("campaign")
        .annotate(target_count=Count("targets"))
        .order_by("-campaign__starts_on")
        .first()
    )
    if registration is None:
        return None
    return RegistrationFact(
        campaign=registration.campaign.code,
        target_count=registration.target_count,
        target_title=registration.target_title,
    )


def _target_results(unit: Unit, year: int) -> list[tuple[Target, dict | None]]:
    """Each registered target of the year with the unit's rolled-up result (campaigns)."""
    targets = list(
        Target.objects.filter(registration__unit=unit, registration__year=year)
        .select_related("indicator", "registration__campaign")
        .order_by(
            "registration__campaign__code", "indicator__objective__number", "indicator__order"
        )
    )
    results: dict[int, dict] = {}
    for campaign in {target.registration.campaign for target in targets}:
        for row in indicator_rollups(campaign=campaign, year=year, unit_ids=[unit.pk]):
            results[row["indicator_id"]] = row
    return [(target, results.get(target.indicator_id)) for target in targets]


def unit_progress(unit: Unit, year: int) -> ProgressFact | None:
    """How many registered targets of the year the unit met, from its received reports.

    None (the rule stays unknown) while no report of the year has been received: a unit is
    not judged on a year it has not reported on yet.
    """
    results = _target_results(unit, year)
    if not results or all(result is None for _, result in results):
        return None
    met = sum(1 for _, result in results if result and (result["ratio"] or 0) >= 1)
    return ProgressFact(targets_met=met, targets_total=len(results))


def nominee_record(
    *,
    person: Person | None = None,
    unit: Unit | None = None,
    year: int,
    nomination_id: int | None = None,
) -> Record:
    """Everything the eligibility rules read about a nominee, in a fixed number of queries."""
    owner = _owner(person=person, unit=unit)
    ratings = {
        rating.year: RatingFact(
            year=rating.year,
            rating=rating.rating,
            disciplined=rating.disciplined,
            discipline_level=rating.discipline_level,
            pending=rating.pending,
        )
        for rating in TaskRating.objects.filter(**owner)
    }
    grants = tuple(
        GrantFact(year=grant_year, award_code=code)
        for grant_year, code in AwardGrant.objects.filter(**owner).values_list(
            "year", "award_type__code"
        )
    )
    relied, spare = [], []
    for item in Initiative.objects.filter(**owner).filter(
        Q(used_by__isnull=True) | Q(used_by_id=nomination_id)
    ):
        fact = InitiativeFact(
            pk=item.pk,
            title=item.title,
            scope=item.scope,
            recognised_on=item.recognised_on,
            used_by_id=item.used_by_id,
        )
        (relied if nomination_id and item.used_by_id == nomination_id else spare).append(fact)
    pending = frozenset(
        Nomination.objects.filter(**owner, status__in=LIVE_STATUSES)
        .exclude(pk=nomination_id)
        .values_list("award_type__code", "year")
    )
    members = registration = progress = None
    bloc = ""
    if unit is not None:
        members = _unit_members(unit, year)
        registration = _unit_registration(unit, year)
        progress = unit_progress(unit, year)
        bloc = unit.bloc.name if unit.bloc_id else ""
    return Record(
        kind="person" if person is not None else "unit",
        year=year,
        nomination_id=nomination_id,
        ratings=ratings,
        grants=grants,
        initiatives=tuple(relied),
        spare_initiatives=tuple(spare),
        pending_awards=pending,
        members=members,
        bloc=bloc,
        registration=registration,
        progress=progress,
        award_names=award_short_names(),
    )


def nomination_evaluate(nomination: Nomination) -> Evaluation:
    record = nominee_record(
        person=nomination.person,
        unit=nomination.unit,
        year=nomination.year,
        nomination_id=nomination.pk,
    )
    return evaluate(
        record,
        rule_codes=nomination.award_type.rule_codes,
        rule_params=nomination.award_type.rule_params,
    )


@dataclass(frozen=True)
class NomineeHistory:
    ratings: list[TaskRating]
    initiatives: list[Initiative]
    grants: list[AwardGrant]


def nominee_history(*, person: Person | None = None, unit: Unit | None = None) -> NomineeHistory:
    owner = _owner(person=person, unit=unit)
    return NomineeHistory(
        ratings=list(TaskRating.objects.filter(**owner).order_by("-year")),
        initiatives=list(
            Initiative.objects.filter(**owner)
            .select_related("used_by__award_type")
            .order_by("-recognised_on")
        ),
        grants=list(
            AwardGrant.objects.filter(**owner)
            .select_related("award_type")
            .order_by("-year", "award_type__order")
        ),
    )


# --- The achievement report's prefill --------------------------------------------------------


@dataclass(frozen=True)
class ReportPrefill:
    background: str
    achievements: str
    awards: str


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def report_prefill(*, person: Person | None, unit: Unit | None, year: int) -> ReportPrefill:
    """The sections of the legal template filled from the record, in Vietnamese.

    The dossier is a Vietnamese legal document, so it is written in Vietnamese whatever the
    language of the person drafting it.
    """
    owner = _owner(person=person, unit=unit)
    grants = AwardGrant.objects.filter(**owner).select_related("award_type").order_by("year")
    with translation.override("vi"):
        awards = "\n".join(
            " | ".join(
                [
                    str(grant.year),
                    grant.award_type.name,
                    ", ".join(filter(None, [grant.decision_number, _date(grant.decided_on)])),
                    grant.issuer,
                ]
            )
            for grant in grants
        )
        if person is not None:
            background = _person_background(person)
            achievements = _person_achievements(person, year)
        else:
            background = _unit_background(unit)
            achievements = _unit_achievements(unit, year)
    return ReportPrefill(background=background, achievements=achievements, awards=awards)


def _person_background(person: Person) -> str:
    lines = [
        _("Full name: %(value)s") % {"value": person.full_name},
        _("Date of birth: %(value)s") % {"value": _date(person.date_of_birth) or "…"},
        _("Sex: %(value)s") % {"value": person.get_sex_display() or "…"},
        _("Hometown: %(value)s") % {"value": person.hometown or "…"},
        _("Unit: %(value)s") % {"value": person.unit.name},
        _("Position: %(value)s") % {"value": person.position or "…"},
        _("Qualifications: %(value)s") % {"value": person.qualifications or "…"},
    ]
    return "\n".join(lines)


def _person_achievements(person: Person, year: int) -> str:
    lines = [_("1. Duties assigned:"), "…", _("2. Results in %(year)s:") % {"year": year}, "…"]
    initiatives = Initiative.objects.filter(person=person, recognised_on__year__lte=year).filter(
        recognised_on__year__gte=year - 5
    )
    if initiatives:
        lines.append(_("3. Initiatives:"))
        lines += [
            f"- {item.title} ({item.get_scope_display()}, {_date(item.recognised_on)})"
            for item in initiatives
        ]
    return "\n".join(lines)


def _unit_background(unit: Unit) -> str:
    lines = [
        _("Unit: %(value)s") % {"value": unit.name},
        _("Kind: %(value)s") % {"value": unit.get_kind_display()},
    ]
    if unit.parent_id:
        lines.append(_("Under: %(value)s") % {"value": unit.parent.name})
    if unit.bloc_id:
        lines.append(_("Emulation bloc: %(value)s") % {"value": unit.bloc.name})
    lines += [_("Functions and duties:"), "…"]
    return "\n".join(lines)


def _unit_achievements(unit: Unit, year: int) -> str:
    results = _target_results(unit, year)
    lines = [_("Results against the targets registered for %(year)s:") % {"year": year}]
    for target, result in results:
        measure = target.indicator.measure
        if result is None or result["actual"] is None:
            outcome = _("no result reported yet")
        else:
            outcome = _("result %(actual)s %(measure)s") % {
                "actual": formats.number_format(result["actual"], decimal_pos=None),
                "measure": measure,
            }
            if result["ratio"] is not None:
                outcome += f" ({round(result['ratio'] * 100)} %)"
        lines.append(
            f"- {target.indicator.name}: "
            + _("target %(value)s %(measure)s")
            % {"value": formats.number_format(target.value), "measure": measure}
            + f"; {outcome}"
        )
    if not results:
        lines.append(_("(no registration for this year)"))
    return "\n".join(lines)


# --- Nominations -----------------------------------------------------------------------------


def nominations_visible_to(user, roles: Roles) -> QuerySet[Nomination]:
    """The nominations a user may read: their units', and the board's once in review."""
    nominations = Nomination.objects.all()
    if roles.is_admin or roles.is_secretary:
        return nominations
    visible = Q(proposing_unit_id__in=roles.officer_unit_ids | roles.head_unit_ids)
    for path in roles.head_paths:
        visible |= Q(proposing_unit__path__startswith=path)
    if roles.is_board_member:
        visible |= Q(status__in=Nomination.WITH_THE_BOARD)
    if not (roles.is_unit_member or roles.is_board_member):
        return nominations.none()
    return nominations.filter(visible)


SORTS = {
    "newest": ["-submitted_at", "-created_at"],
    "oldest": ["submitted_at", "created_at"],
    "award": ["award_type__order", "year", "nominee_name"],
    "unit": ["proposing_unit__name", "nominee_name"],
    "nominee": ["nominee_name", "award_type__order"],
    "eligibility": ["eligibility_outcome", "-submitted_at"],
    "reviews": ["reviews_done", "-submitted_at"],
}


def nomination_list(
    *,
    user,
    roles: Roles,
    award_code: str = "",
    unit_code: str = "",
    status: str = "",
    eligibility: str = "",
    year: int | None = None,
    query: str = "",
    review_state: str = "",
    sort: str = "newest",
) -> QuerySet[Nomination]:
    nominations = (
        nominations_visible_to(user, roles)
        .select_related("award_type", "person", "unit", "proposing_unit")
        .annotate(
            nominee_name=Coalesce("person__full_name", "unit__name"),
            reviews_done=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
            supports=Count(
                "reviews", filter=Q(reviews__recommendation=Review.Recommendation.SUPPORT)
            ),
            conflicts=Count("reviews", filter=Q(reviews__conflict_of_interest=True)),
            my_review=Exists(
                Review.objects.filter(
                    nomination=OuterRef("pk"), member=user, submitted_at__isnull=False
                )
            ),
            my_conflict=Exists(
                Review.objects.filter(
                    nomination=OuterRef("pk"), member=user, conflict_of_interest=True
                )
            ),
        )
    )
    if award_code:
        nominations = nominations.filter(award_type__code=award_code)
    if unit_code:
        nominations = nominations.filter(proposing_unit__code=unit_code)
    if status:
        nominations = nominations.filter(status=status)
    if eligibility:
        nominations = nominations.filter(eligibility_outcome=eligibility)
    if year:
        nominations = nominations.filter(year=year)
    if query:
        nominations = nominations.filter(
            Q(person__full_name__icontains=query)
            | Q(unit__name__icontains=query)
            | Q(proposing_unit__name__icontains=query)
            | Q(proposing_unit__code__icontains=query)
        )
    if review_state == "todo":
        nominations = nominations.filter(
            status=Nomination.Status.IN_REVIEW, my_review=False, my_conflict=False
        )
        if getattr(user, "pk", None):
            nominations = nominations.exclude(person__user=user)
    elif review_state == "done":
        nominations = nominations.filter(my_review=True)
    elif review_state == "conflict":
        nominations = nominations.filter(my_conflict=True)
    return nominations.order_by(*SORTS.get(sort, SORTS["newest"]), "-pk")


def units_with_nominations(nominations: QuerySet[Nomination]) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=nominations.order_by().values("proposing_unit_id")).order_by(
        "name"
    )


def nomination_detail(*, pk: int) -> Nomination:
    return (
        Nomination.objects.select_related(
            "award_type",
            "person",
            "person__unit",
            "person__user",
            "unit",
            "unit__bloc",
            "proposing_unit",
            "created_by",
            "decision",
            "publication",
        )
        .prefetch_related(
            # Only closed ballots: a count never shows while its ballot is open.
            Prefetch(
                "tallies",
                queryset=VoteTally.objects.filter(meeting__status=Meeting.Status.CLOSED)
                .select_related("meeting")
                .order_by("meeting__held_on", "pk"),
                to_attr="closed_tallies",
            ),
            Prefetch(
                "publication__comments",
                queryset=PublicComment.objects.select_related("moderated_by").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "attachments",
                queryset=NominationAttachment.objects.select_related("uploaded_by").order_by(
                    "kind", "uploaded_at"
                ),
            ),
            Prefetch("initiatives", queryset=Initiative.objects.order_by("recognised_on")),
            Prefetch("steps", queryset=NominationStep.objects.select_related("actor")),
            Prefetch("reviews", queryset=Review.objects.select_related("member")),
        )
        .get(pk=pk)
    )


def spare_initiatives(nomination: Nomination) -> list[Initiative]:
    """The nominee's initiatives that no nomination relies on yet (candidates to attach)."""
    owner = _owner(person=nomination.person, unit=nomination.unit)
    return list(Initiative.objects.filter(**owner, used_by__isnull=True).order_by("-recognised_on"))


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool


def dossier_checklist(nomination: Nomination) -> list[ChecklistItem]:
    """What the secretary checks for a complete dossier (uses the prefetched attachments)."""
    kinds = {attachment.kind for attachment in nomination.attachments.all()}
    kind = NominationAttachment.Kind
    items = [
        ChecklistItem(_("Background section written"), bool(nomination.report_background.strip())),
        ChecklistItem(
            _("Achievements section written"), bool(nomination.report_achievements.strip())
        ),
        ChecklistItem(_("Cover letter (tờ trình) attached"), kind.COVER_LETTER in kinds),
        ChecklistItem(_("Minutes with the vote (biên bản) attached"), kind.MINUTES in kinds),
    ]
    if nomination.initiatives.all():
        items.append(
            ChecklistItem(_("Proof of the initiatives attached"), kind.INITIATIVE_PROOF in kinds)
        )
    if nomination.eligibility_outcome == Nomination.Eligibility.NOT_MET:
        items.append(
            ChecklistItem(
                _("Justification for the failed rule written"),
                bool(nomination.justification.strip()),
            )
        )
    return items


def nominee_user_id(nomination: Nomination) -> int | None:
    return nomination.person.user_id if nomination.person_id else None


def reviewers_pending(nomination: Nomination, members: list[User]) -> list[User]:
    """Council members who have neither reviewed nor stood aside (the nominee stands aside)."""
    settled = {
        review.member_id
        for review in nomination.reviews.all()
        if review.submitted_at or review.conflict_of_interest
    }
    nominee = nominee_user_id(nomination)
    return [member for member in members if member.pk not in settled and member.pk != nominee]


# --- Record pages ----------------------------------------------------------------------------


def person_detail(*, code: str) -> Person:
    return Person.objects.select_related("unit", "user").get(code=code)


def unit_people(unit: Unit) -> QuerySet[Person]:
    return Person.objects.filter(unit=unit, active=True).order_by("full_name")


# --- The council and its meetings --------------------------------------------------------------


def _seat_order(seats: list[CouncilMember]) -> list[CouncilMember]:
    return sorted(
        seats,
        key=lambda seat: (
            CouncilMember.ROLE_ORDER.get(seat.role, 99),
            seat.user.full_name or seat.user.username,
        ),
    )


def council_list() -> QuerySet[Council]:
    return Council.objects.annotate(seat_count=Count("members")).order_by("-term_start", "-pk")


def council_detail(*, pk: int) -> Council:
    return Council.objects.prefetch_related(
        Prefetch("members", queryset=CouncilMember.objects.select_related("user"))
    ).get(pk=pk)


def council_seats(council: Council, *, day: datetime.date | None = None) -> list[CouncilMember]:
    """The council's seats (from the prefetch), in the order of the roles; only those
    active on `day` when given."""
    seats = list(council.members.all())
    if day is not None:
        seats = [seat for seat in seats if seat.is_active_on(day)]
    return _seat_order(seats)


def meeting_seats(meeting: Meeting) -> QuerySet[CouncilMember]:
    """The members seated on the meeting's council on the meeting day: all of them count."""
    return (
        CouncilMember.objects.active_on(meeting.held_on)
        .filter(council_id=meeting.council_id, user__is_active=True)
        .select_related("user")
    )


def meeting_list(*, user, roles: Roles) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("council").annotate(
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
    if not (roles.is_secretary or roles.is_admin or roles.is_board_member):
        meetings = meetings.filter(attends=True)
    return meetings.order_by("-held_on", "-pk")


def _agenda_queryset() -> QuerySet[VoteTally]:
    return VoteTally.objects.select_related(
        "nomination__award_type",
        "nomination__person",
        "nomination__unit",
        "nomination__proposing_unit",
    ).order_by(
        "nomination__award_type__order",
        "nomination__person__full_name",
        "nomination__unit__name",
        "pk",
    )


def meeting_detail(*, pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("council", "created_by")
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


def agenda_candidates() -> QuerySet[Nomination]:
    """Nominations the board has reviewed and that wait for a meeting."""
    return (
        Nomination.objects.filter(status=Nomination.Status.IN_REVIEW)
        .select_related("award_type", "person", "unit", "proposing_unit")
        .annotate(
            nominee_name=Coalesce("person__full_name", "unit__name"),
            reviews_done=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
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

    @property
    def nomination(self) -> Nomination:
        return self.tally.nomination

    @property
    def approved(self) -> bool:
        return self.tally.outcome == self.tally.Outcome.APPROVED


def threshold_label(award: AwardType) -> str:
    if award.ballot_threshold_percent is not None:
        return _("at least %(percent)s%% of all members") % {
            "percent": award.ballot_threshold_percent
        }
    return _("more than %(percent)s%% of all members") % {
        "percent": settings.COUNCIL_MAJORITY_PERCENT
    }


def meeting_results(meeting: Meeting) -> list[ResultRow]:
    """The counts of a closed ballot (from the prefetched agenda). Before the ballot closes
    they exist only in the database and no page may show them: this refuses."""
    if meeting.status != Meeting.Status.CLOSED:
        raise ValueError("the counts of a ballot are shown only once it is closed")
    size = meeting.council_size or 0
    return [
        ResultRow(
            tally=tally,
            council_size=size,
            threshold=threshold_label(tally.nomination.award_type),
            not_voting=size - tally.approvals - tally.disapprovals,
        )
        for tally in meeting.tallies.all()
    ]


# --- Publicity ---------------------------------------------------------------------------------


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


# --- Decisions ---------------------------------------------------------------------------------


def decidable_nominations(*, kind: str) -> QuerySet[Nomination]:
    """Approved nominations a decision (or, for higher awards, a forwarding) can settle: no
    publicity required, or their publicity window closed."""
    forwarded = [AwardType.DecidedBy.PRIME_MINISTER, AwardType.DecidedBy.PRESIDENT]
    nominations = Nomination.objects.filter(
        Q(status=Nomination.Status.APPROVED, award_type__publicity_working_days=0)
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


def unit_people_to_tell(unit: Unit) -> QuerySet[User]:
    """The officers and heads of a unit, each once."""
    return User.objects.filter(is_active=True, memberships__unit=unit).distinct().order_by("pk")
