"""Forms for proposals: a new proposal, a company's pledge, closing with a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Course, Location, Provider, Theme
from technohub.widgets import DateInput

from ..demand.selectors import OPEN_NEED_STATUSES
from ..models import Company, Proposal, TrainingNeed

MAX_HEADCOUNT = 500


class ProposalForm(forms.ModelForm):
    """What a proposal is about. Who may choose what: HR of several companies picks the
    company; HR and the programme manager may address colleges; the programme manager links a
    course and the demand board's needs."""

    company = forms.ModelChoiceField(
        label=_("Voor welk bedrijf?"), queryset=Company.objects.none(), required=False
    )
    expected_headcount = forms.IntegerField(
        label=_("Verwacht aantal deelnemers"), min_value=1, max_value=MAX_HEADCOUNT
    )
    training_needs = forms.ModelMultipleChoiceField(
        queryset=TrainingNeed.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )

    class Meta:
        model = Proposal
        fields = (
            "company",
            "title",
            "description",
            "target_group",
            "learning_outcomes",
            "expected_headcount",
            "theme",
            "course",
            "locations",
            "period_start",
            "period_end",
            "providers",
            "training_needs",
        )
        labels = {
            "title": _("Onderwerp"),
            "locations": _("Waar mag het gegeven worden?"),
            "providers": _("Aan welke aanbieders vraag je een offerte?"),
            "course": _("Bestaande cursus"),
        }
        help_texts = {
            "title": _("Bijvoorbeeld: hydrauliek voor monteurs van landbouwmachines."),
            "target_group": _("Wie gaan het volgen: functie, ervaring, vooropleiding."),
            "learning_outcomes": _("Wat kunnen de deelnemers na afloop?"),
            "locations": _("Niets gekozen: elke locatie is goed."),
            "providers": _("Niets gekozen: elke aanbieder mag een offerte sturen."),
            "course": _("Alleen als het voorstel over een cursus gaat die er al is."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 4}),
            "locations": forms.CheckboxSelectMultiple,
            "providers": forms.CheckboxSelectMultiple,
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(
        self,
        *args,
        companies: list[Company] = (),
        may_address: bool = True,
        may_link: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.order_by("name")
        self.fields["theme"].empty_label = _("Geen thema")
        self.fields["locations"].queryset = Location.objects.order_by("kind", "name")
        if len(companies) > 1:
            self.fields["company"].queryset = Company.objects.filter(
                pk__in=[company.pk for company in companies]
            ).order_by("name")
            self.fields["company"].required = True
        else:
            del self.fields["company"]
        if may_address:
            self.fields["providers"].queryset = Provider.objects.order_by("name")
        else:
            del self.fields["providers"]
        if may_link:
            self.fields["course"].queryset = Course.objects.order_by("title")
            self.fields["course"].required = False
            self.fields["training_needs"].queryset = TrainingNeed.objects.filter(
                status__in=OPEN_NEED_STATUSES
            )
        else:
            del self.fields["course"]
            del self.fields["training_needs"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Het einde van de periode ligt niet voor het begin."))
        return cleaned

    def _post_clean(self):
        # The service writes the proposal; the model's own checks would ask for an origin here.
        pass


class PledgeForm(forms.Form):
    """ "Wij doen mee met N", for one of HR's companies."""

    company = forms.ModelChoiceField(
        label=_("Namens welk bedrijf?"), queryset=Company.objects.none()
    )
    headcount = forms.IntegerField(
        label=_("Met hoeveel medewerkers doen jullie mee?"), min_value=1, max_value=MAX_HEADCOUNT
    )
    reserve_seats = forms.BooleanField(
        label=_("Plaatsen reserveren zodra de uitvoering open is"),
        required=False,
        help_text=_(
            "Dan houden we dit aantal plaatsen voor jullie vast; de namen geef je later door."
        ),
    )

    def __init__(self, *args, companies: list[Company], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.filter(
            pk__in=[company.pk for company in companies]
        ).order_by("name")
        if len(companies) == 1:
            self.fields["company"].initial = companies[0].pk
            self.fields["company"].widget = forms.HiddenInput()


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van sluiten"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wie meedeed en wie een offerte stuurde, krijgt deze reden per e-mail."),
    )
