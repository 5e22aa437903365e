"""Mailing HR before a funding claim's application window closes.

Every day (beat, 07:15) for each enrolment that may be claimed and is not applied for yet, whose
last day to apply is ``FUNDING_ALARM_DAYS`` (30 and 7) days away or less: one mail per HR member
per company listing those enrolments. For a scheme that wants the application before the course
starts (OOM) the last day is the day before the start, so the mail comes before the course.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation

from enrolment import outbox
from technohub import audit

from ..models import Company, FundingClaim, FundingScheme, Membership
from . import claim_selectors, rules
from .claims import new_claim

Status = FundingClaim.Status


def _due_values(row: claim_selectors.ClaimRow, sent: list[int]) -> list[int]:
    """The alarm values (days before the deadline) reached and not mailed yet."""
    days = row.days_left
    if days is None or days < 0:
        return []
    return [value for value in settings.FUNDING_ALARM_DAYS if days <= value and value not in sent]


def _candidates(*, today: date):
    """Enrolments that may be claimed and are not applied for, of companies with a fund, whose
    run starts in the span where some scheme's deadline can fall in the alarms' window."""
    longest_window = max(
        FundingScheme.objects.filter(window=FundingScheme.Window.AFTER_START)
        .values_list("window_months", flat=True)
        .order_by("-window_months")[:1],
        default=0,
    )
    earliest = rules.add_months(today, -longest_window) - timedelta(days=1)
    latest = today + timedelta(days=max(settings.FUNDING_ALARM_DAYS) + 2)
    return (
        claim_selectors.claim_candidates()
        .filter(status__in=rules.CLAIMABLE_STATUSES)
        .exclude(company__sector_fund__in=[Company.Fund.NONE, ""])
        .filter(Q(funding_claim__isnull=True) | Q(funding_claim__status=Status.NOT_APPLIED))
        .filter(first_starts_at__date__gte=earliest, first_starts_at__date__lte=latest)
        .order_by("company_id", "first_starts_at", "pk")
    )


def send_deadline_alarms(*, today: date | None = None) -> int:
    """Mail each company's HR members about the enrolments whose application deadline is near.

    An enrolment is in the mail when it may be claimed (confirmed or completed, with an
    estimate), has no claim or one *niet aangevraagd*, and its deadline is at most one of
    ``FUNDING_ALARM_DAYS`` away and not past, for a value not mailed before. The values mailed
    go into the claim's ``alarms_sent`` (the claim is created *niet aangevraagd* under lock), so
    each is mailed once; a day the task did not run still brings the alarm once, with every
    value it passed recorded (never two mails at once). HR members who left the company, or
    whose account is inactive or erased, get nothing. One mail per HR member per company per
    run, in their language, through the outbox.

    Safe to repeat: a second run the same day finds nothing new. Two runs at once: one runs,
    the other finds the lock taken and does nothing. Returns how many mails were queued.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        # One run at a time, or two redelivered tasks would both mail the same alarm.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", ["funding-alarms"])
            if not cursor.fetchone()[0]:
                return 0
        enrolments = list(_candidates(today=today))
        schemes = rules.schemes_by_fund({enrolment.company.sector_fund for enrolment in enrolments})
        due = {}
        for enrolment in enrolments:
            row = claim_selectors.build_row(
                enrolment, schemes=schemes.get(enrolment.company.sector_fund, []), today=today
            )
            if row is None or row.estimate is None:
                continue
            sent = row.claim.alarms_sent if row.claim else []
            if _due_values(row, sent):
                due[enrolment.pk] = row
        if not due:
            return 0
        FundingClaim.objects.bulk_create(
            [
                new_claim(enrolment=row.enrolment, scheme=row.scheme)
                for row in due.values()
                if row.claim is None
            ],
            ignore_conflicts=True,
        )
        # Row locks: HR saving a step at this moment either goes first (and the claim is no
        # longer niet aangevraagd) or after the alarm is recorded.
        claims = FundingClaim.objects.select_for_update().filter(enrolment_id__in=list(due))
        by_company: dict[int, list[claim_selectors.ClaimRow]] = {}
        for claim in claims.order_by("pk"):
            row = due[claim.enrolment_id]
            values = _due_values(row, claim.alarms_sent)
            if claim.status != Status.NOT_APPLIED or not values:
                continue
            claim.alarms_sent = sorted({*claim.alarms_sent, *values}, reverse=True)
            claim.save(update_fields=["alarms_sent", "updated_at"])
            by_company.setdefault(claim.company_id, []).append(row)
        hr_members = Membership.objects.hr_to_mail(by_company)
        queued = 0
        for membership in hr_members:
            rows = sorted(by_company[membership.company_id], key=lambda row: row.deadline)
            queued += _mail_hr(membership, rows, today=today)
        for rows in by_company.values():
            audit.record(
                action="funding_claims.alarmed",
                target=rows[0].enrolment.company,
                count=len(rows),
            )
        return queued


def _mail_hr(membership: Membership, rows: list[claim_selectors.ClaimRow], *, today: date) -> bool:
    hr, company = membership.user, membership.company
    with translation.override(hr.preferred_language):
        claims = [
            {
                "name": str(row.enrolment.learner),
                "course": row.enrolment.offering.course.localized("title"),
                "scheme": row.scheme.localized("name"),
                "amount": formats.number_format(row.estimate.amount, 2, force_grouping=True),
                "deadline": formats.date_format(row.deadline, "j F Y"),
                "days": row.days_left,
                "before_start": row.applies_before_start,
            }
            for row in rows
        ]
        funding_url = settings.SITE_URL + reverse("portal:funding", args=[company.slug])
    return outbox.queue_once_for(
        hr,
        template="funding_deadline",
        dedupe_key=f"funding-deadline:{company.pk}:{hr.pk}:{today.isoformat()}",
        context={"company": company.name, "claims": claims, "funding_url": funding_url},
    )
