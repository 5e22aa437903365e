"""Telling HR about employees' requests: a mail per request at once, or an hourly bundle.

Each HR member of the paying company chooses (``Membership.request_mail``). A request is
mailed at once, in the same transaction that makes it, to everyone who chose "each"; the beat
task :func:`queue_request_bundles` gathers the requests no bundle took yet and mails each HR
member who chose "hourly" one list per company. The daily digest (``companies.portal.digest``)
is separate and unchanged. Every mail carries links to approve and to reject each request:
they open a confirmation page in the portal (after log-in), never act on a click alone.
"""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from companies.models import Company, Membership

from .. import outbox, pricing
from ..models import Enrolment


def _hr_members(*, company_ids, choice: str):
    """Active HR members of the companies who hear of requests the way ``choice`` says."""
    return (
        Membership.objects.filter(
            company_id__in=company_ids,
            role=Membership.Role.HR,
            request_mail=choice,
            user__is_active=True,
        )
        .select_related("user", "company")
        .order_by("company_id", "pk")
    )


def _decision_urls(*, company: Company, enrolment_id: int, language: str) -> dict:
    """The portal's approve and reject pages of one request, in ``language``."""
    with translation.override(language):
        return {
            "approve_url": settings.SITE_URL
            + reverse("portal:approve_request", args=[company.slug, enrolment_id]),
            "reject_url": settings.SITE_URL
            + reverse("portal:reject_request", args=[company.slug, enrolment_id]),
            "requests_url": settings.SITE_URL + reverse("portal:requests", args=[company.slug]),
        }


def queue_request_mails(*, enrolment: Enrolment) -> int:
    """Write the "request_for_hr" mail about a new request to each HR member of its company
    who wants a mail per request, each in their own language (not to the requester).

    Call inside the transaction that made the request. Returns how many mails were written.
    """
    if enrolment.company_id is None:
        return 0
    written = 0
    for membership in _hr_members(
        company_ids=[enrolment.company_id], choice=Membership.RequestMail.EACH
    ):
        hr = membership.user
        if hr.pk == enrolment.learner_id:
            continue
        context = {
            "company": membership.company.name,
            **_decision_urls(
                company=membership.company,
                enrolment_id=enrolment.pk,
                language=hr.preferred_language,
            ),
        }
        outbox.queue_for(hr, template="request_for_hr", enrolment=enrolment, context=context)
        written += 1
    return written


def _request_line(enrolment: Enrolment, *, company: Company, language: str) -> dict:
    """One request in a bundle, as plain JSON in ``language``."""
    meetings = sorted(enrolment.offering.meetings.all(), key=lambda meeting: meeting.starts_at)
    seat = pricing.seats_cost(offering=enrolment.offering, seats=1)
    with translation.override(language):
        dates = ""
        if meetings:
            first = formats.date_format(timezone.localtime(meetings[0].starts_at), "j F Y")
            last = formats.date_format(timezone.localtime(meetings[-1].ends_at), "j F Y")
            dates = first if first == last else f"{first} – {last}"
        return {
            "learner": str(enrolment.learner),
            "email": enrolment.learner.email,
            "course": enrolment.offering.course.localized("title"),
            "dates": dates,
            "price": str(seat.excl_vat),
            "motivation": enrolment.motivation,
            **_decision_urls(company=company, enrolment_id=enrolment.pk, language=language),
        }


def queue_request_bundles(*, now: datetime) -> int:
    """Mail each HR member who chose the hourly bundle the requests of their company that no
    bundle took yet and that still wait; nothing to anyone when there are none.

    Each request is in at most one bundle: one run at a time (a transaction-level advisory
    lock; a second run at the same moment does nothing) claims the requests (``bundled_at``),
    under row locks against a decision racing it, in the transaction that writes the mails.
    Requests of companies whose HR all chose a mail per request are claimed too (they were
    mailed already). The number of queries does not depend on the number of requests.
    Returns how many mails were written.
    """
    with transaction.atomic(durable=True):
        # Two beat runs at once (a redelivered task): one runs, the other finds the lock taken
        # and leaves, so no request is split over two bundles or bundled twice.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", ["request-bundles"])
            if not cursor.fetchone()[0]:
                return 0
        claimed = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(
                status=Enrolment.Status.REQUESTED,
                bundled_at__isnull=True,
                company__isnull=False,
                created_at__lte=now,
            )
            .select_related("learner", "offering__course")
            .prefetch_related("offering__meetings")
            .order_by("created_at", "pk")
        )
        if not claimed:
            return 0
        Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in claimed]).update(
            bundled_at=now
        )
        by_company: dict[int, list[Enrolment]] = {}
        for enrolment in claimed:
            by_company.setdefault(enrolment.company_id, []).append(enrolment)
        written = 0
        for membership in _hr_members(
            company_ids=list(by_company), choice=Membership.RequestMail.HOURLY
        ):
            hr, company = membership.user, membership.company
            requests = [e for e in by_company[company.pk] if e.learner_id != hr.pk]
            if not requests:
                continue
            lines = [
                _request_line(e, company=company, language=hr.preferred_language) for e in requests
            ]
            with translation.override(hr.preferred_language):
                requests_url = settings.SITE_URL + reverse("portal:requests", args=[company.slug])
            outbox.queue_for(
                hr,
                template="requests_for_hr",
                context={"company": company.name, "requests": lines, "requests_url": requests_url},
            )
            written += 1
    return written
