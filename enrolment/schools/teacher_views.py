"""The teacher's pages: requesting an activity for a class, "Mijn schoolbezoeken", one request
with its visit, and cancelling or moving it until the change deadline.

Every page is the logged-in teacher's own: another user's request is a 404. Requesting needs a
confirmed email address (the hub mails the confirmation and the materials there).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.models import SchoolActivity
from companies.accounts import services as account_services

from ..models import SchoolRequest
from . import requests, rules, teacher_selectors
from .forms import CancelForm, RescheduleForm, SchoolRequestForm


def _own_request_or_404(request, pk: int) -> SchoolRequest:
    try:
        return teacher_selectors.get_teacher_request(teacher=request.user, pk=pk)
    except SchoolRequest.DoesNotExist as missing:
        raise Http404 from missing


def _change_state(school_request: SchoolRequest, *, today) -> dict:
    """The live visit, the change deadline and whether the teacher may still change it."""
    visit = teacher_selectors.live_visit(school_request)
    is_open = school_request.status in requests.OPEN_STATUSES
    deadline = rules.change_deadline(visit.date) if visit is not None else None
    may_change = is_open and (visit is None or rules.may_change(visit.date, today))
    return {"visit": visit, "deadline": deadline, "may_change": may_change, "is_open": is_open}


def _refusal_to_form(form, refused: requests.RequestRefused, request) -> None:
    field = form.DATE_FIELDS.get(refused.field, refused.field)
    if field == "groups" and hasattr(form, "groups"):
        form.groups.non_form_errors().append(refused.message)
    elif field in form.fields:
        form.add_error(field, refused.message)
    else:
        messages.error(request, refused.message)


@login_required
@require_http_methods(["GET", "POST"])
def new(request, slug: str):
    """Ask for an activity for one or more groups (counts only, never pupils)."""
    try:
        activity = teacher_selectors.get_requestable_activity(slug=slug)
    except SchoolActivity.DoesNotExist as missing:
        raise Http404 from missing
    if request.user.email_verified_at is None:
        if request.method == "POST" and "resend_verification" in request.POST:
            account_services.send_verification(
                user=request.user, site_url=settings.SITE_URL, next_url=request.path
            )
            messages.success(
                request, _("We hebben je een nieuwe link gestuurd. Kijk in je mailbox.")
            )
            return redirect(request.path)
        return render(
            request, "school_requests/confirm_address.html", {"activity": activity}, status=403
        )
    form = SchoolRequestForm(request.POST if request.method == "POST" else None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            school_request = requests.submit(
                teacher=request.user, activity=activity, **form.submission()
            )
        except requests.RequestRefused as refused:
            _refusal_to_form(form, refused, request)
        else:
            messages.success(
                request,
                _(
                    "Dank je! Je aanvraag is verstuurd. De hub plant het bezoek en mailt je "
                    "zodra het gastbedrijf het bevestigt."
                ),
            )
            return redirect("school_requests:detail", pk=school_request.pk)
    return render(
        request,
        "school_requests/request_form.html",
        {
            "activity": activity,
            "form": form,
            "groups": form.groups,
            "may_use_mobile_hub": activity.at_school,
        },
    )


@login_required
@require_GET
def mine(request):
    """The logged-in user's requests, newest first, with the visit when one is planned."""
    school_requests = teacher_selectors.list_teacher_requests(teacher=request.user)
    rows = [
        {
            "request": school_request,
            "visit": teacher_selectors.live_visit(school_request),
            "groups": len(school_request.groups.all()),
            "pupils": sum(group.pupils for group in school_request.groups.all()),
        }
        for school_request in school_requests
    ]
    return render(request, "school_requests/mine.html", {"rows": rows})


@login_required
@require_GET
def detail(request, pk: int):
    """One request: everything asked, its status and what happens next, the visit."""
    school_request = _own_request_or_404(request, pk)
    groups = list(school_request.groups.all())
    return render(
        request,
        "school_requests/detail.html",
        {
            "school_request": school_request,
            "activity": school_request.activity,
            "groups": groups,
            "pupils": sum(group.pupils for group in groups),
            **_change_state(school_request, today=timezone.localdate()),
        },
    )


def _closed(request, school_request: SchoolRequest, state: dict):
    """The request can no longer change online: say why, and how to reach the hub."""
    if state["is_open"]:
        messages.error(
            request,
            _(
                "Het bezoek is te dichtbij om het hier nog te wijzigen of te annuleren. "
                "Mail de hub op %(email)s."
            )
            % {"email": settings.HUB_CONTACT_EMAIL},
        )
    else:
        messages.error(
            request,
            _("Deze aanvraag is %(status)s en kan niet meer veranderen.")
            % {"status": school_request.get_status_display()},
        )
    return redirect("school_requests:detail", pk=school_request.pk)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    """Ask for a reason and confirmation, then cancel the request and its visit."""
    school_request = _own_request_or_404(request, pk)
    state = _change_state(school_request, today=timezone.localdate())
    if not state["may_change"]:
        return _closed(request, school_request, state)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            requests.cancel_by_teacher(
                school_request=school_request,
                teacher=request.user,
                reason=form.cleaned_data["reason"],
            )
        except requests.RequestRefused as refused:
            messages.error(request, refused.message)
        except SchoolRequest.DoesNotExist as missing:
            raise Http404 from missing
        else:
            messages.success(request, _("De aanvraag is geannuleerd. De hub is op de hoogte."))
        return redirect("school_requests:detail", pk=school_request.pk)
    return render(
        request,
        "school_requests/cancel.html",
        {
            "school_request": school_request,
            "activity": school_request.activity,
            "form": form,
            **state,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request, pk: int):
    """New dates for the request; a planned visit is given up and the hub plans again."""
    school_request = _own_request_or_404(request, pk)
    today = timezone.localdate()
    state = _change_state(school_request, today=today)
    if not state["may_change"]:
        return _closed(request, school_request, state)
    initial = {
        f"preferred_date_{number}": day
        for number, day in enumerate(school_request.preferred_dates, start=1)
    }
    initial.update(
        window_from=school_request.window_from,
        window_to=school_request.window_to,
        blackout_dates=", ".join(day.strftime("%d-%m-%Y") for day in school_request.blackout_dates),
    )
    form = RescheduleForm(
        request.POST if request.method == "POST" else None,
        activity=school_request.activity,
        today=today,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            requests.reschedule(
                school_request=school_request, teacher=request.user, today=today, **form.dates()
            )
        except requests.RequestRefused as refused:
            _refusal_to_form(form, refused, request)
        except SchoolRequest.DoesNotExist as missing:
            raise Http404 from missing
        else:
            messages.success(
                request, _("De nieuwe datums zijn doorgegeven. De hub plant het bezoek opnieuw.")
            )
            return redirect("school_requests:detail", pk=school_request.pk)
    return render(
        request,
        "school_requests/reschedule.html",
        {
            "school_request": school_request,
            "activity": school_request.activity,
            "form": form,
            **state,
        },
    )
