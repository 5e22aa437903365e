"""The teacher's files of a confirmed visit (calendar, arrival sheet), the evaluation after
it, and the funder report in the back office.

The files and the evaluation belong to the request's teacher only: anyone else gets a 404,
as if the request did not exist. The report needs the school planning permission; GET with
valid parameters shows it or downloads it, so a report is a link that can be bookmarked.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from companies.models import StaffPermission
from technohub.permissions import staff_permission_required
from technohub.report_forms import CONTENT_TYPES

from . import after, after_selectors, report, rules, visit_files
from .after_forms import SchoolEvaluationForm, SchoolReportForm


def _private(response: HttpResponse) -> HttpResponse:
    # A teacher's phone number and the school's day: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def visit_ics(request, pk: int):
    """The confirmed visit as a calendar file, in the page's language."""
    visit = after_selectors.get_confirmed_visit_for_teacher(user=request.user, request_pk=pk)
    response = HttpResponse(
        visit_files.visit_ics(visit, language=translation.get_language()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{visit_files.ics_filename(visit)}"'
    return _private(response)


@login_required
@require_GET
def arrival_sheet(request, pk: int):
    """The confirmed visit's arrival sheet as a PDF, in the page's language."""
    visit = after_selectors.get_confirmed_visit_for_teacher(user=request.user, request_pk=pk)
    language = translation.get_language()
    response = HttpResponse(
        visit_files.arrival_sheet_pdf(visit, language=language), content_type="application/pdf"
    )
    name = visit_files.arrival_sheet_filename(visit, language=language)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return _private(response)


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request, pk: int):
    """The three questions after a visit; once answered, a thank-you instead of the form."""
    school_request = after_selectors.get_request_to_evaluate(user=request.user, request_pk=pk)
    context = {"school_request": school_request, "activity": school_request.activity}
    if after_selectors.is_evaluated(school_request):
        return render(request, "schools/evaluation_answered.html", context)
    form = SchoolEvaluationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            after.evaluate(school_request=school_request, teacher=request.user, **form.cleaned_data)
        except after.EvaluationRefused as refusal:
            messages.info(request, refusal.message)
            return redirect(request.path)
        messages.success(request, _("Dank je wel voor je evaluatie!"))
        return redirect(request.path)
    return render(request, "schools/evaluate.html", {**context, "form": form})


def _this_school_year() -> dict:
    start, end = rules.school_year(timezone.localdate())
    return {"start": start, "end": end, "format": "screen"}


@staff_permission_required(StaffPermission.SCHOOL_PLANNING)
@require_GET
def school_report(request):
    """The form; with valid parameters, the report of a period on screen or as a download."""
    context = {}
    if "start" in request.GET:
        form = SchoolReportForm(request.GET)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            file_format = form.cleaned_data["format"]
            if file_format != "screen":
                return _download(request, start=start, end=end, file_format=file_format)
            downloads = {}
            for extension in ("xlsx", "csv"):
                query = request.GET.copy()
                query["format"] = extension
                downloads[extension] = query.urlencode()
            context = {"report": report.get_report(start=start, end=end), "downloads": downloads}
    else:
        form = SchoolReportForm(initial=_this_school_year())
    return render(request, "schools/funder_report.html", {"form": form, **context})


def _download(request, *, start: date, end: date, file_format: str) -> HttpResponse:
    content = report.get_report(start=start, end=end)
    data = report.to_xlsx(content) if file_format == "xlsx" else report.to_csv(content)
    report.record_download(actor=request.user, start=start, end=end, file_format=file_format)
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    name = report.filename(start=start, end=end, extension=file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
