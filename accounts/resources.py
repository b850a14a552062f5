"""The bulk import of users with their memberships (admin › Users › Import).

One row is one membership: username, full name, e-mail, unit (code), role (officer / head),
staff code (the roster's person, optional), language (optional). A user listed on several rows
gets several memberships; an existing username is updated, never duplicated. Every row is
checked before anything is written (StrictModelResource), errors name their column, and new
accounts are invited once the import is committed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields

from config.resources import StrictModelResource
from units.models import Membership, Person, Unit, User

ROLE_WORDS = {
    "officer": Membership.Role.OFFICER,
    "cán bộ": Membership.Role.OFFICER,
    "head": Membership.Role.HEAD,
    "thủ trưởng": Membership.Role.HEAD,
}


class _Column(fields.Field):
    """A column of the row that is not a field of the user: read, checked, never exported."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = row.get(self.column_name)
        setattr(instance, f"_import_{self.attribute}", "" if value is None else str(value).strip())


class UserMembershipResource(StrictModelResource):
    unit = _Column(attribute="unit", column_name="unit")
    role = _Column(attribute="role", column_name="role")
    staff_code = _Column(attribute="staff_code", column_name="staff_code")

    class Meta:
        model = User
        import_id_fields = ["username"]
        fields = ["username", "full_name", "email", "unit", "role", "staff_code", "language"]
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.created_user_ids: list[int] = []
        self._units: dict[str, Unit | None] = {}

    def _unit(self, code: str) -> Unit | None:
        if code not in self._units:
            self._units[code] = Unit.objects.filter(code=code).first()
        return self._units[code]

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        instance._import_new = instance.pk is None
        if instance._import_new:
            # Until the invitation is used the account cannot sign in.
            instance.set_unusable_password()
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self._check_row(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _check_row(self, instance, errors: dict) -> None:
        def add(column: str, message: str) -> None:
            errors.setdefault(column, []).append(ValidationError(message))

        code = getattr(instance, "_import_unit", "")
        unit = self._unit(code) if code else None
        if not code:
            add("unit", _("Give the code of the unit."))
        elif unit is None:
            add("unit", _("No unit with code “%(code)s”.") % {"code": code})
        elif unit.closed_on is not None and unit.closed_on < timezone.localdate():
            add(
                "unit",
                _("The unit “%(code)s” closed on %(day)s; it takes no new members.")
                % {"code": code, "day": unit.closed_on.strftime("%d/%m/%Y")},
            )
        instance._import_unit_obj = unit
        role_word = getattr(instance, "_import_role", "").lower()
        instance._import_role_value = ROLE_WORDS.get(role_word)
        if instance._import_role_value is None:
            add(
                "role",
                _("“%(value)s” is not a role: write officer or head.") % {"value": role_word},
            )
        if not instance.email:
            add("email", _("Give an e-mail address: the invitation is sent there."))
        elif (
            User.objects.filter(email__iexact=instance.email)
            .exclude(username__iexact=instance.username)
            .exists()
        ):
            add("email", _("Another user already has this e-mail address."))
        staff_code = getattr(instance, "_import_staff_code", "")
        instance._import_person = None
        if staff_code:
            person = Person.objects.filter(code=staff_code).first()
            if person is None:
                add(
                    "staff_code",
                    _("No person on the roster with staff code “%(code)s”.") % {"code": staff_code},
                )
            elif person.user_id and person.user.username != instance.username:
                add("staff_code", _("This person is already linked to another account."))
            instance._import_person = person

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        Membership.objects.get_or_create(
            user=instance, unit=instance._import_unit_obj, role=instance._import_role_value
        )
        person = instance._import_person
        if person is not None and person.user_id != instance.pk:
            person.user = instance
            person.save(update_fields=["user"])
        if getattr(instance, "_import_new", False):
            self.created_user_ids.append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        ids = list(self.created_user_ids)
        by = kwargs.get("user")

        def invite() -> None:
            from accounts.services.invitations import invitation_send

            for user in User.objects.filter(pk__in=ids, is_active=True):
                if not user.has_usable_password():
                    invitation_send(user=user, by=by)

        transaction.on_commit(invite)
