"""Progress reports and registrations: the officer's daily pages.

Every view finds its object through one access helper (404 for another unit's object), checks
the action's permission (403), calls one service and answers either the whole page or, for
htmx requests, the named partial of that page.
"""

from __future__ import annotations

import hashlib

import rules
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from campaigns import services
from campaigns.forms import EvidenceForm, LineForm, ReasonForm, RegistrationForm, ValueForm
from campaigns.models import (
    Campaign,
    Evidence,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Registration,
    ReportingPeriod,
    ReportLine,
)
from campaigns.selectors import (
    period_state,
    report_blocks,
    report_detail,
    report_for,
    report_history,
    report_with_content,
    unit_is_expected,
    unit_participates,
)
from units.roles import roles_of
from units.selectors import read_reader_cache, unread_count
from units.views import get_unit_for_reader

# --- access helpers ---------------------------------------------------------------------------


def get_report_for_reader(request: HttpRequest, report_id: int) -> ProgressReport:
    try:
        report = report_detail(report_id=report_id)
    except ProgressReport.DoesNotExist:
        raise Http404 from None
    if not rules.has_perm("campaigns.read_report", request.user, report):
        raise Http404
    return report


def _require(request: HttpRequest, permission: str, obj) -> None:
    if not rules.has_perm(permission, request.user, obj):
        raise PermissionDenied


def _report_url(report: ProgressReport) -> str:
    return reverse("reports:report", args=[report.pk])


# --- finding and starting a report ------------------------------------------------------------


def _unit_and_period(request: HttpRequest, unit_code: str, period_id: int):
    unit = get_unit_for_reader(request, unit_code)
    period = get_object_or_404(ReportingPeriod.objects.select_related("campaign"), pk=period_id)
    if not unit_participates(unit=unit, campaign=period.campaign) or not unit_is_expected(
        unit, period
    ):
        raise Http404
    return unit, period


@require_GET
def report_for_period(request: HttpRequest, unit_code: str, period_id: int) -> HttpResponse:
    unit, period = _unit_and_period(request, unit_code, period_id)
    report = report_for(unit=unit, period=period)
    if report is not None:
        return redirect(_report_url(report))
    state = period_state(period, timezone.localdate())
    can_start = state in {"open", "overdue"} and rules.has_perm(
        "campaigns.write_unit_reports", request.user, unit
    )
    return render(
        request,
        "campaigns/report_missing.html",
        {"unit": unit, "period": period, "state": state, "can_start": can_start},
    )


@require_POST
def report_start(request: HttpRequest, unit_code: str, period_id: int) -> HttpResponse:
    unit, period = _unit_and_period(request, unit_code, period_id)
    _require(request, "campaigns.write_unit_reports", unit)
    if period_state(period, timezone.localdate()) not in {"open", "overdue"}:
        messages.error(request, _("This period is not open for reporting."))
        return redirect("reports:report_for_period", unit.code, period.pk)
    report = services.report_start(unit=unit, period=period, user=request.user)
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
        "can_edit": rules.has_perm("campaigns.edit_report", user, report),
        "can_submit": rules.has_perm("campaigns.submit_report", user, report),
        "can_review": rules.has_perm("campaigns.review_report", user, report),
        "can_reopen": rules.has_perm("campaigns.reopen_report", user, report),
        "reason_form": ReasonForm(),
    }
    # What the cached page depends on besides the report (its `updated_at` for the workflow,
    # its `content_version` for lines, values and files): who looks (their rights and their
    # CSRF secret, which the forms carry), the day (locking) and the language.
    rights = "".join(
        str(int(context[key])) for key in ("can_edit", "can_submit", "can_review", "can_reopen")
    )
    secret = hashlib.sha256(request.META.get("CSRF_COOKIE", "").encode()).hexdigest()[:16]
    context["body_key"] = f"{user.pk}:{rights}:{secret}:{today.isoformat()}"
    return context


# How long a drawn report page is kept; every key part below makes it stale sooner.
REPORT_PAGE_SECONDS = 900


