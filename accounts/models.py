"""What happened to accounts (sign-ins, passwords, second factors), and whose sessions are open."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInEvent(models.Model):
    """One entry of the sign-in log: never edited, listed read-only in the admin."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_OUT = "sign_out", _("Signed out")
        FAILURE = "failure", _("Sign-in failed")
        LOCKOUT = "lockout", _("Locked out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset by e-mail")
        PASSWORD_SET = "password_set", _("Password set from an invitation")
        INVITED = "invited", _("Invitation sent")
        TWO_FACTOR_ENABLED = "2fa_enabled", _("Two-factor sign-in set up")
        TWO_FACTOR_VERIFIED = "2fa_verified", _("Second factor accepted")
        TWO_FACTOR_FAILED = "2fa_failed", _("Second factor refused")
        TWO_FACTOR_RECOVERY = "2fa_recovery", _("Recovery code used")
        TWO_FACTOR_RESET = "2fa_reset", _("Two-factor devices reset")
        SESSIONS_ENDED = "sessions_ended", _("Sessions ended")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
    )
    username = models.CharField(_("username given"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


class UserSession(models.Model):
    """A session a user signed in to, so that their sessions can be ended at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("open session")
        verbose_name_plural = _("open sessions")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}"
