"""A unit head adds and removes the officers of their own unit (never heads, never others')."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services.invitations import invitation_send
from units.models import Membership, Unit, User


@transaction.atomic
def officer_add(
    *, unit: Unit, username: str, full_name: str = "", email: str = "", by=None, request=None
) -> tuple[User, bool]:
    """Make the account an officer of the unit; a new account is created and invited.

    Returns (user, created)."""
    user = User.objects.filter(username__iexact=username).first()
    created = False
    if user is None:
        if not email:
            raise ValidationError({"email": _("A new account needs an e-mail address.")})
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": _("Another user already has this e-mail address.")})
        user = User(username=username, full_name=full_name, email=email)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        created = True
    elif not user.is_active:
        raise ValidationError({"username": _("This account is deactivated.")})
    Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.OFFICER)
    if created:
        transaction.on_commit(lambda: invitation_send(user=user, request=request, by=by))
    return user, created


@transaction.atomic
def officer_remove(*, unit: Unit, user_id: int) -> bool:
    deleted, _rows = Membership.objects.filter(
        unit=unit, user_id=user_id, role=Membership.Role.OFFICER
    ).delete()
    return bool(deleted)
