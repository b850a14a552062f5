"""Dashboards and lists agree with the calendar (issue 14 §4): one "current period" for the
home page and the dashboard, stated on both; the province filter lists what existed in the
selected period; the export writes labels, not codes."""

import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.selectors.campaigns import period_current
from tests.sector import TZ

pytestmark = pytest.mark.django_db


def _dashboard(client, sector, **params):
    return client.get(
        reverse("campaigns:dashboard", args=[sector.campaign.code]), params
    ).content.decode()


def _provinces(body: str) -> list[str]:
    select = body[body.index('name="province"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="([^"]+)"', select)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        ("2025-10-20", "Q3/2025"),  # Q3 due 15/10, still open until it locks: reported on now
        ("2025-12-20", "Q4/2025"),  # Q3 locked, Q4 running: the one open for reporting
        ("2025-05-10", "Q1/2025"),
    ],
)
def test_home_and_dashboard_open_on_the_same_current_period_and_say_why(
    client, sector, sector_cast, day, label
):
    import datetime

    moment = datetime.datetime.fromisoformat(day).replace(hour=9, tzinfo=TZ)
    with time_machine.travel(moment, tick=False):
        sector.campaign.refresh_from_db()
        assert period_current(campaign=sector.campaign, today=moment.date()).label == label
        client.force_login(sector_cast["board"])
        home = client.get("/").content.decode()
        current = home[home.index('id="current-period"') :]
        assert current.startswith(f'id="current-period"><strong>{label}</strong>')
        dashboard = _dashboard(client, sector)
        assert f"Báo cáo kỳ {label}" in dashboard
        assert f"{label} là kỳ hiện tại." in dashboard
        for page in (home, dashboard):
            assert "Kỳ hiện tại là kỳ các đơn vị đang báo cáo" in page


def test_the_province_filter_lists_the_provinces_of_the_selected_period(
    client, sector, sector_cast, october
):
    """Hà Giang's department closed on 30/06/2025, Tuyên Quang's opened on 01/07/2025 (the
    merger of the provinces): each is listed only for the periods it existed in."""
    client.force_login(sector_cast["board"])
    after = _provinces(_dashboard(client, sector, period=sector.periods["Q3/2025"].pk))
    before = _provinces(_dashboard(client, sector, period=sector.periods["Q2/2025"].pk))
    assert "Tuyên Quang" in after and "Hà Giang" not in after
    assert "Hà Giang" in before and "Tuyên Quang" not in before
    assert "Hà Nội" in after and "Hà Nội" in before


def test_the_export_writes_the_kind_and_bloc_as_labels(client, sector, sector_cast, october):
    client.force_login(sector_cast["board"])
    response = client.get(
        reverse("campaigns:dashboard_export", args=[sector.campaign.code]),
        {"kind": "provincial", "bloc": "khoi-a"},
    )
    summary = dict(
        load_workbook(io.BytesIO(response.content))["Tổng hợp"].iter_rows(
            min_row=2, values_only=True
        )
    )
    assert summary["Loại"] == "Sở Công Thương"
    assert summary["Khối/cụm"] == "Khối A"
