"""Back and Forward through the course list always show the whole page.

The course list answers one address two ways: the whole page, and the results block htmx
swaps in while someone filters. A learner filters, opens a course, and goes Back and Forward;
each time the page must be whole (header, the site's CSS, the results), whether the browser
takes it from its memory, its cache or the site, or htmx from its own history.

The test browser keeps no pages in memory (no back/forward cache: tests/browser/conftest.py), as
when a browser evicted them, so that Back really asks the HTTP cache and the site.
"""

import re

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from catalogue.services import refresh_search_vectors
from technohub import page_cache
from tests.factories import (
    CourseFactory,
    LocationFactory,
    MeetingFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def welding_courses(db):
    emmeloord = LocationFactory(name="Firda Emmeloord", slug="firda-emmeloord", city="Emmeloord")
    dronten = LocationFactory(name="Agri Innovatiecenter", slug="agri-dronten", city="Dronten")
    courses = []
    for title, slug, location in [
        ("MIG/MAG-lassen voor beginners", "mig-mag-lassen", emmeloord),
        ("TIG-lassen RVS", "tig-lassen-rvs", emmeloord),
        ("Lassen van landbouwwerktuigen", "lassen-landbouwwerktuigen", dronten),
    ]:
        course = CourseFactory(title=title, slug=slug)
        full = slug == "tig-lassen-rvs"
        offering = OfferingFactory(
            course=course,
            location=location,
            capacity=1 if full else 8,
            min_participants=1,
            confirmed_count=1 if full else 0,
        )
        MeetingFactory(offering=offering)
        courses.append(course)
    refresh_search_vectors()
    return courses


def log_in(page: Page, base_url: str) -> None:
    client = Client()
    client.force_login(UserFactory())
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def open_filters(page: Page) -> None:
    """Unfold the filters if they are folded, as on a phone."""
    filters = page.locator("details.catalogue-filters")
    if not filters.evaluate("element => element.open"):
        filters.locator("> summary").click()


def expect_whole_course_list(page: Page, count: str) -> None:
    """The header, the site's CSS applied, and the results."""
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cursussen")
    expect(page.locator("#result-count")).to_have_text(count)
    # technohub.css gives result cards a 4-pixel green edge; Bootstrap or no CSS would not.
    expect(page.locator(".course-card").first).to_have_css("border-left-width", "4px")
    expect(page.locator("#catalogue")).to_have_count(1)
    assert page.locator("html").count() == 1
    assert page.evaluate("document.querySelectorAll('header.site-header').length") == 1


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "learner"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_back_and_forward_after_filtering_always_show_the_whole_page(
    live_server, browser, welding_courses, settings, viewport, logged_in
):
    settings.PAGE_CACHE = True  # as in production: the site's cache is part of the way back
    page_cache._new_generation()
    context = browser.new_context(
        locale="nl-NL", viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE
    )
    page = context.new_page()
    if logged_in:
        log_in(page, live_server.url)
    course = welding_courses[0]
    list_url = f"{live_server.url}/cursussen/"

    page.goto(list_url)
    expect_whole_course_list(page, "3 cursussen gevonden")
    page.get_by_role("searchbox", name="Zoek op onderwerp").fill("lassen")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=lassen"))
    expect(page.locator("#result-count")).to_have_text("3 cursussen gevonden")
    searched_url = page.url
    open_filters(page)
    page.get_by_label("Plaats", exact=True).select_option(label="Emmeloord (2)")
    page.wait_for_url(re.compile(r"plaats=emmeloord"))
    expect(page.locator("#result-count")).to_have_text("2 cursussen gevonden")
    filtered_url = page.url

    page.get_by_role("link", name=course.title, exact=True).click()
    page.wait_for_url(f"{live_server.url}/cursussen/{course.slug}/")

    page.go_back()
    page.wait_for_url(filtered_url)
    expect_whole_course_list(page, "2 cursussen gevonden")

    page.go_forward()
    page.wait_for_url(f"{live_server.url}/cursussen/{course.slug}/")
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)

    page.go_back()
    page.wait_for_url(filtered_url)
    expect_whole_course_list(page, "2 cursussen gevonden")

    # Back and Forward between the states htmx pushed: its history, or the site, restores them.
    page.go_back()
    page.wait_for_url(searched_url)
    expect_whole_course_list(page, "3 cursussen gevonden")
    page.go_back()
    page.wait_for_url(list_url)
    expect_whole_course_list(page, "3 cursussen gevonden")
    page.go_forward()
    page.wait_for_url(searched_url)
    expect_whole_course_list(page, "3 cursussen gevonden")
    page.go_forward()
    page.wait_for_url(filtered_url)
    expect_whole_course_list(page, "2 cursussen gevonden")

    # Within one page, htmx restores the states it pushed from its own history or, when that
    # misses, asks the site for the whole page; either way the page keeps working.
    open_filters(page)
    page.get_by_label(re.compile(r"^Alleen met vrije plaatsen")).check()
    page.wait_for_url(re.compile(r"vrij=1"))
    expect(page.locator("#result-count")).to_have_text("1 cursus gevonden")
    free_url = page.url
    page.go_back()
    page.wait_for_url(filtered_url)
    expect_whole_course_list(page, "2 cursussen gevonden")
    page.go_forward()
    page.wait_for_url(free_url)
    expect_whole_course_list(page, "1 cursus gevonden")
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    page.go_back()
    page.wait_for_url(filtered_url)
    expect_whole_course_list(page, "2 cursussen gevonden")

    list_requests = []
    page.on(
        "request",
        lambda request: (
            list_requests.append(request.headers.get("hx-request"))
            if request.url.startswith(list_url)
            else None
        ),
    )
    open_filters(page)
    page.get_by_label("Plaats", exact=True).select_option(label="Alle")
    page.wait_for_url(re.compile(r"plaats=&"))
    expect_whole_course_list(page, "3 cursussen gevonden")
    assert list_requests == ["true"]  # one request, by htmx: it was not started twice
    context.close()
