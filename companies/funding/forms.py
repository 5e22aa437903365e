"""HR's funding forms: filtering the list of claims, recording a claim's step. Shape only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from technohub.widgets import DateInput

from ..models import FundingClaim
from .claim_selectors import ClaimQuery

Status = FundingClaim.Status


class ClaimFilterForm(forms.Form):
    """Which claims HR sees: a status, the run's start within a period, a name."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("alle")), *Status.choices], required=False
    )
    start_from = forms.DateField(label=_("Start vanaf"), widget=DateInput(), required=False)
    start_to = forms.DateField(label=_("Start tot en met"), widget=DateInput(), required=False)
    q = forms.CharField(label=_("Zoek op naam of e-mailadres"), max_length=100, required=False)
    page = forms.IntegerField(
        min_value=1, max_value=100_000, required=False, widget=forms.HiddenInput
    )

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start_from"), cleaned_data.get("start_to")
        if start and end and end < start:
            self.add_error("start_to", _("De einddatum ligt voor de begindatum."))
        return cleaned_data

    def query(self) -> ClaimQuery:
        """What the form asks for; an invalid form asks for nothing (its errors show)."""
        if not self.is_bound or not self.is_valid():
            return ClaimQuery()
        data = self.cleaned_data
        return ClaimQuery(
            status=data["status"],
            start_from=data["start_from"],
            start_to=data["start_to"],
            text=data["q"],
        )

    def page_number(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["page"]:
            return self.cleaned_data["page"]
        return 1


class ClaimStepForm(forms.Form):
    """Where the claim stands with the fund."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    applied_on = forms.DateField(
        label=_("Aangevraagd op"),
        widget=DateInput(),
        required=False,
        help_text=_("Verplicht vanaf de status aangevraagd."),
    )
    reference = forms.CharField(
        label=_("Kenmerk"),
        max_length=50,
        required=False,
        help_text=_("Het nummer dat het fonds aan de aanvraag gaf. Verplicht vanaf aangevraagd."),
    )
    amount = forms.DecimalField(
        label=_("Aangevraagd bedrag (€)"),
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Leeg: de inschatting."),
    )
    decided_on = forms.DateField(
        label=_("Besloten of uitbetaald op"), widget=DateInput(), required=False
    )
    note = forms.CharField(
        label=_("Notitie"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        if status and status != Status.NOT_APPLIED:
            if not cleaned_data.get("applied_on") and "applied_on" not in self.errors:
                self.add_error("applied_on", _("Vul de datum van de aanvraag in."))
            if not (cleaned_data.get("reference") or "").strip() and "reference" not in self.errors:
                self.add_error(
                    "reference", _("Vul het kenmerk in dat het fonds aan de aanvraag gaf.")
                )
        return cleaned_data
