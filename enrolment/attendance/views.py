"""Staff pages for the day-to-day running of the hub: attendance per meeting, completing an
offering.

Made for a tablet in the training hall: one page per meeting with three large buttons per
participant (aanwezig, afwezig, afgemeld: one tap each), an hours box to fill in only when someone
was present for less than the whole meeting, and one save button. Only a meeting that has started
takes attendance; a coming one is shown read-only. Taking attendance and completing an offering each
need their own permission (the groups Programmamanager and Opleider have them); a college's staff
see only their own provider's offerings (``offerings_for_staff``), another offering is a 404.
Visitors who are not logged in are sent to the admin's log-in page.

The reads these pages need are small and used nowhere else, so they live here, at the top,
apart from the views; they would move to ``selectors.py`` as soon as a second caller appears.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.models import Meeting, Offering
from catalogue.selectors import offerings_for_staff
from companies.models import StaffPermission, User
from companies.names import dutch_name_order
from enrolment import services
from enrolment.models import Attendance, Enrolment
from technohub.errors import DomainError
from technohub.permissions import staff_permission_required

# Participants of an offering: confirmed now, or decided by completing the offering.
PARTICIPANT_STATUSES = (
    Enrolment.Status.CONFIRMED,
    *Enrolment.OUTCOME_STATUSES,
)
WEEK = timedelta(days=7)


# --- Reads ----------------------------------------------------------------------------------


@dataclass
class MeetingsAround:
    """Meetings of offerings that are not cancelled: last week's and today's. Today's that
    have not started yet carry ``started`` False: they cannot take attendance yet."""

    last_week: list[Meeting] = field(default_factory=list)
    today: list[Meeting] = field(default_factory=list)


def list_meetings_around(*, user: User, now: datetime) -> MeetingsAround:
    """The meetings of ``user``'s offerings from seven days before today until the end of today.

    Each meeting carries ``participants`` (confirmed or decided), ``recorded`` (attendance
    rows saved), ``present``, ``excused`` and ``started``. Last week's come most recent first.
    """
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = today + timedelta(days=1)
    meetings = (
        Meeting.objects.filter(
            starts_at__gte=today - WEEK,
            starts_at__lt=tomorrow,
            offering__in=offerings_for_staff(user=user),
        )
        .exclude(offering__status=Offering.Status.CANCELLED)
        .select_related("offering__course", "offering__location")
        .annotate(
            participants=Count(
                "offering__enrolments",
                filter=Q(offering__enrolments__status__in=PARTICIPANT_STATUSES),
                distinct=True,
            ),
            recorded=Count("attendance", distinct=True),
            present=Count(
                "attendance",
                filter=Q(attendance__state=Attendance.State.PRESENT),
                distinct=True,
            ),
            excused=Count(
                "attendance",
                filter=Q(attendance__state=Attendance.State.EXCUSED),
                distinct=True,
            ),
        )
        .order_by("starts_at", "pk")
    )
    result = MeetingsAround()
    for meeting in meetings:
        meeting.started = meeting.starts_at <= now
        if meeting.starts_at < today:
            result.last_week.append(meeting)
        else:
            result.today.append(meeting)
    result.last_week.reverse()
    return result


def get_meeting(*, user: User, pk: int) -> Meeting:
    """One meeting of ``user``'s offerings, with offering, course and location; else
    Meeting.DoesNotExist."""
    return (
        Meeting.objects.filter(offering__in=offerings_for_staff(user=user))
        .select_related("offering__course", "offering__location")
        .get(pk=pk)
    )


def list_participants(*, meeting: Meeting):
    """The offering's participants, by name, each with ``saved_state`` and ``saved_hours`` for
    this meeting (both None when nothing was saved yet)."""
    saved = Attendance.objects.filter(enrolment=OuterRef("pk"), meeting=meeting)
    return (
        Enrolment.objects.filter(offering_id=meeting.offering_id, status__in=PARTICIPANT_STATUSES)
        .select_related("learner", "company")
        .annotate(
            saved_state=Subquery(saved.values("state")[:1]),
            saved_hours=Subquery(saved.values("hours")[:1]),
        )
        .order_by(*dutch_name_order("learner"))
    )


def get_offering(*, user: User, pk: int) -> Offering:
    """One of ``user``'s offerings with its course and location; else Offering.DoesNotExist."""
    return offerings_for_staff(user=user).select_related("course", "location").get(pk=pk)


