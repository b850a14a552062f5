"""Telling the proposing units: a nominee published, a decision recorded or revoked; and
telling the next person of each hand-over that it is their turn (below).

The steps call these inside their transaction; the messages are written there in each
recipient's language and delivered once it commits (units/delivery.py).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from awards.models import Council, CouncilMember, Decision, Meeting, Nomination, Publication
from awards.selectors.nominations import unit_people_to_tell
from units.delivery import messages_post
from units.models import Membership, User
from units.roles import SECRETARY_GROUP


def _tell_unit(nomination: Nomination, *, key: str, message, url: str) -> int:
    """Tell every officer and head of the proposing unit, each in their language, through the
    one delivery path (inbox, and e-mail for those who want it), once per person and key.
    Called inside the step's transaction: the message exists exactly when the step committed.
    Answers how many were told now."""

    def write(user):
        subject = _("Commendations: %(nominee)s") % {"nominee": nomination.nominee}
        return subject, message(), url

    return len(
        messages_post(
            recipients=unit_people_to_tell(nomination.proposing_unit), key=key, write=write
        )
    )


def publication_tell_unit(*, publication: Publication) -> int:
    nomination = publication.nomination

    def message():
        return _(
            "The nomination of %(nominee)s for %(award)s is published for public comment "
            "from %(start)s to %(end)s."
        ) % {
            "nominee": nomination.nominee,
            "award": nomination.award_type.localized("name"),
            "start": formats.date_format(publication.opens_on, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(publication.closes_on, "SHORT_DATE_FORMAT"),
        }

    return _tell_unit(
        nomination,
        key=f"publication:{publication.pk}",
        message=message,
        url=reverse("awards:detail", args=[nomination.pk]),
    )


def decision_tell_units(*, decision: Decision) -> int:
    told = 0
    for nomination in decision.nominations.select_related(
        "award_type", "person", "unit", "proposing_unit"
    ).order_by("pk"):

        def message(nomination=nomination):
            values = {
                "nominee": nomination.nominee,
                "award": nomination.award_type.localized("name"),
                "number": decision.number,
                "day": formats.date_format(decision.signed_on, "SHORT_DATE_FORMAT"),
            }
            if decision.status == Decision.Status.REVOKED:
                return _("%(number)s is revoked: %(award)s is withdrawn from %(nominee)s.") % values
            if decision.is_forwarding:
                return (
                    _(
                        "The nomination of %(nominee)s for %(award)s is forwarded to a "
                        "higher level (%(number)s of %(day)s)."
                    )
                    % values
                )
            return _("%(nominee)s is awarded %(award)s by %(number)s of %(day)s.") % values

        told += _tell_unit(
            nomination,
            key=f"decision:{decision.pk}:{decision.status}:{nomination.pk}",
            message=message,
            url=reverse("awards:detail", args=[nomination.pk]),
        )
    return told


# --- Hand-overs: telling the next person that it is their turn -----------------------------


def level_secretaries(unit_id: int | None):
    """Who screens and prepares the nominations of a level: the Ministry's secretaries (the
    secretary group) for None, else the secretary seated today on the unit's council."""
    if unit_id is None:
        return User.objects.filter(is_active=True, groups__name=SECRETARY_GROUP).distinct()
    seats = CouncilMember.objects.active_on(timezone.localdate()).filter(
        council__in=Council.objects.active_on(timezone.localdate()).filter(unit_id=unit_id),
        role=CouncilMember.Role.SECRETARY,
    )
    return User.objects.filter(is_active=True, pk__in=seats.values("user_id"))


def _post(recipients, *, key: str, subject, message, url: str, actor: User | None) -> int:
    people = [user for user in recipients if actor is None or user.pk != actor.pk]

    def write(user):
        return subject(), message(), url

    return len(messages_post(recipients=people, key=key, write=write))


def _values(nomination: Nomination) -> dict:
    return {
        "nominee": nomination.nominee,
        "award": nomination.award_type.localized("name"),
        "unit": nomination.proposing_unit.name,
    }


def nomination_tell_heads_drafted(*, nomination: Nomination, actor: User | None) -> int:
    """An officer drafted a nomination: the unit's heads complete and submit it."""
    heads = User.objects.filter(
        is_active=True,
        memberships__unit_id=nomination.proposing_unit_id,
        memberships__role=Membership.Role.HEAD,
    ).distinct()
    return _post(
        heads,
        key=f"nomination-drafted:{nomination.pk}",
        subject=lambda: _("Nomination to submit: %(nominee)s") % _values(nomination),
        message=lambda: (
            _(
                "A nomination of %(nominee)s for %(award)s was drafted in %(unit)s: check it and "
                "submit it."
            )
            % _values(nomination)
        ),
        url=reverse("awards:detail", args=[nomination.pk]),
        actor=actor,
    )


