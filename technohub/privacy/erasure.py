"""Erasing a person: what the site must keep, it keeps without their name.

:func:`erase_person` does what the inventory (``technohub.privacy.inventory``) says for every
holding, in two steps:

1. Enrolments in offerings that have not started yet are cancelled one by one through the enrolment
   services, as a staff cancellation: seats free up, the first on the waiting list moves up and
   is told, exactly as if the person had cancelled.
2. In one transaction, with the account row locked, everything else: memberships, interest,
   qualifications held, invitations, the mails sent to them, admin log entries by or about them,
   log-in records and sessions are deleted; reasons and motivations on their enrolments and notes
   on their funding claims, and the phone, notes and reason on their school requests and
   evaluations, are emptied; they are no longer a host's contact or a visit's planner;
   certificate files with their name are deleted; other rows that mention their name or address
   (someone else's audit row or HR's digest mail) have it replaced; and the account row itself
   becomes nameless and inactive (``erased_at`` set).
   Enrolments, attendance, funding claims and certificate numbers stay linked to that nameless
   row, so the employer's funding claim and a certificate's verification still work.

Running it again on an erased account does nothing.
"""

import logging
import re
from datetime import datetime
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import CharField, EmailField, JSONField, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import SchoolActivity
from companies.models import FundingClaim, Interest, Invitation, Membership, User
from enrolment import services as enrolment_services
from enrolment.models import (
    Certificate,
    Enrolment,
    HeldQualification,
    Notification,
    SchoolEvaluation,
    SchoolRequest,
    SchoolVisit,
)
from technohub import audit
from technohub.models import AuditLog

from .inventory import HOLDINGS
from .selectors import enrolments_not_started

logger = logging.getLogger(__name__)

# What stands where an erased person's name or address was, in rows that stay for others.
PLACEHOLDER = _("verwijderd account")


def erase_person(*, user: User, actor: User | None, now: datetime | None = None) -> bool:
    """Erase ``user``'s personal data as the inventory prescribes; ``actor`` asked for it
    (the person, the programme manager, or ``None`` for the retention task).

    Returns False when the account was already erased.
    """
    now = now or timezone.now()
    if user.erased_at:
        return False
    _cancel_enrolments_not_started(user=user, actor=actor, now=now)
    with transaction.atomic():
        # The account row first: a second erasure, a log-in or an enrolment of this person
        # waits here until this one committed, and then sees an erased, inactive account.
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.erased_at:
            return False
        terms = _identifying_terms(user)
        _delete_personal_rows(user=user)
        _scrub_own_rows(user=user)
        _replace_mentions(terms=terms)
        _make_nameless(user=user, now=now)
        audit.record(
            action="privacy.erased",
            target=user,
            actor=actor if actor is not None and actor.pk != user.pk else None,
        )
    return True


def _cancel_enrolments_not_started(*, user: User, actor: User | None, now: datetime) -> None:
    """Active enrolments in offerings that have not begun: cancelled through the normal service.

    Offerings that began or ended stay as they are: attendance and completion are the employer's
    record and are kept, nameless.
    """
    not_started = enrolments_not_started(user=user, now=now).values_list("pk", flat=True)
    for enrolment_id in list(not_started):
        try:
            enrolment_services.cancel_enrolment(
                enrolment_id=enrolment_id,
                actor=actor or user,
                reason="",
                enforce_deadline=False,
                now=now,
            )
        except enrolment_services.EnrolmentRefused:
            # It ended in the meantime (HR rejected it, the offering was cancelled): nothing to do.
            logger.info("Enrolment %s ended before erasure could cancel it", enrolment_id)


def _identifying_terms(user: User) -> list[str]:
    """The strings that name this person elsewhere: their address and full name."""
    return [term for term in (user.email, user.get_full_name()) if len(term) >= 3]


