"""Signing up, the waiting list, cancelling: the seat rules every other service builds on.

Capacity is guarded the pretix way: each public service opens one durable transaction, locks the
offering's row (``FOR NO KEY UPDATE``, so enrolment inserts that only reference the offering are not
blocked) as late as possible but before counting, re-reads the seat counter under the lock, then
writes or refuses. The counter's check constraint (confirmed ≤ capacity) and the partial unique
index (one active enrolment per learner and offering) are the last line of defence. Mail is written
to the outbox inside the same transaction.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from catalogue.models import Offering
from companies.accounts.tokens import first_password_tokens
from companies.models import Company, Membership, User
from technohub import audit, page_cache
from technohub.errors import DomainError, violated_constraint

from .. import outbox
from ..models import Enrolment, SeatReservation
from ..seats import (
    cancellation_deadline,
    lock_enrolment,
    lock_offering,
    lock_offerings,
    may_leave,
)
from .request_mail import queue_request_mails

ACTIVE = Enrolment.ACTIVE_STATUSES


class EnrolmentRefused(DomainError):
    """The enrolment or cancellation is not allowed; the message says why."""


def _check_open_for_enrolment(offering: Offering, *, now: datetime) -> None:
    if offering.status != Offering.Status.OPEN or not offering.course.is_published:
        raise EnrolmentRefused(_("Voor deze uitvoering kun je je niet (meer) inschrijven."))
    if offering.first_starts_at is None or offering.first_starts_at <= now:
        raise EnrolmentRefused(_("Deze uitvoering is al begonnen of voorbij."))
    if offering.enrolment_opens_at and now < offering.enrolment_opens_at:
        opens = formats.date_format(timezone.localtime(offering.enrolment_opens_at), "j F Y")
        raise EnrolmentRefused(_("De inschrijving opent op %(date)s.") % {"date": opens})
    if now >= (offering.enrolment_closes_at or offering.first_starts_at):
        raise EnrolmentRefused(_("De inschrijving voor deze uitvoering is gesloten."))


def _closed_run_companies(offering: Offering) -> list[Company]:
    """The companies a closed run is for; empty for a run open to everyone."""
    return list(offering.private_for.order_by("name"))


def closed_run_company(*, offering: Offering, learner, company: Company | None) -> Company | None:
    """The company that pays for ``learner`` in ``offering``: ``company`` (default: the
    learner's first employer) for a public run; for a closed run the one of its companies the
    learner works for (``company`` when it is one of them).
    Raises EnrolmentRefused when the run is closed to everyone the learner works for."""
    companies = _closed_run_companies(offering)
    if not companies:
        return company or paying_company(learner)
    allowed = {c.pk: c for c in companies}
    employers = list(
        Membership.objects.filter(user=learner, company_id__in=allowed)
        .order_by("pk")
        .values_list("company_id", flat=True)
    )
    if company is not None and company.pk in employers:
        return company
    if employers:
        return allowed[employers[0]]
    raise EnrolmentRefused(_closed_refusal(companies), field="email")


def _closed_refusal(companies: list[Company]) -> str:
    return _(
        "Dit is een besloten uitvoering voor %(companies)s: alleen hun medewerkers kunnen meedoen."
    ) % {"companies": ", ".join(company.name for company in companies)}


def check_company_may_book(*, offering: Offering, company: Company) -> None:
    """Raises EnrolmentRefused when ``offering`` is a closed run not for ``company``."""
    companies = _closed_run_companies(offering)
    if companies and company.pk not in {c.pk for c in companies}:
        raise EnrolmentRefused(_closed_refusal(companies))


def _waitlist_length(offering: Offering) -> int:
    return Enrolment.objects.filter(offering=offering, status=Enrolment.Status.WAITLISTED).count()


def _take_seat_or_wait(offering: Offering, enrolment: Enrolment) -> None:
    """Confirm ``enrolment`` if a seat is free and nobody waits; else put it last in line.

    Call with the offering locked. Saves the enrolment and keeps the seat counter in step.
    """
    waiting = _waitlist_length(offering)
    if offering.seats_left > 0 and waiting == 0:
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.waitlist_position = None
        Offering.objects.filter(pk=offering.pk).update(confirmed_count=F("confirmed_count") + 1)
        offering.confirmed_count += 1
    else:
        enrolment.status = Enrolment.Status.WAITLISTED
        enrolment.waitlist_position = waiting + 1
    enrolment.status_changed_at = timezone.now()
    enrolment.save()


def paying_company(learner) -> Company | None:
    """The company a learner's enrolments are paid by: the first one they work for."""
    membership = (
        Membership.objects.filter(user=learner).select_related("company").order_by("pk").first()
    )
    return membership.company if membership else None


def enrol_learner(
    *,
    learner,
    offering_id: int,
    enrolled_by=None,
    company: Company | None = None,
    motivation: str = "",
    now: datetime | None = None,
) -> Enrolment:
    """Enrol ``learner`` in an offering: confirmed if a seat is free, else on the waiting list.

    When the paying company wants HR to approve its employees' own enrolments, the enrolment
    is ``requested``, holds no seat and keeps the learner's ``motivation`` (ignored otherwise);
    HR is mailed about it at once or in the next hourly bundle, as each HR member chose.
    ``enrolled_by`` is who acted (the learner by default).
    Writes the learner's mail to the outbox and an audit row.
    A closed run (``private_for``) takes only its companies' employees, paid by that company.
    Raises EnrolmentRefused (closed, past, cancelled offering; already enrolled; a closed run not
    for the learner's employer) or OfferingBusy.
    """
    now = now or timezone.now()
    enrolled_by = enrolled_by or learner
    try:
        with transaction.atomic(durable=True):
            # The lock serialises everyone enrolling in this offering: the seat count read below
            # cannot change until we commit, so two people never take the last seat.
            offering = lock_offering(offering_id)
            _check_open_for_enrolment(offering, now=now)
            company = closed_run_company(offering=offering, learner=learner, company=company)
            needs_approval = bool(company and company.requires_approval and enrolled_by == learner)
            if Enrolment.objects.filter(
                offering=offering, learner=learner, status__in=ACTIVE
            ).exists():
                raise EnrolmentRefused(_("Je bent al ingeschreven voor deze uitvoering."))
            enrolment = Enrolment(
                offering=offering,
                learner=learner,
                enrolled_by=enrolled_by,
                company=company,
                price_excl_vat=offering.price_excl_vat,
                vat_rate=offering.course.vat_rate,
            )
            if needs_approval:
                enrolment.status = Enrolment.Status.REQUESTED
                enrolment.motivation = motivation.strip()
                enrolment.save()
            else:
                _take_seat_or_wait(offering, enrolment)
            _announce(enrolment, actor=enrolled_by)
            if needs_approval:
                queue_request_mails(enrolment=enrolment)
            return enrolment
    except IntegrityError as error:
        # Only reachable if a write bypassed this service; the database kept the rule. Any
        # other violation is a bug and propagates.
        if violated_constraint(error) != "enrolment_one_active_per_learner":
            raise
        raise EnrolmentRefused(_("Je bent al ingeschreven voor deze uitvoering.")) from error


@dataclass
class TeamResult:
    """What ``enrol_team`` did for each learner, in the order they were given."""

    confirmed: list = field(default_factory=list)
    waitlisted: list = field(default_factory=list)
    already_enrolled: list = field(default_factory=list)


def enrol_team(
    *,
    hr_user,
    company: Company,
    offering_id: int,
    learners: list,
    all_or_nothing: bool = False,
    po_number: str = "",
    cost_centre: str = "",
    now: datetime | None = None,
) -> TeamResult:
    """HR enrols several employees in one offering at once, seats going in the order given.

    Learners already enrolled in the offering are left as they are. The rest get seats while they
    last and then join the waiting list; with ``all_or_nothing`` nobody is enrolled unless
    everyone gets a seat. HR's own enrolments need no approval. Each learner is mailed.
    ``po_number`` and ``cost_centre`` (the company's references for the invoice, optional) are
    stored on every enrolment made.
    Raises EnrolmentRefused (closed offering, a closed run not for ``company``, or not all fit)
    or OfferingBusy.
    """
    now = now or timezone.now()
    result = TeamResult()
    with transaction.atomic(durable=True):
        # One lock for the whole team: individual sign-ups wait until the team is placed.
        offering = lock_offering(offering_id)
        _check_open_for_enrolment(offering, now=now)
        check_company_may_book(offering=offering, company=company)
        active = set(
            Enrolment.objects.filter(
                offering=offering, learner__in=learners, status__in=ACTIVE
            ).values_list("learner_id", flat=True)
        )
        newcomers = [learner for learner in learners if learner.pk not in active]
        result.already_enrolled = [learner for learner in learners if learner.pk in active]
        free = 0 if _waitlist_length(offering) else offering.seats_left
        if all_or_nothing and len(newcomers) > free:
            raise EnrolmentRefused(
                _(
                    "Er zijn %(free)s plaatsen vrij voor %(count)s medewerkers. "
                    "Er is niemand ingeschreven."
                )
                % {"free": max(free, 0), "count": len(newcomers)}
            )
        for learner in newcomers:
            enrolment = Enrolment(
                offering=offering,
                learner=learner,
                enrolled_by=hr_user,
                company=company,
                price_excl_vat=offering.price_excl_vat,
                vat_rate=offering.course.vat_rate,
                po_number=po_number,
                cost_centre=cost_centre,
            )
            _take_seat_or_wait(offering, enrolment)
            _announce(enrolment, actor=hr_user)
            if enrolment.status == Enrolment.Status.CONFIRMED:
                result.confirmed.append(learner)
            else:
                result.waitlisted.append(learner)
    return result


def _announce(enrolment: Enrolment, *, actor) -> None:
    """Mail the learner the new state of their enrolment and write it to the audit log."""
    outbox.queue_for(
        enrolment.learner,
        template=f"enrolment_{enrolment.status}",
        enrolment=enrolment,
        context={"position": enrolment.waitlist_position},
    )
    audit.record(
        action=f"enrolment.{enrolment.status}",
        target=enrolment,
        actor=actor,
        position=enrolment.waitlist_position,
    )


def approve_requests(*, enrolment_ids: list[int], hr_user, now: datetime | None = None) -> list:
    """HR approves employees' requests: each takes a seat if free, else joins the waiting list.

    Requests that are no longer pending, or whose offering closed, are skipped and returned as
    refused. Offerings are locked in primary-key order, so two approvals never deadlock.
    Returns the approved enrolments.
    """
    now = now or timezone.now()
    approved = []
    with transaction.atomic(durable=True):
        # Every offering first (seats.lock_offerings, in primary-key order), then the requests: a
        # rejection or cancellation racing this approval either wins or sees it approved.
        offerings = lock_offerings(
            Enrolment.objects.filter(pk__in=enrolment_ids).values_list("offering_id", flat=True)
        )
        for offering in offerings.values():
            requests = (
                Enrolment.objects.select_for_update(of=("self",))
                .filter(pk__in=enrolment_ids, offering=offering, status=Enrolment.Status.REQUESTED)
                .select_related("learner")
                .order_by("created_at", "pk")
            )
            try:
                _check_open_for_enrolment(offering, now=now)
            except EnrolmentRefused:
                continue
            for enrolment in requests:
                _take_seat_or_wait(offering, enrolment)
                _announce(enrolment, actor=hr_user)
                approved.append(enrolment)
    return approved


def reject_request(*, enrolment_id: int, hr_user, reason: str) -> Enrolment:
    """HR turns down an employee's request, with a reason the employee is mailed."""
    with transaction.atomic(durable=True):
        # The offering, then the request (seats protocol): a cancellation or approval racing this
        # rejection either commits first, and the request is no longer pending, or waits.
        _offering, enrolment = lock_enrolment(enrolment_id)
        if enrolment.status != Enrolment.Status.REQUESTED:
            raise EnrolmentRefused(_("Over deze aanvraag is al beslist."))
        _leave(enrolment, status=Enrolment.Status.REJECTED, reason=reason)
        outbox.queue_for(
            enrolment.learner,
            template="enrolment_rejected",
            enrolment=enrolment,
            context={"reason": reason},
        )
        audit.record(action="enrolment.rejected", target=enrolment, actor=hr_user, reason=reason)
        return enrolment


def reject_requests(*, enrolment_ids: list[int], hr_user, reason: str) -> list[Enrolment]:
    """HR turns down several requests with one reason, each mailed to its employee.

    Each request is rejected on its own (``reject_request``, one transaction each); those
    decided meanwhile are skipped. Returns the rejected enrolments.
    """
    rejected = []
    for enrolment_id in enrolment_ids:
        try:
            rejected.append(
                reject_request(enrolment_id=enrolment_id, hr_user=hr_user, reason=reason)
            )
        except EnrolmentRefused:
            continue  # approved, rejected or withdrawn meanwhile: nothing waits any more
    return rejected


def _leave(enrolment: Enrolment, *, status: str, reason: str = "") -> None:
    """End an active enrolment; free its seat or close its gap in the line. Offering locked."""
    offering_id = enrolment.offering_id
    if enrolment.status == Enrolment.Status.CONFIRMED:
        Offering.objects.filter(pk=offering_id).update(confirmed_count=F("confirmed_count") - 1)
    position = enrolment.waitlist_position
    enrolment.status = status
    enrolment.waitlist_position = None
    enrolment.reason = reason
    enrolment.status_changed_at = timezone.now()
    enrolment.save(
        update_fields=["status", "waitlist_position", "reason", "status_changed_at", "updated_at"]
    )
    if position is not None:
        Enrolment.objects.filter(
            offering_id=offering_id,
            status=Enrolment.Status.WAITLISTED,
            waitlist_position__gt=position,
        ).update(waitlist_position=F("waitlist_position") - 1)


def _promote_waitlist(
    offering: Offering, *, now: datetime, until_start: bool = False, actor=None
) -> list[Enrolment]:
    """Give free seats to the first in line, if the cancellation deadline has not passed.

    With ``until_start`` (the programme manager added seats on purpose) the line moves up
    until the offering starts, deadline or not. Offering locked. Promoted learners are mailed
    and audited. Returns them.
    """
    offering.refresh_from_db(fields=["confirmed_count", "reserved_count", "capacity"])
    free = offering.seats_left
    deadline = (
        offering.first_starts_at
        if until_start
        else cancellation_deadline(offering=offering, first_starts_at=offering.first_starts_at)
    )
    if free <= 0 or now >= deadline:
        return []
    promoted = list(
        Enrolment.objects.filter(offering=offering, status=Enrolment.Status.WAITLISTED)
        .select_related("learner")
        .order_by("waitlist_position")[:free]
    )
    if not promoted:
        return []
    for enrolment in promoted:
        enrolment.status = Enrolment.Status.CONFIRMED
        enrolment.waitlist_position = None
        enrolment.status_changed_at = now
    Enrolment.objects.bulk_update(promoted, ["status", "waitlist_position", "status_changed_at"])
    Enrolment.objects.filter(offering=offering, status=Enrolment.Status.WAITLISTED).update(
        waitlist_position=F("waitlist_position") - len(promoted)
    )
    Offering.objects.filter(pk=offering.pk).update(
        confirmed_count=F("confirmed_count") + len(promoted)
    )
    for enrolment in promoted:
        outbox.queue_for(enrolment.learner, template="enrolment_promoted", enrolment=enrolment)
        audit.record(action="enrolment.promoted", target=enrolment, actor=actor)
    return promoted


def promote_from_waitlist(*, offering_id: int, actor, now: datetime | None = None) -> list:
    """The programme manager gives an open offering's free seats to the first in line now.

    As many move up as there are free seats and people waiting (``min(seats_left, waiting)``),
    in waiting-list order, also after the cancellation deadline (when seats no longer move up
    by themselves). Each is mailed (``enrolment_promoted``) and audited; the offering gets an
    ``offering.waitlist_promoted`` audit row. Returns the promoted enrolments (maybe none).
    Raises EnrolmentRefused (offering not open, started or over) or OfferingBusy.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # The lock keeps an enrolment, cancellation or capacity change from altering the seats
        # and the line between counting them and promoting.
        offering = lock_offering(offering_id)
        if offering.status != Offering.Status.OPEN:
            raise EnrolmentRefused(_("Alleen in een open uitvoering schuift de wachtlijst op."))
        if offering.first_starts_at is None or offering.first_starts_at <= now:
            raise EnrolmentRefused(_("Deze uitvoering is al begonnen of voorbij."))
        promoted = _promote_waitlist(offering, now=now, until_start=True, actor=actor)
        if promoted:
            page_cache.invalidate()  # the catalogue shows the seats left
        audit.record(
            action="offering.waitlist_promoted",
            target=offering,
            actor=actor,
            promoted=len(promoted),
        )
        return promoted


@dataclass
class StaffEnrolment:
    """What ``enrol_by_email`` did: the enrolment, and whether a new account was invited."""

    enrolment: Enrolment
    invited: bool


def _person_for_staff(
    *, email: str, first_name: str, last_name: str, language: str
) -> tuple[User, bool]:
    """The account with ``email`` (any case), or a new one without a password. Returns
    (user, created)."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if not user.is_active or user.erased_at is not None:
            raise EnrolmentRefused(
                _("Het account met dit e-mailadres is uitgeschakeld; inschrijven kan niet."),
                field="email",
            )
        return user, False
    if not (first_name.strip() and last_name.strip()):
        raise EnrolmentRefused(
            _(
                "Er is nog geen account met dit e-mailadres. Vul voornaam en achternaam in, "
                "dan krijgt deze persoon een uitnodiging."
            ),
            field="first_name",
        )
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_language=language,
    )
    user.set_unusable_password()
    user.save()
    return user, True


