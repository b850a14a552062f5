import datetime
import zoneinfo

import pytest
import time_machine

from campaigns.models import Reminder
from tests.e2e.conftest import log_in
from units.models import Notification
from units.services import notify


def log_out(page) -> None:
    page.goto("/")
    if page.locator(".nav-toggle").is_visible():
        page.click(".nav-toggle")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_secretary_reminds_units_and_the_officer_sees_the_bell_and_reads_it(
    page, cast, campaign, unit, password
):
    moment = datetime.datetime(2025, 5, 9, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    questions = []
    with time_machine.travel(moment, tick=True):
        # The secretary reminds Cục A from the list of units that have not reported.
        log_in(page, "secretary", password)
        page.goto(f"/campaigns/{campaign.code}/follow-up/")
        row = page.locator("#follow-up-cuc-a")
        row.get_by_role("button", name="Nhắc ngay").click()
        page.locator("#follow-up-cuc-a", has_text="Lời nhắc đang được gửi tới 1 người.").wait_for()
        assert Reminder.objects.filter(kind="nudge", recipient=cast["officer"]).count() == 1

        # "Remind all" asks first (data-confirm, handled in app.js for htmx forms too).
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name="Nhắc ngay 3 đơn vị").click()
        page.wait_for_timeout(300)
        assert questions == ["Gửi lời nhắc ngay tới 3 đơn vị chưa nộp báo cáo Q1/2025?"]
        assert Reminder.objects.count() == 1  # dismissed: nothing sent
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Nhắc ngay 3 đơn vị").click()
        page.get_by_text("Lời nhắc đang được gửi tới 1 người của 1 đơn vị.").wait_for()
        # Cục A was already reminded from this page view; Cục B's officer now is.
        assert sorted(Reminder.objects.values_list("recipient__username", flat=True)) == [
            "officer",
            "outsider",
        ]
        log_out(page)

        # The officer sees one unread notification on the bell of every page.
        page.clock.install()
        log_in(page, "officer", password)
        bell = page.locator("#notification-bell")
        assert bell.locator(".bell-count").inner_text() == "1"
        # A new notice arrives while the page is open: the bell refreshes without a reload.
        notify(recipient=cast["officer"], message="Thông báo mới", url="/")
        page.clock.run_for(61_000)
        page.locator("#notification-bell .bell-count", has_text="2").wait_for()

        bell.click()
        page.wait_for_url("**/me/notifications/")
        item = page.locator(".notification.unread").filter(has_text="Thư ký Hội đồng nhắc")
        item.get_by_role("button", name="Đánh dấu đã đọc").click()
        page.locator("#notification-bell .bell-count", has_text="1").wait_for()
        page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
        page.locator("#notification-bell .bell-count").wait_for(state="detached")
        assert not Notification.objects.filter(recipient=cast["officer"], read_at=None).exists()

        # Following a notification goes to the unit's report for the period.
        page.locator(".notification-message").filter(has_text="Thư ký Hội đồng nhắc").click()
        page.wait_for_url("**/reports/units/cuc-a/periods/*/")
    assert page.console_errors == []
