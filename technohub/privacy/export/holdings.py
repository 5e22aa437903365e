"""Reading what each holding of the inventory keeps about one person: one query per holding.

Each reader returns plain JSON-able rows; whoever else acted on a row is named by role only.
"""

from collections.abc import Iterable
from datetime import date, datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import F, Prefetch, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.models import Meeting, Offering, SchoolActivity
from companies.accounts.lockout import normalise_email
from companies.models import (
    FundingClaim,
    Interest,
    Invitation,
    Membership,
    Offer,
    Pledge,
    Proposal,
    TrainingNeed,
    User,
)
from enrolment import certificates_pdf
from enrolment.models import (
    Attendance,
    Certificate,
    Enrolment,
    EvaluationRequest,
    HeldQualification,
    Notification,
    SchoolEvaluation,
    SchoolRequest,
    SchoolVisit,
    SeatReservation,
    TransferCheck,
)
from enrolment.selectors import UNSHOWN_COURSE_FIELDS
from technohub.models import AuditLog


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
        # A mail that is no longer sent, or whose offering is gone: its other fields still say it.
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
            # Hub staff only: the college whose offerings a trainer looks after.
            "works_for_provider": user.provider.name if user.provider_id else None,
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
            "department": membership.department,
            "job_title": membership.job_title,
            "personnel_number": membership.personnel_number,
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
                "motivation": enrolment.motivation,
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
            "meeting_topic": mark.meeting.localized("topic"),
            "state": mark.get_state_display(),
            "hours": str(mark.hours),
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


def certificate_file(certificate: Certificate) -> str:
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
            "file": certificate_file(certificate),
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


def _reservation_rows(user: User) -> list[dict]:
    """Seats the person reserved for their company (as HR)."""
    return [
        {
            "id": reservation.pk,
            "company": reservation.company.name,
            "course": reservation.offering.course.localized("title"),
            "reserved_seats": reservation.reserved_seats,
            "seats_without_a_name": reservation.seats,
            "created_at": _iso(reservation.created_at),
            "released_at": _iso(reservation.released_at),
        }
        for reservation in SeatReservation.objects.filter(reserved_by=user)
        .select_related("company", "offering__course")
        .order_by("created_at", "pk")
    ]


def _proposal_rows(user: User) -> list[dict]:
    """Proposals for a training the person made."""
    return [
        {
            "id": proposal.pk,
            "title": proposal.title,
            "status": proposal.status,
            "status_label": proposal.get_status_display(),
            "created_at": _iso(proposal.created_at),
        }
        for proposal in Proposal.objects.filter(created_by=user).order_by("created_at", "pk")
    ]


def _pledge_rows(user: User) -> list[dict]:
    """Head counts the person pledged to a proposal for their company (as HR)."""
    return [
        {
            "id": pledge.pk,
            "company": pledge.company.name,
            "proposal": pledge.proposal.title,
            "headcount": pledge.headcount,
            "reserve_seats": pledge.reserve_seats,
            "created_at": _iso(pledge.created_at),
        }
        for pledge in Pledge.objects.filter(pledged_by=user)
        .select_related("company", "proposal")
        .order_by("created_at", "pk")
    ]


def _offer_rows(user: User) -> list[dict]:
    """Offers the person sent for their college."""
    return [
        {
            "id": offer.pk,
            "provider": offer.provider.name,
            "proposal": offer.proposal.title,
            "status": offer.status,
            "status_label": offer.get_status_display(),
            "created_at": _iso(offer.created_at),
        }
        for offer in Offer.objects.filter(submitted_by=user)
        .select_related("provider", "proposal")
        .order_by("created_at", "pk")
    ]


def _evaluation_request_rows(enrolments: list[Enrolment]) -> list[dict]:
    """Whether the person was asked to evaluate a run and answered; never what they answered."""
    return [
        {
            "course": request.enrolment.offering.course.localized("title"),
            "asked_at": _iso(request.sent_at),
            "reminded_at": _iso(request.reminded_at),
            "answered_at": _iso(request.answered_at),
        }
        for request in EvaluationRequest.objects.filter(enrolment__in=enrolments)
        .select_related("enrolment__offering__course")
        .order_by("created_at", "pk")
    ]


def _transfer_check_rows(enrolments: list[Enrolment], *, user: User) -> list[dict]:
    """What HR answered about the person applying a course at work, three months on."""
    return [
        {
            "course": check.enrolment.offering.course.localized("title"),
            "asked_at": _iso(check.asked_at),
            "answer": check.answer,
            "answer_label": check.get_answer_display(),
            "answered_at": _iso(check.answered_at),
            "answered_by": _by(check.answered_by_id, user=user),
        }
        for check in TransferCheck.objects.filter(enrolment__in=enrolments)
        .select_related("enrolment__offering__course")
        .order_by("created_at", "pk")
    ]


