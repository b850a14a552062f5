"""The dashboard pages: what they show, htmx partials, the export, and constant query counts."""

import datetime
import io
import random
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import IndicatorValue, Participation, ProgressReport, Registration, Target
from campaigns.services.campaigns import campaign_generate_periods
from campaigns.services.figures import figures_batch, figures_rebuild
from tests.factories import UnitFactory
from tests.sector import TZ
from units.models import Unit

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _url(sector, name="campaigns:dashboard", *args):
    return reverse(name, args=[sector.campaign.code, *args])


def test_the_board_sees_the_counts_rates_and_attainment_of_the_last_ended_period(
    client, sector, sector_cast, october
):
    client.force_login(sector_cast["board"])
    response = client.get(_url(sector))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Báo cáo kỳ Q3/2025" in body
    stats = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", body)
    assert stats[:5] == [
        ("Phải báo cáo", "4"),
        ("Đã báo cáo", "2"),
        ("Đúng hạn", "1"),
        ("Nộp muộn", "1"),
        ("Chưa báo cáo", "2"),
    ]
    assert "50 %" in body and "25 %" in body  # reporting and on-time rates
    assert '<progress max="1" value="0.5000"' in body
    assert "Mức độ đạt tính đến kỳ Q3/2025" in body and '<span class="figure">70 %</span>' in body
    # The heat map links each cell to the unit's report, or to the page that starts it.
    alpha_report = sector.reports[("alpha", "Q3/2025")]
    assert reverse("reports:report", args=[alpha_report.pk]) in body
    period = sector.periods["Q3/2025"]
    assert reverse("reports:report_for_period", args=["delta", period.pk]) in body
    # Units that have not reported, five days after the due date.
    overdue = body[body.index('id="overdue"') :]
    assert "Đơn vị chậm báo cáo" in overdue and "5 ngày" in overdue
    assert "Delta" in overdue and "Echo" in overdue and "Alpha" not in overdue


def test_filters_come_from_the_query_string_and_stay_in_the_form(
    client, sector, sector_cast, october
):
    client.force_login(sector_cast["board"])
    q2 = sector.periods["Q2/2025"]
    response = client.get(_url(sector), {"period": q2.pk, "kind": "provincial"})
    body = response.content.decode()
    assert f'<option value="{q2.pk}" selected>Q2/2025</option>' in body
    assert '<option value="provincial" selected>' in body
    stats = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", body))
    assert stats["Phải báo cáo"] == "1" and stats["Đã báo cáo"] == "1"  # Bravo, in Q2
    # A bad value falls back to its default instead of failing.
    response = client.get(_url(sector), {"period": "abc", "sort": "nope", "province": "Mars"})
    assert response.status_code == 200 and "Báo cáo kỳ Q3/2025" in response.content.decode()


def test_htmx_gets_the_part_of_the_page_it_targets(client, sector, sector_cast, october):
    client.force_login(sector_cast["board"])
    results = client.get(_url(sector), {"kind": "agency"}, headers=HTMX)
    body = results.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="dashboard-results">')
    heatmap = client.get(
        _url(sector), {"sort": "overall", "dir": "desc"}, headers={**HTMX, "HX-Target": "heatmap"}
    )
    body = heatmap.content.decode()
    assert body.lstrip().startswith('<div id="heatmap">') and 'id="dashboard-results"' not in body
    assert body.index("Alpha") < body.index("Charlie") < body.index("Delta")
    overdue = client.get(_url(sector), headers={**HTMX, "HX-Target": "overdue"})
    assert overdue.content.decode().lstrip().startswith('<div id="overdue">')


def test_the_page_pushes_its_state_into_the_url(client, sector, sector_cast, october):
    client.force_login(sector_cast["board"])
    body = client.get(_url(sector), {"sort": "o1", "dir": "desc"}).content.decode()
    assert 'hx-push-url="true"' in body
    # Sorting links keep the filters and reset the page; the export keeps every filter.
    assert 'href="?dir=asc&amp;sort=o1"' in body
    assert f"{_url(sector, 'campaigns:dashboard_export')}?dir=desc&amp;sort=o1" in body


