"""iCalendar files for offerings: every meeting a VEVENT in Europe/Amsterdam time.

Each meeting keeps one UID for good (``meeting-<pk>@technohub-nop.nl``), so that a later file
about the same meetings updates the events a calendar holds instead of adding new ones. The
file on the course page is a plain calendar to import. The files attached to a learner's mails
are invitations (iTIP, RFC 5546): ``REQUEST`` adds or moves the meetings, ``CANCEL`` takes them
out again. A calendar applies such a file only when its ``SEQUENCE`` is higher than the one it
holds, so the sequence of a mail's file is the moment the mail was written (see
:func:`sequence_at`): a later mail always outranks an earlier one.
"""

from datetime import UTC, datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting, Offering

HUB_TIMEZONE = ZoneInfo("Europe/Amsterdam")
HUB_NAME = "Technohub NOP"
# Invitations (a learner's mails) and cancellations; None is the plain file to import.
REQUEST = "REQUEST"
CANCEL = "CANCEL"
# Sequences count seconds from here, which keeps them small (RFC 5545 asks for an integer).
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def sequence_at(moment: datetime) -> int:
    """The SEQUENCE of a file written at ``moment``: later files get higher numbers."""
    return max(int((moment - SEQUENCE_EPOCH).total_seconds()), 0)


def location_text(offering: Offering) -> str:
    location = offering.location
    address = ", ".join(
        part for part in (location.street, location.postal_code, location.city) if part
    )
    name = location.localized("name")
    return f"{name}, {address}" if address else name


def _topic(meeting: Meeting) -> str:
    # A meeting's topic in the active language when it has one in English as well.
    localized = getattr(meeting, "localized", None)
    return localized("topic") if localized else meeting.topic


def _hub_address() -> vCalAddress:
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(HUB_NAME)
    return organizer


def _attendee(learner) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{learner.email}")
    name = learner.get_full_name()
    if name:
        attendee.params["cn"] = vText(name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def offering_ics(
    offering: Offering,
    *,
    method: str | None = None,
    learner=None,
    sequence: int = 0,
    language: str | None = None,
    meetings: list[Meeting] | None = None,
) -> bytes:
    """The calendar of one offering, in ``language`` (default: the active one).

    Expects the offering with course, location and meetings. With ``method`` (``REQUEST`` or
    ``CANCEL``) it is an invitation to ``learner`` from the hub, or its cancellation, with the
    given ``sequence``; every meeting keeps its UID either way. ``meetings`` replaces the
    offering's own (to cancel meetings that were removed).
    """
    with translation.override(language or translation.get_language()):
        title = offering.course.localized("title")
        course_url = settings.SITE_URL + reverse(
            "catalogue:course_detail", args=[offering.course.slug]
        )
        meetings = list(offering.meetings.all()) if meetings is None else meetings
        calendar = Calendar()
        calendar.add("prodid", "-//Technohub NOP//Cursussen//NL")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", title)
        if method:
            calendar.add("method", method)
        for number, meeting in enumerate(meetings, start=1):
            event = Event()
            event.add("uid", f"meeting-{meeting.pk}@technohub-nop.nl")
            event.add("dtstamp", timezone.now())
            event.add("dtstart", meeting.starts_at.astimezone(HUB_TIMEZONE))
            event.add("dtend", meeting.ends_at.astimezone(HUB_TIMEZONE))
            event.add("sequence", sequence)
            summary = title
            if len(meetings) > 1:
                summary += f" ({number}/{len(meetings)})"
            event.add("summary", summary)
            event.add("location", location_text(offering))
            event.add("url", course_url)
            event.add("description", f"{_topic(meeting)}\n{course_url}".strip())
            if method:
                event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
                event.add("organizer", _hub_address())
                if learner is not None:
                    event.add("attendee", _attendee(learner))
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def mimetype(method: str | None) -> str:
    """The attachment's type; an invitation names its method, as mail clients expect."""
    return f"text/calendar; method={method}" if method else "text/calendar"


def filename(offering: Offering, *, cancelled: bool = False) -> str:
    """``<course>-<offering>.ics``; a file of removed meetings says so in its name."""
    suffix = "-cancelled" if cancelled else ""
    return f"{offering.course.slug}-{offering.pk}{suffix}.ics"
