"""Seat reservations: HR holds seats in an offering for the company and names people later.

A reservation takes seats from the offering like confirmed enrolments do (``reserved_count``,
under the offering's lock, backed by the check constraint ``offering_seats_lte_capacity``).
Naming someone turns one held seat into their confirmed enrolment in the same transaction, so
the seat never becomes free in between. Seats still unnamed go back to the offering when HR
releases them, at the offering's reservation deadline (``seats.reservation_deadline``, by the
hourly task) or when the offering is cancelled (``enrolling.cancel_offering``); a seat given
back goes to the first person on the waiting list, as any freed seat does.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.models import Offering
from companies.models import Company, Membership
from technohub import audit, page_cache
from technohub.errors import DomainError

from .. import outbox
from ..models import Enrolment, SeatReservation
from ..seats import lock_offering, reservation_deadline
from .enrolling import (
    ACTIVE,
    _announce,
    _check_open_for_enrolment,
    _promote_waitlist,
    _waitlist_length,
    check_company_may_book,
)

# HR is reminded this long before the reservation deadline of seats still without a name.
REMINDER_BEFORE_DEADLINE = timedelta(days=3)


class ReservationRefused(DomainError):
    """The reservation, naming or release is not allowed; the message says why."""


def _lock_reservation(offering_id: int, reservation_id: int) -> SeatReservation:
    """The reservation, locked after its offering (seats protocol)."""
    return SeatReservation.objects.select_for_update(of=("self",)).get(
        pk=reservation_id, offering_id=offering_id
    )


def _check_before_deadline(offering: Offering, *, now: datetime) -> None:
    if now >= reservation_deadline(offering=offering, first_starts_at=offering.first_starts_at):
        raise ReservationRefused(
            _("De termijn om namen door te geven voor deze uitvoering is voorbij.")
        )


def _hold(offering: Offering, seats: int) -> None:
    """Move ``seats`` between the offering's free and reserved seats (negative: give back)."""
    Offering.objects.filter(pk=offering.pk).update(reserved_count=F("reserved_count") + seats)
    offering.reserved_count += seats
    page_cache.invalidate()  # the catalogue shows the seats left


def too_few_seats(*, free: int, seats: int) -> str | None:
    """Why ``seats`` cannot be reserved when ``free`` are left, or None when they can."""
    if seats <= free:
        return None
    return ngettext(
        "Er is nog %(free)s plaats vrij; er is niets gereserveerd.",
        "Er zijn nog %(free)s plaatsen vrij; er is niets gereserveerd.",
        free,
    ) % {"free": max(free, 0)}


def reserve_seats(
    *,
    hr_user,
    company: Company,
    offering_id: int,
    seats: int,
    po_number: str = "",
    cost_centre: str = "",
    now: datetime | None = None,
) -> SeatReservation:
    """HR reserves ``seats`` seats in an offering for the company, to name people later.

    ``po_number`` and ``cost_centre`` go onto the enrolment of each person named.
    Only free seats can be held: none while people are on the waiting list, and never more than
    are left. HR is mailed a confirmation with the deadline for names. Raises
    ReservationRefused (closed or past offering, a closed run not for ``company``, past the
    reservation deadline, too few seats) or OfferingBusy.
    """
    now = now or timezone.now()
    if seats < 1:
        raise ReservationRefused(_("Reserveer ten minste één plaats."))
    with transaction.atomic(durable=True):
        # The lock serialises reservations with every sign-up in this offering: the seats left
        # read below cannot be taken by someone else before this reservation commits.
        offering = lock_offering(offering_id)
        try:
            _check_open_for_enrolment(offering, now=now)
            check_company_may_book(offering=offering, company=company)
        except DomainError as refused:
            raise ReservationRefused(refused.message) from refused
        _check_before_deadline(offering, now=now)
        # Free seats go to people waiting first: none can be held while anyone waits.
        free = seats_free_to_hold(offering)
        refusal = too_few_seats(free=free, seats=seats)
        if refusal:
            raise ReservationRefused(refusal)
        reservation = hold_seats(
            offering=offering,
            company=company,
            reserved_by=hr_user,
            seats=seats,
            po_number=po_number,
            cost_centre=cost_centre,
        )
        outbox.queue_for(
            hr_user, template="reservation_made", context={"reservation_id": reservation.pk}
        )
        audit.record(action="reservation.made", target=reservation, actor=hr_user, seats=seats)
        return reservation