def _funding_claim_rows(user: User) -> list[dict]:
    """Where the employer's subsidy claims for the person's courses stand."""
    return [
        {
            "course": claim.course.localized("title"),
            "company": claim.company.name,
            "scheme": str(claim.scheme),
            "status": claim.status,
            "status_label": claim.get_status_display(),
            "applied_on": _iso(claim.applied_on),
            "reference": claim.reference,
            "amount": str(claim.amount) if claim.amount is not None else None,
            "decided_on": _iso(claim.decided_on),
            "note": claim.note,
            "updated_by": _by(claim.updated_by_id, user=user, company=claim.company.name),
        }
        for claim in FundingClaim.objects.filter(learner=user)
        .select_related("course", "company", "scheme")
        .order_by("created_at", "pk")
    ]


def _held_qualification_rows(user: User) -> list[dict]:
    """The qualifications the person holds, earned here or entered by HR."""
    return [
        {
            "qualification": held.qualification.localized("name"),
            "obtained_on": _iso(held.obtained_on),
            "expires_on": _iso(held.expires_on),
            "enrolment_id": held.enrolment_id,
            "issuer": held.issuer,
            "document_reference": held.document_reference,
            "entered_by": _by(held.entered_by_id, user=user),
        }
        for held in HeldQualification.objects.filter(person=user)
        .select_related("qualification")
        .order_by("obtained_on", "pk")
    ]


def _school_request_rows(user: User) -> list[dict]:
    """The school visits the person requested as a teacher: school, groups as counts, when."""
    return [
        {
            "activity": request.activity.localized("title"),
            "school": str(request.school),
            "groups": [str(group) for group in request.groups.all()],
            "supervisors": request.supervisors,
            "contact_phone": request.contact_phone,
            "accessibility": request.accessibility,
            "preferred_dates": [_iso(day) for day in request.preferred_dates],
            "window_from": _iso(request.window_from),
            "window_to": _iso(request.window_to),
            "blackout_dates": [_iso(day) for day in request.blackout_dates],
            "transport": request.transport,
            "transport_label": request.get_transport_display(),
            "question": request.question,
            "status": request.status,
            "status_label": request.get_status_display(),
            "cancelled_at": _iso(request.cancelled_at),
            "cancel_reason": request.cancel_reason,
            "created_at": _iso(request.created_at),
        }
        for request in SchoolRequest.objects.filter(teacher=user)
        .select_related("activity", "school")
        .prefetch_related("groups")
        .order_by("created_at", "pk")
    ]


def _school_evaluation_rows(user: User) -> list[dict]:
    """The person's evaluations of the school visits they requested."""
    return [
        {
            "activity": evaluation.request.activity.localized("title"),
            "engagement": evaluation.engagement,
            "fit": evaluation.fit,
            "improvement": evaluation.improvement,
            "answered_on": _iso(evaluation.answered_on),
        }
        for evaluation in SchoolEvaluation.objects.filter(request__teacher=user)
        .select_related("request__activity")
        .order_by("answered_on", "pk")
    ]


def _school_visit_rows(user: User) -> list[dict]:
    """School visits the person (as hub staff) planned."""
    return [
        {
            "activity": visit.activity.localized("title"),
            "school": str(visit.request.school),
            "date": _iso(visit.date),
            "status": visit.status,
            "status_label": visit.get_status_display(),
            "host_decline_reason": visit.host_decline_reason,
        }
        for visit in SchoolVisit.objects.filter(planned_by=user)
        .select_related("activity", "request__school")
        .order_by("date", "pk")
    ]


def _hosted_activity_rows(user: User) -> list[dict]:
    """Activities for schools the person confirms visits for, as the host's contact."""
    return [
        {
            "activity": activity.localized("title"),
            "company": activity.host.name if activity.host else None,
        }
        for activity in SchoolActivity.objects.filter(host_contact=user)
        .select_related("host")
        .order_by("title", "pk")
    ]


def _go_decision_rows(user: User) -> list[dict]:
    """Runs below their minimum the person (as hub staff) let go ahead."""
    return [
        {
            "id": offering.pk,
            "course": offering.course.localized("title"),
            "go_decided_at": _iso(offering.go_decided_at),
        }
        for offering in Offering.objects.filter(go_decided_by=user)
        .select_related("course")
        .order_by("go_decided_at", "pk")
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


def read_records(*, user: User, now: datetime) -> tuple[dict[str, list[dict]], list[Certificate]]:
    """The rows of every holding about ``user``, by model label, and their certificates (with
    what their PDFs need loaded)."""
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
        "enrolment.SeatReservation": _reservation_rows(user),
        "catalogue.Offering": _go_decision_rows(user),
        "companies.Proposal": _proposal_rows(user),
        "companies.Pledge": _pledge_rows(user),
        "companies.Offer": _offer_rows(user),
        "enrolment.EvaluationRequest": _evaluation_request_rows(enrolments),
        "enrolment.TransferCheck": _transfer_check_rows(enrolments, user=user),
        "companies.FundingClaim": _funding_claim_rows(user),
        "enrolment.HeldQualification": _held_qualification_rows(user),
        "enrolment.SchoolRequest": _school_request_rows(user),
        "enrolment.SchoolEvaluation": _school_evaluation_rows(user),
        "enrolment.SchoolVisit": _school_visit_rows(user),
        "catalogue.SchoolActivity": _hosted_activity_rows(user),
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
    return records, certificates
