"""The host's answer to a planned school visit, from the link in the ``school_host_request`` mail.

The link carries a random token; the visit keeps only its SHA-256 (``host_token_hash``), so the
database alone does not let anyone answer. A link works once (``host_answered_at``) and until
``host_link_expires_at``. It is found by an equality on its hash (a digest, so the time taken
says nothing about how much of a guess was right) and answered under the same locks as planning
(``planning``): the activity's row, then the visit's.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import SchoolActivity
from companies.models import User
from enrolment import outbox
from technohub import audit
from technohub.errors import DomainError, busy_after

from ..models import SchoolRequest, SchoolVisit
from . import planning

MAX_TOKEN_LENGTH = 100


class UnknownLink(DomainError):
    """No visit has this link (mistyped, cut off, or made up)."""


class LinkRefused(DomainError):
    """The link is known but cannot be used any more; ``reason`` says why: ``answered``,
    ``expired`` or ``cancelled``. ``visit`` is the visit it belongs to."""

    def __init__(self, message: str, *, reason: str, visit: SchoolVisit):
        super().__init__(message)
        self.reason = reason
        self.visit = visit


@dataclass(frozen=True)
class LinkState:
    """What the host's page shows for a link: the visit and whether it can still be answered."""

    visit: SchoolVisit
    problem: str  # "" (answer it), "answered", "expired" or "cancelled"


def find_visit(*, token: str) -> SchoolVisit:
    """The visit behind a host link, with what its page shows. Raises UnknownLink."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise UnknownLink(_("Deze link kennen we niet."))
    digest = planning.host_token_hash(token)
    visit = (
        SchoolVisit.objects.select_related(
            "activity__host", "location", "request__school", "request__teacher"
        )
        .prefetch_related("request__groups")
        .filter(host_token_hash=digest)
        .first()
    )
    # The lookup matched the digest already; compare again in constant time all the same.
    if visit is None or not hmac.compare_digest(visit.host_token_hash, digest):
        raise UnknownLink(_("Deze link kennen we niet."))
    return visit


def link_state(*, token: str, now: datetime | None = None) -> LinkState:
    """The visit behind a link and why it cannot be answered, if so. Raises UnknownLink."""
    visit = find_visit(token=token)
    return LinkState(visit=visit, problem=_problem(visit, now or timezone.now()))


def _problem(visit: SchoolVisit, now: datetime) -> str:
    if visit.host_answered_at is not None:
        return "answered"
    if visit.status != SchoolVisit.Status.PLANNED:
        return "cancelled"
    if visit.host_link_expires_at is None or visit.host_link_expires_at <= now:
        return "expired"
    return ""


def answer(*, token: str, accept: bool, reason: str = "", now: datetime | None = None):
    """The host confirms (``accept``) or declines (with an optional ``reason``) a planned visit.

    Confirm: the visit and the request confirmed, the teacher mailed ``school_visit_confirmed``.
    Decline: the visit declined with the reason, the request back to requested for another
    slot, the coordinators mailed ``school_host_declined``. Both audited; the link is used up.
    Raises UnknownLink for a link no visit has, LinkRefused when it was answered before, has
    expired or the visit is no longer planned (cancelled), planning.PlanningBusy after a bounded
    wait.
    """
    now = now or timezone.now()
    visit_id = find_visit(token=token).pk
    with transaction.atomic(durable=True):
        # An answer racing a cancellation or a second click: the activity's row, then the visit.
        with busy_after(planning.LOCK_TIMEOUT, refusal=planning.PlanningBusy):
            activity_id = SchoolVisit.objects.values_list("activity_id", flat=True).get(pk=visit_id)
            SchoolActivity.objects.select_for_update(no_key=True).get(pk=activity_id)
            visit = (
                SchoolVisit.objects.select_for_update(of=("self", "request"))
                .select_related("request__teacher", "activity__host_contact")
                .get(pk=visit_id)
            )
        problem = _problem(visit, now)
        if problem:
            raise LinkRefused(_REFUSALS[problem], reason=problem, visit=visit)
        school_request = visit.request
        host = visit.activity.host_contact
        visit.host_answered_at = now
        if accept:
            visit.status = SchoolVisit.Status.CONFIRMED
            visit.save(update_fields=["status", "host_answered_at", "updated_at"])
            school_request.status = SchoolRequest.Status.CONFIRMED
            school_request.save(update_fields=["status", "updated_at"])
            audit.record(
                action="school_visit.confirmed", target=school_request, actor=host, visit=visit.pk
            )
            planning.mail_confirmation(visit=visit, school_request=school_request)
        else:
            visit.status = SchoolVisit.Status.DECLINED
            visit.host_decline_reason = reason.strip()[:500]
            visit.save(
                update_fields=["status", "host_answered_at", "host_decline_reason", "updated_at"]
            )
            school_request.status = SchoolRequest.Status.REQUESTED
            school_request.save(update_fields=["status", "updated_at"])
            audit.record(
                action="school_visit.declined", target=school_request, actor=host, visit=visit.pk
            )
            for coordinator in User.objects.school_coordinators():
                outbox.queue_for(
                    coordinator,
                    template="school_host_declined",
                    context={"school_visit_id": visit.pk},
                )
    return visit


_REFUSALS = {
    "answered": _("Dit bezoek is al beantwoord."),
    "expired": _("Deze link is verlopen. Neem contact op met de hub."),
    "cancelled": _("Dit bezoek gaat niet meer door."),
}