def test_charts_are_svg_with_text_alternatives_and_no_inline_style(
    client, sector, sector_cast, october
):
    client.force_login(sector_cast["board"])
    body = client.get(_url(sector)).content.decode()
    assert '<svg class="chart-svg"' in body and 'role="img"' in body
    assert '<title id="trend-chart-title">' in body and '<desc id="trend-chart-desc">' in body
    chart = body[body.index('<svg class="chart-svg"') :]
    assert "Q1/2025" in chart[: chart.index("</svg>")]
    assert "style=" not in body and "<script>" not in body
    # Coordinates keep a decimal point whatever the language (Vietnamese writes 0,5).
    assert re.search(r'points="[\d.]+,[\d.]+ ', body)
    unit_page = client.get(_url(sector, "campaigns:dashboard_unit", "alpha")).content.decode()
    assert '<title id="unit-chart-title">' in unit_page and "style=" not in unit_page


def test_the_unit_drill_down_shows_its_timeline_reports_and_sub_units(
    client, sector, sector_cast, october
):
    client.force_login(sector_cast["head"])
    response = client.get(_url(sector, "campaigns:dashboard_unit", "alpha"))
    assert response.status_code == 200
    body = response.content.decode()
    timeline = body[body.index('id="timeline-title"') : body.index('id="reports-title"')]
    assert "73 %" in timeline and "83 %" in timeline and "80 %" in timeline  # Q3: O1, O2, all
    reports = body[body.index('id="reports-title"') : body.index('id="sub-title"')]
    assert reports.count("<tr>") == 5  # header and Q1–Q4
    sub_units = body[body.index('id="sub-title"') :]
    assert "Delta" in sub_units and "Echo" not in sub_units
    stats = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", sub_units))
    assert stats["Phải báo cáo"] == "1" and stats["Đã báo cáo"] == "0"


