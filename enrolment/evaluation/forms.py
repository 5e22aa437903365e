"""The evaluation form: three scores from 1 to 5 and one open question."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import RATING_CHOICES, EvaluationAnswer

COMMENT_MAX_LENGTH = EvaluationAnswer._meta.get_field("comment").max_length


def _score(label) -> forms.TypedChoiceField:
    """One question answered with a score from 1 to 5, as a group of radio buttons."""
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een cijfer van 1 tot en met 5.")},
    )


class EvaluationForm(forms.Form):
    """Shape only; that a request is answered once is the service's to say."""

    content = _score(_("Hoe goed was de inhoud van de cursus?"))
    trainer = _score(_("Hoe goed was de docent?"))
    practical = _score(_("Hoe goed kun je het geleerde in je werk gebruiken?"))
    comment = forms.CharField(
        label=_("Wat wil je de opleider nog meegeven? (optioneel)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Zet er geen namen in: je antwoord is anoniem en de opleider leest het zoals je "
            "het schrijft."
        ),
    )

    @property
    def score_fields(self):
        return [self[name] for name in ("content", "trainer", "practical")]