def list_completion_preview(*, offering: Offering) -> tuple[list[Enrolment], int, int]:
    """What completing the offering would decide: confirmed participants, each with
    ``attended``, ``excused``, ``hours`` and ``outcome`` (the status they would get); plus the
    number of meetings and of requests and waiting-list places."""
    meetings = offering.meetings.count()
    here = Q(attendance__meeting__offering=offering)
    confirmed = list(
        Enrolment.objects.filter(offering=offering, status=Enrolment.Status.CONFIRMED)
        .select_related("learner", "company")
        .annotate(
            attended=Count(
                "attendance", filter=here & Q(attendance__state=Attendance.State.PRESENT)
            ),
            excused=Count(
                "attendance", filter=here & Q(attendance__state=Attendance.State.EXCUSED)
            ),
            hours=Sum("attendance__hours", filter=here, default=Decimal(0)),
        )
        .order_by(*dutch_name_order("learner"))
    )
    for enrolment in confirmed:
        enrolment.outcome = services.outcome(
            present=enrolment.attended,
            excused=enrolment.excused,
            meetings=meetings,
            threshold=offering.course.attendance_threshold,
        )
    unplaced = Enrolment.objects.filter(
        offering=offering, status__in=[Enrolment.Status.REQUESTED, Enrolment.Status.WAITLISTED]
    ).count()
    return confirmed, meetings, unplaced


# --- Forms ----------------------------------------------------------------------------------


STATE_CHOICES = Attendance.State.choices


