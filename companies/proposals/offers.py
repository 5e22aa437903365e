"""Offers (*offertes*) from colleges, and accepting one: from a proposal to a concept run.

A college's staff make or change their provider's offer while the proposal is open, or withdraw
it; the programme manager accepts one, which declines the others and makes the course (or a run
of the course the proposal names) in concept, for the manager to check and publish. Each
service locks the proposal's row first: an offer changing while it is accepted, or two accepts
at once, wait for each other, and the second sees what the first did.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalogue.models import Course, Location, Meeting, Offering, Provider, Sector
from catalogue.services import refresh_search_vectors
from companies.models import Offer, OfferMeeting, Proposal, User
from enrolment import outbox
from technohub import audit, page_cache
from technohub.errors import DomainError, violated_constraint

from . import offer_selectors as selectors

MAX_MEETINGS = 6


class OfferRefused(DomainError):
    """The offer cannot be made, changed, withdrawn or accepted now; the message says why."""


def _sentence(constraint: str) -> str:
    """The sentence people read for one of the offer's constraints."""
    return str(Offer.constraint_messages[constraint][1])


def _lock_proposal(proposal_id: int) -> Proposal:
    # The proposal's row serialises everything that changes its offers: an offer changed while
    # it is being accepted, or two accepts at once, are decided by who locks it first.
    return Proposal.objects.select_for_update(of=("self",)).get(pk=proposal_id)


def _check_addressed(proposal: Proposal, provider: Provider) -> None:
    addressed = list(proposal.providers.values_list("pk", flat=True))
    if addressed and provider.pk not in addressed:
        raise OfferRefused(_("Dit voorstel is niet aan jullie organisatie gericht."))


def _money(amount: Decimal) -> str:
    return formats.number_format(amount, decimal_pos=2, use_l10n=True)


def submit_offer(
    *,
    proposal_id: int,
    provider: Provider,
    actor: User,
    price_excl_vat: Decimal,
    min_participants: int,
    max_participants: int,
    hours: Decimal,
    locations: list[Location],
    at_company: bool,
    note: str,
    meetings: list[tuple[datetime, datetime]],
) -> Offer:
    """Make the provider's offer on an open proposal, or change the one it has.

    The proposed meetings replace the offer's earlier ones. The programme manager and, for a
    proposal from a company, that company's HR are mailed (a new offer, or a changed one).
    Raises OfferRefused when the proposal is no longer open or not addressed to the provider.
    """
    if len(meetings) > MAX_MEETINGS:
        raise OfferRefused(_("Stel ten hoogste %(count)s bijeenkomsten voor.") % {"count": 6})
    with transaction.atomic(durable=True):
        proposal = _lock_proposal(proposal_id)
        if proposal.status != Proposal.Status.OPEN:
            raise OfferRefused(
                _("Dit voorstel staat niet meer open voor offertes (%(status)s).")
                % {"status": proposal.get_status_display()}
            )
        _check_addressed(proposal, provider)
        offer = (
            Offer.objects.select_for_update()
            .filter(proposal=proposal, provider=provider, status=Offer.Status.SUBMITTED)
            .first()
        )
        changed = offer is not None
        if offer is None:
            offer = Offer(proposal=proposal, provider=provider, submitted_by=actor)
        offer.price_excl_vat = price_excl_vat
        offer.min_participants = min_participants
        offer.max_participants = max_participants
        offer.hours = hours
        offer.at_company = at_company
        offer.note = note
        try:
            with transaction.atomic():
                offer.save()
        except IntegrityError as error:
            constraint = violated_constraint(error)
            if constraint not in Offer.constraint_messages:
                raise
            raise OfferRefused(_sentence(constraint)) from error
        offer.locations.set(locations)
        offer.meetings.all().delete()
        OfferMeeting.objects.bulk_create(
            OfferMeeting(offer=offer, starts_at=starts_at, ends_at=ends_at)
            for starts_at, ends_at in sorted(meetings)
        )
        audit.record(
            action="offer.changed" if changed else "offer.submitted",
            target=offer,
            actor=actor,
            proposal=proposal.pk,
            price=str(price_excl_vat),
        )
        _mail_offer_received(offer, changed=changed)
        return offer


