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
from tests.factories import CourseFactory, EnrolmentFactory, MeetingFactory, OfferingFactory


@dataclass(frozen=True)
class SampleData:
    course: Course
    offering: Offering
    full_offering: Offering


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
    return SampleData(course=course, offering=offering, full_offering=full_offering)


# Each public page by name: its path, given the sample data, in the active language.
PUBLIC_PAGES: dict[str, Callable[[SampleData], str]] = {
    "home": lambda data: reverse("home"),
    "accessibility": lambda data: reverse("accessibility"),
    "privacy": lambda data: reverse("privacy"),
}

# Pages that are only checked for valid HTML: Django's own admin is not ours to make accessible.
HTML_ONLY_PAGES: dict[str, Callable[[SampleData], str]] = {
    "admin-login": lambda data: reverse("admin:login"),
}

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DESKTOP, PHONE = 1280, 375


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
            urls = public_urls(sample_data(), {**PUBLIC_PAGES, **HTML_ONLY_PAGES})
            client = Client()
            for page_id, path in urls.items():
                response = client.get(path)
                pages[page_id] = {"path": path, "status": response.status_code}
                documents[page_id] = response.content.decode()
            transaction.set_rollback(True)
        # Close the connection, as Django's test cases do: while Playwright's event loop runs,
        # it is not the one the test database's teardown closes, and would keep the database busy.
        connection.close()
    errors = html_validator.validate(documents)
    return {page_id: {**page, "errors": errors[page_id]} for page_id, page in pages.items()}


@pytest.mark.parametrize("page_id", page_ids({**PUBLIC_PAGES, **HTML_ONLY_PAGES}))
def test_page_is_valid_html(page_id, html_checked, html_validator):
    page = html_checked[page_id]
    assert page["status"] == 200, f"{page['path']} answered {page['status']}"
    if page["errors"]:
        pytest.fail(html_validator.report(page["path"], page["errors"]), pytrace=False)


@pytest.mark.django_db(transaction=True)  # the live server's thread must see the sample data
@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("page_id", page_ids(PUBLIC_PAGES))
def test_page_meets_wcag_21_aa(page_id, width, live_server, page, axe):
    path = public_urls(sample_data())[page_id]
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"

    violations = axe(page)

    if violations:
        pytest.fail(axe.report(f"{path} at {width}px", violations), pytrace=False)
