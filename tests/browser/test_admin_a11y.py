"""The admin pages the programme manager uses every day are valid HTML and meet WCAG 2.1 AA.

Like the public pages (``test_html_and_a11y.py``, whose sample data and helpers this reuses):
each page in both languages through the Nu Html Checker, and through axe at desktop width.
To check another admin page, add a line to ADMIN_PAGES.
"""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from enrolment.models import Notification
from tests.browser.test_html_and_a11y import (
    DESKTOP,
    SampleData,
    _reset_sequences,
    logged_in_client,
    page_ids,
    page_name,
    public_urls,
    sample_data,
)


def _notification(data: SampleData) -> Notification:
    return Notification.objects.filter(to_email=data.learner.email).order_by("pk").first()


ADMIN_PAGES: dict[str, Callable[[SampleData], str]] = {
    "admin-index": lambda data: reverse("admin:index"),
    "admin-offerings": lambda data: reverse("admin:catalogue_offering_changelist"),
    "admin-offering-add": lambda data: reverse("admin:catalogue_offering_add"),
    "admin-offering": lambda data: reverse(
        "admin:catalogue_offering_change", args=[data.offering.pk]
    ),
    "admin-courses": lambda data: reverse("admin:catalogue_course_changelist"),
    "admin-course-add": lambda data: reverse("admin:catalogue_course_add"),
    "admin-course": lambda data: reverse("admin:catalogue_course_change", args=[data.course.pk]),
    "admin-meetings": lambda data: reverse("admin:catalogue_meeting_changelist"),
    "admin-outbox": lambda data: reverse("admin:enrolment_notification_changelist"),
    "admin-outbox-mail": lambda data: reverse(
        "admin:enrolment_notification_change", args=[_notification(data).pk]
    ),
    "admin-funding-schemes": lambda data: reverse("admin:companies_fundingscheme_changelist"),
    "admin-funding-scheme-add": lambda data: reverse("admin:companies_fundingscheme_add"),
    "admin-enrolments": lambda data: reverse("admin:enrolment_enrolment_changelist"),
    "admin-enrolment": lambda data: reverse(
        "admin:enrolment_enrolment_change", args=[data.enrolment.pk]
    ),
    "admin-school-activity": lambda data: reverse(
        "admin:catalogue_schoolactivity_change", args=[data.school_activity.pk]
    ),
}


def _admin_sample_data() -> SampleData:
    data = sample_data()
    # The outbox gets a mail, so its list and a mail's page have something to show.
    Notification.objects.create(
        recipient=data.learner,
        to_email=data.learner.email,
        template="enrolment_confirmed",
        context={"enrolment_id": data.enrolment.pk},
        enrolment=data.enrolment,
    )
    return data


@pytest.fixture(scope="module")
def admin_site(django_db_setup, django_db_blocker):
    """The sample data, committed for the module, and a live server; emptied afterwards."""
    with django_db_blocker.unblock():
        as_migrated = connection.creation.serialize_db_to_string()
        data = _admin_sample_data()
        session = logged_in_client(data.staff).cookies[settings.SESSION_COOKIE_NAME].value
        urls = public_urls(data, ADMIN_PAGES)
        connection.close()
    server = LiveServer("localhost")
    try:
        yield {"data": data, "url": server.url, "urls": urls, "session": session}
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(as_migrated)
            _reset_sequences()
            connection.close()


@pytest.fixture(scope="module")
def admin_html_checked(admin_site, django_db_blocker, html_validator) -> dict[str, dict]:
    """Every admin page rendered once and checked in one vnu run: id → path, status, errors."""
    pages, documents = {}, {}
    with django_db_blocker.unblock():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = admin_site["session"]
        for page_id, path in admin_site["urls"].items():
            response = client.get(path)
            pages[page_id] = {"path": path, "status": response.status_code}
            documents[page_id] = response.content.decode()
        connection.close()
    errors = html_validator.validate(documents)
    return {page_id: {**page, "errors": errors[page_id]} for page_id, page in pages.items()}


@pytest.fixture(scope="module")
def admin_page(browser, admin_site):
    context = browser.new_context(locale="nl-NL")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": admin_site["session"],
                "url": admin_site["url"],
            }
        ]
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db
@pytest.mark.parametrize("page_id", page_ids(ADMIN_PAGES))
def test_admin_page_is_valid_html(page_id, admin_html_checked, html_validator):
    page = admin_html_checked[page_id]
    assert page["status"] == 200, f"{page['path']} answered {page['status']}"
    if page["errors"]:
        pytest.fail(html_validator.report(page["path"], page["errors"]), pytrace=False)


@pytest.mark.django_db  # the live server's thread reads the module's sample data
@pytest.mark.parametrize("page_id", page_ids(ADMIN_PAGES))
def test_admin_page_meets_wcag_21_aa(page_id, admin_site, admin_page, axe):
    path = admin_site["urls"][page_id]
    admin_page.set_viewport_size({"width": DESKTOP, "height": 800})
    response = admin_page.goto(f"{admin_site['url']}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    violations = axe(admin_page)
    if violations:
        pytest.fail(axe.report(f"{path} ({page_name(page_id)})", violations), pytrace=False)
