"""The page of one unit: what the campaign knows about it (reports, registration, attainment).

It answers at /units/<code>/ under the `units` namespace with the units app's list (see
campaigns/unit_urls.py); it lives here because the units app may not import the campaigns app.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns.selectors.attainment import unit_attainment
from campaigns.selectors.campaigns import campaign_active
from campaigns.selectors.expected import unit_participates
from campaigns.selectors.reviews import unit_review_rows
from campaigns.selectors.unit_page import unit_registrations, unit_report_rows
from config.access import can
from units.views import get_unit_for_reader


@require_GET
def unit_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_reader(request, code)
    today = timezone.localdate()
    context = {"unit": unit, "today": today}
    campaign = campaign_active(today=today)
    if campaign is not None and unit_participates(unit=unit, campaign=campaign):
        years = list(range(campaign.starts_on.year, campaign.ends_on.year + 1))
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, years[0]), years[-1])
        context.update(
            campaign=campaign,
            years=years,
            year=year,
            report_rows=unit_report_rows(unit=unit, campaign=campaign, today=today),
            review_rows=unit_review_rows(unit=unit, campaign=campaign, today=today),
            registrations=unit_registrations(unit=unit, campaign=campaign),
            attainment=unit_attainment(campaign=campaign, unit_id=unit.pk, year=year),
            can_write=can(request.user, "campaigns.write_unit_reports", unit),
        )
    return render(request, "campaigns/unit_detail.html", context)