def seats_free_to_hold(offering: Offering) -> int:
    """How many seats of a locked offering a company may hold now: none while anyone waits
    (free seats go to the waiting list first), else the seats left."""
    return 0 if _waitlist_length(offering) else max(offering.seats_left, 0)


def hold_seats(
    *,
    offering: Offering,
    company: Company,
    reserved_by,
    seats: int,
    po_number: str = "",
    cost_centre: str = "",
) -> SeatReservation:
    """Hold ``seats`` seats of ``offering`` for ``company`` as a new reservation.

    Call inside the caller's durable transaction with the offering locked (``lock_offering``)
    and at most :func:`seats_free_to_hold` seats; writes no mail and no audit row (the caller
    says why the seats were held). The seats cost the run's price (``Offering.price_excl_vat``).
    """
    reservation = SeatReservation.objects.create(
        offering=offering,
        company=company,
        reserved_by=reserved_by,
        reserved_seats=seats,
        seats=seats,
        price_excl_vat=offering.price_excl_vat,
        vat_rate=offering.course.vat_rate,
        po_number=po_number,
        cost_centre=cost_centre,
    )
    _hold(offering, seats)
    return reservation


@dataclass
class NamingResult:
    """What ``name_reserved_seats`` did for each person, in the order they were given."""

    confirmed: list = field(default_factory=list)
    already_enrolled: list = field(default_factory=list)


def name_reserved_seats(
    *, hr_user, reservation_id: int, learners: list, now: datetime | None = None
) -> NamingResult:
    """HR names people for reserved seats: each takes one as a confirmed enrolment, in order.

    People already enrolled in the offering keep what they have and take no seat. Every person
    must be a member of the reservation's company. Each person named is mailed as after a team
    enrolment. Raises ReservationRefused (more people than seats held, someone not a member,
    seats already released, past the deadline) or OfferingBusy.
    """
    now = now or timezone.now()
    result = NamingResult()
    offering_id = SeatReservation.objects.values_list("offering_id", flat=True).get(
        pk=reservation_id
    )
    with transaction.atomic(durable=True):
        # The offering, then the reservation (seats protocol): a release or another naming of
        # the same seats waits, and then sees how many are left.
        offering = lock_offering(offering_id)
        reservation = _lock_reservation(offering_id, reservation_id)
        if reservation.released_at is not None or reservation.seats == 0:
            raise ReservationRefused(_("Deze reservering heeft geen plaatsen zonder naam meer."))
        _check_before_deadline(offering, now=now)
        members = set(
            Membership.objects.filter(
                company_id=reservation.company_id, user__in=learners
            ).values_list("user_id", flat=True)
        )
        strangers = [learner for learner in learners if learner.pk not in members]
        if strangers:
            raise ReservationRefused(
                _("Niet van dit bedrijf: %(names)s.")
                % {"names": ", ".join(learner.get_full_name() for learner in strangers)}
            )
        active = set(
            Enrolment.objects.filter(
                offering=offering, learner__in=learners, status__in=ACTIVE
            ).values_list("learner_id", flat=True)
        )
        newcomers = [learner for learner in learners if learner.pk not in active]
        result.already_enrolled = [learner for learner in learners if learner.pk in active]
        if len(newcomers) > reservation.seats:
            raise ReservationRefused(
                ngettext(
                    "Er is %(seats)s plaats zonder naam voor %(count)s mensen. "
                    "Er is niemand ingeschreven.",
                    "Er zijn %(seats)s plaatsen zonder naam voor %(count)s mensen. "
                    "Er is niemand ingeschreven.",
                    reservation.seats,
                )
                % {"seats": reservation.seats, "count": len(newcomers)}
            )
        for learner in newcomers:
            enrolment = Enrolment.objects.create(
                offering=offering,
                learner=learner,
                enrolled_by=hr_user,
                company=reservation.company,
                status=Enrolment.Status.CONFIRMED,
                price_excl_vat=reservation.price_excl_vat,
                vat_rate=reservation.vat_rate,
                po_number=reservation.po_number,
                cost_centre=reservation.cost_centre,
                reservation=reservation,
            )
            _announce(enrolment, actor=hr_user)
            result.confirmed.append(learner)
        # The seats move from the reservation to the enrolments at once: never free between.
        named = len(newcomers)
        Offering.objects.filter(pk=offering.pk).update(
            reserved_count=F("reserved_count") - named,
            confirmed_count=F("confirmed_count") + named,
        )
        SeatReservation.objects.filter(pk=reservation.pk).update(
            seats=F("seats") - named, updated_at=now
        )
        page_cache.invalidate()
    return result


