import pytest

from tests.e2e.conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_officer_logs_in_on_a_phone_browses_the_campaign_and_switches_language(
    page, cast, campaign, password
):
    log_in(page, "officer", password)
    assert page.locator("h1").inner_text().startswith("Xin chào")
    page.click(".nav-toggle")  # the menu is folded on a phone
    page.get_by_role("link", name="Phong trào", exact=True).click()
    page.get_by_role("link", name=campaign.title).click()
    assert page.locator(".objective").count() == 2
    assert page.get_by_text("Q3/2021", exact=True).is_visible()

    page.click(".nav-toggle")
    page.click(".lang-switch button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Objectives").is_visible()

    page.goto("/")  # the choice persists across pages
    assert page.locator("h1").inner_text().startswith("Hello")
    page.click(".nav-toggle")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    assert page.console_errors == []  # no script blocked by the Content Security Policy
