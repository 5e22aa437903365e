"""Two journeys through the site in real Chromium, told the way a visitor lives them.

1. Finding a course: search, filter on place and free seats, read the course, take its offering
   home as a calendar file, read it again in English; and the same search on a phone.
2. Enrolling as a newcomer: log-in wall, sign-up, the confirmation mail, back to the offering,
   enrol, cancel, and the first on the waiting list gets the seat and a mail.

Locators are roles and labels, as a user (or a screen reader) finds things, so a control
without an accessible name fails here too.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
from django.core import mail
from django.utils import formats, timezone
from playwright.sync_api import Locator, Page, expect

from catalogue.models import Course, Location, Offering
from catalogue.services import refresh_search_vectors
from enrolment import outbox, services
from enrolment.models import Enrolment, Notification
from tests.factories import (
    CourseFactory,
    LocationFactory,
    MeetingFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


# --- Data: a small, realistic catalogue ------------------------------------------------------


def hub(name: str, slug: str, city: str, street: str, postal_code: str) -> Location:
    return LocationFactory(name=name, slug=slug, city=city, street=street, postal_code=postal_code)


def day_at(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    """A moment ``days_ahead`` days from now, at a wall-clock time in the hub's timezone."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def schedule(course: Course, location: Location, *, capacity: int, days: list[int]) -> Offering:
    """An open offering of ``course`` with a day meeting (8:30–16:00) on each of ``days``."""
    offering = OfferingFactory(
        course=course, location=location, capacity=capacity, min_participants=min(capacity, 4)
    )
    for days_ahead in days:
        MeetingFactory(
            offering=offering, starts_at=day_at(days_ahead, 8, 30), ends_at=day_at(days_ahead, 16)
        )
    return offering


def take_seats(offering: Offering, count: int) -> None:
    """Other learners enrol in ``offering`` the usual way, through the service."""
    for _ in range(count):
        services.enrol_learner(learner=UserFactory(), offering_id=offering.pk)


@dataclass
class WeldingCatalogue:
    emmeloord_welding: Course
    emmeloord_offering: Offering
    full_welding: Course
    dronten_welding: Course


@pytest.fixture
def welding_catalogue() -> WeldingCatalogue:
    """Three welding courses of which only one is in Emmeloord with seats, and some others."""
    firda = hub("Firda Emmeloord", "firda-emmeloord", "Emmeloord", "Marknesserweg 1", "8302 AA")
    agri = hub(
        "Agri Innovatiecenter", "agri-innovatiecenter", "Dronten", "De Drieslag 4", "8251 JZ"
    )

    emmeloord_welding = CourseFactory(
        title="MIG/MAG-lassen voor beginners",
        title_en="MIG/MAG welding for beginners",
        slug="mig-mag-lassen-voor-beginners",
        summary="Leer veilig en netjes lassen met MIG/MAG in de lashal van de hub.",
        summary_en="Learn to weld safely and neatly with MIG/MAG in the hub's welding hall.",
        description="Vier praktijkdagen lassen aan plaat en buis, met een lasinstructeur.",
        description_en="Four practical days of welding plate and tube, with a welding tutor.",
    )
    emmeloord_offering = schedule(emmeloord_welding, firda, capacity=8, days=[30, 37])
    take_seats(emmeloord_offering, 3)

    full_welding = CourseFactory(
        title="TIG-lassen RVS",
        title_en="TIG welding stainless steel",
        slug="tig-lassen-rvs",
        summary="Lassen van roestvast staal met TIG voor de voedingsmiddelenindustrie.",
        description="Voor ervaren lassers: dunwandig RVS-leidingwerk lassen.",
    )
    take_seats(schedule(full_welding, firda, capacity=2, days=[40]), 2)

    dronten_welding = CourseFactory(
        title="Lassen en reparatie van landbouwwerktuigen",
        title_en="Welding and repairing farm implements",
        slug="lassen-landbouwwerktuigen",
        summary="Reparatielassen aan ploegen, eggen en aanhangers in de eigen werkplaats.",
        description="Lassen in de agrarische werkplaats, met aandacht voor veilig werken.",
        sector="agri",
    )
    schedule(dronten_welding, agri, capacity=10, days=[45])

    plc = CourseFactory(
        title="PLC-programmeren (TIA Portal)",
        slug="plc-programmeren-tia-portal",
        summary="Programmeer een Siemens S7-besturing in TIA Portal.",
        description="Van ladderdiagram tot functieblok, met oefenpanelen.",
    )
    schedule(plc, firda, capacity=12, days=[33])

    refresh_search_vectors()
    return WeldingCatalogue(emmeloord_welding, emmeloord_offering, full_welding, dronten_welding)


class Thumb:
    """A phone user's thumb; it counts what it does."""

    def __init__(self) -> None:
        self.interactions = 0

    def tap(self, target: Locator) -> None:
        target.tap()
        self.interactions += 1

    def choose(self, select: Locator, option: str) -> None:
        select.select_option(label=option)
        self.interactions += 1


@pytest.fixture
def phone(browser):
    """A page in a 375-pixel-wide phone browser."""
    context = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


