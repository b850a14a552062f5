"""Decisions: the secretary records the decision (or the forwarding) that settles approved
nominations, revokes one with a reason, and downloads the decision and its list."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.documents.blocks import DOCX, XLSX, file_slug
from awards.documents.certificates import certificates_document
from awards.documents.decisions import awardees_workbook, decision_document
from awards.forms import DecisionForm, RevokeForm
from awards.models import Decision
from awards.selectors.decisions import decidable_counts, decidable_nominations, decision_list
from awards.selectors.levels import unit_issuer
from awards.services.decisions import decision_record, decision_revoke
from awards.views.access import (
    get_decision_for_reader,
    get_level,
    get_recording_level,
    posted,
)
from config.access import can, error_message, require
from units.roles import roles_of


def _decision_url(decision: Decision) -> str:
    return reverse("awards:decision", args=[decision.pk])


@require_GET
def decision_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "awards.read_decisions")
    page = Paginator(decision_list(roles=roles_of(request.user)), 50).get_page(
        request.GET.get("page")
    )
    level, recording = get_recording_level(request)
    return render(
        request,
        "awards/decision_list.html",
        {
            "page": page,
            "can_record": recording,
            "level": level,
            "ready": decidable_counts(unit_id=level.pk if level else None) if recording else {},
        },
    )


@require_http_methods(["GET", "POST"])
def decision_create_view(request: HttpRequest) -> HttpResponse:
    level = get_level(request, "awards.record_decisions")
    require(request.user, "awards.record_decisions", level)
    kind = request.GET.get("kind") or request.POST.get("kind") or Decision.Kind.DECISION
    if kind not in Decision.Kind.values or (level is not None and kind != Decision.Kind.DECISION):
        raise Http404
    candidates = decidable_nominations(kind=kind, unit_id=level.pk if level else None)
    initial = (
        {"issuer": unit_issuer(level), "signer_title": "Thủ trưởng đơn vị"}
        if level is not None
        else None
    )
    form = DecisionForm(posted(request), kind=kind, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_record(
                kind=kind, actor=request.user, unit=level, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(number)s is recorded: the proposing units are told.")
                % {"number": decision.number},
            )
            return redirect(_decision_url(decision))
    return render(
        request,
        "awards/decision_form.html",
        {
            "form": form,
            "kind": kind,
            "forwarding": kind == Decision.Kind.FORWARDING,
            "level": level,
        },
        status=422 if form.is_bound else 200,
    )


def _detail_context(request: HttpRequest, decision: Decision, **extra) -> dict:
    return {
        "decision": decision,
        "nominations": list(decision.nominations.all()),
        "can_revoke": can(request.user, "awards.record_decisions", decision.unit)
        and decision.status == Decision.Status.IN_FORCE,
        "revoke_form": extra.pop("revoke_form", None) or RevokeForm(),
        **extra,
    }


@require_GET
def decision_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_reader(request, pk)
    return render(request, "awards/decision_detail.html", _detail_context(request, decision))


@require_POST
def decision_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_reader(request, pk)
    require(request.user, "awards.record_decisions", decision.unit)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, decision, revoke_form=form)
        return render(request, "awards/decision_detail.html", context, status=422)
    try:
        decision_revoke(decision=decision, reason=form.cleaned_data["reason"], actor=request.user)
    except ValidationError as error:
        messages.error(request, error_message(error))
        return redirect(_decision_url(decision))
    messages.success(request, _("The decision is revoked; its awards left the history."))
    return redirect(_decision_url(decision))


@require_GET
def decision_document_view(request: HttpRequest, pk: int) -> FileResponse:
    decision = get_decision_for_reader(request, pk)
    data = decision_document(decision, list(decision.nominations.all()))
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"quyet-dinh-{file_slug(decision.number)}.docx",
        content_type=DOCX,
    )


@require_GET
def decision_awardees_view(request: HttpRequest, pk: int) -> FileResponse:
    decision = get_decision_for_reader(request, pk)
    data = awardees_workbook(decision, list(decision.nominations.all()))
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"danh-sach-khen-thuong-{file_slug(decision.number)}.xlsx",
        content_type=XLSX,
    )


@require_GET
def decision_certificates_view(request: HttpRequest, pk: int) -> FileResponse:
    """The certificates of every awardee of the decision, one page each."""
    decision = get_decision_for_reader(request, pk)
    if decision.is_forwarding:
        raise Http404
    data = certificates_document(decision, list(decision.nominations.all()))
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"bang-khen-{file_slug(decision.number)}.docx",
        content_type=DOCX,
    )
