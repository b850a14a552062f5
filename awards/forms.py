from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awards.models import (
    AwardType,
    Council,
    CouncilMember,
    Decision,
    Nomination,
    NominationAttachment,
    OpenMatter,
    Publication,
    Review,
)
from awards.selectors.catalogue import award_types
from campaigns.forms import UnitFiltersForm
from config.numbers import LocalizedIntegerField
from config.text import NormalisedTextForm
from config.uploads import ACCEPT, ALLOWED_LABEL, check_upload
from units.models import Person, Unit, User


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
                    # The position tells two namesakes apart; a staff code is no position.
                    (
                        f"person-{pk}",
                        f"{person.full_name} — {person.position}"
                        if person.position
                        else person.full_name,
                    )
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


class NominationEditForm(NormalisedTextForm, forms.ModelForm):
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
        # The award field reads codes (to_field_name); the model's initial value is its id,
        # which would leave the choice empty on the page.
        if self.instance.award_type_id and not self.is_bound:
            self.initial["award_type"] = self.instance.award_type.code

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


class SubmitForm(NormalisedTextForm, forms.Form):
    justification = forms.CharField(
        label=_("Justification for the board"),
        required=False,
        max_length=Nomination._meta.get_field("justification").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the nomination fails an eligibility rule."),
    )


