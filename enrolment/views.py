"""A learner's own pages: enrol in an offering, "Mijn cursussen", cancel, download a certificate;
and the public page that confirms a certificate."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from redis.exceptions import RedisError

from catalogue.models import Offering
from companies.demand.selectors import list_learner_interests
from technohub.client import client_address
from technohub.error_views import too_many_requests
from technohub.errors import DomainError

from . import certificates_pdf, selectors, services
from .forms import EnrolForm
from .models import Certificate, Enrolment

logger = logging.getLogger(__name__)

RESULT_MESSAGES = {
    Enrolment.Status.CONFIRMED: gettext_lazy(
        "Je bent ingeschreven. Je krijgt een bevestiging per e-mail."
    ),
    Enrolment.Status.REQUESTED: gettext_lazy(
        "Je aanvraag is naar je HR-afdeling gestuurd. Je krijgt bericht zodra die beslist."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk: int):
    """Show the offering and a confirm button; on POST, enrol the logged-in learner."""
    try:
        offering = selectors.get_offering_for_enrolment(pk=pk, viewer=request.user)
    except Offering.DoesNotExist as missing:
        raise Http404 from missing
    existing = selectors.get_active_enrolment(learner=request.user, offering=offering)
    company = services.closed_run_company(offering=offering, learner=request.user, company=None)
    form = EnrolForm(
        request.POST if request.method == "POST" else None,
        asks_motivation=bool(company and company.requires_approval),
    )
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            enrolment = services.enrol_learner(
                learner=request.user,
                offering_id=offering.pk,
                company=company,
                motivation=form.cleaned_data.get("motivation", ""),
            )
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
        {"offering": offering, "existing": existing, "company": company, "form": form},
    )


@login_required
def my_courses(request):
    """The learner's enrolments: upcoming, waiting list, awaiting HR; and, folded away under
    them, the past and cancelled ones."""
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
    ]
    return render(
        request,
        "enrolment/my_courses.html",
        {
            "sections": sections,
            "earlier": courses.past,
            "interests": list_learner_interests(learner=request.user),
        },
    )


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
            messages.success(request, _left_message(enrolment.status))
            return redirect("enrolment:my_courses")
    return render(request, "enrolment/cancel.html", {"enrolment": enrolment})


def _left_message(status: str) -> str:
    """What the learner reads after leaving, by what they left."""
    if status == Enrolment.Status.WAITLISTED:
        return _("Je staat niet meer op de wachtlijst.")
    if status == Enrolment.Status.REQUESTED:
        return _("Je aanvraag is ingetrokken.")
    return _("Je inschrijving is geannuleerd.")


@login_required
@require_GET
def certificate_pdf(request, pk: int):
    """The learner's own certificate as a PDF; 404 for anyone else's or when there is none.

    Serves the stored file, or renders one on the fly (not stored) if the background task
    has not stored it yet.
    """
    try:
        certificate = selectors.get_own_certificate(learner=request.user, enrolment_pk=pk)
    except Certificate.DoesNotExist as missing:
        raise Http404 from missing
    response = HttpResponse(
        certificates_pdf.read_certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates_pdf.filename(certificate)}"'
    )
    # Personal data: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


# Guessing codes: at most this many lookups per client address per window.
VERIFY_LOOKUP_LIMIT = 20
VERIFY_LOOKUP_WINDOW = 10 * 60  # seconds


def _too_many_lookups(request) -> bool:
    """Count this lookup; True once the client made more than the limit in the window.

    A fixed window in the shared cache (Redis), so every web process counts together: the
    first lookup creates the counter with the window as its timeout, the others increment it
    atomically. If Redis is down the page stays usable (codes are 128 random bits; the limit
    only adds to that).
    """
    key = f"certificate-lookups:{client_address(request) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=VERIFY_LOOKUP_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr: start a new one
            cache.add(key, 1, timeout=VERIFY_LOOKUP_WINDOW)
            count = 1
    except RedisError:
        logger.warning("Certificate lookup not rate-limited: cache unavailable", exc_info=True)
        return False
    return count > VERIFY_LOOKUP_LIMIT


@require_GET
def verify_certificate(request, code: str):
    """Public: confirm a certificate by its code, showing only name, course and dates.

    Unknown codes get a 404; more than ``VERIFY_LOOKUP_LIMIT`` lookups from one address in
    ``VERIFY_LOOKUP_WINDOW`` get a 429 page.
    """
    if _too_many_lookups(request):
        return too_many_requests(
            request,
            retry_after=VERIFY_LOOKUP_WINDOW,
            template_name="enrolment/certificate_rate_limited.html",
        )
    try:
        certificate = selectors.get_certificate_by_code(code=code)
    except Certificate.DoesNotExist as missing:
        raise Http404 from missing
    first, last = certificates_pdf.period(certificate)
    enrolment = certificate.enrolment
    # Only what the page may show: no email, company, number or anything else.
    response = render(
        request,
        "enrolment/certificate_verify.html",
        {
            # An erased learner's certificate stays verifiable, without a name.
            "name": None
            if enrolment.learner.erased_at
            else enrolment.learner.get_full_name() or _("(naam onbekend)"),
            "course": enrolment.offering.course,
            "first_day": first,
            "last_day": last,
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
