"""Invitations: a new account gets an e-mail in its language with a one-time link that sets
its password; until then its password is unusable (it cannot sign in)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import SignInEvent
from accounts.services.audit import event_record
from accounts.tokens import invitation_token_generator


def invitation_pending(user) -> bool:
    """Invited (or never given a password) and not yet signed in."""
    return not user.has_usable_password() and user.last_login is None


def invitation_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:invitation", args=[uid, token])


def invitation_send(*, user, request=None, by=None) -> bool:
    """E-mail the link (False when the user has no address or already has a password)."""
    if not user.email or user.has_usable_password() or not user.is_active:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "link": invitation_link(user),
            "days": settings.INVITE_DAYS,
            "site": settings.SITE_URL,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    event_record(
        kind=SignInEvent.Kind.INVITED,
        request=request,
        user=user,
        detail=f"by {by.get_username()}" if by is not None else "",
    )
    return True
