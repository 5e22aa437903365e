"""Publishing a run made from a proposal: the pledges become seats and mails.

When the run that an accepted proposal points at (``Proposal.offering``) opens, the head count of
each pledge made with "plaatsen reserveren" is held for that company as a seat reservation, and
every pledging company's HR hears of it with one link: to name people for the seats held, or,
without seats held, to enrol the team. The
seats are held under the offering's lock (``enrolment.seats``), in pledge order, so that
learners enrolling at the same moment and the pledges never overbook the run between them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from catalogue.models import Offering
from companies.models import Pledge, Proposal
from enrolment import outbox
from enrolment.seats import lock_offering, reservation_deadline
from enrolment.services.reservations import hold_seats, seats_free_to_hold
from technohub import audit

from . import offer_selectors as selectors


@dataclass
class Shortfall:
    """A pledge that asked for more seats than were free: how many it asked and got."""

    company: str
    pledged: int
    held: int


@dataclass
class PublishResult:
    """What publishing did: companies mailed, seats held, pledges that got fewer seats.

    ``course_unpublished``: the run is open but its course is not, so nothing happened yet.
    """

    proposals: int = 0
    companies_mailed: int = 0
    seats_held: int = 0
    shortfalls: list[Shortfall] = field(default_factory=list)
    course_unpublished: bool = False


def _may_hold_seats(offering: Offering, *, now: datetime) -> bool:
    """Seats can be held until names are due, in a run that has not started."""
    starts_at = offering.first_starts_at
    if starts_at is None or starts_at <= now:
        return False
    return now < reservation_deadline(offering=offering, first_starts_at=starts_at)


def publish_to_pledgers(*, offering_id: int, actor, now: datetime | None = None) -> PublishResult:
    """Turn the pledges of the accepted proposal(s) behind an open run into reservations and mail.

    For each pledge in pledge order: with ``reserve_seats``, hold its head count (or as many as
    are free, said in ``shortfalls``) as a ``SeatReservation`` for the company at the run's
    price, and link it to the pledge; then mail every HR member of each pledging company, in
    their language: the seats held with their deadline for names and the link to name people,
    else the team enrolment link. The proposal becomes published. Does nothing for a run that
    is not open, whose course is not published (``course_unpublished``), or whose proposal was
    published before: safe to call twice. Raises OfferingBusy when the run stays locked by others.
    """
    now = now or timezone.now()
    result = PublishResult()
    with transaction.atomic(durable=True):
        # The offering first (seats protocol): learners enrolling now wait, or are waited for,
        # so that the seats held below were free when counted and stay free until commit.
        offering = lock_offering(offering_id)
        # Then the proposal: a second publication waits here and finds it published.
        proposals = list(
            Proposal.objects.select_for_update(of=("self",))
            .filter(offering_id=offering_id, status=Proposal.Status.ACCEPTED)
            .order_by("pk")
        )
        if not proposals or offering.status != Offering.Status.OPEN:
            return result
        if not offering.course.is_published:
            result.course_unpublished = True
            return result
        may_hold = _may_hold_seats(offering, now=now)
        for proposal in proposals:
            _publish_proposal(proposal, offering, actor=actor, may_hold=may_hold, result=result)
    return result


def _publish_proposal(
    proposal: Proposal, offering: Offering, *, actor, may_hold: bool, result: PublishResult
) -> None:
    pledges = list(
        Pledge.objects.select_for_update(of=("self",))
        .filter(proposal=proposal)
        .select_related("company", "pledged_by")
        .order_by("created_at", "pk")
    )
    held_for: dict[int, Pledge] = {}
    for pledge in pledges:
        if not pledge.reserve_seats or pledge.reservation_id is not None:
            continue
        seats = min(pledge.headcount, seats_free_to_hold(offering)) if may_hold else 0
        if seats < pledge.headcount:
            result.shortfalls.append(
                Shortfall(company=pledge.company.name, pledged=pledge.headcount, held=seats)
            )
        if seats == 0:
            continue
        pledge.reservation = hold_seats(
            offering=offering,
            company=pledge.company,
            reserved_by=pledge.pledged_by,
            seats=seats,
        )
        pledge.save(update_fields=["reservation", "updated_at"])
        audit.record(
            action="reservation.made",
            target=pledge.reservation,
            actor=actor,
            seats=seats,
            pledge=pledge.pk,
        )
        result.seats_held += seats
        held_for[pledge.company_id] = pledge
    proposal.status = Proposal.Status.PUBLISHED
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        action="proposal.published",
        target=proposal,
        actor=actor,
        offering=offering.pk,
        seats=sum(p.reservation.reserved_seats for p in held_for.values()),
    )
    result.proposals += 1
    pledge_of = {pledge.company_id: pledge for pledge in pledges}
    mailed: set[int] = set()
    for membership in selectors.hr_members(company_ids=pledge_of):
        pledge = pledge_of[membership.company_id]
        if _mail_published(membership, pledge, offering, proposal=proposal):
            mailed.add(membership.company_id)
    result.companies_mailed += len(mailed)


def _mail_published(membership, pledge: Pledge, offering: Offering, *, proposal) -> bool:
    user, company = membership.user, membership.company
    reservation = pledge.reservation
    first_starts_at = offering.first_starts_at
    with translation.override(user.preferred_language):
        site = settings.SITE_URL
        context = {
            "proposal": proposal.title,
            "course": offering.course.localized("title"),
            "location": offering.location.localized("name"),
            "starts_on": formats.date_format(timezone.localtime(first_starts_at), "j F Y")
            if first_starts_at
            else "",
            "company": company.name,
            "headcount": pledge.headcount,
            "team_url": site + reverse("portal:team_enrol", args=[company.slug, offering.pk]),
            "seats_held": reservation.reserved_seats if reservation else 0,
            "asked_seats": pledge.reserve_seats,
            "reservation_url": site
            + reverse("portal:reservation", args=[company.slug, reservation.pk])
            if reservation
            else "",
            "names_until": formats.date_format(
                timezone.localtime(
                    reservation_deadline(offering=offering, first_starts_at=first_starts_at)
                ),
                "j F Y H:i",
            )
            if reservation and first_starts_at
            else "",
        }
    return outbox.queue_once_for(
        user,
        template="proposal_published",
        context=context,
        dedupe_key=f"proposal-published:{proposal.pk}:{user.pk}",
    )
