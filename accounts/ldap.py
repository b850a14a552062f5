"""Directory sign-in (django-auth-ldap): the directory checks the password, thidua decides who
the user is and what they may do.

A directory user is matched to an existing active thidua user by username, else by e-mail
(LDAP_EMAIL_ATTR), else by the roster's staff code (LDAP_STAFF_CODE_ATTR); nobody is created
and nothing is copied from the directory, so the directory gives no rights. When the directory
does not answer, the user is told so; with LDAP_PASSWORD_FALLBACK (the default) their thidua
password, if they have one, still works.
"""

from __future__ import annotations

import ldap
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend, ldap_error

from units.models import Person, User


class DirectoryBackend(LDAPBackend):
    def get_or_build_user(self, username, ldap_user):
        user = User.objects.filter(username__iexact=username).first()
        attrs = ldap_user.attrs or {}
        if user is None:
            emails = attrs.get(settings.LDAP_EMAIL_ATTR.lower()) or []
            if emails:
                user = User.objects.filter(email__iexact=emails[0]).first()
        if user is None:
            # Else the roster's person with the directory's staff code, if linked to an account.
            codes = attrs.get(settings.LDAP_STAFF_CODE_ATTR.lower()) or []
            if codes:
                person = Person.objects.filter(code__iexact=codes[0], user__isnull=False).first()
                user = person.user if person is not None else None
        if user is None:
            # Built but never saved: AUTH_LDAP_NO_NEW_USERS refuses it.
            return User(username=username), True
        return user, False

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not user.is_active:
            return None
        down = user is None and getattr(request, "_directory_down", False)
        if down and not settings.LDAP_PASSWORD_FALLBACK:
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def get_all_permissions(self, user, obj=None):
        return set()  # rights come from thidua only

    def get_group_permissions(self, user, obj=None):
        return set()


@receiver(ldap_error)
def directory_error(sender, context, user, request, exception, **kwargs) -> None:
    if request is None or not isinstance(exception, ldap.SERVER_DOWN | ldap.TIMEOUT):
        return
    request._directory_down = True
    if not getattr(request, "_directory_told", False):
        request._directory_told = True
        messages.error(
            request,
            _(
                "The ministry's directory did not answer, so your directory password could not "
                "be checked. Try again in a few minutes."
            ),
        )
