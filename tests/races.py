"""Many people clicking at once: offering actions in real threads against PostgreSQL."""

import threading
from collections.abc import Callable

from django.db import connection
from django.db.models import Sum

from catalogue.models import Offering
from enrolment import services
from enrolment.models import Enrolment, SeatReservation


def race(actions: list[Callable[[], object]]) -> list[object]:
    """Run every action in its own thread, all released at the same moment.

    Returns each action's result or the exception it raised. A "busy, try again" answer is
    retried, as the person would.
    """
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def offering(index: int, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            for _attempt in range(5):
                try:
                    results[index] = action()
                    break
                except services.OfferingBusy as busy:
                    results[index] = busy
        except Exception as error:  # recorded and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=offering, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def assert_offering_is_consistent(offering: Offering) -> None:
    """Seats never overbooked, the counters true, no free seat while someone waits, no gaps."""
    offering.refresh_from_db()
    confirmed = Enrolment.objects.filter(offering=offering, status="confirmed").count()
    reserved = (
        SeatReservation.objects.filter(offering=offering).aggregate(seats=Sum("seats"))["seats"]
        or 0
    )
    positions = sorted(
        Enrolment.objects.filter(offering=offering, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert offering.confirmed_count == confirmed
    assert offering.reserved_count == reserved
    assert confirmed + reserved <= offering.capacity
    assert positions == list(range(1, len(positions) + 1))
    if positions:
        assert confirmed + reserved == offering.capacity


def statuses(offering) -> dict[str, tuple[str, int | None]]:
    """Each active learner's (status, waiting-list position) in an offering, by email."""
    return {
        email: (status, position)
        for email, status, position in Enrolment.objects.filter(
            offering=offering, status__in=Enrolment.ACTIVE_STATUSES
        ).values_list("learner__email", "status", "waitlist_position")
    }
