"""Self-scoring, the cross-check and the published ranking."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from blocs import indicators
from blocs.models import BlocYear, Criterion, RankEntry, Score, Scoring
from blocs.selectors.ranking import ranking
from blocs.services.handovers import (
    ranking_tell_members,
    scoring_tell_checker_submitted,
    scoring_tell_unit_returned,
)
from blocs.services.years import guard_not_published, lock_year
from units.models import Unit, User

ZERO = Decimal(0)


def points_text(value: Decimal) -> str:
    """40.00 → "40", 7.50 → "7,5" (Vietnamese) or "7.5"."""
    if value == value.to_integral_value():
        return formats.number_format(value.quantize(Decimal(1)))
    return formats.number_format(value.normalize())


def _lock(scoring: Scoring) -> Scoring:
    return Scoring.objects.select_for_update().select_related("bloc_year").get(pk=scoring.pk)


def _guard_deadline(scoring: Scoring) -> None:
    """A draft cannot change after the deadline; a returned scoring can be corrected."""
    deadline = scoring.bloc_year.scoring_deadline
    if (
        deadline is not None
        and scoring.status == Scoring.Status.DRAFT
        and timezone.localdate() > deadline
    ):
        raise ValidationError(
            _("The deadline for self-scoring was %(day)s: the scoring no longer changes.")
            % {"day": formats.date_format(deadline, "SHORT_DATE_FORMAT")},
            code="deadline",
        )


def _guard_editable(scoring: Scoring) -> None:
    if not scoring.is_editable:
        raise ValidationError(
            _("This scoring is %(status)s: it no longer changes.")
            % {"status": scoring.get_status_display().lower()},
            code="status",
        )
    _guard_deadline(scoring)


def _check_points(criterion: Criterion, points: Decimal | None, field: str = "points") -> None:
    if points is None:
        return
    if points < 0:
        raise ValidationError({field: _("Points are 0 or more.")}, code="negative")
    if points > criterion.max_points:
        raise ValidationError(
            {
                field: _("At most %(max)s points for “%(criterion)s”.")
                % {"max": points_text(criterion.max_points), "criterion": criterion.title}
            },
            code="above_max",
        )


@transaction.atomic
def scoring_start(*, bloc_year: BlocYear, unit: Unit) -> Scoring:
    """The unit's scoring of the year with a score per criterion (created on first visit)."""
    if not bloc_year.members.filter(unit=unit).exists():
        raise ValidationError(_("Only a member unit scores itself."), code="member")
    scoring, _created = Scoring.objects.get_or_create(bloc_year=bloc_year, unit=unit)
    have = set(scoring.scores.values_list("criterion_id", flat=True))
    Score.objects.bulk_create(
        Score(scoring=scoring, criterion=criterion)
        for criterion in Criterion.objects.filter(group__bloc_year=bloc_year).exclude(pk__in=have)
    )
    return scoring


def refresh_computed(scoring: Scoring) -> None:
    """Fill the computed criteria from the app's figures, within 0 and their maximum."""
    for score in scoring.scores.select_related("criterion").filter(
        criterion__kind=Criterion.Kind.COMPUTED
    ):
        value = indicators.evaluate(
            score.criterion.formula, unit=scoring.unit, bloc_year=scoring.bloc_year
        )
        value = max(ZERO, min(value, score.criterion.max_points)).quantize(Decimal("0.01"))
        if score.points != value:
            score.points = value
            score.save(update_fields=["points"])


@transaction.atomic
def score_save(*, score: Score, points: Decimal | None, evidence: str, actor: User | None) -> Score:
    """Autosave of one criterion of the unit's own scoring."""
    scoring = _lock(score.scoring)
    _guard_editable(scoring)
    criterion = score.criterion
    if criterion.is_computed:
        raise ValidationError(
            {"points": _("This criterion is computed from the app's figures.")}, code="computed"
        )
    _check_points(criterion, points)
    score.points = points
    score.evidence = evidence.strip()
    score._history_user = actor
    score.save()
    return score


