"""Reads for offers and accepting one: who may answer a proposal, and what an offer holds."""

from django.db.models import Prefetch, Q, QuerySet

from catalogue.models import Location
from companies.models import Membership, Offer, Pledge, Proposal, StaffPermission, User


def may_make_offers(*, user: User) -> bool:
    """A college's staff: the permission for college pages and a provider they work for."""
    return user.has_perm(StaffPermission.COLLEGE_PAGES) and user.provider_id is not None


def proposals_addressed_to(*, provider_id: int) -> QuerySet[Proposal]:
    """Proposals a provider may answer: addressed to it, or to every provider (none named)."""
    return Proposal.objects.filter(Q(providers__isnull=True) | Q(providers=provider_id)).distinct()


def get_proposal_for_college(*, user: User, pk: int) -> Proposal:
    """The proposal ``pk`` if the user's provider may answer it; else Proposal.DoesNotExist."""
    return (
        proposals_addressed_to(provider_id=user.provider_id)
        .select_related("company", "theme", "course")
        .prefetch_related("locations")
        .get(pk=pk)
    )


def get_active_offer(*, proposal: Proposal, provider_id: int) -> Offer | None:
    """The provider's offer on the proposal that still counts (submitted or accepted)."""
    return (
        Offer.objects.filter(
            proposal=proposal,
            provider_id=provider_id,
            status__in=[Offer.Status.SUBMITTED, Offer.Status.ACCEPTED],
        )
        .prefetch_related("locations", "meetings")
        .first()
    )


def get_offer_of_provider(*, proposal: Proposal, provider_id: int, pk: int) -> Offer:
    """One of the provider's own offers on the proposal; else Offer.DoesNotExist."""
    return (
        Offer.objects.select_related("provider", "proposal")
        .prefetch_related("locations", "meetings")
        .get(pk=pk, proposal=proposal, provider_id=provider_id)
    )


def get_offer_to_accept(*, proposal_pk: int, offer_pk: int) -> Offer:
    """An offer with everything the confirmation page shows; else Offer.DoesNotExist."""
    return (
        Offer.objects.select_related(
            "provider", "submitted_by", "proposal__course", "proposal__company"
        )
        .prefetch_related(
            "locations",
            "meetings",
            "proposal__locations",
            Prefetch(
                "proposal__pledges",
                queryset=Pledge.objects.select_related("company").order_by("created_at", "pk"),
            ),
        )
        .get(pk=offer_pk, proposal_id=proposal_pk)
    )


def place_choices(*, offer: Offer) -> list[Location]:
    """Where the run may be: the offer's places, then the proposal's; every place if neither
    names one. Uses the offer's prefetched places."""
    places = list(offer.locations.all()) + [
        location
        for location in offer.proposal.locations.all()
        if location not in offer.locations.all()
    ]
    return places or list(Location.objects.order_by("kind", "name"))


def hr_members(*, company_ids) -> QuerySet[Membership]:
    """The active HR members of these companies, with their users and companies."""
    return Membership.objects.hr_to_mail(company_ids).order_by("company_id", "user_id")


def provider_staff(*, provider_id: int) -> QuerySet[User]:
    """A college's active staff: users who work for it and have its pages (group Opleider)."""
    return User.objects.filter(
        provider_id=provider_id, groups__name="Opleider", is_active=True, erased_at__isnull=True
    ).distinct()


def offers_of_provider(*, proposal: Proposal, provider_id: int) -> list[Offer]:
    """Every offer the provider made on the proposal, newest first, with its status."""
    return list(
        Offer.objects.filter(proposal=proposal, provider_id=provider_id).order_by(
            "-created_at", "-pk"
        )
    )


def other_offers(*, offer: Offer) -> list[Offer]:
    """The proposal's other offers, for comparing on the confirmation page. One query."""
    return list(
        Offer.objects.filter(proposal_id=offer.proposal_id)
        .exclude(pk=offer.pk)
        .select_related("provider")
        .order_by("price_excl_vat", "pk")
    )
