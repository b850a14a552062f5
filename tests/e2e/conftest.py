"""Browser journeys in Chromium driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

from tests.needs import need_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread while the browser lives; the
    # tests' own ORM calls are still synchronous, so Django's async-safety guard is lifted
    # for as long as the browser runs, and restored after.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    second_factor(page, username)
    page.wait_for_url("**/")


def second_factor(page, username: str) -> None:
    """Answer the two-factor page if one appears after the password (accounts): set up the
    authenticator with the key the page shows, or type the code of the user's device."""
    import base64

    from django_otp.oath import TOTP

    from tests.accounts.helpers import code_for

    if "/accounts/two-factor/setup/" in page.url:
        secret = page.locator("[data-otp-secret]").get_attribute("data-otp-secret")
        code = f"{TOTP(base64.b32decode(secret)).token():06d}"
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.click("form button[type=submit].primary")
        with page.expect_navigation():
            page.click("a.button.primary")  # "I have kept them — continue"
    elif "/accounts/two-factor/verify/" in page.url:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("input[name=code]", code_for(device))
        with page.expect_navigation():
            page.click("form button[type=submit].primary")


def settled(page) -> None:
    """Wait until htmx has no request in flight and has finished swapping and settling.

    The address bar changes during a swap, before the new content is wired up: a control
    used at that moment may belong to the old form, or to a new one that does not listen yet.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def switch_user(page, username: str, password: str) -> None:
    """Sign out (cookies cleared) and sign in as another user in the same tab."""
    page.context.clear_cookies()
    log_in(page, username, password)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach_pdf(page, kind: str, name: str) -> None:
    """Attach a small PDF to the nomination on the page as the document `kind`."""
    page.select_option("select[name=kind]", kind)
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Đính kèm", exact=True).click()
    page.get_by_text("Đã đính kèm tệp.").wait_for()


def screenshot(page, name: str, selector: str | None = None) -> None:
    """A screenshot at the phone size of the page fixture (390×844) when SCREENSHOTS names a
    folder: the element `selector` in view, or the whole page."""
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    if selector:
        page.locator(selector).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(folder) / f"{name}.png"))
    else:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
