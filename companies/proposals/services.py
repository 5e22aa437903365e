"""Proposals and pledges: starting a proposal, a company's "wij doen mee met N", closing.

A proposal (*voorstel*) starts from a demand-board group (the programme manager), from a
company's HR ("wij zoeken een training …") or from a college ("wij kunnen dit aanbieden").
Companies pledge head counts while it is open or an offer was accepted; the pooled demand is
the sum. Every change writes an audit row; new and closed proposals are mailed through the
outbox, in each recipient's language.
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.models import Course, Location, Provider, Theme
from enrolment import outbox
from technohub import audit
from technohub.errors import DomainError, busy_after, violated_constraint

from ..models import Company, Pledge, Proposal, TrainingNeed, User
from .selectors import CLOSABLE_STATUSES, PLEDGEABLE_STATUSES


class ProposalRefused(DomainError):
    """A rule of proposals said no (closed, published, already pledged); nothing changed."""


def _college_staff(providers: list[Provider]):
    """The staff of ``providers``, or of every provider when none are named."""
    staff = User.objects.filter(provider__isnull=False, is_active=True)
    if providers:
        staff = staff.filter(provider__in=providers)
    return staff


def _proposal_url(proposal: Proposal, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("proposals:detail", args=[proposal.pk])


def _mail_each(people, *, template: str, proposal: Proposal, context: dict, skip: User | None):
    """One mail per person (each once, however they are reached), not to ``skip``."""
    seen = {skip.pk} if skip is not None and skip.pk else set()
    for person in people.order_by("pk").distinct():
        if person.pk in seen:
            continue
        seen.add(person.pk)
        outbox.queue_once_for(
            person,
            template=template,
            context={**context, "proposal_url": _proposal_url(proposal, person.preferred_language)},
            dedupe_key=f"{template}:{proposal.pk}:{person.pk}",
        )


def create_proposal(
    *,
    origin: str,
    created_by: User,
    title: str,
    expected_headcount: int,
    description: str = "",
    target_group: str = "",
    learning_outcomes: str = "",
    locations: list[Location] = (),
    period_start: date | None = None,
    period_end: date | None = None,
    theme: Theme | None = None,
    company: Company | None = None,
    provider: Provider | None = None,
    providers: list[Provider] = (),
    training_needs: list[TrainingNeed] = (),
    course: Course | None = None,
) -> Proposal:
    """Start an open proposal and tell the colleges it is addressed to (all colleges when none
    are named) and the programme managers, each in their language; never the person who made it.

    ``origin`` company needs ``company``, college needs ``provider`` (the caller checks the
    person may act for them). Writes the audit row ``proposal.created``.
    """
    if origin == Proposal.Origin.COMPANY and company is None:
        raise ProposalRefused(_("Een voorstel van een bedrijf hoort bij dat bedrijf."))
    if origin == Proposal.Origin.COLLEGE and provider is None:
        raise ProposalRefused(_("Een voorstel van een aanbieder hoort bij die aanbieder."))
    with transaction.atomic(durable=True):
        proposal = Proposal.objects.create(
            origin=origin,
            created_by=created_by,
            title=title,
            description=description,
            target_group=target_group,
            learning_outcomes=learning_outcomes,
            expected_headcount=expected_headcount,
            period_start=period_start,
            period_end=period_end,
            theme=theme,
            company=company if origin == Proposal.Origin.COMPANY else None,
            provider=provider if origin == Proposal.Origin.COLLEGE else None,
            course=course,
        )
        proposal.locations.set(locations)
        proposal.providers.set(providers)
        proposal.training_needs.set(training_needs)
        party = (
            {"company": company.pk}
            if proposal.company_id
            else {"provider": provider.pk}
            if proposal.provider_id
            else {}
        )
        audit.record(action="proposal.created", target=proposal, actor=created_by, **party)
        context = {
            "proposal_title": title,
            "origin": proposal.origin,
            "from_name": company.name if proposal.company_id else "",
            "expected_headcount": expected_headcount,
        }
        _mail_each(
            _college_staff(list(providers)),
            template="proposal_new",
            proposal=proposal,
            context=context,
            skip=created_by,
        )
        _mail_each(
            User.objects.programme_managers(),
            template="proposal_new",
            proposal=proposal,
            context=context,
            skip=created_by,
        )
    return proposal


def _lock_proposal(proposal_id: int) -> Proposal:
    # Every pledge, withdrawal and closing of one proposal waits here for the one before: a
    # pledge counted is never lost to a close racing it, and two HR of a company pledging at
    # once make one pledge (the second finds the first and changes it).
    return Proposal.objects.select_for_update(no_key=True).get(pk=proposal_id)


def _check_pledgeable(proposal: Proposal) -> None:
    if proposal.status not in PLEDGEABLE_STATUSES:
        raise ProposalRefused(
            _("Dit voorstel is %(status)s; meedoen of je toezegging wijzigen kan niet meer.")
            % {"status": proposal.get_status_display()},
            field="headcount",
        )


def pledge(
    *, proposal_id: int, company: Company, pledged_by: User, headcount: int, reserve_seats: bool
) -> Pledge:
    """ "Wij doen mee met ``headcount``" for ``company``: a new pledge, or the company's pledge
    changed. Only while the proposal is open or an offer was accepted; ProposalRefused else
    (and for a head count below 1). The caller checks ``pledged_by`` is the company's HR.
    Writes ``proposal.pledged`` or ``proposal.pledge_changed``.
    """
    if headcount < 1:
        raise ProposalRefused(_("Doe mee met ten minste één deelnemer."), field="headcount")
    try:
        with transaction.atomic(durable=True), busy_after("3s", refusal=ProposalRefused):
            proposal = _lock_proposal(proposal_id)
            _check_pledgeable(proposal)
            existing = Pledge.objects.filter(proposal=proposal, company=company).first()
            if existing is None:
                made = Pledge.objects.create(
                    proposal=proposal,
                    company=company,
                    headcount=headcount,
                    reserve_seats=reserve_seats,
                    pledged_by=pledged_by,
                )
                action = "proposal.pledged"
            else:
                existing.headcount, existing.reserve_seats = headcount, reserve_seats
                existing.pledged_by = pledged_by
                existing.save(
                    update_fields=["headcount", "reserve_seats", "pledged_by", "updated_at"]
                )
                made, action = existing, "proposal.pledge_changed"
            audit.record(
                action=action,
                target=proposal,
                actor=pledged_by,
                company=company.pk,
                headcount=headcount,
                reserve_seats=reserve_seats,
            )
            return made
    except IntegrityError as error:
        if violated_constraint(error) != "pledge_one_per_company":
            raise
        message = Pledge.constraint_messages["pledge_one_per_company"][1]
        raise ProposalRefused(str(message), field="headcount") from error


def withdraw_pledge(*, proposal_id: int, company: Company, withdrawn_by: User) -> None:
    """Take back ``company``'s pledge, while the proposal is open or an offer was accepted.

    ProposalRefused when it is published or closed, or the company has no pledge. Writes
    ``proposal.pledge_withdrawn``.
    """
    with transaction.atomic(durable=True), busy_after("3s", refusal=ProposalRefused):
        proposal = _lock_proposal(proposal_id)
        _check_pledgeable(proposal)
        deleted, _by_model = Pledge.objects.filter(proposal=proposal, company=company).delete()
        if not deleted:
            raise ProposalRefused(_("Je bedrijf deed nog niet mee met dit voorstel."))
        audit.record(
            action="proposal.pledge_withdrawn",
            target=proposal,
            actor=withdrawn_by,
            company=company.pk,
        )


def close_proposal(*, proposal_id: int, closed_by: User, reason: str) -> Proposal:
    """Close a proposal that is open or has an accepted offer, with ``reason``.

    Everyone who pledged and the staff of every college that sent an offer get the mail
    ``proposal_closed`` with the reason, in their language. ProposalRefused when it was
    published or closed before. Writes ``proposal.closed``.
    """
    reason = reason.strip()
    if not reason:
        raise ProposalRefused(_("Geef een reden op."), field="reason")
    with transaction.atomic(durable=True), busy_after("3s", refusal=ProposalRefused):
        proposal = _lock_proposal(proposal_id)
        if proposal.status not in CLOSABLE_STATUSES:
            raise ProposalRefused(
                _("Dit voorstel is %(status)s en kan niet gesloten worden.")
                % {"status": proposal.get_status_display()}
            )
        previous = proposal.status
        proposal.status, proposal.closed_reason = Proposal.Status.CLOSED, reason
        proposal.save(update_fields=["status", "closed_reason", "updated_at"])
        audit.record(action="proposal.closed", target=proposal, actor=closed_by, previous=previous)
        context = {"proposal_title": proposal.title, "reason": reason}
        _mail_each(
            User.objects.filter(is_active=True, pk__in=proposal.pledges.values("pledged_by")),
            template="proposal_closed",
            proposal=proposal,
            context=context,
            skip=closed_by,
        )
        _mail_each(
            User.objects.filter(is_active=True, provider__in=proposal.offers.values("provider")),
            template="proposal_closed",
            proposal=proposal,
            context=context,
            skip=closed_by,
        )
    return proposal