def _queue_account_invitation(user, *, enrolment: Enrolment, site_url: str) -> None:
    """Mail a new account a link to choose its first password (which confirms the address)."""
    with translation.override(user.preferred_language):
        path = reverse(
            "accounts:password_reset_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                first_password_tokens.make_token(user),
            ],
        )
    outbox.queue_for(
        user,
        template="staff_enrolment_account",
        enrolment=enrolment,
        context={
            "set_password_url": f"{site_url}{path}",
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


def enrol_by_email(
    *,
    offering_id: int,
    email: str,
    actor,
    first_name: str = "",
    last_name: str = "",
    language: str = "nl",
    site_url: str = "",
    now: datetime | None = None,
) -> StaffEnrolment:
    """The programme manager enrols a person by e-mail address (on the phone, at the desk).

    An existing account is enrolled by the normal rules: a seat when one is free and nobody
    waits, else last on the waiting list; the employer's approval rule does not apply (the hub
    enrols on the person's word, as HR's own enrolments need no approval). The enrolment is paid
    by the person's company (``paying_company``). An unknown address gets an account without a
    password, named as given (first and last name required), speaking ``language``; it is
    enrolled the same way and also mailed ``staff_enrolment_account``, with a link to choose a
    password that confirms the address (valid ``INVITATION_VALID_DAYS``). The usual enrolment
    mail goes out in the person's language; audited as ``enrolment.<status>`` by the actor.
    A closed run (``private_for``) takes only employees of its companies, from the hub as from
    anyone: the agreed price is theirs; someone else (a new address too) is refused.
    Raises EnrolmentRefused (offering closed, started or cancelled; already enrolled; account
    switched off; a new address without a name; not an employee of a closed run's companies) or
    OfferingBusy.
    """
    now = now or timezone.now()
    site_url = site_url or settings.SITE_URL
    try:
        with transaction.atomic(durable=True):
            # The lock first (seats protocol): the seats and the line read below stay as they are
            # until we commit, whoever else enrols at the same moment.
            offering = lock_offering(offering_id)
            _check_open_for_enrolment(offering, now=now)
            learner, created = _person_for_staff(
                email=email, first_name=first_name, last_name=last_name, language=language
            )
            if Enrolment.objects.filter(
                offering=offering, learner=learner, status__in=ACTIVE
            ).exists():
                raise EnrolmentRefused(
                    _("%(email)s is al ingeschreven voor deze uitvoering.")
                    % {"email": learner.email},
                    field="email",
                )
            enrolment = Enrolment(
                offering=offering,
                learner=learner,
                enrolled_by=actor,
                # A closed run takes only its companies' people, from the hub too: the agreed
                # price is theirs to pay. A new address works nowhere yet and is refused.
                company=closed_run_company(offering=offering, learner=learner, company=None),
                price_excl_vat=offering.price_excl_vat,
                vat_rate=offering.course.vat_rate,
            )
            _take_seat_or_wait(offering, enrolment)
            _announce(enrolment, actor=actor)
            if created:
                audit.record(action="user.created_by_staff", target=learner, actor=actor)
                _queue_account_invitation(learner, enrolment=enrolment, site_url=site_url)
            page_cache.invalidate()  # the catalogue shows the seats left
            return StaffEnrolment(enrolment=enrolment, invited=created)
    except IntegrityError as error:
        # The same address was enrolled or given an account a moment ago, in another request.
        if violated_constraint(error) not in (
            "enrolment_one_active_per_learner",
            "companies_user_email_key",
            "user_email_ci_unique",
        ):
            raise
        raise EnrolmentRefused(
            _("Deze persoon is zojuist al ingeschreven of aangemaakt. Kijk de deelnemers na.")
        ) from error


def cancel_enrolment(
    *,
    enrolment_id: int,
    actor,
    reason: str = "",
    enforce_deadline: bool = True,
    now: datetime | None = None,
) -> Enrolment:
    """Cancel an active enrolment; a freed seat goes to the first on the waiting list.

    Learners may cancel a confirmed seat until the offering's cancellation deadline
    (``enforce_deadline``), and withdraw from the waiting list or a request at any time
    (``seats.may_leave``); staff may cancel later. The learner is mailed, and so is anyone promoted.
    Raises EnrolmentRefused when the enrolment already ended or the deadline passed.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # The offering, then the enrolment (seats protocol): the seat count and the line are stable,
        # and a rejection or approval racing this cancellation has either committed or waits.
        offering, enrolment = lock_enrolment(enrolment_id)
        if enrolment.status not in ACTIVE:
            raise EnrolmentRefused(_("Deze inschrijving is al beëindigd."))
        deadline = (
            cancellation_deadline(offering=offering, first_starts_at=offering.first_starts_at)
            if offering.first_starts_at
            else None
        )
        if enforce_deadline and not may_leave(status=enrolment.status, deadline=deadline, now=now):
            raise EnrolmentRefused(
                _(
                    "Annuleren kan niet meer online: de termijn is verstreken. "
                    "Neem contact op met %(contact)s."
                )
                % {"contact": settings.HUB_CONTACT_EMAIL}
            )
        freed_seat = enrolment.status == Enrolment.Status.CONFIRMED
        _leave(enrolment, status=Enrolment.Status.CANCELLED, reason=reason)
        outbox.queue_for(enrolment.learner, template="enrolment_cancelled", enrolment=enrolment)
        audit.record(action="enrolment.cancelled", target=enrolment, actor=actor, reason=reason)
        if freed_seat and offering.first_starts_at is not None:
            _promote_waitlist(offering, now=now)
        return enrolment


def cancel_offering(*, offering_id: int, actor, reason: str, now: datetime | None = None) -> int:
    """The hub cancels an offering: every active enrolment is cancelled and mailed, in one go,
    and seats companies reserved without names are given back (their HR is mailed).

    Returns how many enrolments were cancelled.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        offering = lock_offering(offering_id)
        if offering.status == Offering.Status.CANCELLED:
            raise EnrolmentRefused(_("Deze uitvoering is al geannuleerd."))
        enrolments = list(
            Enrolment.objects.filter(offering=offering, status__in=ACTIVE).select_related("learner")
        )
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
            status=Enrolment.Status.CANCELLED,
            waitlist_position=None,
            reason=reason,
            status_changed_at=now,
            updated_at=now,
        )
        # Seats reserved without names go back with the rest; HR who reserved them is told.
        reservations = list(
            SeatReservation.objects.select_for_update(of=("self",))
            .filter(offering=offering, seats__gt=0)
            .select_related("reserved_by")
        )
        SeatReservation.objects.filter(pk__in=[r.pk for r in reservations]).update(
            seats=0, released_at=now, updated_at=now
        )
        Offering.objects.filter(pk=offering.pk).update(
            status=Offering.Status.CANCELLED,
            cancellation_reason=reason,
            confirmed_count=0,
            reserved_count=0,
        )
        page_cache.invalidate()
        for reservation in reservations:
            if reservation.reserved_by is not None:
                outbox.queue_for(
                    reservation.reserved_by,
                    template="reservation_released",
                    context={"reservation_id": reservation.pk, "reason": "cancelled"},
                )
        for enrolment in enrolments:
            outbox.queue_for(
                enrolment.learner,
                template="offering_cancelled",
                enrolment=enrolment,
                context={"reason": reason},
            )
        audit.record(
            action="offering.cancelled",
            target=offering,
            actor=actor,
            reason=reason,
            enrolments=len(enrolments),
        )
        return len(enrolments)


def queue_reminders(*, now: datetime) -> int:
    """Write the reminder mails due now, once per enrolment and reminder (``REMINDER_DAYS``).

    A learner who enrolled inside a reminder's window already has a fresh confirmation and
    gets no reminder for it. Safe to run as often as wanted. Returns how many were written.
    """
    written = 0
    for days in settings.REMINDER_DAYS:
        window = timedelta(days=days)
        due = (
            Enrolment.objects.filter(
                status=Enrolment.Status.CONFIRMED, offering__status=Offering.Status.OPEN
            )
            .annotate(first_starts_at=Min("offering__meetings__starts_at"))
            .filter(
                first_starts_at__gt=now,
                first_starts_at__lte=now + window,
                created_at__lte=F("first_starts_at") - window,
            )
            .select_related("learner")
        )
        for enrolment in due:
            # Once per enrolment and reminder: a mail written by an earlier run is not
            # repeated.
            written += outbox.queue_once_for(
                enrolment.learner,
                template="enrolment_reminder",
                enrolment=enrolment,
                context={"days": days},
                dedupe_key=f"reminder:{days}:{enrolment.pk}",
            )
    return written
