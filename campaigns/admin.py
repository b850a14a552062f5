from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import (
    Campaign,
    Evidence,
    Indicator,
    IndicatorValue,
    Objective,
    Participation,
    ProgressReport,
    Registration,
    Reminder,
    ReportingPeriod,
    ReportLine,
    Target,
)
from campaigns.resources import IndicatorResource
from campaigns.services.campaigns import campaign_generate_periods
from campaigns.services.reminders import reminders_retry
from campaigns.services.reports import report_accept
from config.access import can
from config.imports import SafeImportMixin
from config.numbers import ADMIN_NUMBER_FIELDS
from units.admin_base import DeliveryAdmin, SecretaryReadableAdmin
from units.roles import roles_of


class ObjectiveInline(admin.StackedInline):
    model = Objective
    formfield_overrides = ADMIN_NUMBER_FIELDS
    extra = 0
    fields = ["number", "title", "title_en", "text", "weight"]


class PeriodInline(admin.TabularInline):
    model = ReportingPeriod
    extra = 0
    fields = ["label", "starts_on", "ends_on", "due_on", "locks_on"]


@admin.register(Campaign)
class CampaignAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["code", "title", "launched_on", "starts_on", "ends_on", "status", "cadence"]
    list_filter = ["status", "cadence"]
    search_fields = ["code", "title", "title_en"]
    list_select_related = ["launched_by"]
    autocomplete_fields = ["launched_by"]
    inlines = [ObjectiveInline, PeriodInline]
    actions = ["generate_periods"]

    @admin.action(description=_("Generate reporting periods from the cadence"))
    def generate_periods(self, request, queryset):
        for campaign in queryset:
            periods = campaign_generate_periods(campaign=campaign)
            self.message_user(
                request,
                ngettext(
                    "%(campaign)s: %(count)d period.",
                    "%(campaign)s: %(count)d periods.",
                    len(periods),
                )
                % {"campaign": campaign.code, "count": len(periods)},
                messages.SUCCESS,
            )


@admin.register(Objective)
class ObjectiveAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["campaign", "number", "title", "weight"]
    list_filter = ["campaign"]
    search_fields = ["title", "title_en", "text"]
    list_select_related = ["campaign"]


@admin.register(Indicator)
class IndicatorAdmin(
    SecretaryReadableAdmin, SafeImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    resource_classes = [IndicatorResource]
    list_display = ["code", "name", "objective", "measure", "kind", "direction", "rollup", "weight"]
    list_filter = ["objective__campaign", "kind", "direction", "rollup"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["objective", "objective__campaign"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["label", "campaign", "kind", "starts_on", "ends_on", "due_on", "locks_on"]
    list_filter = ["campaign", "kind"]
    list_select_related = ["campaign"]

    def get_queryset(self, request):
        # Review periods too (the default manager holds the regular periods only).
        return ReportingPeriod.all_kinds.select_related("campaign")


@admin.register(Participation)
class ParticipationAdmin(SecretaryReadableAdmin):
    list_display = ["campaign", "unit", "joined_on"]
    list_filter = ["campaign", "unit__kind", "unit__bloc"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["campaign", "unit"]
    autocomplete_fields = ["unit"]


class TargetInline(admin.TabularInline):
    model = Target
    formfield_overrides = ADMIN_NUMBER_FIELDS
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(Registration)
class RegistrationAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["unit", "campaign", "year", "target_title", "status", "confirmed_at"]
    list_filter = ["campaign", "year", "status", "target_title"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "campaign"]
    autocomplete_fields = ["unit"]
    inlines = [TargetInline]


class ReportLineInline(admin.StackedInline):
    model = ReportLine
    extra = 0
    fields = ["objective", "percent_complete", "narrative", "updated_by", "updated_at"]
    readonly_fields = ["objective", "updated_by", "updated_at"]
    can_delete = False


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    formfield_overrides = ADMIN_NUMBER_FIELDS
    extra = 0
    fields = ["indicator", "value", "updated_by", "updated_at"]
    readonly_fields = ["indicator", "updated_by", "updated_at"]
    can_delete = False


@admin.register(ProgressReport)
class ProgressReportAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["unit", "period", "status", "late", "first_submitted_at", "reviewed_by"]
    list_filter = ["status", "late", "period__campaign", "period", "unit__kind", "unit__bloc"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period", "reviewed_by"]
    readonly_fields = ["created_at", "updated_at", "first_submitted_at", "submitted_at"]
    autocomplete_fields = ["unit"]
    inlines = [ReportLineInline, IndicatorValueInline]
    actions = ["accept_reports"]

    def has_review_permission(self, request) -> bool:
        # The workflow action is the secretary's (DESIGN.md: admin read + workflow actions);
        # each report is still checked against the rules before the service runs.
        return roles_of(request.user).is_secretary

    @admin.action(description=_("Accept the selected submitted reports"), permissions=["review"])
    def accept_reports(self, request, queryset):
        accepted = skipped = 0
        for report in queryset.select_related("unit", "period"):
            if not can(request.user, "campaigns.review_report", report):
                skipped += 1
                continue
            try:
                report_accept(report=report, actor=request.user)
            except ValidationError:
                skipped += 1
            else:
                accepted += 1
        self.message_user(
            request,
            _("%(accepted)d accepted, %(skipped)d skipped (not submitted or not yours to accept).")
            % {"accepted": accepted, "skipped": skipped},
            messages.SUCCESS if accepted else messages.WARNING,
        )


@admin.register(Evidence)
class EvidenceAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    list_display = ["original_name", "line", "size", "uploaded_by", "uploaded_at"]
    list_select_related = [
        "line__report__unit",
        "line__report__period",
        "line__objective",
        "uploaded_by",
    ]
    search_fields = ["original_name", "line__report__unit__name"]
    readonly_fields = [
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "file",
    ]


@admin.register(Reminder)
class ReminderAdmin(DeliveryAdmin):
    """Every reminder with its state; written only by the system, sent again by an action."""

    list_display = [
        "kind",
        "unit",
        "period",
        "recipient",
        "state",
        "attempts",
        "scheduled_on",
        "sent_at",
        "short_error",
    ]
    list_filter = ["state", "kind", "campaign", "period", "via_email", "scheduled_on"]
    search_fields = [
        "unit__name",
        "unit__code",
        "recipient__username",
        "recipient__full_name",
        "recipient__email",
        "occasion",
        "error",
    ]
    list_select_related = ["unit", "period", "recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "campaign",
        "unit",
        "period",
        "kind",
        "occasion",
        "recipient",
        "scheduled_on",
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
        "requested_by",
    ]
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed reminders again"), permissions=["resend"])
    def send_again(self, request, queryset):
        self.resend(
            request,
            queryset,
            retry=lambda ids: reminders_retry(reminder_ids=ids),
            done=lambda count: (
                ngettext(
                    "%(count)d failed reminder is queued again.",
                    "%(count)d failed reminders are queued again.",
                    count,
                )
                % {"count": count}
            ),
        )
