"""The campaign pages: home, the list of campaigns, a campaign and its participants.

The dashboard, the follow-up of missing reports, reports and registrations have their own
modules beside this one; the access helpers are in access.py.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns.calendar import calendar_years, due_next, year_calendar
from campaigns.forms import ParticipantFilterForm
from campaigns.selectors.campaigns import (
    campaign_list,
    campaigns_running,
    participant_counts,
    participant_list,
    period_current,
    period_state,
)
from campaigns.services.drafting import campaign_close_if_over
from campaigns.views.access import get_campaign_for_reader
from config.access import can
from units.roles import roles_of
from units.waiting import waiting_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    roles = roles_of(request.user)
    running = campaigns_running(today=today)
    picked = request.GET.get("campaign", "")
    campaign = next((c for c in running if c.code == picked), running[0] if running else None)
    context = {
        "campaign": campaign,
        "running": running,
        "today": today,
        "my_units": roles.units,
        "waiting": waiting_for(request.user, roles, today),
    }
    if campaign is not None:
        context["current_period"] = period_current(campaign=campaign, today=today)
        context["current_state"] = (
            period_state(context["current_period"], today) if context["current_period"] else ""
        )
        if roles.sees_all_units:
            context["participants"] = participant_counts(campaign=campaign, on=today)
    return render(request, "campaigns/home.html", context)


@require_GET
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    campaigns = campaign_list(include_drafts=roles.sees_all_units)
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": campaigns, "can_draft": can(request.user, "campaigns.draft_campaign")},
    )


@require_GET
def campaign_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_campaign_for_reader(request, code)
    today = timezone.localdate()
    campaign_close_if_over(campaign=campaign, today=today)
    periods = [(period, period_state(period, today)) for period in campaign.periods.all()]
    years = calendar_years(campaign)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year
    year = min(max(year, years[0]), years[-1])
    entries = year_calendar(campaign=campaign, year=year)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "periods": periods,
            "participants": participant_counts(campaign=campaign, on=today),
            "today": today,
            "calendar": [(entry, entry.state(today)) for entry in entries],
            "calendar_year": year,
            "calendar_years": years,
            "due_next": due_next(entries, today),
        },
    )


@require_GET
def campaign_participants_view(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_campaign_for_reader(request, code)
    form = ParticipantFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    participations = participant_list(
        campaign=campaign,
        kind=filters.get("kind") or "",
        bloc_code=filters["bloc"].code if filters.get("bloc") else "",
        query=filters.get("q") or "",
    )
    page = Paginator(participations, 50).get_page(request.GET.get("page"))
    template = (
        "campaigns/campaign_participants.html#results"
        if request.htmx
        else "campaigns/campaign_participants.html"
    )
    return render(
        request,
        template,
        {"campaign": campaign, "form": form, "page": page, "today": timezone.localdate()},
    )
