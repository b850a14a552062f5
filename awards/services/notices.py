"""Telling the proposing units: a nominee published, a decision recorded or revoked.

The services queue the tasks after commit; the tasks call the functions below, which write the
inbox items and send the e-mails.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from awards.models import Decision, Nomination, Publication
from awards.selectors.nominations import unit_people_to_tell
from units.models import Notification
from units.services import notify


def queue_publication_notice(publication: Publication) -> None:
    from awards.tasks import notify_publication  # the tasks import the services

    notify_publication.delay(publication.pk)


def queue_decision_notice(decision: Decision) -> None:
    from awards.tasks import notify_decision  # the tasks import the services

    notify_decision.delay(decision.pk)


def _tell_unit(nomination: Nomination, *, key: str, message, url: str) -> int:
    """Put a message in the inbox of every officer and head of the proposing unit, in each
    one's language, and e-mail those who want e-mail. Once per recipient and key, so that a
    retried task neither repeats the message nor the e-mail. Answers how many were told."""
    told = 0
    for user in unit_people_to_tell(nomination.proposing_unit):
        with translation.override(user.language):
            text = str(message())
            subject = _("Commendations: %(nominee)s") % {"nominee": nomination.nominee}
        if Notification.objects.filter(recipient=user, key=key).exists():
            continue
        notify(recipient=user, message=text, url=url, key=key)
        told += 1
        if user.email_notifications and user.email:
            send_mail(subject, f"{text}\n\n{settings.SITE_URL}{url}", None, [user.email])
    return told


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
