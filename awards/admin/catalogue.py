"""The award catalogue: each award and its dated terms, only the unconfirmed [U] values
editable."""

import itertools

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from awards.models import (
    AwardTerms,
    AwardType,
)
from awards.selectors.catalogue import terms_in_force, terms_prefetch
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
