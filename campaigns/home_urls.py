"""The home page, at the root of the site (no namespace): the campaign under way."""

from django.urls import path

from campaigns.views import home

urlpatterns = [
    path("", home, name="home"),
]
