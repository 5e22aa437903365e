"""A college's offer on a proposal, withdrawing it, and the programme manager accepting one.

The offer pages are for a college's staff (the permission for college pages and a provider they
work for): a proposal not addressed to their provider does not exist for them (404). Accepting
needs the permission to manage proposals.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from companies.models import Offer, Proposal, StaffPermission
from technohub.permissions import staff_permission_required

from . import offer_selectors as selectors
from . import offers
from .offer_forms import AcceptForm, OfferForm


def _college_proposal(request, pk: int) -> Proposal:
    if not selectors.may_make_offers(user=request.user):
        raise PermissionDenied
    try:
        return selectors.get_proposal_for_college(user=request.user, pk=pk)
    except Proposal.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_http_methods(["GET", "POST"])
def offer(request, pk: int):
    """The provider's offer on the proposal: made, changed while the proposal is open, or shown."""
    proposal = _college_proposal(request, pk)
    provider = request.user.provider
    current = selectors.get_active_offer(proposal=proposal, provider_id=provider.pk)
    editable = proposal.status == Proposal.Status.OPEN and (
        current is None or current.status == Offer.Status.SUBMITTED
    )
    form = None
    if editable:
        form = OfferForm(request.POST or None, instance=current)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                offers.submit_offer(
                    proposal_id=proposal.pk,
                    provider=provider,
                    actor=request.user,
                    price_excl_vat=data["price_excl_vat"],
                    min_participants=data["min_participants"],
                    max_participants=data["max_participants"],
                    hours=data["hours"],
                    locations=list(data["locations"]),
                    at_company=data["at_company"],
                    note=data["note"],
                    meetings=form.meetings,
                )
            except offers.OfferRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("Jullie offerte is gewijzigd; de hub krijgt bericht.")
                    if current
                    else _("Jullie offerte is verstuurd; de hub krijgt bericht."),
                )
                return redirect("proposals:offer", pk=proposal.pk)
    elif request.method == "POST":
        messages.error(request, _("Dit voorstel staat niet meer open voor offertes."))
        return redirect("proposals:offer", pk=proposal.pk)
    return render(
        request,
        "proposals/offer.html",
        {
            "proposal": proposal,
            "provider": provider,
            "offer": current,
            "form": form,
            "history": selectors.offers_of_provider(proposal=proposal, provider_id=provider.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_offer(request, pk: int):
    """Ask first, then withdraw the provider's submitted offer."""
    proposal = _college_proposal(request, pk)
    provider = request.user.provider
    current = selectors.get_active_offer(proposal=proposal, provider_id=provider.pk)
    if current is None or current.status != Offer.Status.SUBMITTED:
        messages.error(
            request, _("Jullie hebben geen offerte op dit voorstel die jullie kunnen intrekken.")
        )
        return redirect("proposals:offer", pk=proposal.pk)
    if request.method == "POST":
        try:
            offers.withdraw_offer(offer_id=current.pk, provider=provider, actor=request.user)
        except offers.OfferRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Jullie offerte is ingetrokken."))
        return redirect("proposals:offer", pk=proposal.pk)
    return render(
        request, "proposals/offer_withdraw.html", {"proposal": proposal, "offer": current}
    )


@staff_permission_required(StaffPermission.MANAGE_PROPOSALS)
@require_http_methods(["GET", "POST"])
def accept(request, pk: int, offer_pk: int):
    """Show the offer and what accepting it makes; on confirmation, make it and go to the run."""
    try:
        offer = selectors.get_offer_to_accept(proposal_pk=pk, offer_pk=offer_pk)
    except Offer.DoesNotExist as missing:
        raise Http404 from missing
    proposal = offer.proposal
    pledges = list(proposal.pledges.all())
    places = selectors.place_choices(offer=offer)
    form = AcceptForm(request.POST or None, places=places, with_private=bool(pledges))
    acceptable = proposal.status == Proposal.Status.OPEN and offer.status == Offer.Status.SUBMITTED
    if request.method == "POST" and acceptable and form.is_valid():
        try:
            accepted = offers.accept_offer(
                proposal_id=proposal.pk,
                offer_id=offer.pk,
                actor=request.user,
                location_id=form.cleaned_data["location"].pk,
                private=form.cleaned_data.get("private", False),
            )
        except offers.OfferRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "De offerte is geaccepteerd. Deze uitvoering staat in concept: controleer "
                    "haar en publiceer haar (en de cursus, als die nieuw is); dan krijgen de "
                    "bedrijven die toezegden bericht."
                ),
            )
            return redirect("admin:catalogue_offering_change", accepted.offering.pk)
    elif request.method == "POST" and not acceptable:
        form.add_error(None, _("Deze offerte kan niet (meer) geaccepteerd worden."))
    return render(
        request,
        "proposals/accept.html",
        {
            "proposal": proposal,
            "offer": offer,
            "pledges": pledges,
            "pledged": sum(pledge.headcount for pledge in pledges),
            "others": selectors.other_offers(offer=offer),
            "form": form,
            "acceptable": acceptable,
        },
    )
