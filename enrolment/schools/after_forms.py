"""The forms after a school visit: the teacher's evaluation and the funder report's period.
Shape only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from technohub.report_forms import PeriodReportForm

from ..models import RATING_CHOICES, SchoolEvaluation


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


class SchoolReportForm(PeriodReportForm):
    """Which period, which file format."""

    start_help_text = _("Bezoeken waarvan de dag in deze periode valt.")
