"""Who must sign in with a second factor, and what the session still owes.

Required: administrators (staff, superusers), the board's secretary and every member seated
today on a council (the Ministry's board or a unit's). Optional for everyone else; a user who
set it up anyway is asked for a code too. What a session owes is decided when it signs in
(`login_state`) and kept in the session, so a page costs no query; the admin site checks the
requirement again on every request.
"""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from units.roles import roles_of

STATE_KEY = "accounts_2fa"
SETUP = "setup"
VERIFY = "verify"
RECOVERY_CODES = 10


def two_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    roles = roles_of(user)
    return roles.is_secretary or roles.is_board_member or roles.on_a_unit_council


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def login_state(user) -> str:
    """What a new session of the user owes: a code (VERIFY), a set-up (SETUP) or nothing."""
    if has_authenticator(user):
        return VERIFY
    if two_factor_required(user):
        return SETUP
    return ""


def enforced() -> bool:
    return settings.TWO_FACTOR_ENFORCED


def devices_reset(user) -> int:
    """Remove the user's authenticator and recovery codes (the admin's recovery action)."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + removed_static
