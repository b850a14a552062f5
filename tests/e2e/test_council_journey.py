"""From the council meeting to the award history, in a browser: the secretary runs the meeting,
three members vote, the ballot closes, the nominee is published and commented on by a
visitor, the decision is recorded and the award shows in the nominee's history."""

import datetime
import re
import zoneinfo

import pytest
import time_machine

from awards import tasks
from awards.models import (
    BallotReceipt,
    Council,
    CouncilMember,
    Nomination,
    Publication,
    PublicComment,
)
from awards.services.nominations import nomination_draft
from tests.awards.conftest import advance
from tests.e2e.conftest import log_in
from tests.factories import PersonFactory, TaskRatingFactory, UserFactory

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
CHAIR = "cây đa giếng nước sân đình"
SECRETARY = "ba mươi sáu phố phường"


def _switch_user(page, username, password):
    page.context.clear_cookies()
    log_in(page, username, password)


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2025, 5, day, hour, 0, tzinfo=TZ)


@pytest.mark.django_db(transaction=True)
def test_a_meeting_a_secret_ballot_publicity_and_the_decision(
    page, cast, unit, catalogue, password
):
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() of data-confirm buttons
    with time_machine.travel(_at(9, 9), tick=True) as clock:  # Friday 09/05/2025
        council = Council.objects.create(term_start=datetime.date(2024, 1, 1))
        members = [cast["board"], UserFactory(username="uyvien2"), UserFactory(username="uyvien3")]
        for user, role in zip(members, ["chair", "member", "secretary"], strict=True):
            CouncilMember.objects.create(
                council=council, user=user, role=role, term_start=datetime.date(2024, 1, 1)
            )
        person = PersonFactory(unit=unit, full_name="Nguyễn Thị Hoa", position="Chuyên viên")
        TaskRatingFactory(person=person, year=2025, rating="HTXS")
        nomination = nomination_draft(
            proposing_unit=unit,
            award_type=catalogue["CSTD_BO"],
            year=2025,
            person=person,
            actor=cast["officer"],
        )
        Nomination.objects.filter(pk=nomination.pk).update(
            justification="Thành tích đặc biệt xuất sắc.",
            report_achievements="Chủ trì số hóa thủ tục cấp chứng nhận xuất xứ hàng hóa.",
        )
        nomination = advance(Nomination.objects.get(pk=nomination.pk), "in_review", cast)

        # The secretary schedules the meeting, sets its agenda and attendance, opens the ballot.
        log_in(page, "secretary", password)
        page.get_by_role("link", name="Phiên họp Hội đồng").first.click()
        page.get_by_role("link", name="Lên lịch phiên họp").click()
        page.fill("input[name=held_on]", "2025-05-09")
        page.fill("input[name=location]", "Phòng họp số 1, 54 Hai Bà Trưng")
        page.get_by_role("button", name="Lưu").click()
        page.get_by_text("Đã lên lịch phiên họp").wait_for()
        meeting_url = page.url
        page.get_by_label("Nguyễn Thị Hoa").check()
        page.get_by_role("button", name="Đưa vào chương trình họp").click()
        page.get_by_text("Đã đưa 1 hồ sơ vào chương trình họp.").wait_for()
        for member in members:
            page.get_by_label(member.get_full_name(), exact=False).check()
        page.get_by_role("button", name="Ghi nhận điểm danh").click()
        page.get_by_text("Đã ghi nhận điểm danh.").wait_for()
        # The counting board: the chair types theirs on the secretary's device, each twice;
        # a mistyped repeat is refused first.
        opening = page.locator("#ballot-open")
        for label, passphrase in (("Chủ tịch", CHAIR), ("Thư ký", SECRETARY)):
            opening.get_by_label(re.compile(f"^Mật khẩu kiểm phiếu của {label}")).fill(passphrase)
        opening.get_by_label("Nhập lại mật khẩu kiểm phiếu của Chủ tịch").fill(CHAIR + "x")
        opening.get_by_label("Nhập lại mật khẩu kiểm phiếu của Thư ký").fill(SECRETARY)
        opening.get_by_role("button", name="Mở bỏ phiếu").click()
        page.get_by_text("Hai lần nhập không khớp nhau").wait_for()
        for label, passphrase in (("Chủ tịch", CHAIR), ("Thư ký", SECRETARY)):
            opening.get_by_label(re.compile(f"^Mật khẩu kiểm phiếu của {label}")).fill(passphrase)
            opening.get_by_label(f"Nhập lại mật khẩu kiểm phiếu của {label}").fill(passphrase)
        opening.get_by_role("button", name="Mở bỏ phiếu").click()
        page.get_by_text("Đã mở bỏ phiếu").wait_for()
        assert "Đã bỏ 0/3 phiếu" in page.locator("#ballot-progress").inner_text()

        # Three members vote, each on their own ballot.
        for member in members:
            _switch_user(page, member.username, password)
            page.goto("/awards/meetings/")
            page.get_by_role("link", name="Bỏ phiếu", exact=True).click()
            page.get_by_label("Tán thành", exact=True).check()
            page.get_by_role("button", name="Gửi phiếu").click()
            page.get_by_text("Đã ghi nhận phiếu của bạn. Xin cảm ơn.").wait_for()
            # The page says that they voted and never shows a count while the ballot is open.
            progress = page.locator("#ballot-progress").inner_text()
            assert "Bạn đã bỏ phiếu lúc" in progress and "Tán thành" not in progress
        assert BallotReceipt.objects.count() == 3

        # The secretary closes the ballot: the result shows.
        _switch_user(page, "secretary", password)
        page.goto(meeting_url)
        assert "Đã bỏ 3/3 phiếu" in page.locator("#ballot-progress").inner_text()
        closing = page.locator("#ballot-close")
        # A wrong passphrase is refused and changes nothing; the right two count the ballot.
        closing.get_by_label("Mật khẩu kiểm phiếu của Chủ tịch").fill("không phải mật khẩu")
        closing.get_by_label("Mật khẩu kiểm phiếu của Thư ký").fill(SECRETARY)
        closing.get_by_role("button", name="Kết thúc bỏ phiếu").click()
        page.get_by_text("Mật khẩu kiểm phiếu không mở được cuộc bỏ phiếu này").wait_for()
        assert "Đang bỏ phiếu" in page.locator("main").inner_text()
        closing.get_by_label("Mật khẩu kiểm phiếu của Chủ tịch").fill(CHAIR)
        closing.get_by_label("Mật khẩu kiểm phiếu của Thư ký").fill(SECRETARY)
        closing.get_by_role("button", name="Kết thúc bỏ phiếu").click()
        page.get_by_text("Đã kết thúc bỏ phiếu: đã có kết quả.").wait_for()
        results = page.locator("table.results").inner_text()
        assert "Nguyễn Thị Hoa" in results and "3 / 3" in results and "Đạt" in results
        publication = Publication.objects.get()
        assert publication.opens_on == datetime.date(2025, 5, 12)

        # Monday: the hourly beat task opens the window; a visitor comments on the public page.
        clock.move_to(_at(12, 0))
        assert tasks.publicity_sweep.delay().get()["opening"] == [publication.pk]
        page.context.clear_cookies()
        page.set_extra_http_headers({"Accept-Language": "vi"})  # a visitor reading Vietnamese
        page.goto("/public/")
        page.get_by_role("link", name="Nguyễn Thị Hoa").click()
        assert "Chiến sĩ thi đua Bộ Công Thương" in page.locator("main").text_content()
        page.fill("input[name=name]", "Trần Văn Dân")
        page.fill("input[name=contact]", "0912 345 678")
        page.fill("textarea[name=text]", "Chị Hoa là người tận tụy, xứng đáng được khen thưởng.")
        page.get_by_role("button", name="Gửi ý kiến").click()
        page.get_by_text("Xin cảm ơn: ý kiến của bạn đã được gửi").wait_for()
        assert PublicComment.objects.get().status == "pending"

        # The secretary reads it on the nomination and shows it on the public page.
        log_in(page, "secretary", password)
        page.goto(f"/awards/{nomination.pk}/")
        comments = page.locator("#comments")
        assert "tận tụy" in comments.inner_text() and "0912 345 678" in comments.inner_text()
        comments.get_by_role("button", name="Hiển thị").click()
        page.locator("#comments .comment-state-approved").wait_for()

        # Saturday 17/05: the window has closed; the secretary records the decision.
        clock.move_to(_at(17, 8))
        assert tasks.publicity_sweep.delay().get()["closing"] == [publication.pk]
        page.goto("/awards/decisions/")
        page.get_by_role("link", name="Ghi nhận quyết định").click()
        page.fill("input[name=number]", "123/QĐ-BCT")
        page.fill("input[name=signed_on]", "2025-05-17")
        page.fill("input[name=signer]", "Nguyễn Hồng Diên")
        page.get_by_label("Nguyễn Thị Hoa").check()
        page.get_by_role("button", name="Ghi nhận", exact=True).click()
        page.get_by_text("Đã ghi nhận văn bản 123/QĐ-BCT").wait_for()

        # The award is in the nominee's history.
        page.goto(f"/awards/people/{person.code}/")
        history = page.locator("main").inner_text()
        assert "Chiến sĩ thi đua Bộ Công Thương" in history and "123/QĐ-BCT" in history
    # No script blocked by the Content Security Policy; the two refused forms answered 422.
    refused = "the server responded with a status of 422"
    assert [error for error in page.console_errors if refused not in error] == []
    assert sum(refused in error for error in page.console_errors) == 2
