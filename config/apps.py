"""django-axes under a name the administrator recognises on the admin's index."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class SignInThrottleConfig(AxesConfig):
    verbose_name = _("Sign-in throttle")
