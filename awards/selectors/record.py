"""The nominee's record: what the eligibility rules read, the history on the record pages and
the achievement report's prefill."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from awards.eligibility import (
    AT_LEAST_CSTDCS,
    AT_LEAST_LDTT,
    BlocStandingFact,
    GrantFact,
    InitiativeFact,
    MatterFact,
    MembersFact,
    ProgressFact,
    RatingFact,
    Record,
    RegistrationFact,
)
from awards.models import (
    AwardGrant,
    Initiative,
    Nomination,
    OpenMatter,
    PersonOrUnit,
    TaskRating,
)
from awards.selectors.catalogue import award_short_names
from campaigns.models import Indicator, Registration, Target
from campaigns.selectors import indicator_rollups
from units.models import Person, Unit

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


def unit_staff_of_year(unit: Unit, year: int) -> list[int]:
    """The ids of the unit's staff for the year, not today's roster.

    A person belongs to the staff of the year when the roster's history (`Person.history`)
    places them in the unit, active, on 31 December of that year. The roster has no membership
    dates of its own, and a person's current unit says nothing about a past year: someone who
    moved in since would count, someone who left would not. Where the history does not reach
    back that far (a roster loaded after the year), the task rating stands for it: a person
    rated for the year and in the unit at the earliest history known counts.
    """
    year_end = timezone.make_aware(
        datetime.datetime.combine(datetime.date(year, 12, 31), datetime.time.max)
    )
    History = Person.history.model
    candidates = set(Person.objects.filter(unit=unit).values_list("pk", flat=True)) | set(
        History.objects.filter(unit=unit).values_list("id", flat=True)
    )
    if not candidates:
        return []
    rated = set(
        TaskRating.objects.filter(person_id__in=candidates, year=year).values_list(
            "person_id", flat=True
        )
    )
    at_year_end: dict[int, tuple] = {}
    earliest: dict[int, tuple] = {}
    for person_id, unit_id, active, kind, when in (
        History.objects.filter(id__in=candidates)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "unit_id", "active", "history_type", "history_date")
    ):
        earliest.setdefault(person_id, (unit_id, active, kind))
        if when <= year_end:
            at_year_end[person_id] = (unit_id, active, kind)
    current = dict(Person.objects.filter(pk__in=candidates).values_list("pk", "unit_id"))
    staff = []
    for person_id in sorted(candidates):
        if person_id in at_year_end:
            unit_id, active, kind = at_year_end[person_id]
            if unit_id == unit.pk and active and kind != "-":
                staff.append(person_id)
        elif person_id in rated:
            unit_id, _active, _kind = earliest.get(person_id, (current.get(person_id), True, ""))
            if unit_id == unit.pk:
                staff.append(person_id)
    return staff


def _unit_members(unit: Unit, year: int) -> MembersFact:
    people = unit_staff_of_year(unit, year)
    serious = list(TaskRating.DisciplineLevel.values)[
        TaskRating.severity(TaskRating.DisciplineLevel.WARNING) :
    ]
    ratings = TaskRating.objects.filter(person_id__in=people, year=year).aggregate(
        rated=Count("pk"),
        completed=Count("pk", filter=~Q(rating=TaskRating.Rating.NOT_COMPLETED)),
        disciplined_serious=Count("pk", filter=Q(disciplined=True, discipline_level__in=serious)),
    )
    # A member holding a higher individual title counts for the lower one (a CSTĐCS is LĐTT).
    titles = AwardGrant.objects.filter(person_id__in=people, year=year).aggregate(
        ldtt=Count("person", filter=Q(award_type__code__in=AT_LEAST_LDTT), distinct=True),
        cstdcs=Count("person", filter=Q(award_type__code__in=AT_LEAST_CSTDCS), distinct=True),
    )
    return MembersFact(total=len(people), **ratings, **titles)


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
    met = exceeded = unreported = 0
    for target, result in results:
        # The uncapped result against the target: the dashboard's ratio stops at 100 %.
        actual = result["actual"] if result else None
        goal = result["target"] if result and result["target"] is not None else target.value
        if actual is None or goal is None:
            unreported += 1
            continue
        if target.indicator.direction == Indicator.Direction.LOWER:
            met += actual <= goal
            exceeded += actual < goal
        else:
            met += actual >= goal
            exceeded += actual > goal
    return ProgressFact(
        targets_met=met,
        targets_total=len(results),
        targets_exceeded=exceeded,
        unreported=unreported,
    )


# The standing of a unit in its emulation bloc (rank, the bloc's proposals) is kept by the
# blocs app, which builds on this one: it registers its answer at start-up (BlocsConfig.ready).
BlocStandingProvider = Callable[[Unit, int], BlocStandingFact | None]
_bloc_standing_provider: BlocStandingProvider | None = None


def register_bloc_standing_provider(provider: BlocStandingProvider) -> None:
    """Let the app that keeps the blocs' rankings tell the rule "leads its emulation bloc"."""
    global _bloc_standing_provider
    _bloc_standing_provider = provider


