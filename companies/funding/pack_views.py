"""HR's claim pack page: choose one employee or a period (and a scheme), download the ZIP.

GET without parameters shows the form (a period of the last six months by default); GET with
valid parameters downloads the pack, so a pack is a link that can be bookmarked. Nothing to
claim: the page says so, never an empty ZIP.
"""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from technohub.report_forms import out_of_range
from technohub.widgets import DateInput

from ..models import Company, FundingScheme, User
from ..portal import selectors as portal_selectors
from ..portal.views import _download, company_page, hr_view
from . import claim_pack as packs
from . import rules


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class SchemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FundingScheme) -> str:
        return obj.localized("name")


class ClaimPackForm(forms.Form):
    """For whom (one employee or a period), optionally one scheme. Shape only."""

    PER_EMPLOYEE, PER_PERIOD = "employee", "period"

    per = forms.ChoiceField(
        label=_("Claimpakket voor"),
        choices=[
            (PER_EMPLOYEE, _("één medewerker")),
            (PER_PERIOD, _("alle medewerkers in een periode")),
        ],
        widget=forms.RadioSelect,
    )
    employee = PersonChoiceField(
        label=_("Medewerker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Kies een medewerker"),
        help_text=_("Medewerkers met een inschrijving waarvoor jullie subsidie kunnen aanvragen."),
    )
    start = forms.DateField(
        label=_("Start van de uitvoering vanaf"), widget=DateInput(), required=False
    )
    end = forms.DateField(label=_("Tot en met"), widget=DateInput(), required=False)
    scheme = SchemeChoiceField(
        label=_("Regeling"),
        queryset=FundingScheme.objects.none(),
        required=False,
        empty_label=_("Alle regelingen van jullie fonds"),
    )

    def __init__(self, *args, people: list[User], schemes: list[FundingScheme], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = User.objects.filter(
            pk__in=[person.pk for person in people]
        ).in_dutch_order()
        self.fields["employee"].choices = [("", self.fields["employee"].empty_label)] + [
            (person.pk, str(person)) for person in people
        ]
        self.fields["scheme"].queryset = FundingScheme.objects.filter(
            pk__in=[scheme.pk for scheme in schemes]
        )
        self.fields["scheme"].choices = [("", self.fields["scheme"].empty_label)] + [
            (scheme.pk, scheme.localized("name")) for scheme in schemes
        ]

    def clean(self):
        cleaned_data = super().clean()
        per = cleaned_data.get("per")
        if (
            per == self.PER_EMPLOYEE
            and not cleaned_data.get("employee")
            and "employee" not in self.errors
        ):
            self.add_error("employee", _("Kies een medewerker."))
        if per == self.PER_PERIOD:
            for name in ("start", "end"):
                day = cleaned_data.get(name)
                if name in self.errors:
                    continue
                if day is None:
                    self.add_error(name, _("Vul een datum in."))
                elif error := out_of_range(day):
                    self.add_error(name, error)
            start, end = cleaned_data.get("start"), cleaned_data.get("end")
            if start and end and end < start and "end" not in self.errors:
                self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return cleaned_data


def _last_six_months() -> dict:
    today = timezone.localdate()
    return {
        "per": ClaimPackForm.PER_PERIOD,
        "start": rules.add_months(today, -6),
        "end": today,
    }


@hr_view
@require_GET
def claim_pack(request, company: Company):
    """The form; with valid parameters, the claim pack as a ZIP (or "nothing to claim")."""
    people = packs.list_claimable_people(company=company)
    schemes = rules.schemes_for(company)
    nothing_found = False
    if "per" in request.GET:
        form = ClaimPackForm(request.GET, people=people, schemes=schemes)
        if form.is_valid():
            response = _pack(request, company, **form.cleaned_data)
            if response is not None:
                return response
            nothing_found = True
    else:
        form = ClaimPackForm(initial=_last_six_months(), people=people, schemes=schemes)
    return company_page(
        request,
        "funding/claim_pack.html",
        company,
        form=form,
        schemes=schemes,
        nothing_found=nothing_found,
    )


def _pack(
    request,
    company: Company,
    *,
    per: str,
    employee: User | None,
    start: date | None,
    end: date | None,
    scheme: FundingScheme | None,
):
    if per == ClaimPackForm.PER_EMPLOYEE:
        start = end = None
    else:
        employee = None
    rows = packs.list_pack_rows(
        company=company, learner=employee, start=start, end=end, scheme=scheme
    )
    if not rows:
        return None
    if not portal_selectors.may_export_personal_data(user=request.user, company=company):
        raise PermissionDenied
    header = packs.get_header(company=company, rows=rows, start=start, end=end, employee=employee)
    content = packs.build(company=company, rows=rows, header=header)
    packs.record_download(company=company, actor=request.user, rows=rows)
    return _download(
        content,
        content_type="application/zip",
        filename=packs.filename(company=company, start=start, end=end, employee=employee),
    )
