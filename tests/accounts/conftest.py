import pytest


@pytest.fixture(autouse=True)
def _accounts_strict(settings):
    """What production does: two-factor sign-in enforced, sessions end when idle."""
    settings.TWO_FACTOR_ENFORCED = True
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 30 * 60
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.SITE_URL = "http://testserver"
    # A wrong code makes the next one wait (1 s, then doubling): not within a test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
