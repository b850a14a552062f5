"""Journey (a) of issue 12, in a browser, in the law's order (NĐ 98/2023 Art 46.2, NĐ 152/2025
Art 44.2: publicity before the council): the secretary accepts the dossier, the nominee is
published and commented on by a visitor, the secretary shows the comment; a meeting held on the
window's last day cannot take the nomination, one held after it does; three members vote, the
ballot closes, the decision is recorded and the award shows in the nominee's history."""

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
from tests.e2e.conftest import log_in, screenshot, settled, switch_user
from tests.factories import PersonFactory, TaskRatingFactory, UserFactory

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
CHAIR = "cây đa giếng nước sân đình"
SECRETARY = "ba mươi sáu phố phường"


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2025, 5, day, hour, 0, tzinfo=TZ)


def _schedule(page, day: str) -> str:
    page.goto("/awards/meetings/")
    page.get_by_role("link", name="Lên lịch phiên họp").click()
    page.fill("input[name=held_on]", day)
    page.fill("input[name=location]", "Phòng họp số 1, 54 Hai Bà Trưng")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lên lịch phiên họp").wait_for()
    return page.url


@pytest.mark.django_db(transaction=True)
def test_publicity_before_the_meeting_a_secret_ballot_and_the_decision(
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
        nomination = advance(Nomination.objects.get(pk=nomination.pk), "screening", cast)

        # Friday: the secretary accepts the dossier; the nominee is published from Monday
        # 12/05 to Friday 16/05 (5 working days), the board reviewing meanwhile.
        log_in(page, "secretary", password)
        page.goto(f"/awards/{nomination.pk}/")
        page.get_by_role("button", name="Hồ sơ đầy đủ: chuyển Hội đồng cho ý kiến").click()
        page.get_by_text("công khai lấy ý kiến từ 12/05/2025 đến 16/05/2025").wait_for()
        assert "Đang công khai lấy ý kiến" in page.locator("main").inner_text()
        publication = Publication.objects.get()
        assert (publication.opens_on, publication.closes_on) == (
            datetime.date(2025, 5, 12),
            datetime.date(2025, 5, 16),
        )

        # A meeting on the window's last day cannot take it: the agenda form says from when.
        early_url = _schedule(page, "2025-05-16")
        waiting = page.locator("#not-ready")
        assert "Nguyễn Thị Hoa" in waiting.inner_text()
        assert "từ ngày 19/05/2025" in waiting.inner_text()
        assert page.get_by_label("Nguyễn Thị Hoa").count() == 0
        screenshot(page, "agenda-not-ready", "#not-ready")

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
        settled(page)
        page.goto(early_url)
        assert page.get_by_label("Nguyễn Thị Hoa").count() == 0  # still not for that meeting

        # Saturday 17/05: the window has closed; Monday 19/05 the council meets.
        clock.move_to(_at(17, 8))
        assert tasks.publicity_sweep.delay().get()["closing"] == [publication.pk]
        assert Nomination.objects.get(pk=nomination.pk).status == "in_review"
        clock.move_to(_at(19, 8))
        meeting_url = _schedule(page, "2025-05-19")
        page.get_by_label("Nguyễn Thị Hoa").check()
        page.get_by_role("button", name="Đưa vào chương trình họp").click()
        page.get_by_text("Đã đưa 1 hồ sơ vào chương trình họp.").wait_for()
        # The members read what the public said on the agenda.
        agenda = page.locator("details.agenda-comments")
        assert "1 ý kiến nhân dân" in agenda.inner_text()
        agenda.locator("summary").click()
        assert "tận tụy" in agenda.inner_text()
        screenshot(page, "agenda-with-comments", "details.agenda-comments")
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
            switch_user(page, member.username, password)
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
        switch_user(page, "secretary", password)
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
        assert not Publication.objects.exclude(pk=publication.pk).exists()

        # The secretary records the decision the same day.
        page.goto("/awards/decisions/")
        page.get_by_role("link", name="Ghi nhận quyết định").click()
        page.fill("input[name=number]", "123/QĐ-BCT")
        page.fill("input[name=signed_on]", "2025-05-19")
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
