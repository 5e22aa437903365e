"""HR's qualification pages in the company portal (``portal:qualifications`` and around it)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from companies.models import Company
from companies.portal import selectors as portal_selectors
from companies.portal.views import company_page, hr_view

from ..models import HeldQualification
from . import exports, selectors, services
from .forms import HeldQualificationForm, MatrixFilterForm


def _filter_form(request, company: Company, qualifications) -> MatrixFilterForm:
    return MatrixFilterForm(
        request.GET or None,
        departments=selectors.list_departments(company=company),
        qualifications=qualifications,
    )


@hr_view
@require_GET
def qualifications(request, company: Company):
    """People by qualifications with the latest expiry date each, filtered and paged."""
    today = timezone.localdate()
    held_here = selectors.list_matrix_qualifications(company=company)
    search = _filter_form(request, company, held_here)
    query = search.query()
    qualifications_shown = [
        qualification
        for qualification in held_here
        if query.qualification is None or qualification.pk == query.qualification
    ]
    found = selectors.search_matrix_members(company=company, query=query, today=today)
    page = Paginator(found, selectors.MATRIX_PAGE_SIZE).get_page(search.page_number())
    page_query = request.GET.copy()
    page_query.pop("page", None)
    export_query = page_query.urlencode()
    return company_page(
        request,
        "qualifications/matrix.html",
        company,
        search=search,
        page=page,
        qualifications=qualifications_shown,
        rows=selectors.matrix_rows(
            memberships=page.object_list, qualifications=qualifications_shown, today=today
        ),
        page_query=page_query.urlencode(),
        export_query=export_query,
        may_export=portal_selectors.may_export_personal_data(user=request.user, company=company),
    )


@hr_view
@require_GET
def qualifications_export(request, company: Company):
    """The filtered matrix as an Excel workbook: a row per person and qualification held."""
    if not portal_selectors.may_export_personal_data(user=request.user, company=company):
        raise PermissionDenied
    today = timezone.localdate()
    held_here = selectors.list_matrix_qualifications(company=company)
    query = _filter_form(request, company, held_here).query()
    rows = selectors.list_export_rows(company=company, query=query, today=today)
    response = HttpResponse(
        exports.to_xlsx(rows, today=today),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(company=company, today=today)}"'
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@hr_view
@require_http_methods(["GET", "POST"])
def add_qualification(request, company: Company):
    """HR enters a qualification someone on the roster earned elsewhere."""
    form = HeldQualificationForm(
        request.POST or None, members=selectors.list_members_to_choose(company=company)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            held = services.enter_qualification(
                company=company,
                hr_user=request.user,
                person=data["person"].user,
                qualification=data["qualification"],
                obtained_on=data["obtained_on"],
                expires_on=data["expires_on"],
                issuer=data["issuer"],
                document_reference=data["document_reference"],
            )
        except services.QualificationRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _("%(qualification)s van %(name)s is opgeslagen.")
                % {"qualification": held.qualification.localized("name"), "name": held.person},
            )
            return redirect("portal:qualifications", slug=company.slug)
    return company_page(request, "qualifications/form.html", company, form=form, held=None)


def _held_or_404(company: Company, pk: int) -> HeldQualification:
    try:
        return selectors.get_held_for_hr(company=company, pk=pk)
    except HeldQualification.DoesNotExist as missing:
        raise Http404 from missing


@hr_view
@require_http_methods(["GET", "POST"])
def change_qualification(request, company: Company, pk: int):
    """HR corrects a qualification HR entered (one earned at the hub is not HR's to change)."""
    held = _held_or_404(company, pk)
    form = HeldQualificationForm(
        request.POST or None,
        editing=True,
        initial={
            "obtained_on": held.obtained_on,
            "expires_on": held.expires_on,
            "issuer": held.issuer,
            "document_reference": held.document_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_qualification(
                company=company,
                hr_user=request.user,
                pk=held.pk,
                obtained_on=data["obtained_on"],
                expires_on=data["expires_on"],
                issuer=data["issuer"],
                document_reference=data["document_reference"],
            )
        except services.QualificationRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, _("De kwalificatie is bijgewerkt."))
            return redirect("portal:qualifications", slug=company.slug)
    return company_page(request, "qualifications/form.html", company, form=form, held=held)


@hr_view
@require_http_methods(["GET", "POST"])
def remove_qualification(request, company: Company, pk: int):
    """Ask first, then delete a qualification HR entered."""
    held = _held_or_404(company, pk)
    if request.method == "POST":
        try:
            services.remove_qualification(company=company, hr_user=request.user, pk=held.pk)
        except services.QualificationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("%(qualification)s van %(name)s is verwijderd.")
                % {"qualification": held.qualification.localized("name"), "name": held.person},
            )
        return redirect("portal:qualifications", slug=company.slug)
    return company_page(request, "qualifications/remove.html", company, held=held)
