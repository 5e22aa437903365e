"""The coordinator's forms: allocating a slot to a request and cancelling it (shape only; the
rules are checked by ``planning``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import SchoolActivity


class AllocateForm(forms.Form):
    day = forms.DateField(
        label=_("Dag"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    location = forms.ModelChoiceField(label=_("Plaats"), queryset=None, required=False)
    outside_wanted_dates = forms.BooleanField(
        label=_("Buiten de gevraagde datums (afgesproken met de school)"), required=False
    )

    def __init__(self, *args, activity: SchoolActivity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        if activity.at_school:
            del self.fields["location"]
        else:
            field = self.fields["location"]
            field.queryset = activity.locations.all()
            field.required = True
            field.empty_label = None

    def clean_location(self):
        return self.cleaned_data.get("location")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De docent leest deze reden in de e-mail. Noem geen namen van leerlingen."),
    )
    confirm = forms.BooleanField(
        label=_("Ja, annuleer deze aanvraag"),
        error_messages={"required": _("Vink aan dat je de aanvraag wilt annuleren.")},
    )


class HostAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("confirm", "confirm"), ("decline", "decline")])
    reason = forms.CharField(
        label=_("Reden (niet verplicht)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: die dag zijn we dicht. De hub zoekt dan een andere dag."),
    )
