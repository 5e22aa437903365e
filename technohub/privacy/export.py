"""A person's own data, as a download: everything the inventory says the site holds about them.

:func:`collect` reads it, one section per :data:`~technohub.privacy.inventory.HOLDINGS` entry
(keyed by the holding's model label), as plain JSON: ISO timestamps, codes with a readable
label beside them. :func:`build_zip` packs that JSON, a standalone HTML overview in the
person's language and their certificate PDFs. :func:`export_personal_data` is what the
profile's download button calls: it limits how often, and writes the audit row.

What is never in it: the password hash, other people's personal data (whoever else acted is
named by role, e.g. "HR van Kampstaal"), secrets in mailed links, and staff-only notes.
"""

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import psycopg
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection, transaction
from django.db.models import F, Prefetch, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Meeting
from companies.lockout import normalise_email
from companies.models import Interest, Invitation, Membership, TrainingNeed, User
from enrolment import certificates_pdf
from enrolment.models import Attendance, Certificate, Enrolment, Notification
from enrolment.selectors import UNSHOWN_COURSE_FIELDS
from technohub import audit
from technohub.errors import DomainError
from technohub.models import AuditLog

from .inventory import HOLDINGS

EXPORTED_ACTION = "privacy.exported"
# Building the file reads every holding: a person may do it this often per hour.
EXPORTS_PER_HOUR = 5
LOCK_TIMEOUT = "3s"
FORMAT = "technohub-personal-data/1"


class ExportRefused(DomainError):
    """The download cannot be built now (too often, or busy); ``message`` says so."""


# ---------------------------------------------------------------------------------------------
# Reading


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _by(actor_id: int | None, *, user: User, company: str = "", is_staff: bool = False) -> str:
    """Who did something, without naming anyone but the person themselves."""
    if actor_id is None:
        return ""
    if actor_id == user.pk:
        return _("jijzelf")
    if is_staff:
        return "Technohub NOP"
    if company:
        return _("HR van %(company)s") % {"company": company}
    return _("HR van je werkgever")


# Mailed links carry tokens (a password link still works for a while): never copied out.
# Names of other people in a mail's stored context are left out.
_OTHER_PEOPLE_KEYS = {"learner", "invited_by", "recipient"}


def _own_context(value):
    if isinstance(value, dict):
        return {
            key: _own_context(item)
            for key, item in value.items()
            if key not in _OTHER_PEOPLE_KEYS and not key.endswith("url")
        }
    if isinstance(value, list):
        return [_own_context(item) for item in value]
    return value


def _subject(notification: Notification) -> str:
    """The mail's subject line as it was sent, in the mail's language."""
    enrolment = notification.enrolment
    context = dict(notification.context)
    if enrolment is not None:
        context["course"] = enrolment.offering.course
    try:
        with translation.override(notification.language):
            subject = render_to_string(f"emails/{notification.template}.subject.txt", context)
    except (TemplateDoesNotExist, AttributeError):
        # A mail that is no longer sent, or whose run is gone: its other fields still say it.
        return ""
    return " ".join(subject.split())


def _user(user: User) -> list[dict]:
    return [
        {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "preferred_language_label": user.get_preferred_language_display(),
            "email_verified_at": _iso(user.email_verified_at),
            "last_login": _iso(user.last_login),
            "date_joined": _iso(user.date_joined),
            "is_active": user.is_active,
        }
    ]


def _memberships(user: User) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("company").order_by("pk"))


def _membership_rows(memberships: list[Membership]) -> list[dict]:
    return [
        {
            "company": membership.company.name,
            "role": membership.role,
            "role_label": membership.get_role_display(),
            "created_at": _iso(membership.created_at),
        }
        for membership in memberships
    ]


def _invitations(user: User) -> list[Invitation]:
    return list(
        Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))
        .select_related("company")
        .order_by("created_at", "pk")
    )