@transaction.atomic
def scoring_submit(*, scoring: Scoring, actor: User | None) -> Scoring:
    scoring = _lock(scoring)
    _guard_editable(scoring)
    refresh_computed(scoring)
    missing, no_evidence = [], []
    for score in scoring.scores.select_related("criterion"):
        criterion = score.criterion
        if criterion.kind in (Criterion.Kind.BONUS, Criterion.Kind.PENALTY):
            continue
        if score.points is None:
            missing.append(criterion.title)
        elif criterion.kind == Criterion.Kind.MANUAL and score.points > 0 and not score.evidence:
            no_evidence.append(criterion.title)
    if missing:
        raise ValidationError(
            _("Score every criterion first: %(list)s.") % {"list": "; ".join(missing)},
            code="missing",
        )
    if no_evidence:
        raise ValidationError(
            _("Give the evidence of: %(list)s.") % {"list": "; ".join(no_evidence)}, code="evidence"
        )
    scoring.status = Scoring.Status.SUBMITTED
    scoring.submitted_at = timezone.now()
    scoring.return_reason = ""
    scoring._history_user = actor
    scoring.save()
    scoring_tell_checker_submitted(scoring=scoring, actor=actor)
    return scoring


def _guard_checking(scoring: Scoring) -> None:
    guard_not_published(scoring.bloc_year)
    if scoring.status != Scoring.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted scoring is cross-checked."), code="status")


@transaction.atomic
def scoring_return(*, scoring: Scoring, reason: str, actor: User | None) -> Scoring:
    scoring = _lock(scoring)
    _guard_checking(scoring)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the scoring goes back to the unit.")})
    scoring.status = Scoring.Status.RETURNED
    scoring.return_reason = reason.strip()
    scoring._history_user = actor
    scoring.save()
    scoring_tell_unit_returned(scoring=scoring, actor=actor)
    return scoring


@transaction.atomic
def score_check(
    *, score: Score, checked_points: Decimal | None, reason: str, actor: User | None
) -> Score:
    """The cross-checker's points for one criterion; a change needs a reason, shown to the
    unit. The unit's own points and evidence stay as they were."""
    scoring = _lock(score.scoring)
    _guard_checking(scoring)
    criterion = score.criterion
    _check_points(criterion, checked_points, "checked_points")
    if checked_points is None or checked_points == score.points:
        score.checked_points, score.check_reason, score.checked_by = None, "", None
    else:
        if not reason.strip():
            raise ValidationError(
                {"reason": _("Give the reason for changing the unit's score.")}, code="reason"
            )
        score.checked_points = checked_points
        score.check_reason = reason.strip()
        score.checked_by = actor
    score._history_user = actor
    score.save()
    return score


@transaction.atomic
def scoring_confirm(*, scoring: Scoring, actor: User | None) -> Scoring:
    scoring = _lock(scoring)
    _guard_checking(scoring)
    scoring.status = Scoring.Status.CHECKED
    scoring.checked_at = timezone.now()
    scoring.checked_by = actor
    scoring._history_user = actor
    scoring.save()
    return scoring


@transaction.atomic
def ranking_publish(*, bloc_year: BlocYear, actor: User | None) -> list[RankEntry]:
    bloc_year = lock_year(bloc_year)
    guard_not_published(bloc_year)
    if bloc_year.scorings.filter(status=Scoring.Status.SUBMITTED).exists():
        raise ValidationError(
            _("Cross-check every submitted scoring before publishing the ranking."), code="pending"
        )
    sheets = ranking(bloc_year)
    if not sheets:
        raise ValidationError(_("No scoring has been cross-checked yet."), code="empty")
    entries = RankEntry.objects.bulk_create(
        RankEntry(
            bloc_year=bloc_year,
            unit=sheet.unit,
            rank=sheet.rank,
            total=sheet.total,
            penalty=sheet.penalty,
        )
        for sheet in sheets
    )
    bloc_year.ranking_published_at = timezone.now()
    bloc_year.ranking_published_by = actor
    bloc_year._history_user = actor
    bloc_year.save()
    ranking_tell_members(bloc_year=bloc_year, actor=actor)
    return entries
