"""The council, its meetings, publicity and decisions: read-only here, since every change
goes through its workflow step."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from awards.admin.base import ReadOnlyInline
from awards.models import (
    Attendance,
    Council,
    CouncilMember,
    Decision,
    Meeting,
    Publication,
    PublicComment,
)
from awards.services.publicity import (
    public_comment_moderate,
)
from config.access import can
from units.admin_base import SecretaryReadableAdmin
from units.roles import roles_of


class SeatInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    fields = ["user", "role", "votes", "position", "term_start", "term_end"]
    autocomplete_fields = ["user"]

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or roles_of(request.user).is_secretary


@admin.register(Council)
class CouncilAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    """The secretary keeps the council on its own pages; the administrator can here too."""

    list_display = ["name", "unit", "term_start", "term_end", "established_by"]
    list_filter = [("unit", admin.EmptyFieldListFilter)]
    list_select_related = ["unit"]
    search_fields = ["name", "established_by", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [SeatInline]


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["member", "role", "votes", "present"]
    readonly_fields = fields


class WorkflowOnlyAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    """Rows that only the workflow pages write: the admin reads them and their history."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(WorkflowOnlyAdmin):
    # No ballot receipts and no counts here: the meeting's page shows the results once closed.
    list_display = ["held_on", "__str__", "council", "status", "council_size"]
    list_filter = ["status", "council"]
    list_select_related = ["council"]
    date_hierarchy = "held_on"
    inlines = [AttendanceInline]


class CommentInline(ReadOnlyInline):
    model = PublicComment
    fields = ["created_at", "name", "contact", "text", "status", "moderated_by"]
    readonly_fields = fields


@admin.register(Publication)
class PublicationAdmin(WorkflowOnlyAdmin):
    list_display = ["nominee_name", "award_name", "year", "opens_on", "closes_on", "status"]
    list_filter = ["status", "year"]
    search_fields = ["nominee_name", "unit_name", "award_name"]
    inlines = [CommentInline]


@admin.register(PublicComment)
class PublicCommentAdmin(WorkflowOnlyAdmin):
    list_display = ["created_at", "name", "publication", "status", "moderated_by"]
    list_filter = ["status"]
    list_select_related = ["publication", "moderated_by"]
    search_fields = ["name", "contact", "text", "publication__nominee_name"]
    actions = ["show", "hide"]

    def has_moderate_permission(self, request) -> bool:
        return can(request.user, "awards.moderate_comments")

    def _moderate(self, request, queryset, status: str) -> None:
        for comment in queryset:
            public_comment_moderate(comment=comment, status=status, actor=request.user)
        self.message_user(
            request,
            gettext("%(count)s comments updated.") % {"count": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Show on the public page"), permissions=["moderate"])
    def show(self, request, queryset):
        self._moderate(request, queryset, PublicComment.Status.APPROVED)

    @admin.action(description=_("Hide"), permissions=["moderate"])
    def hide(self, request, queryset):
        self._moderate(request, queryset, PublicComment.Status.HIDDEN)


@admin.register(Decision)
class DecisionAdmin(WorkflowOnlyAdmin):
    list_display = ["number", "signed_on", "kind", "signer", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "signer", "issuer"]
    date_hierarchy = "signed_on"
