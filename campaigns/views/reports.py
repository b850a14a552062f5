"""Progress reports: the officer's daily pages.

Every view finds its object through one access helper (404 for another unit's object, 403 for
an action the reader may not take), calls one service and answers either the whole page or,
for htmx requests, the named partial of that page. A refused step (a ValidationError from the
service) is shown as its message: 422 for an htmx autosave or upload, a message on the page
for a plain form; a stale edit is answered 409 with the current values.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from campaigns.forms import EvidenceForm, LineForm, ReasonForm, ValueForm
from campaigns.models import ProgressReport
from campaigns.selectors.campaigns import period_state
from campaigns.selectors.reports import (
    line_with_evidence,
    report_blocks,
    report_empty_objectives,
    report_for,
    report_history,
    report_with_content,
)
from campaigns.services import reports as report_services
from campaigns.views import report_cache
from campaigns.views.access import (
    get_evidence_for_editor,
    get_evidence_for_reader,
    get_line_for_editor,
    get_report_for_reader,
    get_unit_and_period_for_reader,
    get_value_for_editor,
)
from campaigns.views.reviews import review_page
from config.access import can, error_message, require
from config.errors import StaleEdit
from units.selectors import read_reader_cache


def _report_url(report: ProgressReport) -> str:
    return reverse("reports:report", args=[report.pk])


# --- finding and starting a report ------------------------------------------------------------


@require_GET
def report_for_period(request: HttpRequest, unit_code: str, period_id: int) -> HttpResponse:
    unit, period = get_unit_and_period_for_reader(request, unit_code, period_id)
    report = report_for(unit=unit, period=period)
    if report is not None:
        return redirect(_report_url(report))
    state = period_state(period, timezone.localdate())
    can_start = state in {"open", "overdue"} and can(
        request.user, "campaigns.write_unit_reports", unit
    )
    return render(
        request,
        "campaigns/report_missing.html",
        {"unit": unit, "period": period, "state": state, "can_start": can_start},
    )


@require_POST
def report_start(request: HttpRequest, unit_code: str, period_id: int) -> HttpResponse:
    unit, period = get_unit_and_period_for_reader(request, unit_code, period_id)
    require(request.user, "campaigns.write_unit_reports", unit)
    if period_state(period, timezone.localdate()) not in {"open", "overdue"}:
        messages.error(request, _("This period is not open for reporting."))
        return redirect("reports:report_for_period", unit.code, period.pk)
    report = report_services.report_start(unit=unit, period=period, actor=request.user)
    return redirect(_report_url(report))


# --- the report page --------------------------------------------------------------------------


def _report_context(request: HttpRequest, report: ProgressReport, *, history: bool) -> dict:
    user = request.user
    today = timezone.localdate()
    context = {
        "report": report,
        "unit": report.unit,
        "period": report.period,
        # Loaded only when the cached body of the page has to be drawn again (see the template).
        "blocks": SimpleLazyObject(lambda: report_blocks(report_with_content(report))),
        "history": report_history(report_with_content(report)) if history else None,
        "today": today,
        "locked": report.is_locked(today),
        "can_edit": can(user, "campaigns.edit_report", report),
        "can_submit": can(user, "campaigns.submit_report", report),
        "can_review": can(user, "campaigns.review_report", report),
        "can_reopen": can(user, "campaigns.reopen_report", report),
        "reason_form": ReasonForm(),
    }
    rights = tuple(context[key] for key in ("can_edit", "can_submit", "can_review", "can_reopen"))
    context["body_key"] = report_cache.body_key(request, rights, today)
    return context


@require_GET
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report; `?history=1` adds the timeline (htmx asks for just that part when the
    history is opened, so the page itself stays light).

    The permission check and the report's row are read on every request; the drawn page is
    then served from the cache as long as nothing it shows has changed (see report_cache).
    """
    # The reader's roles (for the permission check) and bell count (for the page's key) in
    # one cache round trip.
    unread = read_reader_cache(request.user) if request.user.is_authenticated else None
    report = get_report_for_reader(request, report_id)
    if report.period.is_review:
        return review_page(request, report, _report_context(request, report, history=False))
    history = request.GET.get("history") == "1"
    context = _report_context(request, report, history=history)
    if history and request.htmx:
        return render(request, "campaigns/report.html#history_body", context)
    key = (
        None
        if history or request.htmx
        else report_cache.page_key(request, report, context["body_key"], unread)
    )
    if key is not None and (page := report_cache.cached_page(request, key)) is not None:
        return page
    response = render(request, "campaigns/report.html", context)
    if key is not None:
        report_cache.keep_page(key, response)
    return response


def _autosave(request, report, form, *, name: str, row, save) -> HttpResponse:
    """One field group saved by htmx: the saved state, an inline error, or a conflict.

    `name` is the partial ("line" or "value") and the context key of the row; `save` calls the
    service with the cleaned data and returns the saved row.
    """
    context = {"report": report, name: row, "can_edit": True, "form": form}
    status_partial = f"campaigns/report.html#{name}_status"
    if not form.is_valid():
        return _answer(request, report, status_partial, context, 422)
    try:
        saved = save(form.cleaned_data)
    except StaleEdit as conflict:
        # The whole field group is redrawn with the current values and the refused input.
        context.update({name: conflict.current, "conflict": True, "mine": form.cleaned_data})
        response = _answer(request, report, f"campaigns/report.html#{name}", context, 409)
        if request.htmx:
            response = reswap(retarget(response, f"#{name}-{row.pk}"), "outerHTML")
        return response
    except ValidationError as error:
        context["error"] = error_message(error)
        return _answer(request, report, status_partial, context, 422)
    context.update({name: saved, "saved": True})
    return _answer(request, report, status_partial, context, 200)