# --- Steps a visitor takes -------------------------------------------------------------------


def expect_results(page: Page, count: str) -> None:
    """Wait for the result count, and for htmx to settle the refreshed list and filters.

    htmx swaps the new results in first and wires up the new filter form a moment later
    (20 ms); a change made before that would be lost. People are slower; a test is not.
    """
    expect(page.locator("#result-count")).to_have_text(count)
    expect(page.locator("#catalogue")).not_to_have_class(re.compile(r"htmx-(added|settling)"))


def search(page: Page, words: str, *, box: str = "Zoek op onderwerp") -> None:
    page.get_by_role("searchbox", name=box).fill(words)
    page.keyboard.press("Enter")


def course_link(scope: Page | Locator, course: Course) -> Locator:
    return scope.get_by_role("link", name=course.title, exact=True)


def expect_only_the_emmeloord_course(page: Page, catalogue: WeldingCatalogue) -> None:
    expect_results(page, "1 cursus gevonden")
    expect(course_link(page, catalogue.emmeloord_welding)).to_be_visible()
    expect(course_link(page, catalogue.full_welding)).to_have_count(0)
    expect(course_link(page, catalogue.dronten_welding)).to_have_count(0)


def first_day(offering: Offering) -> str:
    """An offering's first day as the site writes it: "12 januari 2027"."""
    starts_at = offering.meetings.order_by("starts_at").first().starts_at
    return formats.date_format(timezone.localtime(starts_at), "j F Y")


def offering_card(page: Page, offering: Offering) -> Locator:
    return page.get_by_role("article", name=f"Vanaf {first_day(offering)}")


def read_calendar(path: Path) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")


# --- Journey 1: finding a welding course in Emmeloord ----------------------------------------


