"""What the commendations add to a campaign's yearly calendar (campaigns/calendar.py):
the nomination deadline, the Ministry council's meetings, the publicity windows and the
decisions of the year."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.models import Decision, Meeting, Publication
from campaigns.calendar import CalendarEntry
from campaigns.models import Campaign

# Dossiers for the national awards (Chiến sĩ thi đua toàn quốc, the Government's emulation flag)
# reach the Ministry's board by the end of the year they are proposed for.
NATIONAL_DOSSIERS_BY = (12, 31)


def awards_calendar(campaign: Campaign, year: int) -> list[CalendarEntry]:
    month, day = NATIONAL_DOSSIERS_BY
    entries = [
        CalendarEntry(
            datetime.date(year, 10, 1),
            datetime.date(year, month, day),
            _("Nomination dossiers for national awards (CSTĐTQ) due by %(day)s")
            % {"day": f"{day:02d}/{month:02d}/{year}"},
            "nomination",
            reverse("awards:list"),
        )
    ]
    for meeting in Meeting.objects.filter(held_on__year=year, council__unit__isnull=True).exclude(
        status=Meeting.Status.CANCELLED
    ):
        entries.append(
            CalendarEntry(
                meeting.held_on,
                meeting.held_on,
                _("Council meeting: %(title)s") % {"title": meeting.title or "—"},
                "meeting",
                reverse("awards:meeting", args=[meeting.pk]),
            )
        )
    windows = Publication.objects.filter(opens_on__year=year).aggregate(
        first=Min("opens_on"), last=Max("closes_on"), count=Count("pk")
    )
    if windows["count"]:
        entries.append(
            CalendarEntry(
                windows["first"],
                windows["last"],
                _("Publicity of the nominees (%(count)s)") % {"count": windows["count"]},
                "publicity",
            )
        )
    for decision in Decision.objects.filter(
        signed_on__year=year, status=Decision.Status.IN_FORCE, unit__isnull=True
    ):
        entries.append(
            CalendarEntry(
                decision.signed_on,
                decision.signed_on,
                _("Decision %(number)s") % {"number": decision.number},
                "decision",
                reverse("awards:decision", args=[decision.pk]),
            )
        )
    return entries
