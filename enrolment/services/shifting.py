"""Shifting a whole offering ("Uitvoering verschuiven"): every meeting, the enrolment window and
the deadlines N days earlier or later, with one change mail to each of its people."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Meeting, Offering
from technohub import audit, page_cache

from ..seats import lock_offering
from .enrolling import EnrolmentRefused
from .offerings import _announce_to_people

MAX_SHIFT_DAYS = 365
# The offering's own moments that move along with its meetings.
SHIFTED_FIELDS = (
    "enrolment_opens_at",
    "enrolment_closes_at",
    "cancellation_deadline",
    "reservation_deadline",
)


def _shifted(moment: datetime | None, days: int) -> datetime | None:
    """``days`` days off at the same local wall-clock time, across a DST change too."""
    if moment is None:
        return None
    return timezone.localtime(moment) + timedelta(days=days)


def _check_shift(offering: Offering, meetings: list[Meeting], days: int, *, now: datetime) -> None:
    if not days or abs(days) > MAX_SHIFT_DAYS:
        raise EnrolmentRefused(
            _("Kies een aantal dagen van 1 tot en met %(max)s.") % {"max": MAX_SHIFT_DAYS}
        )
    if offering.status in (Offering.Status.CANCELLED, Offering.Status.COMPLETED):
        raise EnrolmentRefused(
            _("Een geannuleerde of afgeronde uitvoering kan niet meer verschuiven.")
        )
    if not meetings:
        raise EnrolmentRefused(_("Deze uitvoering heeft nog geen bijeenkomsten."))
    if meetings[0].starts_at <= now:
        raise EnrolmentRefused(
            _("Deze uitvoering is al begonnen; verplaats losse bijeenkomsten op haar pagina.")
        )
    if _shifted(meetings[0].starts_at, days) <= now:
        raise EnrolmentRefused(_("Zoveel dagen eerder ligt de eerste bijeenkomst in het verleden."))


def shift_offering(*, offering_id: int, days: int, actor, now: datetime | None = None) -> int:
    """Move an offering ``days`` days later (negative: earlier), everything at once.

    Every meeting moves (same local time of day, its UID kept), and so do the enrolment window,
    the cancellation deadline and the reservation deadline when set. When the offering is open
    and has people, each of them gets one ``offering_changed`` mail (seat holders with a
    calendar file that moves the meetings). Audits ``offering.shifted`` (days, mails), and
    ``offering.meetings_changed`` when people were mailed.
    Returns how many mails were queued.
    Raises EnrolmentRefused (0 or more than 365 days, cancelled or completed, no meetings,
    already started, or a first meeting that would lie in the past) or OfferingBusy.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # The lock keeps enrolments and cancellations out while the dates move and the mails to
        # everyone in the offering are written: who is mailed is who is in it at commit.
        offering = lock_offering(offering_id)
        meetings = list(offering.meetings.order_by("starts_at"))
        _check_shift(offering, meetings, days, now=now)
        for meeting in meetings:
            meeting.starts_at = _shifted(meeting.starts_at, days)
            meeting.ends_at = _shifted(meeting.ends_at, days)
        Meeting.objects.bulk_update(meetings, ["starts_at", "ends_at"])
        for name in SHIFTED_FIELDS:
            setattr(offering, name, _shifted(getattr(offering, name), days))
        offering.save(update_fields=[*SHIFTED_FIELDS, "updated_at"])
        page_cache.invalidate()
        mailed = _announce_to_people(offering, actor=actor, removed=[], now=now)
        audit.record(
            action="offering.shifted", target=offering, actor=actor, days=days, mails=mailed
        )
        return mailed
