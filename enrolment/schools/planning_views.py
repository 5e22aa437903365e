"""The coordinator's planning pages (``backoffice:school_planning`` and a request's page with
its allocate and cancel forms) and the host's answer page (``school_requests:host_answer``, a
link from the mail, no log-in)."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from companies.models import StaffPermission
from technohub.permissions import staff_permission_required
from technohub.security_headers import personal_link_page

from ..models import SchoolRequest
from . import host_links, planning, planning_selectors, rules
from .planning_forms import AllocateForm, CancelForm, HostAnswerForm

plan_view = staff_permission_required(StaffPermission.SCHOOL_PLANNING)


def _month(value: str | None, today: date) -> date:
    """The first day of ``?maand=2027-03``, or of this month when absent or not a month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@plan_view
def calendar(request):
    """The month calendar: each activity's days, the mobile hub's route, the open requests."""
    today = timezone.localdate()
    first_day = _month(request.GET.get("maand"), today)
    return render(
        request,
        "school_planning/calendar.html",
        {
            "calendar": planning_selectors.get_month_calendar(first_day=first_day),
            "today": today,
        },
    )


def _get_request(pk: int) -> SchoolRequest:
    try:
        return planning_selectors.get_request_for_planning(pk=pk)
    except SchoolRequest.DoesNotExist:
        raise Http404 from None


def _request_page(request, school_request, *, allocate_form=None, cancel_form=None, status=200):
    today = timezone.localdate()
    activity = school_request.activity
    suggestions = planning_selectors.suggest_days(school_request=school_request, today=today)
    if allocate_form is None:
        allocate_form = AllocateForm(
            activity=activity,
            initial={
                "day": suggestions[0].day if suggestions else None,
                "start_time": activity.start_time,
            },
        )
    pupils = school_request.pupil_count or 0
    return render(
        request,
        "school_planning/request.html",
        {
            "school_request": school_request,
            "activity": activity,
            "pupils": pupils,
            "supervisors_needed": rules.supervisors_needed(pupils, activity.pupils_per_supervisor),
            "suggestions": suggestions,
            "allocate_form": allocate_form,
            "cancel_form": cancel_form or CancelForm(),
            "may_allocate": school_request.status == SchoolRequest.Status.REQUESTED,
            "may_cancel": school_request.status
            not in (SchoolRequest.Status.CANCELLED, SchoolRequest.Status.DONE),
        },
        status=status,
    )


@plan_view
def request_detail(request, pk: int):
    """A request in full, its visits so far, and the forms to allocate or cancel it."""
    return _request_page(request, _get_request(pk))


@plan_view
@require_POST
def allocate(request, pk: int):
    """Allocate the chosen slot; a refused rule is shown at its field."""
    school_request = _get_request(pk)
    form = AllocateForm(request.POST, activity=school_request.activity)
    if form.is_valid():
        try:
            visit = planning.allocate(
                school_request=school_request,
                day=form.cleaned_data["day"],
                start_time=form.cleaned_data["start_time"],
                location=form.cleaned_data.get("location"),
                planner=request.user,
                outside_wanted_dates=form.cleaned_data["outside_wanted_dates"],
            )
        except planning.PlanningRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        else:
            if visit.status == visit.Status.CONFIRMED:
                messages.success(request, _("Ingepland en bevestigd; de docent krijgt een mail."))
            else:
                messages.success(
                    request, _("Ingepland; het gastbedrijf krijgt een mail om te bevestigen.")
                )
            return redirect("backoffice:school_request", pk=pk)
    return _request_page(request, _get_request(pk), allocate_form=form, status=400)


@plan_view
@require_POST
def cancel(request, pk: int):
    """Cancel the request for the hub, with a reason (a ticked confirmation first)."""
    school_request = _get_request(pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            planning.cancel_by_hub(
                school_request=school_request,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except planning.PlanningRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        else:
            messages.success(request, _("De aanvraag is geannuleerd; de docent krijgt een mail."))
            return redirect("backoffice:school_request", pk=pk)
    return _request_page(request, school_request, cancel_form=form, status=400)


@require_http_methods(["GET", "POST"])
def host_answer(request, token: str):
    """The host contact confirms or declines a planned visit from the mailed link, once.

    An unknown link is a friendly 404; an answered, expired or cancelled one says so (a POST to
    it is refused with 409).
    """
    try:
        state = host_links.link_state(token=token)
    except host_links.UnknownLink:
        return personal_link_page(render(request, "school_planning/host_unknown.html", status=404))
    form = HostAnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not state.problem and form.is_valid():
        try:
            host_links.answer(
                token=token,
                accept=form.cleaned_data["answer"] == "confirm",
                reason=form.cleaned_data["reason"],
            )
        except host_links.LinkRefused:
            pass
        except planning.PlanningBusy as busy:
            messages.error(request, str(busy))
        else:
            messages.success(request, _("Bedankt voor je antwoord."))
            return redirect(request.path)
        state = host_links.link_state(token=token)
    if request.method == "POST" and state.problem:
        status = 409
    elif request.method == "POST":
        status = 400
    visit = state.visit
    return personal_link_page(
        render(
            request,
            "school_planning/host_answer.html",
            {
                "visit": visit,
                "school_request": visit.request,
                "activity": visit.activity,
                "groups": list(visit.request.groups.all()),
                "problem": state.problem,
                "form": form,
            },
            status=status,
        )
    )
