"""Publicity before the council (NĐ 98/2023 Art 46.2 until 30/06/2025, NĐ 152/2025 Art 44.2
from 01/07/2025): once the secretary accepts the dossier, the nominee is published for public
comment for the award's working days, from the next working day; the board reviews meanwhile,
and the nomination goes on a meeting's agenda only when its window ends before the meeting day.
The window opens and closes on its own (awards/tasks.py); comments are moderated, and a comment
raising a complaint can be turned into an open matter that holds the nomination back."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import Nomination, OpenMatter, Publication, PublicComment
from awards.selectors.catalogue import publicity_days_on
from awards.services._steps import Status, lock, log_step, move, vi_date
from awards.services.notices import (
    comment_tell_secretary,
    matter_tell_secretary,
    publication_tell_secretary,
    publication_tell_unit,
)
from config.workdays import add_working_days
from units.models import User


def _publicity_terms(nomination: Nomination, day: datetime.date) -> tuple[int, str]:
    """(working days, source) of the publicity of the nomination's award in force on `day`
    (0 days: none) — the one place that reads the duration."""
    return publicity_days_on(nomination.award_type, day)


def _publicity_days(nomination: Nomination, day: datetime.date) -> int:
    return _publicity_terms(nomination, day)[0]


def publicity_window(
    *, after: datetime.date, working_days: int
) -> tuple[datetime.date, datetime.date]:
    """The window of `working_days` working days that starts on the first working day after
    `after`: (first day, last day), weekends and Vietnamese public holidays skipped."""
    return add_working_days(after, 1), add_working_days(after, working_days)


def first_meeting_day(publication: Publication) -> datetime.date:
    """The first working day after the window: the earliest meeting it may go before."""
    return add_working_days(publication.closes_on, 1)


def publication_schedule(
    *, nomination: Nomination, after: datetime.date, actor: User | None
) -> Publication | None:
    """The publication of a nomination whose dossier the secretary accepted, from the first
    working day after `after`, with a copy of what the public pages show. Its length and source
    are the award's terms in force on the day the window opens; None when those terms require
    no publicity."""
    days, source = _publicity_terms(nomination, add_working_days(after, 1))
    if days < 1:
        return None
    award = nomination.award_type
    opens_on, closes_on = publicity_window(after=after, working_days=days)
    person, unit = nomination.person, nomination.unit
    publication = Publication(
        nomination=nomination,
        opens_on=opens_on,
        closes_on=closes_on,
        working_days=days,
        working_days_source=source,
        nominee_name=person.full_name if person else unit.name,
        nominee_is_person=person is not None,
        nominee_position=(person.position if person else "") or "",
        unit_name=nomination.proposing_unit.name,
        unit_name_en=nomination.proposing_unit.name_en,
        award_name=award.name,
        award_name_en=award.name_en,
        year=nomination.year,
        summary=nomination.report_achievements.strip(),
    )
    publication._history_user = actor
    publication.save()
    return publication


def open_matters_of(nomination: Nomination):
    """The nominee's matters still open (investigation, inspection, complaint, discipline)."""
    if nomination.person_id:
        return OpenMatter.objects.filter(person_id=nomination.person_id, closed_on__isnull=True)
    return OpenMatter.objects.filter(unit_id=nomination.unit_id, closed_on__isnull=True)


def check_no_open_matter(nomination: Nomination) -> None:
    """Refuse while the nominee has a matter open (NĐ 152/2025 Art 4; Law 06/2022 Art 5)."""
    matter = open_matters_of(nomination).order_by("opened_on", "pk").first()
    if matter is not None:
        raise ValidationError(
            _(
                "%(nomination)s: the nominee has an open matter (%(kind)s, opened on %(day)s): "
                "it waits until the matter is resolved."
            )
            % {
                "nomination": nomination,
                "kind": matter.get_kind_display(),
                "day": vi_date(matter.opened_on),
            },
            code="open_matter",
        )


def check_publicity_before(nomination: Nomination, *, held_on: datetime.date) -> None:
    """Refuse a nomination whose publicity does not end before the meeting day (NĐ 98/2023
    Art 46.2; NĐ 152/2025 Art 44.2): the public's comments come before the vote."""
    publication = Publication.objects.filter(nomination_id=nomination.pk).first()
    if publication is None:
        if _publicity_days(nomination, held_on) < 1:
            return
        raise ValidationError(
            _("%(nomination)s has not been published for comment: it cannot go before the council.")
            % {"nomination": nomination},
            code="not_published",
        )
    if publication.closes_on >= held_on:
        raise ValidationError(
            _(
                "%(nomination)s: its publicity runs until %(end)s; it may go before a meeting "
                "held from %(first)s."
            )
            % {
                "nomination": nomination,
                "end": vi_date(publication.closes_on),
                "first": vi_date(first_meeting_day(publication)),
            },
            code="publicity",
        )


def check_ready_for_meeting(nomination: Nomination, *, held_on: datetime.date) -> None:
    """What a nomination needs before a meeting on `held_on` takes it: its publicity ended
    before that day, and no open matter of the nominee."""
    check_publicity_before(nomination, held_on=held_on)
    check_no_open_matter(nomination)


def status_back_to_review(nomination: Nomination, *, today: datetime.date | None = None) -> str:
    """Where a nomination taken off an agenda goes back: published while its window lasts."""
    today = today or timezone.localdate()
    publication = Publication.objects.filter(nomination_id=nomination.pk).first()
    if publication is not None and publication.closes_on >= today:
        return Status.PUBLISHED
    return Status.IN_REVIEW


