"""What each outbox template needs to render: context and attachments, read at send time."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from catalogue import calendar
from catalogue.models import Meeting, Offering
from technohub import mail

from . import certificates_pdf
from .evaluation import tokens as evaluation_tokens
from .models import Enrolment, Notification, SeatReservation
from .schools import rules as school_rules
from .schools import visit_files
from .schools.mail_context import school_context
from .seats import cancellation_deadline, reservation_deadline

# Mails that carry the offering's calendar file: an invitation that puts the meetings in the
# learner's calendar, or a cancellation that takes them out (the same UIDs, a higher SEQUENCE).
WITH_CALENDAR = {
    "enrolment_confirmed": calendar.REQUEST,
    "enrolment_promoted": calendar.REQUEST,
    "enrolment_moved": calendar.REQUEST,
    "enrolment_cancelled": calendar.CANCEL,
    "offering_cancelled": calendar.CANCEL,
    "offering_changed": calendar.REQUEST,
}
# Mails that carry the learner's certificate: the stored PDF, or one rendered now if the PDF
# task has not stored it (yet) — see enrolment.services.certificates for the order of events.
WITH_CERTIFICATE = {"certificate_issued"}

# What each mail is, as the outbox lists it (one per template triple in templates/emails/).
TEMPLATE_LABELS = {
    "account_inactive": _("Account wordt gewist wegens inactiviteit"),
    "certificate_issued": _("Certificaat"),
    "college_draft": _("Concept van een aanbieder"),
    "company_added": _("Toegevoegd aan een bedrijf"),
    "company_invitation": _("Uitnodiging van een bedrijf"),
    "enrolment_cancelled": _("Inschrijving geannuleerd"),
    "enrolment_confirmed": _("Inschrijving bevestigd"),
    "enrolment_moved": _("Verplaatst naar een andere uitvoering"),
    "enrolment_promoted": _("Van de wachtlijst geplaatst"),
    "enrolment_rejected": _("Aanvraag afgewezen"),
    "enrolment_reminder": _("Herinnering"),
    "enrolment_requested": _("Aanvraag ingediend"),
    "enrolment_waitlisted": _("Op de wachtlijst"),
    "evaluation_reminder": _("Herinnering: evaluatie"),
    "evaluation_request": _("Vraag om een evaluatie"),
    "funding_deadline": _("Subsidietermijn loopt af (HR)"),
    "hr_digest": _("Dagoverzicht voor HR"),
    "member_removed": _("Van de medewerkerslijst gehaald"),
    "offering_announced": _("Nieuwe uitvoering van een gevraagde cursus"),
    "offering_cancelled": _("Uitvoering geannuleerd"),
    "offering_changed": _("Wijzigingsbericht"),
    "offering_message": _("Bericht aan de deelnemers"),
    "offer_accepted": _("Offerte geaccepteerd"),
    "offer_declined": _("Offerte niet gekozen"),
    "offer_received": _("Offerte ontvangen"),
    "password_reset": _("Wachtwoord opnieuw instellen"),
    "qualification_expiring": _("Kwalificatie verloopt binnenkort"),
    "qualifications_expiring": _("Verlopende kwalificaties voor HR"),
    "proposal_closed": _("Voorstel gesloten"),
    "proposal_new": _("Nieuw voorstel"),
    "proposal_course_coming": _("Er komt een cursus (voorstel)"),
    "proposal_published": _("Voorstel gepubliceerd: team inschrijven"),
    "request_for_hr": _("Aanvraag voor HR"),
    "school_evaluation_request": _("Vraag om een evaluatie van een schoolbezoek"),
    "school_visit_confirmed": _("Schoolbezoek bevestigd"),
    "school_visit_reminder": _("Herinnering: schoolbezoek"),
    "requests_for_hr": _("Aanvragen voor HR (bundel)"),
    "reservation_made": _("Plaatsen gereserveerd"),
    "reservation_released": _("Gereserveerde plaatsen vrijgegeven"),
    "reservation_reminder": _("Herinnering: namen doorgeven"),
    "school_host_declined": _("Schoolbezoek geweigerd door het gastbedrijf"),
    "school_host_request": _("Schoolbezoek om te bevestigen (gastbedrijf)"),
    "school_visit_cancelled": _("Schoolbezoek geannuleerd door de hub"),
    "school_request_cancelled": _("Schoolaanvraag geannuleerd door de school"),
    "school_request_new": _("Nieuwe schoolaanvraag"),
    "school_request_received": _("Schoolaanvraag ontvangen"),
    "school_request_rescheduled": _("Nieuwe datums voor een schoolaanvraag"),
    "signup_attempt": _("Poging tot aanmelden met een bekend adres"),
    "staff_enrolment_account": _("Ingeschreven door de hub, met account"),
    "transfer_checks": _("Toepassingsvragen voor HR"),
    "verify_email": _("E-mailadres bevestigen"),
}


def template_label(template: str) -> str:
    """What the mail ``template`` is, in the active language (its code when unknown)."""
    label = TEMPLATE_LABELS.get(template)
    return str(label) if label is not None else template


def _enrolment(notification: Notification) -> Enrolment:
    return (
        Enrolment.objects.select_related("offering__course", "offering__location", "learner")
        .prefetch_related("offering__meetings")
        .get(pk=notification.enrolment_id)
    )


def render(notification: Notification, *, with_attachments: bool = True) -> mail.RenderedMail:
    """The mail of one notification, in its language, with its attachments (leave them out to
    show what was sent without making a certificate or calendar file)."""
    context = dict(notification.context)
    context["recipient"] = notification.recipient
    if notification.template == "offering_changed":
        context.setdefault("seated", True)  # written before people without a seat were told
    context["HUB_CONTACT_EMAIL"] = settings.HUB_CONTACT_EMAIL
    enrolment = _enrolment(notification) if notification.enrolment_id else None
    if enrolment is not None:
        offering = enrolment.offering
        meetings: list[Meeting] = list(offering.meetings.all())
        with translation.override(notification.language):
            course_url = reverse("catalogue:course_detail", args=[offering.course.slug])
            my_courses_url = reverse("enrolment:my_courses")
        first_starts_at = min((meeting.starts_at for meeting in meetings), default=None)
        cancel_until = (
            cancellation_deadline(offering=offering, first_starts_at=first_starts_at)
            if first_starts_at
            else None
        )
        context.update(
            enrolment=enrolment,
            offering=offering,
            course=offering.course,
            meetings=meetings,
            # Read when the mail is sent, so that no mail names a deadline already past.
            cancel_until=cancel_until,
            cancel_until_passed=bool(cancel_until and cancel_until <= timezone.now()),
            course_url=settings.SITE_URL + course_url,
            my_courses_url=settings.SITE_URL + my_courses_url,
        )
    if notification.context.get("removed_meetings"):
        context["removed_meetings"] = _removed_meetings(notification)
    if "evaluation_request_id" in notification.context:
        # Signed now, never stored; the admin's preview (no attachments) shows no real token.
        context["evaluation_url"] = evaluation_tokens.answer_url(
            notification.context["evaluation_request_id"],
            language=notification.language,
            for_sending=with_attachments,
        )
    if "reservation_id" in notification.context:
        context.update(_reservation_context(notification))
    if "school_request_id" in notification.context or "school_visit_id" in notification.context:
        context.update(school_context(notification.context))
        if "visit" in context:
            # Read when the mail is sent, so that no mail names a deadline already past.
            visit_date = context["visit"].date
            context["change_until"] = school_rules.change_deadline(visit_date)
            context["change_until_passed"] = not school_rules.may_change(
                visit_date, timezone.localdate()
            )
    certificate = None
    if enrolment is not None and notification.template in WITH_CERTIFICATE:
        from . import selectors  # selectors import the services, which import this module

        certificate = selectors.get_certificate(pk=notification.context["certificate_id"])
        with translation.override(notification.language):
            pdf_url = reverse("enrolment:certificate_pdf", args=[enrolment.pk])
            context.update(
                certificate=certificate,
                certificate_url=settings.SITE_URL + pdf_url,
                verify_url=certificates_pdf.verification_url(certificate),
            )
    rendered = mail.render_mail(notification.template, context, language=notification.language)
    if not with_attachments:
        return rendered
    if certificate is not None:
        with translation.override(notification.language):
            pdf_name = certificates_pdf.filename(certificate)
        rendered.attachments.append(
            mail.Attachment(
                filename=pdf_name,
                content=certificates_pdf.read_certificate_pdf(certificate),
                mimetype="application/pdf",
            )
        )
    if (
        enrolment is not None
        and notification.template in WITH_CALENDAR
        # A change mail to someone without a seat (waiting list, request) has no calendar.
        and notification.context.get("seated", True)
    ):
        rendered.attachments.extend(_calendar_files(notification, enrolment))
    if notification.template in visit_files.WITH_VISIT_FILES and "visit" in context:
        # The teacher's calendar file, arrival sheet and preparation material.
        rendered.attachments.extend(
            visit_files.attachments(context["visit"], language=notification.language)
        )
    return rendered


def _reservation_context(notification: Notification) -> dict:
    """A seat reservation's offering, its deadline for names and its page in the portal."""
    reservation = SeatReservation.objects.select_related(
        "company", "offering__course", "offering__location"
    ).get(pk=notification.context["reservation_id"])
    offering = reservation.offering
    meetings = list(offering.meetings.order_by("starts_at"))
    with translation.override(notification.language):
        path = reverse("portal:reservation", args=[reservation.company.slug, reservation.pk])
    return {
        "reservation": reservation,
        "offering": offering,
        "course": offering.course,
        "meetings": meetings,
        "names_until": reservation_deadline(
            offering=offering, first_starts_at=meetings[0].starts_at
        )
        if meetings
        else None,
        "reservation_url": settings.SITE_URL + path,
    }