class ReturnForm(NormalisedTextForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the unit"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(NormalisedTextForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(NormalisedTextForm, forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Review.Recommendation.choices,
        widget=forms.RadioSelect,
    )
    score = LocalizedIntegerField(
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


class ConflictForm(NormalisedTextForm, forms.Form):
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


# --- The council, meetings and the ballot ----------------------------------------------------


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class CouncilForm(NormalisedTextForm, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Level"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The Ministry"),
        help_text=_(
            "The Ministry's council, or that of a unit holding commendation authority "
            "(Law on Emulation and Commendation 2022, Art 80)."
        ),
    )
    name = forms.CharField(
        label=_("Name"), max_length=255, initial=Council._meta.get_field("name").default
    )
    established_by = forms.CharField(
        label=_("Established by"),
        max_length=255,
        required=False,
        help_text=_("Number and date of the decision establishing the council."),
    )
    term_start = _date_field(_("Term starts"))
    term_end = _date_field(_("Term ends"), required=False)

    def __init__(self, *args, units=None, **kwargs) -> None:
        """`units`: the units whose council may be chosen (for the Ministry's secretary);
        None keeps the council's level (a unit's secretary)."""
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.order_fields(["unit"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("A term cannot end before it starts."))
        return cleaned


class SeatForm(NormalisedTextForm, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Member"),
        queryset=User.objects.none(),
        empty_label=_("Choose a user"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=CouncilMember.Role.choices)
    no_vote = forms.BooleanField(
        label=_("Does not vote"),
        required=False,
        help_text=_(
            "Every member of the council votes and counts in its size. Tick only for a "
            "secretary who is not a member (keeps the minutes only)."
        ),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        help_text=_("Office held outside the council, as written in the minutes."),
    )
    term_start = _date_field(_("Seat from"))
    term_end = _date_field(
        _("Seat until"), required=False, help_text=_("Give a date to end the seat.")
    )

    def __init__(self, *args, users, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("A term cannot end before it starts."))
        no_vote = cleaned.pop("no_vote", False)
        if no_vote and cleaned.get("role") != CouncilMember.Role.SECRETARY:
            self.add_error(
                "no_vote",
                _("Only the secretary's seat can be without a vote: every other seat votes."),
            )
        cleaned["votes"] = not no_vote
        return cleaned


class MeetingForm(NormalisedTextForm, forms.Form):
    held_on = _date_field(_("Date"))
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("e.g. the first meeting of the year to consider the 2025 awards."),
    )
    location = forms.CharField(label=_("Location"), max_length=255, required=False)


class AgendaForm(NormalisedTextForm, forms.Form):
    nominations = forms.ModelMultipleChoiceField(
        label=_("Reviewed nominations"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one nomination.")},
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates


def _seat_label(seat: CouncilMember) -> str:
    # A disabled account still holds its seat and counts in the council's size (it cannot
    # vote online: an absent member's written ballot is entered by the secretary).
    notes = []
    if not seat.votes:
        notes.append(gettext("does not vote"))
    if not seat.user.is_active:
        notes.append(gettext("account disabled: counts, votes only in writing"))
    label = f"{seat.user.get_full_name()} — {seat.get_role_display()}"
    return f"{label} ({'; '.join(notes)})" if notes else label


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, seats, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.fields["present"].choices = [(seat.user_id, _seat_label(seat)) for seat in seats]

    def present_members(self) -> list[User]:
        """The members ticked present (of the seats the form was drawn with)."""
        present = set(self.cleaned_data["present"])
        return [seat.user for seat in self.seats if seat.user_id in present]


def _passphrase_field(label, help_text="") -> forms.CharField:
    # Not stripped here: the service compares passphrases without surrounding spaces and
    # Unicode-normalised (awards.ballot_crypto.normalise), at opening and at closing alike.
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class BallotOpenForm(forms.Form):
    """The two passphrases of the counting board, each typed twice: a typing mistake here
    would leave a ballot that nobody can count."""

    chair_passphrase = _passphrase_field(
        _("Passphrase of the chair"),
        _(
            "Chosen now by the chair, who types it here. The chair remembers it until the "
            "ballot closes: it is stored nowhere and nobody can recover it."
        ),
    )
    chair_passphrase_again = _passphrase_field(_("Passphrase of the chair, again"))
    secretary_passphrase = _passphrase_field(
        _("Passphrase of the secretary"),
        _(
            "Chosen now by the secretary, who types it here. The secretary remembers it until "
            "the ballot closes: it is stored nowhere and nobody can recover it."
        ),
    )
    secretary_passphrase_again = _passphrase_field(_("Passphrase of the secretary, again"))

    def clean(self):
        cleaned = super().clean()
        for name in ("chair_passphrase", "secretary_passphrase"):
            first, again = cleaned.get(name), cleaned.get(f"{name}_again")
            if first is not None and again is not None and first != again:
                self.add_error(f"{name}_again", _("The two entries differ: type it again."))
        return cleaned

    def passphrases(self) -> dict[str, str]:
        return {
            "chair_passphrase": self.cleaned_data["chair_passphrase"],
            "secretary_passphrase": self.cleaned_data["secretary_passphrase"],
        }


class BallotCloseForm(forms.Form):
    """The same two passphrases, to count the ballot."""

    chair_passphrase = _passphrase_field(
        _("Passphrase of the chair"), _("Typed by the chair: the one chosen at the opening.")
    )
    secretary_passphrase = _passphrase_field(
        _("Passphrase of the secretary"),
        _("Typed by the secretary: the one chosen at the opening."),
    )

    def passphrases(self) -> dict[str, str]:
        return dict(self.cleaned_data)


class BallotForm(forms.Form):
    """One approve / disapprove per nomination the member votes on; all required."""

    APPROVE = "approve"
    DISAPPROVE = "disapprove"

    def __init__(self, *args, items: list, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"] = forms.ModelChoiceField(
                label=_("Absent member voting in writing"),
                queryset=members,
                empty_label=_("Choose the member"),
            )
            self.fields["member"].label_from_instance = lambda user: user.get_full_name()
        self.items = items
        for item in items:
            self.fields[self.field_name(item)] = forms.ChoiceField(
                label=str(item.nomination),
                choices=[(self.APPROVE, _("Approve")), (self.DISAPPROVE, _("Disapprove"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Approve or disapprove this nomination.")},
            )

    @staticmethod
    def field_name(item) -> str:
        return f"nomination_{item.nomination_id}"

    def rows(self):
        return [(item, self[self.field_name(item)]) for item in self.items]

    def choices(self) -> dict[Nomination, bool]:
        return {
            item.nomination: self.cleaned_data[self.field_name(item)] == self.APPROVE
            for item in self.items
        }


# --- Publicity ---------------------------------------------------------------------------------

PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")


class PublicCommentForm(NormalisedTextForm, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    contact = forms.CharField(
        label=_("E-mail or telephone"),
        max_length=150,
        help_text=_("Seen only by the council's secretary, in case your comment needs checking."),
    )
    text = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most 2,000 characters. It is shown here once the secretary approves it."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Write your name."))
        return name

    def clean_contact(self) -> str:
        contact = self.cleaned_data["contact"].strip()
        if "@" in contact:
            try:
                validate_email(contact)
            except forms.ValidationError:
                raise forms.ValidationError(_("This e-mail address is not valid.")) from None
            return contact
        if not PHONE.match(contact) or sum(ch.isdigit() for ch in contact) < 9:
            raise forms.ValidationError(_("Give an e-mail address or a telephone number."))
        return contact

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Write at least a sentence (10 characters)."))
        return text


class OpenMatterForm(NormalisedTextForm, forms.Form):
    """A complaint raised in a public comment, recorded as an open matter of the nominee."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=OpenMatter.Kind.choices, initial=OpenMatter.Kind.COMPLAINT
    )
    summary = forms.CharField(
        label=_("What it is about"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The nomination waits (no agenda, ballot or decision) until it is resolved."),
    )


class CommentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All windows")), *Publication.Status.choices],
    )


# --- Decisions ---------------------------------------------------------------------------------


class DecisionForm(NormalisedTextForm, forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60)
    signed_on = _date_field(_("Date"))
    signer = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=150, required=False, initial="Bộ trưởng"
    )
    issuer = forms.CharField(
        label=_("Issuer"),
        max_length=255,
        initial="Bộ trưởng Bộ Công Thương",
        help_text=_("As written in the award history."),
    )
    nominations = forms.ModelMultipleChoiceField(
        label=_("Nominations"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the nominations it settles.")},
    )

    def __init__(self, *args, kind: str, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["nominations"].queryset = candidates
        if kind == Decision.Kind.FORWARDING:
            self.fields["number"].help_text = _("e.g. 45/TTr-BCT")
            self.fields["issuer"].help_text = _("The Ministry, which proposes the award.")
        else:
            self.fields["number"].help_text = _("e.g. 123/QĐ-BCT")

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class RevokeForm(NormalisedTextForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OverviewForm(UnitFiltersForm):
    """The awards overview's state: the year, the proposing units' filters and the kind of
    nominee."""

    year = forms.TypedChoiceField(label=_("Year of achievement"), coerce=int, required=False)
    nominee = forms.ChoiceField(
        label=_("Nominee"),
        required=False,
        choices=[
            ("", _("Individuals and collectives")),
            ("person", _("Individuals")),
            ("unit", _("Collectives")),
        ],
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
