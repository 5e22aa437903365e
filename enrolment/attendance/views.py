"""Staff pages for the day-to-day running of the hub: attendance per meeting, completing an
offering.

Made for a tablet in the training hall: one page per meeting with a large switch per participant and
one save button. Taking attendance and completing an offering each need their own permission (the
groups Programmamanager and Opleider have them); a college's staff see only their own provider's
offerings (``offerings_for_staff``), another offering is a 404. Visitors who are not logged in are
sent to the admin's log-in page.

The reads these pages need are small and used nowhere else, so they live here, at the top,
apart from the views; they would move to ``selectors.py`` as soon as a second caller appears.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
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
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NO_SHOW,
)
WEEK = timedelta(days=7)


# --- Reads ----------------------------------------------------------------------------------


@dataclass
class MeetingsAround:
    """Meetings of offerings that are not cancelled: last week's, today's and the coming week's."""

    last_week: list[Meeting] = field(default_factory=list)
    today: list[Meeting] = field(default_factory=list)
    coming_week: list[Meeting] = field(default_factory=list)


def list_meetings_around(*, user: User, now: datetime) -> MeetingsAround:
    """The meetings of ``user``'s offerings from seven days before today until seven days after.

    Each meeting carries ``participants`` (confirmed or decided), ``recorded`` (attendance
    rows saved) and ``present``. Last week's come most recent first.
    """
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = today + timedelta(days=1)
    meetings = (
        Meeting.objects.filter(
            starts_at__gte=today - WEEK,
            starts_at__lt=tomorrow + WEEK,
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
            present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        )
        .order_by("starts_at", "pk")
    )
    result = MeetingsAround()
    for meeting in meetings:
        if meeting.starts_at < today:
            result.last_week.append(meeting)
        elif meeting.starts_at < tomorrow:
            result.today.append(meeting)
        else:
            result.coming_week.append(meeting)
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
    """The offering's participants, by name, each with ``saved_present`` for this meeting.

    ``saved_present`` is True or False when attendance was saved, None when not yet.
    """
    saved = Attendance.objects.filter(enrolment=OuterRef("pk"), meeting=meeting).values("present")
    return (
        Enrolment.objects.filter(offering_id=meeting.offering_id, status__in=PARTICIPANT_STATUSES)
        .select_related("learner", "company")
        .annotate(saved_present=Subquery(saved[:1]))
        .order_by(*dutch_name_order("learner"))
    )


def get_offering(*, user: User, pk: int) -> Offering:
    """One of ``user``'s offerings with its course and location; else Offering.DoesNotExist."""
    return offerings_for_staff(user=user).select_related("course", "location").get(pk=pk)


def list_completion_preview(*, offering: Offering) -> tuple[list[Enrolment], int, int]:
    """What completing the offering would decide: confirmed participants, each with ``attended``
    and ``passes``; plus the number of meetings and of requests and waiting-list places."""
    meetings = offering.meetings.count()
    confirmed = list(
        Enrolment.objects.filter(offering=offering, status=Enrolment.Status.CONFIRMED)
        .select_related("learner", "company")
        .annotate(
            attended=Count(
                "attendance",
                filter=Q(attendance__present=True, attendance__meeting__offering=offering),
            )
        )
        .order_by(*dutch_name_order("learner"))
    )
    for enrolment in confirmed:
        enrolment.passes = services.passes_threshold(
            present=enrolment.attended,
            meetings=meetings,
            threshold=offering.course.attendance_threshold,
        )
    unplaced = Enrolment.objects.filter(
        offering=offering, status__in=[Enrolment.Status.REQUESTED, Enrolment.Status.WAITLISTED]
    ).count()
    return confirmed, meetings, unplaced


# --- Forms ----------------------------------------------------------------------------------


class EnrolmentIdsField(forms.Field):
    """Every value posted under the field's name, as a set of whole numbers."""

    widget = forms.SelectMultiple  # reads all values of the name, not just the last one

    def to_python(self, value) -> set[int]:
        try:
            return {int(item) for item in value or []}
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Ongeldige keuze."), code="invalid") from error


class AttendanceForm(forms.Form):
    """Shape only: the enrolments switched to present. The service decides which count."""

    present = EnrolmentIdsField(required=False)


# --- Views ----------------------------------------------------------------------------------


@staff_permission_required(StaffPermission.ATTENDANCE)
def attendance_index(request):
    """Today's meetings, the coming week's and last week's, each linked to its attendance."""
    meetings = list_meetings_around(user=request.user, now=timezone.now())
    sections = [
        ("today", _("Vandaag"), meetings.today, _("Vandaag zijn er geen bijeenkomsten.")),
        (
            "coming",
            _("Komende week"),
            meetings.coming_week,
            _("De komende week zijn er geen bijeenkomsten."),
        ),
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
    """The participants of one meeting with a present/absent switch each; POST saves them."""
    try:
        meeting = get_meeting(user=request.user, pk=meeting_pk)
    except Meeting.DoesNotExist as missing:
        raise Http404 from missing
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            try:
                present = services.record_attendance(
                    meeting_id=meeting.pk,
                    present_enrolment_ids=form.cleaned_data["present"],
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

    offering = meeting.offering
    offering_meetings = list(offering.meetings.order_by("starts_at", "pk"))
    index = next(i for i, other in enumerate(offering_meetings) if other.pk == meeting.pk)
    participants = list(list_participants(meeting=meeting))
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
            "nothing_saved": all(p.saved_present is None for p in participants),
            "editable": offering.status in (Offering.Status.OPEN, Offering.Status.CONCEPT),
            "can_complete": offering.status == Offering.Status.OPEN
            and max(other.ends_at for other in offering_meetings) <= timezone.now()
            and request.user.has_perm(StaffPermission.COMPLETE_OFFERING),
        },
    )


@staff_permission_required(StaffPermission.COMPLETE_OFFERING)
@require_http_methods(["GET", "POST"])
def complete_offering(request, offering_pk: int):
    """Show who would complete and who would be a no-show; on POST, complete the offering."""
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
                    "%(no_show)s niet verschenen, %(cancelled)s zonder plaats geannuleerd."
                )
                % {
                    "completed": len(result.completed),
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
        },
    )
