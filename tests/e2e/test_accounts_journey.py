"""Accounts for a rollout, in the browser: the administrator imports three users, the invited
officer sets a password from the e-mail and signs in, a council member is made to set up the
authenticator and signs in again with a code, and a forgotten password is reset by e-mail."""

import base64
import datetime
import re

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.helpers import code_for
from tests.e2e.conftest import log_in, screenshot
from tests.factories import UserFactory

NEW_PASSWORD = "hoa-sen-trong-dam-2026"
CSV = (
    "username,full_name,email,unit,role,staff_code\n"
    "lan,Nguyễn Thị Lan,lan@example.gov.vn,cuc-a,officer,\n"
    "hung,Trần Văn Hùng,hung@example.gov.vn,cuc-a,head,\n"
    "mai,Lê Thị Mai,mai@example.gov.vn,cuc-b,officer,\n"
)


@pytest.fixture
def strict(settings, live_server):
    settings.TWO_FACTOR_ENFORCED = True
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 30 * 60
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.SITE_URL = live_server.url
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code would make the next wait a second
    mail.outbox = []


def _path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def _submit(page, selector="form button[type=submit].primary") -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.django_db(transaction=True)
def test_import_invite_two_factor_and_reset(page, cast, unit, other_unit, password, strict):
    from awards.models import Council, CouncilMember

    member = UserFactory(username="uyvien", full_name="Phạm Văn Ủy")
    council = Council.objects.create(
        term_start=datetime.date(2024, 1, 1), term_end=datetime.date(2030, 12, 31)
    )
    CouncilMember.objects.create(
        council=council, user=member, role="member", term_start=datetime.date(2024, 1, 1)
    )

    # The administrator (made to set up the authenticator by log_in) imports three users.
    log_in(page, "admin", password)
    page.goto("/admin/units/user/import/")
    page.select_option("select[name=format]", label="csv")
    page.set_input_files(
        "input[name=import_file]",
        files=[{"name": "users.csv", "mimeType": "text/csv", "buffer": CSV.encode()}],
    )
    _submit(page, "input[type=submit].default")
    assert mail.outbox == []  # the dry run writes and sends nothing
    _submit(page, "input[type=submit][name=confirm]")
    expect(page.locator(".messagelist")).to_contain_text("3")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hung@example.gov.vn",
        "lan@example.gov.vn",
        "mai@example.gov.vn",
    ]

    # The admin's import pages (django-import-export's templates) carry inline styles that the
    # Content Security Policy blocks; the app's own pages are checked from here on.
    page.console_errors.clear()

    # The officer opens the link of the e-mail, chooses a password and signs in.
    page.context.clear_cookies()
    invitation = next(m for m in mail.outbox if m.to == ["lan@example.gov.vn"])
    page.goto(_path(invitation))
    expect(page.locator("h1")).to_have_text("Chọn mật khẩu")
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    screenshot(page, "accounts-invitation")
    _submit(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    log_in(page, "lan", NEW_PASSWORD)
    assert page.locator("h1").inner_text().startswith("Xin chào")
    page.goto(_path(invitation))  # the link worked once
    expect(page.locator(".error-box")).to_contain_text("đã hết hạn hoặc đã được dùng")

    # A council member signs in and is made to set up the authenticator first.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "uyvien")
    page.fill("input[name=password]", password)
    _submit(page)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    page.goto("/campaigns/")  # nothing else opens before it
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "accounts-two-factor-setup")
    secret = page.locator("[data-otp-secret]").get_attribute("data-otp-secret")
    page.fill("input[name=code]", f"{TOTP(base64.b32decode(secret)).token():06d}")
    _submit(page)
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    _submit(page, "a.button.primary")
    expect(page).to_have_url(re.compile(r"/campaigns/$"))

    page.click(".nav-toggle")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.fill("input[name=username]", "uyvien")
    page.fill("input[name=password]", password)
    _submit(page)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    page.fill("input[name=code]", "000000")
    _submit(page)
    expect(page.locator(".field .error")).to_be_visible()
    page.fill("input[name=code]", code_for(TOTPDevice.objects.get(user=member)))
    _submit(page)
    assert page.locator("h1").inner_text().startswith("Xin chào")

    # The officer forgot the password: reset from the sign-in page, end to end.
    page.context.clear_cookies()
    mail.outbox = []
    page.goto("/accounts/login/")
    # Signed out, the page speaks the browser's language (English here).
    page.get_by_role("link", name="Forgot your password?").click()
    page.fill("input[name=email]", "lan@example.gov.vn")
    _submit(page)
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    (message,) = mail.outbox
    assert "Có yêu cầu đặt mật khẩu mới" in message.body  # in the account's language
    page.goto(_path(message))
    expect(page.locator("h1")).to_have_text("Chọn mật khẩu mới")
    page.fill("input[name=new_password1]", NEW_PASSWORD + "-moi")
    page.fill("input[name=new_password2]", NEW_PASSWORD + "-moi")
    _submit(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    log_in(page, "lan", NEW_PASSWORD + "-moi")
    assert page.locator("h1").inner_text().startswith("Xin chào")
    # Only the refused code's 422 (the form again with its error); nothing blocked by the CSP.
    assert [error for error in page.console_errors if "status of 422" not in error] == []
