"""The company portal in real Chromium, the way an HR officer uses it on a Monday morning.

Hennie Post does HR at Kampstaal, where employees' own sign-ups wait for HR's approval. She
logs in, imports five new colleagues from a spreadsheet saved by Dutch Excel, enrols all five
in a welding offering with three seats left (three get a seat, two join the waiting list), and
approves the request an employee made earlier, which then queues behind them.

Locators are roles and labels, as a user (or a screen reader) finds things, so a control
without an accessible name fails here too.
"""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import Locator, Page, expect

from catalogue.models import Offering
from catalogue.services import refresh_search_vectors
from companies.models import Membership, User
from enrolment import services
from enrolment.models import Enrolment, Notification
from technohub.templatetags.technohub import money
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    LocationFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

HR_PASSWORD = "Lasrobot-Emmeloord-27"
COURSE_TITLE = "MIG/MAG-lassen voor beginners"

# The five new colleagues as the file lists them: not in alphabetical order, so the test
# shows that seats go in the order of the team page (by last name), not the file's.
NEWCOMERS = [
    ("Zoë", "Müller", "zoe.muller@kampstaal.example"),
    ("Frédérique", "Dijkstra", "frederique.dijkstra@kampstaal.example"),
    ("Anouk", "Wouters", "anouk.wouters@kampstaal.example"),
    ("Sjoerd", "Bakker", "sjoerd.bakker@kampstaal.example"),
    ("Thijs", "Hoekstra", "thijs.hoekstra@kampstaal.example"),
]
# The roster (and so the team page) lists people by last name; the first three get the seats.
BY_LAST_NAME = [
    "Sjoerd Bakker",
    "Frédérique Dijkstra",
    "Thijs Hoekstra",
    "Zoë Müller",
    "Anouk Wouters",
]
SEATED, WAITING = BY_LAST_NAME[:3], BY_LAST_NAME[3:]


def excel_csv(rows: list[tuple[str, str, str]]) -> bytes:
    """What Dutch Excel saves as "CSV (puntkomma-gescheiden)": Windows-1252, semicolons, CRLF."""
    lines = ["Voornaam;Achternaam;E-mailadres", *(";".join(row) for row in rows)]
    return "".join(f"{line}\r\n" for line in lines).encode("cp1252")


def day_at(days_ahead: int, hour: int) -> datetime:
    """A moment ``days_ahead`` days from now, on the hour, in the hub's timezone."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def first_day(offering: Offering) -> str:
    """An offering's first day as the site writes it: "12 januari 2027"."""
    starts_at = offering.meetings.order_by("starts_at").first().starts_at
    return formats.date_format(timezone.localtime(starts_at), "j F Y")


def expect_results(page: Page, count: str) -> None:
    """Wait for the result count, and for htmx to settle the refreshed list."""
    expect(page.locator("#result-count")).to_have_text(count)
    expect(page.locator("#catalogue")).not_to_have_class(re.compile(r"htmx-(added|settling)"))


def portal_tab(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Bedrijfsportaal").get_by_role(
        "link", name=name, exact=True
    )


def list_under(page: Page, heading: str) -> Locator:
    """The items of the list that follows a heading on the team summary."""
    return (
        page.get_by_role("heading", name=heading, exact=True)
        .locator("xpath=following-sibling::ul[1]")
        .get_by_role("listitem")
    )