def withdraw_offer(*, offer_id: int, provider: Provider, actor: User) -> Offer:
    """The college takes its submitted offer back; it no longer counts for the proposal.

    Raises OfferRefused when the offer was accepted, declined or withdrawn already.
    """
    proposal_id = Offer.objects.values_list("proposal_id", flat=True).get(
        pk=offer_id, provider=provider
    )
    with transaction.atomic(durable=True):
        _lock_proposal(proposal_id)
        offer = Offer.objects.select_for_update().get(pk=offer_id)
        if offer.status != Offer.Status.SUBMITTED:
            raise OfferRefused(
                _("Deze offerte is %(status)s en kan niet meer ingetrokken worden.")
                % {"status": offer.get_status_display()}
            )
        offer.status = Offer.Status.WITHDRAWN
        offer.save(update_fields=["status", "updated_at"])
        audit.record(action="offer.withdrawn", target=offer, actor=actor, proposal=proposal_id)
        return offer


@dataclass
class Accepted:
    """What accepting an offer made: the concept run, its course, and whether that is new."""

    offer: Offer
    course: Course
    offering: Offering
    course_created: bool


def accept_offer(
    *,
    proposal_id: int,
    offer_id: int,
    actor: User,
    location_id: int | None = None,
    private: bool = False,
) -> Accepted:
    """The programme manager accepts one offer of an open proposal.

    In one transaction: the offer becomes accepted and the proposal's other active offers
    declined; the proposal's course (or a new concept course from the proposal's texts and the
    offer's price and hours) gets a concept run at ``location_id`` (else the offer's first place,
    else the proposal's), sized by the offer, with its proposed meetings. With ``private`` the
    run is closed to the pledging companies at the offer's price. The proposal becomes accepted.
    The colleges (accepted and declined) and the pledging companies' HR are mailed.
    Raises OfferRefused: the proposal is not open (an offer was accepted already), the offer
    no longer counts, or there is no place for the run.
    """
    with transaction.atomic(durable=True):
        proposal = _lock_proposal(proposal_id)
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("provider")
            .get(pk=offer_id, proposal=proposal)
        )
        if Offer.objects.filter(proposal=proposal, status=Offer.Status.ACCEPTED).exists():
            raise OfferRefused(_sentence("offer_one_accepted_per_proposal"))
        if proposal.status != Proposal.Status.OPEN:
            raise OfferRefused(
                _("Dit voorstel staat niet meer open (%(status)s).")
                % {"status": proposal.get_status_display()}
            )
        if offer.status != Offer.Status.SUBMITTED:
            raise OfferRefused(
                _("Deze offerte is %(status)s en kan niet geaccepteerd worden.")
                % {"status": offer.get_status_display()}
            )
        location = _place(proposal, offer, location_id)
        offer.status = Offer.Status.ACCEPTED
        try:
            with transaction.atomic():
                offer.save(update_fields=["status", "updated_at"])
        except IntegrityError as error:
            if violated_constraint(error) != "offer_one_accepted_per_proposal":
                raise
            raise OfferRefused(_sentence("offer_one_accepted_per_proposal")) from error
        declined = list(
            Offer.objects.filter(proposal=proposal, status=Offer.Status.SUBMITTED).exclude(
                pk=offer.pk
            )
        )
        Offer.objects.filter(pk__in=[other.pk for other in declined]).update(
            status=Offer.Status.DECLINED, updated_at=timezone.now()
        )
        course, created = _course_for(proposal, offer)
        offering = _concept_offering(proposal, offer, course, location, private=private)
        proposal.course, proposal.offering = course, offering
        proposal.status = Proposal.Status.ACCEPTED
        proposal.save(update_fields=["course", "offering", "status", "updated_at"])
        audit.record(action="offer.accepted", target=offer, actor=actor, proposal=proposal.pk)
        for other in declined:
            audit.record(action="offer.declined", target=other, actor=actor, proposal=proposal.pk)
        audit.record(
            action="proposal.accepted",
            target=proposal,
            actor=actor,
            offer=offer.pk,
            offering=offering.pk,
            course=course.pk,
            private=private,
        )
        _mail_accepted(offer, offering=offering)
        for other in declined:
            _mail_declined(other)
        _mail_course_coming(proposal, offer)
        return Accepted(offer=offer, course=course, offering=offering, course_created=created)


