"""Retention: what the privacy statement promises to delete, deleted when it said it would.

Each service takes ``now`` (so tests control time), works in bounded batches that each commit
on their own (a large backlog never holds one transaction or many locks for long), returns how
many rows it handled, and is safe to run again: a second run finds nothing left to do. The
periods are the ``PRIVACY_*`` settings, which the statement and the inventory render too.
Celery beat runs them every night (``technohub.tasks``).
"""

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext

from catalogue.models import Offering
from companies.models import Invitation, User
from enrolment import outbox
from enrolment.models import (
    Certificate,
    Enrolment,
    HeldQualification,
    Notification,
    SchoolEvaluation,
    SchoolRequest,
)
from technohub.models import AuditLog
from technohub.privacy import erasure

logger = logging.getLogger(__name__)

BATCH = 500
WARNING_TEMPLATE = "account_inactive"


def _delete_in_batches(queryset: QuerySet) -> int:
    """Delete the rows of ``queryset`` ``BATCH`` at a time, each batch its own transaction."""
    deleted = 0
    while True:
        # One short transaction per batch: a backlog of years never locks many rows at once.
        with transaction.atomic(durable=True):
            pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not pks:
                return deleted
            queryset.model._default_manager.filter(pk__in=pks).delete()
        deleted += len(pks)


