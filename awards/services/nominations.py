"""A nomination from its draft to the board's review: drafting and the dossier, the unit's
steps, the secretary's screening and the members' reviews."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardType, Initiative, Nomination, NominationAttachment, Review
from awards.selectors.levels import deciding_unit_for
from awards.selectors.nominations import dossier_checklist
from awards.selectors.record import report_prefill
from awards.services._steps import (
    Status,
    evaluate,
    field_error,
    guard,
    lock,
    log_step,
    move,
    release_initiatives,
    save,
)
from awards.services.notices import (
    nomination_tell_heads_drafted,
    nomination_tell_secretary_submitted,
    nomination_tell_unit_returned,
)
from awards.services.publicity import _publicity_days, publication_schedule, publication_withdraw
from config.errors import StaleEdit
from config.uploads import check_upload
from config.workdays import add_working_days
from units.models import Person, Unit, User


def _check_award_fits(award_type: AwardType, *, person: Person | None) -> None:
    if not award_type.active:
        raise field_error("award_type", _("This award is no longer offered."), "inactive")
    if person is not None and not award_type.for_individuals:
        raise field_error(
            "award_type", _("This award is for collectives, not individuals."), "recipient"
        )
    if person is None and not award_type.for_collectives:
        raise field_error(
            "award_type", _("This award is for individuals, not collectives."), "recipient"
        )


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year:
        raise field_error(
            "year",
            _("Give a year from 2000 to %(year)s.") % {"year": timezone.localdate().year},
            "year",
        )


def _check_unique(
    *, person: Person | None, unit: Unit | None, award_type: AwardType, year: int, exclude=None
) -> None:
    others = Nomination.objects.filter(
        Nomination.owned_by(person=person, unit=unit), award_type=award_type, year=year
    ).exclude(status__in=Nomination.CLOSED_WITHOUT_AWARD)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ValidationError(
            _("There is already a nomination of this nominee for %(award)s %(year)s.")
            % {"award": award_type.short_name, "year": year},
            code="duplicate",
        )


def _save_unique(nomination: Nomination, actor: User | None) -> None:
    # The check above answers clearly; the database constraint settles a race between two.
    try:
        with transaction.atomic():
            save(nomination, actor)
    except IntegrityError:
        raise ValidationError(
            _("There is already a nomination of this nominee for %(award)s %(year)s.")
            % {"award": nomination.award_type.short_name, "year": nomination.year},
            code="duplicate",
        ) from None


# --- Drafting ------------------------------------------------------------------------------


def nomination_check_new(
    *,
    proposing_unit: Unit,
    award_type: AwardType,
    year: int,
    person: Person | None,
    unit: Unit | None,
) -> None:
    """Refuses a nomination that cannot be drafted (also used by the admin's add form)."""
    if (person is None) == (unit is None):
        raise ValidationError(_("Nominate either a person or the unit."), code="nominee")
    if person is not None and person.unit_id != proposing_unit.pk:
        raise ValidationError(_("A unit nominates only its own people."), code="nominee")
    if unit is not None and unit.pk != proposing_unit.pk:
        raise ValidationError(_("A unit nominates only itself as a collective."), code="nominee")
    _check_award_fits(award_type, person=person)
    _check_year(year)
    _check_unique(person=person, unit=unit, award_type=award_type, year=year)


@transaction.atomic
def nomination_draft(
    *,
    proposing_unit: Unit,
    award_type: AwardType,
    year: int,
    actor: User | None,
    person: Person | None = None,
    unit: Unit | None = None,
    report_background: str = "",
    report_achievements: str = "",
    report_awards: str = "",
) -> Nomination:
    """Create a draft for a person of the proposing unit or for the unit itself.

    Empty sections of the achievement report are prefilled from the record, and eligibility
    is evaluated at once.
    """
    nomination_check_new(
        proposing_unit=proposing_unit, award_type=award_type, year=year, person=person, unit=unit
    )
    prefill = report_prefill(person=person, unit=unit, year=year)
    nomination = Nomination(
        person=person,
        unit=unit,
        award_type=award_type,
        year=year,
        proposing_unit=proposing_unit,
        report_background=report_background or prefill.background,
        report_achievements=report_achievements or prefill.achievements,
        report_awards=report_awards or prefill.awards,
        created_by=actor,
    )
    evaluate(nomination)
    _save_unique(nomination, actor)
    log_step(nomination, from_status="", actor=actor)
    nomination_tell_heads_drafted(nomination=nomination, actor=actor)
    return nomination


@transaction.atomic
def nomination_update(
    *,
    nomination: Nomination,
    actor: User | None,
    version: int,
    award_type: AwardType,
    year: int,
    report_background: str,
    report_achievements: str,
    report_awards: str,
    justification: str,
) -> Nomination:
    """Save the unit's edits; a stale form (someone saved in between) is refused, not merged."""
    locked = lock(nomination)
    guard(locked, Nomination.EDITABLE)
    if locked.version != version:
        raise StaleEdit(
            locked,
            _(
                "Someone else saved this nomination after you opened it. Your changes were not "
                "saved: reload the page to see the current text."
            ),
        )
    _check_award_fits(award_type, person=locked.person)
    _check_year(year)
    _check_unique(
        person=locked.person, unit=locked.unit, award_type=award_type, year=year, exclude=locked.pk
    )
    locked.award_type = award_type
    locked.year = year
    locked.report_background = report_background
    locked.report_achievements = report_achievements
    locked.report_awards = report_awards
    locked.justification = justification
    locked.version += 1
    evaluate(locked)
    _save_unique(locked, actor)
    return locked


@transaction.atomic
def nomination_attach_initiative(
    *, nomination: Nomination, initiative: Initiative, actor: User | None
) -> Nomination:
    """Rely on one of the nominee's initiatives; one already relied on elsewhere is refused."""
    locked = lock(nomination)
    guard(locked, Nomination.EDITABLE)
    item = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if (item.person_id, item.unit_id) != (locked.person_id, locked.unit_id):
        raise ValidationError(_("This initiative is not the nominee's."), code="owner")
    if item.used_by_id == locked.pk:
        return locked
    if item.used_by_id is not None:
        raise ValidationError(
            _(
                "The initiative “%(title)s” is already relied on by another nomination: an "
                "initiative supports one award only."
            )
            % {"title": item.title},
            code="used",
        )
    item.used_by = locked
    item._history_user = actor
    item.save()
    evaluate(locked)
    save(locked, actor)
    return locked


@transaction.atomic
def nomination_detach_initiative(
    *, nomination: Nomination, initiative: Initiative, actor: User | None
) -> Nomination:
    locked = lock(nomination)
    guard(locked, Nomination.EDITABLE)
    item = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if item.used_by_id == locked.pk:
        item.used_by = None
        item._history_user = actor
        item.save()
        evaluate(locked)
        save(locked, actor)
    return locked


@transaction.atomic
def attachment_add(
    *, nomination: Nomination, kind: str, upload: UploadedFile, actor: User | None
) -> NominationAttachment:
    locked = lock(nomination)
    guard(locked, Nomination.EDITABLE)
    if kind not in NominationAttachment.Kind.values:
        raise field_error("kind", _("Choose what the document is."), "kind")
    checked = check_upload(upload)
    attachment = NominationAttachment(
        nomination=locked,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    attachment.file.save(checked.name, upload, save=False)
    stored = attachment.file.name
    try:
        attachment._history_user = actor
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: NominationAttachment, actor: User | None) -> None:
    locked = lock(attachment.nomination)
    guard(locked, Nomination.EDITABLE)
    storage, name = attachment.file.storage, attachment.file.name
    attachment._history_user = actor
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


# --- The unit's steps --------------------------------------------------------------------


@transaction.atomic
def nomination_submit(
    *, nomination: Nomination, actor: User | None, justification: str | None = None
) -> Nomination:
    """The head submits; a nomination failing a rule needs a written justification."""
    locked = lock(nomination)
    guard(locked, Nomination.EDITABLE)
    if justification is not None:
        locked.justification = justification.strip()
    evaluate(locked)
    missing = []
    if not locked.report_background.strip():
        missing.append(str(Nomination._meta.get_field("report_background").verbose_name))
    if not locked.report_achievements.strip():
        missing.append(str(Nomination._meta.get_field("report_achievements").verbose_name))
    if missing:
        raise ValidationError(
            _("Write these sections of the achievement report first: %(sections)s.")
            % {"sections": ", ".join(missing)},
            code="incomplete",
        )
    if locked.eligibility_outcome == Nomination.Eligibility.NOT_MET and not locked.justification:
        raise field_error(
            "justification",
            _(
                "The nomination fails an eligibility rule: write a justification for the "
                "board to submit it."
            ),
            "justification",
        )
    previous = locked.status
    # Each award goes to its level (Law 2022 Art 80): fixed when the unit submits it.
    locked.deciding_unit = deciding_unit_for(
        award_type=locked.award_type, proposing_unit=locked.proposing_unit
    )
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1
    save(locked, actor)
    log_step(locked, from_status=previous, actor=actor, reason=locked.justification)
    nomination_tell_secretary_submitted(nomination=locked, actor=actor)
    return locked


@transaction.atomic
def nomination_withdraw(
    *, nomination: Nomination, actor: User | None, reason: str = ""
) -> Nomination:
    locked = lock(nomination)
    guard(
        locked,
        (
            Status.DRAFT,
            Status.RETURNED,
            Status.SUBMITTED,
            Status.SCREENING,
            Status.PUBLISHED,
            Status.IN_REVIEW,
        ),
    )
    previous = locked.status
    publication_withdraw(nomination=locked)
    release_initiatives(locked, actor)
    evaluate(locked)
    locked.status = Status.WITHDRAWN
    locked.version += 1
    save(locked, actor)
    log_step(locked, from_status=previous, actor=actor, reason=reason.strip())
    return locked


# --- The secretary's screening ------------------------------------------------------------


@transaction.atomic
def nomination_screening_start(*, nomination: Nomination, actor: User | None) -> Nomination:
    return move(nomination, allowed=[Status.SUBMITTED], to=Status.SCREENING, actor=actor)


def _check_dossier(nomination: Nomination) -> None:
    missing = [
        str(item.label)
        for item in dossier_checklist(nomination)
        if not item.done and not item.advisory
    ]
    if missing:
        raise ValidationError(
            _("The dossier is incomplete: %(items)s. Return it to the unit with a reason.")
            % {"items": "; ".join(missing)},
            code="incomplete",
        )


@transaction.atomic
def nomination_screening_accept(*, nomination: Nomination, actor: User | None) -> Nomination:
    """The dossier is complete: the nomination goes to the board's review and, when its award
    needs publicity, is published for comment from the next working day (NĐ 98/2023 Art 46.2,
    NĐ 152/2025 Art 44.2: before the council meets). The board reviews during the window;
    only the agenda waits for its end."""
    today = timezone.localdate()
    # The terms in force on the day the window would open say whether there is one.
    publicised = _publicity_days(nomination, add_working_days(today, 1)) > 0
    moved = move(
        nomination,
        allowed=[Status.SCREENING],
        to=Status.PUBLISHED if publicised else Status.IN_REVIEW,
        actor=actor,
        check=_check_dossier,
    )
    if publicised:
        publication_schedule(nomination=moved, after=today, actor=actor)
    return moved


@transaction.atomic
def nomination_return(*, nomination: Nomination, actor: User | None, reason: str) -> Nomination:
    """Back to the unit with a reason, which the unit sees at the top of its nomination."""
    if not reason.strip():
        raise field_error("reason", _("Say why the nomination goes back to the unit."), "required")
    returned = move(
        nomination,
        allowed=[Status.SUBMITTED, Status.SCREENING],
        to=Status.RETURNED,
        actor=actor,
        reason=reason.strip(),
    )
    nomination_tell_unit_returned(nomination=returned, actor=actor)
    return returned


# --- The board's review --------------------------------------------------------------------


def _check_reviewer(nomination: Nomination, member: User) -> None:
    if nomination.person_id and nomination.person.user_id == member.pk:
        raise ValidationError(_("A member never reviews a nomination of themselves."), code="self")


@transaction.atomic
def review_declare_conflict(*, nomination: Nomination, actor: User, reason: str) -> Review:
    """The member acting declares a conflict of interest, recorded for good: they stay out of
    this nomination's review."""
    locked = lock(nomination)
    guard(locked, Nomination.IN_THE_BOARDS_REVIEW)
    if not reason.strip():
        raise field_error("conflict_reason", _("Describe the conflict of interest."), "required")
    review, _created = Review.objects.select_for_update().get_or_create(
        nomination=locked, member=actor
    )
    if review.submitted_at:
        raise ValidationError(
            _("You already reviewed this nomination; tell the secretary about the conflict."),
            code="reviewed",
        )
    if review.conflict_of_interest:
        return review
    review.conflict_of_interest = True
    review.conflict_reason = reason.strip()
    review._history_user = actor
    review.save()
    return review


@transaction.atomic
def review_submit(
    *,
    nomination: Nomination,
    actor: User,
    recommendation: str,
    score: int | None,
    comment: str,
) -> Review:
    """The member acting reviews the nomination: one review per member, final once submitted."""
    locked = lock(nomination)
    guard(locked, Nomination.IN_THE_BOARDS_REVIEW)
    _check_reviewer(locked, actor)
    if recommendation not in Review.Recommendation.values:
        raise field_error(
            "recommendation", _("Choose support, oppose or abstain."), "recommendation"
        )
    if score is None and recommendation != Review.Recommendation.ABSTAIN:
        raise field_error("score", _("Give a score to support or oppose."), "required")
    if score is not None and not Review.SCORE_MIN <= score <= Review.SCORE_MAX:
        raise field_error(
            "score",
            _("The score is between %(min)s and %(max)s.")
            % {"min": Review.SCORE_MIN, "max": Review.SCORE_MAX},
            "score",
        )
    review, _created = Review.objects.select_for_update().get_or_create(
        nomination=locked, member=actor
    )
    if review.conflict_of_interest:
        raise ValidationError(
            _("You declared a conflict of interest: you do not review this nomination."),
            code="conflict",
        )
    if review.submitted_at:
        raise ValidationError(_("You already reviewed this nomination."), code="reviewed")
    review.recommendation = recommendation
    review.score = score
    review.comment = comment.strip()
    review.submitted_at = timezone.now()
    review._history_user = actor
    review.save()
    return review
