"""Reading proposals: who may see which, the pooled demand, the offers and the history.

Who sees what:

- the programme manager (``MANAGE_PROPOSALS``): every proposal, every pledge and offer, and who
  did what;
- a company's HR: every proposal that is not closed, and closed ones their company started or
  pledged to; their own company's pledge, other companies' pledges only as totals; the offers;
  in the history their own company's people, never another company's name or people;
- a college's staff (``COLLEGE_PAGES`` with a provider): proposals addressed to their provider or
  to every provider (not another college's own), their own, and those they sent an offer for;
  their own offer and only the number of the others.

Every reader here runs a fixed number of queries, however many proposals, pledges or offers.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Location, Provider
from technohub.audit import action_label
from technohub.models import AuditLog

from ..models import Company, Membership, Offer, Pledge, Proposal, StaffPermission, User

ACTIVE_OFFER_STATUSES = (Offer.Status.SUBMITTED, Offer.Status.ACCEPTED)
# Pledges are made and changed while the proposal is open or an offer was accepted.
PLEDGEABLE_STATUSES = (Proposal.Status.OPEN, Proposal.Status.ACCEPTED)
CLOSABLE_STATUSES = (Proposal.Status.OPEN, Proposal.Status.ACCEPTED)
# An open proposal that no college answered in this time waits for the programme manager.
UNANSWERED_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as far as proposals go."""

    user: User
    manager: bool
    provider_id: int | None  # a college's staff member's own provider
    hr_company_ids: frozenset[int]

    @property
    def may_see_proposals(self) -> bool:
        return self.manager or self.provider_id is not None or bool(self.hr_company_ids)


def get_viewer(*, user: User) -> Viewer:
    """The roles ``user`` has towards proposals (one query for the HR companies)."""
    if not user.is_authenticated:
        return Viewer(user=user, manager=False, provider_id=None, hr_company_ids=frozenset())
    college = user.provider_id if user.has_perm(StaffPermission.COLLEGE_PAGES) else None
    return Viewer(
        user=user,
        manager=user.has_perm(StaffPermission.MANAGE_PROPOSALS),
        provider_id=college,
        hr_company_ids=frozenset(
            Membership.objects.filter(user=user, role=Membership.Role.HR).values_list(
                "company_id", flat=True
            )
        ),
    )


def hr_companies_of(viewer: Viewer) -> list[Company]:
    """The companies for which ``viewer`` may propose and pledge, by name."""
    return list(Company.objects.filter(pk__in=viewer.hr_company_ids).order_by("name"))


def visible_proposals(viewer: Viewer) -> QuerySet[Proposal]:
    """The proposals ``viewer`` may see (none without a role towards proposals)."""
    proposals = Proposal.objects.all()
    if viewer.manager:
        return proposals
    seen = Q(pk__in=[])
    if viewer.hr_company_ids:
        pledged = Pledge.objects.filter(
            proposal=OuterRef("pk"), company_id__in=viewer.hr_company_ids
        )
        seen |= (
            ~Q(status=Proposal.Status.CLOSED)
            | Q(company_id__in=viewer.hr_company_ids)
            | Q(Exists(pledged))
        )
    if viewer.provider_id is not None:
        addressed = Proposal.providers.through.objects.filter(proposal_id=OuterRef("pk"))
        to_provider = addressed.filter(provider_id=viewer.provider_id)
        offered = Offer.objects.filter(proposal=OuterRef("pk"), provider_id=viewer.provider_id)
        # A college's own proposal ("wij kunnen dit aanbieden") is for companies, not for
        # other colleges to answer.
        seen |= (
            (~Q(Exists(addressed)) & ~Q(origin=Proposal.Origin.COLLEGE))
            | Q(Exists(to_provider))
            | Q(provider_id=viewer.provider_id)
            | Q(Exists(offered))
        )
    return proposals.filter(seen)


