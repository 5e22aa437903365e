"""The files a teacher holds for a confirmed school visit: a calendar file, the arrival sheet
(a one-page PDF) and the activity's preparation material.

The confirmation and reminder mails carry all three (:data:`WITH_VISIT_FILES`, attached by
``enrolment.emails.render``); the teacher can download the first two from their own pages.
Each visit keeps one calendar UID (``school-visit-<pk>@technohub-nop.nl``), so a later file
about the same visit updates the event a calendar holds. Nothing here writes to the database,
and nothing here should run inside a transaction (the PDF is slow to draw).
"""

import logging
import mimetypes
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from catalogue import calendar
from technohub import mail

from ..certificates_pdf import (
    FONT,
    HUB_COLOUR,
    HUB_NAME,
    MUTED_COLOUR,
    TEXT_COLOUR,
    letterhead,
    new_pdf,
)
from ..models import SchoolVisit

logger = logging.getLogger(__name__)

# The mails that carry the visit's files.
WITH_VISIT_FILES = {"school_visit_confirmed", "school_visit_reminder"}
# The group arrives this long before the start, to hang up coats and hear the safety rules.
ARRIVAL_MINUTES_BEFORE = 15
# Material files attached to one mail together stay under this; bigger ones are linked.
MAX_MATERIALS_BYTES = 7 * 1024 * 1024


def _place(visit: SchoolVisit) -> tuple[str, str]:
    """Where the visit happens, as (name, address): the hub's place, or the school itself."""
    location = visit.location
    if location is None:
        school = visit.request.school
        return school.name, school.city
    address = ", ".join(
        part for part in (location.street, location.postal_code, location.city) if part
    )
    return location.localized("name"), address


def place_text(visit: SchoolVisit) -> str:
    """The place and its address on one line, in the active language."""
    name, address = _place(visit)
    return f"{name}, {address}" if address else name


def activity_url(visit: SchoolVisit) -> str:
    """The activity's public page, absolute, in the active language."""
    return settings.SITE_URL + reverse("schools:activity", args=[visit.activity.slug])


def visit_ics(visit: SchoolVisit, *, language: str) -> bytes:
    """The visit as a calendar file with one event in Europe/Amsterdam time, in ``language``.

    Expects the visit with its activity, location and request (school). The organizer is the
    hub; the sequence is the moment the visit last changed, so a newer file outranks an older.
    """
    with translation.override(language):
        title = visit.activity.localized("title")
        what_to_bring = visit.activity.localized("what_to_bring").strip()
        description = [
            _("Aankomst: %(time)s, %(minutes)s minuten voor het begin.")
            % {
                "time": f"{_arrival(visit):%H:%M}",
                "minutes": ARRIVAL_MINUTES_BEFORE,
            }
        ]
        if what_to_bring:
            description.append(_("Meenemen: %(items)s") % {"items": what_to_bring})
        url = activity_url(visit)
        if url:
            description.append(url)
        cal = Calendar()
        cal.add("prodid", "-//Technohub NOP//Schoolbezoeken//NL")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", title)
        event = Event()
        event.add("uid", f"school-visit-{visit.pk}@technohub-nop.nl")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", visit.starts_at.astimezone(calendar.HUB_TIMEZONE))
        event.add("dtend", visit.ends_at.astimezone(calendar.HUB_TIMEZONE))
        event.add("sequence", calendar.sequence_at(visit.updated_at))
        event.add("summary", title)
        event.add("location", place_text(visit))
        event.add("description", "\n".join(description))
        event.add("organizer", calendar._hub_address())
        if url:
            event.add("url", url)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _arrival(visit: SchoolVisit):
    return timezone.localtime(visit.starts_at) - timedelta(minutes=ARRIVAL_MINUTES_BEFORE)


def ics_filename(visit: SchoolVisit) -> str:
    return f"schoolbezoek-{visit.pk}.ics"


def arrival_sheet_filename(visit: SchoolVisit, *, language: str) -> str:
    with translation.override(language):
        name = slugify(_("aankomstblad"))
    return f"{name}-{visit.pk}.pdf"


@dataclass(frozen=True)
class _Section:
    heading: str
    lines: list[str]


