"""The year's calendar of a campaign, at a glance: what is open, what is due next.

The campaign gives its registration window, reporting periods and reviews; an app built on
this one (awards) adds its own dates — nomination deadlines, council meetings, publicity
windows, decisions — through `register_calendar_source` at start-up, so campaigns need not
know about it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.models import Campaign

# The yearly emulation registration: units register their commitments in the first quarter.
REGISTRATION_WINDOW = ((1, 1), (3, 31))


@dataclass(frozen=True)
class CalendarEntry:
    starts_on: datetime.date
    ends_on: datetime.date
    title: str
    kind: str  # registration, report, review, nomination, meeting, publicity, decision
    url: str = ""

    def state(self, today: datetime.date) -> str:
        if today < self.starts_on:
            return "upcoming"
        if today > self.ends_on:
            return "done"
        return "open"


CalendarSource = Callable[[Campaign, int], list[CalendarEntry]]
_sources: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> None:
    if source not in _sources:
        _sources.append(source)


def _campaign_entries(campaign: Campaign, year: int) -> list[CalendarEntry]:
    entries = []
    (m1, d1), (m2, d2) = REGISTRATION_WINDOW
    opens, closes = datetime.date(year, m1, d1), datetime.date(year, m2, d2)
    if campaign.starts_on <= closes and opens <= campaign.ends_on:
        entries.append(
            CalendarEntry(
                max(opens, campaign.starts_on),
                closes,
                _("Emulation registration %(year)s") % {"year": year},
                "registration",
            )
        )
    for period in campaign.periods.all():
        if period.due_on.year == year or period.starts_on.year == year:
            entries.append(
                CalendarEntry(
                    period.starts_on,
                    period.due_on,
                    _("Report %(period)s (due %(due)s, locked after %(lock)s)")
                    % {
                        "period": period.label,
                        "due": f"{period.due_on:%d/%m/%Y}",
                        "lock": f"{period.locks_on:%d/%m/%Y}",
                    },
                    "report",
                )
            )
    for day, title in (
        (campaign.midterm_review_on, _("Mid-term review of the campaign")),
        (campaign.final_review_on, _("Final review of the campaign")),
    ):
        if day is not None and day.year == year:
            entries.append(CalendarEntry(day, day, title, "review"))
    return entries


def year_calendar(*, campaign: Campaign, year: int) -> list[CalendarEntry]:
    """Every dated step of the year, in the order they end."""
    entries = _campaign_entries(campaign, year)
    for source in _sources:
        entries.extend(source(campaign, year))
    return sorted(entries, key=lambda entry: (entry.ends_on, entry.starts_on, entry.title))


def due_next(entries: list[CalendarEntry], today: datetime.date) -> CalendarEntry | None:
    """The first step still to do: open or upcoming, ending soonest."""
    return next((entry for entry in entries if entry.ends_on >= today), None)


def calendar_years(campaign: Campaign) -> list[int]:
    return list(range(campaign.starts_on.year, campaign.ends_on.year + 1))
