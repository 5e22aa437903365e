"""Every page works under the Content-Security-Policy: Chromium reports no violation on any
page, for any role, in either language, nor in the admin; the menu, the catalogue's htmx filters
and the language switch still work."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_html_and_a11y import (
    COLLEGE_PAGES,
    EXPECTED_STATUS,
    HR_PAGES,
    LEARNER_PAGES,
    PHONE,
    PUBLIC_PAGES,
    STAFF_PAGES,
    log_in,
    lookup_counter_for,
    page_name,
    public_urls,
    sample_data,
)
from tests.factories import UserFactory

# Set before any of the page's own code runs, so every violation is seen.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"}`);
});
"""


class ViolationWatch:
    """The CSP violations Chromium reports on a page: its events and its console."""

    def __init__(self, page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url: str) -> tuple[int, list[str]]:
        """Open ``url``; its status and every violation reported while loading it."""
        self.console.clear()
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        return response.status, self.found()

    def found(self) -> list[str]:
        return self.page.evaluate("window.cspViolations") + self.console


def visit_all(watch: ViolationWatch, base: str, urls: dict[str, str]) -> dict[str, list[str]]:
    problems = {}
    for page_id, path in urls.items():
        with lookup_counter_for(page_id):
            status, violations = watch.visit(f"{base}{path}")
        expected = EXPECTED_STATUS.get(page_name(page_id), 200)
        if status != expected:
            problems[page_id] = [f"{path} answered {status}"]
        elif violations:
            problems[page_id] = [path, *violations]
    return problems


ROLES = {
    "visitor": (PUBLIC_PAGES, None),
    "learner": (LEARNER_PAGES, "learner"),
    "hr": (HR_PAGES, "hr"),
    "staff": (STAFF_PAGES, "staff"),
    "college": (COLLEGE_PAGES, "college"),
}


@pytest.mark.django_db(transaction=True)  # the live server's thread must see the sample data
@pytest.mark.parametrize("role", ROLES)
def test_every_page_runs_without_csp_violations(role, live_server, page):
    data = sample_data()
    pages, who = ROLES[role]
    if who is not None:
        log_in(page, getattr(data, who), live_server.url)
    watch = ViolationWatch(page)

    problems = visit_all(watch, live_server.url, public_urls(data, pages))

    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_error_pages_run_without_csp_violations(live_server, page):
    watch = ViolationWatch(page)

    for path in ("/bestaat-niet/", "/en/does-not-exist/"):
        status, violations = watch.visit(f"{live_server.url}{path}")

        assert status == 404
        assert violations == []


@pytest.mark.django_db(transaction=True)
def test_admin_runs_without_csp_violations(live_server, page):
    data = sample_data()
    manager = UserFactory(email="pm@technohub.example", is_staff=True, is_superuser=True)
    log_in(page, manager, live_server.url)
    watch = ViolationWatch(page)
    urls = {
        "index": reverse("admin:index"),
        "courses": reverse("admin:catalogue_course_changelist"),
        "course": reverse("admin:catalogue_course_change", args=[data.course.pk]),
        "new-course": reverse("admin:catalogue_course_add"),
        "offerings": reverse("admin:catalogue_offering_changelist"),
        "offering": reverse("admin:catalogue_offering_change", args=[data.offering.pk]),
        "new-offering": reverse("admin:catalogue_offering_add"),
        "enrolments": reverse("admin:enrolment_enrolment_changelist") + "?q=kampstaal",
        "enrolment": reverse("admin:enrolment_enrolment_change", args=[data.enrolment.pk]),
    }

    problems = visit_all(watch, live_server.url, urls)

    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_menu_opens_on_a_phone_under_the_policy(live_server, page):
    watch = ViolationWatch(page)
    page.set_viewport_size({"width": PHONE, "height": 800})
    watch.visit(f"{live_server.url}/")
    menu = page.locator("#site-nav")
    expect(menu).to_be_hidden()

    page.get_by_role("button", name="Menu tonen of verbergen").click()

    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Cursussen")).to_be_visible()
    assert watch.found() == []


@pytest.mark.django_db(transaction=True)
def test_catalogue_filters_update_the_results_with_htmx_under_the_policy(live_server, page):
    sample_data()
    watch = ViolationWatch(page)
    watch.visit(f"{live_server.url}{reverse('catalogue:course_list')}")
    cards = page.locator("#catalogue .course-card")
    before = cards.count()
    assert before > 1

    with page.expect_response(lambda response: "q=draaien" in response.url) as swap:
        page.get_by_label("Zoek op onderwerp").fill("draaien")
        page.get_by_label("Zoek op onderwerp").press("Enter")

    # htmx swapped the results in place (the request was its own) and put the filter in the URL.
    assert swap.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"q=draaien"))
    expect(cards).to_have_count(1)
    assert watch.found() == []


@pytest.mark.django_db(transaction=True)
def test_language_switch_works_under_the_policy(live_server, page):
    watch = ViolationWatch(page)
    watch.visit(f"{live_server.url}/")

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert watch.found() == []
