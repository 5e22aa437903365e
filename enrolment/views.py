"""A learner's own pages: enrol in a run, "Mijn cursussen", cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from catalogue.models import Offering
from technohub.errors import DomainError

from . import selectors, services
from .models import Enrolment

RESULT_MESSAGES = {
    Enrolment.Status.CONFIRMED: _lazy(
        "Je bent ingeschreven. Je krijgt een bevestiging per e-mail."
    ),
    Enrolment.Status.REQUESTED: _lazy(
        "Je aanvraag is naar je HR-afdeling gestuurd. Je krijgt bericht zodra die beslist."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk: int):
    """Show the run and a confirm button; on POST, enrol the logged-in learner."""
    try:
        offering = selectors.get_offering_for_enrolment(pk=pk)
    except Offering.DoesNotExist as missing:
        raise Http404 from missing
    existing = selectors.get_active_enrolment(learner=request.user, offering=offering)
    if request.method == "POST" and existing is None:
        try:
            enrolment = services.enrol_learner(learner=request.user, offering_id=offering.pk)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            if enrolment.status == Enrolment.Status.WAITLISTED:
                messages.success(
                    request,
                    _("De uitvoering is vol. Je staat op de wachtlijst op plaats %(position)s.")
                    % {"position": enrolment.waitlist_position},
                )
            else:
                messages.success(request, RESULT_MESSAGES[enrolment.status])
            return redirect("enrolment:my_courses")
    return render(
        request,
        "enrolment/enrol.html",
        {
            "offering": offering,
            "existing": existing,
            "company": services.paying_company(request.user),
        },
    )


@login_required
def my_courses(request):
    """The learner's enrolments: upcoming, waiting list, awaiting HR, and past."""
    courses = selectors.list_my_courses(learner=request.user)
    sections = [
        (
            "upcoming",
            _("Ingeschreven"),
            courses.upcoming,
            _("Je bent nu niet ingeschreven voor een komende cursus."),
        ),
        (
            "waitlisted",
            _("Op de wachtlijst"),
            courses.waitlisted,
            _("Je staat nergens op de wachtlijst."),
        ),
        (
            "requested",
            _("Wacht op goedkeuring van HR"),
            courses.requested,
            _("Er wachten geen aanvragen op goedkeuring."),
        ),
        ("past", _("Afgelopen en geannuleerd"), courses.past, _("Nog niets.")),
    ]
    return render(request, "enrolment/my_courses.html", {"sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    """Ask for confirmation; on POST, cancel the learner's own enrolment."""
    try:
        enrolment = selectors.get_own_enrolment(learner=request.user, pk=pk)
    except Enrolment.DoesNotExist as missing:
        raise Http404 from missing
    if request.method == "POST":
        try:
            services.cancel_enrolment(enrolment_id=enrolment.pk, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Je inschrijving is geannuleerd."))
            return redirect("enrolment:my_courses")
    return render(request, "enrolment/cancel.html", {"enrolment": enrolment})
