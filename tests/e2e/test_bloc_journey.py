"""Issue 16's journey in a browser: the secretary sets up a bloc's year and copies last year's
table → two member units score themselves (the on-time reporting criterion filled from their
reports) → the leading unit cross-checks and changes one score with a reason → the ranking is
published → the bloc votes in a secret ballot → a Cờ thi đua của Bộ nomination appears with
the ranking and the minutes attached and its rule "leads its emulation bloc" met."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from blocs.models import BlocYear, Criterion, Score
from blocs.services.table import criterion_add, group_add
from blocs.services.years import bloc_year_save
from campaigns.models import ProgressReport
from tests.e2e.conftest import screenshot, settled, switch_user
from tests.factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from units.models import Membership

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
CHAIR = "cây đa giếng nước sân đình"
SECRETARY = "ba mươi sáu phố phường"


def _world(cast, unit, other_unit, ministry, campaign):
    bloc = BlocFactory(code="khoi-a", name="Khối các Cục")
    third = UnitFactory(code="cuc-c", name="Cục C", parent=ministry)
    for item in (unit, other_unit, third):
        item.bloc = bloc
        item.save()
    heads = {"cuc-a": "head"}
    for code, target in (("cuc-b", other_unit), ("cuc-c", third)):
        MembershipFactory(
            user=UserFactory(username=f"head-{code}"), unit=target, role=Membership.Role.HEAD
        )
        heads[code] = f"head-{code}"
    # Last year's table, to copy.
    last = bloc_year_save(
        bloc=bloc,
        year=2024,
        leading_unit=unit,
        deputy_unit=None,
        members=[unit, other_unit, third],
        actor=None,
    )
    tasks = group_add(
        bloc_year=last, title="Thực hiện nhiệm vụ", max_points=Decimal(60), actor=None
    )
    criterion_add(
        group=tasks,
        code="targets",
        title="Hoàn thành chỉ tiêu",
        kind="manual",
        max_points=Decimal(40),
        actor=None,
    )
    criterion_add(
        group=tasks,
        code="on-time",
        title="Báo cáo đúng hạn",
        kind="computed",
        max_points=Decimal(20),
        formula="20 * on_time_rate",
        actor=None,
    )
    others = group_add(bloc_year=last, title="Công tác khác", max_points=Decimal(40), actor=None)
    criterion_add(
        group=others,
        code="party",
        title="Công tác đoàn thể",
        kind="manual",
        max_points=Decimal(40),
        actor=None,
    )
    # Cục A reported on time for every period due in 2025, Cục B for none.
    due = campaign.periods.filter(due_on__year=2025, due_on__lte=datetime.date(2025, 12, 1))
    for period in due:
        ProgressReport.objects.create(
            unit=unit,
            period=period,
            status="accepted",
            late=False,
            first_submitted_at=datetime.datetime.combine(period.due_on, datetime.time(9), TZ),
        )
    return heads


def _self_score(page, username, password, code, targets, party):
    switch_user(page, username, password)
    page.goto("/blocs/khoi-a/2025/")
    page.click(f"a[data-scoring={code}]")
    expect(page.locator("h1")).to_contain_text("Cục")
    for criterion_code, points in (("targets", targets), ("party", party)):
        score = Score.objects.get(
            scoring__unit__code=code, scoring__bloc_year__year=2025, criterion__code=criterion_code
        )
        form = page.locator(f"#criterion-{score.criterion_id}")
        form.locator("input[name=points]").fill(str(points))
        form.locator("textarea[name=evidence]").fill(
            f"Báo cáo tổng kết năm 2025 — {criterion_code}"
        )
        form.locator("textarea[name=evidence]").press("Tab")
        expect(page.locator(f"#score-{score.pk}-status")).to_have_text("Đã lưu")
        settled(page)
    page.reload()
    page.get_by_role("button", name="Nộp bản chấm điểm", exact=True).click()
    page.get_by_text("Đã nộp bản chấm điểm cho đơn vị trưởng khối.").wait_for()


@pytest.mark.django_db(transaction=True)
def test_bloc_year_scoring_ranking_vote_and_nomination(
    page, cast, unit, other_unit, ministry, campaign, catalogue, password
):
    page.on("dialog", lambda dialog: dialog.accept())
    with time_machine.travel(datetime.datetime(2025, 12, 1, 9, 0, tzinfo=TZ), tick=True):
        heads = _world(cast, unit, other_unit, ministry, campaign)

        # 1. The secretary sets up the bloc's year and copies last year's table.
        switch_user(page, "secretary", password)
        page.goto("/blocs/")
        page.get_by_role("link", name="Thiết lập năm 2025", exact=True).click()
        page.select_option("select[name=leading_unit]", label="Cục C")
        page.select_option("select[name=deputy_unit]", label="Cục B")
        page.select_option("select[name=campaign]", value=str(campaign.pk))
        page.fill("input[name=scoring_deadline]", "2025-12-31")
        page.get_by_role("button", name="Lưu", exact=True).click()
        page.get_by_text("Đã thiết lập năm của khối.").wait_for()
        expect(page.locator("#leading-unit")).to_have_text("Cục C")
        page.get_by_role("link", name="Bảng chấm điểm", exact=True).click()
        page.get_by_role("button", name="Sao chép bảng năm trước", exact=True).click()
        page.get_by_text("Đã sao chép bảng chấm điểm năm trước: 3 tiêu chí.").wait_for()
        assert "20 * on_time_rate" in page.locator("main").inner_text()
        bloc_year = BlocYear.objects.get(bloc__code="khoi-a", year=2025)
        assert bloc_year.members.count() == 3

        # 2. Two member units score themselves; the on-time criterion comes from the reports.
        _self_score(page, "head", password, "cuc-a", 36, 35)
        assert "20,00" in page.locator("[data-own=on-time]").inner_text()
        _self_score(page, heads["cuc-b"], password, "cuc-b", 38, 36)
        assert "0,00" in page.locator("[data-own=on-time]").inner_text()
        screenshot(page, "bloc-self-scoring")

        # 3. The leading unit cross-checks: one score changed, with a reason.
        switch_user(page, heads["cuc-c"], password)
        page.goto("/blocs/khoi-a/2025/scoring/cuc-b/")
        targets = Criterion.objects.get(group__bloc_year=bloc_year, code="targets")
        check = page.locator(f"#criterion-{targets.pk} form.check-form")
        check.locator("input[name=checked_points]").fill("30")
        check.get_by_role("button", name="Lưu điểm chấm chéo", exact=True).click()
        page.get_by_text("Nêu lý do điều chỉnh điểm của đơn vị.").wait_for()  # no reason: refused
        check = page.locator(f"#criterion-{targets.pk} form.check-form")
        check.locator("input[name=checked_points]").fill("30")
        check.locator("input[name=reason]").fill("Thiếu minh chứng hai chỉ tiêu xuất khẩu")
        check.get_by_role("button", name="Lưu điểm chấm chéo", exact=True).click()
        page.get_by_text("Đã lưu điểm chấm chéo.").wait_for()
        page.get_by_role("button", name="Hoàn tất chấm chéo", exact=True).click()
        page.get_by_text("Đã hoàn tất chấm chéo.").wait_for()
        page.goto("/blocs/khoi-a/2025/scoring/cuc-a/")
        page.get_by_role("button", name="Hoàn tất chấm chéo", exact=True).click()
        page.get_by_text("Đã hoàn tất chấm chéo.").wait_for()

        # The unit sees the changed score and the reason.
        switch_user(page, heads["cuc-b"], password)
        page.goto("/blocs/khoi-a/2025/scoring/cuc-b/")
        expect(page.locator(".check-reason")).to_have_text(
            "Thiếu minh chứng hai chỉ tiêu xuất khẩu"
        )

        # 4. The secretary publishes the ranking (Cục A 91 first, Cục B 66 second).
        switch_user(page, "secretary", password)
        page.goto("/blocs/khoi-a/2025/")
        page.get_by_role("button", name="Công bố xếp hạng", exact=True).click()
        page.get_by_text("Đã công bố xếp hạng.").wait_for()
        rows = page.locator("#ranking-table tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Cục A")
        expect(page.locator("#tie-break")).to_contain_text("ít điểm trừ hơn")
        screenshot(page, "bloc-ranking", "#ranking")

        # 5. The year-end meeting and its secret ballot.
        page.get_by_role("link", name="Lên lịch hội nghị tổng kết", exact=True).click()
        page.fill("input[name=held_on]", "2025-12-20")
        page.fill("input[name=location]", "Hội trường Bộ, 54 Hai Bà Trưng")
        page.get_by_role("button", name="Lên lịch hội nghị", exact=True).click()
        page.get_by_text("Đã lên lịch hội nghị tổng kết.").wait_for()
        page.select_option("select[name=unit]", label="Cục A")
        page.select_option("select[name=award]", value="CO_BO")
        page.get_by_role("button", name="Đưa vào chương trình", exact=True).click()
        page.get_by_text("Đã đưa vào chương trình.").wait_for()
        page.fill("input[name=chair_passphrase]", CHAIR)
        page.fill("input[name=chair_passphrase_again]", CHAIR)
        page.fill("input[name=secretary_passphrase]", SECRETARY)
        page.fill("input[name=secretary_passphrase_again]", SECRETARY)
        page.get_by_role("button", name="Mở bỏ phiếu", exact=True).click()
        page.get_by_text("Đã mở bỏ phiếu").wait_for()

        for username in ("head", heads["cuc-b"], heads["cuc-c"]):
            switch_user(page, username, password)
            page.goto("/blocs/khoi-a/2025/meeting/")
            page.locator("input[value=approve]").first.check()
            page.get_by_role("button", name="Bỏ phiếu của đơn vị", exact=True).click()
            page.get_by_text("Đơn vị đã bỏ phiếu. Không ai xem được lựa chọn.").wait_for()

        switch_user(page, "secretary", password)
        page.goto("/blocs/khoi-a/2025/meeting/")
        page.get_by_text("3/3 đơn vị thành viên đã bỏ phiếu").wait_for()
        page.fill("input[name=chair_passphrase]", CHAIR)
        page.fill("input[name=secretary_passphrase]", SECRETARY)
        page.get_by_role("button", name="Đóng bỏ phiếu và kiểm phiếu", exact=True).click()
        page.get_by_text("Đã đóng và kiểm phiếu.").wait_for()
        expect(page.locator("#agenda")).to_contain_text("Được đề nghị")
        screenshot(page, "bloc-vote", "#agenda")

        # 6. The nomination of Cục A for Cờ thi đua Bộ, with its evidence and the bloc rule met.
        page.get_by_role("link", name="Hồ sơ đề nghị", exact=True).click()
        expect(page).to_have_url(re.compile(r"/awards/\d+/$"))
        main = page.locator("main")
        expect(main).to_contain_text("Cờ thi đua")
        expect(main).to_contain_text("xep-hang-khoi-a-2025.docx")
        expect(main).to_contain_text("bien-ban-khoi-a-2025.docx")
        rule = page.locator("li.rule", has_text="Xếp thứ 1/2 trong khối")
        expect(rule).to_have_class(re.compile("rule-met"))
        screenshot(page, "bloc-nomination")

        # The unit's page shows its score and rank over the years.
        page.goto("/units/cuc-a/")
        expect(page.locator("#bloc-standings")).to_contain_text("91")
        assert not page.console_errors