def _sections(visit: SchoolVisit) -> list[_Section]:
    """What the sheet says, in the active language."""
    activity = visit.activity
    school_request = visit.request
    starts_at = timezone.localtime(visit.starts_at)
    ends_at = timezone.localtime(visit.ends_at)
    name, address = _place(visit)
    where = [name]
    if address:
        where.append(address)
    if visit.location is not None:
        parking = visit.location.localized("parking").strip()
        if parking:
            where.append(_("Route en parkeren: %(parking)s") % {"parking": parking})
    else:
        where.append(_("De hub komt naar jullie school."))
    host = activity.host.name if activity.host else HUB_NAME
    supervisors = school_request.supervisors
    when = [
        formats.date_format(visit.date, "l j F Y"),
        _("Aankomst: %(time)s") % {"time": f"{_arrival(visit):%H:%M}"},
        _("Begin: %(start)s, einde: %(end)s")
        % {"start": f"{starts_at:%H:%M}", "end": f"{ends_at:%H:%M}"},
    ]
    group = [
        _("%(pupils)s leerlingen en %(supervisors)s begeleiders van %(school)s")
        % {
            "pupils": visit.pupils,
            "supervisors": supervisors,
            "school": school_request.school.name,
        }
    ]
    if school_request.contact_phone:
        group.append(
            _("Telefoon van de docent op de dag: %(phone)s")
            % {"phone": school_request.contact_phone}
        )
    sections = [
        _Section(_("Wanneer"), when),
        _Section(_("Waar"), where),
        _Section(_("Wie ontvangt jullie"), [host]),
        _Section(_("De groep"), group),
    ]
    what_to_bring = activity.localized("what_to_bring").strip()
    if what_to_bring:
        sections.append(_Section(_("Meenemen"), what_to_bring.splitlines()))
    safety = [line.strip() for line in activity.localized("safety_rules").splitlines()]
    if any(safety):
        sections.append(_Section(_("Veiligheid"), [line for line in safety if line]))
    sections.append(
        _Section(
            _("Voor de ouders: foto's"),
            [
                _(
                    "Tijdens het bezoek kunnen de hub en het gastbedrijf foto's maken van het "
                    "werk van de leerlingen. Mag je kind niet op de foto? Laat het de docent "
                    "vóór het bezoek weten; dan houden we daar rekening mee. Foto's worden "
                    "nooit met namen van leerlingen gepubliceerd."
                )
            ],
        )
    )
    return sections


def arrival_sheet_pdf(visit: SchoolVisit, *, language: str, compress: bool = True) -> bytes:
    """The arrival sheet of a visit as one A4 page in ``language``: the activity, the day, the
    arrival time, the place with its route and parking, the host, what to bring, the safety
    rules, the group's numbers, the teacher's phone for the day and a note for the parents
    about photos. Names no pupil (the hub knows none). ``compress=False`` keeps the text
    readable in the bytes."""
    with translation.override(language):
        title = _("Aankomstblad")
        activity_title = visit.activity.localized("title")
        pdf = new_pdf(orientation="portrait")
        pdf.set_compression(compress)
        pdf.set_title(f"{title} – {activity_title}")
        pdf.set_author(HUB_NAME)
        pdf.set_creator(HUB_NAME)
        pdf.set_margins(left=20, top=16, right=20)
        pdf.set_auto_page_break(auto=True, margin=14)
        pdf.add_page()
        width = pdf.epw

        letterhead(pdf, subtitle=_("Techniek beleven"))
        pdf.ln(6)

        pdf.set_text_color(*HUB_COLOUR)
        pdf.set_font(FONT, "B", 18)
        pdf.multi_cell(width, 9, f"{title}: {activity_title}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for section in _sections(visit):
            pdf.set_text_color(*HUB_COLOUR)
            pdf.set_font(FONT, "B", 11)
            pdf.cell(width, 6.5, section.heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(*TEXT_COLOUR)
            pdf.set_font(FONT, "", 10)
            for line in section.lines:
                pdf.multi_cell(width, 5.2, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
        pdf.set_text_color(*MUTED_COLOUR)
        pdf.set_font(FONT, "", 8.5)
        pdf.multi_cell(
            width,
            4.5,
            _("Vragen of verhinderd? Mail %(email)s.") % {"email": settings.HUB_CONTACT_EMAIL},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return bytes(pdf.output())


def attachments(visit: SchoolVisit, *, language: str) -> list[mail.Attachment]:
    """The calendar file, the arrival sheet and the activity's preparation material.

    A material file that is missing from storage is left out (and logged); files that would
    take the mail's material past :data:`MAX_MATERIALS_BYTES` are left out too: the mail links
    to the activity's page, where every file can be downloaded.
    """
    files = [
        mail.Attachment(
            filename=ics_filename(visit),
            content=visit_ics(visit, language=language),
            mimetype=calendar.mimetype(None),
        ),
        mail.Attachment(
            filename=arrival_sheet_filename(visit, language=language),
            content=arrival_sheet_pdf(visit, language=language),
            mimetype="application/pdf",
        ),
    ]
    budget = MAX_MATERIALS_BYTES
    for material in visit.activity.materials.filter(use="preparation").order_by("pk"):
        try:
            size = material.file.size
            if size > budget:
                continue
            with material.file.open("rb") as file:
                content = file.read()
        except (OSError, ValueError):
            logger.warning("Material %s has no file to attach", material.pk)
            continue
        budget -= len(content)
        files.append(
            mail.Attachment(
                filename=material.file.name.rsplit("/", 1)[-1],
                content=content,
                mimetype=_mimetype(material.file.name),
            )
        )
    return files


def _mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
