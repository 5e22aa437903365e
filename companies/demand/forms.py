"""Forms for asking: a company's training need, interest in a course, the board's threshold."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Course, Location, Theme
from technohub.widgets import DateInput

from ..models import TrainingNeed
from .board import BY_COURSE, BY_THEME

MAX_HEADCOUNT = 500


def _locations():
    return Location.objects.order_by("kind", "name")


def _headcount_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Aantal medewerkers"), min_value=1, max_value=MAX_HEADCOUNT, **kwargs
    )


class NeedForm(forms.ModelForm):
    """HR states what the company's people need to learn."""

    headcount = _headcount_field()

    class Meta:
        model = TrainingNeed
        fields = (
            "theme",
            "title",
            "description",
            "headcount",
            "preferred_locations",
            "period_start",
            "period_end",
            "urgency",
        )
        labels = {"title": _("Onderwerp"), "preferred_locations": _("Waar mag het gegeven worden?")}
        help_texts = {
            "theme": _("Kies het thema dat het best past; past er geen, laat het dan leeg."),
            "title": _("Bijvoorbeeld: lascertificaat voor vier constructielassers."),
            "description": _("Wat moeten ze na afloop kunnen? Wanneer komt het uit?"),
            "preferred_locations": _(
                "Bij de mobiele hub komen we naar jullie bedrijf toe. Niets gekozen: "
                "elke locatie is goed."
            ),
        }
        widgets = {
            "preferred_locations": forms.CheckboxSelectMultiple,
            "urgency": forms.RadioSelect,
            "period_start": DateInput(),
            "period_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.order_by("name")
        self.fields["theme"].empty_label = _("Geen thema (vrije tekst)")
        self.fields["preferred_locations"].queryset = _locations()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Deze datum ligt vóór de gewenste begindatum."))
        return cleaned


class CompanyInterestForm(forms.Form):
    """HR's "Houd ons op de hoogte" for a number of unnamed employees."""

    course = forms.ModelChoiceField(label=_("Cursus"), queryset=Course.objects.none())
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Elke locatie is goed"),
    )
    headcount = _headcount_field(
        help_text=_("Namen zijn nog niet nodig; die geef je door bij het inschrijven.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_published=True).order_by("title")
        self.fields["location"].queryset = _locations()


class LearnerInterestForm(forms.Form):
    """A learner's "Houd me op de hoogte" on a course, optionally for one place."""

    location = forms.ModelChoiceField(
        label=_("Waar zou je de cursus willen volgen?"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Elke locatie is goed"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations()


class BoardForm(forms.Form):
    """How the demand board pools, and from how many people and companies a group is ready."""

    by = forms.ChoiceField(
        label=_("Bundelen per"),
        choices=[(BY_THEME, _("thema")), (BY_COURSE, _("cursus"))],
        initial=BY_THEME,
        required=False,
    )
    people = forms.IntegerField(label=_("Minimaal aantal mensen"), min_value=1, required=False)
    companies = forms.IntegerField(
        label=_("Minimaal aantal bedrijven"), min_value=1, required=False
    )
