"""The seat rules and the one lock protocol every change to seats or enrolments follows.

An offering (``Offering``) has ``capacity`` seats; ``confirmed_count`` is the number taken by
confirmed enrolments and ``reserved_count`` the number companies hold without names yet
(``SeatReservation``). Together they never exceed the capacity, whatever the concurrency, and a
learner holds at most one active enrolment per offering. Whoever changes any of them keeps to
this protocol:

1. **One durable transaction per service.** The public service opens
   ``transaction.atomic(durable=True)``; nothing below takes locks outside it.
2. **The offering's row first.** Inside it, before reading any count, status or waiting-list
   position it will act on, the service locks the offering's row with :func:`lock_offering`
   (``SELECT … FOR NO KEY UPDATE``: inserting an enrolment that only references the offering is
   not blocked, changing the offering is). Several offerings: :func:`lock_offerings`, always in
   primary-key order, so two services locking the same offerings wait for each other instead of
   deadlocking.
3. **Then the enrolment or reservation rows**, only those it changes, read again under the
   offering's lock (:func:`lock_enrolment` does 2 and 3 for one enrolment). Because every
   writer holds the offering first, whatever it read cannot change until it commits: a
   rejection racing a cancellation, or an approval racing a cancellation, is decided by who
   locks the offering first, and the other sees the result.
4. **Bounded waits.** A lock is waited for at most ``LOCK_TIMEOUT``; a timeout becomes
   :class:`OfferingBusy` ("busy, try again"), never an error page.
5. **The database as last line of defence.** A partial unique index (one active enrolment per
   learner and offering) and check constraints back the rules. A service maps only the violation it
   expects, by constraint name (``technohub.errors.violated_constraint``), for example a double
   click that slipped past its check, and lets any other propagate: an unexpected violation
   (an overbooking) is a bug to see, not a message to hide.

Who takes the lock: enrolling, enrolling a team, reserving seats, naming people for them and
releasing them, approving, rejecting, cancelling an enrolment or an offering, moving
participants, reminders and messages sent by hand, promoting from the waiting list and
enrolling by e-mail address by the hub, attendance and completing an offering
(``enrolment.services``), the admin's capacity check (``catalogue.admin``), and publishing a
run made from a proposal, which turns pledges into reservations (``companies.proposals``).
No slow I/O (SMTP, PDF rendering) happens while it is held: mail goes to the outbox and is sent
after commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery

from catalogue.models import Meeting, Offering
from technohub.errors import DomainError, busy_after

from .models import Enrolment

LOCK_TIMEOUT = "3s"
CANCELLATION_NOTICE = timedelta(days=7)


class OfferingBusy(DomainError):
    """The offering was locked by others for too long; trying again a moment later works."""


def cancellation_deadline(*, offering: Offering, first_starts_at: datetime) -> datetime:
    """Until when a learner may cancel, and a freed seat goes to the waiting list: the offering's
    own deadline, else a week before it starts."""
    return offering.cancellation_deadline or first_starts_at - CANCELLATION_NOTICE


def reservation_deadline(*, offering: Offering, first_starts_at: datetime) -> datetime:
    """Until when a company names people for the seats it reserved; its unnamed seats are
    released then: the offering's own reservation deadline, else its cancellation deadline."""
    return offering.reservation_deadline or cancellation_deadline(
        offering=offering, first_starts_at=first_starts_at
    )


def may_leave(*, status: str, deadline: datetime | None, now: datetime) -> bool:
    """Whether a learner may end their own enrolment online now.

    Only a confirmed seat is bound to the cancellation deadline: a place on the waiting list or
    a request awaiting HR holds no seat, so its learner may withdraw it at any time.
    """
    if status in (Enrolment.Status.WAITLISTED, Enrolment.Status.REQUESTED):
        return True
    return status == Enrolment.Status.CONFIRMED and deadline is not None and now < deadline


def lock_offering(offering_id: int) -> Offering:
    """Lock the offering's row for the rest of the transaction and return it, fresh.

    The offering comes with its course and ``first_starts_at`` (its first meeting's start).
    Waits at most ``LOCK_TIMEOUT``. Raises OfferingBusy after that, Offering.DoesNotExist for
    an unknown id. Must be called inside ``transaction.atomic``.
    """
    # A scalar subquery, not an aggregate: row locks do not mix with GROUP BY.
    first_meeting_start = (
        Meeting.objects.filter(offering=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    with busy_after(LOCK_TIMEOUT, refusal=OfferingBusy):
        return (
            Offering.objects.select_for_update(no_key=True, of=("self",))
            .select_related("course")
            .annotate(first_starts_at=Subquery(first_meeting_start))
            .get(pk=offering_id)
        )


def lock_offerings(offering_ids) -> dict[int, Offering]:
    """Lock several offerings in primary-key order (no deadlocks); return them by id."""
    return {pk: lock_offering(pk) for pk in sorted(set(offering_ids))}


def lock_enrolment(enrolment_id: int) -> tuple[Offering, Enrolment]:
    """Lock an enrolment's offering, then the enrolment itself, and return both as they are now.

    Raises Enrolment.DoesNotExist for an unknown id, OfferingBusy as :func:`lock_offering`.
    """
    # The offering of an enrolment never changes (moving makes a new enrolment), so it can be read
    # before the lock.
    offering_id = Enrolment.objects.values_list("offering_id", flat=True).get(pk=enrolment_id)
    offering = lock_offering(offering_id)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=enrolment_id)
    )
    return offering, enrolment
