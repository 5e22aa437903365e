"""Mails before a qualification expires: to the holder and to the HR of each company they work
for, with the next runs of the courses that renew it.

The values in ``QUALIFICATION_ALARM_DAYS`` (90 and 30) are the days before the expiry date on
which a mail is due. Each daily run looks at the latest held qualification per person and
qualification; when one or more values are due that were not mailed yet, *one* mail goes, for
the nearest of them (someone first seen 20 days before expiry gets the 30-day mail, not a
90-day one as well), and every due value is recorded in ``alarms_sent`` under the row's lock.

Someone who already has an active enrolment in an upcoming run that renews the qualification
gets no mail, and neither does their HR: there is nothing to do. Nothing is recorded then, so
that if they cancel, the next run mails after all. Inactive and erased accounts get nothing and
their HR is not told about them.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation

from catalogue.models import Offering
from companies.models import Membership

from .. import outbox
from ..models import HeldQualification
from . import selectors

HOLDER_TEMPLATE = "qualification_expiring"
HR_TEMPLATE = "qualifications_expiring"
# The runs a mail lists per qualification, soonest first.
RUNS_PER_MAIL = 3


def due_values(*, expires_on: date, today: date, sent: list[int]) -> list[int]:
    """The alarm values (days before expiry) due on ``today`` and not sent yet, largest first."""
    days_left = (expires_on - today).days
    if days_left < 0:
        return []
    return sorted(
        (
            days
            for days in settings.QUALIFICATION_ALARM_DAYS
            if days_left <= days and days not in sent
        ),
        reverse=True,
    )


def _candidates(today: date) -> QuerySet[HeldQualification]:
    longest = max(settings.QUALIFICATION_ALARM_DAYS, default=0)
    return selectors.latest_held().filter(
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=longest),
        person__is_active=True,
        person__erased_at__isnull=True,
    )


def _run_line(offering: Offering, *, language: str, company_slug: str | None) -> dict:
    with translation.override(language):
        course_url = settings.SITE_URL + reverse(
            "catalogue:course_detail", args=[offering.course.slug]
        )
        team_url = (
            settings.SITE_URL + reverse("portal:team_enrol", args=[company_slug, offering.pk])
            if company_slug
            else ""
        )
        return {
            "course": offering.course.localized("title"),
            "starts": formats.date_format(timezone.localtime(offering.first_starts_at), "j F Y"),
            "location": offering.location.localized("name") if offering.location else "",
            "url": team_url or course_url,
        }


def _runs_for(runs: list[Offering], *, courses: set[int], company_ids: set[int]) -> list[Offering]:
    return [
        run
        for run in runs
        if run.course_id in courses and selectors.run_is_open_to(run, company_ids)
    ][:RUNS_PER_MAIL]


def send_expiry_alarms(*, today: date | None = None) -> int:
    """Mail holders and their HR about qualifications expiring within an alarm value.

    One durable transaction: the due rows are locked (``FOR UPDATE``), their ``alarms_sent``
    updated, and the mails written to the outbox, so a mail and its record commit together.
    The holder gets ``qualification_expiring`` (their language) per qualification and value;
    each HR member of each company the holder is on the roster of gets one
    ``qualifications_expiring`` per company per day listing the people (dedupe key per HR
    member, company and day). Runs listed: open runs of the refresher courses (else of the
    courses that grant it), public or closed for the company. Safe to repeat: a value is
    mailed once; two runs at once: the second finds the advisory lock taken and does nothing.
    Returns how many mails were queued.
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic(durable=True):
        # One run at a time: two redelivered tasks would otherwise mail the same values.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(hashtext(%s))", ["qualification-alarms"]
            )
            if not cursor.fetchone()[0]:
                return 0
        # Row locks: HR correcting an expiry date meanwhile waits, and its reset of
        # alarms_sent is not overwritten by this run.
        rows = list(
            HeldQualification.objects.select_for_update(of=("self",))
            .filter(pk__in=_candidates(today).values("pk"))
            .select_related("person", "qualification")
            .order_by("pk")
        )
        due = {}
        for held in rows:
            values = due_values(expires_on=held.expires_on, today=today, sent=held.alarms_sent)
            if values:
                due[held.pk] = (held, values)
        if not due:
            return 0
        course_ids = selectors.renewing_course_ids(
            {held.qualification_id for held, _ in due.values()}
        )
        enrolled = selectors.enrolled_in_renewal(
            pairs=[(held.person_id, held.qualification_id) for held, _ in due.values()],
            course_ids=course_ids,
            now=now,
        )
        to_mail = [
            (held, values)
            for held, values in due.values()
            if (held.person_id, held.qualification_id) not in enrolled
        ]
        if not to_mail:
            return 0
        runs = selectors.upcoming_runs(course_ids=set().union(*course_ids.values()), now=now)
        memberships = list(
            Membership.objects.filter(user_id__in={held.person_id for held, _ in to_mail})
            .select_related("company")
            .order_by("company_id", "pk")
        )
        companies_of: dict[int, set[int]] = defaultdict(set)
        for membership in memberships:
            companies_of[membership.user_id].add(membership.company_id)
        queued = 0
        for held, values in to_mail:
            held.alarms_sent = sorted({*held.alarms_sent, *values})
            held.save(update_fields=["alarms_sent", "updated_at"])
            queued += _mail_holder(
                held,
                value=values[-1],
                today=today,
                runs=_runs_for(
                    runs,
                    courses=course_ids.get(held.qualification_id, set()),
                    company_ids=companies_of.get(held.person_id, set()),
                ),
            )
        queued += _mail_hr(
            to_mail, memberships=memberships, runs=runs, course_ids=course_ids, today=today
        )
        return queued


