"""The forms of the board secretary's campaign pages: the draft, its tasks and indicators."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Indicator, Objective
from campaigns.services.drafting import Participants
from units.models import EmulationBloc, Unit

# Addresses under /campaigns/ that a campaign's code would hide.
RESERVED_CODES = {"new", "dashboard"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignDraftForm(forms.ModelForm):
    """The campaign itself: title, launching notice, dates and reporting calendar."""

    class Meta:
        model = Campaign
        fields = [
            "code",
            "title",
            "slogan",
            "document_ref",
            "launched_on",
            "notice_signer",
            "notice_issuer",
            "starts_on",
            "ends_on",
            "cadence",
            "grace_days",
            "lock_days",
            "midterm_review_on",
            "final_review_on",
        ]
        labels = {
            "document_ref": _("Number of the launching notice"),
            "launched_on": _("Date of the notice"),
        }
        widgets = {
            "launched_on": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "midterm_review_on": DATE,
            "final_review_on": DATE,
            "title": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadence"].choices = [
            choice for choice in Campaign.Cadence.choices if choice[0] != "monthly"
        ]
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise forms.ValidationError(_("This code is a page's address; choose another."))
        return code


class ParticipantsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Every unit of these kinds"),
        required=False,
        choices=[c for c in Unit.Kind.choices if c[0] != Unit.Kind.MINISTRY],
        widget=forms.CheckboxSelectMultiple,
    )
    blocs = forms.ModelMultipleChoiceField(
        label=_("Every unit of these blocs"),
        required=False,
        queryset=EmulationBloc.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    provinces = forms.MultipleChoiceField(label=_("Every unit of these provinces"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("And these units"),
        required=False,
        queryset=Unit.objects.filter(closed_on__isnull=True)
        .exclude(kind=Unit.Kind.MINISTRY)
        .order_by("path"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        provinces = (
            Unit.objects.exclude(province="")
            .order_by("province")
            .values_list("province", flat=True)
            .distinct()
        )
        self.fields["provinces"].choices = [(p, p) for p in provinces]

    def participants(self) -> Participants:
        data = self.cleaned_data
        return Participants(
            kinds=tuple(data.get("kinds") or ()),
            bloc_ids=tuple(bloc.pk for bloc in data.get("blocs") or ()),
            provinces=tuple(data.get("provinces") or ()),
            unit_ids=tuple(unit.pk for unit in data.get("units") or ()),
        )


class TasksForm(forms.Form):
    tasks = forms.CharField(
        label=_("Tasks of the notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Paste the tasks: one per line, or one per paragraph with blank lines between. "
            "Each becomes an objective you can edit afterwards."
        ),
    )


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "text", "weight"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "measure", "kind", "direction", "rollup", "weight"]


class IndicatorCopyForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy an indicator of another campaign"),
        queryset=Indicator.objects.none(),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        field.queryset = (
            Indicator.objects.exclude(objective__campaign=campaign)
            .select_related("objective", "objective__campaign")
            .order_by("-objective__campaign__starts_on", "objective__number", "order")
        )
        field.label_from_instance = lambda indicator: (
            f"{indicator.objective.campaign.code} · {indicator.objective.number}. "
            f"{indicator.name} ({indicator.measure})"
        )
