"""Every public page is valid HTML (Nu Html Checker) and meets WCAG 2.1 AA (axe-core).

To check a new page, add a line to PUBLIC_PAGES: it is then checked in every language, for HTML
validity and with axe at desktop and phone width. Objects the page needs go in sample_data().
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Course, Offering
from catalogue.services import refresh_search_vectors
from companies.models import User
from enrolment.models import Enrolment
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    OfferingFactory,
    UserFactory,
)


@dataclass(frozen=True)
class SampleData:
    course: Course
    offering: Offering
    full_offering: Offering
    learner: User
    enrolment: Enrolment


def sample_data() -> SampleData:
    """A small published catalogue, so that pages with lists have something in them."""
    # Meetings start on the hour, as real ones do.
    start = (timezone.now() + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    course = CourseFactory(title="CNC-draaien", title_en="CNC turning", slug="cnc-draaien")
    offering = OfferingFactory(course=course)
    for week in range(3):
        MeetingFactory(offering=offering, starts_at=start + timedelta(weeks=week))
    # A full run, so that the "full – waiting list" look is checked too.
    full_offering = OfferingFactory(
        course=CourseFactory(title="TIG-lassen RVS"),
        capacity=1,
        min_participants=1,
        confirmed_count=1,
    )
    MeetingFactory(offering=full_offering, starts_at=start + timedelta(days=2))
    EnrolmentFactory(offering=full_offering)
    # A learner with a seat in one run and a place on the waiting list of the full one.
    learner = UserFactory(email="leerling@kampstaal.example")
    enrolment = EnrolmentFactory(offering=offering, learner=learner)
    Offering.objects.filter(pk=offering.pk).update(confirmed_count=1)
    EnrolmentFactory(
        offering=full_offering, learner=learner, status="waitlisted", waitlist_position=1
    )
    refresh_search_vectors()
    return SampleData(
        course=course,
        offering=offering,
        full_offering=full_offering,
        learner=learner,
        enrolment=enrolment,
    )


# Each public page by name: its path, given the sample data, in the active language.
PUBLIC_PAGES: dict[str, Callable[[SampleData], str]] = {
    "home": lambda data: reverse("home"),
    "accessibility": lambda data: reverse("accessibility"),
    "privacy": lambda data: reverse("privacy"),
    "course-list": lambda data: reverse("catalogue:course_list"),
    "course-search": lambda data: (
        reverse("catalogue:course_list") + "?q=draaien&plaats=emmeloord&vrij=1&sorteer=prijs"
    ),
    "course-no-match": lambda data: reverse("catalogue:course_list") + "?q=draaiien",
    "course-bad-filter": lambda data: (
        reverse("catalogue:course_list") + "?prijs_min=900&prijs_max=100"
    ),
    "course": lambda data: reverse("catalogue:course_detail", args=[data.course.slug]),
    "course-full": lambda data: reverse(
        "catalogue:course_detail", args=[data.full_offering.course.slug]
    ),
    "locations": lambda data: reverse("catalogue:location_list"),
    "location": lambda data: reverse(
        "catalogue:location_detail", args=[data.offering.location.slug]
    ),
    "login": lambda data: reverse("accounts:login") + "?next=/",
    "signup": lambda data: reverse("accounts:signup"),
    "password-reset": lambda data: reverse("accounts:password_reset"),
}

# Pages of a logged-in learner (the sample data's), checked like the public ones.
LEARNER_PAGES: dict[str, Callable[[SampleData], str]] = {
    "my-courses": lambda data: reverse("enrolment:my_courses"),
    "enrol": lambda data: reverse("enrolment:enrol", args=[data.full_offering.pk]),
    "cancel": lambda data: reverse("enrolment:cancel", args=[data.enrolment.pk]),
    "profile": lambda data: reverse("accounts:profile"),
}

# Pages that are only checked for valid HTML: Django's own admin is not ours to make accessible.
HTML_ONLY_PAGES: dict[str, Callable[[SampleData], str]] = {
    "admin-login": lambda data: reverse("admin:login"),
}

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DESKTOP, PHONE = 1280, 375


def log_in(page, user: User, url: str) -> None:
    """Give the browser a session of ``user``, as if they had logged in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def page_ids(pages: dict[str, Callable[[SampleData], str]]) -> list[str]:
    return [f"{name}-{code}" for name in pages for code in LANGUAGES]


def public_urls(
    data: SampleData, pages: dict[str, Callable[[SampleData], str]] = PUBLIC_PAGES
) -> dict[str, str]:
    """Every page in every language, by id ("privacy-en") → URL path ("/en/privacy/")."""
    urls = {}
    for name, path in pages.items():
        for code in LANGUAGES:
            with translation.override(code):
                urls[f"{name}-{code}"] = path(data)
    return urls


@pytest.fixture(scope="module")
def html_checked(django_db_setup, django_db_blocker, html_validator) -> dict[str, dict]:
    """Every page rendered once and all checked in one vnu run: id → path, status, errors."""
    pages, documents = {}, {}
    with django_db_blocker.unblock():
        # The sample data lives only in this transaction, rolled back once the pages are rendered.
        with transaction.atomic():
            data = sample_data()
            learner = Client()
            learner.force_login(data.learner)
            for pages_of, client in (
                ({**PUBLIC_PAGES, **HTML_ONLY_PAGES}, Client()),
                (LEARNER_PAGES, learner),
            ):
                for page_id, path in public_urls(data, pages_of).items():
                    response = client.get(path)
                    pages[page_id] = {"path": path, "status": response.status_code}
                    documents[page_id] = response.content.decode()
            transaction.set_rollback(True)
        # Close the connection, as Django's test cases do: while Playwright's event loop runs,
        # it is not the one the test database's teardown closes, and would keep the database busy.
        connection.close()
    errors = html_validator.validate(documents)
    return {page_id: {**page, "errors": errors[page_id]} for page_id, page in pages.items()}


@pytest.mark.parametrize("page_id", page_ids({**PUBLIC_PAGES, **HTML_ONLY_PAGES, **LEARNER_PAGES}))
def test_page_is_valid_html(page_id, html_checked, html_validator):
    page = html_checked[page_id]
    assert page["status"] == 200, f"{page['path']} answered {page['status']}"
    if page["errors"]:
        pytest.fail(html_validator.report(page["path"], page["errors"]), pytrace=False)


@pytest.mark.django_db(transaction=True)  # the live server's thread must see the sample data
@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("page_id", page_ids({**PUBLIC_PAGES, **LEARNER_PAGES}))
def test_page_meets_wcag_21_aa(page_id, width, live_server, page, axe):
    data = sample_data()
    path = public_urls(data, {**PUBLIC_PAGES, **LEARNER_PAGES})[page_id]
    if page_id.rsplit("-", 1)[0] in LEARNER_PAGES:
        log_in(page, data.learner, live_server.url)
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"

    violations = axe(page)

    if violations:
        pytest.fail(axe.report(f"{path} at {width}px", violations), pytrace=False)