class HoursField(forms.DecimalField):
    """Hours as typed on a Dutch or English tablet: ``2,5`` and ``2.5`` both mean two and a half."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class AttendanceForm(forms.Form):
    """Shape only: per participant a state (``state-<id>``) and, optionally, the hours present
    (``hours-<id>``, 0 up to the meeting's length). Which participants count is the service's
    business; one who is missing from the post (joined after the page was opened) is absent."""

    def __init__(self, *args, participants, length: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        self.length = length
        out_of_bounds = _("Vul een aantal uren in van 0 tot en met %(hours)s.") % {
            "hours": formats.number_format(length, decimal_pos=2)
        }
        for enrolment in participants:
            self.fields[f"state-{enrolment.pk}"] = forms.ChoiceField(
                label=str(enrolment.learner), choices=STATE_CHOICES, required=False
            )
            self.fields[f"hours-{enrolment.pk}"] = HoursField(
                label=_("Uren aanwezig"),
                required=False,
                min_value=Decimal(0),
                max_value=length,
                max_digits=5,
                decimal_places=2,
                error_messages={
                    "min_value": out_of_bounds,
                    "max_value": out_of_bounds,
                    "max_digits": out_of_bounds,
                    "max_whole_digits": out_of_bounds,
                    "invalid": _("Vul een getal in, bijvoorbeeld 2,5."),
                    "max_decimal_places": _("Vul uren in op hoogstens twee decimalen."),
                },
            )

    def ids_in(self, state: str) -> set[int]:
        return {
            enrolment.pk
            for enrolment in self.participants
            if self.cleaned_data.get(f"state-{enrolment.pk}") == state
        }

    def hours(self) -> dict[int, Decimal | None]:
        return {
            enrolment.pk: self.cleaned_data.get(f"hours-{enrolment.pk}")
            for enrolment in self.participants
        }


# --- Views ----------------------------------------------------------------------------------


def automatic_completion_at(last_ends_at: datetime | None) -> datetime | None:
    """When the hourly task will complete an open offering whose last meeting ends then."""
    if last_ends_at is None:
        return None
    return last_ends_at + timedelta(days=settings.COMPLETION_GRACE_DAYS)


@staff_permission_required(StaffPermission.ATTENDANCE)
def attendance_index(request):
    """Today's meetings and last week's, each that has started linked to its attendance."""
    meetings = list_meetings_around(user=request.user, now=timezone.now())
    sections = [
        ("today", _("Vandaag"), meetings.today, _("Vandaag zijn er geen bijeenkomsten.")),
        (
            "last",
            _("Afgelopen week"),
            meetings.last_week,
            _("De afgelopen week waren er geen bijeenkomsten."),
        ),
    ]
    return render(request, "attendance/attendance_index.html", {"sections": sections})


@staff_permission_required(StaffPermission.ATTENDANCE)
@require_http_methods(["GET", "POST"])
def attendance(request, meeting_pk: int):
    """The participants of one meeting, each with aanwezig / afwezig / afgemeld and the hours;
    POST saves them (refused for a meeting that has not started)."""
    try:
        meeting = get_meeting(user=request.user, pk=meeting_pk)
    except Meeting.DoesNotExist as missing:
        raise Http404 from missing
    participants = list(list_participants(meeting=meeting))
    length = services.meeting_hours(meeting)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        participants=participants,
        length=length,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                present = services.record_attendance(
                    meeting_id=meeting.pk,
                    present_enrolment_ids=form.ids_in(Attendance.State.PRESENT),
                    excused_enrolment_ids=form.ids_in(Attendance.State.EXCUSED),
                    hours=form.hours(),
                    actor=request.user,
                )
            except DomainError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("De aanwezigheid is opgeslagen: %(count)s aanwezig.") % {"count": present},
                )
                return redirect("backoffice:attendance", meeting_pk=meeting.pk)
        else:
            messages.error(request, _("De aanwezigheid kon niet worden opgeslagen."))

    now = timezone.now()
    offering = meeting.offering
    offering_meetings = list(offering.meetings.order_by("starts_at", "pk"))
    index = next(i for i, other in enumerate(offering_meetings) if other.pk == meeting.pk)
    last_ends_at = max(other.ends_at for other in offering_meetings)
    started = meeting.starts_at <= now
    for enrolment in participants:
        state_field = form[f"state-{enrolment.pk}"]
        hours_field = form[f"hours-{enrolment.pk}"]
        if form.is_bound:
            enrolment.shown_state = state_field.value() or Attendance.State.ABSENT
            enrolment.shown_hours = hours_field.value() or ""
        else:
            # Nothing saved yet: everyone is present for the whole meeting until tapped otherwise.
            enrolment.shown_state = enrolment.saved_state or Attendance.State.PRESENT
            differs = (
                enrolment.saved_state == Attendance.State.PRESENT
                and enrolment.saved_hours != length
            )
            enrolment.shown_hours = (
                formats.number_format(enrolment.saved_hours, decimal_pos=2) if differs else ""
            )
        enrolment.hours_errors = hours_field.errors
        enrolment.state_errors = state_field.errors
    return render(
        request,
        "attendance/attendance.html",
        {
            "meeting": meeting,
            "offering": offering,
            "offering_meetings": offering_meetings,
            "number": index + 1,
            "previous": offering_meetings[index - 1] if index > 0 else None,
            "next": offering_meetings[index + 1] if index + 1 < len(offering_meetings) else None,
            "participants": participants,
            "states": STATE_CHOICES,
            "length": length,
            "nothing_saved": all(p.saved_state is None for p in participants),
            "started": started,
            "editable": started
            and offering.status in (Offering.Status.OPEN, Offering.Status.CONCEPT),
            "can_complete": offering.status == Offering.Status.OPEN
            and last_ends_at <= now
            and request.user.has_perm(StaffPermission.COMPLETE_OFFERING),
            "completes_at": automatic_completion_at(last_ends_at),
        },
    )


@staff_permission_required(StaffPermission.COMPLETE_OFFERING)
@require_http_methods(["GET", "POST"])
def complete_offering(request, offering_pk: int):
    """Show what completing would decide for each participant; on POST, complete the offering
    (also before the hourly task would, once the last meeting has ended)."""
    try:
        offering = get_offering(user=request.user, pk=offering_pk)
    except Offering.DoesNotExist as missing:
        raise Http404 from missing
    last_meeting = offering.meetings.order_by("-ends_at", "-pk").first()
    if request.method == "POST":
        try:
            result = services.finish_offering(offering_id=offering.pk, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _(
                    "De uitvoering is afgerond: %(completed)s afgerond, "
                    "%(not_completed)s niet afgerond, %(no_show)s niet verschenen, "
                    "%(cancelled)s zonder plaats geannuleerd."
                )
                % {
                    "completed": len(result.completed),
                    "not_completed": len(result.not_completed),
                    "no_show": len(result.no_show),
                    "cancelled": len(result.cancelled),
                },
            )
            return redirect("backoffice:attendance", meeting_pk=last_meeting.pk)
    confirmed, meetings, unplaced = list_completion_preview(offering=offering)
    return render(
        request,
        "attendance/complete.html",
        {
            "offering": offering,
            "last_meeting": last_meeting,
            "confirmed": confirmed,
            "meetings": meetings,
            "unplaced": unplaced,
            "can_complete": offering.status == Offering.Status.OPEN
            and last_meeting is not None
            and last_meeting.ends_at <= timezone.now(),
            "completes_at": automatic_completion_at(last_meeting and last_meeting.ends_at),
        },
    )
