"""Ending a user's sessions at once (deactivated, or left without a unit)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from accounts.models import SignInEvent, UserSession
from accounts.services.audit import event_record


def session_remember(*, user, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def sessions_end(*, user, reason: str = "") -> int:
    """Delete every session the user signed in to, from the session store itself."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    if keys:
        event_record(kind=SignInEvent.Kind.SESSIONS_ENDED, user=user, detail=reason)
    return len(keys)
