"""The participant list of offerings, as spreadsheet columns and rows (with attendance)."""

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.names import dutch_name_order
from enrolment.models import Attendance, Enrolment
from technohub.spreadsheets import Cell, Column

from ..models import Meeting, Offering

# --- The participant list as a spreadsheet ----------------------------------------------------

# Who is on a participant list: everyone still in the offering or who took part in it.
LISTED_STATUSES = (*Enrolment.ACTIVE_STATUSES, *Enrolment.OUTCOME_STATUSES)
PARTICIPANT_COLUMNS = [
    Column(_("Cursus"), 36),
    Column(_("Locatie"), 24),
    Column(_("Startdatum"), 12, "yyyy-mm-dd"),
    Column(_("Achternaam"), 22),
    Column(_("Voornaam"), 16),
    Column(_("E-mailadres"), 30),
    Column(_("Bedrijf"), 28),
    Column(_("Inkoopordernummer"), 18),
    Column(_("Kostenplaats"), 16),
    Column(_("Status"), 16),
    Column(_("Plaats op wachtlijst"), 10, "0"),
]
# Seat holders and people who took part first, then the waiting list in order, then requests.
LIST_ORDER = Case(
    When(status=Enrolment.Status.WAITLISTED, then=Value(1)),
    When(status=Enrolment.Status.REQUESTED, then=Value(2)),
    default=Value(0),
    output_field=IntegerField(),
)


def _attendance_text(state: str | None) -> str:
    if state is None:
        return "–"  # not recorded (yet)
    return str(Attendance.State(state).label)


def participant_list(offerings: list[Offering]) -> tuple[list[Column], list[list[Cell]]]:
    """Columns and rows of the participant list of the given offerings, in the active language.

    One row per participant (see ``LISTED_STATUSES``): offering, name, company with its purchase
    order number and cost centre for the booking, status, waiting-list
    position, then one column per meeting saying aanwezig, afwezig, afgemeld or – (not
    recorded). With
    one run the meeting columns carry its dates; with several they are numbered. Three queries.
    Text is not yet neutralised (the writers do that).
    """
    offering_ids = [offering.pk for offering in offerings]
    meetings: dict[int, list[Meeting]] = {pk: [] for pk in offering_ids}
    for meeting in Meeting.objects.filter(offering_id__in=offering_ids).order_by("starts_at", "pk"):
        meetings[meeting.offering_id].append(meeting)
    enrolments = list(
        Enrolment.objects.filter(offering_id__in=offering_ids, status__in=LISTED_STATUSES)
        .select_related("learner", "company", "offering__course", "offering__location")
        .annotate(list_order=LIST_ORDER)
        .order_by(
            "offering__course__title",
            "offering_id",
            "list_order",
            "waitlist_position",
            *dutch_name_order("learner"),
        )
    )
    present = {
        (enrolment_id, meeting_id): value
        for enrolment_id, meeting_id, value in Attendance.objects.filter(
            enrolment__offering_id__in=offering_ids
        ).values_list("enrolment_id", "meeting_id", "state")
    }
    width = max((len(offering_meetings) for offering_meetings in meetings.values()), default=0)
    columns = list(PARTICIPANT_COLUMNS)
    for number in range(1, width + 1):
        if len(offerings) == 1:
            day = timezone.localdate(meetings[offering_ids[0]][number - 1].starts_at)
            title = gettext("Bijeenkomst %(number)s (%(date)s)") % {
                "number": number,
                "date": day.isoformat(),
            }
        else:
            title = gettext("Bijeenkomst %(number)s") % {"number": number}
        columns.append(Column(title, 14))
    rows = []
    for enrolment in enrolments:
        offering = enrolment.offering
        offering_meetings = meetings[offering.pk]
        learner = enrolment.learner
        rows.append(
            [
                offering.course.localized("title"),
                offering.location.localized("name"),
                timezone.localdate(offering_meetings[0].starts_at) if offering_meetings else None,
                learner.last_name,
                learner.first_name,
                learner.email,
                enrolment.company.name if enrolment.company else "",
                enrolment.po_number,
                enrolment.cost_centre,
                enrolment.get_status_display(),
                enrolment.waitlist_position,
                *(
                    _attendance_text(present.get((enrolment.pk, meeting.pk)))
                    for meeting in offering_meetings
                ),
                *([""] * (width - len(offering_meetings))),
            ]
        )
    return columns, rows
