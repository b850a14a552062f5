"""Logging in and out and choosing the language, at the root of the site (no namespace)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from units.views import LoginView, set_language

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
]