def release_reserved_seats(
    *, reservation_id: int, actor, reason: str = "released", now: datetime | None = None
) -> int:
    """Give a reservation's unnamed seats back to the offering; the first on the waiting list
    get them, until the offering starts: these seats were never a learner's, and by default
    names are due at the cancellation deadline itself, so that deadline cannot hold them back.

    ``actor`` is HR releasing them, or None for the deadline task, whose ``reason``
    ("deadline") is mailed to HR. Returns how many seats were released (0 when none were held).
    """
    now = now or timezone.now()
    offering_id = SeatReservation.objects.values_list("offering_id", flat=True).get(
        pk=reservation_id
    )
    with transaction.atomic(durable=True):
        # The offering, then the reservation (seats protocol): a naming racing this release
        # either names people first, and fewer seats are released, or finds none left.
        offering = lock_offering(offering_id)
        reservation = _lock_reservation(offering_id, reservation_id)
        released = reservation.seats
        if released == 0:
            return 0
        _give_back(offering, reservation, now=now)
        if actor is None:
            _mail_released(reservation, reason=reason)
        audit.record(
            action="reservation.released",
            target=reservation,
            actor=actor,
            seats=released,
            reason=reason,
        )
        _promote_waitlist(offering, now=now, until_start=True, actor=actor)
        return released


def _give_back(offering: Offering, reservation: SeatReservation, *, now: datetime) -> None:
    """Return the reservation's unnamed seats to the offering. Both locked."""
    _hold(offering, -reservation.seats)
    reservation.seats = 0
    reservation.released_at = now
    reservation.save(update_fields=["seats", "released_at", "updated_at"])


def _mail_released(reservation: SeatReservation, *, reason: str) -> None:
    if reservation.reserved_by is not None:
        outbox.queue_for(
            reservation.reserved_by,
            template="reservation_released",
            context={"reservation_id": reservation.pk, "reason": reason},
        )


def _open_reservations():
    return SeatReservation.objects.filter(
        seats__gt=0, released_at__isnull=True, offering__status=Offering.Status.OPEN
    ).select_related("offering", "reserved_by")


def _offerings_with_open_reservations():
    return Offering.objects.filter(pk__in=_open_reservations().values("offering_id")).annotate(
        first_starts_at=Min("meetings__starts_at")
    )


def release_expired_reservations(*, now: datetime) -> int:
    """Release the unnamed seats of every reservation whose deadline has passed (hourly task).

    Each reservation is released in a transaction of its own. Returns how many seats went back.
    """
    released = 0
    for offering in _offerings_with_open_reservations():
        if offering.first_starts_at is None:
            continue
        if now < reservation_deadline(offering=offering, first_starts_at=offering.first_starts_at):
            continue
        for pk in _open_reservations().filter(offering=offering).values_list("pk", flat=True):
            released += release_reserved_seats(
                reservation_id=pk, actor=None, reason="deadline", now=now
            )
    return released


def queue_reservation_reminders(*, now: datetime) -> int:
    """Remind HR of reserved seats still without a name, once, ``REMINDER_BEFORE_DEADLINE``
    before the deadline. Returns how many reminders were written."""
    written = 0
    offerings = {offering.pk: offering for offering in _offerings_with_open_reservations()}
    for reservation in _open_reservations().filter(offering__in=list(offerings)):
        offering = offerings[reservation.offering_id]
        if offering.first_starts_at is None or reservation.reserved_by is None:
            continue
        deadline = reservation_deadline(offering=offering, first_starts_at=offering.first_starts_at)
        if not deadline - REMINDER_BEFORE_DEADLINE <= now < deadline:
            continue
        written += outbox.queue_once_for(
            reservation.reserved_by,
            template="reservation_reminder",
            context={"reservation_id": reservation.pk},
            dedupe_key=f"reservation-reminder:{reservation.pk}",
        )
    return written
