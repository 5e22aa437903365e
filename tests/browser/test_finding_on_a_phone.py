"""Finding and choosing a course on a 375-pixel phone: after searching, the first result's enrol
button is on the first screen, without scrolling; the keyboard skips straight to the results."""

import re

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from catalogue.services import refresh_search_vectors
from tests.factories import (
    CourseFactory,
    LocationFactory,
    MeetingFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}  # a small phone's screen; taller ones show more


@pytest.fixture
def welding_courses(db):
    emmeloord = LocationFactory(name="Firda Emmeloord", slug="firda-emmeloord", city="Emmeloord")
    for title, summary in [
        (
            "MIG/MAG-lassen voor beginners",
            "Leer veilig en netjes lassen met MIG/MAG in de lashal van de hub, met een"
            " lasinstructeur die je helpt bij plaat en buis.",
        ),
        ("TIG-lassen RVS", "Lassen van roestvast staal met TIG voor de voedingsmiddelenindustrie."),
    ]:
        course = CourseFactory(title=title, summary=summary)
        MeetingFactory(offering=OfferingFactory(course=course, location=emmeloord))
    refresh_search_vectors()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def log_in(page: Page, base_url: str) -> None:
    client = Client()
    client.force_login(UserFactory(first_name="Maximiliaan", last_name="Wijnhoven-Bakker"))
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "learner"])
def test_after_searching_on_a_phone_the_first_enrol_button_is_on_the_first_screen(
    live_server, phone, welding_courses, logged_in
):
    if logged_in:
        log_in(phone, live_server.url)
    phone.goto(f"{live_server.url}/cursussen/")
    phone.get_by_role("searchbox", name="Zoek op onderwerp").fill("lassen")
    phone.get_by_role("button", name="Zoeken", exact=True).tap()
    expect(phone.locator("#result-count")).to_have_text("2 cursussen gevonden")
    expect(phone.locator("#catalogue")).not_to_have_class(re.compile(r"htmx-(added|settling)"))

    first_card = phone.locator(".course-card").first
    enrol = first_card.get_by_role("link", name=re.compile(r"^Inschrijven – "))
    expect(enrol).to_be_visible()
    # Where its bottom edge is on the page, however far the page may have scrolled.
    bottom = enrol.evaluate("link => link.getBoundingClientRect().bottom + window.scrollY")
    assert bottom <= PHONE["height"]
    # The filters are folded away, and one tap opens them.
    filters = phone.locator("details.catalogue-filters")
    expect(filters).to_have_js_property("open", False)
    filters.locator("> summary").tap()
    expect(phone.get_by_label("Plaats", exact=True)).to_be_visible()


def test_the_keyboard_skips_to_the_results(live_server, page, welding_courses):
    page.goto(f"{live_server.url}/cursussen/?q=lassen")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de resultaten")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")
    first_title = page.locator(".course-card__title a").first
    expect(first_title).to_be_focused()
