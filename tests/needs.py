"""What a test needs beyond Python (a real PostgreSQL, Redis, Chromium, gettext): skip or fail.

Locally a missing PostgreSQL, Redis or Chromium skips the test with the reason; when CI is
set, the same absence fails it, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


def need(condition: bool, reason: str) -> None:
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI requires this test to run: {reason}")
    pytest.skip(reason)


def need_postgres() -> None:
    from django.db import connection

    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL=postgres://…)")


def need_redis() -> str:
    from django.conf import settings

    url = os.environ.get("REDIS_URL") or settings.REDIS_URL
    need(bool(url), "needs Redis (set REDIS_URL=redis://…)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need(False, f"Redis at {url} does not answer: {exc}")
    return url


def need_chromium() -> str:
    need(
        os.path.exists(CHROMIUM) or bool(shutil.which("chromium")),
        f"needs Chromium at {CHROMIUM} (apt-get install chromium)",
    )
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


def need_gettext() -> None:
    need(bool(shutil.which("xgettext")), "needs GNU gettext (apt-get install gettext)")
