from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import EmulationBloc, Unit


class ParticipantFilterForm(forms.Form):
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
