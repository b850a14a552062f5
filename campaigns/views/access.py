"""The access helpers of the campaigns pages: one per object kind, used by every view.

Each finds its object through a selector and answers 404 for an object outside the reader's
reach (another unit's report, a campaign they may not follow up), so ids cannot be probed;
the action's own permission is then checked with `config.access.require` (403).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from campaigns.models import (
    Campaign,
    Evidence,
    IndicatorValue,
    ProgressReport,
    Registration,
    ReportingPeriod,
    ReportLine,
)
from campaigns.selectors.campaigns import campaign_detail, period_detail
from campaigns.selectors.dashboard import Scope, dashboard_scope, unit_for_dashboard
from campaigns.selectors.expected import unit_is_expected, unit_participates
from campaigns.selectors.follow_up import unit_to_remind
from campaigns.selectors.reports import (
    report_detail,
    report_evidence,
    report_line,
    report_value,
)
from config.access import can, require
from units.models import Unit
from units.roles import roles_of
from units.views import get_unit_for_reader


def _found(lookup, **kwargs):
    """What a selector finds, or 404."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


# --- campaigns and their periods --------------------------------------------------------------


def get_campaign_for_reader(request: HttpRequest, code: str) -> Campaign:
    """A campaign with its objectives, indicators and periods (the campaign pages)."""
    campaign = _found(campaign_detail, code=code)
    if not can(request.user, "campaigns.read_campaign", campaign):
        raise Http404
    return campaign


def get_campaign_for_follow_up(request: HttpRequest, code: str) -> Campaign:
    """404 for whoever may not follow reports up."""
    campaign = get_object_or_404(Campaign, code=code)
    if not can(request.user, "campaigns.follow_up_reports", campaign):
        raise Http404
    return campaign


def get_period_for_nudge(request: HttpRequest, code: str, period_id: int) -> ReportingPeriod:
    """A period of a campaign the reader follows up, once they may send reminders (403)."""
    campaign = get_campaign_for_follow_up(request, code)
    period = get_object_or_404(ReportingPeriod, pk=period_id, campaign=campaign)
    require(request.user, "campaigns.nudge_units", campaign)
    period.campaign = campaign
    return period


def get_unit_to_remind(period: ReportingPeriod, code: str) -> Unit:
    """A unit expected to report for the period, or 404."""
    return _found(unit_to_remind, period=period, code=code)


def get_dashboard_for_reader(request: HttpRequest, code: str) -> tuple[Campaign, Scope]:
    """The campaign and the reader's scope, or 404 for readers without a dashboard (rather than
    403, as for another unit's objects)."""
    scope = dashboard_scope(roles_of(request.user))
    if scope is None or not can(request.user, "campaigns.view_dashboard"):
        raise Http404
    return get_campaign_for_reader(request, code), scope


def get_unit_for_dashboard(request: HttpRequest, campaign: Campaign, unit_code: str) -> Unit:
    """A participating unit whose figures the reader may see (their own or under it), or 404."""
    unit = _found(unit_for_dashboard, code=unit_code)
    if not can(request.user, "campaigns.view_unit_dashboard", unit):
        raise Http404
    if not unit_participates(unit=unit, campaign=campaign):
        raise Http404
    return unit


# --- reports ------------------------------------------------------------------------------------


def get_unit_and_period_for_reader(
    request: HttpRequest, unit_code: str, period_id: int
) -> tuple[Unit, ReportingPeriod]:
    """A unit the reader may read and a period it is expected to report for (a report to find
    or to start), or 404."""
    unit = get_unit_for_reader(request, unit_code)
    period = _found(period_detail, period_id=period_id)
    if not unit_participates(unit=unit, campaign=period.campaign) or not unit_is_expected(
        unit, period
    ):
        raise Http404
    return unit, period


def get_report_for_reader(request: HttpRequest, report_id: int) -> ProgressReport:
    report = _found(report_detail, report_id=report_id)
    if not can(request.user, "campaigns.read_report", report):
        raise Http404
    return report


def get_report_for_editor(request: HttpRequest, report_id: int) -> ProgressReport:
    """A report the reader may read (else 404) and edit now (else 403)."""
    report = get_report_for_reader(request, report_id)
    require(request.user, "campaigns.edit_report", report)
    return report


def get_line_for_editor(
    request: HttpRequest, report_id: int, line_id: int
) -> tuple[ProgressReport, ReportLine]:
    report = get_report_for_editor(request, report_id)
    return report, _found(report_line, report=report, line_id=line_id)


def get_value_for_editor(
    request: HttpRequest, report_id: int, value_id: int
) -> tuple[ProgressReport, IndicatorValue]:
    report = get_report_for_editor(request, report_id)
    return report, _found(report_value, report=report, value_id=value_id)


def get_evidence_for_reader(
    request: HttpRequest, report_id: int, evidence_id: int
) -> tuple[ProgressReport, Evidence]:
    report = get_report_for_reader(request, report_id)
    return report, _found(report_evidence, report=report, evidence_id=evidence_id)


def get_evidence_for_editor(
    request: HttpRequest, report_id: int, evidence_id: int
) -> tuple[ProgressReport, Evidence]:
    report = get_report_for_editor(request, report_id)
    return report, _found(report_evidence, report=report, evidence_id=evidence_id)


# --- registrations ------------------------------------------------------------------------------


def get_campaign_and_unit_for_registration(
    request: HttpRequest, campaign_code: str, unit_code: str, year: int
) -> tuple[Campaign, Unit]:
    """A campaign running in `year` and a participating unit the reader may read, or 404."""
    campaign = get_object_or_404(Campaign, code=campaign_code)
    unit = get_unit_for_reader(request, unit_code)
    if not unit_participates(unit=unit, campaign=campaign) or not (
        campaign.starts_on.year <= year <= campaign.ends_on.year
    ):
        raise Http404
    return campaign, unit


def get_registration_for_reader(
    request: HttpRequest, campaign_code: str, unit_code: str, year: int
) -> Registration:
    """The unit's registration for the year, or 404 (the workflow steps act on it)."""
    campaign, unit = get_campaign_and_unit_for_registration(request, campaign_code, unit_code, year)
    registration = get_object_or_404(Registration, campaign=campaign, unit=unit, year=year)
    registration.campaign, registration.unit = campaign, unit
    return registration
