"""Nominations: read by the secretary, with the screening steps as admin actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from awards.admin.base import ReadOnlyInline
from awards.models import (
    Initiative,
    Nomination,
    NominationAttachment,
    NominationStep,
    Review,
)
from awards.resources import (
    NominationCouncilResource,
)
from awards.services.nominations import (
    nomination_check_new,
    nomination_draft,
    nomination_return,
    nomination_screening_accept,
    nomination_screening_start,
)
from config.access import can, error_message
from config.imports import SAFE_FORMATS, LabelledExportForm
from units.admin_base import SecretaryReadableAdmin
from units.roles import roles_of


class StepInline(ReadOnlyInline):
    model = NominationStep
    fields = ["at", "from_status", "to_status", "actor", "eligibility_outcome", "reason"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = NominationAttachment
    fields = ["kind", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = [
        "member",
        "recommendation",
        "score",
        "comment",
        "conflict_of_interest",
        "conflict_reason",
        "submitted_at",
    ]
    readonly_fields = fields


class InitiativeInline(ReadOnlyInline):
    model = Initiative
    fk_name = "used_by"
    fields = ["title", "scope", "recognised_on"]
    readonly_fields = fields
    verbose_name_plural = _("initiatives relied on")


class NominationAddForm(forms.ModelForm):
    """The administrator records a nomination received on paper; it starts as a draft."""

    class Meta:
        model = Nomination
        fields = ["proposing_unit", "person", "unit", "award_type", "year"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            nomination_check_new(
                proposing_unit=cleaned["proposing_unit"],
                award_type=cleaned["award_type"],
                year=cleaned["year"],
                person=cleaned.get("person"),
                unit=cleaned.get("unit"),
            )
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return cleaned

    def validate_constraints(self) -> None:
        pass  # checked above, with clearer messages


class ReturnActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the unit"), widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Nomination)
class NominationAdmin(SecretaryReadableAdmin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [NominationCouncilResource]
    export_form_class = LabelledExportForm
    formats = SAFE_FORMATS
    list_display = [
        "id",
        "nominee_name",
        "award_type",
        "year",
        "proposing_unit",
        "status",
        "eligibility_outcome",
        "submitted_at",
    ]
    list_display_links = ["id", "nominee_name"]
    list_filter = [
        "status",
        "eligibility_outcome",
        "award_type",
        "year",
        "proposing_unit__kind",
        ("unit", admin.EmptyFieldListFilter),
    ]
    search_fields = [
        "person__full_name",
        "person__code",
        "unit__name",
        "unit__code",
        "proposing_unit__name",
        "proposing_unit__code",
    ]
    list_select_related = ["award_type", "person", "unit", "proposing_unit"]
    autocomplete_fields = ["proposing_unit", "person", "unit"]
    date_hierarchy = "created_at"
    inlines = [InitiativeInline, AttachmentInline, StepInline, ReviewInline]
    actions = ["start_screening", "accept_for_review", "return_to_unit"]

    @admin.display(description=_("nominee"), ordering="person__full_name")
    def nominee_name(self, obj: Nomination) -> str:
        return str(obj.nominee)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NominationAddForm
            kwargs["fields"] = NominationAddForm._meta.fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": NominationAddForm._meta.fields})]
        return super().get_fieldsets(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    # The dossier belongs to the unit and moves only through the workflow: an existing
    # nomination is read-only here, and the screening steps are the actions below.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        created = nomination_draft(
            proposing_unit=form.cleaned_data["proposing_unit"],
            award_type=form.cleaned_data["award_type"],
            year=form.cleaned_data["year"],
            person=form.cleaned_data.get("person"),
            unit=form.cleaned_data.get("unit"),
            actor=request.user,
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a nomination is withdrawn, never deleted

    def has_export_permission(self, request) -> bool:
        return super().has_export_permission(request) or roles_of(request.user).is_secretary

    def has_screen_permission(self, request) -> bool:
        return can(request.user, "awards.screen_nominations")

    def _apply(self, request, queryset, service, done_message, **kwargs) -> None:
        done = 0
        roles = roles_of(request.user)
        for nomination in queryset.select_related("award_type", "person", "unit"):
            # Each level screens its own (Law 2022 Art 80): a unit's nominations are its own
            # secretary's, on the nomination's page.
            if not roles.is_secretary_of(nomination.deciding_unit_id):
                self.message_user(
                    request,
                    gettext("%(nomination)s is screened by the council of its level.")
                    % {"nomination": nomination},
                    messages.ERROR,
                )
                continue
            try:
                service(nomination=nomination, actor=request.user, **kwargs)
            except ValidationError as error:
                self.message_user(request, f"{nomination}: {error_message(error)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Start screening"), permissions=["screen"])
    def start_screening(self, request, queryset):
        self._apply(
            request,
            queryset,
            nomination_screening_start,
            gettext("Screening started for %(count)s nominations."),
        )

    @admin.action(
        description=_("Dossier complete: send to the board's review"), permissions=["screen"]
    )
    def accept_for_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            nomination_screening_accept,
            gettext("%(count)s nominations sent to the board's review."),
        )

    @admin.action(description=_("Return to the unit"), permissions=["screen"])
    def return_to_unit(self, request, queryset):
        form = ReturnActionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(
                request,
                queryset,
                nomination_return,
                gettext("%(count)s nominations returned to their units."),
                reason=form.cleaned_data["reason"],
            )
            return None
        return TemplateResponse(
            request,
            "admin/awards/nomination/return_to_unit.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Return to the unit"),
                "opts": self.model._meta,
                "form": form,
                "nominations": queryset.select_related("award_type", "person", "unit"),
                "action": "return_to_unit",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
