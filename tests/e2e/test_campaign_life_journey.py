"""The campaign's life cycle on a phone (issue 17, "Done when"): the board secretary drafts
"2026–2030" with two tasks and indicators copied from 2021–2026, is refused a draft without
tasks and one whose calendar does not fit its dates, previews it and launches it; an officer
sees it on the home page and starts its first report; the secretary generates the final review
of 2021–2026 (its figures are the dashboard's, its charts pictures) and the certificates of a
decision (one page per awardee)."""

from __future__ import annotations

import datetime
import io
import re
import zoneinfo
from pathlib import Path

import docx
import pytest
import time_machine
from django.db.models import Q
from playwright.sync_api import expect

from awards.documents.campaign_review import percent
from awards.models import Decision, Nomination
from campaigns.models import Campaign, Indicator, ProgressReport
from campaigns.selectors.dashboard import reporting_by_period, sector_figures
from campaigns.services.campaigns import campaign_enrol_units, campaign_generate_periods
from tests.e2e.conftest import log_in, switch_user
from tests.factories import (
    CampaignFactory,
    IndicatorFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Membership, Unit
from units.roles import SECRETARY_GROUP

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def world(db, catalogue):
    ministry = UnitFactory(code="bct", name="Bộ Công Thương", kind=Unit.Kind.MINISTRY)
    unit = UnitFactory(code="cuc-a", name="Cục Xúc tiến thương mại", parent=ministry)
    other = UnitFactory(code="cuc-b", name="Cục Công nghiệp", parent=ministry)
    old = CampaignFactory(
        code="pttd-2021-2026",
        title="Phong trào thi đua 2021–2026",
        launched_by=ministry,
        starts_on=datetime.date(2021, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    for number, name in ((1, "Số văn bản điện tử hóa"), (2, "Tỷ lệ tiết kiệm chi")):
        objective = ObjectiveFactory(campaign=old, number=number)
        IndicatorFactory(objective=objective, code=f"old-{number}", name=name)
    campaign_generate_periods(campaign=old)
    campaign_enrol_units(campaign=old, units=[unit, other])
    q1 = old.periods.get(label="Q1/2026")
    ProgressReport.objects.create(
        unit=unit,
        period=q1,
        status=ProgressReport.Status.SUBMITTED,
        first_submitted_at=datetime.datetime(2026, 4, 10, tzinfo=datetime.UTC),
    )
    UserFactory(username="thu-ky", groups=[SECRETARY_GROUP], is_staff=True)
    officer = UserFactory(username="can-bo")
    MembershipFactory(user=officer, unit=unit, role=Membership.Role.OFFICER)
    decision = Decision.objects.create(
        kind=Decision.Kind.DECISION,
        number="1234/QĐ-BCT",
        signed_on=datetime.date(2026, 11, 30),
        signer="Nguyễn Hồng Diên",
        signer_title="Bộ trưởng",
        issuer="Bộ trưởng Bộ Công Thương",
    )
    for name in ("Hoàng Thị Thu Hương", "Đặng Quốc Việt"):
        Nomination.objects.create(
            person=PersonFactory(unit=unit, full_name=name),
            award_type=catalogue["BK_BO"],
            year=2026,
            proposing_unit=unit,
            status=Nomination.Status.DECIDED,
            decision=decision,
        )
    return {"old": old, "unit": unit, "decision": decision}


def _download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_draft_launch_report_review_and_certificates(page, world, password):
    old, unit = world["old"], world["unit"]
    with time_machine.travel(NOW, tick=True):
        # The secretary drafts the next campaign.
        log_in(page, "thu-ky", password)
        page.goto("/campaigns/")
        page.get_by_role("link", name="Phong trào mới").click()
        page.get_by_role("heading", name="Phong trào mới").wait_for()
        page.locator("input[name=code]").fill("pttd-2026-2030")
        page.locator("input[name=title]").fill("Phong trào thi đua 2026–2030")
        page.locator("input[name=document_ref]").fill("15/KH-BCT")
        page.locator("input[name=launched_on]").fill("2026-11-20")
        page.locator("input[name=notice_signer]").fill("Nguyễn Hồng Diên")
        page.locator("input[name=starts_on]").fill("2026-10-01")
        page.locator("input[name=ends_on]").fill("2030-11-15")
        page.locator("select[name=units]").select_option(str(unit.pk))
        # No task: refused, nothing saved.
        page.get_by_role("button", name="Lưu bản nháp").click()
        page.get_by_text("Hãy dán ít nhất một nhiệm vụ").wait_for()
        page.locator("textarea[name=tasks]").fill(
            "1. Đẩy mạnh chuyển đổi số trong quản lý nhà nước\n"
            "2. Thực hành tiết kiệm, chống lãng phí"
        )
        # A calendar that does not fit the dates: refused, nothing saved.
        page.get_by_role("button", name="Lưu bản nháp").click()
        page.get_by_text("không nằm trong thời gian phong trào").first.wait_for()
        assert not Campaign.objects.filter(code="pttd-2026-2030").exists()
        page.locator("input[name=ends_on]").fill("2030-12-31")
        page.get_by_role("button", name="Lưu bản nháp").click()
        expect(page).to_have_url(re.compile(r".*/campaigns/pttd-2026-2030/draft/$"))

        # Indicators copied from 2021–2026, one per task.
        for number, name in ((1, "Số văn bản điện tử hóa"), (2, "Tỷ lệ tiết kiệm chi")):
            task = page.locator(f"#objective-{number}")
            source = Indicator.objects.get(code=f"old-{number}")
            task.locator("select").first.select_option(str(source.pk))
            task.get_by_role("button", name="Sao chép chỉ tiêu").click()
            page.locator(f"#objective-{number}", has_text=name).wait_for()
        page.get_by_role("link", name="Xem trước như đơn vị").click()
        page.get_by_text("Xem trước: đây là trang đơn vị tham gia sẽ thấy").wait_for()
        page.get_by_text("Số văn bản điện tử hóa").first.wait_for()
        page.get_by_role("rowheader", name="Q4/2026").first.wait_for()
        page.get_by_role("link", name="Quay lại dự thảo").click()
        page.get_by_role("button", name="Phát động phong trào").click()
        page.get_by_text("Đã phát động phong trào").wait_for()
        assert Campaign.objects.get(code="pttd-2026-2030").status == Campaign.Status.ACTIVE

        # The officer sees it on the home page and starts its first report.
        switch_user(page, "can-bo", password)
        page.get_by_role("link", name=re.compile("Phong trào thi đua 2026–2030")).first.click()
        page.get_by_role("link", name="Báo cáo Q4/2026").click()
        page.get_by_role("button", name="Bắt đầu báo cáo").click()
        expect(page).to_have_url(re.compile(r".*/reports/\d+/$"))
        report = ProgressReport.objects.get(period__campaign__code="pttd-2026-2030")
        assert report.unit == unit and report.period.label == "Q4/2026"

        # The secretary generates the final review of 2021–2026.
        switch_user(page, "thu-ky", password)
        page.goto(f"/campaigns/{old.code}/")
        page.get_by_role("link", name="Sơ kết, tổng kết phong trào").click()
        page.locator("input[name=number]").fill("45/BC-HĐTĐKT")
        page.locator("input[name=signer]").fill("Trần Văn Bình")
        data = _download(
            page, lambda: page.get_by_role("button", name="Tạo báo cáo (DOCX)").click()
        )
        review = docx.Document(io.BytesIO(data))
        assert len(review.inline_shapes) >= 2
        cells = "\n".join(
            " | ".join(cell.text for cell in row.cells) for t in review.tables for row in t.rows
        )
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
        # 2026 as the dashboard counts it: the periods of 2026 that have ended (Q1–Q3).
        periods = [
            p for p in old.periods.all() if p.starts_on.year == 2026 and p.ends_on < NOW.date()
        ]
        counts = reporting_by_period(campaign=old, periods=periods, units=Q()).values()
        expected = sum(c.expected for c in counts)
        reported = sum(c.reported for c in counts)
        late = sum(c.late for c in counts)
        assert (
            f"2026 | {expected} | {reported} | {percent(reported / expected)} | "
            f"{percent((reported - late) / expected)}"
        ) in cells
        figures = sector_figures(campaign=old, periods=[periods[-1]], units=Q())[periods[-1].pk]
        assert f"Chung | {percent(figures.overall)}" in cells

        # And the certificates of the decision: one page per awardee.
        page.goto(f"/awards/decisions/{world['decision'].pk}/")
        data = _download(
            page,
            lambda: page.get_by_role("link", name=re.compile("Bằng khen, mỗi người")).click(),
        )
        certificates = docx.Document(io.BytesIO(data))
        breaks = sum(
            len(p._p.findall(f".//{W}br[@{W}type='page']")) for p in certificates.paragraphs
        )
        text = "\n".join(p.text for p in certificates.paragraphs)
        assert breaks == 1
        assert "Hoàng Thị Thu Hương" in text and "Đặng Quốc Việt" in text
        assert "1234/QĐ-BCT" in text
        assert page.console_errors == []
