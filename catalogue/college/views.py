"""A college's own pages: its courses and runs, a run's participants, messages to them, and
drafts of courses and runs for the programme manager to publish.

Every page about one provider goes through :func:`college_view` (403 without the permission
for college pages, 404 for another provider's pages unless the user manages them all).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from companies.models import StaffPermission
from enrolment import services as enrolment_services
from technohub.errors import DomainError

from ..models import Course, Offering
from . import selectors, services
from .access import college_view
from .forms import CourseDraftForm, MeetingRows, MessageForm, OfferingDraftForm


@login_required
def start(request):
    """A college's staff go to their provider's page; whoever manages every provider chooses."""
    user = request.user
    if not user.has_perm(StaffPermission.COLLEGE_PAGES):
        raise PermissionDenied
    if user.has_perm(StaffPermission.ANY_PROVIDER):
        return render(request, "college/start.html", {"providers": selectors.list_providers()})
    if user.provider_id is None:
        raise PermissionDenied
    return redirect("college:overview", slug=user.provider.slug)


@college_view
def overview(request, provider):
    """The provider's courses and runs, each run with what needs doing."""
    return render(
        request,
        "college/overview.html",
        {
            "provider": provider,
            "overview": selectors.get_overview(provider=provider, now=timezone.now()),
            "may_take_attendance": request.user.has_perm(StaffPermission.ATTENDANCE),
            "may_complete": request.user.has_perm(StaffPermission.COMPLETE_OFFERING),
        },
    )


def _offering(provider, pk: int) -> Offering:
    try:
        return selectors.get_offering(provider=provider, pk=pk)
    except Offering.DoesNotExist as missing:
        raise Http404 from missing


@college_view
def offering(request, provider, pk: int):
    """One run: its meetings and its participants (name, company, attendance per meeting)."""
    run = _offering(provider, pk)
    now = timezone.now()
    meetings = list(run.meetings.all())
    for meeting in meetings:
        meeting.started = meeting.starts_at <= now
    return render(
        request,
        "college/offering.html",
        {
            "provider": provider,
            "offering": run,
            "meetings": meetings,
            "participants": selectors.list_participants(offering=run),
            "may_take_attendance": request.user.has_perm(StaffPermission.ATTENDANCE),
        },
    )


@college_view
@require_http_methods(["GET", "POST"])
def message(request, provider, pk: int):
    """Write a message to the run's confirmed participants; a second step names how many get
    it, and only that step's POST sends it."""
    run = _offering(provider, pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    cancelled = run.status == Offering.Status.CANCELLED
    refusal = _("Deze uitvoering is geannuleerd: er gaat geen bericht meer uit.")
    if cancelled and form.is_bound:
        form.is_valid()  # the refusal shows with the form's own errors
        form.add_error(None, refusal)
    confirming = False
    if request.method == "POST" and not cancelled and form.is_valid():
        if request.POST.get("confirmed") == "1":
            try:
                mailed = enrolment_services.mail_participants(
                    offering_id=run.pk,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except DomainError as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s deelnemer krijgt je bericht.",
                        "%(count)s deelnemers krijgen je bericht.",
                        mailed,
                    )
                    % {"count": mailed},
                )
                return redirect("college:offering", slug=provider.slug, pk=run.pk)
        elif not request.POST.get("edit"):
            confirming = True
    return render(
        request,
        "college/message.html",
        {
            "provider": provider,
            "offering": run,
            "form": form,
            "confirming": confirming,
            "refusal": refusal if cancelled and not form.is_bound else "",
            "recipients": selectors.count_message_recipients(offering=run),
        },
    )


@college_view
@require_http_methods(["GET", "POST"])
def new_course(request, provider):
    """Draft a new course; it is saved as a concept for the programme manager to publish."""
    form = CourseDraftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        course = services.draft_course(
            provider=provider,
            actor=request.user,
            values=form.values(),
            themes=list(form.cleaned_data["themes"]),
        )
        messages.success(
            request,
            _(
                "De cursus “%(title)s” is opgeslagen als concept. De programmamanager kijkt "
                "ernaar en publiceert hem."
            )
            % {"title": course.title},
        )
        return redirect("college:overview", slug=provider.slug)
    return render(
        request, "college/course_form.html", {"provider": provider, "form": form, "course": None}
    )


@college_view
@require_http_methods(["GET", "POST"])
def edit_course(request, provider, pk: int):
    """Change a concept course; a published one is shown read-only."""
    try:
        course = selectors.get_draft_course(provider=provider, pk=pk)
    except Course.DoesNotExist as missing:
        raise Http404 from missing
    if course.is_published:
        if request.method == "POST":
            messages.error(
                request,
                _("Deze cursus is gepubliceerd; wijzigingen lopen nu via de programmamanager."),
            )
        return render(request, "college/course_read.html", {"provider": provider, "course": course})
    form = CourseDraftForm(request.POST if request.method == "POST" else None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft_course(
                provider=provider,
                course_id=course.pk,
                actor=request.user,
                values=form.values(),
                themes=list(form.cleaned_data["themes"]),
            )
        except DomainError as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("De conceptcursus is opgeslagen."))
            return redirect("college:overview", slug=provider.slug)
    return render(
        request, "college/course_form.html", {"provider": provider, "form": form, "course": course}
    )


@college_view
@require_http_methods(["GET", "POST"])
def new_offering(request, provider):
    """Draft a run of one of the provider's courses (``?course=<pk>``): place, size, trainer
    and up to six meetings; saved as a concept for the programme manager to publish."""
    try:
        course = provider.courses.get(pk=int(request.GET.get("course", "")))
    except (ValueError, Course.DoesNotExist) as missing:
        raise Http404 from missing
    posted = request.POST if request.method == "POST" else None
    draft = Offering(course=course, status=Offering.Status.CONCEPT)
    form = OfferingDraftForm(posted, instance=draft)
    rows = MeetingRows(posted, instance=draft, prefix="meetings")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            offering = services.draft_offering(
                provider=provider,
                course_id=course.pk,
                actor=request.user,
                location=form.cleaned_data["location"],
                capacity=form.cleaned_data["capacity"],
                min_participants=form.cleaned_data["min_participants"],
                instructor=form.cleaned_data["instructor"],
                meetings=rows.slots(),
            )
        except DomainError as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _(
                    "De uitvoering is opgeslagen als concept. De programmamanager kijkt ernaar "
                    "en publiceert haar."
                ),
            )
            return redirect("college:offering", slug=provider.slug, pk=offering.pk)
    return render(
        request,
        "college/offering_form.html",
        {"provider": provider, "course": course, "form": form, "rows": rows},
    )