def _removed_meetings(notification: Notification) -> list[Meeting]:
    """The meetings a change took away, as the notification recorded them."""
    return [
        Meeting(
            pk=meeting["id"],
            starts_at=datetime.fromisoformat(meeting["starts_at"]),
            ends_at=datetime.fromisoformat(meeting["ends_at"]),
        )
        for meeting in notification.context.get("removed_meetings", [])
    ]


def _calendar_files(notification: Notification, enrolment: Enrolment) -> list[mail.Attachment]:
    """The mail's calendar files, in its language, sequenced by when the mail was written.

    A learner moved to another offering gets the new meetings and the old ones cancelled.
    """
    method = WITH_CALENDAR[notification.template]
    # A change mail fixed its sequence when written, above any the learner had (see
    # ``services.offerings``); the others count from the moment they were written.
    sequence = notification.context.get("sequence") or calendar.sequence_at(notification.created_at)
    files = [(enrolment.offering, method, None)]
    removed = _removed_meetings(notification)
    if removed:
        files.append((enrolment.offering, calendar.CANCEL, removed))
    moved_from = notification.context.get("from_offering")
    if notification.template == "enrolment_moved" and moved_from:
        old = (
            Offering.objects.select_related("course", "location")
            .prefetch_related("meetings")
            .filter(pk=moved_from)
            .first()
        )
        if old is not None:
            files.append((old, calendar.CANCEL, None))
    return [
        mail.Attachment(
            filename=calendar.filename(offering, cancelled=meetings is not None),
            content=calendar.offering_ics(
                offering,
                method=method,
                learner=enrolment.learner,
                sequence=sequence,
                language=notification.language,
                meetings=meetings,
            ),
            mimetype=calendar.mimetype(method),
        )
        for offering, method, meetings in files
    ]
