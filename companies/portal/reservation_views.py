"""HR's seat reservations: hold seats in an offering now, name people for them later."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.models import Offering
from enrolment import pricing
from enrolment import selectors as enrolment_selectors
from enrolment import services as enrolment_services
from enrolment.models import SeatReservation
from technohub.errors import DomainError

from ..funding.eligibility import estimate_for_offering
from ..models import Company
from . import selectors
from .forms import NameSeatsForm, ReserveSeatsForm
from .views import chooser_submitted, company_page, hr_view, offering_chooser


@hr_view
@require_http_methods(["GET", "POST"])
def reserve(request, company: Company, pk: int):
    """Hold a number of seats in an offering for the company, after seeing what they cost."""
    try:
        offering = enrolment_selectors.get_offering_for_enrolment(pk=pk, company=company)
    except Offering.DoesNotExist as missing:
        raise Http404 from missing
    form = ReserveSeatsForm(request.POST or None)
    step = request.POST.get("step", "review")
    seat = pricing.seats_cost(offering=offering, seats=1)
    if request.method == "POST" and step != "change" and form.is_valid():
        seats = form.cleaned_data["seats"]
        # Said at once, not only after the confirmation (the service checks again, locked).
        refusal = enrolment_services.too_few_seats(free=offering.seats_left, seats=seats)
        if refusal:
            form.add_error("seats", refusal)
        elif step != "confirm":
            # Nothing is held yet: HR sees what the seats cost and confirms.
            return company_page(
                request,
                "portal/reserve_confirm.html",
                company,
                form=form,
                offering=offering,
                count=seats,
                seat=seat,
                cost=pricing.seats_cost(offering=offering, seats=seats),
                funding=estimate_for_offering(company=company, offering=offering),
            )
        else:
            reservation = _reserve(request, company, offering, form)
            if reservation is not None:
                return redirect("portal:reservation", slug=company.slug, pk=reservation.pk)
    elif step == "change":
        form.errors.clear()  # back to the form: no complaints about what is still to change
    return company_page(
        request,
        "portal/reserve.html",
        company,
        form=form,
        offering=offering,
        seat=seat,
        funding=estimate_for_offering(company=company, offering=offering),
    )


def _reserve(request, company: Company, offering: Offering, form) -> SeatReservation | None:
    """Hold the seats the confirmed form asks for; None, with the reason on the form, if not."""
    seats = form.cleaned_data["seats"]
    try:
        reservation = enrolment_services.reserve_seats(
            hr_user=request.user,
            company=company,
            offering_id=offering.pk,
            seats=seats,
            po_number=form.cleaned_data["po_number"],
            cost_centre=form.cleaned_data["cost_centre"],
        )
    except DomainError as refused:
        form.add_error("seats", refused.message)
        return None
    messages.success(
        request,
        ngettext("%(count)s plaats gereserveerd.", "%(count)s plaatsen gereserveerd.", seats)
        % {"count": seats},
    )
    return reservation


@hr_view
@require_GET
def reservations(request, company: Company):
    """The company's reservations: how many seats, who is named, until when."""
    return company_page(
        request,
        "portal/reservations.html",
        company,
        reservations=selectors.list_reservations(company=company),
    )


def _get_reservation(company: Company, pk: int) -> selectors.ReservationView:
    try:
        return selectors.get_reservation(company=company, pk=pk)
    except SeatReservation.DoesNotExist as missing:
        raise Http404 from missing


@hr_view
@require_http_methods(["GET", "POST"])
def reservation(request, company: Company, pk: int):
    """One reservation: the people named so far, and a form to name more."""
    view = _get_reservation(company, pk)
    chooser = offering_chooser(request, company, view.offering)
    naming = chooser_submitted(request)
    form = NameSeatsForm(request.POST if naming else None, chosen=chooser.chosen)
    if naming and form.is_valid():
        learners = [membership.user for membership in form.cleaned_data["learners"]]
        try:
            result = enrolment_services.name_reserved_seats(
                hr_user=request.user, reservation_id=view.reservation.pk, learners=learners
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            count = len(result.confirmed)
            messages.success(
                request,
                ngettext(
                    "%(count)s medewerker ingeschreven op een gereserveerde plaats.",
                    "%(count)s medewerkers ingeschreven op gereserveerde plaatsen.",
                    count,
                )
                % {"count": count},
            )
            return redirect("portal:reservation", slug=company.slug, pk=pk)
    return company_page(
        request,
        "portal/reservation.html",
        company,
        view=view,
        form=form,
        chooser=chooser,
        seat=pricing.seat_cost(
            price_excl_vat=view.reservation.price_excl_vat, vat_rate=view.reservation.vat_rate
        ),
    )


@hr_view
@require_http_methods(["GET", "POST"])
def release_reservation(request, company: Company, pk: int):
    """Confirm, then give the reservation's unnamed seats back to the offering."""
    view = _get_reservation(company, pk)
    if request.method == "POST":
        try:
            released = enrolment_services.release_reserved_seats(
                reservation_id=view.reservation.pk, actor=request.user
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s plaats vrijgegeven.", "%(count)s plaatsen vrijgegeven.", released
                )
                % {"count": released}
                if released
                else _("Deze reservering had geen plaatsen zonder naam meer."),
            )
        return redirect("portal:reservation", slug=company.slug, pk=pk)
    return company_page(request, "portal/release_reservation.html", company, view=view)
