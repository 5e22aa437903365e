"""Proposal pages: the list, one proposal with its pooled demand and history, a new proposal,
a company's pledge and closing (the programme manager)."""

from contextlib import suppress
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue.models import Course, Location, Theme

from ..models import Proposal, TrainingNeed
from . import selectors
from . import services as proposals
from .forms import CloseForm, PledgeForm, ProposalForm


def proposal_view(view):
    """Log-in required; 403 for whoever has no role towards proposals (not HR, not a college's
    staff, not the programme manager). The view gets the :class:`selectors.Viewer`."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        viewer = selectors.get_viewer(user=request.user)
        if not viewer.may_see_proposals:
            raise PermissionDenied
        return view(request, viewer, *args, **kwargs)

    return wrapper


def _proposal_or_404(viewer: selectors.Viewer, pk: int) -> Proposal:
    try:
        return selectors.get_proposal_for(viewer=viewer, pk=pk)
    except Proposal.DoesNotExist as missing:
        raise Http404 from missing


@proposal_view
@require_GET
def proposal_list(request, viewer):
    status = request.GET.get("status", "") if viewer.manager else ""
    return render(
        request,
        "proposals/list.html",
        {
            "viewer": viewer,
            "proposals": selectors.list_proposals(viewer=viewer, status=status),
            "status_counts": selectors.count_by_status(viewer=viewer) if viewer.manager else [],
            "status": status if status in Proposal.Status.values else "",
        },
    )


def _detail(request, viewer, proposal: Proposal, *, pledge_form=None, status=200):
    page = selectors.get_proposal_page(viewer=viewer, proposal=proposal)
    if pledge_form is None and viewer.hr_company_ids and page.pledgeable:
        companies = selectors.hr_companies_of(viewer)
        own = page.own_pledges[0] if len(page.own_pledges) == 1 else None
        initial = {"headcount": own.headcount, "reserve_seats": own.reserve_seats} if own else {}
        if own is not None and len(companies) > 1:
            initial["company"] = own.company_id
        pledge_form = PledgeForm(companies=companies, initial=initial)
    return render(
        request,
        "proposals/detail.html",
        {"viewer": viewer, "page": page, "proposal": proposal, "pledge_form": pledge_form},
        status=status,
    )


@proposal_view
@require_GET
def proposal_detail(request, viewer, pk: int):
    return _detail(request, viewer, _proposal_or_404(viewer, pk))


def _initial_from_demand(params) -> dict:
    """The new proposal's fields from a demand-board group's link (ids that do not exist, or
    are no numbers, are left out)."""
    initial = {}
    for key in ("title",):
        if params.get(key):
            initial[key] = params[key][:200]
    for key, model in (("theme", Theme), ("course", Course)):
        value = params.get(key, "")
        if value.isdigit() and model.objects.filter(pk=value).exists():
            initial[key] = int(value)
    location = params.get("location", "")
    if location.isdigit() and Location.objects.filter(pk=location).exists():
        initial["locations"] = [int(location)]
    headcount = params.get("headcount", "")
    if headcount.isdigit():
        initial["expected_headcount"] = max(1, min(int(headcount), 500))
    for key in ("period_start", "period_end"):
        with suppress(ValueError):  # not a date: left empty
            initial[key] = date.fromisoformat(params.get(key, "")[:10])
    needs = [pk for pk in params.get("needs", "").split(",") if pk.isdigit()][:200]
    found = list(TrainingNeed.objects.filter(pk__in=needs).values_list("pk", flat=True))
    if found:
        initial["training_needs"] = found
    return initial


@proposal_view
@require_http_methods(["GET", "POST"])
def new_proposal(request, viewer):
    """The programme manager starts from the demand board, a college offers, HR asks."""
    companies = selectors.hr_companies_of(viewer)
    if viewer.manager:
        origin = Proposal.Origin.DEMAND
    elif viewer.provider_id is not None:
        origin = Proposal.Origin.COLLEGE
    else:
        origin = Proposal.Origin.COMPANY
    form = ProposalForm(
        request.POST or None,
        initial=_initial_from_demand(request.GET) if viewer.manager else {},
        companies=companies if origin == Proposal.Origin.COMPANY else [],
        may_address=origin != Proposal.Origin.COLLEGE,
        may_link=viewer.manager,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        company = data.pop("company", None) or (
            companies[0] if origin == Proposal.Origin.COMPANY else None
        )
        try:
            proposal = proposals.create_proposal(
                origin=origin,
                created_by=request.user,
                company=company,
                provider=request.user.provider if origin == Proposal.Origin.COLLEGE else None,
                **data,
            )
        except proposals.ProposalRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _("Het voorstel staat klaar; de aanbieders en de hub hebben bericht gekregen."),
            )
            return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request, "proposals/form.html", {"viewer": viewer, "form": form, "origin": origin}
    )


@proposal_view
@require_POST
def pledge(request, viewer, pk: int):
    """HR's "wij doen mee met N": new, changed, or (``withdraw``) taken back."""
    proposal = _proposal_or_404(viewer, pk)
    companies = selectors.hr_companies_of(viewer)
    if not companies:
        raise PermissionDenied
    form = PledgeForm(request.POST, companies=companies)
    withdraw = "withdraw" in request.POST
    if withdraw:
        # Only the company matters for taking a pledge back.
        form.fields["headcount"].required = False
    if form.is_valid():
        company = form.cleaned_data["company"]
        try:
            if withdraw:
                proposals.withdraw_pledge(
                    proposal_id=proposal.pk, company=company, withdrawn_by=request.user
                )
                messages.success(request, _("Jullie toezegging is ingetrokken."))
            else:
                proposals.pledge(
                    proposal_id=proposal.pk,
                    company=company,
                    pledged_by=request.user,
                    headcount=form.cleaned_data["headcount"],
                    reserve_seats=form.cleaned_data["reserve_seats"],
                )
                messages.success(
                    request,
                    _("Genoteerd: %(company)s doet mee met %(count)s.")
                    % {"company": company.name, "count": form.cleaned_data["headcount"]},
                )
        except proposals.ProposalRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            return redirect("proposals:detail", pk=proposal.pk)
    proposal = _proposal_or_404(viewer, pk)  # read again: the totals may have changed
    return _detail(request, viewer, proposal, pledge_form=form)


@proposal_view
@require_http_methods(["GET", "POST"])
def close(request, viewer, pk: int):
    """Ask for the reason, then close: who pledged and who sent an offer get it by mail."""
    if not viewer.manager:
        raise PermissionDenied
    proposal = _proposal_or_404(viewer, pk)
    if proposal.status not in selectors.CLOSABLE_STATUSES:
        messages.error(
            request,
            _("Dit voorstel is %(status)s en kan niet gesloten worden.")
            % {"status": proposal.get_status_display()},
        )
        return redirect("proposals:detail", pk=proposal.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposals.close_proposal(
                proposal_id=proposal.pk, closed_by=request.user, reason=form.cleaned_data["reason"]
            )
        except proposals.ProposalRefused as refused:
            form.add_error("reason" if refused.field == "reason" else None, refused.message)
        else:
            messages.success(request, _("Het voorstel is gesloten."))
            return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/close.html",
        {"viewer": viewer, "proposal": proposal, "form": form},
    )
