"""The sign-in log: one row per event, with the client's address behind our proxies."""

from __future__ import annotations

from accounts.models import SignInEvent
from config.addresses import client_address


def event_record(
    *, kind: str, request=None, user=None, username: str = "", detail: str = ""
) -> SignInEvent:
    address = client_address(request) if request is not None else None
    if user is not None and not getattr(user, "pk", None):
        user = None
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        address=address or None,
        detail=detail[:255],
    )
