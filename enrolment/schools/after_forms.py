"""The forms after a school visit: the teacher's evaluation and the funder report's period.
Shape only."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from technohub.widgets import DateInput

from ..models import RATING_CHOICES, SchoolEvaluation

# The hub's records start long after the first date and end long before the last date
# PostgreSQL and Python can hold; a report outside these years has nothing to show.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def _score(name: str) -> forms.TypedChoiceField:
    """One of the evaluation's questions, as the model asks it, with radio buttons 1–5."""
    return forms.TypedChoiceField(
        label=SchoolEvaluation._meta.get_field(name).verbose_name,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een cijfer van 1 tot en met 5.")},
    )


class SchoolEvaluationForm(forms.Form):
    """The teacher's three answers; that a request is evaluated once is the service's rule."""

    engagement = _score("engagement")
    fit = _score("fit")
    improvement = forms.CharField(
        label=SchoolEvaluation._meta.get_field("improvement").verbose_name,
        required=False,
        max_length=SchoolEvaluation._meta.get_field("improvement").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optioneel. Noem geen namen van leerlingen."),
    )

    @property
    def score_fields(self):
        return [self["engagement"], self["fit"]]


class SchoolReportForm(forms.Form):
    """Which period, which file format."""

    start = forms.DateField(
        label=_("Van"),
        widget=DateInput(),
        help_text=_("Bezoeken waarvan de dag in deze periode valt."),
    )
    end = forms.DateField(label=_("Tot en met"), widget=DateInput())
    format = forms.ChoiceField(
        label=_("Bestandsformaat"),
        choices=[
            ("screen", _("Op het scherm")),
            ("xlsx", _("Excel (.xlsx)")),
            ("csv", _("CSV (.csv)")),
        ],
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned_data = super().clean()
        for name in ("start", "end"):
            day = cleaned_data.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Kies een datum tussen %(earliest)s en %(latest)s.")
                    % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
                )
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and end < start:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return cleaned_data
