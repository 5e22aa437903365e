"""The visit's files: the calendar file, the arrival sheet, and the mails that carry them."""

import io
from datetime import datetime, time

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar
from pypdf import PdfReader

from catalogue.calendar import HUB_TIMEZONE
from catalogue.models import SchoolMaterial
from enrolment import outbox
from enrolment.models import Notification, SchoolVisit
from enrolment.schools import visit_files

from .conftest import confirmed_visit

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("language", "summary", "place"),
    [
        ("nl", "Drone-scan van een perceel", "Agri Innovatiecenter"),
        ("en", "Drone scan of a field", "Agri Innovation Centre"),
    ],
)
def test_calendar_file_holds_one_event_in_amsterdam_time(visit, language, summary, place):
    calendar = Calendar.from_ical(visit_files.visit_ics(visit, language=language))

    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"school-visit-{visit.pk}@technohub-nop.nl"
    assert str(event["summary"]) == summary
    starts = event.decoded("dtstart")
    assert starts.tzinfo.key == HUB_TIMEZONE.key
    assert starts.replace(tzinfo=None) == datetime.combine(visit.date, time(9, 0))
    assert event.decoded("dtend").replace(tzinfo=None) == datetime.combine(visit.date, time(12, 0))
    assert str(event["location"]) == f"{place}, Marknessenweg 12, 8305 AB, Emmeloord"
    bring = "Sturdy shoes" if language == "en" else "Stevige schoenen"
    assert bring in str(event["description"])
    assert "8:45" in str(event["description"]) or "08:45" in str(event["description"])
    assert "mailto:" in str(event["organizer"])


def test_calendar_file_of_a_visit_at_school_names_the_school(db):
    from tests.factories import SchoolActivityFactory, SchoolFactory

    visit = confirmed_visit(
        activity=SchoolActivityFactory(kind="mobile_hub"),
        school=SchoolFactory(name="Het Zuyderzee", city="Urk"),
    )
    assert visit.location is None

    (event,) = Calendar.from_ical(visit_files.visit_ics(visit, language="nl")).walk("VEVENT")
    assert str(event["location"]) == "Het Zuyderzee, Urk"


def test_arrival_sheet_holds_the_day_the_place_and_the_parents_note(visit):
    text = " ".join(pdf_text(visit_files.arrival_sheet_pdf(visit, language="nl")).split())

    assert (
        len(PdfReader(io.BytesIO(visit_files.arrival_sheet_pdf(visit, language="nl"))).pages) == 1
    )
    assert "Drone-scan van een perceel" in text
    assert "Marknessenweg 12" in text
    assert "Parkeren achter het gebouw" in text
    assert "Aankomst: 08:45" in text
    assert "09:00" in text and "12:00" in text
    assert "Agrifirm Drones" in text
    assert "Stevige schoenen en een lunchpakket" in text
    assert "Veiligheidsbril op bij de werkbank" in text
    assert "48 leerlingen en 6 begeleiders" in text
    assert "06-12345678" in text
    assert "Mag je kind niet op de foto?" in text
    assert "nooit met namen van leerlingen" in text
    # The hub knows no pupils; the teacher is not on the sheet either, only the phone.
    assert "Marieke" not in text


def test_arrival_sheet_reads_in_english(visit):
    text = " ".join(pdf_text(visit_files.arrival_sheet_pdf(visit, language="en")).split())

    assert "Arrival sheet" in text
    assert "Drone scan of a field" in text
    assert "Arrival: 08:45" in text
    assert "Park behind the building" in text
    assert "Sturdy shoes and a packed lunch" in text
    assert "Wear safety goggles" in text
    assert "photo" in text
    assert "Aankomst" not in text


def queue_confirmation(visit: SchoolVisit) -> Notification:
    return outbox.queue_for(
        visit.request.teacher,
        template="school_visit_confirmed",
        context={"school_visit_id": visit.pk},
    )


