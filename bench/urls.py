"""The app's URLs plus /bench/bare/: the least a Django view can do behind the same middleware
(session, authentication, login required, CSRF, CSP, locale, htmx, history)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
