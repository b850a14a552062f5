from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import AwardType, Nomination, NominationAttachment, Review
from awards.selectors import award_types
from config.uploads import ACCEPT, ALLOWED_LABEL, check_upload
from units.models import Person, Unit


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year of achievement"),
        min_value=2000,
        max_value=timezone.localdate().year,
        **kwargs,
    )


def _award_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Award"),
        queryset=award_types(),
        to_field_name="code",
        empty_label=_("Choose an award"),
    )


class NominationCreateForm(forms.Form):
    """The first step of a draft: who, which award, which year. The report is prefilled."""

    nominee = forms.ChoiceField(label=_("Nominee"))
    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none())
    year = forms.IntegerField()

    def __init__(self, *args, unit: Unit, people: list[Person], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.people = {str(person.pk): person for person in people}
        self.fields["nominee"].choices = [
            ("", _("Choose the nominee")),
            (
                _("Collective"),
                [("unit", _("%(unit)s (the unit)") % {"unit": unit.localized("name")})],
            ),
            (
                _("Individuals"),
                [
                    (f"person-{pk}", f"{person.full_name} — {person.position or person.code}")
                    for pk, person in self.people.items()
                ],
            ),
        ]
        self.fields["award_type"] = _award_field()
        self.fields["year"] = _year_field(initial=timezone.localdate().year)

    def clean_nominee(self) -> dict:
        value = self.cleaned_data["nominee"]
        if value == "unit":
            return {"unit": self.unit, "person": None}
        person = self.people.get(value.removeprefix("person-"))
        if person is None:
            raise forms.ValidationError(_("Choose a person of the unit or the unit itself."))
        return {"person": person, "unit": None}


class NominationEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Nomination
        fields = [
            "award_type",
            "year",
            "report_background",
            "report_achievements",
            "report_awards",
            "justification",
        ]
        widgets = {
            "report_background": forms.Textarea(attrs={"rows": 8}),
            "report_achievements": forms.Textarea(attrs={"rows": 12}),
            "report_awards": forms.Textarea(attrs={"rows": 5}),
            "justification": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award_type"] = _award_field()
        self.fields["year"] = _year_field()
        self.fields["version"].initial = self.instance.version

    # The service checks duplicates, the award and a stale version itself, on the locked row.
    def validate_unique(self) -> None:
        pass

    def validate_constraints(self) -> None:
        pass


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=NominationAttachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("%(types)s, checked by their content.") % {"types": ALLOWED_LABEL},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class SubmitForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification for the board"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the nomination fails an eligibility rule."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the unit"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Review.Recommendation.choices,
        widget=forms.RadioSelect,
    )
    score = forms.IntegerField(
        label=_("Score"),
        required=False,
        min_value=Review.SCORE_MIN,
        max_value=Review.SCORE_MAX,
        help_text=_("From 1 (weak) to 10 (outstanding); optional when abstaining."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("recommendation") in {"support", "oppose"}
            and cleaned.get("score") is None
            and "score" not in self.errors
        ):
            self.add_error("score", _("Give a score to support or oppose."))
        return cleaned


class ConflictForm(forms.Form):
    conflict_reason = forms.CharField(
        label=_("Conflict of interest"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Once declared, you take no part in this nomination's review."),
    )


class NominationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    award = forms.ModelChoiceField(
        label=_("Award"),
        required=False,
        queryset=AwardType.objects.all(),
        to_field_name="code",
        empty_label=_("All awards"),
    )
    unit = forms.ModelChoiceField(
        label=_("Proposing unit"),
        required=False,
        queryset=Unit.objects.none(),
        to_field_name="code",
        empty_label=_("All units"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Nomination.Status.choices],
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[("", _("Any eligibility")), *Nomination.Eligibility.choices],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    review = forms.ChoiceField(
        label=_("My review"),
        required=False,
        choices=[
            ("", _("Any")),
            ("todo", _("To review")),
            ("done", _("Reviewed")),
            ("conflict", _("Conflict declared")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("award", _("Award")),
            ("unit", _("Proposing unit")),
            ("nominee", _("Nominee")),
            ("eligibility", _("Eligibility")),
            ("reviews", _("Fewest reviews")),
        ],
    )

    def __init__(self, *args, units, board: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if not board:
            del self.fields["review"]
