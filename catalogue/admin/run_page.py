"""The run's own admin page as the place to act: which actions apply now, as buttons.

A button shows only when its action can do something for this run (no cancel on a cancelled
run, no promotion without a free seat and a waiting list) and the user may take it. Each leads to
its confirmation page, which returns to this page afterwards (``back=run``).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from companies.models import StaffPermission
from enrolment.models import Enrolment

from ..models import Meeting, Offering
from .offering_participants import people_counts, promotable


@dataclass(frozen=True)
class RunAction:
    label: str
    url: str


def _admin_url(name: str, *args, query: str = "") -> str:
    url = reverse(f"admin:catalogue_offering_{name}", args=args)
    return f"{url}?{query}" if query else url


def run_page_context(model_admin, request, offering: Offering) -> dict:
    """What the run's change page shows above its form: the seats, and the actions that apply.

    Three queries: the enrolments per status, the meetings, and (cached) the permissions.
    """
    now = timezone.now()
    counts = people_counts(offering)
    confirmed = counts[Enrolment.Status.CONFIRMED]
    waiting = counts[Enrolment.Status.WAITLISTED]
    active = sum(counts.values())
    meetings = list(Meeting.objects.filter(offering=offering).order_by("starts_at", "pk"))
    upcoming = bool(meetings) and meetings[0].starts_at > now
    status = offering.status
    live = status in (Offering.Status.CONCEPT, Offering.Status.OPEN)
    is_open = status == Offering.Status.OPEN
    may_change = model_admin.has_change_permission(request, offering)
    one = f"ids={offering.pk}&back=run"
    actions: list[RunAction] = []
    if may_change and is_open and upcoming:
        actions.append(RunAction(gettext("Iemand inschrijven"), _admin_url("enrol", offering.pk)))
    if may_change and is_open and upcoming and promotable(offering, counts):
        actions.append(
            RunAction(gettext("Wachtlijst doorschuiven"), _admin_url("promote", offering.pk))
        )
    if may_change and status != Offering.Status.CANCELLED and confirmed + waiting:
        actions.append(RunAction(gettext("Deelnemers mailen"), _admin_url("mail", offering.pk)))
    if may_change and is_open and upcoming and confirmed:
        actions.append(
            RunAction(gettext("Herinnering nu versturen"), _admin_url("remind", query=one))
        )
    if may_change and live and active:
        actions.append(
            RunAction(
                gettext("Deelnemers verplaatsen"),
                _admin_url("move", offering.pk, query="back=run"),
            )
        )
    if may_change and live and upcoming:
        actions.append(RunAction(gettext("Verschuiven"), _admin_url("shift", query=one)))
    if model_admin.has_add_permission(request):
        actions.append(RunAction(gettext("Dupliceren"), _admin_url("duplicate", query=one)))
    if may_change and live:
        actions.append(RunAction(gettext("Annuleren"), _admin_url("cancel", query=one)))
    may_export = model_admin.has_view_permission(request, offering) and request.user.has_perm(
        StaffPermission.EXPORT_PERSONAL_DATA
    )
    if may_export:
        actions.append(
            RunAction(gettext("Deelnemerslijst (CSV)"), _admin_url("export", offering.pk, "csv"))
        )
        actions.append(
            RunAction(gettext("Deelnemerslijst (XLSX)"), _admin_url("export", offering.pk, "xlsx"))
        )
    attendance = []
    if request.user.has_perm(StaffPermission.ATTENDANCE) and status != Offering.Status.CANCELLED:
        attendance = [
            (meeting, reverse("backoffice:attendance", args=[meeting.pk]))
            for meeting in meetings
            if meeting.starts_at <= now
        ]
    if (
        is_open
        and meetings
        and max(meeting.ends_at for meeting in meetings) <= now
        and request.user.has_perm(StaffPermission.COMPLETE_OFFERING)
    ):
        actions.append(
            RunAction(
                gettext("Afronden"),
                reverse("backoffice:complete_offering", args=[offering.pk]),
            )
        )
    return {
        "run_actions": actions,
        "run_attendance": attendance,
        "run_may_take_attendance": request.user.has_perm(StaffPermission.ATTENDANCE),
        "run_counts": {
            "confirmed": confirmed,
            "waiting": waiting,
            "requested": counts[Enrolment.Status.REQUESTED],
            "capacity": offering.capacity,
            "reserved": offering.reserved_count,
            "minimum": offering.min_participants,
            "seats_left": max(offering.seats_left, 0),
        },
        "run_below_minimum": is_open and confirmed < offering.min_participants,
    }
