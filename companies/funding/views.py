"""The programme manager's funding report: per company and period, on screen, as CSV or XLSX.

Needs the funding report permission and, as the report names people, the permission to
export personal data (403 without; visitors are sent to the admin login). GET without
parameters shows the form (this calendar year by default); GET with valid parameters shows
the report (header, rows, totals) with links to download it, or downloads the file, so a
report is a link that can be bookmarked.
"""

from datetime import date

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from technohub.permissions import staff_permission_required
from technohub.report_forms import CONTENT_TYPES, PeriodReportForm

from ..models import Company, StaffPermission
from . import report


class FundingReportForm(PeriodReportForm):
    """Which company, which period, which file format. Shape only."""

    field_order = ["company", "start", "end", "format"]
    start_help_text = _("Inschrijvingen waarvan de eerste bijeenkomst in deze periode valt.")

    company = forms.ModelChoiceField(
        label=_("Bedrijf"),
        queryset=Company.objects.order_by("name"),
        empty_label=_("Kies een bedrijf"),
    )


def _this_year() -> dict:
    today = timezone.localdate()
    return {"start": date(today.year, 1, 1), "end": date(today.year, 12, 31), "format": "screen"}


@staff_permission_required(StaffPermission.FUNDING_REPORT, StaffPermission.EXPORT_PERSONAL_DATA)
@require_GET
def funding_report(request):
    """The form; with valid parameters, the report of one company and period on screen or as a
    download."""
    context = {}
    if "company" in request.GET:
        form = FundingReportForm(request.GET)
        if form.is_valid():
            if form.cleaned_data["format"] != "screen":
                return _download(**form.cleaned_data)
            context = _on_screen(request, **form.cleaned_data)
    else:
        form = FundingReportForm(initial=_this_year())
    response = render(request, "funding/report.html", {"form": form, **context})
    if context:
        # Personal data: no shared cache may keep a copy.
        patch_cache_control(response, private=True, no_store=True)
    return response


def _on_screen(request, *, company: Company, start: date, end: date, format: str) -> dict:
    rows = report.list_funding_rows(company=company, start=start, end=end)
    downloads = {}
    for extension in ("xlsx", "csv"):
        query = request.GET.copy()
        query["format"] = extension
        downloads[extension] = query.urlencode()
    return {
        "header": report.get_header(company=company, start=start, end=end),
        "rows": rows,
        "totals": report.get_totals(rows),
        "downloads": downloads,
    }


def _download(*, company: Company, start: date, end: date, format: str) -> HttpResponse:
    rows = report.list_funding_rows(company=company, start=start, end=end)
    header = report.get_header(company=company, start=start, end=end)
    content = (
        report.to_xlsx(rows, header=header)
        if format == "xlsx"
        else report.to_csv(rows, header=header)
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    name = report.filename(company=company, start=start, end=end, extension=format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Personal data: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response
