"""Writing held qualifications: granted with a certificate, or entered by HR.

What a certificate grants is dated by the run's last meeting (the day the course, and its exam,
ended), not by the day the certificate was issued: issuing waits for the grace period after a
run, and the qualification was earned on the course's last day. A run without meetings falls
back to the certificate's issue date.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Qualification
from companies.funding.rules import add_months
from companies.models import Company, Membership, User
from technohub import audit
from technohub.errors import DomainError, violated_constraint

from ..models import Certificate, HeldQualification


class QualificationRefused(DomainError):
    """HR's entry cannot be saved; the message (and ``field``) say why."""


def default_expiry(qualification: Qualification, *, obtained_on: date) -> date | None:
    """``obtained_on`` plus the qualification's validity; None when it never expires."""
    if qualification.validity_months is None:
        return None
    return add_months(obtained_on, qualification.validity_months)


def grant_for_certificate(certificate: Certificate) -> HeldQualification | None:
    """Record the qualification the certificate's course grants, if any, for its learner.

    Call inside the transaction that issues the certificate (it opens no durable one of its
    own), with the enrolment locked. ``obtained_on`` is the local date of the run's last
    meeting (the issue date when there is none); ``expires_on`` that plus the validity.
    Idempotent: a second call finds the row granted for this enrolment and returns it. Writes
    an audit row ``qualification.granted``. Returns None when the course grants nothing.
    """
    enrolment = certificate.enrolment
    offering = enrolment.offering
    qualification_id = offering.course.qualification_id
    if qualification_id is None:
        return None
    existing = HeldQualification.objects.filter(
        enrolment=enrolment, qualification_id=qualification_id
    ).first()
    if existing is not None:
        return existing
    qualification = Qualification.objects.get(pk=qualification_id)
    last_ends_at = offering.meetings.aggregate(last=Max("ends_at"))["last"]
    obtained_on = timezone.localdate(last_ends_at or certificate.issued_at)
    held = HeldQualification.objects.create(
        person_id=enrolment.learner_id,
        qualification=qualification,
        obtained_on=obtained_on,
        expires_on=default_expiry(qualification, obtained_on=obtained_on),
        enrolment=enrolment,
    )
    audit.record(
        action="qualification.granted",
        target=held,
        qualification=qualification.slug,
        enrolment=enrolment.pk,
        certificate=certificate.number,
    )
    return held


def _check_entry(
    *,
    company: Company,
    person: User,
    qualification: Qualification,
    obtained_on: date,
    expires_on: date | None,
    issuer: str,
    today: date,
) -> None:
    if not Membership.objects.filter(company=company, user=person).exists():
        raise QualificationRefused(
            _("Deze persoon staat niet op de medewerkerslijst van jullie bedrijf."),
            field="person",
        )
    if obtained_on > today:
        raise QualificationRefused(
            _("De datum van behalen kan niet in de toekomst liggen."), field="obtained_on"
        )
    if expires_on is not None and expires_on <= obtained_on:
        raise QualificationRefused(
            _("De vervaldatum ligt na de datum van behalen."), field="expires_on"
        )
    if not issuer.strip():
        raise QualificationRefused(_("Vul in wie het document uitgaf."), field="issuer")


def _save(held: HeldQualification) -> None:
    """Save, turning a constraint the checks above missed into the field's message."""
    try:
        with transaction.atomic():
            held.save()
    except IntegrityError as error:
        name = violated_constraint(error)
        message = HeldQualification.constraint_messages.get(name)
        if message is None:
            raise
        raise QualificationRefused(str(message[1]), field=message[0]) from error


