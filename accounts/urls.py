"""Passwords, invitations, two-factor sign-in and a unit's officers, under /accounts/."""

from django.urls import path

from accounts.views import officers, passwords, two_factor

app_name = "accounts"
urlpatterns = [
    path("invitation/<uidb64>/<token>/", passwords.InvitationView.as_view(), name="invitation"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        passwords.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/change/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", two_factor.manage_view, name="two_factor"),
    path("two-factor/setup/", two_factor.setup_view, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify_view, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes_view, name="recovery_codes"),
    path(
        "two-factor/recovery-codes/new/",
        two_factor.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("two-factor/off/", two_factor.turn_off, name="two_factor_off"),
    path("units/<slug:code>/officers/", officers.officers_view, name="unit_officers"),
    path(
        "units/<slug:code>/officers/<int:user_id>/remove/",
        officers.officer_remove_view,
        name="officer_remove",
    ),
    path(
        "units/<slug:code>/officers/<int:user_id>/invite/",
        officers.officer_invite_view,
        name="officer_invite",
    ),
]
