"""The report page served from the cache while nothing it shows has changed.

The officer's report page is the most visited page of the app (its budget in DESIGN.md: half
the requests per second of a bare Django view). Its body is cached by the template under
`body_key` (with the report's state and the language); the whole drawn page is kept here under
`page_key`, which adds what the base layout around the body shows. The permission check and the
report's row are still read on every request, by the view.

Kept beside the views rather than with the selectors: every part of the key comes from the
request (the reader, their CSRF secret, the one-time messages, the URL, the language), and
what is kept is a drawn response, not data.
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from campaigns.models import ProgressReport
from units.roles import roles_of
from units.selectors import unread_count

# How long a drawn report page is kept; every key part below makes it stale sooner.
REPORT_PAGE_SECONDS = 900


def body_key(request: HttpRequest, rights: tuple[bool, ...], today: datetime.date) -> str:
    """What the cached body depends on besides the report (its `updated_at` for the workflow,
    its `content_version` for lines, values and files): who looks (their rights and their CSRF
    secret, which the forms carry) and the day (locking); the template adds the language."""
    flags = "".join(str(int(right)) for right in rights)
    secret = hashlib.sha256(request.META.get("CSRF_COOKIE", "").encode()).hexdigest()[:16]
    return f"{request.user.pk}:{flags}:{secret}:{today.isoformat()}"


def page_key(
    request: HttpRequest, report: ProgressReport, body: str, unread: int | None
) -> str | None:
    """The cache key of the whole page as this reader sees it now, or None when the page must
    be drawn: a page carrying one-time messages, or a first visit without the CSRF cookie (the
    drawn page sets it). `unread` is the reader's bell count when already read."""
    if not request.META.get("CSRF_COOKIE") or len(messages.get_messages(request)):
        return None
    user = request.user
    if unread is None:
        unread = unread_count(user=user)
    around = (
        # The base layout: the reader's name and staff flag, the navigation their roles
        # give, the bell's count and the URL the language switch returns to.
        user.get_full_name(),
        user.is_staff,
        roles_of(user).fingerprint(),
        unread,
        request.get_full_path(),
    )
    digest = hashlib.sha256(repr(around).encode()).hexdigest()[:16]
    return ":".join(
        [
            "report_page_full",
            str(report.pk),
            str(report.updated_at.timestamp()),
            str(report.content_version),
            body,
            get_language(),
            digest,
        ]
    )


def cached_page(request: HttpRequest, key: str) -> HttpResponse | None:
    """The page kept under `key`, or None when it has to be drawn."""
    content = cache.get(key)
    if content is None:
        return None
    get_token(request)  # as the drawn page's forms do: keeps the CSRF cookie fresh
    return HttpResponse(content)


def keep_page(key: str, response: HttpResponse) -> None:
    cache.set(key, response.content, REPORT_PAGE_SECONDS)
