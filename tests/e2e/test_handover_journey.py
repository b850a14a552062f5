"""Issue 14 §3 in the browser: the officer submits a report, confirming the objectives left
empty; the head signs in and sees it waiting for them, on the home page and on the bell."""

import datetime
import zoneinfo

import pytest
import time_machine

from campaigns.models import ProgressReport
from tests.e2e.conftest import log_in, screenshot, switch_user


@pytest.mark.django_db(transaction=True)
def test_the_head_sees_the_submitted_report_waiting_and_on_the_bell(
    page, cast, campaign, unit, password
):
    moment = datetime.datetime(2025, 5, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    page.on("dialog", lambda dialog: dialog.accept())
    with time_machine.travel(moment, tick=True):
        # The officer's home page says which reports wait to be filled in.
        log_in(page, "officer", password)
        waiting = page.locator("#waiting")
        waiting.get_by_role("heading", name="Đang chờ bạn").wait_for()
        waiting.get_by_role("link", name="Báo cáo cần điền và nộp").click()
        page.get_by_role("button", name="Bắt đầu báo cáo").click()
        page.wait_for_url("**/reports/*/")
        report = ProgressReport.objects.get()

        # Only the first objective is filled in.
        first = page.locator("form.line-form").first
        first.get_by_label("Mức độ hoàn thành (%)").fill("80")
        first.get_by_label("Kết quả thực hiện").fill("Tổ chức 2 hội nghị.")
        first.get_by_label("Mức độ hoàn thành (%)").focus()
        page.locator(f"#line-{report.lines.first().pk}-status", has_text="Đã lưu").wait_for()

        # Submitting asks first, naming the objective left empty; nothing is sent yet.
        page.get_by_role("button", name="Nộp báo cáo").click()
        confirm = page.locator("#confirm-empty")
        confirm.get_by_role("heading", name="Nộp báo cáo khi còn mục tiêu để trống?").wait_for()
        second = report.lines.order_by("objective__number")[1].objective
        assert second.title in confirm.inner_text()
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.DRAFT
        screenshot(page, "handover-confirm-empty")
        confirm.get_by_role("button", name="Vẫn nộp báo cáo").click()
        page.get_by_text("Đã nộp báo cáo cho thủ trưởng đơn vị.").wait_for()

        # The head signs in: the report waits for them and the bell has it.
        switch_user(page, "head", password)
        waiting = page.locator("#waiting")
        item = waiting.get_by_role("link", name="Báo cáo cần chấp nhận hoặc trả lại")
        assert item.locator(".count").inner_text() == "1"
        assert page.locator("#notification-bell .bell-count").inner_text() == "1"
        screenshot(page, "handover-head-waiting", "#waiting")
        item.click()
        page.wait_for_url(f"**/reports/{report.pk}/")
        page.get_by_role("button", name="Chấp nhận báo cáo").click()
        page.get_by_text("Đã chấp nhận báo cáo.").wait_for()

        # The officer is told in turn.
        switch_user(page, "officer", password)
        assert page.locator("#notification-bell .bell-count").inner_text() == "1"
    assert page.console_errors == []