def nominee_record(
    *,
    person: Person | None = None,
    unit: Unit | None = None,
    year: int,
    nomination_id: int | None = None,
) -> Record:
    """Everything the eligibility rules read about a nominee, in a fixed number of queries."""
    owner = PersonOrUnit.owned_by(person=person, unit=unit)
    ratings = {
        rating.year: RatingFact(
            year=rating.year,
            rating=rating.rating,
            disciplined=rating.disciplined,
            discipline_level=rating.discipline_level,
        )
        for rating in TaskRating.objects.filter(owner)
    }
    grants = tuple(
        GrantFact(year=grant_year, award_code=code)
        for grant_year, code in AwardGrant.objects.filter(owner).values_list(
            "year", "award_type__code"
        )
    )
    relied, spare = [], []
    for item in Initiative.objects.filter(owner).filter(
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
        Nomination.objects.filter(owner, status__in=LIVE_STATUSES)
        .exclude(pk=nomination_id)
        .values_list("award_type__code", "year")
    )
    matters = tuple(
        MatterFact(kind=kind, opened_on=opened_on, closed_on=closed_on, summary=summary)
        for kind, opened_on, closed_on, summary in OpenMatter.objects.filter(owner)
        .order_by("opened_on", "pk")
        .values_list("kind", "opened_on", "closed_on", "summary")
    )
    members = registration = progress = bloc_standing = None
    bloc = ""
    if unit is not None:
        members = _unit_members(unit, year)
        registration = _unit_registration(unit, year)
        progress = unit_progress(unit, year)
        bloc = unit.bloc.name if unit.bloc_id else ""
        if _bloc_standing_provider is not None:
            bloc_standing = _bloc_standing_provider(unit, year)
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
        bloc_standing=bloc_standing,
        registration=registration,
        progress=progress,
        matters=matters,
        award_names=award_short_names(),
    )


@dataclass(frozen=True)
class NomineeHistory:
    ratings: list[TaskRating]
    initiatives: list[Initiative]
    grants: list[AwardGrant]
    matters: list[OpenMatter]


def nominee_history(*, person: Person | None = None, unit: Unit | None = None) -> NomineeHistory:
    owner = PersonOrUnit.owned_by(person=person, unit=unit)
    return NomineeHistory(
        ratings=list(TaskRating.objects.filter(owner).order_by("-year")),
        initiatives=list(
            Initiative.objects.filter(owner)
            .select_related("used_by__award_type")
            .order_by("-recognised_on")
        ),
        grants=list(
            AwardGrant.objects.filter(owner)
            .select_related("award_type")
            .order_by("-year", "award_type__order")
        ),
        matters=list(OpenMatter.objects.filter(owner).order_by("-opened_on", "-pk")),
    )


# --- Record pages ----------------------------------------------------------------------------


def person_detail(*, code: str) -> Person:
    return Person.objects.select_related("unit", "user").get(code=code)


def unit_detail(*, code: str) -> Unit:
    return Unit.objects.select_related("bloc", "parent").get(code=code)


def unit_people(unit: Unit) -> QuerySet[Person]:
    return Person.objects.filter(unit=unit, active=True).order_by("full_name")


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
    owner = PersonOrUnit.owned_by(person=person, unit=unit)
    grants = AwardGrant.objects.filter(owner).select_related("award_type").order_by("year")
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


def open_matter_exists() -> Exists:
    """Whether the nominee of the outer nomination has a matter still open."""
    return Exists(
        OpenMatter.objects.filter(closed_on__isnull=True).filter(
            Q(person_id=OuterRef("person_id"), person__isnull=False)
            | Q(unit_id=OuterRef("unit_id"), unit__isnull=False)
        )
    )