def _place(proposal: Proposal, offer: Offer, location_id: int | None) -> Location:
    if location_id is not None:
        try:
            return Location.objects.get(pk=location_id)
        except Location.DoesNotExist as missing:
            raise OfferRefused(_("Kies een locatie voor de uitvoering.")) from missing
    location = (
        offer.locations.order_by("name").first() or proposal.locations.order_by("name").first()
    )
    if location is None:
        raise OfferRefused(
            _(
                "De offerte en het voorstel noemen geen locatie: kies een locatie voor de "
                "uitvoering."
            )
        )
    return location


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "cursus"
    slug, number = base, 2
    while Course.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _course_for(proposal: Proposal, offer: Offer) -> tuple[Course, bool]:
    """The proposal's course, or a new concept course made from the proposal and the offer."""
    if proposal.course_id is not None:
        return proposal.course, False
    description = proposal.description or proposal.title
    course = Course.objects.create(
        title=proposal.title,
        slug=_unique_slug(proposal.title),
        summary=(description[:297] + "…") if len(description) > 300 else description,
        description=description,
        learning_outcomes=proposal.learning_outcomes,
        audience=proposal.target_group,
        sector=Sector.BOTH,
        provider=offer.provider,
        mode=Course.Mode.MOBILE if offer.at_company else Course.Mode.ON_SITE,
        study_hours=offer.hours,
        price_excl_vat=offer.price_excl_vat,
        is_published=False,
    )
    if proposal.theme_id is not None:
        course.themes.add(proposal.theme_id)
    refresh_search_vectors(course_ids=[course.pk])
    return course, True


def _concept_offering(
    proposal: Proposal, offer: Offer, course: Course, location: Location, *, private: bool
) -> Offering:
    offering = Offering.objects.create(
        course=course,
        location=location,
        status=Offering.Status.CONCEPT,
        capacity=offer.max_participants,
        min_participants=offer.min_participants,
        agreed_price_excl_vat=offer.price_excl_vat if private else None,
        notes=_("Gemaakt uit de offerte van %(provider)s op het voorstel “%(title)s”.")
        % {"provider": offer.provider.name, "title": proposal.title[:150]},
    )
    if private:
        offering.private_for.set(proposal.pledges.values_list("company_id", flat=True))
    Meeting.objects.bulk_create(
        Meeting(offering=offering, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
        for meeting in offer.meetings.order_by("starts_at")
    )
    page_cache.invalidate()
    return offering


# Mails. Each is written in the recipient's language from plain values, so it reads the same
# whenever it is sent.


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _offer_facts(offer: Offer) -> dict:
    return {
        "proposal": offer.proposal.title,
        "provider": offer.provider.name,
        "price": _money(offer.price_excl_vat),
        "min_participants": offer.min_participants,
        "max_participants": offer.max_participants,
        "hours": formats.number_format(offer.hours, use_l10n=True),
    }


def _mail_offer_received(offer: Offer, *, changed: bool) -> None:
    proposal = offer.proposal
    recipients = [(user, True) for user in User.objects.programme_managers()]
    if proposal.company_id is not None:
        recipients += [
            (membership.user, False)
            for membership in selectors.hr_members(company_ids=[proposal.company_id])
        ]
    seen = set()
    for user, for_manager in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(user.preferred_language):
            context = {
                **_offer_facts(offer),
                "changed": changed,
                "for_manager": for_manager,
                "accept_url": _url("proposals:accept", proposal.pk, offer.pk),
                "portal_url": _url("portal:dashboard", proposal.company.slug)
                if proposal.company_id
                else "",
            }
        outbox.queue_for(user, template="offer_received", context=context)


def _mail_to_provider(offer: Offer, *, template: str, context: dict) -> None:
    people = {user.pk: user for user in selectors.provider_staff(provider_id=offer.provider_id)}
    if offer.submitted_by is not None and offer.submitted_by.is_active:
        people.setdefault(offer.submitted_by.pk, offer.submitted_by)
    for user in people.values():
        with translation.override(user.preferred_language):
            outbox.queue_for(
                user, template=template, context={**_offer_facts(offer), **context(user)}
            )


def _mail_accepted(offer: Offer, *, offering: Offering) -> None:
    first = offering.meetings.order_by("starts_at").first()

    def context(user):
        return {
            "location": offering.location.localized("name"),
            "starts_on": formats.date_format(timezone.localtime(first.starts_at), "j F Y")
            if first
            else "",
        }

    _mail_to_provider(offer, template="offer_accepted", context=context)


def _mail_declined(offer: Offer) -> None:
    _mail_to_provider(offer, template="offer_declined", context=lambda user: {})


def _mail_course_coming(proposal: Proposal, offer: Offer) -> None:
    """Every pledging company's HR hears that a course is coming, and who gives it."""
    headcounts = dict(proposal.pledges.values_list("company_id", "headcount"))
    for membership in selectors.hr_members(company_ids=headcounts):
        user = membership.user
        with translation.override(user.preferred_language):
            context = {
                "proposal": proposal.title,
                "provider": offer.provider.name,
                "company": membership.company.name,
                "headcount": headcounts[membership.company_id],
            }
        outbox.queue_for(user, template="proposal_course_coming", context=context)
