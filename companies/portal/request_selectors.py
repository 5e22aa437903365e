"""Reads about employees' requests for HR: the waiting ones, and how one was decided."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from enrolment import pricing
from enrolment.models import Enrolment
from technohub.models import AuditLog

from ..models import Company, Membership, User
from .selectors import company_enrolments

# The audit actions that end a request's wait, and what they mean for it.
DECIDING_ACTIONS = {
    "enrolment.confirmed": "approved",
    "enrolment.waitlisted": "approved",
    "enrolment.rejected": "rejected",
    "enrolment.cancelled": "cancelled",
}


def get_company_request(*, company: Company, pk: int) -> Enrolment:
    """One enrolment of the company's that HR may see, whatever its status (a request decided
    meanwhile included); DoesNotExist for anyone else's."""
    enrolment = company_enrolments(company=company).get(pk=pk)
    enrolment.seat = pricing.seats_cost(offering=enrolment.offering, seats=1)
    return enrolment


@dataclass(frozen=True)
class Decision:
    """How a request stopped waiting: ``kind`` approved, rejected, withdrawn (by the employee)
    or cancelled (by someone else); who did it and when (``by`` None when nobody is known)."""

    kind: str
    by: User | None
    at: datetime
    reason: str = ""


def get_request_decision(*, enrolment: Enrolment) -> Decision | None:
    """The decision on a request from the audit log; None while it still waits (or when the
    log holds none: an enrolment that never was a request is not HR's to decide)."""
    if enrolment.status == Enrolment.Status.REQUESTED:
        return None
    row = (
        AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Enrolment),
            object_id=enrolment.pk,
            action__in=list(DECIDING_ACTIONS),
        )
        .select_related("actor")
        .order_by("created_at", "pk")
        .first()
    )
    if row is None:
        return None
    kind = DECIDING_ACTIONS[row.action]
    if kind == "cancelled" and row.actor_id == enrolment.learner_id:
        kind = "withdrawn"
    return Decision(kind=kind, by=row.actor, at=row.created_at, reason=enrolment.reason)


def get_hr_membership(*, user: User, company: Company) -> Membership | None:
    """``user``'s HR membership of ``company``, if any (staff using any portal have none)."""
    return Membership.objects.filter(user=user, company=company, role=Membership.Role.HR).first()
