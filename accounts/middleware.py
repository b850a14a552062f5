"""Idle sessions end; a session that owes a second factor reaches nothing but the pages that
take it (and signing out)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import two_factor
from accounts.signals import SEEN_KEY

# Renew the session's expiry at most this often (each renewal writes the session).
TOUCH_SECONDS = 60
BELL_ID = "notification-bell"


class AccountsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if self._idle_expired(request):
                logout(request)
            elif two_factor.enforced():
                response = self._second_factor(request, user)
                if response is not None:
                    return response
        return self.get_response(request)

    @staticmethod
    def _idle_expired(request) -> bool:
        minutes = settings.SESSION_IDLE_MINUTES
        if not minutes:
            return False
        now = int(time.time())
        seen = request.session.get(SEEN_KEY)
        if seen is not None and now - seen > minutes * 60:
            return True
        polling = request.headers.get("HX-Target") == BELL_ID
        if not polling and (seen is None or now - seen >= TOUCH_SECONDS):
            # Writing the session sends its cookie again with a fresh expiry.
            request.session[SEEN_KEY] = now
        return False

    @staticmethod
    def _second_factor(request, user):
        path = request.path_info
        if _exempt(path) or user.is_verified():
            return None
        state = request.session.get(two_factor.STATE_KEY, "")
        if not state and path.startswith(_admin_prefix()) and two_factor.two_factor_required(user):
            # The admin checks the requirement itself: no second door without the factor.
            state = two_factor.VERIFY if two_factor.has_authenticator(user) else two_factor.SETUP
            request.session[two_factor.STATE_KEY] = state
        if not state:
            return None
        target = (
            "accounts:two_factor_verify"
            if state == two_factor.VERIFY
            else ("accounts:two_factor_setup")
        )
        if request.headers.get("HX-Request"):
            response = redirect(reverse(target))
            response["HX-Redirect"] = reverse(target)
            return response
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def _admin_prefix() -> str:
    return reverse("admin:index")


def _exempt(path: str) -> bool:
    prefixes = (
        reverse("accounts:two_factor_setup"),
        reverse("accounts:two_factor_verify"),
        reverse("logout"),
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
        reverse("healthz"),
    )
    return path.startswith(prefixes)