def test_hr_imports_a_team_enrols_it_in_a_nearly_full_offering_and_approves_a_request(
    live_server, page
):
    # --- A company that approves its employees' sign-ups, its HR officer and one employee.
    kampstaal = CompanyFactory(name="Kampstaal", slug="kampstaal", requires_approval=True)
    hr = UserFactory(
        email="hennie.post@kampstaal.example",
        first_name="Hennie",
        last_name="Post",
        password=HR_PASSWORD,
        email_verified_at=timezone.now(),
    )
    MembershipFactory(company=kampstaal, user=hr, role=Membership.Role.HR)
    piet = UserFactory(email="piet.smit@kampstaal.example", first_name="Piet", last_name="Smit")
    MembershipFactory(company=kampstaal, user=piet)

    # --- A welding offering for five, of which two seats are taken: three are left.
    firda = LocationFactory(name="Firda Emmeloord", slug="firda-emmeloord", city="Emmeloord")
    course = CourseFactory(title=COURSE_TITLE, slug="mig-mag-lassen-voor-beginners")
    offering = OfferingFactory(course=course, location=firda, capacity=5, min_participants=3)
    for days_ahead in (30, 37):
        MeetingFactory(
            offering=offering, starts_at=day_at(days_ahead, 9), ends_at=day_at(days_ahead, 16)
        )
    others = [
        services.enrol_learner(learner=UserFactory(), offering_id=offering.pk) for _ in range(2)
    ]
    assert {enrolment.status for enrolment in others} == {Enrolment.Status.CONFIRMED}
    # Piet asked for the offering himself; at Kampstaal that waits for HR and holds no seat.
    request = services.enrol_learner(learner=piet, offering_id=offering.pk)
    assert request.status == Enrolment.Status.REQUESTED
    refresh_search_vectors()

    # --- Hennie logs in and lands on the company portal.
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(hr.email)
    page.get_by_label("Wachtwoord").fill(HR_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/")
    expect(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Bedrijf", exact=True
        )
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht")
    expect(page.get_by_text("Bedrijfsportaal: Kampstaal")).to_be_visible()

    # --- She imports the five from the spreadsheet: first a preview, then the real thing.
    portal_tab(page, "Medewerkers").click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/medewerkers/")
    page.get_by_role("link", name="Medewerkers importeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerkers importeren")
    page.get_by_label("CSV-bestand").set_input_files(
        files={
            "name": "nieuwe-collega's.csv",
            "mimeType": "text/csv",
            "buffer": excel_csv(NEWCOMERS),
        }
    )
    page.get_by_role("button", name="Bestand controleren").click()

    expect(page.get_by_role("heading", name="Controleer het bestand")).to_be_visible()
    expect(page.get_by_role("heading", name="5 rijen zijn goed")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("met een fout"))).to_have_count(0)
    saved = page.get_by_role("table", name="Rijen die worden opgeslagen")
    # The accents survive the trip through Windows-1252.
    expect(saved.locator("tbody tr td:first-of-type")).to_have_text(
        [f"{first} {last}" for first, last, _email in NEWCOMERS]
    )
    expect(saved.get_by_role("cell", name="Nieuw – wordt uitgenodigd")).to_have_count(5)
    assert not User.objects.filter(email__in=[email for *_name, email in NEWCOMERS]).exists()

    page.get_by_role("button", name="Importeren").click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/medewerkers/")
    expect(page.get_by_role("status").filter(has_text="gemaild")).to_contain_text(
        "5 nieuwe medewerkers gemaild."
    )
    # Piet is not in this file of newcomers: he is offered for removal, and stays unless ticked.
    expect(page.get_by_role("status").filter(has_text="niet in het bestand")).to_contain_text(
        "1 medewerker staat niet in het bestand maar blijft op de lijst."
    )
    roster = page.get_by_role("table", name="Medewerkers")
    for name in BY_LAST_NAME:
        expect(roster.get_by_role("rowheader", name=name, exact=True)).to_be_visible()

    # --- She finds the offering in the catalogue and enrols all five new colleagues.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Cursussen", exact=True
    ).click()
    page.get_by_role("searchbox", name="Zoek op onderwerp").fill("lassen")
    page.keyboard.press("Enter")
    expect_results(page, "1 cursus gevonden")
    page.get_by_role("link", name=COURSE_TITLE, exact=True).click()
    page.wait_for_url(f"{live_server.url}/cursussen/{course.slug}/")
    offering_card = page.get_by_role("article", name=f"Vanaf {first_day(offering)}")
    expect(offering_card).to_contain_text("nog 3 plekken vrij")
    offering_card.get_by_role(
        "link", name=f"Team van Kampstaal inschrijven – uitvoering vanaf {first_day(offering)}"
    ).click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/uitvoeringen/{offering.pk}/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team inschrijven")

    team = page.get_by_role("group", name="7 medewerkers gevonden")
    # In Dutch order, each with their address; Piet's pending request keeps him out.
    expect(team.locator("label")).to_contain_text(
        [*BY_LAST_NAME[:4], "Hennie Post", "Piet Smit", BY_LAST_NAME[4]]
    )
    expect(team.locator("label").nth(5)).to_contain_text("(al aangevraagd)")
    expect(team.get_by_label("Piet Smit")).to_be_disabled()
    # She finds two by searching, chooses them, then ticks the other three: all five stay.
    page.get_by_label("Zoek op naam, e-mailadres of personeelsnummer").fill("bakker")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_role("group", name="1 medewerker gevonden").get_by_label("Sjoerd Bakker").check()
    page.get_by_role("button", name="Aangevinkte kiezen").click()
    expect(page.get_by_role("group", name="Gekozen: 1 medewerker")).to_contain_text("Bakker")
    page.get_by_label("Zoek op naam, e-mailadres of personeelsnummer").fill("")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    team = page.get_by_role("group", name="7 medewerkers gevonden")
    for first, last, _email in NEWCOMERS:
        if last != "Bakker":
            team.get_by_label(f"{first} {last}").check()
    page.get_by_label("Inkoopordernummer (PO)").fill("4500012345")
    page.get_by_role("button", name="Verder", exact=True).click()

    # --- Before anyone is enrolled she sees what the team costs, then confirms.
    expect(page.get_by_role("heading", level=1)).to_have_text("Team inschrijven: bevestigen")
    with translation.override("nl"):
        total = money(offering.course.price_excl_vat * len(NEWCOMERS))
    expect(page.get_by_role("table", name="Kosten")).to_contain_text(total)
    newcomers = [email for _first, _last, email in NEWCOMERS]
    assert not Enrolment.objects.filter(offering=offering, learner__email__in=newcomers).exists()
    page.get_by_role("button", name="Inschrijven", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Team ingeschreven")
    expect(page.get_by_role("heading", name="Ingeschreven (3)")).to_be_visible()
    expect(page.get_by_role("heading", name="Op de wachtlijst (2)")).to_be_visible()
    expect(list_under(page, "Ingeschreven (3)")).to_contain_text(SEATED)
    expect(list_under(page, "Op de wachtlijst (2)")).to_contain_text(WAITING)

    # --- She approves Piet's request; the offering is full now, so he joins the waiting list.
    portal_tab(page, "Aanvragen").click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/aanvragen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen van medewerkers")
    page.get_by_label(f"Aanvraag van Piet Smit voor {COURSE_TITLE}").check()
    page.get_by_role("button", name="Gekozen aanvragen goedkeuren").click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/aanvragen/")
    expect(page.get_by_role("status")).to_have_text("1 aanvraag goedgekeurd.")
    expect(page.get_by_text("Er wachten geen aanvragen op goedkeuring.")).to_be_visible()

    # The overview shows him third in line.
    portal_tab(page, "Overzicht").click()
    piet_row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Piet Smit", exact=True)
    )
    expect(piet_row).to_contain_text("plaats 3")

    # --- What the database holds: three seats taken, three in line, no seat twice.
    offering.refresh_from_db()
    assert offering.confirmed_count == offering.capacity == 5
    enrolments = {
        str(enrolment.learner): enrolment
        for enrolment in Enrolment.objects.filter(offering=offering, company=kampstaal)
    }
    assert sorted(enrolments) == sorted([*BY_LAST_NAME, "Piet Smit"])
    for name in SEATED:
        assert enrolments[name].status == Enrolment.Status.CONFIRMED
        assert enrolments[name].waitlist_position is None
    for position, name in enumerate([*WAITING, "Piet Smit"], start=1):
        assert enrolments[name].status == Enrolment.Status.WAITLISTED
        assert enrolments[name].waitlist_position == position
    for name in BY_LAST_NAME:
        assert enrolments[name].enrolled_by == hr
        assert enrolments[name].po_number == "4500012345"
    assert (
        Enrolment.objects.filter(offering=offering, status=Enrolment.Status.CONFIRMED).count() == 5
    )

    # Each of the five is told where they stand, once; Piet first of his request, then of
    # his place in line.
    for name in BY_LAST_NAME:
        enrolment = enrolments[name]
        mails = Notification.objects.filter(enrolment=enrolment)
        assert list(mails.values_list("template", flat=True)) == [f"enrolment_{enrolment.status}"]
        assert mails.get().to_email == enrolment.learner.email
    piet = enrolments["Piet Smit"]
    assert list(
        Notification.objects.filter(enrolment=piet, to_email=piet.learner.email)
        .order_by("pk")
        .values_list("template", flat=True)
    ) == ["enrolment_requested", "enrolment_waitlisted"]
    # HR heard of his request at once, with links to decide it.
    assert list(
        Notification.objects.filter(enrolment=piet)
        .exclude(to_email=piet.learner.email)
        .values_list("template", flat=True)
    ) == ["request_for_hr"]

    # And each newcomer got one "you now belong to Kampstaal" mail, with a link to choose a
    # password, since they had no account before.
    added = Notification.objects.filter(template="company_added")
    assert sorted(added.values_list("to_email", flat=True)) == sorted(
        email for _first, _last, email in NEWCOMERS
    )
    assert all(mail.context.get("set_password_url") for mail in added)
    assert all(mail.recipient.email == mail.to_email for mail in added)
