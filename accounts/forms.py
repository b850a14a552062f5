from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from units.models import User


class LocalisedPasswordResetForm(PasswordResetForm):
    """The reset e-mail goes out in the language of the account, not of the requester, and
    an invited account (no password yet) may use it too."""

    def get_users(self, email):
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True)
            if user.email and user.email.lower() == email.lower()
        )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language or None):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class OfficerForm(forms.Form):
    """A unit head adds an officer: an existing account by username, or a new one invited."""

    username = forms.SlugField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
