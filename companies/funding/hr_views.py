"""HR's funding pages in the company portal: what may be claimed and by when, and a claim's step."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import formats
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enrolment.models import Enrolment

from ..models import Company, FundingClaim
from ..portal.views import company_page, hr_view
from . import claim_selectors, claims
from .forms import ClaimFilterForm, ClaimStepForm


@hr_view
@require_GET
def funding(request, company: Company):
    """The company's enrolments a fund may pay part of, those to apply for soon first."""
    search = ClaimFilterForm(request.GET or None)
    rows = claim_selectors.list_claim_rows(company=company, query=search.query())
    page = Paginator(rows, claim_selectors.CLAIM_PAGE_SIZE).get_page(search.page_number())
    query = request.GET.copy()
    query.pop("page", None)
    response = company_page(
        request,
        "funding/claims.html",
        company,
        search=search,
        page=page,
        page_query=query.urlencode(),
        totals=claim_selectors.get_totals(rows),
        has_fund=company.sector_fund not in (Company.Fund.NONE, ""),
        alarm_days=claim_selectors.first_alarm_days(),
    )
    # Names of people: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


@hr_view
@require_http_methods(["GET", "POST"])
def funding_claim(request, company: Company, pk: int):
    """One enrolment's claim: the facts, the scheme and its conditions, and HR's next step."""
    try:
        row = claim_selectors.get_claim_row(company=company, enrolment_id=pk)
    except Enrolment.DoesNotExist as missing:
        raise Http404 from missing
    form = ClaimStepForm(request.POST or None, initial=_initial(row))
    if request.method == "POST" and form.is_valid():
        try:
            claim = claims.record_claim(
                enrolment=row.enrolment,
                actor=request.user,
                **form.cleaned_data,
            )
        except claims.ClaimRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _("De subsidieaanvraag van %(name)s staat nu op %(status)s.")
                % {"name": row.enrolment.learner, "status": claim.get_status_display()},
            )
            if (
                claim.status != FundingClaim.Status.NOT_APPLIED
                and row.deadline
                and claim.applied_on > row.deadline
            ):
                messages.warning(
                    request,
                    _(
                        "Let op: de termijn om aan te vragen liep af op %(date)s. Het fonds kan "
                        "de aanvraag daarom afwijzen."
                    )
                    % {"date": formats.date_format(row.deadline, "j F Y")},
                )
            return redirect("portal:funding", slug=company.slug)
    return company_page(request, "funding/claim.html", company, row=row, form=form)


def _initial(row: claim_selectors.ClaimRow) -> dict:
    claim = row.claim
    if claim is None:
        return {"status": FundingClaim.Status.NOT_APPLIED}
    return {
        "status": claim.status,
        "applied_on": claim.applied_on,
        "reference": claim.reference,
        "amount": claim.amount,
        "decided_on": claim.decided_on,
        "note": claim.note,
    }
