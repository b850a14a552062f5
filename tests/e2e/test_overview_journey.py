import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from awards.models import Council, CouncilMember
from tests.awards.overview_world import build_world
from tests.e2e.conftest import log_in, settled
from tests.factories import UserFactory

TODAY = datetime.datetime(2025, 5, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.django_db(transaction=True)
def test_board_member_reads_the_awards_overview_on_a_phone(
    page, cast, catalogue, unit, sub_unit, other_unit, password
):
    council = Council.objects.create(term_start=datetime.date(2024, 1, 1))
    members = [cast["board"], *(UserFactory(username=f"member{n}") for n in range(1, 5))]
    for member in members:
        CouncilMember.objects.create(
            council=council, user=member, term_start=datetime.date(2024, 1, 1)
        )
    build_world(catalogue, unit, sub_unit, other_unit, council, members)
    with time_machine.travel(TODAY, tick=True):
        log_in(page, "board", password)
        page.get_by_role("link", name="Tổng quan khen thưởng").click()
        page.wait_for_url("**/awards/overview/")
        page.get_by_role("heading", name="Đề nghị khen thưởng năm 2024").wait_for()
        assert page.locator("svg.bar-chart[role=img]").is_visible()
        assert page.locator("#overview-results .figure").inner_text() == "14"

        # The year swaps the figures in place and records itself in the address bar; the
        # meetings and windows below stay.
        page.get_by_label("Năm thành tích").select_option("2023")
        expect(page).to_have_url(re.compile(r".*year=2023.*"))
        settled(page)
        page.get_by_role("heading", name="Đề nghị khen thưởng năm 2023").wait_for()
        assert page.locator("#overview-results .figure").inner_text() == "2"
        assert page.locator("#meetings tbody tr").count() == 3
        assert page.locator("#publicity tbody tr").count() == 2

        # The shared URL opens the same view; nothing is wider than the phone.
        page.goto(page.url)
        assert page.locator("#overview-results .figure").inner_text() == "2"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        assert page.console_errors == []