def test_the_export_has_the_dashboard_tables_with_the_filters_applied(
    client, sector, sector_cast, october
):
    client.force_login(sector_cast["board"])
    response = client.get(
        _url(sector, "campaigns:dashboard_export"), {"province": "Hà Nội", "sort": "overall"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Nhiệm vụ",
        "Chỉ tiêu",
        "Bản đồ nhiệt",
        "Xu hướng",
        "Chưa báo cáo",
    ]
    summary = dict(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert summary["Tỉnh, thành phố"] == "Hà Nội"
    assert (summary["Phải báo cáo"], summary["Đã báo cáo"]) == (3, 1)
    heat = list(book["Bản đồ nhiệt"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in heat] == ["alpha", "delta", "echo"]
    assert heat[0][7:10] == (72.5, 83.1, 79.6)
    trend = list(book["Xu hướng"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in trend] == ["Q1/2025", "Q2/2025", "Q3/2025"]
    missing = list(book["Chưa báo cáo"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in missing) == ["delta", "echo"]


def test_the_export_neutralises_formulas(client, sector, sector_cast, october):
    Unit.objects.filter(code="echo").update(name='=HYPERLINK("http://evil","x")')
    Unit.objects.filter(code="delta").update(name="@SUM(1+1)", province="+84 Hà Nội")
    client.force_login(sector_cast["board"])
    response = client.get(_url(sector, "campaigns:dashboard_export"))
    book = load_workbook(io.BytesIO(response.content))
    names = {row[0]: row[1] for row in book["Bản đồ nhiệt"].iter_rows(min_row=2, values_only=True)}
    assert names["echo"] == '\'=HYPERLINK("http://evil","x")'
    assert names["delta"] == "'@SUM(1+1)"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


# --- constant query counts -------------------------------------------------------------------


def grow(sector, extra_units: int) -> datetime.datetime:
    """Make the sector bigger: a second campaign year, more units, reports in every period.

    Returns the moment to look at it from (20/10/2026: seven periods have ended).
    """
    # Row by row outside the services: the figures are maintained once, at the end of the block
    # (not after each row), as a service does.
    with figures_batch():
        campaign = sector.campaign
        campaign.ends_on = datetime.date(2026, 12, 31)
        campaign.save()
        periods = campaign_generate_periods(campaign=campaign)
        indicators = list(sector.indicators.values())
        rng = random.Random(7)
        parent = sector.units["alpha"]
        for n in range(extra_units):
            unit = UnitFactory(
                code=f"extra-{n}",
                name=f"Extra {n:03d}",
                parent=parent if n % 2 else None,
                kind=Unit.Kind.ENTERPRISE if n % 3 else Unit.Kind.PROVINCIAL,
                province=["Hà Nội", "Huế", "Cần Thơ"][n % 3],
            )
            Participation.objects.create(campaign=campaign, unit=unit)
            for year in (2025, 2026):
                registration = Registration.objects.create(campaign=campaign, unit=unit, year=year)
                Target.objects.bulk_create(
                    Target(registration=registration, indicator=i, value=Decimal(50))
                    for i in indicators
                )
            for period in periods:
                if period.ends_on >= datetime.date(2026, 10, 1) or rng.random() < 0.1:
                    continue
                moment = datetime.datetime.combine(period.due_on, datetime.time(9), tzinfo=TZ)
                report = ProgressReport.objects.create(
                    unit=unit,
                    period=period,
                    status="accepted",
                    first_submitted_at=moment,
                    submitted_at=moment,
                    late=rng.random() < 0.2,
                )
                IndicatorValue.objects.bulk_create(
                    IndicatorValue(report=report, indicator=i, value=Decimal(rng.randint(1, 60)))
                    for i in indicators
                )
    # Values and targets were written in bulk (no signal): rebuild the figures, as after a load.
    figures_rebuild(campaign=campaign)
    return datetime.datetime(2026, 10, 20, 9, 0, tzinfo=TZ)


PAGES = {
    "dashboard": ("campaigns:dashboard", (), {}, {}),
    "sorted": ("campaigns:dashboard", (), {"sort": "overall", "dir": "desc"}, {}),
    "filtered": ("campaigns:dashboard", (), {"province": "Hà Nội", "sort": "o2"}, {}),
    "results partial": ("campaigns:dashboard", (), {"kind": "enterprise"}, HTMX),
    "heatmap partial": (
        "campaigns:dashboard",
        (),
        {"sort": "o1", "page": "2"},
        {**HTMX, "HX-Target": "heatmap"},
    ),
    "overdue partial": ("campaigns:dashboard", (), {}, {**HTMX, "HX-Target": "overdue"}),
    "unit": ("campaigns:dashboard_unit", ("alpha",), {}, {}),
    "unit sorted": ("campaigns:dashboard_unit", ("alpha",), {"sort": "overall"}, {}),
    "export": ("campaigns:dashboard_export", (), {"sort": "overall"}, {}),
}
MAX_QUERIES = 20


def _count(client, sector, page) -> int:
    name, args, params, headers = PAGES[page]
    # Counted cold, so that neither count depends on what an earlier request left in the cache
    # (roles, the bell, figures of unchanged periods) or on the cache's own clock.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(sector, name, *args), params, headers=headers)
    assert response.status_code == 200, page
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_the_same_number_of_queries_at_two_sizes(
    client, sector, sector_cast, page, django_assert_max_num_queries
):
    client.force_login(sector_cast["board"])
    with time_machine.travel(datetime.datetime(2025, 10, 20, 9, 0, tzinfo=TZ), tick=False):
        small = _count(client, sector, page)
    later = grow(sector, extra_units=60)
    assert Unit.objects.count() > 60 and ProgressReport.objects.count() > 300
    with time_machine.travel(later, tick=False):
        large = _count(client, sector, page)
        with django_assert_max_num_queries(MAX_QUERIES):
            name, args, params, headers = PAGES[page]
            client.get(_url(sector, name, *args), params, headers=headers)
    assert small == large, f"{page}: {small} queries with 5 units, {large} with 65"


def test_units_not_reported_show_when_they_were_last_reminded(client, sector, sector_cast, october):
    """The overdue table and its export read the reminders sent about the period's report."""
    from campaigns.models import Reminder

    reminded = datetime.datetime(2025, 10, 16, 8, 0, tzinfo=TZ)
    for unit in sector.units.values():
        for period in sector.periods.values():
            Reminder.objects.create(
                campaign=sector.campaign,
                unit=unit,
                period=period,
                kind=Reminder.Kind.OVERDUE,
                recipient=sector_cast["officer"],
                scheduled_on=reminded.date(),
                state=Reminder.State.SENT,
                sent_at=reminded,
            )
            Reminder.objects.create(  # queued, not sent: does not count
                campaign=sector.campaign,
                unit=unit,
                period=period,
                kind=Reminder.Kind.NUDGE,
                occasion="later",
                recipient=sector_cast["officer"],
                scheduled_on=reminded.date(),
            )
    client.force_login(sector_cast["board"])
    body = client.get(_url(sector)).content.decode()
    overdue = body[body.index('id="overdue"') :]
    assert "Lần nhắc gần nhất" in overdue and "16/10/2025" in overdue
    book = load_workbook(io.BytesIO(client.get(_url(sector, "campaigns:dashboard_export")).content))
    header = next(book["Chưa báo cáo"].iter_rows(max_row=1, values_only=True))
    assert header[-1] == "Lần nhắc gần nhất"