def _lock_publication(publication: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=publication.pk)


@transaction.atomic
def publication_open(*, publication: Publication, today: datetime.date | None = None) -> bool:
    """Open the window on its first day; the nomination is then published. Safe to run twice:
    it answers False, changing nothing, when there is nothing to do."""
    today = today or timezone.localdate()
    locked = _lock_publication(publication)
    if locked.status != Publication.Status.SCHEDULED or locked.opens_on > today:
        return False
    locked.status = Publication.Status.OPEN
    locked.opened_at = timezone.now()
    locked.save()
    publication_tell_unit(publication=locked)
    publication_tell_secretary(publication=locked)
    return True


@transaction.atomic
def publication_close(*, publication: Publication, today: datetime.date | None = None) -> bool:
    """Close the window once its last day has passed; safe to run twice."""
    today = today or timezone.localdate()
    locked = _lock_publication(publication)
    if locked.status != Publication.Status.OPEN or locked.closes_on >= today:
        return False
    locked.status = Publication.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save()
    nomination = lock(locked.nomination)
    if nomination.status == Status.PUBLISHED:
        shown, held_back = comment_counts(locked)
        with translation.override("vi"):
            reason = _(
                "Publicity ended on %(end)s: %(shown)s comments shown, %(held)s held back. "
                "Ready for a meeting's agenda."
            ) % {"end": vi_date(locked.closes_on), "shown": shown, "held": held_back}
        move(nomination, allowed=[Status.PUBLISHED], to=Status.IN_REVIEW, actor=None, reason=reason)
    return True


def comment_counts(publication: Publication) -> tuple[int, int]:
    """(comments shown, comments held back: awaiting moderation or hidden)."""
    shown = held_back = 0
    for status in publication.comments.values_list("status", flat=True):
        if status == PublicComment.Status.APPROVED:
            shown += 1
        else:
            held_back += 1
    return shown, held_back


def publication_withdraw(*, nomination: Nomination) -> None:
    """A nomination withdrawn during its publicity leaves the public pages at once."""
    publication = (
        Publication.objects.select_for_update().filter(nomination_id=nomination.pk).first()
    )
    if publication is None or publication.status == Publication.Status.CLOSED:
        return
    publication.status = Publication.Status.CLOSED
    publication.closed_at = timezone.now()
    publication.save()


@transaction.atomic
def public_comment_add(
    *, publication: Publication, name: str, contact: str, text: str
) -> PublicComment:
    """A comment from anyone while the window is open; it shows once the secretary approves it."""
    locked = _lock_publication(publication)
    today = timezone.localdate()
    if locked.status != Publication.Status.OPEN or not (
        locked.opens_on <= today <= locked.closes_on
    ):
        raise ValidationError(_("Comments on this nominee are closed."), code="closed")
    comment = PublicComment(
        publication=locked, name=name.strip(), contact=contact.strip(), text=text.strip()
    )
    comment.full_clean()
    comment.save()
    comment_tell_secretary(comment=comment)
    return comment


@transaction.atomic
def public_comment_moderate(
    *, comment: PublicComment, status: str, actor: User | None
) -> PublicComment:
    """Show or hide a comment; it can be changed again, each change kept in its history."""
    if status not in {PublicComment.Status.APPROVED, PublicComment.Status.HIDDEN}:
        raise ValidationError(_("Show or hide the comment."), code="status")
    locked = PublicComment.objects.select_for_update().get(pk=comment.pk)
    if locked.status == status:
        return locked
    locked.status = status
    locked.moderated_by = actor
    locked.moderated_at = timezone.now()
    locked._history_user = actor
    locked.save()
    return locked


@transaction.atomic
def open_matter_from_comment(
    *, comment: PublicComment, kind: str, summary: str, actor: User | None
) -> OpenMatter:
    """The secretary turns a comment raising a complaint into an open matter of the nominee;
    while it is open the nomination goes on no agenda, into no ballot and no decision."""
    if kind not in OpenMatter.Kind.values:
        raise ValidationError(
            {"kind": ValidationError(_("Choose what kind of matter it is."), code="kind")}
        )
    if not summary.strip():
        raise ValidationError(
            {"summary": ValidationError(_("Say what the matter is about."), code="required")}
        )
    locked = (
        PublicComment.objects.select_for_update().select_related("publication").get(pk=comment.pk)
    )
    if OpenMatter.objects.filter(source_comment=locked, closed_on__isnull=True).exists():
        raise ValidationError(
            _("This comment already opened a matter that is still open."), code="duplicate"
        )
    nomination = lock(locked.publication.nomination)
    matter = OpenMatter(
        person_id=nomination.person_id,
        unit_id=nomination.unit_id,
        kind=kind,
        summary=summary.strip(),
        opened_on=timezone.localdate(),
        source_comment=locked,
        created_by=actor,
    )
    matter.full_clean()
    matter._history_user = actor
    matter.save()
    with translation.override("vi"):
        reason = _("Open matter recorded from a public comment: %(kind)s — %(summary)s") % {
            "kind": matter.get_kind_display(),
            "summary": matter.summary,
        }
    log_step(nomination, from_status=nomination.status, actor=actor, reason=reason)
    matter_tell_secretary(matter=matter, nomination=nomination, actor=actor)
    return matter