def test_confirmation_mail_carries_calendar_sheet_and_materials(visit, media_root):
    prep = SchoolMaterial(activity=visit.activity, use="preparation", title="Werkblad")
    prep.file.save("werkblad-drones.pdf", ContentFile(b"%PDF-1.4 werkblad"))
    follow_up = SchoolMaterial(activity=visit.activity, use="follow_up", title="Na afloop")
    follow_up.file.save("na-afloop.pdf", ContentFile(b"%PDF-1.4 na afloop"))
    missing = SchoolMaterial.objects.create(
        activity=visit.activity, use="preparation", title="Kwijt", file="schools/materials/weg.pdf"
    )
    assert missing.pk

    assert outbox.deliver(queue_confirmation(visit).pk) is True

    (message,) = mail.outbox
    names = [attachment.filename for attachment in message.attachments]
    assert names == [
        f"schoolbezoek-{visit.pk}.ics",
        f"aankomstblad-{visit.pk}.pdf",
        "werkblad-drones.pdf",
    ]
    ics, sheet, material = message.attachments
    assert ics.mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in str(ics.content)
    assert sheet.mimetype == "application/pdf" and sheet.content.startswith(b"%PDF-")
    assert material.content == b"%PDF-1.4 werkblad"
    assert "Drone-scan van een perceel" in message.subject
    assert reverse("school_requests:ics", args=[visit.request.pk]) in message.body
    html = message.alternatives[0].content
    assert "Agenda (.ics)" in html and "Aankomstblad (pdf)" in html


def test_big_material_is_left_out_of_the_mail(visit, media_root, settings, monkeypatch):
    monkeypatch.setattr(visit_files, "MAX_MATERIALS_BYTES", 10)
    big = SchoolMaterial(activity=visit.activity, use="preparation", title="Film")
    big.file.save("film.mp4", ContentFile(b"x" * 11))

    outbox.deliver(queue_confirmation(visit).pk)

    assert len(mail.outbox[0].attachments) == 2


def test_confirmation_mail_in_english(visit):
    visit.request.teacher.preferred_language = "en"
    visit.request.teacher.save(update_fields=["preferred_language"])

    outbox.deliver(queue_confirmation(visit).pk)

    (message,) = mail.outbox
    assert "Drone scan of a field" in message.subject
    assert "Calendar (.ics)" in message.body
    assert "/en/" in message.body
    assert message.attachments[1].filename == f"arrival-sheet-{visit.pk}.pdf"
    assert "Arrival sheet" in pdf_text(message.attachments[1].content)


# --- Downloads ---------------------------------------------------------------------------------


def urls(visit: SchoolVisit) -> list[str]:
    return [
        reverse("school_requests:ics", args=[visit.request.pk]),
        reverse("school_requests:arrival_sheet", args=[visit.request.pk]),
    ]


def test_teacher_downloads_the_files(client, visit):
    client.force_login(visit.request.teacher)
    ics_url, sheet_url = urls(visit)

    ics = client.get(ics_url)
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"school-visit-" in ics.content
    sheet = client.get(sheet_url)
    assert sheet.status_code == 200
    assert sheet["Content-Type"] == "application/pdf"
    assert "no-store" in sheet["Cache-Control"]


def test_english_download_is_in_english(client, visit):
    client.force_login(visit.request.teacher)
    with translation.override("en"):
        sheet_url = reverse("school_requests:arrival_sheet", args=[visit.request.pk])
    assert sheet_url.startswith("/en/")

    assert "Arrival sheet" in pdf_text(client.get(sheet_url).content)


def test_files_are_the_teachers_only(client, visit):
    from tests.factories import UserFactory

    for url in urls(visit):
        assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    for url in urls(visit):
        assert client.get(url).status_code == 404
    client.force_login(visit.request.teacher)
    for url in urls(visit):
        assert client.post(url).status_code == 405


@pytest.mark.parametrize("status", ["planned", "declined", "cancelled"])
def test_files_only_for_a_confirmed_visit(client, visit, status):
    SchoolVisit.objects.filter(pk=visit.pk).update(status=status)
    client.force_login(visit.request.teacher)

    for url in urls(visit):
        assert client.get(url).status_code == 404


def test_confirmation_close_to_the_day_names_no_past_deadline(db):
    visit = confirmed_visit(days=3)

    outbox.deliver(queue_confirmation(visit).pk)

    body = mail.outbox[0].body
    assert "kun je het bezoek online verzetten" not in body
    assert "Verzetten of annuleren kan via" in body
