import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, settled
from tests.sector import TODAY


@pytest.mark.django_db(transaction=True)
def test_board_member_filters_sorts_and_drills_down_on_a_phone(page, sector, sector_cast, password):
    with time_machine.travel(TODAY, tick=True):
        log_in(page, "board-member", password)
        page.click(".nav-toggle")
        page.get_by_role("link", name="Bảng theo dõi", exact=True).click()
        page.wait_for_url(f"**/campaigns/{sector.campaign.code}/dashboard/")
        page.get_by_role("heading", name="Báo cáo kỳ Q3/2025").wait_for()
        assert page.locator("svg.chart-svg[role=img]").is_visible()

        # A filter swaps the results in place and records itself in the address bar.
        page.get_by_label("Loại").select_option("provincial")
        expect(page).to_have_url(re.compile(r".*kind=provincial.*"))
        settled(page)
        heatmap = page.locator("#heatmap")
        heatmap.get_by_role("link", name="Charlie").wait_for()
        assert heatmap.get_by_role("link", name="Alpha").count() == 0

        # Sorting (a header click on a wide screen, the form on a phone) keeps the filters;
        # the shared URL opens the same view.
        page.get_by_label("Loại").select_option("")
        expect(page).to_have_url(re.compile(r".*kind=&.*|.*kind=$"))
        settled(page)
        page.get_by_label("Sắp xếp đơn vị theo").select_option("overall")
        expect(page).to_have_url(re.compile(r".*sort=overall.*"))
        settled(page)
        page.get_by_label("Thứ tự").select_option("desc")
        expect(page).to_have_url(re.compile(r".*dir=desc.*"))
        settled(page)
        first = page.locator("#heatmap tbody tr").first
        assert "Alpha" in first.inner_text()
        shared = page.url
        page.goto(shared)
        assert "Alpha" in page.locator("#heatmap tbody tr").first.inner_text()

        # A unit's name opens its figures over time.
        page.locator("#heatmap").get_by_role("link", name="Alpha").click()
        page.get_by_role("heading", name="Alpha").wait_for()
        page.get_by_role("heading", name="Đơn vị trực thuộc kỳ Q3/2025").wait_for()
        assert page.console_errors == []
