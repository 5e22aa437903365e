"""The daily digest for HR: what happened yesterday to the enrolments the company pays for.

The events are the enrolment audit rows (``technohub.audit``), so the digest shows exactly what
the services did, including waiting-list promotions nobody clicked for. Mail goes through the
outbox like every other mail, once per HR member per day.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from enrolment import outbox
from enrolment.models import Enrolment
from technohub.models import AuditLog

from ..models import Membership

WINDOW = timedelta(hours=24)

# The audit actions HR hears about, with what the digest calls them.
ACTION_LABELS = {
    "enrolment.confirmed": _("ingeschreven"),
    "enrolment.waitlisted": _("op de wachtlijst"),
    "enrolment.requested": _("aangevraagd"),
    "enrolment.cancelled": _("geannuleerd"),
    "enrolment.promoted": _("van de wachtlijst naar een plaats"),
    "enrolment.rejected": _("afgewezen"),
}


def _events_by_company(*, since: datetime, until: datetime) -> dict[int, list[tuple]]:
    """Audit rows of paid-for enrolments in ``[since, until)``, per paying company, oldest
    first, as ``(created_at, action, enrolment)``; only of people still on that company's
    roster (who left is no longer HR's news). Two queries, however many companies."""
    on_roster = Membership.objects.filter(user=OuterRef("learner"), company=OuterRef("company"))
    paying_company = Enrolment.objects.filter(Exists(on_roster), pk=OuterRef("object_id")).values(
        "company_id"
    )[:1]
    rows = list(
        AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Enrolment),
            action__in=list(ACTION_LABELS),
            created_at__gte=since,
            created_at__lt=until,
        )
        .annotate(company_id=Subquery(paying_company))
        .filter(company_id__isnull=False)
        .order_by("created_at", "pk")
        .values_list("created_at", "action", "object_id", "company_id")
    )
    enrolments = Enrolment.objects.select_related("learner", "offering__course").in_bulk(
        {object_id for _created, _action, object_id, _company in rows}
    )
    events: dict[int, list[tuple]] = defaultdict(list)
    for created_at, action, object_id, company_id in rows:
        enrolment = enrolments.get(object_id)
        if enrolment is not None:
            events[company_id].append((created_at, action, enrolment))
    return events


def _digest_context(*, company, events: list[tuple], language: str) -> dict:
    """The mail's context in ``language``: plain JSON for the outbox row."""
    with translation.override(language):
        return {
            "company": company.name,
            "portal_url": settings.SITE_URL + reverse("portal:dashboard", args=[company.slug]),
            "events": [
                {
                    "time": timezone.localtime(created_at).isoformat(),
                    "when": formats.date_format(timezone.localtime(created_at), "j F, H:i"),
                    "learner": str(enrolment.learner),
                    "course": enrolment.offering.course.localized("title"),
                    "action": action,
                    "label": str(ACTION_LABELS[action]),
                }
                for created_at, action, enrolment in events
            ],
        }


def queue_hr_digests(*, now: datetime) -> int:
    """Write one digest mail per HR member of each company with enrolment news in the 24 hours
    before ``now``; companies with nothing new get nothing.

    Each mail has a dedupe key per company, HR member and (local) day, so running this again
    the same day writes nothing new. The reads are a constant number of queries; each mail is
    its own savepoint. Returns how many mails were written.
    """
    events = _events_by_company(since=now - WINDOW, until=now)
    if not events:
        return 0
    hr_members = (
        Membership.objects.filter(
            company_id__in=list(events), role=Membership.Role.HR, user__is_active=True
        )
        .select_related("user", "company")
        .order_by("company_id", "pk")
    )
    day = timezone.localdate(now)
    written = 0
    for membership in hr_members:
        company, hr = membership.company, membership.user
        context = _digest_context(
            company=company, events=events[company.pk], language=hr.preferred_language
        )
        # Once a day: a digest written by an earlier run today is not repeated.
        written += outbox.queue_once_for(
            hr,
            template="hr_digest",
            context=context,
            dedupe_key=f"digest:{company.pk}:{hr.pk}:{day.isoformat()}",
        )
    return written
