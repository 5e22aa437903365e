"""iCalendar files for offerings: every meeting a VEVENT in Europe/Amsterdam time."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Offering

HUB_TIMEZONE = ZoneInfo("Europe/Amsterdam")


def location_text(offering: Offering) -> str:
    location = offering.location
    address = ", ".join(
        part for part in (location.street, location.postal_code, location.city) if part
    )
    return f"{location.name}, {address}" if address else location.name


def offering_ics(offering: Offering) -> bytes:
    """The calendar of one offering. Expects the offering with course, location and meetings."""
    course_url = settings.SITE_URL + reverse("catalogue:course_detail", args=[offering.course.slug])
    calendar = Calendar()
    calendar.add("prodid", "-//Technohub NOP//Cursussen//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", offering.course.title)
    meetings = list(offering.meetings.all())
    for number, meeting in enumerate(meetings, start=1):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@technohub-nop.nl")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at.astimezone(HUB_TIMEZONE))
        event.add("dtend", meeting.ends_at.astimezone(HUB_TIMEZONE))
        summary = offering.course.title
        if len(meetings) > 1:
            summary += f" ({number}/{len(meetings)})"
        event.add("summary", summary)
        event.add("location", location_text(offering))
        event.add("url", course_url)
        event.add("description", f"{meeting.topic}\n{course_url}".strip())
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def filename(offering: Offering) -> str:
    return f"{offering.course.slug}-{offering.pk}.ics"
