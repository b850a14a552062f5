"""The awards overview and its XLSX export.

A read-only page for the board, the secretary, the administrator (the whole sector) and unit
heads (the units they head and everything under them): a year's nominations by status and
award type, the council meetings ahead and the publicity windows open today. The query string
holds the whole state (year, filters, pages), so a URL can be shared; htmx requests get the
part of the page they target (`results`, `meetings` or `publicity`) and push the URL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from awards.exports import overview_workbook
from awards.forms import OverviewForm
from awards.models import Nomination
from awards.rules import reads_meeting_level
from awards.selectors import overview
from awards.views.access import get_overview_scope
from campaigns.charts import Bar, bar_chart
from campaigns.selectors import dashboard as campaign_dashboard
from config.access import can
from config.querystring import query_with
from config.xlsx import xlsx_response
from units.roles import Roles, roles_of


@dataclass
class State:
    """What the query string asks for, checked against what the data offers."""

    scope: campaign_dashboard.Scope
    today: datetime.date
    form: OverviewForm
    filters: overview.NominationFilters
    meetings_page: str | None
    publicity_page: str | None

    @property
    def year(self) -> int:
        return self.filters.year


def read_state(request: HttpRequest, scope: campaign_dashboard.Scope) -> State:
    today = timezone.localdate()
    years = overview.nomination_years(scope=scope)
    # The latest year with nominations; the current year while there are none.
    default = years[0] if years else today.year
    if not years:
        years = [default]
    data = request.GET.copy()
    if data.get("year") not in {str(year) for year in years}:
        # Shown as selected, so that changing another filter keeps the year on screen.
        data["year"] = str(default)
    form = OverviewForm(data, years=years, provinces=overview.unit_provinces(scope=scope))
    bloc = form.value("bloc")
    filters = overview.NominationFilters(
        year=form.value("year", default),
        units=campaign_dashboard.Filters(
            kind=form.value("kind", ""),
            bloc=bloc.code if bloc else "",
            province=form.value("province", ""),
        ),
        nominee=form.value("nominee", ""),
    )
    return State(
        scope=scope,
        today=today,
        form=form,
        filters=filters,
        meetings_page=request.GET.get("mpage"),
        publicity_page=request.GET.get("ppage"),
    )


def _linked_statuses(roles: Roles, state: State) -> frozenset[str]:
    """The statuses whose cells link to the nomination list, which then shows the same
    nominations: not when the overview is narrowed by filters the list does not have, and
    for a board member only the statuses the board reads."""
    if state.filters.narrowed:
        return frozenset()
    if roles.is_secretary or roles.is_admin or state.scope.paths is not None:
        return frozenset(Nomination.Status.values)
    return frozenset(Nomination.WITH_THE_BOARD)


# --- the parts of the page ------------------------------------------------------------------


def stage_chart(table: overview.CrossTable, year: int):
    return bar_chart(
        title=_("Nominations of %(year)s by stage") % {"year": year},
        description=_(
            "How many of the %(total)s nominations for %(year)s are at each stage of the "
            "process. The same figures are in the table above the chart."
        )
        % {"total": table.total, "year": year},
        bars=[Bar(stage.key, stage.label, stage.count) for stage in table.stages],
    )


def _results_context(request: HttpRequest, state: State) -> dict:
    table = overview.nomination_table(scope=state.scope, filters=state.filters)
    return {
        "table": table,
        "chart": stage_chart(table, state.year),
        "linked_statuses": _linked_statuses(roles_of(request.user), state),
        "export_link": query_with(request, mpage=None, ppage=None),
    }


def _meetings_context(request: HttpRequest, state: State) -> dict:
    page = Paginator(
        overview.meetings_ahead(scope=state.scope, today=state.today), overview.PAGE_SIZE
    ).get_page(state.meetings_page)
    # A meeting links to its page only for those who read its level (the Ministry's council
    # or a unit's, Law Art 80): the others see that it is held, not a page they cannot open.
    may_open = can(request.user, "awards.browse_meetings")
    for meeting in page:
        meeting.openable = may_open and reads_meeting_level(request.user, meeting)
    return {
        "meetings_page": page,
        "meetings_prev": page.has_previous() and query_with(request, mpage=page.number - 1),
        "meetings_next": page.has_next() and query_with(request, mpage=page.number + 1),
        "may_open_meetings": may_open,
    }


def _publicity_context(request: HttpRequest, state: State) -> dict:
    page = Paginator(
        overview.publicity_open(scope=state.scope, today=state.today), overview.PAGE_SIZE
    ).get_page(state.publicity_page)
    return {
        "publicity_page": page,
        "publicity_prev": page.has_previous() and query_with(request, ppage=page.number - 1),
        "publicity_next": page.has_next() and query_with(request, ppage=page.number + 1),
    }


# --- views -----------------------------------------------------------------------------------


@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    scope = get_overview_scope(request)
    state = read_state(request, scope)
    context = {"state": state, "form": state.form, "year": state.year}
    target = request.htmx.target if request.htmx else None
    if target == "meetings":
        context.update(_meetings_context(request, state))
        return render(request, "awards/overview.html#meetings", context)
    if target == "publicity":
        context.update(_publicity_context(request, state))
        return render(request, "awards/overview.html#publicity", context)
    context.update(_results_context(request, state))
    if request.htmx:
        return render(request, "awards/overview.html#results", context)
    context.update(_meetings_context(request, state))
    context.update(_publicity_context(request, state))
    return render(request, "awards/overview.html", context)


@require_GET
def overview_export_view(request: HttpRequest) -> HttpResponse:
    scope = get_overview_scope(request)
    state = read_state(request, scope)
    return xlsx_response(overview_workbook(state), f"awards-overview-{state.year}.xlsx")
