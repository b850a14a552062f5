"""Browser journeys in Chromium driven by Playwright against the live test server."""

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
    page.click("form button[type=submit].primary")
    page.wait_for_url("**/")


def settled(page) -> None:
    """Wait until htmx has no request in flight and has finished swapping and settling.

    The address bar changes during a swap, before the new content is wired up: a control
    used at that moment may belong to the old form, or to a new one that does not listen yet.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )
