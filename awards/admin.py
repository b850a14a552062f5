import itertools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from awards.models import (
    Attendance,
    AwardGrant,
    AwardTerms,
    AwardType,
    Council,
    CouncilMember,
    Decision,
    Initiative,
    Meeting,
    Nomination,
    NominationAttachment,
    NominationStep,
    OpenMatter,
    Publication,
    PublicComment,
    Review,
    TaskRating,
)
from awards.resources import (
    AwardGrantResource,
    InitiativeResource,
    NominationCouncilResource,
    OpenMatterResource,
    TaskRatingResource,
)
from awards.selectors.catalogue import terms_in_force, terms_prefetch
from awards.services.nominations import (
    nomination_check_new,
    nomination_draft,
    nomination_return,
    nomination_screening_accept,
    nomination_screening_start,
)
from awards.services.publicity import (
    public_comment_moderate,
)
from config.access import can, error_message
from config.imports import SAFE_FORMATS, SafeImportMixin
from units.admin_base import SecretaryReadableAdmin
from units.roles import roles_of

UNCONFIRMED_HELP = _(
    "[U] Unconfirmed in the legal reference: a default that you may adjust once the legal "
    "department confirms the value."
)


def _unconfirmed_help(field, source: str = "") -> None:
    cited = _("Source: %(source)s.") % {"source": source} if source else ""
    field.help_text = " ".join(
        part for part in (str(UNCONFIRMED_HELP), cited, str(field.help_text)) if part
    )


def _confirmed_help(field, source: str = "") -> None:
    cited = _("Confirmed [C]; source: %(source)s.") % {"source": source} if source else ""
    field.help_text = " ".join(part for part in (cited, str(field.help_text)) if part)


class AwardTermsForm(forms.ModelForm):
    """One period of an award's terms. Only the values marked [U] can be changed (a value's
    source with it); the start of a period never, its end only while it is open-ended (when a
    new text replaces it). A period the administrator adds is theirs: all its values are [U]."""

    class Meta:
        model = AwardTerms
        fields = [
            "valid_from",
            "valid_until",
            "secret_ballot",
            "ballot_threshold_percent",
            "ballot_source",
            "publicity_working_days",
            "publicity_source",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        terms = self.instance
        if terms.pk is None:
            for name in AwardTerms.ADJUSTABLE:
                _unconfirmed_help(self.fields[name])
            return
        self.fields["valid_from"].disabled = True
        if terms.valid_until is not None:
            self.fields["valid_until"].disabled = True
        editable_sources = set()
        for name in AwardTerms.ADJUSTABLE:
            source_name = AwardTerms.SOURCE_OF[name]
            source = getattr(terms, source_name)
            if terms.is_unconfirmed(name):
                editable_sources.add(source_name)
                _unconfirmed_help(self.fields[name], source)
            else:
                self.fields[name].disabled = True
                _confirmed_help(self.fields[name], source)
        for source_name in set(AwardTerms.SOURCE_OF.values()) - editable_sources:
            self.fields[source_name].disabled = True

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.unconfirmed = list(AwardTerms.ADJUSTABLE)
        return super().save(commit=commit)


class AwardTermsFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        # Each period's clean() compares it with the rows saved; two periods of one
        # submission are compared here.
        super().clean()
        periods = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("valid_from"):
                continue
            periods.append((data["valid_from"], data.get("valid_until")))
        periods.sort(key=lambda period: period[0])
        for (_start, end), (next_start, _next_end) in itertools.pairwise(periods):
            if end is None or end >= next_start:
                raise ValidationError(
                    _("Two periods of these terms overlap: one set of terms applies on each day."),
                    code="overlap",
                )


class AwardTermsInline(admin.StackedInline):
    """The award's terms period by period (NĐ 98/2023 until 30/06/2025, NĐ 152/2025 from
    01/07/2025), each value with its source and, for those the reference leaves unconfirmed,
    the [U] label."""

    model = AwardTerms
    form = AwardTermsForm
    formset = AwardTermsFormSet
    extra = 0
    can_delete = False
    readonly_fields = ["unconfirmed_values"]
    fields = [
        "valid_from",
        "valid_until",
        "secret_ballot",
        "ballot_threshold_percent",
        "ballot_source",
        "publicity_working_days",
        "publicity_source",
        "unconfirmed_values",
    ]

    @admin.display(description=_("unconfirmed values"))
    def unconfirmed_values(self, obj: AwardTerms) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return _unconfirmed_labels(AwardTerms, obj.unconfirmed, AwardTerms.ADJUSTABLE)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or roles_of(request.user).is_secretary


def _unconfirmed_labels(model, names, adjustable) -> str:
    labels = [
        "[U] " + str(model._meta.get_field(name).verbose_name)
        for name in names or []
        if name in adjustable
    ]
    return ", ".join(labels) or "—"


@admin.register(AwardType)
class AwardTypeAdmin(SecretaryReadableAdmin, SimpleHistoryAdmin):
    """The catalogue of the law. Only the values marked unconfirmed ([U]) can be changed; the
    council vote and the publicity period are dated terms, edited in the inline below."""

    inlines = [AwardTermsInline]
    list_display = [
        "short_name",
        "name",
        "kind",
        "recipient",
        "decided_by",
        "terms_today",
        "unconfirmed_values",
        "active",
    ]
    list_filter = ["kind", "recipient", "decided_by", "active"]
    search_fields = ["code", "short_name", "name", "name_en"]
    # Fixed by the law: never edited in the admin once the award exists.
    IDENTITY = ("code", "short_name", "name", "kind", "recipient")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(terms_prefetch())

    @admin.display(description=_("vote and publicity today"))
    def terms_today(self, obj: AwardType) -> str:
        terms = terms_in_force(obj, timezone.localdate())
        if terms is None:
            return "—"
        vote = (
            _("secret ballot, ≥ %(percent)s%%") % {"percent": terms.ballot_threshold_percent}
            if terms.secret_ballot
            else _("no secret ballot")
        )
        days = _("%(days)s working days") % {"days": terms.publicity_working_days}
        return f"{vote}; {days} ({terms.ballot_source}; {terms.publicity_source})"

    @admin.display(description=_("unconfirmed values"))
    def unconfirmed_values(self, obj: AwardType) -> str:
        own = _unconfirmed_labels(AwardType, obj.unconfirmed, AwardType.ADJUSTABLE)
        dated = sorted(
            {
                str(AwardTerms._meta.get_field(name).verbose_name)
                for terms in obj.terms.all()
                for name in terms.unconfirmed or []
                if name in AwardTerms.ADJUSTABLE
            }
        )
        parts = [own] if own != "—" else []
        if dated:
            parts.append(
                _("terms: %(names)s") % {"names": ", ".join(f"[U] {name}" for name in dated)}
            )
        return "; ".join(parts) or "—"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["unconfirmed"]
        confirmed = [name for name in AwardType.ADJUSTABLE if name not in obj.unconfirmed]
        return [*self.IDENTITY, *confirmed, "unconfirmed_values", "unconfirmed"]

    def get_fields(self, request, obj=None):
        fields = [
            "code",
            "short_name",
            "name",
            "name_en",
            "kind",
            "recipient",
            "decided_by",
            "rule_codes",
            "rule_params",
            "legal_basis",
            "order",
            "active",
        ]
        return [*fields, "unconfirmed_values"] if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            for name in obj.unconfirmed:
                if name in form.base_fields:
                    _unconfirmed_help(form.base_fields[name])
        return form


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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or roles_of(request.user).is_secretary


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


# --- The council, meetings, publicity and decisions --------------------------------------------


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