def _enrolments(user: User) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(learner=user)
        .select_related(
            "offering__course__provider", "offering__location", "company", "certificate"
        )
        .defer(*UNSHOWN_COURSE_FIELDS)
        .annotate(enrolled_by_is_staff=F("enrolled_by__is_staff"))
        .prefetch_related(
            Prefetch("offering__meetings", queryset=Meeting.objects.order_by("starts_at")),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("meeting").order_by(
                    "meeting__starts_at"
                ),
            ),
        )
        .order_by("created_at", "pk")
    )


def _enrolment_rows(enrolments: list[Enrolment], *, user: User) -> list[dict]:
    rows = []
    for enrolment in enrolments:
        meetings = list(enrolment.offering.meetings.all())
        company = enrolment.company.name if enrolment.company else ""
        rows.append(
            {
                "id": enrolment.pk,
                "course": enrolment.offering.course.localized("title"),
                "offering_id": enrolment.offering_id,
                "location": enrolment.offering.location.localized("name"),
                "starts_at": _iso(meetings[0].starts_at) if meetings else None,
                "ends_at": _iso(max(m.ends_at for m in meetings)) if meetings else None,
                "status": enrolment.status,
                "status_label": enrolment.get_status_display(),
                "waitlist_position": enrolment.waitlist_position,
                "paying_company": company,
                "enrolled_by": _by(
                    enrolment.enrolled_by_id,
                    user=user,
                    company=company,
                    is_staff=bool(enrolment.enrolled_by_is_staff),
                ),
                "price_excl_vat": str(enrolment.price_excl_vat),
                "vat_rate": str(enrolment.vat_rate),
                "reason": enrolment.reason,
                "created_at": _iso(enrolment.created_at),
                "status_changed_at": _iso(enrolment.status_changed_at),
            }
        )
    return rows


def _attendance_rows(enrolments: list[Enrolment]) -> list[dict]:
    return [
        {
            "enrolment_id": enrolment.pk,
            "course": enrolment.offering.course.localized("title"),
            "meeting_starts_at": _iso(mark.meeting.starts_at),
            "meeting_topic": mark.meeting.topic,
            "present": mark.present,
            "recorded_at": _iso(mark.recorded_at),
        }
        for enrolment in enrolments
        for mark in enrolment.attendance.all()
    ]


def _certificates(enrolments: list[Enrolment], *, user: User) -> list[Certificate]:
    certificates = []
    for enrolment in enrolments:
        try:
            certificate = enrolment.certificate
        except Certificate.DoesNotExist:
            continue
        # What the PDF needs, from what was loaded already (no query per certificate).
        enrolment.learner = user
        meetings = list(enrolment.offering.meetings.all())
        certificate.first_starts_at = meetings[0].starts_at if meetings else None
        certificate.last_ends_at = max((m.ends_at for m in meetings), default=None)
        certificate.enrolment = enrolment
        certificates.append(certificate)
    return certificates


def _certificate_file(certificate: Certificate) -> str:
    return certificates_pdf.filename(certificate)


def _certificate_rows(certificates: list[Certificate]) -> list[dict]:
    return [
        {
            "enrolment_id": certificate.enrolment_id,
            "course": certificate.enrolment.offering.course.localized("title"),
            "number": certificate.number,
            "verification_code": certificate.verification_code,
            "verification_url": certificates_pdf.verification_url(certificate),
            "issued_at": _iso(certificate.issued_at),
            "file": _certificate_file(certificate),
        }
        for certificate in certificates
    ]


