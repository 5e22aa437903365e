"""Forms of the learner's enrolment pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MOTIVATION_MAX_LENGTH


class EnrolForm(forms.Form):
    """Signing up; the motivation only where the employer approves sign-ups first."""

    motivation = forms.CharField(
        label=_("Motivatie voor HR (optioneel)"),
        max_length=MOTIVATION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom wil je deze cursus volgen? HR leest dit bij je aanvraag."),
    )

    def __init__(self, *args, asks_motivation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_motivation:
            del self.fields["motivation"]
