"""A proposal with two pledges and two colleges, for the offer and publishing tests."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from catalogue.models import Location, Provider
from companies.models import Company, Membership, Offer, OfferMeeting, Pledge, Proposal, User
from tests.factories import (
    CompanyFactory,
    LocationFactory,
    MembershipFactory,
    ProviderFactory,
    UserFactory,
)


@dataclass
class World:
    firda: Provider
    aeres: Provider
    firda_user: User
    aeres_user: User
    manager: User
    kampstaal: Company
    suplacon: Company
    kampstaal_hr: User
    suplacon_hr: User
    hub: Location
    proposal: Proposal


def staff_in(group: str, **fields) -> User:
    user = UserFactory(is_staff=True, email_verified_at=timezone.now(), **fields)
    # The migrations make the groups with their permissions; a transactional test that ran
    # before emptied the database, and the races here need the group, not its permissions.
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def make_world() -> World:
    firda = ProviderFactory(name="Firda", slug="firda")
    aeres = ProviderFactory(name="Aeres MBO", slug="aeres-mbo")
    kampstaal = CompanyFactory(name="Kampstaal", slug="kampstaal")
    suplacon = CompanyFactory(name="Suplacon", slug="suplacon")
    kampstaal_hr = MembershipFactory(
        company=kampstaal,
        role=Membership.Role.HR,
        user=UserFactory(first_name="Hennie", email="hr@kampstaal.example"),
    ).user
    suplacon_hr = MembershipFactory(
        company=suplacon,
        role=Membership.Role.HR,
        user=UserFactory(first_name="Piotr", email="hr@suplacon.example", preferred_language="en"),
    ).user
    hub = LocationFactory(name="Hub Emmeloord", name_en="Emmeloord hub", slug="hub-emmeloord")
    proposal = Proposal.objects.create(
        origin=Proposal.Origin.COMPANY,
        company=kampstaal,
        created_by=kampstaal_hr,
        title="Hydrauliek voor monteurs",
        description="Storingen aan hydraulische systemen vinden en verhelpen.",
        target_group="Monteurs in de buitendienst",
        learning_outcomes="Een hydraulisch schema lezen\nEen storing systematisch zoeken",
        expected_headcount=8,
    )
    proposal.locations.add(hub)
    Pledge.objects.create(
        proposal=proposal,
        company=kampstaal,
        headcount=4,
        reserve_seats=True,
        pledged_by=kampstaal_hr,
    )
    Pledge.objects.create(
        proposal=proposal,
        company=suplacon,
        headcount=3,
        reserve_seats=False,
        pledged_by=suplacon_hr,
    )
    return World(
        firda=firda,
        aeres=aeres,
        firda_user=staff_in("Opleider", provider=firda, first_name="Henk"),
        aeres_user=staff_in("Opleider", provider=aeres, first_name="Anja"),
        manager=staff_in("Programmamanager", first_name="Sanne"),
        kampstaal=kampstaal,
        suplacon=suplacon,
        kampstaal_hr=kampstaal_hr,
        suplacon_hr=suplacon_hr,
        hub=hub,
        proposal=proposal,
    )


def make_offer(
    world: World,
    provider: Provider,
    *,
    price: str = "450.00",
    minimum: int = 4,
    maximum: int = 10,
    meetings: int = 2,
    days: int = 40,
    places=None,
) -> Offer:
    """An offer made with the ORM, with ``meetings`` weekly meetings from ``days`` ahead."""
    offer = Offer.objects.create(
        proposal=world.proposal,
        provider=provider,
        price_excl_vat=Decimal(price),
        min_participants=minimum,
        max_participants=maximum,
        hours=Decimal("14"),
    )
    offer.locations.set(places if places is not None else [world.hub])
    start = (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    for week in range(meetings):
        starts_at = start + timedelta(weeks=week)
        OfferMeeting.objects.create(
            offer=offer, starts_at=starts_at, ends_at=starts_at + timedelta(hours=7)
        )
    return offer
