"""The programme manager's morning in Chromium: log in to the admin, land on the start page,
cancel a run below its minimum from there in three steps, and find the staff menu and the day's
numbers on the admin's index, accessible and within a phone's width."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Offering
from enrolment.models import Enrolment
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    LocationFactory,
    MeetingFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "een-lang-wachtwoord-voor-de-hub"
PHONE, DESKTOP = 375, 1280


def run_below_minimum() -> Offering:
    offering = OfferingFactory(
        course=CourseFactory(title="3D-printen"),
        location=LocationFactory(name="Technohub Aeres MBO"),
        capacity=10,
        min_participants=5,
        confirmed_count=2,
    )
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=5))
    for _ in range(2):
        EnrolmentFactory(offering=offering, status=Enrolment.Status.CONFIRMED)
    return offering


def manager():
    # A superuser: the live server's tests empty the database, groups from migrations too.
    return UserFactory(
        email="planning@technohub.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
        email_verified_at=timezone.now(),
    )


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/beheer/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.locator("input[type=submit]").click()


def test_the_day_starts_on_the_start_page_and_a_run_is_cancelled_in_three_steps(live_server, page):
    offering = run_below_minimum()
    log_in(page, live_server.url, manager().email)

    page.wait_for_url(f"{live_server.url}/beheer-vandaag/")
    expect(page.get_by_role("heading", name="Vandaag", level=1)).to_be_visible()
    go_no_go = page.get_by_role("table", name="Uitvoeringen onder het minimum")
    expect(go_no_go).to_contain_text("3D-printen")
    expect(go_no_go).to_contain_text("2 / 5")

    go_no_go.get_by_role("link", name="Annuleren").click()  # 1
    page.get_by_label("Reden").fill("Te weinig aanmeldingen; we plannen hem in het voorjaar.")  # 2
    page.get_by_role("button", name="Annuleren en iedereen mailen").click()  # 3

    page.wait_for_url(f"{live_server.url}/beheer-vandaag/")
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "geannuleerd"
    )
    expect(page.get_by_text("Geen uitvoeringen onder het minimum")).to_be_visible()
    offering.refresh_from_db()
    assert offering.status == Offering.Status.CANCELLED


def test_going_ahead_takes_one_click(live_server, page):
    offering = run_below_minimum()
    log_in(page, live_server.url, manager().email)
    page.wait_for_url(f"{live_server.url}/beheer-vandaag/")

    page.get_by_role("button", name="Gaat door").click()

    expect(page.get_by_role("status").first).to_contain_text("gaat door")
    expect(page.get_by_text("Geen uitvoeringen onder het minimum")).to_be_visible()
    offering.refresh_from_db()
    assert offering.go_decided_at is not None


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_admin_index_shows_the_day_first_with_an_accessible_staff_menu(
    live_server, page, axe, width
):
    run_below_minimum()
    log_in(page, live_server.url, manager().email)
    page.wait_for_url(f"{live_server.url}/beheer-vandaag/")
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"{live_server.url}/beheer/")

    menu = page.get_by_role("navigation", name="Beheermenu")
    expect(menu.get_by_role("link", name="Vandaag")).to_be_visible()
    expect(page.get_by_role("heading", name="Vandaag")).to_be_visible()
    # The staff menu and the day's numbers meet WCAG 2.1 AA (the rest of the admin is Django's).
    ours = [
        violation
        for violation in axe(page)
        if any(
            page.locator(", ".join(node["target"])).first.evaluate(
                "element => !!element.closest('.staff-menu, .staff-today-module')"
            )
            for node in violation["nodes"]
        )
    ]
    if ours:
        pytest.fail(axe.report(f"/beheer/ at {width}px", ours), pytrace=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    menu.get_by_role("link", name="Vandaag").click()
    page.wait_for_url(f"{live_server.url}/beheer-vandaag/")
