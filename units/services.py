"""Every write to the organisation goes through here."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import EmulationBloc, Membership, Notification, Person, Unit, User
from units.roles import BOARD_GROUP, SECRETARY_GROUP
from units.selectors import forget_unread_count

MINISTRY_CODE = "bct"


def unit_ensure_ministry() -> Unit:
    """The Ministry is the root of the tree and launches campaigns; make sure it exists."""
    ministry, _ = Unit.objects.get_or_create(
        code=MINISTRY_CODE,
        defaults={
            "name": "Bộ Công Thương",
            "name_en": "Ministry of Industry and Trade",
            "short_name": "BCT",
            "kind": Unit.Kind.MINISTRY,
        },
    )
    return ministry


def code_check(code: str) -> str:
    """A unit's or person's code goes into URLs (`<slug:code>`): letters, digits, - and _."""
    try:
        validate_slug(code)
    except ValidationError:
        raise ValidationError(
            _("The code %(code)s may contain only letters, digits, hyphens and underscores."),
            code="invalid_code",
            params={"code": code},
        ) from None
    return code


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def sector_load(*, data: dict[str, Any]) -> list[Unit]:
    """Create or update blocs and units (by code) from a data document, parents first.

    Predecessor links are set after every unit exists, so a document may list a merged unit
    before or after the units it replaces.
    """
    for bloc in data.get("blocs", []):
        EmulationBloc.objects.update_or_create(
            code=bloc["code"],
            defaults={"name": bloc["name"], "name_en": bloc.get("name_en", "")},
        )
    blocs = {bloc.code: bloc for bloc in EmulationBloc.objects.all()}
    units: dict[str, Unit] = {}
    for row in data["units"]:
        code_check(row["code"])
        parent = units.get(row["parent"]) if row.get("parent") else None
        if row.get("parent") and parent is None:
            parent = Unit.objects.get(code=row["parent"])
        fields = {
            "name": row["name"],
            "name_en": row.get("name_en", ""),
            "short_name": row.get("short_name", ""),
            "kind": row["kind"],
            "parent": parent,
            "bloc": blocs.get(row.get("bloc") or ""),
            "province": row.get("province", ""),
            "opened_on": _date(row.get("opened_on")),
            "closed_on": _date(row.get("closed_on")),
        }
        # Commendation authority: as the document says; else, for a new unit, by its kind
        # (an administrator's later change is kept when the document is loaded again).
        if "commendation_authority" in row:
            fields["commendation_authority"] = bool(row["commendation_authority"])
        unit, _ = Unit.objects.update_or_create(
            code=row["code"],
            defaults=fields,
            create_defaults={
                "commendation_authority": row["kind"] in Unit.AUTHORITY_KINDS,
                **fields,
            },
        )
        units[unit.code] = unit
    for row in data["units"]:
        if row.get("predecessors"):
            units[row["code"]].predecessors.set([units[code] for code in row["predecessors"]])
    return list(units.values())


def board_groups() -> tuple[Group, Group]:
    secretary, _ = Group.objects.get_or_create(name=SECRETARY_GROUP)
    board, _ = Group.objects.get_or_create(name=BOARD_GROUP)
    return secretary, board


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password_hash: str,
    full_name: str,
    email: str = "",
    units: list[tuple[Unit, str]] = (),
    groups: list[str] = (),
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create or reset a user with exactly the given unit roles and groups.

    Takes a ready hash (django.contrib.auth.hashers.make_password) so that a batch of users
    costs one slow hash, not one each.
    """
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "email": email,
            "is_staff": is_staff or is_superuser,
            "is_superuser": is_superuser,
            "is_active": True,
            "password": password_hash,
        },
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    kept = [
        Membership.objects.get_or_create(user=user, unit=unit, role=role)[0].pk
        for unit, role in units
    ]
    Membership.objects.filter(user=user).exclude(pk__in=kept).delete()
    return user


def person_upsert(*, code: str, unit: Unit, full_name: str, **fields: Any) -> Person:
    code_check(code)
    person, _ = Person.objects.update_or_create(
        code=code, defaults={"unit": unit, "full_name": full_name, **fields}
    )
    return person


# --- Preferences and the in-app inbox ------------------------------------------------------


def user_preferences_save(*, user: User, language: str, email_notifications: bool) -> User:
    user.language = language
    user.email_notifications = email_notifications
    user.save(update_fields=["language", "email_notifications"])
    return user


def _refresh_bell(user_id: int) -> None:
    """Drop the bell's cached count now, and again once the change is committed (a request in
    between could have cached the count from before the change)."""
    forget_unread_count(user_id)
    transaction.on_commit(lambda: forget_unread_count(user_id))


def notify(*, recipient: User, message: str, url: str = "", key: str = "") -> Notification:
    """Put a message in the recipient's inbox; with a key, at most once per recipient.

    The message is stored already rendered (the caller writes it in the recipient's language),
    so the inbox shows what was sent even if the wording of the code changes later. With a key
    the insert is tried first (the usual case) and the unique key answers a repeat.
    """
    _refresh_bell(recipient.pk)
    if not key:
        return Notification.objects.create(recipient=recipient, message=message, url=url)
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient, message=message, url=url, key=key
            )
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, key=key)


def notification_mark_read(*, notification: Notification) -> Notification:
    """Idempotent: a notification already read keeps the time it was first read."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _refresh_bell(notification.recipient_id)
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    _refresh_bell(user.pk)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
