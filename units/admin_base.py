"""Pieces shared by every app's admin."""

from django.contrib import admin

from config.text import normalise_text_fields
from units.roles import roles_of


class SecretaryReadableAdmin(admin.ModelAdmin):
    """The board secretary reads everything in the admin; writes stay with permissions."""

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
