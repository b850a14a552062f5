"""Accounts in the admin: the user import, invitations, the second factor's reset, ended
sessions, the sign-in log; and the admin's own sign-in sent to the app's."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin

from accounts import two_factor
from accounts.models import SignInEvent
from accounts.resources import UserMembershipResource
from accounts.services.audit import event_record
from accounts.services.invitations import invitation_send
from accounts.services.sessions import sessions_end
from config.imports import SafeImportMixin
from units.admin import UserAdmin as BaseUserAdmin
from units.models import User

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(SafeImportMixin, ImportMixin, BaseUserAdmin):
    resource_classes = [UserMembershipResource]
    actions = ["send_invitation", "reset_two_factor", "end_sessions"]

    @admin.action(description=_("Send the invitation (again)"), permissions=["change"])
    def send_invitation(self, request, queryset):
        sent = sum(
            invitation_send(user=user, request=request, by=request.user) for user in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation sent (accounts with a password or no e-mail are skipped).",
                "%(count)d invitations sent (accounts with a password or no e-mail are skipped).",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )

    @admin.action(description=_("Reset two-factor sign-in"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.devices_reset(user)
            event_record(
                kind=SignInEvent.Kind.TWO_FACTOR_RESET,
                request=request,
                user=user,
                detail=f"by {request.user.get_username()}",
            )
            sessions_end(user=user, reason="two-factor reset")
        self.message_user(
            request,
            _("Two-factor sign-in was reset; the users set it up again at their next sign-in."),
        )

    @admin.action(description=_("End their sessions"), permissions=["change"])
    def end_sessions(self, request, queryset):
        ended = sum(sessions_end(user=user, reason="by the administrator") for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d session ended.", "%(count)d sessions ended.", ended)
            % {"count": ended},
        )


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "user", "address", "detail"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "user__username", "user__full_name", "address"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


_admin_login = admin.site.login


@login_not_required
def admin_login(request, extra_context=None):
    """The admin signs in through the app's page (and its second factor); a form posted here
    still goes through the same backends and throttle."""
    if request.method == "GET" and not request.user.is_authenticated:
        return redirect_to_login(request.GET.get("next") or "/admin/", login_url=settings.LOGIN_URL)
    return _admin_login(request, extra_context)


admin.site.login = admin_login