def _expiry(held: HeldQualification) -> str:
    return formats.date_format(held.expires_on, "j F Y")


def _mail_holder(held: HeldQualification, *, value: int, today: date, runs: list[Offering]) -> int:
    person = held.person
    language = person.preferred_language
    with translation.override(language):
        context = {
            "qualification": held.qualification.localized("name"),
            "expires_on": _expiry(held),
            "days": (held.expires_on - today).days,
            "runs": [_run_line(run, language=language, company_slug=None) for run in runs],
            "my_courses_url": settings.SITE_URL + reverse("enrolment:my_courses"),
        }
    return int(
        outbox.queue_once_for(
            person,
            template=HOLDER_TEMPLATE,
            dedupe_key=f"{HOLDER_TEMPLATE}:{held.pk}:{value}",
            context=context,
        )
    )


def _mail_hr(
    to_mail: list[tuple[HeldQualification, list[int]]],
    *,
    memberships: list[Membership],
    runs: list[Offering],
    course_ids: dict[int, set[int]],
    today: date,
) -> int:
    """One mail per HR member per company, listing that company's people in this run."""
    held_of: dict[int, list[HeldQualification]] = defaultdict(list)
    for held, _values in to_mail:
        held_of[held.person_id].append(held)
    by_company: dict[int, list[HeldQualification]] = defaultdict(list)
    companies = {}
    for membership in memberships:
        by_company[membership.company_id].extend(held_of.get(membership.user_id, []))
        companies[membership.company_id] = membership.company
    hr_members = Membership.objects.hr_to_mail(by_company)
    queued = 0
    for hr_membership in hr_members:
        hr, company = hr_membership.user, hr_membership.company
        listed = sorted(
            by_company[company.pk], key=lambda held: (held.expires_on, held.person.name_sort_key)
        )
        language = hr.preferred_language
        with translation.override(language):
            people = [
                {
                    "name": str(held.person),
                    "qualification": held.qualification.localized("name"),
                    "expires_on": _expiry(held),
                }
                for held in listed
            ]
            renewals = []
            for qualification in {
                held.qualification_id: held.qualification for held in listed
            }.values():
                lines = [
                    _run_line(run, language=language, company_slug=company.slug)
                    for run in _runs_for(
                        runs,
                        courses=course_ids.get(qualification.pk, set()),
                        company_ids={company.pk},
                    )
                ]
                renewals.append({"qualification": qualification.localized("name"), "runs": lines})
            matrix_url = (
                settings.SITE_URL
                + reverse("portal:qualifications", args=[company.slug])
                + "?status=expiring"
            )
        queued += int(
            outbox.queue_once_for(
                hr,
                template=HR_TEMPLATE,
                dedupe_key=f"{HR_TEMPLATE}:{company.pk}:{hr.pk}:{today.isoformat()}",
                context={
                    "company": company.name,
                    "people": people,
                    "renewals": renewals,
                    "matrix_url": matrix_url,
                },
            )
        )
    return queued
