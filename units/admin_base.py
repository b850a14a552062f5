"""Pieces shared by every app's admin."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from config.numbers import ADMIN_NUMBER_FIELDS
from config.text import normalise_text_fields
from units.roles import roles_of


class SecretaryReadableAdmin(admin.ModelAdmin):
    """The board secretary reads everything in the admin; writes stay with permissions."""

    formfield_overrides = ADMIN_NUMBER_FIELDS

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or roles_of(request.user).is_secretary

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or roles_of(request.user).is_secretary

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Names and texts typed in the admin: a vertical tab becomes a line break, other
        # control characters are refused (they would break the documents and exports).
        form = super().get_form(request, obj, change=change, **kwargs)

        class NormalisedForm(form):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                normalise_text_fields(self)

        NormalisedForm.__name__ = form.__name__
        return NormalisedForm


class DeliveryAdmin(SecretaryReadableAdmin):
    """Rows of the one delivery path (reminders, messages): written only by the system, read by
    the secretary, sent again by the administrator or the secretary."""

    @admin.display(description=_("error"))
    def short_error(self, row) -> str:
        return row.error[:80]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_resend_permission(self, request) -> bool:
        roles = roles_of(request.user)
        return roles.is_admin or roles.is_secretary

    def resend(
        self, request, queryset, *, retry: Callable[[list[int]], int], done: Callable[[int], str]
    ) -> None:
        """Queue the selected failed rows again; `done(count)` says how many."""
        count = retry(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, done(count), messages.SUCCESS)
