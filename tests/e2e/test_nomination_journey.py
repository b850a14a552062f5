import datetime

import pytest

from awards.models import Nomination, Review
from tests.e2e.conftest import attach_pdf, log_in, switch_user
from tests.factories import InitiativeFactory, PersonFactory, TaskRatingFactory

YEAR = 2025


@pytest.mark.django_db(transaction=True)
def test_a_nomination_from_draft_to_a_board_review(page, cast, unit, catalogue, password):
    nominee = PersonFactory(unit=unit, full_name="Nguyễn Thị Hoa", position="Chuyên viên")
    TaskRatingFactory(person=nominee, year=YEAR, rating="HTT")
    InitiativeFactory(
        person=nominee,
        title="Phần mềm theo dõi hạn ngạch",
        recognised_on=datetime.date(YEAR, 4, 2),
    )
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() of data-confirm buttons

    # The officer drafts a CSTĐCS nomination: rated HTT without an initiative, it fails.
    log_in(page, "officer", password)
    page.get_by_role("link", name="Lập hồ sơ đề nghị").first.click()
    page.select_option("select[name=nominee]", label="Nguyễn Thị Hoa — Chuyên viên")
    page.select_option("select[name=award_type]", "CSTDCS")
    page.fill("input[name=year]", str(YEAR))
    page.get_by_role("button", name="Lưu bản nháp").click()
    dossier = page.locator("#dossier")
    failing = dossier.locator(".rule-not_met")
    assert failing.count() == 1
    assert "Xếp loại HTT năm 2025 và không có sáng kiến" in failing.inner_text()
    assert "Phần mềm theo dõi hạn ngạch" in failing.inner_text()  # it points at the fix

    # Relying on the unused initiative fixes it, without reloading the page.
    dossier.get_by_role("button", name="Dựa vào sáng kiến này").click()
    page.locator("#dossier .rule-not_met").wait_for(state="detached")
    assert page.locator("#dossier h2 .elig-met").inner_text() == "Đạt các tiêu chí"
    attach_pdf(page, "cover_letter", "to-trinh.pdf")
    attach_pdf(page, "minutes", "bien-ban.pdf")
    attach_pdf(page, "initiative_proof", "sang-kien.pdf")
    nomination_url = page.url

    # The edit form shows the award chosen, and saving it as shown changes nothing.
    page.get_by_role("link", name="Sửa hồ sơ").click()
    assert page.locator("select[name=award_type]").input_value() == "CSTDCS"
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã lưu hồ sơ và kiểm tra lại tiêu chuẩn.").wait_for()
    assert Nomination.objects.get().award_type.code == "CSTDCS"
    assert page.url == nomination_url

    # The head submits it.
    switch_user(page, "head", password)
    page.goto(nomination_url)
    page.get_by_role("button", name="Nộp cho Hội đồng").click()
    page.get_by_text("Đã nộp hồ sơ cho Thường trực Hội đồng.").wait_for()

    # The secretary screens it from the list of nominations to screen.
    switch_user(page, "secretary", password)
    page.get_by_role("link", name="Hồ sơ chờ thẩm định").click()
    page.get_by_role("link", name="Nguyễn Thị Hoa").click()
    page.get_by_role("button", name="Bắt đầu thẩm định").click()
    page.get_by_text("Đã bắt đầu thẩm định.").wait_for()
    page.get_by_role("button", name="Hồ sơ đầy đủ: chuyển Hội đồng cho ý kiến").click()
    page.get_by_text("Đã chuyển hồ sơ để Hội đồng cho ý kiến.").wait_for()
    assert "Chưa cho ý kiến" in page.locator("#reviews").inner_text()

    # A board member reviews it from their queue.
    switch_user(page, "board", password)
    page.get_by_role("link", name="Hồ sơ chờ bạn cho ý kiến").click()
    page.get_by_role("link", name="Nguyễn Thị Hoa").click()
    page.get_by_label("Ủng hộ", exact=True).check()
    page.fill("input[name=score]", "9")
    page.fill("textarea[name=comment]", "Sáng kiến có giá trị thực tiễn.")
    page.get_by_role("button", name="Gửi ý kiến").click()
    page.get_by_text("Đã ghi nhận ý kiến của bạn.").wait_for()
    assert "Sáng kiến có giá trị thực tiễn." in page.locator("#reviews").inner_text()

    nomination = Nomination.objects.get()
    assert nomination.status == "in_review" and nomination.eligibility_outcome == "met"
    assert list(nomination.steps.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "screening",
        "in_review",
    ]
    assert Review.objects.get().recommendation == "support"
    assert page.console_errors == []  # no script blocked by the Content Security Policy
