"""The campaign dashboard, a unit's drill-down and the dashboard's XLSX export.

Read-only pages for the board, the secretary, the administrator (the whole sector) and unit
heads (the units they head and everything under them). The query string holds the whole state
(period, filters, sort, pages), so a URL can be shared; htmx requests get the part of the page
they target (`results`, `heatmap` or `overdue`) and push the URL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigns.charts import Series, line_chart
from campaigns.exports import dashboard_workbook
from campaigns.forms import DashboardForm
from campaigns.models import Campaign, ReportingPeriod
from campaigns.selectors import dashboard as figures
from campaigns.selectors.campaigns import campaign_active, campaign_latest, period_current
from campaigns.selectors.filters import provinces_of_period
from campaigns.selectors.unit_page import unit_report_rows
from campaigns.views.access import get_dashboard_for_reader, get_unit_for_dashboard
from config.querystring import query_with
from config.xlsx import xlsx_response
from units.roles import roles_of

# --- state ------------------------------------------------------------------------------------


@dataclass
class State:
    """What the query string asks for, checked against what the campaign offers."""

    campaign: Campaign
    scope: figures.Scope
    today: datetime.date
    form: DashboardForm
    period: ReportingPeriod | None
    filters: figures.Filters
    sort: str
    descending: bool
    page: str | None
    overdue_page: str | None
    current: ReportingPeriod | None = None

    @property
    def units(self) -> Q:
        return self.scope.q() & self.filters.q()

    @property
    def objectives(self) -> list:
        return list(self.campaign.objectives.all())

    @property
    def trend_periods(self) -> list[ReportingPeriod]:
        ended = figures.periods_ended(self.campaign, self.today)
        if self.period is not None and self.period not in ended:
            return [*ended, self.period]
        return ended


def read_state(
    request: HttpRequest, campaign: Campaign, scope: figures.Scope, *, with_filters: bool = True
) -> State:
    today = timezone.localdate()
    periods = figures.periods_started(campaign, today)
    objectives = list(campaign.objectives.all())
    by_pk = {period.pk: period for period in periods}
    data = request.GET.copy()
    # The same "current period" as the home page (stated on both pages).
    default = period_current(campaign=campaign, today=today)
    if data.get("period") not in {str(pk) for pk in by_pk} and default is not None:
        # Shown as selected, so that changing another filter keeps the period on screen.
        data["period"] = str(default.pk)
    # The province filter lists the provinces that existed in the period asked for.
    asked = next((p for p in periods if str(p.pk) == data.get("period")), None)
    form = DashboardForm(
        data,
        periods=periods,
        provinces=provinces_of_period(period=asked, units=scope.q())
        if with_filters and asked is not None
        else [],
        sorts=figures.sort_choices(objectives),
    )
    period = by_pk.get(form.value("period")) or default
    bloc = form.value("bloc")
    filters = figures.Filters(
        kind=form.value("kind", ""),
        bloc=bloc.code if bloc else "",
        province=form.value("province", ""),
    )
    return State(
        campaign=campaign,
        scope=scope,
        today=today,
        form=form,
        period=period,
        filters=filters if with_filters else figures.Filters(),
        sort=form.value("sort", figures.SORT_UNIT),
        descending=form.value("dir", "asc") == "desc",
        page=request.GET.get("page"),
        overdue_page=request.GET.get("opage"),
        current=default,
    )


# --- the parts of the page ------------------------------------------------------------------


def _heatmap_context(request: HttpRequest, state: State, units: Q) -> dict:
    for objective in state.objectives:
        # Each cell names its column for narrow screens: worked out once per objective here
        # rather than once per cell in the template.
        title = Truncator(objective.localized("title")).chars(60)
        objective.column_label = f"{objective.number}. {title}"
    rows, page = figures.heat_map(
        campaign=state.campaign,
        period=state.period,
        units=units,
        objectives=state.objectives,
        sort=state.sort,
        descending=state.descending,
        page=state.page,
    )
    columns = [
        {
            "key": key,
            "label": label,
            "title": title,
            "active": state.sort == key,
            # A first click sorts names A→Z and figures best first; a second click reverses.
            "link": query_with(
                request,
                sort=key,
                dir=("asc" if state.descending else "desc")
                if state.sort == key
                else ("asc" if key == figures.SORT_UNIT else "desc"),
                page=None,
            ),
        }
        for key, label, title in [
            (figures.SORT_UNIT, _("Unit"), ""),
            *(
                (f"o{o.number}", _("Obj. %(number)s") % {"number": o.number}, o.localized("title"))
                for o in state.objectives
            ),
            (figures.SORT_OVERALL, _("Overall"), ""),
        ]
    ]
    if state.sort not in {c["key"] for c in columns}:
        columns[0]["active"] = True
    return {
        "heat_rows": rows,
        "heat_page": page,
        "heat_columns": columns,
        "heat_prev": page and page.has_previous() and query_with(request, page=page.number - 1),
        "heat_next": page and page.has_next() and query_with(request, page=page.number + 1),
    }


def _overdue_context(request: HttpRequest, state: State, units: Q) -> dict:
    queryset = figures.units_not_reported(period=state.period, units=units)
    page = Paginator(queryset, figures.PAGE_SIZE).get_page(state.overdue_page)
    return {
        "overdue_page": page,
        "overdue_past_due": state.today > state.period.due_on,
        "overdue_days": (state.today - state.period.due_on).days,
        "overdue_prev": page.has_previous() and query_with(request, opage=page.number - 1),
        "overdue_next": page.has_next() and query_with(request, opage=page.number + 1),
    }


def trend_chart(periods, reporting, attainment, title: str):
    labels = [period.label for period in periods]
    return line_chart(
        title=title,
        description=_(
            "Reporting rate, on-time rate and attainment of each period, from %(first)s to "
            "%(last)s. The same figures are in the table below the chart."
        )
        % {"first": labels[0] if labels else "", "last": labels[-1] if labels else ""},
        labels=labels,
        series=[
            Series(
                "reporting",
                _("Reporting rate"),
                [reporting[p.pk].reporting_rate for p in periods],
            ),
            Series("ontime", _("On-time rate"), [reporting[p.pk].on_time_rate for p in periods]),
            Series("attainment", _("Attainment"), [attainment[p.pk].overall for p in periods]),
        ],
    )


def _results_context(request: HttpRequest, state: State) -> dict:
    units = state.units
    periods = state.trend_periods
    reporting = figures.reporting_by_period(campaign=state.campaign, periods=periods, units=units)
    attainment = figures.sector_figures(campaign=state.campaign, periods=periods, units=units)
    ended = figures.periods_ended(state.campaign, state.today)
    return {
        "reporting": reporting[state.period.pk],
        "figures": attainment[state.period.pk],
        "trend": [(p, reporting[p.pk], attainment[p.pk]) for p in ended],
        "chart": trend_chart(ended, reporting, attainment, _("Trend over the periods")),
        **_heatmap_context(request, state, units),
        **_overdue_context(request, state, units),
    }


# --- views -----------------------------------------------------------------------------------


@require_GET
def dashboard_current(request: HttpRequest) -> HttpResponse:
    """The dashboard of the campaign running today (or the latest one)."""
    if figures.dashboard_scope(roles_of(request.user)) is None:
        raise Http404
    campaign = campaign_active(today=timezone.localdate()) or campaign_latest()
    if campaign is None:
        raise Http404
    return redirect("campaigns:dashboard", campaign.code)


@require_GET
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    campaign, scope = get_dashboard_for_reader(request, code)
    state = read_state(request, campaign, scope)
    context = {
        "campaign": campaign,
        "state": state,
        "form": state.form,
        "objectives": state.objectives,
        "period": state.period,
        "current_period": state.current,
        "export_link": query_with(request, page=None, opage=None),
    }
    if state.period is None:
        return render(request, "campaigns/dashboard.html", context)
    target = request.htmx.target if request.htmx else None
    if target == "heatmap":
        context.update(_heatmap_context(request, state, state.units))
        return render(request, "campaigns/dashboard.html#heatmap", context)
    if target == "overdue":
        context.update(_overdue_context(request, state, state.units))
        return render(request, "campaigns/dashboard.html#overdue", context)
    context.update(_results_context(request, state))
    template = "campaigns/dashboard.html#results" if request.htmx else "campaigns/dashboard.html"
    return render(request, template, context)


@require_GET
def dashboard_export(request: HttpRequest, code: str) -> HttpResponse:
    campaign, scope = get_dashboard_for_reader(request, code)
    state = read_state(request, campaign, scope)
    if state.period is None:
        raise Http404
    workbook = dashboard_workbook(state)
    return xlsx_response(workbook, f"dashboard-{campaign.code}-{state.period.label}.xlsx")


@require_GET
def dashboard_unit(request: HttpRequest, code: str, unit_code: str) -> HttpResponse:
    campaign, scope = get_dashboard_for_reader(request, code)
    unit = get_unit_for_dashboard(request, campaign, unit_code)
    state = read_state(request, campaign, scope, with_filters=False)
    context = {
        "campaign": campaign,
        "unit": unit,
        "state": state,
        "form": state.form,
        "objectives": state.objectives,
        "period": state.period,
    }
    if state.period is None:
        return render(request, "campaigns/dashboard_unit.html", context)
    subtree = figures.units_under(unit)
    if request.htmx and request.htmx.target == "heatmap":
        context.update(_heatmap_context(request, state, subtree))
        return render(request, "campaigns/dashboard_unit.html#heatmap", context)
    ended = figures.periods_ended(campaign, state.today)
    timeline = figures.unit_timeline(campaign=campaign, unit=unit, periods=ended)
    reporting = figures.reporting_by_period(
        campaign=campaign, periods=[state.period], units=subtree
    )
    context.update(
        timeline=[(period, timeline[period.pk]) for period in ended],
        chart=line_chart(
            title=_("Attainment per objective over the periods"),
            description=_(
                "Attainment of %(unit)s on each objective, as of each period. The same figures "
                "are in the table below the chart."
            )
            % {"unit": unit.localized("name")},
            labels=[period.label for period in ended],
            series=[
                Series(
                    f"o{index % 6 + 1}",
                    f"{objective.number}. {objective.localized('title')}",
                    [timeline[p.pk].objectives.get(objective.pk) for p in ended],
                )
                for index, objective in enumerate(state.objectives)
            ],
        ),
        report_rows=unit_report_rows(unit=unit, campaign=campaign, today=state.today),
        sub_reporting=reporting[state.period.pk],
        sub_figures=figures.sector_figures(
            campaign=campaign, periods=[state.period], units=subtree
        )[state.period.pk],
        **_heatmap_context(request, state, subtree),
    )
    return render(request, "campaigns/dashboard_unit.html", context)
