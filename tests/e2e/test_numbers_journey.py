"""Numbers in a real browser: the Vietnamese decimal comma is read, and a value the server
refuses is shown as refused next to its field (never silently kept as if saved)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from campaigns.models import Indicator
from campaigns.services.reports import report_line_save, report_start
from tests.e2e.conftest import log_in, screenshot
from tests.factories import IndicatorFactory


@pytest.mark.django_db(transaction=True)
def test_officer_types_a_decimal_comma_and_sees_out_of_range_values_refused(
    page, cast, campaign, unit, password
):
    objective = campaign.objectives.get(number=1)
    km = IndicatorFactory(objective=objective, kind=Indicator.Kind.NUMBER, measure="km")
    period = campaign.periods.get(label="Q2/2025")
    moment = datetime.datetime(2025, 5, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=True):
        report = report_start(unit=unit, period=period, actor=None)
        line = report.lines.get(objective=objective)
        report_line_save(line=line, percent_complete=40, narrative="", version=1, actor=None)
        km_value = report.values.get(indicator=km)
        percent_value = report.values.filter(indicator__kind="percent").first()
        log_in(page, "officer", password)
        page.goto(f"/reports/{report.pk}/")

        # 1,5 in Vietnamese is one and a half, and reads back as 1,5.
        box = page.locator(f"#value-input-{km_value.pk}")
        box.fill("1,5")
        box.press("Tab")
        page.locator(f"#value-{km_value.pk}-status", has_text="Đã lưu").wait_for()
        km_value.refresh_from_db()
        assert km_value.value == Decimal("1.5")
        page.reload()
        expect(page.locator(f"#value-input-{km_value.pk}")).to_have_value("1,5")

        # 150 % of completion: refused next to the field, announced, the saved 40 kept.
        percent = page.locator(f"#percent-{line.pk}")
        expect(percent).to_have_value("40")
        percent.fill("150")
        percent.press("Tab")
        error = page.locator(f"#line-{line.pk}-error")
        expect(error).to_contain_text("Tỷ lệ phần trăm phải từ 0 đến 100")
        expect(error).to_contain_text("tỷ lệ đã lưu vẫn là 40")
        expect(percent).to_have_attribute("aria-invalid", "true")
        expect(percent).to_have_attribute("aria-describedby", f"line-{line.pk}-error")
        screenshot(page, "numbers-refused", f"#line-{line.pk}")
        line.refresh_from_db()
        assert line.percent_complete == 40

        # −5 in an indicator: refused the same way.
        value_box = page.locator(f"#value-input-{percent_value.pk}")
        value_box.fill("-5")
        value_box.press("Tab")
        expect(page.locator(f"#value-{percent_value.pk}-error")).to_contain_text("không được âm")
        expect(value_box).to_have_attribute("aria-invalid", "true")
        percent_value.refresh_from_db()
        assert percent_value.value is None

        # Corrected, it saves and the mark goes away.
        percent.fill("60")
        percent.press("Tab")
        page.locator(f"#line-{line.pk}-status", has_text="Đã lưu").wait_for()
        expect(percent).not_to_have_attribute("aria-invalid", "true")
        line.refresh_from_db()
        assert line.percent_complete == 60
    # The refusals are 422 answers, which the browser logs; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
