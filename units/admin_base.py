"""Pieces shared by every app's admin."""

from django.contrib import admin

from units.roles import roles_of


class SecretaryReadableAdmin(admin.ModelAdmin):
    """The board secretary reads everything in the admin; writes stay with permissions."""

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or roles_of(request.user).is_secretary

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or roles_of(request.user).is_secretary
