from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import EmulationBloc, Unit, User


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Unit.Kind.choices]
    )
    bloc = forms.ModelChoiceField(
        label=_("Bloc"),
        required=False,
        queryset=EmulationBloc.objects.all(),
        to_field_name="code",
        empty_label=_("All blocs"),
    )
    show_closed = forms.BooleanField(label=_("Include closed units"), required=False)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "email_notifications"]
        labels = {
            "language": _("Language of the interface and of your messages"),
            "email_notifications": _("Also e-mail me non-essential messages (weekly digest)"),
        }
        help_texts = {
            "email_notifications": _(
                "Reminders that need you to act are always e-mailed and shown here."
            )
        }