def years_before(moment: datetime, *, years: int) -> datetime:
    """The same moment ``years`` calendar years earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def describe_days(days: int) -> str:
    """A period of ``days`` as the statement says it, in the active language: whole years as
    years ("2 jaar"), anything else in days ("90 dagen")."""
    if days and days % 365 == 0:
        return describe_years(days // 365)
    return ngettext("%(count)s dag", "%(count)s dagen", days) % {"count": days}


def describe_years(years: int) -> str:
    return ngettext("%(count)s jaar", "%(count)s jaar", years) % {"count": years}


def statement_periods() -> dict[str, str]:
    """The retention periods of the privacy statement, rendered from the settings."""
    return {
        "account_inactive": describe_days(settings.PRIVACY_ACCOUNT_INACTIVE_DAYS),
        "account_warning": describe_days(settings.PRIVACY_ACCOUNT_WARNING_DAYS),
        "mail": describe_days(settings.PRIVACY_MAIL_RETENTION_DAYS),
        "records": describe_years(settings.PRIVACY_RECORDS_RETENTION_YEARS),
        "certificates": describe_years(settings.PRIVACY_CERTIFICATE_RETENTION_YEARS),
        "login_records": describe_days(settings.PRIVACY_LOGIN_LOG_RETENTION_DAYS),
        "invitations": describe_days(settings.PRIVACY_INVITATION_RETENTION_DAYS),
    }


# --- Accounts ---------------------------------------------------------------------------------


def _people() -> QuerySet[User]:
    """Accounts the retention period applies to, each with its ``last_activity``.

    Staff and superusers are managed by the hub and erased accounts are done. The last
    activity is the latest of joining, logging in and an enrolment being made or changing.
    PostgreSQL's GREATEST skips the NULLs of people who never logged in or enrolled.
    """
    return (
        User.objects.filter(is_staff=False, is_superuser=False, erased_at__isnull=True)
        .annotate(
            last_activity=Greatest(
                "date_joined",
                "last_login",
                Max("enrolments__created_at"),
                Max("enrolments__status_changed_at"),
            )
        )
        .order_by("pk")
    )


def _warning_key(user: User) -> str:
    """One warning per period of inactivity: a log-in or enrolment starts a new period."""
    return f"{WARNING_TEMPLATE}:{user.pk}:{int(user.last_activity.timestamp())}"


def _in_batches(queryset: QuerySet[User]) -> Iterator[list[User]]:
    """The rows of ``queryset`` (ordered by pk) in lists of ``BATCH``, by primary-key cursor."""
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _deletion_date(*, user: User, now: datetime) -> date:
    """The day the account goes: the end of the period, but never less than the warning's
    notice after the warning (a warning written late moves the date, not the notice)."""
    end_of_period = user.last_activity + timedelta(days=settings.PRIVACY_ACCOUNT_INACTIVE_DAYS)
    notice = now + timedelta(days=settings.PRIVACY_ACCOUNT_WARNING_DAYS)
    return timezone.localdate(max(end_of_period, notice))


def _warning_context(*, user: User, now: datetime) -> dict:
    with translation.override(user.preferred_language):
        return {
            "deletion_date": formats.date_format(_deletion_date(user=user, now=now), "j F Y"),
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        }


def warn_inactive_accounts(*, now: datetime) -> int:
    """Mail each account that has been unused for the inactive period less the warning period
    that it will be deleted unless its owner logs in.

    One mail per period of inactivity (a ``dedupe_key`` made from the last activity), so a
    rerun never mails twice; logging in or enrolling starts a new period. The mail goes
    through the outbox in the recipient's language. Returns how many warnings were written.
    """
    cutoff = now - timedelta(
        days=settings.PRIVACY_ACCOUNT_INACTIVE_DAYS - settings.PRIVACY_ACCOUNT_WARNING_DAYS
    )
    warned = 0
    # A deactivated account cannot log in to keep itself: it gets no warning (see below).
    for batch in _in_batches(_people().filter(last_activity__lt=cutoff, is_active=True)):
        keys = {user.pk: _warning_key(user) for user in batch}
        sent = set(
            Notification.objects.filter(dedupe_key__in=keys.values()).values_list(
                "dedupe_key", flat=True
            )
        )
        # One transaction per batch; the unique dedupe key stops a second beat run racing this.
        with transaction.atomic(durable=True):
            for user in batch:
                if keys[user.pk] in sent:
                    continue
                warned += outbox.queue_once_for(
                    user,
                    template=WARNING_TEMPLATE,
                    dedupe_key=keys[user.pk],
                    context=_warning_context(user=user, now=now),
                )
    return warned


def erase_inactive_accounts(*, now: datetime) -> int:
    """Erase each account unused for the inactive period whose owner was sent a warning for
    this period at least the warning period ago (``technohub.privacy.erasure.erase_person``).

    An account without such a warning, or whose warning is still waiting in the outbox, is
    left alone, so nobody is erased without notice; only an account the hub deactivated,
    which could not act on a warning, goes at the end of the period without one. Each
    erasure commits on its own.
    Returns how many were erased.
    """
    cutoff = now - timedelta(days=settings.PRIVACY_ACCOUNT_INACTIVE_DAYS)
    warned_before = now - timedelta(days=settings.PRIVACY_ACCOUNT_WARNING_DAYS)
    erased = 0
    for batch in _in_batches(_people().filter(last_activity__lt=cutoff)):
        keys = {user.pk: _warning_key(user) for user in batch}
        # The notice runs from the warning's delivery. A warning the mail server never took
        # (failed for good) does not keep the account forever: the notice runs from writing it.
        noticed = set(
            Notification.objects.filter(
                Q(sent_at__lte=warned_before)
                | Q(failed_at__isnull=False, created_at__lte=warned_before),
                dedupe_key__in=keys.values(),
            ).values_list("dedupe_key", flat=True)
        )
        for user in batch:
            if user.is_active and keys[user.pk] not in noticed:
                continue
            try:
                erasure.erase_person(user=user, actor=None, now=now)
            except Exception:  # one account that cannot be erased must not stop the others
                logger.exception("Could not erase inactive account %s", user.pk)
                continue
            erased += 1
    if erased:
        logger.info("Erased %s inactive account(s)", erased)
    return erased


# --- Mail, log-in records, sessions, invitations, logs ---------------------------------------


def purge_mail_bodies(*, now: datetime) -> int:
    """Empty the content (``context`` and ``last_error``) of outbox rows older than the mail
    retention period, sent or not; delete those rows outright when they were sent to an
    address without an account.

    A row of an account stays, without content, until the account is erased: its
    ``dedupe_key`` keeps a reminder or warning from going out twice, and template, address and
    dates show what was sent. An old row that was never sent is marked failed, so the sweep
    never sends it without its content. Returns how many rows were emptied or deleted.
    """
    cutoff = now - timedelta(days=settings.PRIVACY_MAIL_RETENTION_DAYS)
    old = Notification.objects.filter(created_at__lt=cutoff)
    purged = _delete_in_batches(old.filter(recipient__isnull=True))
    with_content = old.filter(
        ~Q(context={}) | ~Q(last_error="") | Q(sent_at__isnull=True, failed_at__isnull=True)
    )
    while True:
        # One short transaction per batch; the sender's compare-and-set ignores failed rows.
        with transaction.atomic(durable=True):
            pks = list(with_content.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not pks:
                return purged
            rows = Notification.objects.filter(pk__in=pks)
            rows.update(context={}, last_error="")
            rows.filter(sent_at__isnull=True, failed_at__isnull=True).update(
                failed_at=now, claimed_until=None
            )
        purged += len(pks)


def purge_login_records(*, now: datetime) -> int:
    """Delete lock-out counters, failed log-ins and the log-in history older than the log-in
    record period. Returns how many rows were deleted."""
    cutoff = now - timedelta(days=settings.PRIVACY_LOGIN_LOG_RETENTION_DAYS)
    return sum(
        _delete_in_batches(model.objects.filter(attempt_time__lt=cutoff))
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def purge_sessions(*, now: datetime) -> int:
    """Delete expired sessions (what ``clearsessions`` does, at ``now``). Returns how many."""
    return _delete_in_batches(Session.objects.filter(expire_date__lt=now))


def purge_invitations(*, now: datetime) -> int:
    """Delete invitations that expired, or were accepted, more than the invitation period
    ago. Returns how many were deleted."""
    cutoff = now - timedelta(days=settings.PRIVACY_INVITATION_RETENTION_DAYS)
    return _delete_in_batches(
        Invitation.objects.filter(
            Q(accepted_at__lt=cutoff) | Q(accepted_at__isnull=True, expires_at__lt=cutoff)
        )
    )


def purge_logs(*, now: datetime) -> int:
    """Delete audit rows and admin log entries older than the records period (they are kept
    as long as the enrolments they explain). Returns how many were deleted."""
    cutoff = years_before(now, years=settings.PRIVACY_RECORDS_RETENTION_YEARS)
    return _delete_in_batches(AuditLog.objects.filter(created_at__lt=cutoff)) + (
        _delete_in_batches(LogEntry.objects.filter(action_time__lt=cutoff))
    )


# --- Enrolments and certificates -------------------------------------------------------------


def purge_certificates(*, now: datetime) -> int:
    """Delete certificates issued more than the certificate period ago, and their PDF files.

    Their verification code then finds nothing. The files are removed after the rows' batch
    commits (no file I/O inside the transaction); a file that cannot be removed is logged and
    left, nameless of any row. Returns how many certificates were deleted.
    """
    cutoff = years_before(now, years=settings.PRIVACY_CERTIFICATE_RETENTION_YEARS)
    old = Certificate.objects.filter(issued_at__lt=cutoff).order_by("pk")
    deleted = 0
    while True:
        # One short transaction per batch of rows; the files go after it commits.
        with transaction.atomic(durable=True):
            batch = list(old[:BATCH])
            if not batch:
                return deleted
            Certificate.objects.filter(pk__in=[certificate.pk for certificate in batch]).delete()
        for certificate in batch:
            if certificate.pdf:
                try:
                    certificate.pdf.storage.delete(certificate.pdf.name)
                except OSError:
                    logger.exception("Could not remove %s", certificate.pdf.name)
        deleted += len(batch)


def purge_enrolments(*, now: datetime) -> int:
    """Delete ended enrolments, with their attendance, of offerings whose last meeting ended more
    than the records period ago.

    An enrolment whose certificate is still kept stays until :func:`purge_certificates`
    removed it (the certificate needs it to be verified). Enrolments still active in such a
    offering (data that was never closed) are left for staff. Returns how many were deleted.
    """
    cutoff = years_before(now, years=settings.PRIVACY_RECORDS_RETENTION_YEARS)
    ended_offerings = (
        Offering.objects.annotate(ended_at=Max("meetings__ends_at"))
        .filter(ended_at__lt=cutoff)
        .values("pk")
    )
    old = Enrolment.objects.filter(offering__in=ended_offerings, certificate__isnull=True).exclude(
        status__in=Enrolment.ACTIVE_STATUSES
    )
    # A qualification earned with the enrolment outlives it (VCA holds ten years, some never
    # expire): it keeps the hub as its issuer, and no longer points at the enrolment.
    with transaction.atomic(durable=True):
        HeldQualification.objects.filter(enrolment__in=old.values("pk")).update(
            enrolment=None, issuer="Technohub NOP"
        )
    return _delete_in_batches(old)


# --- Qualifications --------------------------------------------------------------------------


def purge_expired_qualifications(*, now: datetime) -> int:
    """Delete held qualifications that expired more than the expired-qualification period
    (``PRIVACY_EXPIRED_QUALIFICATION_RETENTION_YEARS``) ago; those that never expire stay as
    long as the account. Returns how many were deleted."""
    cutoff = years_before(
        timezone.localtime(now), years=(settings.PRIVACY_EXPIRED_QUALIFICATION_RETENTION_YEARS)
    ).date()
    return _delete_in_batches(HeldQualification.objects.filter(expires_on__lt=cutoff))


# --- School requests ---------------------------------------------------------------------------


def _school_request_end(school_request: SchoolRequest) -> date:
    """The last day a request was about: its last visit, the end of its window, its last
    preferred date, the day it was cancelled or made, whichever is latest."""
    days = [
        school_request.last_visit,
        school_request.window_to,
        max(school_request.preferred_dates, default=None),
        timezone.localdate(school_request.cancelled_at) if school_request.cancelled_at else None,
        timezone.localdate(school_request.created_at),
    ]
    return max(day for day in days if day is not None)


def purge_school_requests(*, now: datetime) -> int:
    """Strip the teacher's data from school requests that ended more than the school request
    period (``PRIVACY_SCHOOL_REQUEST_RETENTION_YEARS``) ago: the teacher is unlinked, the
    phone number, accessibility needs, question and reason of cancelling are emptied, and so
    is the evaluation's open answer. The school, the groups' counts, the visits and the
    evaluation's scores stay, for the funder's report. Requests still planned or confirmed
    are left alone. Returns how many requests were stripped; a second run finds none."""
    cutoff = years_before(
        timezone.localtime(now), years=settings.PRIVACY_SCHOOL_REQUEST_RETENTION_YEARS
    ).date()
    holds_data = (
        Q(teacher__isnull=False)
        | ~Q(contact_phone="")
        | ~Q(accessibility="")
        | ~Q(question="")
        | ~Q(cancel_reason="")
        | Q(evaluation__improvement__gt="")
    )
    candidates = (
        SchoolRequest.objects.filter(holds_data, created_at__date__lt=cutoff)
        .exclude(status__in=[SchoolRequest.Status.PLANNED, SchoolRequest.Status.CONFIRMED])
        .annotate(last_visit=Max("visits__date"))
        .order_by("pk")
    )
    stripped = 0
    last_pk = 0
    while True:
        batch = list(candidates.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return stripped
        last_pk = batch[-1].pk
        old = [item.pk for item in batch if _school_request_end(item) < cutoff]
        if not old:
            continue
        # One short transaction per batch; the rows are not locked for long.
        with transaction.atomic(durable=True):
            SchoolRequest.objects.filter(pk__in=old).update(
                teacher=None, contact_phone="", accessibility="", question="", cancel_reason=""
            )
            SchoolEvaluation.objects.filter(request_id__in=old).exclude(improvement="").update(
                improvement=""
            )
        stripped += len(old)