def _page_key(
    request: HttpRequest, report: ProgressReport, context: dict, unread: int | None
) -> str | None:
    """The cache key of the whole page as this reader sees it now, or None when the page must
    be drawn: a page carrying one-time messages, or a first visit without the CSRF cookie (the
    drawn page sets it)."""
    if not request.META.get("CSRF_COOKIE") or len(messages.get_messages(request)):
        return None
    user = request.user
    if unread is None:
        unread = unread_count(user=user)
    around = (
        # The base layout: the reader's name and staff flag, the navigation their roles
        # give, the bell's count and the URL the language switch returns to.
        user.get_full_name(),
        user.is_staff,
        roles_of(user).fingerprint(),
        unread,
        request.get_full_path(),
    )
    digest = hashlib.sha256(repr(around).encode()).hexdigest()[:16]
    return ":".join(
        [
            "report_page_full",
            str(report.pk),
            str(report.updated_at.timestamp()),
            str(report.content_version),
            context["body_key"],
            get_language(),
            digest,
        ]
    )


@require_GET
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report; `?history=1` adds the timeline (htmx asks for just that part when the
    history is opened, so the page itself stays light).

    The permission check and the report's row are read on every request; the drawn page is
    then served from the cache as long as nothing it shows has changed (the report's state
    and content, the reader's rights, roles, name, bell and language, the day).
    """
    unread = read_reader_cache(request.user) if request.user.is_authenticated else None
    report = get_report_for_reader(request, report_id)
    history = request.GET.get("history") == "1"
    context = _report_context(request, report, history=history)
    if history and request.htmx:
        return render(request, "campaigns/report.html#history_body", context)
    key = None if history or request.htmx else _page_key(request, report, context, unread)
    if key is not None:
        content = cache.get(key)
        if content is not None:
            get_token(request)  # as the drawn page's forms do: keeps the CSRF cookie fresh
            return HttpResponse(content)
    response = render(request, "campaigns/report.html", context)
    if key is not None:
        cache.set(key, response.content, REPORT_PAGE_SECONDS)
    return response


def _editable_report(request: HttpRequest, report_id: int) -> ProgressReport:
    report = get_report_for_reader(request, report_id)
    _require(request, "campaigns.edit_report", report)
    return report


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
    except services.StaleEdit as conflict:
        # The whole field group is redrawn with the current values and the refused input.
        context.update({name: conflict.current, "conflict": True, "mine": form.cleaned_data})
        response = _answer(request, report, f"campaigns/report.html#{name}", context, 409)
        if request.htmx:
            response = reswap(retarget(response, f"#{name}-{row.pk}"), "outerHTML")
        return response
    except (services.WorkflowError, ValidationError) as error:
        context["error"] = _message(error)
        return _answer(request, report, status_partial, context, 422)
    context.update({name: saved, "saved": True})
    return _answer(request, report, status_partial, context, 200)


@require_POST
def line_save(request: HttpRequest, report_id: int, line_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    line = get_object_or_404(ReportLine, pk=line_id, report=report)
    return _autosave(
        request,
        report,
        LineForm(request.POST),
        name="line",
        row=line,
        save=lambda data: services.report_line_save(
            line_id=line.pk,
            percent_complete=data["percent_complete"],
            narrative=data["narrative"],
            version=data["version"],
            user=request.user,
        ),
    )


@require_POST
def value_save(request: HttpRequest, report_id: int, value_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    row = get_object_or_404(
        IndicatorValue.objects.select_related("indicator"), pk=value_id, report=report
    )
    return _autosave(
        request,
        report,
        ValueForm(request.POST, indicator=row.indicator),
        name="value",
        row=row,
        save=lambda data: services.indicator_value_save(
            value_id=row.pk, value=data["value"], version=data["version"], user=request.user
        ),
    )


@require_POST
def evidence_upload(request: HttpRequest, report_id: int, line_id: int) -> HttpResponse:
    report = _editable_report(request, report_id)
    line = get_object_or_404(ReportLine, pk=line_id, report=report)
    form = EvidenceForm(request.POST, request.FILES)
    status = 200
    error = None
    if form.is_valid():
        try:
            services.evidence_add(line=line, upload=form.cleaned_data["file"], user=request.user)
        except (services.WorkflowError, ValidationError) as exc:
            error, status = _message(exc), 422
    else:
        error, status = " ".join(form.errors.get("file", [])), 422
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_report_url(report) + f"#objective-{line.objective_id}")
    context = {
        "report": report,
        "line": ReportLine.objects.prefetch_related("evidence__uploaded_by").get(pk=line.pk),
        "can_edit": True,
        "evidence_error": error,
    }
    return render(request, "campaigns/report.html#evidence", context, status=status)


@require_GET
def evidence_download(request: HttpRequest, report_id: int, evidence_id: int) -> FileResponse:
    report = get_report_for_reader(request, report_id)
    evidence = get_object_or_404(Evidence, pk=evidence_id, line__report=report)
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
    report = _editable_report(request, report_id)
    evidence = get_object_or_404(
        Evidence.objects.select_related("line"), pk=evidence_id, line__report=report
    )
    line_id = evidence.line_id
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    if request.htmx:
        line = ReportLine.objects.prefetch_related("evidence__uploaded_by").get(pk=line_id)
        return render(
            request,
            "campaigns/report.html#evidence",
            {"report": report, "line": line, "can_edit": True},
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


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


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
    _require(request, permission, report)
    try:
        step(report_id=report.pk, user=request.user, **kwargs)
    except (services.WorkflowError, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, success)
    return redirect(_report_url(report))


@require_POST
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    return _step(
        request,
        report_id,
        "campaigns.submit_report",
        services.report_submit,
        _("The report was submitted to the unit head."),
        done=ProgressReport.Status.SUBMITTED,
    )


@require_POST
def report_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    return _step(
        request,
        report_id,
        "campaigns.review_report",
        services.report_accept,
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
        services.report_return,
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
        services.report_reopen,
        _("The report is open for correction again."),
        reason=form.cleaned_data["reason"],
    )


# --- registration -----------------------------------------------------------------------------


def _campaign_unit(request: HttpRequest, campaign_code: str, unit_code: str, year: int):
    campaign = get_object_or_404(Campaign, code=campaign_code)
    unit = get_unit_for_reader(request, unit_code)
    if not unit_participates(unit=unit, campaign=campaign) or not (
        campaign.starts_on.year <= year <= campaign.ends_on.year
    ):
        raise Http404
    return campaign, unit


@require_http_methods(["GET", "POST"])
def registration_page(
    request: HttpRequest, campaign_code: str, unit_code: str, year: int
) -> HttpResponse:
    campaign, unit = _campaign_unit(request, campaign_code, unit_code, year)
    registration = (
        Registration.objects.filter(campaign=campaign, unit=unit, year=year)
        .prefetch_related("targets")
        .select_related("confirmed_by")
        .first()
    )
    probe = registration or Registration(campaign=campaign, unit=unit, year=year)
    can_edit = rules.has_perm("campaigns.edit_registration", request.user, probe)
    indicators = (
        Indicator.objects.filter(objective__campaign=campaign)
        .select_related("objective")
        .order_by("objective__number", "order")
    )
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
                services.registration_save(
                    campaign=campaign,
                    unit=unit,
                    year=year,
                    commitments=form.cleaned_data["commitments"],
                    target_title=form.cleaned_data["target_title"],
                    targets=form.targets(),
                    user=request.user,
                )
            except services.WorkflowError as error:
                messages.error(request, str(error))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
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
            and rules.has_perm("campaigns.confirm_registration", request.user, registration),
        },
        status=status,
    )


def _registration_step(request, campaign_code, unit_code, year, permission, step, success):
    campaign, unit = _campaign_unit(request, campaign_code, unit_code, year)
    registration = get_object_or_404(Registration, campaign=campaign, unit=unit, year=year)
    _require(request, permission, registration)
    try:
        step(registration_id=registration.pk, user=request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("campaigns:registration", campaign.code, unit.code, year)


@require_POST
def registration_submit(request, campaign_code: str, unit_code: str, year: int) -> HttpResponse:
    return _registration_step(
        request,
        campaign_code,
        unit_code,
        year,
        "campaigns.edit_registration",
        services.registration_submit,
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
        services.registration_confirm,
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
        services.registration_send_back,
        _("The registration was sent back to the officer."),
    )