def nomination_tell_secretary_submitted(*, nomination: Nomination, actor: User | None) -> int:
    """The head submitted: the secretary of the level that decides screens the dossier."""
    return _post(
        level_secretaries(nomination.deciding_unit_id),
        key=f"nomination-submitted:{nomination.pk}:{nomination.submitted_at:%Y%m%dT%H%M%S.%f}",
        subject=lambda: _("Dossier to screen: %(nominee)s") % _values(nomination),
        message=lambda: (
            _("%(unit)s submitted the nomination of %(nominee)s for %(award)s: screen the dossier.")
            % _values(nomination)
        ),
        url=reverse("awards:detail", args=[nomination.pk]),
        actor=actor,
    )


def nomination_tell_unit_returned(*, nomination: Nomination, actor: User | None) -> int:
    """The secretary returned the dossier: the unit's officers and heads correct it."""
    return _post(
        unit_people_to_tell(nomination.proposing_unit),
        key=f"nomination-returned:{nomination.pk}:{nomination.version}",
        subject=lambda: _("Nomination returned: %(nominee)s") % _values(nomination),
        message=lambda: (
            _(
                "The nomination of %(nominee)s for %(award)s was returned to %(unit)s: read the "
                "reason, correct it and submit it again."
            )
            % _values(nomination)
        ),
        url=reverse("awards:detail", args=[nomination.pk]),
        actor=actor,
    )


def ballot_tell_members(*, meeting: Meeting, actor: User | None) -> int:
    """The ballot opened: every member present with a vote casts their ballot."""
    members = User.objects.filter(
        is_active=True,
        pk__in=meeting.attendance.filter(present=True, votes=True).values("member_id"),
    )
    day = formats.date_format(meeting.held_on, "SHORT_DATE_FORMAT")
    return _post(
        members,
        key=f"ballot-open:{meeting.pk}:{meeting.ballot_opened_at:%Y%m%dT%H%M%S.%f}",
        subject=lambda: _("The ballot of the meeting of %(day)s is open") % {"day": day},
        message=lambda: (
            _("The secret ballot of the council meeting of %(day)s is open: vote.") % {"day": day}
        ),
        url=reverse("awards:ballot", args=[meeting.pk]),
        actor=actor,
    )


def publication_tell_secretary(*, publication: Publication) -> int:
    """The publicity window opened: the secretary moderates what the public sends."""
    nomination = publication.nomination
    return _post(
        level_secretaries(nomination.deciding_unit_id),
        key=f"publication-secretary:{publication.pk}",
        subject=lambda: _("Publicity open: %(nominee)s") % _values(nomination),
        message=lambda: (
            _(
                "The nomination of %(nominee)s for %(award)s is published for public comment: "
                "moderate the comments as they come."
            )
            % _values(nomination)
        ),
        url=reverse("awards:publicity"),
        actor=None,
    )


def comment_tell_secretary(*, comment) -> int:
    """A public comment arrived: the secretary moderates it (one message a publication a day,
    however many comments come)."""
    publication = comment.publication
    nomination = publication.nomination
    return _post(
        level_secretaries(nomination.deciding_unit_id),
        key=f"comments:{publication.pk}:{timezone.localdate():%Y%m%d}",
        subject=lambda: _("Public comments to moderate: %(nominee)s") % _values(nomination),
        message=lambda: (
            _("A public comment on %(nominee)s (%(award)s) waits for moderation.")
            % _values(nomination)
        ),
        url=reverse("awards:publicity"),
        actor=None,
    )


def matter_tell_secretary(*, matter, nomination: Nomination, actor: User | None) -> int:
    """An open matter was recorded: the other secretaries of the level keep the nomination off
    every agenda until it is closed."""
    return _post(
        level_secretaries(nomination.deciding_unit_id),
        key=f"matter:{matter.pk}",
        subject=lambda: _("Open matter: %(nominee)s") % _values(nomination),
        message=lambda: (
            _(
                "An open matter was recorded on %(nominee)s (%(award)s) from a public comment: "
                "the nomination waits until it is closed."
            )
            % _values(nomination)
        ),
        url=reverse("awards:detail", args=[nomination.pk]),
        actor=actor,
    )
