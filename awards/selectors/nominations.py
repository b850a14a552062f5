"""Nominations: who reads which, the list, a nomination's page and its dossier, and the
eligibility evaluated on the nominee's record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.eligibility import Evaluation, evaluate
from awards.models import (
    Initiative,
    Meeting,
    Nomination,
    NominationAttachment,
    NominationStep,
    PersonOrUnit,
    PublicComment,
    Review,
    VoteTally,
)
from awards.selectors.record import nominee_record
from units.models import Person, Unit, User
from units.roles import Roles


def _comment_count(statuses, nomination_ref: str) -> Coalesce:
    """How many public comments on the nomination's publication have one of `statuses`."""
    counted = (
        PublicComment.objects.filter(
            publication__nomination=OuterRef(nomination_ref), status__in=list(statuses)
        )
        .order_by()
        .values("publication")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_comment_counts(rows: QuerySet, nomination_ref: str = "pk") -> QuerySet:
    """`comments_shown` (approved by the secretary) and `comments_held` (awaiting moderation
    or hidden): what the public said, for those who decide (NĐ 152/2025 Art 44.2).
    `nomination_ref` names the nomination's id in the rows (a nomination's "pk", an agenda
    item's "nomination_id")."""
    held = [PublicComment.Status.PENDING, PublicComment.Status.HIDDEN]
    return rows.annotate(
        comments_shown=_comment_count([PublicComment.Status.APPROVED], nomination_ref),
        comments_held=_comment_count(held, nomination_ref),
    )


def shown_comments() -> Prefetch:
    """The approved comments of a nomination's publication, as `publication.shown_comments`."""
    return Prefetch(
        "comments",
        queryset=PublicComment.objects.filter(status=PublicComment.Status.APPROVED).order_by(
            "created_at", "pk"
        ),
        to_attr="shown_comments",
    )


def nomination_evaluate(nomination: Nomination) -> Evaluation:
    record = nominee_record(
        person=nomination.person,
        unit=nomination.unit,
        year=nomination.year,
        nomination_id=nomination.pk,
    )
    # The rules in force on the day of submission; today for a draft.
    submitted = nomination.submitted_at
    return evaluate(
        record,
        rule_codes=nomination.award_type.rule_codes,
        rule_params=nomination.award_type.rule_params,
        on=timezone.localdate(submitted) if submitted else timezone.localdate(),
    )


def nominations_visible_to(user, roles: Roles) -> QuerySet[Nomination]:
    """The nominations a user may read: their units', and each council's once in its review
    (the Ministry's board the Ministry's, a unit's council its unit's: Law 2022 Art 80)."""
    nominations = Nomination.objects.all()
    if roles.is_admin or roles.is_secretary:
        return nominations
    visible = Q(proposing_unit_id__in=roles.officer_unit_ids | roles.head_unit_ids)
    for path in roles.head_paths:
        visible |= Q(proposing_unit__path__startswith=path)
    # A unit's secretary screens what its level decides; its head decides it.
    visible |= Q(deciding_unit_id__in=roles.secretary_unit_ids | roles.head_unit_ids)
    with_the_board = Q(status__in=Nomination.WITH_THE_BOARD)
    if roles.is_board_member:
        visible |= with_the_board & Q(deciding_unit__isnull=True)
    if roles.council_unit_ids:
        visible |= with_the_board & Q(deciding_unit_id__in=roles.council_unit_ids)
    if not (
        roles.is_unit_member
        or roles.is_board_member
        or roles.on_a_unit_council
        or roles.secretary_unit_ids
    ):
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
    nominations = with_comment_counts(
        nominations_visible_to(user, roles)
        .select_related("award_type", "person", "unit", "proposing_unit", "publication")
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
            status__in=Nomination.IN_THE_BOARDS_REVIEW, my_review=False, my_conflict=False
        )
        if getattr(user, "pk", None):
            nominations = nominations.exclude(person__user=user)
    elif review_state == "done":
        nominations = nominations.filter(my_review=True)
    elif review_state == "conflict":
        nominations = nominations.filter(my_conflict=True)
    return nominations.order_by(*SORTS.get(sort, SORTS["newest"]), "-pk")


def nominee_nominations(
    *, user, roles: Roles, person: Person | None = None, unit: Unit | None = None
) -> QuerySet[Nomination]:
    """The nominations of a person or a unit that the user may read, for their record page."""
    return (
        nominations_visible_to(user, roles)
        .filter(PersonOrUnit.owned_by(person=person, unit=unit))
        .select_related("award_type", "proposing_unit")
        .order_by("-year", "award_type__order")
    )


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
            "deciding_unit",
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
                queryset=PublicComment.objects.select_related("moderated_by")
                .prefetch_related("matters")
                .order_by("created_at", "pk"),
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
    owner = PersonOrUnit.owned_by(person=nomination.person, unit=nomination.unit)
    return list(Initiative.objects.filter(owner, used_by__isnull=True).order_by("-recognised_on"))


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    # Not done, but no bar to accepting the dossier: a section still holding only the
    # template's headings and placeholders (the secretary judges; an empty one is a bar).
    advisory: bool = False


PLACEHOLDERS = {"…", "...", "-", "—"}


def section_written(text: str) -> bool:
    """A section of the report is written when a line says something: not only the template's
    headings ("1. Duties assigned:") and placeholders ("…", "Hometown: …")."""
    for line in text.splitlines():
        line = line.strip()
        _label, colon, value = line.rpartition(":")
        if colon:
            line = value.strip()
        if line and line not in PLACEHOLDERS:
            return True
    return False


def _section_item(label, text: str) -> ChecklistItem:
    if section_written(text):
        return ChecklistItem(label, True)
    if text.strip():
        return ChecklistItem(
            _("%(item)s: only the template's headings so far") % {"item": label},
            False,
            advisory=True,
        )
    return ChecklistItem(label, False)


def dossier_checklist(nomination: Nomination) -> list[ChecklistItem]:
    """What the secretary checks for a complete dossier (uses the prefetched attachments)."""
    kinds = {attachment.kind for attachment in nomination.attachments.all()}
    kind = NominationAttachment.Kind
    items = [
        _section_item(_("Background section written"), nomination.report_background),
        _section_item(_("Achievements section written"), nomination.report_achievements),
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


def unit_people_to_tell(unit: Unit) -> QuerySet[User]:
    """The officers and heads of a unit, each once."""
    return User.objects.filter(is_active=True, memberships__unit=unit).distinct().order_by("pk")