def _notifications(user: User) -> list[dict]:
    notifications = (
        Notification.objects.filter(Q(recipient=user) | Q(to_email__iexact=user.email))
        .select_related("enrolment__offering__course")
        .defer(
            *(
                name.replace("offering__", "enrolment__offering__", 1)
                for name in UNSHOWN_COURSE_FIELDS
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "template": notification.template,
            "subject": _subject(notification),
            "to_email": notification.to_email,
            "language": notification.language,
            "created_at": _iso(notification.created_at),
            "sent_at": _iso(notification.sent_at),
            "failed_at": _iso(notification.failed_at),
            "last_error": notification.last_error,
            "context": _own_context(notification.context),
        }
        for notification in notifications
    ]


def _training_needs(user: User) -> list[TrainingNeed]:
    return list(
        TrainingNeed.objects.filter(submitted_by=user)
        .select_related("company", "theme")
        .prefetch_related("preferred_locations")
        .order_by("created_at", "pk")
    )


def _training_need_rows(needs: list[TrainingNeed]) -> list[dict]:
    return [
        {
            "id": need.pk,
            "company": need.company.name,
            "title": need.title,
            "description": need.description,
            "theme": need.theme.localized("name") if need.theme else "",
            "headcount": need.headcount,
            "preferred_locations": [
                place.localized("name") for place in need.preferred_locations.all()
            ],
            "period_start": _iso(need.period_start),
            "period_end": _iso(need.period_end),
            "urgency": need.urgency,
            "urgency_label": need.get_urgency_display(),
            "status": need.status,
            "status_label": need.get_status_display(),
            "created_at": _iso(need.created_at),
        }
        for need in needs
    ]


def _interests(user: User) -> list[Interest]:
    return list(
        Interest.objects.filter(Q(learner=user) | Q(registered_by=user))
        .select_related("course", "location", "company")
        .only(
            "learner_id",
            "registered_by_id",
            "headcount",
            "created_at",
            "notified_at",
            "course__title",
            "course__title_en",
            "location__name",
            "location__name_en",
            "company__name",
        )
        .order_by("created_at", "pk")
    )


def _interest_rows(interests: list[Interest], *, user: User) -> list[dict]:
    return [
        {
            "id": interest.pk,
            "course": interest.course.localized("title"),
            "location": interest.location.localized("name") if interest.location else "",
            "company": interest.company.name if interest.company else "",
            "headcount": interest.headcount,
            "for_you": interest.learner_id == user.pk,
            "registered_by": _by(
                interest.registered_by_id,
                user=user,
                company=interest.company.name if interest.company else "",
            ),
            "created_at": _iso(interest.created_at),
            "notified_at": _iso(interest.notified_at),
        }
        for interest in interests
    ]


def _audit_rows(user: User, *, owned: dict[type, Iterable[int]]) -> list[dict]:
    """Rows about something of theirs (with what was recorded), and rows of what they did
    (only the kind of thing: the row it touched may be about someone else)."""
    types = ContentType.objects.get_for_models(*owned)
    about_them = Q()
    for model, ids in owned.items():
        about_them |= Q(content_type=types[model], object_id__in=list(ids))
    rows = (
        AuditLog.objects.filter(about_them | Q(actor=user))
        .select_related("content_type")
        .annotate(actor_is_staff=F("actor__is_staff"))
        .order_by("created_at", "pk")
    )
    mine = {(types[model].pk, pk) for model, ids in owned.items() for pk in ids}
    result = []
    for row in rows:
        about_you = (row.content_type_id, row.object_id) in mine
        result.append(
            {
                "created_at": _iso(row.created_at),
                "action": row.action,
                "object_type": str(row.content_type.model_class()._meta.verbose_name)
                if row.content_type.model_class()
                else row.content_type.model,
                "about_you": about_you,
                "by": _by(row.actor_id, user=user, is_staff=bool(row.actor_is_staff)),
                "data": row.data if about_you else {},
            }
        )
    return result


def _admin_log_rows(user: User) -> list[dict]:
    user_type = ContentType.objects.get_for_model(User)
    about_them = Q(content_type=user_type, object_id=str(user.pk))
    entries = (
        LogEntry.objects.filter(about_them | Q(user=user))
        .select_related("content_type")
        .order_by("action_time", "pk")
    )
    labels = {1: _("toegevoegd"), 2: _("gewijzigd"), 3: _("verwijderd")}
    rows = []
    for entry in entries:
        about_you = entry.content_type_id == user_type.pk and entry.object_id == str(user.pk)
        model = entry.content_type.model_class() if entry.content_type else None
        rows.append(
            {
                "action_time": _iso(entry.action_time),
                "action": labels.get(entry.action_flag, str(entry.action_flag)),
                "object_type": str(model._meta.verbose_name) if model else "",
                "about_you": about_you,
                "by": _by(entry.user_id, user=user, is_staff=True),
                "object": entry.object_repr if about_you else "",
                "change_message": entry.get_change_message() if about_you else "",
            }
        )
    return rows


def _login_rows(model, *, email: str) -> list[dict]:
    rows = []
    for row in model.objects.filter(username=email).order_by("attempt_time", "pk"):
        record = {
            "attempt_time": _iso(row.attempt_time),
            "ip_address": row.ip_address,
            "user_agent": row.user_agent,
            "http_accept": row.http_accept,
            "path": row.path_info,
        }
        if model is AccessAttempt:
            record |= {
                "failures": row.failures_since_start,
                "get_data": row.get_data,
                "post_data": row.post_data,
            }
        elif model is AccessFailureLog:
            record["locked_out"] = row.locked_out
        else:
            record["logout_time"] = _iso(row.logout_time)
        rows.append(record)
    return rows


def _active_sessions(user: User, *, now: datetime) -> int:
    """How many unexpired sessions are logged in as ``user`` (their data is signed, not
    queryable, so each is decoded; the keys themselves are never exported)."""
    user_id = str(user.pk)
    return sum(
        1
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    )


def collect(*, user: User, now: datetime | None = None) -> dict:
    """Everything the inventory says the site holds about ``user``, as plain JSON-able data.

    Texts (labels, categories) are in the active language; call it inside
    ``translation.override`` for another. One query per holding, whatever the person has.
    """
    return _collect(user=user, now=now or timezone.now())[0]


def _collect(*, user: User, now: datetime) -> tuple[dict, list[Certificate]]:
    enrolments = _enrolments(user)
    certificates = _certificates(enrolments, user=user)
    invitations = _invitations(user)
    needs = _training_needs(user)
    interests = _interests(user)
    email = normalise_email(user.email)
    memberships = _memberships(user)
    records = {
        "companies.User": _user(user),
        "companies.Membership": _membership_rows(memberships),
        "companies.Invitation": [
            {
                "company": invitation.company.name,
                "email": invitation.email,
                "invited_by": _by(
                    invitation.invited_by_id, user=user, company=invitation.company.name
                ),
                "created_at": _iso(invitation.created_at),
                "expires_at": _iso(invitation.expires_at),
                "accepted_at": _iso(invitation.accepted_at),
                "accepted_by_you": invitation.accepted_by_id == user.pk,
            }
            for invitation in invitations
        ],
        "enrolment.Enrolment": _enrolment_rows(enrolments, user=user),
        "enrolment.Attendance": _attendance_rows(enrolments),
        "enrolment.Certificate": _certificate_rows(certificates),
        "enrolment.Notification": _notifications(user),
        "companies.TrainingNeed": _training_need_rows(needs),
        "companies.Interest": _interest_rows(interests, user=user),
        "technohub.AuditLog": _audit_rows(
            user,
            owned={
                User: [user.pk],
                Membership: [membership.pk for membership in memberships],
                Enrolment: [enrolment.pk for enrolment in enrolments],
                Certificate: [certificate.pk for certificate in certificates],
                Invitation: [invitation.pk for invitation in invitations],
                TrainingNeed: [need.pk for need in needs],
                Interest: [interest.pk for interest in interests],
            },
        ),
        "admin.LogEntry": _admin_log_rows(user),
        "axes.AccessAttempt": _login_rows(AccessAttempt, email=email),
        "axes.AccessFailureLog": _login_rows(AccessFailureLog, email=email),
        "axes.AccessLog": _login_rows(AccessLog, email=email),
        "sessions.Session": [{"active_sessions": _active_sessions(user, now=now)}],
    }
    data = {
        "format": FORMAT,
        "generated_at": _iso(now),
        "language": translation.get_language(),
        "sections": {
            holding.model: {
                "category": str(holding.category),
                "purpose": str(holding.purpose),
                "retention": str(holding.retention),
                "recipients": str(holding.recipients),
                "records": records.get(holding.model, []),
            }
            for holding in HOLDINGS
        },
    }
    return data, certificates


# ---------------------------------------------------------------------------------------------
# The readable overview

LABELS = {
    "id": gettext_lazy("nummer"),
    "email": gettext_lazy("e-mailadres"),
    "first_name": gettext_lazy("voornaam"),
    "last_name": gettext_lazy("achternaam"),
    "phone": gettext_lazy("telefoonnummer"),
    "preferred_language": gettext_lazy("voorkeurstaal"),
    "email_verified_at": gettext_lazy("e-mailadres bevestigd op"),
    "last_login": gettext_lazy("laatst ingelogd op"),
    "date_joined": gettext_lazy("lid sinds"),
    "is_active": gettext_lazy("account actief"),
    "company": gettext_lazy("bedrijf"),
    "role": gettext_lazy("rol"),
    "created_at": gettext_lazy("aangemaakt op"),
    "invited_by": gettext_lazy("uitgenodigd door"),
    "expires_at": gettext_lazy("verloopt op"),
    "accepted_at": gettext_lazy("aangenomen op"),
    "accepted_by_you": gettext_lazy("door jou aangenomen"),
    "course": gettext_lazy("cursus"),
    "offering_id": gettext_lazy("nummer van de uitvoering"),
    "location": gettext_lazy("locatie"),
    "starts_at": gettext_lazy("begint op"),
    "ends_at": gettext_lazy("eindigt op"),
    "status": gettext_lazy("status"),
    "waitlist_position": gettext_lazy("plaats op de wachtlijst"),
    "paying_company": gettext_lazy("betalend bedrijf"),
    "enrolled_by": gettext_lazy("ingeschreven door"),
    "price_excl_vat": gettext_lazy("prijs excl. btw (euro)"),
    "vat_rate": gettext_lazy("btw-tarief (%)"),
    "reason": gettext_lazy("reden"),
    "status_changed_at": gettext_lazy("status gewijzigd op"),
    "enrolment_id": gettext_lazy("nummer van de inschrijving"),
    "meeting_starts_at": gettext_lazy("bijeenkomst op"),
    "meeting_topic": gettext_lazy("onderwerp van de bijeenkomst"),
    "present": gettext_lazy("aanwezig"),
    "recorded_at": gettext_lazy("geregistreerd op"),
    "number": gettext_lazy("certificaatnummer"),
    "verification_code": gettext_lazy("controlecode"),
    "verification_url": gettext_lazy("controlepagina"),
    "issued_at": gettext_lazy("uitgegeven op"),
    "file": gettext_lazy("bestand in deze download"),
    "template": gettext_lazy("soort bericht"),
    "subject": gettext_lazy("onderwerp"),
    "to_email": gettext_lazy("verstuurd aan"),
    "language": gettext_lazy("taal"),
    "sent_at": gettext_lazy("verzonden op"),
    "failed_at": gettext_lazy("mislukt op"),
    "last_error": gettext_lazy("laatste fout"),
    "context": gettext_lazy("gegevens in het bericht"),
    "title": gettext_lazy("onderwerp"),
    "description": gettext_lazy("omschrijving"),
    "theme": gettext_lazy("thema"),
    "headcount": gettext_lazy("aantal medewerkers"),
    "preferred_locations": gettext_lazy("voorkeurslocaties"),
    "period_start": gettext_lazy("gewenst vanaf"),
    "period_end": gettext_lazy("gewenst tot"),
    "urgency": gettext_lazy("urgentie"),
    "for_you": gettext_lazy("voor jezelf"),
    "registered_by": gettext_lazy("doorgegeven door"),
    "notified_at": gettext_lazy("bericht verstuurd op"),
    "action": gettext_lazy("actie"),
    "object_type": gettext_lazy("soort gegeven"),
    "about_you": gettext_lazy("over jou"),
    "by": gettext_lazy("door"),
    "data": gettext_lazy("vastgelegde gegevens"),
    "action_time": gettext_lazy("tijdstip"),
    "object": gettext_lazy("gegeven"),
    "change_message": gettext_lazy("wijziging"),
    "attempt_time": gettext_lazy("tijdstip"),
    "ip_address": gettext_lazy("IP-adres"),
    "user_agent": gettext_lazy("browser"),
    "http_accept": gettext_lazy("door de browser geaccepteerde formaten"),
    "path": gettext_lazy("pagina"),
    "failures": gettext_lazy("aantal mislukte pogingen"),
    "get_data": gettext_lazy("gegevens in het adres"),
    "post_data": gettext_lazy("verstuurde formuliergegevens (wachtwoord gemaskeerd)"),
    "locked_out": gettext_lazy("geblokkeerd"),
    "logout_time": gettext_lazy("uitgelogd op"),
    "active_sessions": gettext_lazy("aantal plaatsen waar je nu bent ingelogd"),
}
DATE_KEYS = {"period_start", "period_end"}
DATETIME_KEYS = {"last_login", "date_joined"}


def _is_datetime_key(key: str) -> bool:
    return key in DATETIME_KEYS or key.endswith(("_at", "_time"))


def _text(key: str, value) -> str:
    """One stored value as a person reads it, in the active language."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(
            json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, dict):
        return "; ".join(f"{name}: {_text(name, item)}" for name, item in value.items())
    if key in DATE_KEYS:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    if _is_datetime_key(key) and isinstance(value, str):
        moment = timezone.localtime(datetime.fromisoformat(value))
        return formats.date_format(moment, "j F Y, H:i")
    return str(value)


def overview_sections(data: dict) -> list[dict]:
    """The sections of :func:`collect`'s data as labelled lines for the HTML overview.

    A code with a ``<key>_label`` beside it shows only the label, under the code's name.
    """
    sections = []
    for key, section in data["sections"].items():
        records = [
            [
                (LABELS.get(name, name), _text(name, record.get(f"{name}_label", value)))
                for name, value in record.items()
                if not name.endswith("_label")
            ]
            for record in section["records"]
        ]
        sections.append({"key": key, **section, "records": records})
    return sections


# ---------------------------------------------------------------------------------------------
# The file


def build_zip(*, user: User, now: datetime | None = None) -> bytes:
    """The download: JSON, a standalone HTML overview and the certificate PDFs, in the person's
    language. Reads only; see :func:`export_personal_data` for the limit and the audit row."""
    now = now or timezone.now()
    with translation.override(user.preferred_language):
        data, certificates = _collect(user=user, now=now)
        names = {"json": _("gegevens.json"), "html": _("overzicht.html")}
        overview = render_to_string(
            "privacy/export_overview.html",
            {
                "person": user,
                "generated_at": now,
                "sections": overview_sections(data),
                "json_name": names["json"],
                "language": user.preferred_language,
            },
        )
        files = [(_certificate_file(certificate), certificate) for certificate in certificates]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(names["json"], json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(names["html"], overview)
        for name, certificate in files:
            archive.writestr(name, certificates_pdf.read_certificate_pdf(certificate))
    return buffer.getvalue()


def export_personal_data(*, user: User, now: datetime | None = None) -> bytes:
    """Build :func:`build_zip` for ``user`` and record that they downloaded it.

    At most ``EXPORTS_PER_HOUR`` per person in any hour, counted from the audit log. Raises
    ExportRefused past that, or when another download of theirs holds the lock too long.
    The audit row commits before the file is built, so a failed build still counts.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        _lock_person(user)
        recent = AuditLog.objects.filter(
            action=EXPORTED_ACTION, actor=user, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= EXPORTS_PER_HOUR:
            raise ExportRefused(
                _(
                    "Je hebt je gegevens het afgelopen uur al %(count)s keer gedownload. "
                    "Probeer het over een uur opnieuw."
                )
                % {"count": recent}
            )
        audit.record(action=EXPORTED_ACTION, target=user, actor=user)
    return build_zip(user=user, now=now)


def _lock_person(user: User) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    # Two downloads at once are counted one after the other, so the hourly limit holds.
    try:
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk").get()
    except OperationalError as error:
        if isinstance(error.__cause__, psycopg.errors.LockNotAvailable):
            raise ExportRefused(
                _("Het is nu erg druk. Probeer het over een paar seconden opnieuw.")
            ) from error
        raise