def _with_totals(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Annotate the pooled demand and the number of active offers, as subqueries (no joins)."""
    pledges = Pledge.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal")
    offers = (
        Offer.objects.filter(proposal=OuterRef("pk"), status__in=ACTIVE_OFFER_STATUSES)
        .order_by()
        .values("proposal")
    )
    return proposals.annotate(
        pledged_headcount=Coalesce(
            Subquery(pledges.annotate(total=Sum("headcount")).values("total")),
            0,
            output_field=IntegerField(),
        ),
        pledged_companies=Coalesce(
            Subquery(pledges.annotate(total=Count("pk")).values("total")),
            0,
            output_field=IntegerField(),
        ),
        offer_count=Coalesce(
            Subquery(offers.annotate(total=Count("pk")).values("total")),
            0,
            output_field=IntegerField(),
        ),
    )


def list_proposals(*, viewer: Viewer, status: str = "") -> list[Proposal]:
    """The proposals ``viewer`` may see, newest first, with their pooled totals; ``status``
    filters (an unknown status is ignored). Three queries."""
    proposals = visible_proposals(viewer)
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    return list(
        _with_totals(proposals)
        .select_related("theme", "company", "provider")
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("name")))
        .order_by("-created_at", "-pk")
    )


def count_by_status(*, viewer: Viewer) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the lifecycle's order; one query."""
    counts = dict(
        visible_proposals(viewer)
        .order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices]


def get_proposal_for(*, viewer: Viewer, pk: int) -> Proposal:
    """One proposal ``viewer`` may see, with its totals; Proposal.DoesNotExist otherwise."""
    return (
        _with_totals(visible_proposals(viewer))
        .select_related("theme", "company", "provider", "course", "offering", "created_by")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.order_by("name")),
            Prefetch("providers", queryset=Provider.objects.order_by("name")),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


def steps_of(proposal: Proposal) -> list[Step]:
    """The proposal's lifecycle as steps: open → offerte geaccepteerd → gepubliceerd, or the
    steps reached and then "gesloten"."""
    order = [Proposal.Status.OPEN, Proposal.Status.ACCEPTED, Proposal.Status.PUBLISHED]
    labels = {
        Proposal.Status.OPEN: _("Open"),
        Proposal.Status.ACCEPTED: _("Offerte geaccepteerd"),
        Proposal.Status.PUBLISHED: _("Gepubliceerd"),
    }
    if proposal.status == Proposal.Status.CLOSED:
        reached = Proposal.Status.ACCEPTED if proposal.offering_id else Proposal.Status.OPEN
        done = order[: order.index(reached) + 1]
        return [Step(labels[s], "done") for s in done] + [Step(_("Gesloten"), "current")]
    current = order.index(proposal.status)
    return [
        Step(labels[s], "done" if i < current else "current" if i == current else "todo")
        for i, s in enumerate(order)
    ]


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    label: str
    who: str


@dataclass
class ProposalPage:
    """Everything the proposal's page shows to one viewer."""

    proposal: Proposal
    steps: list[Step]
    own_pledges: list[Pledge]  # the viewer's companies' pledges (HR)
    pledges: list[Pledge]  # every company's pledge, only for the programme manager
    offers: list[Offer]  # the offers the viewer may see
    other_offer_count: int  # for a college: how many other colleges answered
    college_id: int | None = None  # the viewer's college, when they may answer with an offer
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def pledgeable(self) -> bool:
        return self.proposal.status in PLEDGEABLE_STATUSES

    @property
    def own_offer(self) -> Offer | None:
        """The viewer's college's offer that still stands (submitted or accepted), if any."""
        return next(
            (
                offer
                for offer in self.offers
                if offer.provider_id == self.college_id and offer.status in ACTIVE_OFFER_STATUSES
            ),
            None,
        )

    @property
    def may_offer(self) -> bool:
        """Whether the viewer may make or change their college's offer: while it is open."""
        return self.college_id is not None and self.proposal.status == Proposal.Status.OPEN


def get_proposal_page(*, viewer: Viewer, proposal: Proposal) -> ProposalPage:
    """The page of ``proposal`` (from :func:`get_proposal_for`) for ``viewer``; five queries."""
    pledges = list(
        Pledge.objects.filter(proposal=proposal)
        .select_related("company", "pledged_by", "reservation")
        .order_by("company__name", "pk")
    )
    offers = list(
        Offer.objects.filter(proposal=proposal)
        .select_related("provider", "submitted_by")
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.order_by("name")), "meetings"
        )
        .order_by("created_at", "pk")
    )
    own_pledges = [pledge for pledge in pledges if pledge.company_id in viewer.hr_company_ids]
    other_offer_count = 0
    if viewer.manager:
        visible_offers = offers
    elif viewer.provider_id is not None and not viewer.hr_company_ids:
        visible_offers = [offer for offer in offers if offer.provider_id == viewer.provider_id]
        other_offer_count = sum(
            1
            for offer in offers
            if offer.provider_id != viewer.provider_id and offer.status in ACTIVE_OFFER_STATUSES
        )
    else:
        # HR compares what the colleges offer; offers taken back are no offers.
        visible_offers = [offer for offer in offers if offer.status != Offer.Status.WITHDRAWN]
    return ProposalPage(
        proposal=proposal,
        steps=steps_of(proposal),
        own_pledges=own_pledges,
        pledges=pledges if viewer.manager else [],
        offers=visible_offers,
        other_offer_count=other_offer_count,
        college_id=viewer.provider_id,
        history=_history(viewer=viewer, proposal=proposal, pledges=pledges, offers=offers),
    )


