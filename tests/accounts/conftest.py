import pytest


@pytest.fixture(autouse=True)
def _accounts_strict(settings):
    """What production does: two-factor sign-in enforced, sessions end when idle."""
    settings.TWO_FACTOR_ENFORCED = True
    settings.SESSION_IDLE_MINUTES = 30
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.SITE_URL = "http://testserver"