def test_visitor_finds_a_welding_course_in_emmeloord_and_takes_it_home(
    live_server, page, welding_catalogue
):
    catalogue = welding_catalogue
    course = catalogue.emmeloord_welding

    page.goto(f"{live_server.url}/cursussen/")
    search(page, "lassen")
    expect_results(page, "3 cursussen gevonden")

    # With JavaScript on, htmx refreshes the results on every change and keeps the URL in step.
    page.get_by_label("Plaats", exact=True).select_option(label="Emmeloord (2)")
    page.wait_for_url("**plaats=emmeloord**")
    expect_results(page, "2 cursussen gevonden")
    page.get_by_label("Alleen met vrije plaatsen").check()
    page.wait_for_url("**vrij=1**")
    expect_only_the_emmeloord_course(page, catalogue)

    course_link(page, course).click()
    page.wait_for_url(f"{live_server.url}/cursussen/{course.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    offering = offering_card(page, catalogue.emmeloord_offering)
    expect(offering).to_contain_text("Firda Emmeloord")
    expect(offering).to_contain_text("nog 5 plekken vrij")

    with page.expect_download() as download_info:
        offering.get_by_role("link", name="Zet in agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    events = read_calendar(Path(download.path()))
    meetings = list(catalogue.emmeloord_offering.meetings.order_by("starts_at"))
    assert [event.decoded("dtstart") for event in events] == [m.starts_at for m in meetings]
    assert [event.decoded("dtend") for event in events] == [m.ends_at for m in meetings]
    assert all("Firda Emmeloord" in str(event["location"]) for event in events)

    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/courses/{course.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title_en)

    # And the English catalogue finds it under its English name.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Courses").click()
    page.wait_for_url(f"{live_server.url}/en/courses/")
    search(page, "welding", box="Search by subject")
    expect_results(page, "3 courses found")
    page.get_by_label("Place", exact=True).select_option(label="Emmeloord (2)")
    expect_results(page, "2 courses found")
    page.get_by_label("Only with places left").check()
    expect_results(page, "1 course found")
    page.get_by_role("link", name=course.title_en, exact=True).click()
    page.wait_for_url(f"{live_server.url}/en/courses/{course.slug}/")


def test_on_a_phone_the_course_is_at_most_three_taps_after_the_search(
    live_server, phone, welding_catalogue
):
    phone.goto(f"{live_server.url}/cursussen/")
    # The filters are folded away under "Filters", so the results are in view.
    filters = phone.locator("details.catalogue-filters")
    expect(filters).to_have_js_property("open", False)

    search(phone, "lassen")
    expect_results(phone, "3 cursussen gevonden")
    expect(filters).to_have_js_property("open", False)  # still folded after the refresh

    thumb = Thumb()
    thumb.tap(filters.locator("> summary"))
    thumb.choose(phone.get_by_label("Plaats", exact=True), "Emmeloord (2)")
    expect_results(phone, "2 cursussen gevonden")
    # Opened, the filters stay open after the refresh; the lesser ones stay folded.
    expect(filters).to_have_js_property("open", True)
    expect(phone.locator("details#filters-more")).to_have_js_property("open", False)
    thumb.tap(phone.get_by_label("Alleen met vrije plaatsen"))
    expect_only_the_emmeloord_course(phone, welding_catalogue)
    assert thumb.interactions <= 3


# --- Journey 2: a newcomer enrols, cancels, and the waiting list moves up --------------------


def deliver_outbox() -> list[mail.EmailMessage]:
    """Send every unsent notification as the Celery worker would; return the mails sent."""
    already_sent = len(mail.outbox)
    for pk in Notification.objects.filter(sent_at=None).order_by("pk").values_list("pk", flat=True):
        outbox.deliver(pk)
    return mail.outbox[already_sent:]


def link_in(message: mail.EmailMessage, live_server) -> str:
    """The first link in a mail's text, pointed at the live server instead of SITE_URL."""
    url = urlsplit(re.search(r"https?://\S+", message.body).group())
    return f"{live_server.url}{url.path}" + (f"?{url.query}" if url.query else "")


def section(page: Page, heading: str) -> Locator:
    """A section of "Mijn cursussen", found by its heading."""
    return page.get_by_role("region", name=heading)


def test_newcomer_signs_up_enrols_and_cancels_and_the_waiting_list_moves_up(live_server, page):
    firda = hub("Firda Emmeloord", "firda-emmeloord", "Emmeloord", "Marknesserweg 1", "8302 AA")
    course = CourseFactory(
        title="CNC-draaien basis",
        title_en="CNC turning basics",
        slug="cnc-draaien-basis",
        summary="Een draaiprogramma schrijven, inrichten en draaien op een CNC-draaibank.",
    )
    offering = schedule(course, firda, capacity=1, days=[28, 35])
    refresh_search_vectors()
    email = "sanne.bakker@kampstaal.example"

    # Sanne finds the course and wants the offering; the site asks her to log in first.
    page.goto(f"{live_server.url}/cursussen/")
    course_link(page, course).click()
    page.get_by_role("link", name=f"Inschrijven – uitvoering vanaf {first_day(offering)}").click()
    enrol_path = f"/uitvoeringen/{offering.pk}/inschrijven/"
    page.wait_for_url(f"{live_server.url}/account/inloggen/?next={enrol_path}")
    page.get_by_role("link", name="Nog geen account? Registreren").click()

    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("Draaibank-Emmeloord-27")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig je e-mailadres")

    # The link in her mail confirms the address and takes her back to the same offering, logged in.
    (verification,) = deliver_outbox()
    assert verification.to == [email]
    page.goto(link_in(verification, live_server))
    page.wait_for_url(f"{live_server.url}{enrol_path}")
    expect(page.get_by_role("status")).to_contain_text("Je e-mailadres is bevestigd")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_attached()
    expect(page.get_by_role("heading", level=2, name=course.title)).to_be_visible()

    page.get_by_role("button", name="Bevestig inschrijving").click()
    page.wait_for_url(f"{live_server.url}/mijn-cursussen/")
    expect(course_link(section(page, "Ingeschreven"), course)).to_be_visible()

    (confirmation,) = deliver_outbox()
    assert confirmation.to == [email]
    assert confirmation.subject == f"Je bent ingeschreven: {course.title}"
    (filename, ics, mimetype) = confirmation.attachments[0]
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar; method=REQUEST"
    assert len(icalendar.Calendar.from_ical(ics).walk("VEVENT")) == 2

    # The offering is full now: the next learner lands on the waiting list.
    waiting = services.enrol_learner(
        learner=UserFactory(email="piet.de.boer@suplacon.example", first_name="Piet"),
        offering_id=offering.pk,
    )
    assert waiting.status == Enrolment.Status.WAITLISTED
    deliver_outbox()  # Piet's "you are on the waiting list" mail

    # Sanne cancels; her seat goes to Piet.
    cancel = re.compile(rf"^Annuleren\W+{re.escape(course.title)}$")
    section(page, "Ingeschreven").get_by_role("link", name=cancel).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inschrijving annuleren")
    page.get_by_role("button", name="Ja, annuleren").click()
    page.wait_for_url(f"{live_server.url}/mijn-cursussen/")
    expect(page.get_by_role("status")).to_contain_text("Je inschrijving is geannuleerd")
    expect(section(page, "Ingeschreven")).to_contain_text("Je bent nu niet ingeschreven")
    # The cancelled enrolment is folded away under the current ones.
    cancelled = section(page, "Eerdere en geannuleerde inschrijvingen 1")
    expect(course_link(cancelled, course)).to_be_hidden()
    cancelled.get_by_text("Eerdere en geannuleerde inschrijvingen").click()
    expect(course_link(cancelled, course)).to_be_visible()

    sent = deliver_outbox()
    assert sorted(message.to[0] for message in sent) == sorted([waiting.learner.email, email])
    (to_piet,) = [message for message in sent if message.to == [waiting.learner.email]]
    assert to_piet.subject == (
        f"Er is een plek vrijgekomen: je bent ingeschreven voor {course.title}"
    )
    assert to_piet.attachments[0][0].endswith(".ics")
    promoted = Notification.objects.filter(recipient=waiting.learner, template="enrolment_promoted")
    assert promoted.count() == 1
    assert promoted.get().sent_at is not None
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED
    assert waiting.waitlist_position is None
