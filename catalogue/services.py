"""Writes to the catalogue."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technohub import audit, page_cache
from technohub.errors import DomainError, busy_after

from .models import Course, Offering
from .search import search_document

# How long the go decision waits for a run another action holds (a cancellation, a booking).
GO_DECISION_LOCK_TIMEOUT = "3s"


class GoDecisionRefused(DomainError):
    """The run can no longer be declared to go ahead: it is not open (any more)."""


def refresh_search_vectors(*, course_ids: Iterable[int] | None = None) -> int:
    """Recompute the full-text document of the given courses (all when None).

    Call after a course's texts or themes change, or after a theme is renamed.
    Returns the number of courses updated.
    """
    courses = Course.objects.all()
    if course_ids is not None:
        courses = courses.filter(pk__in=list(course_ids))
    page_cache.invalidate()
    return courses.update(search_vector=search_document())


def decide_offering_goes(*, offering_id: int, actor, now: datetime | None = None) -> Offering:
    """Record that an open run below its minimum goes ahead anyway (the go of go/no-go).

    Sets ``go_decided_at`` and ``go_decided_by`` and writes an ``offering.go_decided`` audit row;
    the run then leaves the start page's go/no-go list. Deciding again changes nothing and
    writes no second row. Raises GoDecisionRefused when the run is not open (cancelled or
    completed meanwhile) or another action holds it too long; Offering.DoesNotExist for an
    unknown id.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # The row lock orders this decision against a cancellation of the same run: whichever
        # comes second sees the other's result.
        with busy_after(GO_DECISION_LOCK_TIMEOUT, refusal=GoDecisionRefused):
            offering = (
                Offering.objects.select_for_update(no_key=True)
                .select_related("course")
                .get(pk=offering_id)
            )
        if offering.status != Offering.Status.OPEN:
            raise GoDecisionRefused(
                _("Deze uitvoering is %(status)s; er valt niets meer te beslissen.")
                % {"status": offering.get_status_display()}
            )
        if offering.go_decided_at is not None:
            return offering
        offering.go_decided_at = now
        offering.go_decided_by = actor
        offering.save(update_fields=["go_decided_at", "go_decided_by", "updated_at"])
        audit.record(
            action="offering.go_decided",
            target=offering,
            actor=actor,
            confirmed=offering.confirmed_count,
            minimum=offering.min_participants,
        )
    return offering
