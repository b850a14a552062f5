"""Registration (đăng ký thi đua): the officer fills in the year's commitments and targets and
sends them to the unit head, who confirms them or sends them back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.forms import RegistrationForm
from campaigns.models import Registration
from campaigns.selectors.registrations import registration_for, registration_indicators
from campaigns.services import registrations as registration_services
from campaigns.views.access import (
    get_campaign_and_unit_for_registration,
    get_registration_for_reader,
)
from config.access import can, error_message, require


@require_http_methods(["GET", "POST"])
def registration_page(
    request: HttpRequest, campaign_code: str, unit_code: str, year: int
) -> HttpResponse:
    campaign, unit = get_campaign_and_unit_for_registration(request, campaign_code, unit_code, year)
    registration = registration_for(campaign=campaign, unit=unit, year=year)
    probe = registration or Registration(campaign=campaign, unit=unit, year=year)
    can_edit = can(request.user, "campaigns.edit_registration", probe)
    indicators = registration_indicators(campaign=campaign)
    initial = {}
    if registration is not None:
        initial = {
            "commitments": registration.commitments,
            "target_title": registration.target_title,
            **{f"target_{t.indicator_id}": t.value for t in registration.targets.all()},
        }
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = RegistrationForm(request.POST, indicators=indicators)
        if form.is_valid():
            try:
                registration_services.registration_save(
                    campaign=campaign,
                    unit=unit,
                    year=year,
                    commitments=form.cleaned_data["commitments"],
                    target_title=form.cleaned_data["target_title"],
                    targets=form.targets(),
                    actor=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):  # refused targets, under their fields
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.error(request, error_message(error))
            else:
                messages.success(request, _("The registration was saved."))
                return redirect(request.path)
        status = 422
    else:
        form = RegistrationForm(initial=initial, indicators=indicators)
        status = 200
    return render(
        request,
        "campaigns/registration.html",
        {
            "campaign": campaign,
            "unit": unit,
            "year": year,
            "registration": registration,
            "form": form,
            "can_edit": can_edit,
            "can_confirm": registration is not None
            and can(request.user, "campaigns.confirm_registration", registration),
        },
        status=status,
    )


def _registration_step(request, campaign_code, unit_code, year, permission, step, success):
    registration = get_registration_for_reader(request, campaign_code, unit_code, year)
    require(request.user, permission, registration)
    try:
        step(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, success)
    return redirect(
        "campaigns:registration", registration.campaign.code, registration.unit.code, year
    )


@require_POST
def registration_submit(request, campaign_code: str, unit_code: str, year: int) -> HttpResponse:
    return _registration_step(
        request,
        campaign_code,
        unit_code,
        year,
        "campaigns.edit_registration",
        registration_services.registration_submit,
        _("The registration was sent to the unit head for confirmation."),
    )


@require_POST
def registration_confirm(request, campaign_code: str, unit_code: str, year: int) -> HttpResponse:
    return _registration_step(
        request,
        campaign_code,
        unit_code,
        year,
        "campaigns.confirm_registration",
        registration_services.registration_confirm,
        _("The registration was confirmed."),
    )


@require_POST
def registration_send_back(request, campaign_code: str, unit_code: str, year: int) -> HttpResponse:
    return _registration_step(
        request,
        campaign_code,
        unit_code,
        year,
        "campaigns.confirm_registration",
        registration_services.registration_send_back,
        _("The registration was sent back to the officer."),
    )
