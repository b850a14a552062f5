import datetime
import zoneinfo

import pytest
import time_machine

from campaigns.models import Evidence, ProgressReport
from tests.e2e.conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def log_out(page) -> None:
    page.goto("/")
    if page.locator(".nav-toggle").is_visible():
        page.click(".nav-toggle")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_officer_reports_head_returns_officer_resubmits_head_accepts(
    page, cast, campaign, unit, password, tmp_path
):
    moment = datetime.datetime(2025, 5, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    page.on("dialog", lambda dialog: dialog.accept())
    evidence_file = tmp_path / "bien-ban-hoi-nghi.pdf"
    evidence_file.write_bytes(PDF)
    with time_machine.travel(moment, tick=True):
        # The officer starts the Q2/2025 report from the unit's page.
        log_in(page, "officer", password)
        page.goto(f"/units/{unit.code}/")
        page.locator("#reports tr", has_text="Q2/2025").get_by_role("link", name="Bắt đầu").click()
        page.get_by_role("button", name="Bắt đầu báo cáo").click()
        page.wait_for_url("**/reports/*/")
        report = ProgressReport.objects.get()

        first = page.locator("form.line-form").first
        first.get_by_label("Mức độ hoàn thành (%)").fill("80")
        first.get_by_label("Kết quả thực hiện").fill("Tổ chức 2 hội nghị quán triệt Chỉ thị 34.")
        first.get_by_label("Mức độ hoàn thành (%)").focus()
        page.locator(f"#line-{report.lines.first().pk}-status", has_text="Đã lưu").wait_for()

        value_input = page.locator("form.value-form input[name=value]").first
        value_input.fill("2")
        value_input.press("Tab")
        page.locator("form.value-form .save-status", has_text="Đã lưu").first.wait_for()

        evidence = page.locator(".evidence").first
        evidence.locator("input[type=file]").set_input_files(str(evidence_file))
        evidence.get_by_role("button", name="Tải lên").click()
        page.get_by_role("link", name="bien-ban-hoi-nghi.pdf").wait_for()
        page.get_by_role("button", name="Nộp báo cáo").click()
        # Objective 2 is left empty: the submit names it and asks first (issue 14 §3).
        page.get_by_role("button", name="Vẫn nộp báo cáo").click()
        page.get_by_text("Đã nộp báo cáo cho thủ trưởng đơn vị.").wait_for()
        log_out(page)

        # The head returns it with a reason.
        log_in(page, "head", password)
        page.goto(f"/reports/{report.pk}/")
        page.get_by_label("Lý do trả lại").fill("Bổ sung số liệu chỉ tiêu 2.")
        page.get_by_role("button", name="Trả lại đơn vị").click()
        page.get_by_text("Đã trả lại báo cáo cho đơn vị kèm lý do.").wait_for()
        log_out(page)

        # The officer sees the reason on top, corrects and resubmits.
        log_in(page, "officer", password)
        page.goto(f"/reports/{report.pk}/")
        assert "Bổ sung số liệu chỉ tiêu 2." in page.locator("#return-reason").inner_text()
        second_form = page.locator("form.value-form").nth(1)
        second_form.locator("input[name=value]").fill("95")
        second_form.locator("input[name=value]").press("Tab")
        second_form.locator(".save-status", has_text="Đã lưu").wait_for()
        page.get_by_role("button", name="Nộp lại báo cáo").click()
        page.get_by_role("button", name="Vẫn nộp báo cáo").click()
        page.get_by_text("Đã nộp báo cáo cho thủ trưởng đơn vị.").wait_for()
        log_out(page)

        # The head accepts.
        log_in(page, "head", password)
        page.goto(f"/reports/{report.pk}/")
        page.get_by_role("button", name="Chấp nhận báo cáo").click()
        page.get_by_text("Đã chấp nhận báo cáo.").wait_for()

    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED and not report.late
    line = report.lines.first()
    assert (line.percent_complete, line.narrative) == (
        80,
        "Tổ chức 2 hội nghị quán triệt Chỉ thị 34.",
    )
    assert sorted(v.value for v in report.values.exclude(value=None)) == [2, 95]
    assert Evidence.objects.get().original_name == "bien-ban-hoi-nghi.pdf"
    assert page.console_errors == []
