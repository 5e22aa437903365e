"""Certificates of participation: issuing them, storing their PDF, and mailing them.

The order of events, and why:

1. :func:`issue_certificate` offerings one short durable transaction that writes the certificate
   (number and verification code), its "certificate_issued" mail to the outbox, and the audit
   row. The mail is written here, not later, so it can never be lost. It is *not* published
   on commit, as other outbox mail is: that would send it before the PDF exists.
2. After commit the ``generate_certificate_pdf`` task is published. It renders the PDF (slow
   I/O, so never inside a transaction), stores it once (:func:`store_certificate_pdf`), and
   only then publishes the mail, which ``enrolment.emails`` sends with the stored PDF attached.
3. If the task cannot be published (broker down) or keeps failing, the outbox sweep still
   sends the mail once its grace period has passed; ``enrolment.emails`` then renders the
   PDF for the attachment on the fly, so the learner never gets a mail without it. Issuing
   again (it is idempotent) re-publishes the task for a certificate that has no PDF yet.
"""

import secrets
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technohub import audit
from technohub.errors import DomainError

from .. import certificates_pdf, outbox
from ..models import Certificate, Enrolment, Notification
from ..qualifications.services import grant_for_certificate

NUMBER_PREFIX = "TH"
MAIL_TEMPLATE = "certificate_issued"


class CertificateRefused(DomainError):
    """No certificate can be issued for this enrolment; the message says why."""


def certificate_number(*, sequence: int, issued_at: datetime) -> str:
    """``TH-2026-000123``: the year of issue and a zero-padded sequence number."""
    return f"{NUMBER_PREFIX}-{timezone.localdate(issued_at).year}-{sequence:06d}"


def mail_dedupe_key(certificate_id: int) -> str:
    """The outbox key of a certificate's mail: one mail per certificate, ever."""
    return f"{MAIL_TEMPLATE}:{certificate_id}"


def issue_certificate(*, enrolment_id: int, actor=None, now: datetime | None = None) -> Certificate:
    """Issue the certificate of participation for a completed enrolment, or return its one.

    Writes the certificate, the learner's "certificate_issued" mail (outbox, published by the
    PDF task once the PDF is stored) and an audit row ``certificate.issued``; after commit it
    publishes ``generate_certificate_pdf``. When the course grants a qualification, the learner
    holds it from then on (``grant_for_certificate``, same transaction). Calling it again
    returns the existing certificate (and re-publishes the PDF task if that PDF is still
    missing; grants the qualification if the course grants one since).
    Raises CertificateRefused unless the enrolment is completed; Enrolment.DoesNotExist for an
    unknown id.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # Row lock: two people issuing for the same enrolment at once queue here, and the
        # second finds the first one's certificate instead of hitting the unique constraint.
        enrolment = (
            Enrolment.objects.select_for_update(no_key=True, of=("self",))
            .select_related("learner")
            .get(pk=enrolment_id)
        )
        if enrolment.status != Enrolment.Status.COMPLETED:
            raise CertificateRefused(
                _("Een certificaat is er alleen voor een afgeronde inschrijving.")
            )
        existing = Certificate.objects.filter(enrolment=enrolment).first()
        if existing is not None:
            # A course that grants a qualification since: issuing again grants it.
            grant_for_certificate(existing)
            if not existing.pdf:
                transaction.on_commit(lambda: schedule_pdf(existing.pk))
            return existing
        code = secrets.token_urlsafe(16)
        # The number derives from the row's own primary key, which PostgreSQL hands out
        # atomically: concurrent issues can never draw the same number, and nothing is locked
        # to count. Until the UPDATE below (same transaction, so nobody sees it) the row holds
        # a unique placeholder.
        certificate = Certificate.objects.create(
            enrolment=enrolment, number=f"~{code}", verification_code=code, issued_at=now
        )
        certificate.number = certificate_number(sequence=certificate.pk, issued_at=now)
        certificate.save(update_fields=["number"])
        grant_for_certificate(certificate)
        learner = enrolment.learner
        Notification.objects.create(
            template=MAIL_TEMPLATE,
            to_email=learner.email,
            language=learner.preferred_language,
            recipient=learner,
            enrolment=enrolment,
            context={"certificate_id": certificate.pk},
            dedupe_key=mail_dedupe_key(certificate.pk),
        )
        audit.record(
            action="certificate.issued",
            target=certificate,
            actor=actor,
            number=certificate.number,
            enrolment=enrolment.pk,
        )
        transaction.on_commit(lambda: schedule_pdf(certificate.pk))
    return certificate


def issue_certificates_for_offering(*, offering_id: int, actor) -> list[Certificate]:
    """Issue certificates for every completed enrolment of an offering (see
    :func:`issue_certificate`).

    One short transaction per learner, so a large offering holds no lock for long and a failure
    halfway keeps what was issued; running it again issues the rest. An enrolment whose status
    changed meanwhile is skipped. Returns the offering's certificates, new and existing.
    """
    enrolment_ids = list(
        Enrolment.objects.filter(offering_id=offering_id, status=Enrolment.Status.COMPLETED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    certificates = []
    for enrolment_id in enrolment_ids:
        try:
            certificates.append(issue_certificate(enrolment_id=enrolment_id, actor=actor))
        except CertificateRefused:
            continue
    return certificates


def schedule_pdf(certificate_id: int) -> bool:
    """Publish ``generate_certificate_pdf``; a broker outage is logged, not raised (the
    outbox sweep still sends the certificate's mail, and issuing again re-publishes)."""
    return outbox.publish_task("enrolment.tasks.generate_certificate_pdf", certificate_id)


def store_certificate_pdf(*, certificate_id: int) -> bool:
    """Render and store a certificate's PDF unless it is stored, then publish its mail.

    Call outside any transaction (rendering is slow). Safe to repeat and to run twice at
    once: the file name is written with a compare-and-set, and the loser removes its file.
    Publishing the mail twice is harmless, the outbox sends it once.
    Returns True when this call stored the PDF; Certificate.DoesNotExist for an unknown id.
    """
    from .. import selectors  # selectors import the services package

    certificate = selectors.get_certificate(pk=certificate_id)
    field = certificate.pdf.field
    previous = certificate.pdf.name
    stored = False
    # Render when there is no file yet, or when the stored one went missing (a restore).
    if not previous or not field.storage.exists(previous):
        content = certificates_pdf.render_certificate_pdf(certificate)
        # A random part in the name: the file holds personal data and must not be guessable
        # from the certificate number, should the media folder ever be served.
        name = field.generate_filename(
            certificate, f"{certificate.number}-{secrets.token_urlsafe(12)}.pdf"
        )
        name = field.storage.save(name, ContentFile(content))
        stored = bool(Certificate.objects.filter(pk=certificate.pk, pdf=previous).update(pdf=name))
        if not stored:
            field.storage.delete(name)  # another run of this task stored its file first
    _publish_mail(certificate_id)
    return stored


def _publish_mail(certificate_id: int) -> None:
    """Hand the certificate's outbox mail to a worker, if it is still unsent."""
    pending = Notification.objects.filter(
        dedupe_key=mail_dedupe_key(certificate_id), sent_at__isnull=True, failed_at__isnull=True
    ).values_list("pk", flat=True)
    for notification_id in pending:
        outbox.publish(notification_id)
