"""The app's URLs plus /bench/bare/: the least a Django view can do behind the same middleware
(session, authentication, login required, CSRF, CSP, locale, htmx, history), and
/bench/layout/: the app's page layout (header, navigation, bell, footer) around nothing, what
every page of the app costs before its own content."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [path("bench/bare/", bare), path("bench/layout/", layout), *app_urlpatterns]