@require_POST
def line_save(request: HttpRequest, report_id: int, line_id: int) -> HttpResponse:
    report, line = get_line_for_editor(request, report_id, line_id)
    return _autosave(
        request,
        report,
        LineForm(request.POST),
        name="line",
        row=line,
        save=lambda data: report_services.report_line_save(
            line=line,
            percent_complete=data["percent_complete"],
            narrative=data["narrative"],
            version=data["version"],
            actor=request.user,
        ),
    )


@require_POST
def value_save(request: HttpRequest, report_id: int, value_id: int) -> HttpResponse:
    report, row = get_value_for_editor(request, report_id, value_id)
    return _autosave(
        request,
        report,
        ValueForm(request.POST, indicator=row.indicator),
        name="value",
        row=row,
        save=lambda data: report_services.indicator_value_save(
            indicator_value=row, value=data["value"], version=data["version"], actor=request.user
        ),
    )


@require_POST
def evidence_upload(request: HttpRequest, report_id: int, line_id: int) -> HttpResponse:
    report, line = get_line_for_editor(request, report_id, line_id)
    form = EvidenceForm(request.POST, request.FILES)
    status = 200
    error = None
    if form.is_valid():
        try:
            report_services.evidence_add(
                line=line, upload=form.cleaned_data["file"], actor=request.user
            )
        except ValidationError as exc:
            error, status = error_message(exc), 422
    else:
        error, status = " ".join(form.errors.get("file", [])), 422
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_report_url(report) + f"#objective-{line.objective_id}")
    context = {
        "report": report,
        "line": line_with_evidence(line_id=line.pk),
        "can_edit": True,
        "evidence_error": error,
    }
    return render(request, "campaigns/report.html#evidence", context, status=status)


@require_GET
def evidence_download(request: HttpRequest, report_id: int, evidence_id: int) -> FileResponse:
    _report, evidence = get_evidence_for_reader(request, report_id, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def evidence_delete(request: HttpRequest, report_id: int, evidence_id: int) -> HttpResponse:
    report, evidence = get_evidence_for_editor(request, report_id, evidence_id)
    line_id = evidence.line_id
    try:
        report_services.evidence_remove(evidence=evidence, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_message(error))
    if request.htmx:
        return render(
            request,
            "campaigns/report.html#evidence",
            {"report": report, "line": line_with_evidence(line_id=line_id), "can_edit": True},
        )
    return redirect(_report_url(report))


def _answer(request, report, partial, context, status) -> HttpResponse:
    """The partial for htmx; for a plain form post, back to the page with a message."""
    if request.htmx:
        return render(request, partial, context, status=status)
    if status == 200:
        messages.success(request, _("Saved."))
    elif status == 409:
        messages.error(
            request, _("Someone else saved this since you opened it; see the current values.")
        )
    else:
        messages.error(request, context.get("error") or _("Please correct the value."))
    return redirect(_report_url(report))


# --- workflow ---------------------------------------------------------------------------------


def _step(request, report_id, permission, step, success, *, done=None, **kwargs):
    """Run one workflow step; a repeated click on a step already done is not an error."""
    report = get_report_for_reader(request, report_id)
    if done is not None and report.status == done:
        messages.info(
            request,
            _("Nothing changed: the report is already %(status)s.")
            % {"status": report.get_status_display().lower()},
        )
        return redirect(_report_url(report))
    require(request.user, permission, report)
    try:
        step(report=report, actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, success)
    return redirect(_report_url(report))


@require_POST
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    """Submit; a report that says nothing about some objectives is first shown back with their
    names, and goes only once the officer confirms (the form posts `confirm_empty`)."""
    report = get_report_for_reader(request, report_id)
    if report.status in ProgressReport.EDITABLE and not request.POST.get("confirm_empty"):
        require(request.user, "campaigns.submit_report", report)
        empty = report_empty_objectives(report=report)
        if empty:
            return render(
                request,
                "campaigns/report_submit_confirm.html",
                {"report": report, "unit": report.unit, "empty": empty},
            )
    return _step(
        request,
        report_id,
        "campaigns.submit_report",
        report_services.report_submit,
        _("The report was submitted to the unit head."),
        done=ProgressReport.Status.SUBMITTED,
    )


@require_POST
def report_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    return _step(
        request,
        report_id,
        "campaigns.review_report",
        report_services.report_accept,
        _("The report was accepted."),
        done=ProgressReport.Status.ACCEPTED,
    )


@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        get_report_for_reader(request, report_id)
        messages.error(request, _("Say why the report is returned, so the officer can correct it."))
        return redirect("reports:report", report_id)
    return _step(
        request,
        report_id,
        "campaigns.review_report",
        report_services.report_return,
        _("The report was returned to the unit with your reason."),
        reason=form.cleaned_data["reason"],
    )


@require_POST
def report_reopen(request: HttpRequest, report_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        get_report_for_reader(request, report_id)
        messages.error(request, _("Say why the report is reopened."))
        return redirect("reports:report", report_id)
    return _step(
        request,
        report_id,
        "campaigns.reopen_report",
        report_services.report_reopen,
        _("The report is open for correction again."),
        reason=form.cleaned_data["reason"],
    )
