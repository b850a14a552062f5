"""A unit's review report on a phone (issue 17 §2): the officer opens the review period from the
unit page, writes the four sections beside the unit's figures, submits; the head accepts."""

import datetime
import time
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from campaigns.models import ProgressReport, ReviewSections
from campaigns.services.campaigns import campaign_generate_periods
from tests.e2e.conftest import log_in, settled, switch_user


def _saves_done(texts) -> int:
    """The version of the sections once all the texts are saved (polled from the database)."""
    for _attempt in range(100):
        sections = ReviewSections.objects.get()
        if sections.results and sections.proposals == texts["Đề xuất, kiến nghị"]:
            return sections.version
        time.sleep(0.1)
    raise AssertionError("the sections were not saved")


@pytest.mark.django_db(transaction=True)
def test_officer_writes_and_submits_the_review_and_the_head_accepts(
    page, cast, campaign, unit, password
):
    campaign.midterm_review_on = datetime.date(2025, 5, 31)
    campaign.save()
    campaign_generate_periods(campaign=campaign)
    moment = datetime.datetime(2025, 5, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    page.on("dialog", lambda dialog: dialog.accept())
    with time_machine.travel(moment, tick=True):
        log_in(page, "officer", password)
        page.goto(f"/units/{unit.code}/")
        page.locator("#reviews").get_by_role("link", name="Viết báo cáo sơ kết, tổng kết").click()
        page.get_by_role("button", name="Bắt đầu báo cáo").click()
        page.wait_for_url("**/reports/*/")
        page.locator("#review-figures", has_text="2024").wait_for()
        texts = {
            "Kết quả thực hiện từng nhiệm vụ": "Hoàn thành 2/2 nhiệm vụ của phong trào.",
            "Mô hình, điển hình tiên tiến": "Mô hình một cửa điện tử của Chi cục A1.",
            "Hạn chế và nguyên nhân": "Thiếu nhân lực chuyên trách.",
            "Đề xuất, kiến nghị": "Bổ sung kinh phí khen thưởng.",
        }
        for label, text in texts.items():
            page.get_by_label(label).fill(text)
        page.get_by_label("Kết quả thực hiện từng nhiệm vụ").focus()
        page.locator("#review-status", has_text="Đã lưu").wait_for()
        # Every queued autosave is written before the submit.
        expect(page.locator("#review-version")).to_have_value(str(_saves_done(texts)))
        settled(page)
        page.get_by_role("button", name="Nộp báo cáo").click()
        page.get_by_text("Đã nộp báo cáo cho thủ trưởng đơn vị.").wait_for()
        report = ProgressReport.objects.get()

        switch_user(page, "head", password)
        page.goto(f"/reports/{report.pk}/")
        assert "Bổ sung kinh phí khen thưởng." in page.locator("#review-sections").inner_text()
        page.get_by_role("button", name="Chấp nhận báo cáo").click()
        page.get_by_text("Đã chấp nhận báo cáo.").wait_for()

    report.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED and report.period.is_review
    sections = ReviewSections.objects.get(report=report)
    assert sections.proposals == "Bổ sung kinh phí khen thưởng."
    assert sections.limits == "Thiếu nhân lực chuyên trách."
    assert not page.console_errors
