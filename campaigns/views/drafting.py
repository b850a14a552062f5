"""The board secretary's campaign pages: draft a campaign, edit its tasks and indicators,
preview what a unit will see, launch it."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.drafting_forms import (
    CampaignDraftForm,
    IndicatorCopyForm,
    IndicatorForm,
    ObjectiveForm,
    ParticipantsForm,
    TasksForm,
)
from campaigns.models import Campaign, Indicator, Objective, ReportingPeriod
from campaigns.periods import period_spans
from campaigns.selectors.campaigns import participant_counts, period_state
from campaigns.services import drafting
from campaigns.views.access import get_campaign_for_reader
from config.access import can, error_message, require


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "campaigns.draft_campaign")
    data = request.POST if request.method == "POST" else None
    form = CampaignDraftForm(data, initial={"cadence": Campaign.Cadence.QUARTERLY})
    participants = ParticipantsForm(data)
    tasks = TasksForm(data)
    if data is not None and form.is_valid() & participants.is_valid() & tasks.is_valid():
        try:
            campaign = drafting.campaign_draft_create(
                fields=form.cleaned_data,
                tasks=tasks.cleaned_data["tasks"],
                participants=participants.participants(),
                actor=request.user,
            )
        except ValidationError as error:
            if "tasks" in getattr(error, "error_dict", {}):
                tasks.add_error("tasks", error.message_dict["tasks"])
            else:
                _form_errors(form, error)
        else:
            messages.success(request, _("The draft was saved. Only the board sees it."))
            return redirect("campaigns:draft", campaign.code)
    return render(
        request,
        "campaigns/draft_new.html",
        {"form": form, "participants_form": participants, "tasks_form": tasks},
    )


def _draft(request: HttpRequest, code: str) -> Campaign:
    require(request.user, "campaigns.draft_campaign")
    campaign = get_object_or_404(Campaign, code=code)
    if campaign.status != Campaign.Status.DRAFT:
        raise Http404
    return campaign


def _workspace(request: HttpRequest, campaign: Campaign, **forms) -> HttpResponse:
    objectives = list(campaign.objectives.order_by("number").prefetch_related("indicators"))
    for objective in objectives:
        objective.form = forms.pop(f"objective_{objective.pk}", None) or ObjectiveForm(
            instance=objective, prefix=f"o{objective.pk}"
        )
        objective.indicator_form = forms.pop(f"indicator_{objective.pk}", None) or IndicatorForm(
            prefix=f"i{objective.pk}"
        )
        objective.copy_form = forms.pop(f"copy_{objective.pk}", None) or IndicatorCopyForm(
            campaign=campaign, prefix=f"c{objective.pk}"
        )
    context = {
        "campaign": campaign,
        "objectives": objectives,
        "form": forms.pop("form", None) or CampaignDraftForm(instance=campaign),
        "new_objective_form": forms.pop("new_objective", None) or ObjectiveForm(prefix="new"),
        "participants": participant_counts(campaign=campaign, on=timezone.localdate()),
        "problems": drafting.launch_problems(campaign),
    }
    return render(request, "campaigns/draft.html", context)


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _draft(request, code)
    if request.method == "GET":
        return _workspace(request, campaign)
    form = CampaignDraftForm(request.POST, instance=campaign)
    if form.is_valid():
        try:
            drafting.campaign_draft_update(campaign=campaign, fields=form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("campaigns:draft", campaign.code)
    campaign.refresh_from_db()
    return _workspace(request, campaign, form=form)


@require_POST
def objective_edit(request: HttpRequest, code: str, number: int) -> HttpResponse:
    campaign = _draft(request, code)
    objective = get_object_or_404(Objective, campaign=campaign, number=number)
    if "remove" in request.POST:
        drafting.objective_remove(campaign=campaign, objective=objective)
        messages.success(request, _("The task was removed."))
        return redirect("campaigns:draft", campaign.code)
    form = ObjectiveForm(request.POST, instance=objective, prefix=f"o{objective.pk}")
    if form.is_valid():
        drafting.objective_save(campaign=campaign, objective=objective, **form.cleaned_data)
        messages.success(request, _("The task was saved."))
        return redirect("campaigns:draft", campaign.code)
    return _workspace(request, campaign, **{f"objective_{objective.pk}": form})


@require_POST
def objective_add(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _draft(request, code)
    form = ObjectiveForm(request.POST, prefix="new")
    if form.is_valid():
        drafting.objective_save(campaign=campaign, objective=None, **form.cleaned_data)
        messages.success(request, _("The task was added."))
        return redirect("campaigns:draft", campaign.code)
    return _workspace(request, campaign, new_objective=form)


@require_POST
def indicator_add(request: HttpRequest, code: str, number: int) -> HttpResponse:
    campaign = _draft(request, code)
    objective = get_object_or_404(Objective, campaign=campaign, number=number)
    objective.campaign = campaign
    if "source" in request.POST or f"c{objective.pk}-source" in request.POST:
        form = IndicatorCopyForm(request.POST, campaign=campaign, prefix=f"c{objective.pk}")
        if form.is_valid():
            drafting.indicator_copy(objective=objective, source=form.cleaned_data["source"])
            messages.success(request, _("The indicator was copied."))
            return redirect("campaigns:draft", campaign.code)
        return _workspace(request, campaign, **{f"copy_{objective.pk}": form})
    form = IndicatorForm(request.POST, prefix=f"i{objective.pk}")
    if form.is_valid():
        try:
            drafting.indicator_add(objective=objective, fields=form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The indicator was added."))
            return redirect("campaigns:draft", campaign.code)
    return _workspace(request, campaign, **{f"indicator_{objective.pk}": form})


@require_POST
def indicator_remove(request: HttpRequest, code: str, number: int, pk: int) -> HttpResponse:
    campaign = _draft(request, code)
    objective = get_object_or_404(Objective, campaign=campaign, number=number)
    objective.campaign = campaign
    indicator = get_object_or_404(Indicator, objective=objective, pk=pk)
    drafting.indicator_remove(objective=objective, indicator=indicator)
    messages.success(request, _("The indicator was removed."))
    return redirect("campaigns:draft", campaign.code)


@require_http_methods(["GET"])
def preview(request: HttpRequest, code: str) -> HttpResponse:
    """The campaign page as a unit will see it once launched."""
    campaign = get_campaign_for_reader(request, code)
    if not can(request.user, "campaigns.manage_campaign", campaign):
        raise Http404
    today = timezone.localdate()
    periods = [(period, period_state(period, today)) for period in _preview_periods(campaign)]
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "periods": periods,
            "participants": participant_counts(campaign=campaign, on=today),
            "today": today,
            "preview": True,
        },
    )


def _preview_periods(campaign: Campaign):
    """The periods the launch will generate (a draft has none stored yet)."""
    if campaign.periods.all():
        return list(campaign.periods.all())
    grace = datetime.timedelta(days=campaign.grace_days)
    lock = datetime.timedelta(days=campaign.lock_days)
    return [
        ReportingPeriod(
            campaign=campaign,
            label=span.label,
            starts_on=span.starts_on,
            ends_on=span.ends_on,
            due_on=span.ends_on + grace,
            locks_on=span.ends_on + grace + lock,
        )
        for span in period_spans(campaign.cadence, campaign.starts_on, campaign.ends_on)
    ]


@require_POST
def launch(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _draft(request, code)
    try:
        with transaction.atomic():
            drafting.campaign_launch(campaign=campaign, actor=request.user)
    except ValidationError as error:
        messages.error(
            request, _("The campaign was not launched: %(why)s") % {"why": error_message(error)}
        )
        return redirect("campaigns:draft", campaign.code)
    messages.success(
        request, _("The campaign is launched; every participating unit has been told.")
    )
    return redirect("campaigns:detail", campaign.code)
