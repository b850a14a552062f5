"""The nominee's record: task ratings, open matters, initiatives and the award history,
kept by the secretary and imported from spreadsheets."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from awards.models import (
    AwardGrant,
    Initiative,
    OpenMatter,
    TaskRating,
)
from awards.resources import (
    AwardGrantResource,
    InitiativeResource,
    OpenMatterResource,
    TaskRatingResource,
)
from config.imports import SafeImportMixin
from units.admin_base import SecretaryReadableAdmin
from units.roles import roles_of


class RecordAdmin(
    SecretaryReadableAdmin, SafeImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    list_select_related = ["person", "unit"]
    autocomplete_fields = ["person", "unit"]

    @admin.display(description=_("nominee"))
    def nominee(self, obj) -> str:
        return str(obj.nominee)


@admin.register(TaskRating)
class TaskRatingAdmin(RecordAdmin):
    resource_classes = [TaskRatingResource]
    list_display = ["nominee", "year", "rating", "disciplined", "discipline_level"]
    list_filter = ["year", "rating", "disciplined"]
    search_fields = ["person__full_name", "person__code", "unit__name", "unit__code"]


class MatterOpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("closed", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(closed_on__isnull=True)
        if self.value() == "closed":
            return queryset.filter(closed_on__isnull=False)
        return queryset


@admin.register(OpenMatter)
class OpenMatterAdmin(RecordAdmin):
    """Investigations, inspections, complaints and discipline procedures. The secretary
    records them and closes them (resolution date and how); while one is open it blocks every
    award of the nominee. Deleting stays with the administrator: a resolved matter is closed,
    not removed."""

    resource_classes = [OpenMatterResource]
    list_display = ["nominee", "kind", "summary", "opened_on", "closed_on", "created_by"]
    list_filter = [MatterOpenFilter, "kind", "opened_on"]
    search_fields = ["summary", "person__full_name", "person__code", "unit__name", "unit__code"]
    list_select_related = ["person", "unit", "created_by"]
    fields = [
        "person",
        "unit",
        "kind",
        "summary",
        "opened_on",
        "closed_on",
        "resolution",
        "source_comment",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["source_comment", "created_by", "created_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) or roles_of(request.user).is_secretary

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) or roles_of(request.user).is_secretary

    def has_import_permission(self, request) -> bool:
        return super().has_import_permission(request) or roles_of(request.user).is_secretary

    def save_model(self, request, obj, form, change) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Initiative)
class InitiativeAdmin(RecordAdmin):
    resource_classes = [InitiativeResource]
    list_display = ["title", "nominee", "scope", "recognised_on", "used_by"]
    list_filter = ["scope", ("used_by", admin.EmptyFieldListFilter)]
    search_fields = ["title", "person__full_name", "person__code", "unit__name", "unit__code"]
    list_select_related = ["person", "unit", "used_by__award_type"]
    # Which nomination relies on it is decided in the nomination, never here.
    readonly_fields = ["used_by"]


@admin.register(AwardGrant)
class AwardGrantAdmin(RecordAdmin):
    resource_classes = [AwardGrantResource]
    list_display = ["nominee", "year", "award_type", "decision_number", "decided_on", "issuer"]
    list_filter = ["year", "award_type"]
    search_fields = [
        "person__full_name",
        "person__code",
        "unit__name",
        "unit__code",
        "decision_number",
    ]
    list_select_related = ["person", "unit", "award_type"]