def enter_qualification(
    *,
    company: Company,
    hr_user: User,
    person: User,
    qualification: Qualification,
    obtained_on: date,
    expires_on: date | None = None,
    issuer: str,
    document_reference: str = "",
    today: date | None = None,
) -> HeldQualification:
    """Record a qualification ``person`` (on ``company``'s roster) earned elsewhere, as HR.

    ``expires_on`` empty: ``obtained_on`` plus the qualification's validity. Writes an audit
    row ``qualification.entered``. Raises QualificationRefused (with the field) for someone not
    on the roster, a date in the future, an expiry not after the date obtained, or no issuer.
    """
    today = today or timezone.localdate()
    if expires_on is None:
        expires_on = default_expiry(qualification, obtained_on=obtained_on)
    issuer = issuer.strip()
    _check_entry(
        company=company,
        person=person,
        qualification=qualification,
        obtained_on=obtained_on,
        expires_on=expires_on,
        issuer=issuer,
        today=today,
    )
    with transaction.atomic(durable=True):
        held = HeldQualification(
            person=person,
            qualification=qualification,
            obtained_on=obtained_on,
            expires_on=expires_on,
            issuer=issuer,
            document_reference=document_reference.strip(),
            entered_by=hr_user,
        )
        _save(held)
        audit.record(
            action="qualification.entered",
            target=held,
            actor=hr_user,
            company=company.pk,
            qualification=qualification.slug,
            obtained_on=obtained_on.isoformat(),
            expires_on=expires_on.isoformat() if expires_on else None,
        )
    return held


def _lock_for_hr(*, company: Company, pk: int) -> HeldQualification:
    """The row, locked, if HR of ``company`` may change it (entered, not earned at the hub,
    by someone on the roster); QualificationRefused else."""
    # Row lock: two HR members correcting the same entry at once apply one after the other.
    held = (
        HeldQualification.objects.select_for_update(of=("self",))
        .filter(
            Exists(Membership.objects.filter(company=company, user=OuterRef("person"))),
            enrolment__isnull=True,
            pk=pk,
        )
        .select_related("qualification", "person")
        .first()
    )
    if held is None:
        raise QualificationRefused(
            _("Deze kwalificatie bestaat niet (meer), of is bij de hub behaald.")
        )
    return held


def change_qualification(
    *,
    company: Company,
    hr_user: User,
    pk: int,
    obtained_on: date,
    expires_on: date | None,
    issuer: str,
    document_reference: str,
    today: date | None = None,
) -> HeldQualification:
    """Correct a qualification HR entered: its dates, issuer and document number.

    ``expires_on`` empty: the date obtained plus the validity. A changed expiry date clears the
    alarms already sent, so the new date gets its own. Writes an audit row
    ``qualification.changed``. Raises QualificationRefused as :func:`enter_qualification`
    does, and for an entry that is not HR's to change.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        held = _lock_for_hr(company=company, pk=pk)
        if expires_on is None:
            expires_on = default_expiry(held.qualification, obtained_on=obtained_on)
        issuer = issuer.strip()
        _check_entry(
            company=company,
            person=held.person,
            qualification=held.qualification,
            obtained_on=obtained_on,
            expires_on=expires_on,
            issuer=issuer,
            today=today,
        )
        if expires_on != held.expires_on:
            held.alarms_sent = []
        held.obtained_on, held.expires_on = obtained_on, expires_on
        held.issuer, held.document_reference = issuer, document_reference.strip()
        _save(held)
        audit.record(
            action="qualification.changed",
            target=held,
            actor=hr_user,
            company=company.pk,
            obtained_on=obtained_on.isoformat(),
            expires_on=expires_on.isoformat() if expires_on else None,
        )
    return held


def remove_qualification(*, company: Company, hr_user: User, pk: int) -> HeldQualification:
    """Delete a qualification HR entered (not one earned at the hub). Writes an audit row
    ``qualification.removed`` (on the person). Raises QualificationRefused for an entry that
    is not HR's to remove. Returns the deleted row (without its primary key)."""
    with transaction.atomic(durable=True):
        held = _lock_for_hr(company=company, pk=pk)
        audit.record(
            action="qualification.removed",
            target=held.person,
            actor=hr_user,
            company=company.pk,
            qualification=held.qualification.slug,
            held=held.pk,
        )
        held.delete()
    return held
