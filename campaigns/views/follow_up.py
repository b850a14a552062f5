"""The secretary's follow-up of missing reports, with the one-click reminder."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from campaigns.forms import NudgeForm, ParticipantFilterForm
from campaigns.selectors.campaigns import period_state
from campaigns.selectors.follow_up import (
    follow_up_counts,
    follow_up_row,
    follow_up_rows,
    periods_to_follow,
    units_unreachable_missing,
)
from campaigns.services.reminders import NudgeResult, reminders_nudge
from campaigns.views.access import (
    get_campaign_for_follow_up,
    get_period_for_nudge,
    get_unit_to_remind,
)
from config.access import can, error_message

PAGE_SIZE = 50


def _filters(data) -> tuple[ParticipantFilterForm, dict]:
    form = ParticipantFilterForm(data or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    return form, {
        "kind": cleaned.get("kind") or "",
        "bloc_code": cleaned["bloc"].code if cleaned.get("bloc") else "",
        "query": cleaned.get("q") or "",
    }


def _context(request, campaign, period, data, batch, page_number=None) -> dict:
    form, filters = _filters(data)
    rows = follow_up_rows(period=period, **filters)
    counts = follow_up_counts(period=period)
    unreachable, unreachable_count = units_unreachable_missing(period=period)
    return {
        "unreachable": unreachable,
        "unreachable_count": unreachable_count,
        "campaign": campaign,
        "period": period,
        "state": period_state(period, timezone.localdate()),
        "counts": counts,
        "missing": counts["expected"] - counts["received"],
        "form": form,
        "page": Paginator(rows, PAGE_SIZE).get_page(page_number),
        "batch": batch,
        "can_nudge": can(request.user, "campaigns.nudge_units", campaign),
    }


@require_GET
def follow_up_page(request: HttpRequest, code: str) -> HttpResponse:
    campaign = get_campaign_for_follow_up(request, code)
    periods = periods_to_follow(campaign=campaign, today=timezone.localdate())
    period = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    period = period or (periods[0] if periods else None)
    if period is None:
        return render(request, "campaigns/follow_up.html", {"campaign": campaign, "periods": []})
    # A fresh token per page view: every reminder button on this page shares it (see NudgeForm).
    context = _context(
        request, campaign, period, request.GET, uuid.uuid4().hex, request.GET.get("page")
    )
    context["periods"] = periods
    template = "campaigns/follow_up.html#results" if request.htmx else "campaigns/follow_up.html"
    return render(request, template, context)


def _nudge_message(result: NudgeResult, one_unit: bool) -> tuple[str, str]:
    if result.created:
        if one_unit:
            text = ngettext(
                "A reminder is on its way to %(count)d person.",
                "A reminder is on its way to %(count)d people.",
                result.created,
            ) % {"count": result.created}
        else:
            text = ngettext(
                "Reminders are on their way to %(people)d people in %(count)d unit.",
                "Reminders are on their way to %(people)d people in %(count)d units.",
                result.units,
            ) % {"people": result.created, "count": result.units}
        return "success", text
    if result.reachable:
        return "info", _("Already reminded from this page. Reload the page to remind again.")
    return "warning", _("Nobody to remind: no active officer or head.")


@require_POST
def nudge(request: HttpRequest, code: str, period_id: int) -> HttpResponse:
    period = get_period_for_nudge(request, code, period_id)
    campaign = period.campaign
    form = NudgeForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The request was not understood; reload the page."), status=400)
    code_of_unit = form.cleaned_data["unit"]
    unit = get_unit_to_remind(period, code_of_unit) if code_of_unit else None
    try:
        result = reminders_nudge(
            period=period,
            units=[unit] if unit else None,
            batch=form.cleaned_data["batch"],
            actor=request.user,
        )
    except ValidationError as error:
        level, text, status = "error", error_message(error), 422
    else:
        (level, text), status = _nudge_message(result, unit is not None), 200
    if not request.htmx:
        getattr(messages, level)(request, text)
        return redirect(
            reverse("campaigns:follow_up", args=[campaign.code]) + f"?period={period.pk}"
        )
    notice = {"level": level, "text": text}
    if unit is None:
        context = _context(request, campaign, period, request.POST, form.cleaned_data["batch"])
        context["notice"] = notice
        return render(request, "campaigns/follow_up.html#results", context, status=status)
    row = follow_up_row(period=period, unit=unit)
    return render(
        request,
        "campaigns/follow_up.html#row",
        {
            "campaign": campaign,
            "period": period,
            "unit": row or unit,
            "reported": row is None,
            "batch": form.cleaned_data["batch"],
            "can_nudge": True,
            "state": period_state(period, timezone.localdate()),
            "row_notice": notice,
        },
        status=status,
    )
