"""Liveness of the services the app depends on, for load balancers and compose health checks;
and the server error page."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the reason is reported
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _templates_state() -> str:
    # A page is drawn through the template engine and the static files storage; with
    # DEBUG=false that storage needs the manifest written by collectstatic.
    try:
        render_to_string("healthz.html")
    except Exception as exc:  # whatever breaks the template breaks every page
        logger.exception("health check: the template could not be drawn")
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _cache_state() -> str:
    ping = getattr(cache, "ping", None)  # the Redis cache (config/cache.py); locmem has none
    return "ok" if ping is None or ping() else "down"


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    state = {
        "database": _database_state(),
        "broker": _broker_state(),
        "templates": _templates_state(),
    }
    healthy = all(value in {"ok", "eager"} for value in state.values())
    # Without its cache the app still serves every page from the database (config/cache.py),
    # only slower: a cache that is down is reported as "degraded" and does not fail the check,
    # which would take every web server out of a load balancer for a cache.
    cache_state = _cache_state()
    status = "error" if not healthy else "ok" if cache_state == "ok" else "degraded"
    return JsonResponse(
        {"status": status, **state, "cache": cache_state}, status=200 if healthy else 503
    )


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers ask for /favicon.ico on pages that do not link an icon (the admin).
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponseServerError:
    """The 500 page (handler500). A failed POST may or may not have been saved before the
    error, so the page says so instead of promising that nothing was lost. Drawn without the
    request's context processors, which may be what failed (as Django's own page is)."""
    posted = request.method not in {"GET", "HEAD", "OPTIONS"}
    context = {"posted": posted, "LANGUAGE_CODE": get_language()}
    return HttpResponseServerError(render_to_string("500.html", context))
