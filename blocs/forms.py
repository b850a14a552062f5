from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.models import Criterion
from campaigns.models import Campaign, Objective

POINTS = {"max_digits": 7, "decimal_places": 2, "min_value": 0}


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        notes = []
        if obj.opened_on:
            notes.append(str(_("opened %(day)s") % {"day": obj.opened_on.strftime("%d/%m/%Y")}))
        if obj.closed_on:
            notes.append(str(_("closed %(day)s") % {"day": obj.closed_on.strftime("%d/%m/%Y")}))
        return f"{obj.name} ({', '.join(notes)})" if notes else obj.name


class BlocYearForm(forms.Form):
    members = UnitsField(
        label=_("Member units"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A unit that opened or closed during the year is a member for that year."),
    )
    leading_unit = UnitChoiceField(label=_("Leading unit (trưởng khối)"), queryset=None)
    deputy_unit = UnitChoiceField(label=_("Deputy unit (phó khối)"), queryset=None, required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("-starts_on"),
        required=False,
        help_text=_("The campaign whose reports and objectives the computed criteria read."),
    )
    scoring_deadline = forms.DateField(
        label=_("Self-scoring deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("members", "leading_unit", "deputy_unit"):
            self.fields[name].queryset = candidates


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("Commitment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    objective = forms.ModelChoiceField(
        label=_("Campaign objective"), queryset=Objective.objects.none(), required=False
    )

    def __init__(self, *args, campaign=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["objective"].queryset = Objective.objects.filter(
                campaign=campaign
            ).order_by("number")
        else:
            del self.fields["objective"]


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Group"), max_length=255)
    max_points = forms.DecimalField(label=_("Maximum points"), **POINTS)


class CriterionForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=None)
    title = forms.CharField(label=_("Criterion"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=Criterion.Kind.choices)
    max_points = forms.DecimalField(label=_("Maximum points"), **POINTS)
    formula = forms.CharField(label=_("Formula"), max_length=255, required=False)

    def __init__(self, *args, groups, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only (dry run)"), required=False, initial=True)


class ScoreForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), max_digits=7, decimal_places=2, required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CheckForm(forms.Form):
    checked_points = forms.DecimalField(
        label=_("Cross-checked points"), max_digits=7, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=2000, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label=_("Location"), max_length=255, required=False)


class ItemForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    award = forms.ChoiceField(label=_("Flag"), choices=())

    def __init__(self, *args, units, awards, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["award"].choices = awards


class VoteForm(forms.Form):
    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=f"{item.unit.name} — {item.award_type.short_name}",
                choices=[("approve", _("Approve")), ("disapprove", _("Disapprove"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Approve or disapprove every unit on the agenda.")},
            )

    def choices(self) -> dict[int, bool]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] == "approve" for item in self.items}