def _delete_personal_rows(*, user: User) -> None:
    user_type = ContentType.objects.get_for_model(User)
    Membership.objects.filter(user=user).delete()
    Interest.objects.filter(learner=user).delete()
    HeldQualification.objects.filter(person=user).delete()
    Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()
    Notification.objects.filter(Q(recipient=user) | Q(to_email__iexact=user.email)).delete()
    enrolment_ids = [str(pk) for pk in Enrolment.objects.filter(learner=user).values_list("pk")]
    LogEntry.objects.filter(
        Q(user=user)
        | Q(content_type=user_type, object_id=str(user.pk))
        | Q(content_type=ContentType.objects.get_for_model(Enrolment), object_id__in=enrolment_ids)
    ).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    _delete_sessions(user=user)


def _delete_sessions(*, user: User) -> None:
    """Log the person out everywhere: their sessions go from the database and from the
    shared cache (the stored data must be decoded to find them)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.pk).delete()


def _scrub_own_rows(*, user: User) -> None:
    """Rows kept for others: the person's free text goes, the record of what happened stays."""
    enrolments = Enrolment.objects.filter(learner=user)
    enrolments.exclude(reason="").update(reason="")
    enrolments.exclude(motivation="").update(motivation="")
    FundingClaim.objects.filter(learner=user).exclude(note="").update(note="")
    SchoolRequest.objects.filter(teacher=user).update(
        contact_phone="", accessibility="", question="", cancel_reason=""
    )
    SchoolEvaluation.objects.filter(request__teacher=user).exclude(improvement="").update(
        improvement=""
    )
    SchoolVisit.objects.filter(planned_by=user).update(planned_by=None)
    SchoolActivity.objects.filter(host_contact=user).update(host_contact=None)
    for certificate in Certificate.objects.filter(enrolment__in=enrolments).exclude(pdf=""):
        # The file carries the name; the number and code stay for verification.
        stored = certificate.pdf
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))
        certificate.pdf = ""
        certificate.save(update_fields=["pdf"])
    own = Q(content_type=ContentType.objects.get_for_model(User), object_id=user.pk) | Q(
        content_type=ContentType.objects.get_for_model(Enrolment),
        object_id__in=enrolments.values("pk"),
    )
    AuditLog.objects.filter(own).exclude(data={}).update(data={})


def _replace_mentions(*, terms: list[str]) -> None:
    """Rows kept for others that name the person (an audit row, HR's digest mail, a need's
    description): in every text field of the inventory, the name and address become the
    placeholder."""
    if not terms:
        return
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    for model, field in _text_fields_of_inventory():
        mentions = Q()
        for term in terms:
            mentions |= Q(as_text__icontains=term)
        rows = model.objects.annotate(as_text=Cast(field.name, TextField())).filter(mentions)
        for row in rows:
            setattr(row, field.attname, _replace_in(getattr(row, field.attname), pattern))
            row.save(update_fields=[field.name])


def _text_fields_of_inventory():
    """Free text and JSON of the inventory. Address fields are left out: rows with the
    person's own address were deleted, and a match inside someone else's address (``an@x.nl``
    in ``jan@x.nl``) must not change it. The account rows themselves are made nameless apart."""
    for holding in HOLDINGS:
        model = apps.get_model(holding.model)
        if model is User:
            continue
        for name in holding.fields:
            field = model._meta.get_field(name)
            if isinstance(field, (CharField, TextField, JSONField)) and not isinstance(
                field, EmailField
            ):
                yield model, field


def _replace_in(value, pattern: re.Pattern):
    """``value`` (JSON: dicts, lists, strings) with every match of ``pattern`` replaced."""
    if isinstance(value, str):
        return pattern.sub(str(PLACEHOLDER), value)
    if isinstance(value, list):
        return [_replace_in(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, pattern) for key, item in value.items()}
    return value


def _make_nameless(*, user: User, now: datetime) -> None:
    user.email = f"verwijderd-{user.pk}@verwijderd.invalid"
    user.first_name = user.last_name = user.phone = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.provider = None
    user.email_verified_at = user.last_login = None
    user.erased_at = now
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
