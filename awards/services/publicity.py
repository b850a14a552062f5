"""Publicity: an approved nominee published for public comment for the award's working days,
the window opening and closing on its own, and the comments."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import Nomination, Publication, PublicComment
from awards.selectors.catalogue import publicity_days_on
from awards.services._steps import Status, move, vi_date
from awards.services.notices import publication_tell_unit
from config.workdays import add_working_days
from units.models import User


def publicity_window(
    *, after: datetime.date, working_days: int
) -> tuple[datetime.date, datetime.date]:
    """The window of `working_days` working days that starts on the first working day after
    `after`: (first day, last day), weekends and Vietnamese public holidays skipped."""
    return add_working_days(after, 1), add_working_days(after, working_days)


def publication_schedule(
    *, nomination: Nomination, after: datetime.date, actor: User | None
) -> Publication | None:
    """The publication of a nomination the council approved, from the first working day after
    `after`, with a copy of what the public pages show (part of closing the ballot). Its length
    and source are the award's terms in force on the day the window opens; None when those
    terms require no publicity."""
    award = nomination.award_type
    days, source = publicity_days_on(award, add_working_days(after, 1))
    if days < 1:
        return None
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
    with translation.override("vi"):
        reason = _("Published for public comment from %(start)s to %(end)s.") % {
            "start": vi_date(locked.opens_on),
            "end": vi_date(locked.closes_on),
        }
    move(
        locked.nomination, allowed=[Status.APPROVED], to=Status.PUBLISHED, actor=None, reason=reason
    )
    publication_tell_unit(publication=locked)
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
    return True


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
