"""The awards overview's tables as a workbook, with the page's filters applied (a fixed number
of queries, like the page; every meeting and window rather than one page of them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from awards.models import Meeting
from awards.selectors import overview
from config.xlsx import add_sheet, new_workbook

if TYPE_CHECKING:
    from awards.views.overview import State


def _day(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def ballot_state(meeting: Meeting) -> str:
    """Where a meeting's ballot stands, in words (ballots cast, never what they say)."""
    if meeting.status == Meeting.Status.BALLOT_OPEN:
        return _("Ballot open: %(cast)s of %(size)s ballots cast") % {
            "cast": meeting.ballots,
            "size": meeting.council_size or 0,
        }
    return _("Ballot not opened yet")


def overview_workbook(state: State) -> Workbook:
    filters = state.filters
    table = overview.nomination_table(scope=state.scope, filters=filters)
    meetings = list(overview.meetings_ahead(scope=state.scope, today=state.today))
    publications = list(overview.publicity_open(scope=state.scope, today=state.today))
    nominees = dict(state.form.fields["nominee"].choices)

    workbook = new_workbook()
    add_sheet(
        workbook,
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            (_("Year of achievement"), state.year),
            (_("Kind"), filters.units.kind or _("All kinds")),
            (_("Bloc"), filters.units.bloc or _("All blocs")),
            (_("Province"), filters.units.province or _("All provinces")),
            (_("Nominee"), nominees.get(filters.nominee, "")),
            (_("Number of nominations"), table.total),
            *((stage.label, stage.count) for stage in table.stages),
            (_("Meetings ahead"), len(meetings)),
            (_("Publicity windows open"), len(publications)),
            (_("Exported on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
        ],
    )
    add_sheet(
        workbook,
        _("Nominations"),
        [_("Status"), *(award.short_name for award in table.awards), _("Total")],
        [
            *((row.label, *row.counts, row.total) for row in table.rows),
            (_("Total"), *table.totals, table.total),
        ],
    )
    add_sheet(
        workbook,
        _("Meetings ahead"),
        [_("Date"), _("Meeting"), _("Location"), _("Agenda"), _("Ballot")],
        [
            (
                _day(meeting.held_on),
                str(meeting),
                meeting.location,
                meeting.agenda_size,
                ballot_state(meeting),
            )
            for meeting in meetings
        ],
    )
    add_sheet(
        workbook,
        _("Publicity open"),
        [
            _("Nominee"),
            _("Unit"),
            _("Award"),
            _("Year"),
            _("Opens on"),
            _("Closes on"),
            _("Comments"),
            _("Awaiting moderation"),
        ],
        [
            (
                publication.nominee_name,
                publication.localized_unit(),
                publication.localized_award(),
                publication.year,
                _day(publication.opens_on),
                _day(publication.closes_on),
                publication.comment_count,
                publication.pending,
            )
            for publication in publications
        ],
    )
    return workbook
