from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Registration
from campaigns.validation import check_indicator_value
from config.numbers import LocalizedDecimalField, LocalizedIntegerField
from config.text import NormalisedTextForm
from config.uploads import check_upload
from units.forms import UnitFilterForm
from units.models import EmulationBloc, Unit


class ParticipantFilterForm(UnitFilterForm):
    """The unit filters, for the units taking part in a campaign (closed ones included)."""

    show_closed = None


class UnitFiltersForm(forms.Form):
    """A page's state read from the query string, with the filters on units shared by the
    campaign dashboard and the awards overview (kind, bloc, province); a bad value falls back
    to its default."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Unit.Kind.choices]
    )
    bloc = forms.ModelChoiceField(
        label=_("Bloc"),
        required=False,
        queryset=EmulationBloc.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("All blocs"),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args, provinces: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces"))] + [(p, p) for p in provinces]

    def value(self, name: str, default=None):
        """The cleaned value of a field, or the default when it is missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class DashboardForm(UnitFiltersForm):
    """The dashboard's state: the period, the unit filters and the heat map's order."""

    period = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False)
    sort = forms.ChoiceField(label=_("Sort units by"), required=False)
    dir = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("asc", _("Ascending (A→Z, lowest first)")), ("desc", _("Descending"))],
    )

    def __init__(self, *args, periods, sorts, **kwargs) -> None:
        """`sorts` are (value, label) pairs: the unit name, overall, each objective."""
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.pk, period.label) for period in periods]
        self.fields["sort"].choices = sorts


class ReviewSectionsForm(NormalisedTextForm, forms.Form):
    """The four sections of a review report (sơ kết, tổng kết), saved together."""

    results = forms.CharField(label=_("Results per task"), required=False, widget=forms.Textarea)
    good_examples = forms.CharField(
        label=_("Models and good examples"), required=False, widget=forms.Textarea
    )
    limits = forms.CharField(
        label=_("Limits and their causes"), required=False, widget=forms.Textarea
    )
    proposals = forms.CharField(label=_("Proposals"), required=False, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LineForm(NormalisedTextForm, forms.Form):
    percent_complete = LocalizedIntegerField(
        label=_("Percent complete"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("A percentage must be between 0 and 100."),
            "max_value": _("A percentage must be between 0 and 100."),
        },
    )
    narrative = forms.CharField(
        label=_("What was done"), required=False, max_length=20_000, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ValueForm(forms.Form):
    value = LocalizedDecimalField(label=_("Value"), required=False, max_digits=14, decimal_places=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, indicator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_value(self):
        value = self.cleaned_data["value"]
        check_indicator_value(self.indicator, value)
        return value


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Attach a file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class ReasonForm(NormalisedTextForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )


class RegistrationForm(NormalisedTextForm, forms.Form):
    commitments = forms.CharField(
        label=_("Commitments"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the unit commits to this year, in its own words."),
    )
    target_title = forms.ChoiceField(
        label=_("Title the unit aims for"),
        required=False,
        choices=[("", "—"), *Registration.TargetTitle.choices],
    )

    def __init__(self, *args, indicators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"target_{indicator.pk}"] = LocalizedDecimalField(
                label=indicator.localized("name"),
                required=False,
                max_digits=14,
                decimal_places=2,
                help_text=indicator.localized("measure"),
            )

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            name = f"target_{indicator.pk}"
            if name in cleaned:
                try:
                    check_indicator_value(indicator, cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def targets(self) -> dict:
        return {
            indicator.pk: self.cleaned_data.get(f"target_{indicator.pk}")
            for indicator in self.indicators
        }

    def target_fields_by_objective(self):
        """[(objective, [bound fields])] for the template."""
        grouped: dict = {}
        for indicator in self.indicators:
            grouped.setdefault(indicator.objective, []).append(self[f"target_{indicator.pk}"])
        return list(grouped.items())


class NudgeForm(forms.Form):
    """The secretary's "send a reminder now": one unit (by code) or, without one, all of them."""

    unit = forms.SlugField(required=False, max_length=40)
    # Identifies the page view the button was on: a double click sends once (see the service).
    batch = forms.RegexField(regex=r"^[0-9a-f]{32}$")
