"""The officers of a unit, managed by its head: /accounts/units/<code>/officers/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import OfficerForm
from accounts.services.invitations import invitation_pending, invitation_send
from accounts.services.officers import officer_add, officer_remove
from units.models import Membership, Unit
from units.roles import roles_of


def _headed_unit(request: HttpRequest, code: str) -> Unit:
    """The one access helper: a unit the user heads, else 404."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not roles_of(request.user).is_head_of(unit):
        raise Http404
    return unit


@require_http_methods(["GET", "POST"])
def officers_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = _headed_unit(request, code)
    form = OfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, created = officer_add(
                unit=unit, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if created:
                messages.success(
                    request, _("%(name)s is an officer now and was invited.") % {"name": user}
                )
            else:
                messages.success(request, _("%(name)s is an officer now.") % {"name": user})
            return redirect("accounts:unit_officers", code=unit.code)
    memberships = (
        Membership.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__username")
    )
    rows = [{"membership": m, "pending": invitation_pending(m.user)} for m in memberships]
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/unit_officers.html",
        {"unit": unit, "rows": rows, "form": form},
        status=status,
    )


def _officer(unit: Unit, user_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"),
        unit=unit,
        user_id=user_id,
        role=Membership.Role.OFFICER,
    )


@require_POST
def officer_remove_view(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    unit = _headed_unit(request, code)
    membership = _officer(unit, user_id)
    officer_remove(unit=unit, user_id=membership.user_id)
    messages.success(
        request, _("%(name)s is no longer an officer of this unit.") % {"name": membership.user}
    )
    return redirect("accounts:unit_officers", code=unit.code)


@require_POST
def officer_invite_view(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    unit = _headed_unit(request, code)
    membership = _officer(unit, user_id)
    if invitation_send(user=membership.user, request=request, by=request.user):
        messages.success(request, _("The invitation was sent again."))
    else:
        messages.error(request, _("This account already has a password or no e-mail address."))
    return redirect("accounts:unit_officers", code=unit.code)
