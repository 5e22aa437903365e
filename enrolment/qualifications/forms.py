"""HR's forms for qualifications: filtering the matrix, entering one earned elsewhere."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Qualification
from technohub.widgets import DateInput

from ..models import HeldQualification
from . import selectors

STATUS_CHOICES = [
    ("", _("elke status")),
    (selectors.EXPIRING, _("verloopt binnenkort")),
    (selectors.EXPIRED, _("verlopen")),
    (selectors.VALID, _("geldig")),
]


class MatrixFilterForm(forms.Form):
    """The matrix's filters: words, department, qualification, status; and the page."""

    q = forms.CharField(
        label=_("Zoek op naam, e-mailadres of personeelsnummer"), max_length=100, required=False
    )
    department = forms.ChoiceField(label=_("Afdeling"), required=False)
    qualification = forms.TypedChoiceField(
        label=_("Kwalificatie"), coerce=int, empty_value=None, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    page = forms.IntegerField(
        min_value=1, max_value=100_000, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, departments: list[str], qualifications: list[Qualification], **kw):
        super().__init__(*args, **kw)
        self.fields["department"].choices = [("", _("alle")), *((d, d) for d in departments)]
        self.fields["qualification"].choices = [
            ("", _("alle")),
            *((q.pk, q.localized("name")) for q in qualifications),
        ]

    def query(self) -> selectors.MatrixQuery:
        """What the form asks for; an invalid form asks for nothing (its errors show)."""
        if not self.is_bound or not self.is_valid():
            return selectors.MatrixQuery()
        data = self.cleaned_data
        return selectors.MatrixQuery(
            text=data["q"],
            department=data["department"],
            qualification=data["qualification"],
            status=data["status"],
        )

    def page_number(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["page"]:
            return self.cleaned_data["page"]
        return 1


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership) -> str:
        user = membership.user
        name = user.get_full_name() or user.email
        return f"{name} ({membership.personnel_number})" if membership.personnel_number else name


class HeldQualificationForm(forms.Form):
    """A qualification earned elsewhere: who (new entries only), which, when, from whom."""

    person = PersonChoiceField(
        label=_("Medewerker"), queryset=None, empty_label=_("Kies een medewerker")
    )
    qualification = forms.ModelChoiceField(
        label=_("Kwalificatie"),
        queryset=Qualification.objects.order_by("name"),
        empty_label=_("Kies een kwalificatie"),
    )
    obtained_on = forms.DateField(
        label=_("Datum van het document (behaald op)"), widget=DateInput()
    )
    expires_on = forms.DateField(
        label=_("Geldig tot"),
        required=False,
        widget=DateInput(),
        help_text=_("Leeg: de datum van behalen plus de geldigheid van de kwalificatie."),
    )
    issuer = forms.CharField(
        label=_("Uitgegeven door"),
        max_length=HeldQualification._meta.get_field("issuer").max_length,
        help_text=_("Bijvoorbeeld het examenbureau of de opleider."),
    )
    document_reference = forms.CharField(
        label=_("Nummer van het document"),
        max_length=HeldQualification._meta.get_field("document_reference").max_length,
        required=False,
    )

    def __init__(self, *args, members=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["person"]
            del self.fields["qualification"]
        else:
            self.fields["person"].queryset = members
            self.fields["qualification"].label_from_instance = lambda q: q.localized("name")
