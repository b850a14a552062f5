"""Phone-sized pages that read well (issue 14 §5): the ballot checks every choice before it
asks to confirm, and its page fits 390 px; the header keeps the bell on its first row in
English too, and the bell's count is read once."""

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from awards.models import BallotReceipt
from tests.awards.conftest import (  # noqa: F401 (fixtures)
    council,
    draft_for,
    in_review,
    members,
    run_meeting,
)
from tests.e2e.conftest import log_in, screenshot
from units.services import notify

MOMENT = datetime.datetime(2025, 5, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for element in page.locator("h1, .breadcrumbs, .page-head p, .ballot-item legend").all():
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, element.inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_ballot_asks_to_confirm_only_once_every_choice_is_made(
    page,
    cast,
    council,  # noqa: F811 (the fixture imported above)
    members,  # noqa: F811
    in_review,  # noqa: F811
    password,
):
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with time_machine.travel(MOMENT, tick=True):
        first = in_review("Nguyễn Thị Phương Thảo")
        second = in_review("Trần Văn Bình")
        meeting = run_meeting(cast, members, [first, second], {})
        # A long reference without spaces, as meeting titles sometimes are, must wrap too.
        meeting.title = "Phiên_họp_Hội_đồng_Thi_đua_Khen_thưởng_Bộ_Công_Thương_số_05/2025"
        meeting.save(update_fields=["title"])
        first.person.full_name = "Nguyễn_Thị_Phương_Thảo_Hoàng_Anh_Lê_Minh_Châu"
        first.person.save(update_fields=["full_name"])
        log_in(page, "board", password)
        page.goto(f"/awards/meetings/{meeting.pk}/ballot/")
        expect(page.locator("h1")).to_have_text("Phiếu bầu kín của bạn")
        _fits_the_phone(page)

        items = page.locator("fieldset.ballot-item")
        items.nth(0).get_by_label("Tán thành", exact=True).check()
        page.get_by_role("button", name="Gửi phiếu").click()
        # Nothing asked, nothing sent: the missing choice is marked next to it.
        missing = items.nth(1)
        expect(missing.locator(".error")).to_have_text(
            "Chọn tán thành hoặc không tán thành hồ sơ này."
        )
        expect(missing).to_have_class("ballot-item has-error")
        error_id = missing.locator(".error").get_attribute("id")
        expect(missing).to_have_attribute("aria-describedby", error_id)
        expect(missing.get_by_label("Tán thành", exact=True)).to_be_focused()
        assert asked == [] and not BallotReceipt.objects.exists()
        screenshot(page, "ballot-missing-choice", "fieldset.ballot-item.has-error")

        # A choice clears the error; then, and only then, the question is asked.
        missing.get_by_label("Không tán thành", exact=True).check()
        expect(missing.locator(".error")).to_have_count(0)
        expect(missing).not_to_have_attribute("aria-describedby", error_id)
        page.get_by_role("button", name="Gửi phiếu").click()
        page.get_by_text("Đã ghi nhận phiếu của bạn. Xin cảm ơn.").wait_for()
    assert asked == ["Gửi phiếu này? Sau khi gửi không thể thay đổi."]
    assert BallotReceipt.objects.filter(member=cast["board"]).count() == 1
    assert page.console_errors == []


def _same_row(page) -> None:
    brand = page.locator(".site-header .brand").bounding_box()
    bell = page.locator("#notification-bell").bounding_box()
    toggle = page.locator(".nav-toggle").bounding_box()
    for box in (bell, toggle):
        # Vertically overlapping the brand: on the same row, not wrapped under it.
        assert box["y"] < brand["y"] + brand["height"] and brand["y"] < box["y"] + box["height"]
        assert box["x"] + box["width"] <= 390
    assert brand["x"] + brand["width"] <= bell["x"] <= toggle["x"]


@pytest.mark.django_db(transaction=True)
def test_the_header_keeps_the_bell_on_its_row_in_both_languages(page, cast, password):
    for n in range(3):
        notify(recipient=cast["officer"], message=f"Thông báo {n}", url="/")
    log_in(page, "officer", password)
    _same_row(page)
    bell = page.get_by_role("link", name="Thông báo: 3 chưa đọc")
    expect(bell).to_be_visible()
    expect(page.locator("#notification-bell .bell-count")).to_have_attribute("aria-hidden", "true")
    page.click(".nav-toggle")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _same_row(page)
    expect(page.get_by_role("link", name="Notifications: 3 unread")).to_be_visible()
    screenshot(page, "header-english", ".site-header")
    assert page.console_errors == []
