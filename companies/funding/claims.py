"""HR records where a funding claim stands: applied on a date with the fund's reference, granted,
rejected, paid. The site prepares; it never submits anything to a fund."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.models import Enrolment
from technohub import audit
from technohub.errors import DomainError, violated_constraint

from ..models import FundingClaim
from . import claim_selectors

Status = FundingClaim.Status


class ClaimRefused(DomainError):
    """A claim step that cannot be saved; ``field`` names the form field it belongs to."""


def duplicate_message() -> str:
    """The duplicate guard's sentence, as the database constraint explains it."""
    return str(FundingClaim.constraint_messages["funding_claim_once_per_activity"][1])


def _check_step(
    *,
    status: str,
    applied_on: date | None,
    reference: str,
    amount: Decimal | None,
    decided_on: date | None,
    note: str,
    scheme,
) -> None:
    if status not in Status.values:
        raise ClaimRefused(_("Kies een status uit de lijst."), field="status")
    if status != Status.NOT_APPLIED:
        if applied_on is None:
            raise ClaimRefused(_("Vul de datum van de aanvraag in."), field="applied_on")
        if not reference.strip():
            raise ClaimRefused(
                _("Vul het kenmerk in dat het fonds aan de aanvraag gaf."), field="reference"
            )
    if len(reference) > 50:
        raise ClaimRefused(_("Het kenmerk is hoogstens 50 tekens lang."), field="reference")
    if len(note) > 500:
        raise ClaimRefused(_("De notitie is hoogstens 500 tekens lang."), field="note")
    if amount is not None:
        if amount < 0:
            raise ClaimRefused(_("Het bedrag kan niet negatief zijn."), field="amount")
        if scheme.max_amount is not None and amount > scheme.max_amount:
            raise ClaimRefused(
                _("Deze regeling betaalt hoogstens € %(maximum)s per aanvraag.")
                % {"maximum": scheme.max_amount},
                field="amount",
            )
    if applied_on and decided_on and decided_on < applied_on:
        raise ClaimRefused(
            _("Een besluit of betaling kan niet vóór de aanvraag liggen."), field="decided_on"
        )


def record_claim(
    *,
    enrolment: Enrolment,
    actor,
    status: str,
    applied_on: date | None,
    reference: str,
    amount: Decimal | None,
    decided_on: date | None,
    note: str,
    today: date | None = None,
) -> FundingClaim:
    """Record HR's step on the claim for ``enrolment`` (one of HR's company's, see
    ``claim_selectors.get_claim_row``): status, date applied and the fund's reference (both
    required from *aangevraagd* on), the amount applied for (empty: the estimate; never above
    the scheme's maximum), the date decided or paid, a note.

    Creates the claim (under lock) when there is none, copying company, learner, course and the
    scheme's once-per-activity rule; the scheme is the one the estimate picks, kept from the
    moment the claim is applied. Writes an audit row ``funding_claim.updated`` with the statuses
    before and after. A deadline that passed does not stop it (HR may have applied on paper).

    Raises ClaimRefused (with the field) for a missing or wrong value, a run nothing can be
    claimed for, or a second live claim of the same employee for the same course under the
    same scheme (cao period); the database constraint backs that last rule against races.
    Nothing is saved then.
    """
    today = today or timezone.localdate()
    try:
        with transaction.atomic(durable=True):
            claim = _locked_claim(enrolment=enrolment, today=today)
            scheme = claim.scheme
            _check_step(
                status=status,
                applied_on=applied_on,
                reference=reference,
                amount=amount,
                decided_on=decided_on,
                note=note,
                scheme=scheme,
            )
            if claim.once_per_activity and status in FundingClaim.LIVE_STATUSES:
                duplicate = (
                    FundingClaim.objects.filter(
                        scheme=scheme,
                        learner_id=claim.learner_id,
                        course_id=claim.course_id,
                        once_per_activity=True,
                        status__in=FundingClaim.LIVE_STATUSES,
                    )
                    .exclude(pk=claim.pk)
                    .exists()
                )
                if duplicate:
                    raise ClaimRefused(duplicate_message())
            previous = claim.status
            claim.status = status
            claim.applied_on = applied_on
            claim.reference = reference.strip()
            claim.amount = amount
            claim.decided_on = decided_on
            claim.note = note
            claim.updated_by = actor
            # A claim made under another company's or an earlier cao period's rules stays
            # there; one not yet made follows the estimate (done in _locked_claim).
            claim.save()
            audit.record(
                action="funding_claim.updated",
                target=claim,
                actor=actor,
                enrolment=enrolment.pk,
                previous=previous,
                status=status,
                reference=claim.reference,
            )
            return claim
    except IntegrityError as error:
        # Two enrolments of the same person and course marked applied at the same moment: the
        # partial unique index lets one through and refuses the other.
        if violated_constraint(error) != "funding_claim_once_per_activity":
            raise
        raise ClaimRefused(duplicate_message()) from error


def _locked_claim(*, enrolment: Enrolment, today: date) -> FundingClaim:
    """The enrolment's claim, locked; created as *niet aangevraagd* first when missing.

    The row lock serialises HR's saves and the daily alarm on one claim; the insert that
    ignores a conflict lets two first saves meet on one row instead of failing.
    """
    row = claim_selectors.get_claim_row(
        company=enrolment.company, enrolment_id=enrolment.pk, today=today
    )
    if row.claim is None:
        FundingClaim.objects.bulk_create(
            [new_claim(enrolment=enrolment, scheme=row.scheme)], ignore_conflicts=True
        )
    claim = FundingClaim.objects.select_for_update().get(enrolment=enrolment)
    if claim.status == Status.NOT_APPLIED and row.scheme is not None:
        _follow_estimate(claim, row.scheme)
    return claim


def new_claim(*, enrolment: Enrolment, scheme) -> FundingClaim:
    """An unsaved *niet aangevraagd* claim for ``enrolment`` under ``scheme``."""
    return FundingClaim(
        enrolment=enrolment,
        scheme=scheme,
        company_id=enrolment.company_id,
        learner_id=enrolment.learner_id,
        course_id=enrolment.offering.course_id,
        once_per_activity=scheme.once_per_activity,
        status=Status.NOT_APPLIED,
    )


def _follow_estimate(claim: FundingClaim, scheme) -> None:
    if claim.scheme_id != scheme.pk:
        claim.scheme = scheme
        claim.once_per_activity = scheme.once_per_activity
