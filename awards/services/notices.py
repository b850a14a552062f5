"""Telling the proposing units: a nominee published, a decision recorded or revoked.

The steps call these inside their transaction; the messages are written there in each
recipient's language and delivered once it commits (units/delivery.py).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from awards.models import Decision, Nomination, Publication
from awards.selectors.nominations import unit_people_to_tell
from units.delivery import messages_post


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
