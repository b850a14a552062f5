"""Setting a password from an invitation, resetting it by e-mail and changing it: Django's own
views and tokens with our templates, and an entry in the sign-in log."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from accounts.forms import LocalisedPasswordResetForm
from accounts.models import SignInEvent
from accounts.services.audit import event_record
from accounts.tokens import invitation_token_generator


class InTheUsersLanguage:
    """The page of a link from an e-mail speaks the language of the e-mail (the account's)."""

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is not None and user.language:
            translation.activate(user.language)
            self.request.LANGUAGE_CODE = user.language
        return user


@method_decorator(login_not_required, name="dispatch")
class InvitationView(InTheUsersLanguage, auth_views.PasswordResetConfirmView):
    """The link of the invitation e-mail: choose a password, then sign in."""

    template_name = "accounts/invitation.html"
    token_generator = invitation_token_generator
    reset_url_token = "set-password"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        event_record(kind=SignInEvent.Kind.PASSWORD_SET, request=self.request, user=self.user)
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalisedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(InTheUsersLanguage, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        event_record(kind=SignInEvent.Kind.PASSWORD_RESET, request=self.request, user=self.user)
        messages.success(self.request, _("Your password was changed. Sign in with it now."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("me:preferences")

    def form_valid(self, form):
        response = super().form_valid(form)
        event_record(
            kind=SignInEvent.Kind.PASSWORD_CHANGED, request=self.request, user=self.request.user
        )
        messages.success(self.request, _("Your password was changed."))
        return response