def _history(
    *, viewer: Viewer, proposal: Proposal, pledges: list[Pledge], offers: list[Offer]
) -> list[HistoryEntry]:
    """The audit rows of the proposal, its pledges and its offers, oldest first, in words.

    Each row names its party in ``data`` (``company`` or ``provider``, ids): a person is named
    only to the programme manager and to their own company or college; HR never reads another
    company's name, a college never another college's.
    """
    types = ContentType.objects.get_for_models(Proposal, Pledge, Offer)
    offer_provider = {offer.pk: offer.provider for offer in offers}
    rows = list(
        AuditLog.objects.filter(
            Q(content_type=types[Proposal], object_id=proposal.pk)
            | Q(content_type=types[Pledge], object_id__in=[p.pk for p in pledges])
            | Q(content_type=types[Offer], object_id__in=list(offer_provider))
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    pledge_company = {pledge.pk: pledge.company_id for pledge in pledges}
    company_ids, provider_ids = set(), set()
    for row in rows:
        if row.content_type_id == types[Pledge].pk:
            row.data.setdefault("company", pledge_company.get(row.object_id))
        if row.content_type_id == types[Offer].pk and row.object_id in offer_provider:
            row.data.setdefault("provider", offer_provider[row.object_id].pk)
        if row.data.get("company"):
            company_ids.add(row.data["company"])
        if row.data.get("provider"):
            provider_ids.add(row.data["provider"])
    companies = Company.objects.in_bulk(company_ids) if company_ids else {}
    providers = {provider.pk: provider for provider in offer_provider.values()}
    if proposal.provider is not None:
        providers[proposal.provider_id] = proposal.provider
    missing = provider_ids - set(providers)
    if missing:
        providers.update(Provider.objects.in_bulk(missing))
    return [
        HistoryEntry(
            at=row.created_at,
            label=action_label(row.action),
            who=_who(viewer, row, companies=companies, providers=providers),
        )
        for row in rows
    ]


def _who(viewer: Viewer, row: AuditLog, *, companies: dict, providers: dict) -> str:
    actor = row.actor.get_full_name() if row.actor is not None else ""
    company_id, provider_id = row.data.get("company"), row.data.get("provider")
    if company_id:
        company = companies.get(company_id)
        name = company.name if company is not None else ""
        if viewer.manager or company_id in viewer.hr_company_ids:
            return f"{actor} ({name})" if actor else name
        if viewer.hr_company_ids or viewer.provider_id is None:
            return _("een ander bedrijf")
        return name  # a college sees which company, never who there
    if provider_id:
        provider = providers.get(provider_id)
        name = provider.name if provider is not None else ""
        if viewer.manager or provider_id == viewer.provider_id:
            return f"{actor} ({name})" if actor else name
        if viewer.provider_id is not None and not viewer.hr_company_ids:
            return _("een andere aanbieder")
        return name
    if viewer.manager:
        return actor or _("de hub")
    return _("de hub")


def count_proposals_waiting(*, now: datetime | None = None) -> int:
    """For the programme manager's start page: open proposals with an offer to decide on, and
    open proposals that no college answered within 14 days. One query."""
    now = now or timezone.now()
    submitted = Offer.objects.filter(proposal=OuterRef("pk"), status=Offer.Status.SUBMITTED)
    any_offer = Offer.objects.filter(proposal=OuterRef("pk")).exclude(status=Offer.Status.WITHDRAWN)
    return (
        Proposal.objects.filter(status=Proposal.Status.OPEN)
        .filter(
            Q(Exists(submitted)) | Q(~Exists(any_offer), created_at__lte=now - UNANSWERED_AFTER)
        )
        .count()
    )
