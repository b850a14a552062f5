from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from config.imports import SafeImportMixin
from units.admin_base import DeliveryAdmin, SecretaryReadableAdmin
from units.delivery import messages_retry
from units.models import EmulationBloc, Membership, Message, Notification, Person, Unit, User
from units.resources import PersonResource, UnitResource


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit", "user"]


@admin.register(User)
class UserAdmin(SecretaryReadableAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ["full_name", "language", "email_notifications"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (None, {"fields": ["full_name", "email", "language"]}),
    ]
    inlines = [MembershipInline]


@admin.register(EmulationBloc)
class EmulationBlocAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name"]


class ReachableFilter(admin.SimpleListFilter):
    """Units nobody can be told anything in (no active officer or head): the home page's
    "waiting for you" and the follow-up page link here so that the administrator fixes them."""

    title = _("someone reachable")
    parameter_name = "reachable"

    def lookups(self, request, model_admin):
        return [("no", _("Nobody reachable (no active officer or head)"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            from units.waiting import reachable_members

            return queryset.exclude(pk__in=reachable_members().values("unit_id"))
        return queryset


@admin.register(Unit)
class UnitAdmin(
    SecretaryReadableAdmin, SafeImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    resource_classes = [UnitResource]
    list_display = [
        "code",
        "name",
        "kind",
        "commendation_authority",
        "parent",
        "bloc",
        "province",
        "opened_on",
        "closed_on",
    ]
    list_filter = [
        "kind",
        "commendation_authority",
        "bloc",
        ("closed_on", admin.EmptyFieldListFilter),
        ReachableFilter,
    ]
    search_fields = ["code", "name", "short_name", "province"]
    list_select_related = ["parent", "bloc"]
    autocomplete_fields = ["parent", "predecessors"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Person)
class PersonAdmin(
    SecretaryReadableAdmin, SafeImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    resource_classes = [PersonResource]
    list_display = ["code", "full_name", "unit", "position", "active"]
    list_filter = ["active", "sex", "unit__kind"]
    search_fields = ["code", "full_name", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "user"]


@admin.register(Notification)
class NotificationAdmin(SecretaryReadableAdmin):
    """Inbox messages are written by the system; the admin only reads them."""

    list_display = ["recipient", "message", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["recipient__username", "recipient__full_name", "message", "key"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "message", "url", "key", "created_at", "read_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(DeliveryAdmin):
    """Every message with its delivery state; written only by the system, sent again by an
    action."""

    list_display = ["key", "recipient", "subject", "state", "attempts", "sent_at", "short_error"]
    list_filter = ["state", "essential", "via_email", "created_at"]
    search_fields = [
        "key",
        "subject",
        "recipient__username",
        "recipient__full_name",
        "recipient__email",
        "error",
    ]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "key",
        "recipient",
        "essential",
        "subject",
        "text",
        "url",
        "body",
        "via_email",
        "via_app",
        "state",
        "attempts",
        "error",
        "created_at",
        "enqueued_at",
        "next_attempt_at",
        "sent_at",
        "emailed_at",
        "notification",
    ]
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed messages again"), permissions=["resend"])
    def send_again(self, request, queryset):
        self.resend(
            request,
            queryset,
            retry=lambda ids: messages_retry(message_ids=ids),
            done=lambda count: (
                ngettext(
                    "%(count)d failed message is queued again.",
                    "%(count)d failed messages are queued again.",
                    count,
                )
                % {"count": count}
            ),
        )


# The sign-in throttle's counts (django-axes): the administrator sees who is locked out, from
# which address and how many times, and unlocks one by deleting its row.
admin.site.register(AccessAttempt, AccessAttemptAdmin)
