"""Journey (b), each award decided at its level (Law on Emulation and Commendation 2022, Art 80):
at a unit holding commendation authority an officer proposes CSTĐCS, the unit's council
screens, meets and votes by secret ballot, the head records the decision, and the award is in
the person's history, where it counts toward CSTĐ Bộ."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardGrant, Council, CouncilMember, Decision, Nomination
from tests.e2e.conftest import attach_pdf, log_in, screenshot, settled, switch_user
from tests.factories import AwardGrantFactory, PersonFactory, TaskRatingFactory, UserFactory
from units.models import Unit

YEAR = 2025
CHAIR = "cây đa giếng nước sân đình"
SECRETARY = "ba mươi sáu phố phường"


@pytest.mark.django_db(transaction=True)
def test_a_unit_decides_cstdcs_and_it_counts_toward_cstd_bo(page, cast, unit, catalogue, password):
    page.on("dialog", lambda dialog: dialog.accept())
    Unit.objects.filter(pk=unit.pk).update(commendation_authority=True)
    start = datetime.date(2024, 1, 1)
    council = Council.objects.create(
        unit=unit, name="Hội đồng Thi đua - Khen thưởng Cục A", term_start=start
    )
    seats = [
        (cast["head"], "chair"),
        (UserFactory(username="uyviendv", full_name="Lý Văn Uỷ"), "member"),
        (UserFactory(username="thukydv", full_name="Mạc Thị Thư"), "secretary"),
    ]
    for user, role in seats:
        CouncilMember.objects.create(council=council, user=user, role=role, term_start=start)
    person = PersonFactory(unit=unit, full_name="Nguyễn Thị Hoa", position="Chuyên viên")
    TaskRatingFactory(person=person, year=YEAR, rating="HTXS")
    for year in (YEAR - 2, YEAR - 1):
        AwardGrantFactory(person=person, award_type=catalogue["CSTDCS"], year=year)

    # The officer proposes CSTĐCS: the page says the unit's own council decides it.
    log_in(page, "officer", password)
    page.get_by_role("link", name="Lập hồ sơ đề nghị").first.click()
    page.select_option("select[name=nominee]", label="Nguyễn Thị Hoa — Chuyên viên")
    page.select_option("select[name=award_type]", "CSTDCS")
    page.fill("input[name=year]", str(YEAR))
    page.get_by_role("button", name="Lưu bản nháp").click()
    assert "Hội đồng Thi đua - Khen thưởng của Cục A" in page.locator(".facts").inner_text()
    attach_pdf(page, "cover_letter", "to-trinh.pdf")
    attach_pdf(page, "minutes", "bien-ban.pdf")
    nomination_url = page.url

    # The head submits it; it goes to the unit's council, not the Ministry's.
    switch_user(page, "head", password)
    page.goto(nomination_url)
    page.get_by_role("button", name="Nộp cho Hội đồng").click()
    page.get_by_text("Đã nộp hồ sơ").wait_for()
    nomination = Nomination.objects.get()
    assert nomination.deciding_unit_id == unit.pk

    # The Ministry's secretary reads it but does not screen it.
    switch_user(page, "secretary", password)
    page.goto(nomination_url)
    assert page.get_by_role("button", name="Bắt đầu thẩm định").count() == 0

    # The unit council's secretary screens it from their tile.
    switch_user(page, "thukydv", password)
    page.get_by_role("link", name="Hội đồng đơn vị: hồ sơ chờ thẩm định").click()
    page.get_by_role("link", name="Nguyễn Thị Hoa").click()
    page.get_by_role("button", name="Bắt đầu thẩm định").click()
    page.get_by_text("Đã bắt đầu thẩm định.").wait_for()
    page.get_by_role("button", name="Hồ sơ đầy đủ: chuyển Hội đồng cho ý kiến").click()
    page.get_by_text("Đã chuyển hồ sơ để Hội đồng cho ý kiến.").wait_for()

    # They schedule the unit council's meeting, set the agenda and attendance, open the ballot.
    page.goto("/awards/meetings/")
    page.get_by_role("link", name="Lên lịch phiên họp").click()
    assert "Cục A" in page.locator("main").text_content()
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.fill("input[name=location]", "Phòng họp Cục A")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lên lịch phiên họp").wait_for()
    meeting_url = page.url
    page.get_by_label("Nguyễn Thị Hoa").check()
    page.get_by_role("button", name="Đưa vào chương trình họp").click()
    page.get_by_text("Đã đưa 1 hồ sơ vào chương trình họp.").wait_for()
    for user, _role in seats:
        page.get_by_label(user.get_full_name(), exact=False).check()
    page.get_by_role("button", name="Ghi nhận điểm danh").click()
    page.get_by_text("Đã ghi nhận điểm danh.").wait_for()
    opening = page.locator("#ballot-open")
    for label, passphrase in (("Chủ tịch", CHAIR), ("Thư ký", SECRETARY)):
        opening.get_by_label(re.compile(f"^Mật khẩu kiểm phiếu của {label}")).fill(passphrase)
        opening.get_by_label(f"Nhập lại mật khẩu kiểm phiếu của {label}").fill(passphrase)
    opening.get_by_role("button", name="Mở bỏ phiếu").click()
    page.get_by_text("Đã mở bỏ phiếu").wait_for()
    screenshot(page, "unit-meeting-ballot-open")
    page.goto("/awards/meetings/")
    screenshot(page, "unit-meetings")

    # The Ministry's board does not see the unit's meeting.
    switch_user(page, "board", password)
    assert page.goto(meeting_url).status == 404

    # The three members vote by secret ballot.
    for user, _role in seats:
        switch_user(page, user.username, password)
        page.goto("/awards/meetings/")
        page.get_by_role("link", name="Bỏ phiếu", exact=True).click()
        page.get_by_label("Tán thành", exact=True).check()
        page.get_by_role("button", name="Gửi phiếu").click()
        page.get_by_text("Đã ghi nhận phiếu của bạn. Xin cảm ơn.").wait_for()

    # The secretary closes it with the chair's and their passphrases.
    switch_user(page, "thukydv", password)
    page.goto(meeting_url)
    closing = page.locator("#ballot-close")
    closing.get_by_label("Mật khẩu kiểm phiếu của Chủ tịch").fill(CHAIR)
    closing.get_by_label("Mật khẩu kiểm phiếu của Thư ký").fill(SECRETARY)
    closing.get_by_role("button", name="Kết thúc bỏ phiếu").click()
    page.get_by_text("Đã kết thúc bỏ phiếu: đã có kết quả.").wait_for()
    results = page.locator("table.results").inner_text()
    assert "Nguyễn Thị Hoa" in results and "3 / 3" in results and "Đạt" in results
    screenshot(page, "unit-meeting-closed")
    page.goto(f"/awards/council/{council.pk}/")
    screenshot(page, "unit-council")

    # The head records the decision of the unit.
    switch_user(page, "head", password)
    page.get_by_role("link", name="Quyết định của đơn vị").click()
    expect(page).to_have_url(re.compile(r"/awards/decisions/$"))
    page.get_by_role("link", name="Ghi nhận quyết định").click()
    expect(page.locator("input[name=issuer]")).to_have_value("Thủ trưởng Cục A")
    page.fill("input[name=number]", "12/QĐ-CA")
    page.fill("input[name=signed_on]", timezone.localdate().isoformat())
    page.fill("input[name=signer]", "Đỗ Minh Tuấn")
    page.get_by_label("Nguyễn Thị Hoa").check()
    screenshot(page, "unit-decision-form")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    page.get_by_text("Đã ghi nhận văn bản 12/QĐ-CA").wait_for()
    assert Decision.objects.get().unit_id == unit.pk
    grant = AwardGrant.objects.get(nomination=nomination)
    assert grant.issuer == "Thủ trưởng Cục A"

    # It is in the person's history …
    page.goto(f"/awards/people/{person.code}/")
    history = page.locator("main").inner_text()
    assert "Chiến sĩ thi đua cơ sở" in history and "12/QĐ-CA" in history

    # … and counts toward CSTĐ Bộ: a draft for it finds three consecutive years of CSTĐCS.
    switch_user(page, "officer", password)
    page.get_by_role("link", name="Lập hồ sơ đề nghị").first.click()
    page.select_option("select[name=nominee]", label="Nguyễn Thị Hoa — Chuyên viên")
    page.select_option("select[name=award_type]", "CSTD_BO")
    page.fill("input[name=year]", str(YEAR))
    page.get_by_role("button", name="Lưu bản nháp").click()
    settled(page)
    chain = page.locator("#dossier .rule-met", has_text="2025").filter(has_text="2023")
    expect(chain).to_have_count(1)
    # The one page refused was the board's look at the unit's meeting.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
