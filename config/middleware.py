"""Responses to a signed-in user are not kept by the browser nor any cache on the way."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreWhenSignedInMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user: pages and
    evidence downloads hold unit data that must not stay in a shared computer's browser cache
    or a proxy. The report page's own cache is on the server (the page body in the cache
    backend) and is not affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
