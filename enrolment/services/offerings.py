"""The programme manager's work on whole offerings: moving people, duplicating, reminding now.

These follow the lock protocol of ``enrolment.seats``: every service opens one durable
transaction, locks the offering(s) it counts seats of, and writes its mail to the outbox in that
same transaction. (Cancelling an offering is ``enrolling.cancel_offering``.)
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, Value, When
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from catalogue import calendar
from catalogue.models import Meeting, Offering
from technohub import audit

from .. import outbox
from ..emails import WITH_CALENDAR
from ..models import Enrolment, Notification
from ..seats import lock_offering, lock_offerings
from .enrolling import (
    ACTIVE,
    EnrolmentRefused,
    _leave,
    _promote_waitlist,
    _take_seat_or_wait,
    closed_run_company,
)

MAX_DUPLICATE_WEEKS = 52

# The order moved people line up in at the target: seat holders first, then the waiting list
# in its order, then requests oldest first.
_MOVE_ORDER = Case(
    When(status=Enrolment.Status.CONFIRMED, then=Value(0)),
    When(status=Enrolment.Status.WAITLISTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass
class MoveResult:
    """What ``move_enrolments`` did: the new enrolments by outcome, and who was left alone.

    ``confirmed``, ``waitlisted`` and ``requested`` hold the learners' new enrolments in the
    target offering; ``already_enrolled`` the old enrolments of learners who were already active
    in the target (they stay where they were); ``promoted`` the source offering's waiting-list
    entries that got a freed seat.
    """

    confirmed: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)
    requested: list[Enrolment] = field(default_factory=list)
    already_enrolled: list[Enrolment] = field(default_factory=list)
    promoted: list[Enrolment] = field(default_factory=list)

    @property
    def moved(self) -> list[Enrolment]:
        return [*self.confirmed, *self.waitlisted, *self.requested]


def _local_date_text(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _offering_label(offering: Offering) -> str:
    """An offering as people tell them apart: location and first date."""
    return f"{offering.location.localized('name')}, {_local_date_text(offering.first_starts_at)}"


def _check_move_target(source: Offering, target: Offering, *, now: datetime) -> None:
    if target.pk == source.pk:
        raise EnrolmentRefused(_("Kies een andere uitvoering dan de huidige."))
    if target.course_id != source.course_id:
        raise EnrolmentRefused(
            _("Deelnemers kunnen alleen naar een uitvoering van dezelfde cursus.")
        )
    if target.status != Offering.Status.OPEN:
        raise EnrolmentRefused(_("De gekozen uitvoering staat niet open."))
    if target.first_starts_at is None or target.first_starts_at <= now:
        raise EnrolmentRefused(_("De gekozen uitvoering is al begonnen of voorbij."))


def move_enrolments(
    *,
    enrolment_ids: list[int],
    to_offering_id: int,
    actor,
    now: datetime | None = None,
) -> MoveResult:
    """Move participants of one offering to another offering of the same course.

    Preconditions: the enrolments belong to one offering; the target is open, of the same course
    and has not started. Inactive enrolments among ``enrolment_ids`` are ignored.
    Each moved confirmed or waitlisted learner takes a free seat in the target, or else joins
    the end of its waiting list, in the order they held in the old offering (seat holders first,
    then the waiting list by position). A request awaiting HR's approval stays a request: the
    move does not approve it on HR's behalf. Learners already active in the target are left
    where they are and reported. Each old enrolment ends as cancelled with the reason
    "verplaatst naar …"; seats it frees go to the old offering's waiting list (before its
    cancellation deadline). Mails each moved learner (``enrolment_moved``; promoted learners
    get ``enrolment_promoted``) and audits ``enrolment.moved`` on old and new enrolment.
    Into a closed run (``private_for``) only its companies' employees move, paid by that company
    at the run's agreed price; anyone else refuses the whole move.
    Raises EnrolmentRefused (bad target, several source offerings, someone not of a closed
    target's companies) or OfferingBusy.
    """
    now = now or timezone.now()
    source_ids = set(
        Enrolment.objects.filter(pk__in=enrolment_ids).values_list("offering_id", flat=True)
    )
    if not source_ids:
        raise EnrolmentRefused(_("Kies ten minste één deelnemer."))
    if len(source_ids) > 1:
        raise EnrolmentRefused(_("Kies deelnemers van één uitvoering tegelijk."))
    (source_id,) = source_ids
    result = MoveResult()
    with transaction.atomic(durable=True):
        # Both offerings are locked, in primary-key order so that a move the other way round waits
        # instead of deadlocking: the seats counted below cannot change until we commit.
        locked = lock_offerings({source_id, to_offering_id})
        source, target = locked[source_id], locked[to_offering_id]
        _check_move_target(source, target, now=now)
        target_label = _offering_label(target)
        source_first = source.first_starts_at
        leaving = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(pk__in=enrolment_ids, offering=source, status__in=ACTIVE)
            .select_related("learner")
            .annotate(move_order=_MOVE_ORDER)
            .order_by("move_order", "waitlist_position", "status_changed_at", "pk")
        )
        in_target = set(
            Enrolment.objects.filter(
                offering=target,
                learner__in=[enrolment.learner_id for enrolment in leaving],
                status__in=ACTIVE,
            ).values_list("learner_id", flat=True)
        )
        # A closed run takes only its companies' people, paid by that company at its price.
        closed_for = list(target.private_for.values_list("pk", flat=True))
        payers = {}
        for old in leaving:
            if closed_for and old.learner_id not in in_target:
                payers[old.pk] = closed_run_company(
                    offering=target, learner=old.learner, company=old.company
                )
        freed_seat = False
        for old in leaving:
            if old.learner_id in in_target:
                result.already_enrolled.append(old)
                continue
            freed_seat = freed_seat or old.status == Enrolment.Status.CONFIRMED
            was_request = old.status == Enrolment.Status.REQUESTED
            if old.status == Enrolment.Status.WAITLISTED:
                # Moving someone ahead in this line has moved this one up since we read it.
                old.refresh_from_db(fields=["waitlist_position"])
            _leave(
                old,
                status=Enrolment.Status.CANCELLED,
                reason=_("verplaatst naar %(offering)s") % {"offering": target_label},
            )
            new = Enrolment(
                offering=target,
                learner=old.learner,
                enrolled_by_id=old.enrolled_by_id,
                company_id=payers[old.pk].pk if closed_for else old.company_id,
                price_excl_vat=target.price_excl_vat if closed_for else old.price_excl_vat,
                vat_rate=old.vat_rate,
            )
            if was_request:
                new.status = Enrolment.Status.REQUESTED
                new.save()
                result.requested.append(new)
            else:
                _take_seat_or_wait(target, new)
                if new.status == Enrolment.Status.CONFIRMED:
                    result.confirmed.append(new)
                else:
                    result.waitlisted.append(new)
            with translation.override(old.learner.preferred_language):
                from_date = _local_date_text(source_first)
            outbox.queue_for(
                old.learner,
                template="enrolment_moved",
                enrolment=new,
                context={
                    "from_date": from_date,
                    "from_offering": source.pk,
                    "position": new.waitlist_position,
                },
            )
            details = {"from_offering": source.pk, "to_offering": target.pk, "status": new.status}
            audit.record(
                action="enrolment.moved", target=old, actor=actor, to_enrolment=new.pk, **details
            )
            audit.record(
                action="enrolment.moved", target=new, actor=actor, from_enrolment=old.pk, **details
            )
        if freed_seat and source.first_starts_at is not None:
            result.promoted = _promote_waitlist(source, now=now)
    return result


def _shift(moment: datetime | None, weeks: int) -> datetime | None:
    """``weeks`` weeks later at the same local wall-clock time, across a DST change too."""
    if moment is None:
        return None
    # Aware arithmetic in the local zone keeps the wall-clock time; the offset is recomputed.
    return timezone.localtime(moment) + timedelta(weeks=weeks)


def duplicate_offering(*, offering_id: int, weeks: int, actor) -> Offering:
    """A new concept offering of the same course, ``weeks`` weeks after the given one.

    Copies course, location, capacity, minimum, instructor and, for a closed run, its companies
    and agreed price; every meeting is shifted by
    ``weeks`` weeks (same local time of day), and so are the enrolment window and the
    cancellation deadline when they are set. Copies no enrolments, notes or cancellation
    reason. Audits ``offering.duplicated``. Returns the new offering.
    Raises EnrolmentRefused when ``weeks`` is not 1..52.
    """
    if not 1 <= weeks <= MAX_DUPLICATE_WEEKS:
        raise EnrolmentRefused(
            _("Kies een aantal weken van 1 tot en met %(max)s.") % {"max": MAX_DUPLICATE_WEEKS}
        )
    with transaction.atomic(durable=True):
        source = Offering.objects.get(pk=offering_id)
        copy = Offering.objects.create(
            course_id=source.course_id,
            location_id=source.location_id,
            status=Offering.Status.CONCEPT,
            capacity=source.capacity,
            min_participants=source.min_participants,
            instructor=source.instructor,
            enrolment_opens_at=_shift(source.enrolment_opens_at, weeks),
            enrolment_closes_at=_shift(source.enrolment_closes_at, weeks),
            cancellation_deadline=_shift(source.cancellation_deadline, weeks),
            # A closed run's copy is closed for the same companies, at the same agreed price.
            agreed_price_excl_vat=source.agreed_price_excl_vat,
        )
        copy.private_for.set(source.private_for.all())
        Meeting.objects.bulk_create(
            Meeting(
                offering=copy,
                starts_at=_shift(meeting.starts_at, weeks),
                ends_at=_shift(meeting.ends_at, weeks),
                topic=meeting.topic,
                topic_en=meeting.topic_en,
            )
            for meeting in source.meetings.order_by("starts_at")
        )
        audit.record(
            action="offering.duplicated",
            target=copy,
            actor=actor,
            from_offering=source.pk,
            weeks=weeks,
        )
        return copy


def send_reminder_now(*, offering_id: int, actor, now: datetime | None = None) -> int:
    """Queue the reminder mail for every confirmed learner of an open offering, right now.

    The mail says how many calendar days are left until the first meeting (at least 0).
    The dedupe key ``reminder:manual:<enrolment>:<date>`` makes a second click on the same
    day send nothing new. Audits ``offering.reminded``. Returns how many mails were queued.
    Raises EnrolmentRefused when the offering is not open or has started, or OfferingBusy.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic(durable=True):
        # The lock keeps a cancellation from ending enrolments while we mail their learners.
        offering = lock_offering(offering_id)
        if offering.status != Offering.Status.OPEN:
            raise EnrolmentRefused(_("Herinneringen gaan alleen naar een open uitvoering."))
        if offering.first_starts_at is None or offering.first_starts_at <= now:
            raise EnrolmentRefused(_("Deze uitvoering is al begonnen of voorbij."))
        days = max((timezone.localdate(offering.first_starts_at) - today).days, 0)
        confirmed = Enrolment.objects.filter(
            offering=offering, status=Enrolment.Status.CONFIRMED
        ).select_related("learner")
        # A learner reminded by hand today already is not mailed twice.
        written = sum(
            outbox.queue_once_for(
                enrolment.learner,
                template="enrolment_reminder",
                enrolment=enrolment,
                context={"days": days},
                dedupe_key=f"reminder:manual:{enrolment.pk}:{today.isoformat()}",
            )
            for enrolment in confirmed.order_by("pk")
        )
        audit.record(action="offering.reminded", target=offering, actor=actor, mails=written)
        return written


def changes_reach_people(offering: Offering, *, now: datetime) -> bool:
    """Whether a change to the offering's meetings or place is announced to its people: the
    offering is open and its last meeting has not ended. Concept, cancelled and completed
    offerings, and those that are over, tell nobody."""
    if offering.status != Offering.Status.OPEN:
        return False
    last_end = offering.meetings.order_by("-ends_at").values_list("ends_at", flat=True).first()
    return last_end is None or last_end > now


def count_people_to_tell(*, offerings: list[Offering], now: datetime) -> dict[int, int]:
    """Per offering, how many change mails a change now would write (two queries in all):
    :func:`people_to_tell` of each offering whose changes reach people, else 0."""
    ids = [offering.pk for offering in offerings]
    last_ends = dict(
        Meeting.objects.filter(offering__in=ids)
        .values("offering")
        .annotate(last_end=Max("ends_at"))
        .values_list("offering", "last_end")
    )
    people = dict(
        Enrolment.objects.filter(offering__in=ids, status__in=ACTIVE)
        .values("offering")
        .annotate(count=Count("pk"))
        .values_list("offering", "count")
    )
    return {
        offering.pk: people.get(offering.pk, 0)
        if offering.status == Offering.Status.OPEN
        and (last_ends.get(offering.pk) is None or last_ends[offering.pk] > now)
        else 0
        for offering in offerings
    }


def people_to_tell(offering: Offering):
    """Everyone a change to the offering is announced to: all active enrolments.

    Who holds a seat gets the calendar update; who waits (waiting list, a request at HR) hears
    of the new dates too, for they may yet get a seat.
    """
    return (
        Enrolment.objects.filter(offering=offering, status__in=ACTIVE)
        .select_related("learner")
        .order_by("pk")
    )


def _next_sequences(enrolments: list[Enrolment], *, now: datetime) -> dict[int, int]:
    """Per enrolment, a calendar SEQUENCE above every one its learner was sent for it.

    Usually the moment of writing (``calendar.sequence_at``) is already higher; two mails
    within a second of each other still rise by one.
    """
    sent: dict[int, int] = {}
    earlier = Notification.objects.filter(
        enrolment__in=enrolments, template__in=list(WITH_CALENDAR)
    ).values_list("enrolment_id", "created_at", "context")
    for enrolment_id, created_at, context in earlier:
        sequence = (context or {}).get("sequence") or calendar.sequence_at(created_at)
        sent[enrolment_id] = max(sent.get(enrolment_id, 0), sequence)
    written = calendar.sequence_at(now)
    return {enrolment.pk: max(written, sent.get(enrolment.pk, -1) + 1) for enrolment in enrolments}


def _removed_meeting_data(removed) -> list[dict]:
    return [
        {
            "id": meeting.pk,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
        }
        for meeting in removed
    ]


def _announce_to_people(offering: Offering, *, actor, removed: list[dict], now: datetime) -> int:
    """Mail each active learner of a locked offering once about its changes; audit it."""
    if not changes_reach_people(offering, now=now):
        return 0
    people = list(people_to_tell(offering))
    sequences = _next_sequences(people, now=now)
    for enrolment in people:
        seated = enrolment.status == Enrolment.Status.CONFIRMED
        outbox.queue_for(
            enrolment.learner,
            template="offering_changed",
            enrolment=enrolment,
            context={
                # Only who holds a seat has the meetings in a calendar to update.
                "seated": seated,
                "removed_meetings": removed if seated else [],
                "sequence": sequences[enrolment.pk],
            },
        )
    audit.record(
        action="offering.meetings_changed",
        target=offering,
        actor=actor,
        mails=len(people),
        removed=len(removed),
    )
    return len(people)


def announce_meeting_changes(
    *, offering_id: int, actor, removed: list[Meeting] = (), now: datetime | None = None
) -> int:
    """Mail every active learner of an open offering, once, that its meetings or place changed.

    Called after the programme manager moved, added or removed meetings, or changed the
    location, in the same transaction as that change (the admin's save). The mail
    (``offering_changed``) lists the meetings as they are now; who holds a seat gets a calendar
    file that moves them (the meetings' own UIDs, a SEQUENCE above any sent before) and one
    that cancels the ``removed`` meetings (no longer in the database). Who waits (waiting list,
    request) is told without a calendar file. Nothing is sent for an offering that is not open
    or has ended (:func:`changes_reach_people`). Audits ``offering.meetings_changed``.
    Returns how many mails were queued. Raises OfferingBusy.
    """
    now = now or timezone.now()
    # Not durable: the admin saves the meetings and calls this in one transaction of its own,
    # so the mails commit with the change of the meetings or not at all.
    with transaction.atomic():
        # The lock keeps a cancellation or move from ending enrolments while we mail them.
        offering = lock_offering(offering_id)
        return _announce_to_people(
            offering, actor=actor, removed=_removed_meeting_data(removed), now=now
        )


def fill_added_seats(*, offering_id: int, actor, now: datetime | None = None) -> list[Enrolment]:
    """After the programme manager raised an offering's capacity: the new seats go to the first
    on the waiting list, until the offering starts (the cancellation deadline does not hold
    back seats added on purpose).

    Not durable: the admin saves the capacity and calls this in its one transaction, whose
    form already holds the offering's lock; taking it again here is a no-op. Promoted learners
    get ``enrolment_promoted`` with their calendar file and an audit row. Returns them, in
    waiting-list order. Raises OfferingBusy.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The lock orders this against enrolments racing for the new seats: they wait, then
        # find the line already moved up.
        offering = lock_offering(offering_id)
        if offering.status != Offering.Status.OPEN or offering.first_starts_at is None:
            return []
        return _promote_waitlist(offering, now=now, until_start=True, actor=actor)


MESSAGE_SUBJECT_MAX = 150
MESSAGE_BODY_MAX = 5000


def mail_participants(
    *,
    offering_id: int,
    actor,
    subject: str,
    body: str,
    include_waitlist: bool = False,
) -> int:
    """Mail the programme manager's own message to the participants of an offering.

    Goes to every confirmed learner, and with ``include_waitlist`` also to those on the waiting
    list; each gets one mail (``offering_message``) in their language, in the hub's frame, with
    ``subject`` and ``body`` exactly as typed (escaped in the HTML part). Audits
    ``offering.messaged`` with the number of mails. Returns how many mails were queued.
    Raises EnrolmentRefused (empty or too long subject or body, a cancelled offering) or
    OfferingBusy.
    """
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise EnrolmentRefused(_("Vul een onderwerp en een bericht in."))
    if len(subject) > MESSAGE_SUBJECT_MAX or len(body) > MESSAGE_BODY_MAX:
        raise EnrolmentRefused(_("Het onderwerp of het bericht is te lang."))
    statuses = [Enrolment.Status.CONFIRMED]
    if include_waitlist:
        statuses.append(Enrolment.Status.WAITLISTED)
    with transaction.atomic(durable=True):
        # The lock keeps a cancellation or move from ending enrolments while we mail them.
        offering = lock_offering(offering_id)
        if offering.status == Offering.Status.CANCELLED:
            raise EnrolmentRefused(_("Deze uitvoering is geannuleerd."))
        recipients = Enrolment.objects.filter(
            offering=offering, status__in=statuses
        ).select_related("learner")
        written = 0
        for enrolment in recipients.order_by("pk"):
            outbox.queue_for(
                enrolment.learner,
                template="offering_message",
                enrolment=enrolment,
                context={"subject": subject, "body": body},
            )
            written += 1
        audit.record(
            action="offering.messaged",
            target=offering,
            actor=actor,
            mails=written,
            include_waitlist=include_waitlist,
        )
        return written
