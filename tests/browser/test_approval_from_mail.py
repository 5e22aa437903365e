"""An HR officer decides a request from the mail, in real Chromium: the link asks her to log in,
then shows the request with its motivation and asks her to confirm; only her click approves.
On a phone the requests page, with a long motivation, does not scroll sideways."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from companies.models import Membership
from enrolment import services
from enrolment.models import Enrolment, Notification
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

HR_PASSWORD = "Lasrobot-Emmeloord-27"
MOTIVATION = (
    "Vanaf maart lassen we RVS-leidingwerk voor de zuivelindustrie; zonder TIG-certificaat "
    "kan ik daar niet aan werken. Hyperverbindingsleidingwerkvoorbereidingsdocumentatie."
)


def test_hr_approves_a_request_from_the_mail_link(live_server, page):
    company = CompanyFactory(name="Kampstaal", slug="kampstaal", requires_approval=True)
    hr = UserFactory(
        email="hennie.post@kampstaal.example",
        first_name="Hennie",
        last_name="Post",
        password=HR_PASSWORD,
        email_verified_at=timezone.now(),
    )
    MembershipFactory(company=company, user=hr, role=Membership.Role.HR)
    piet = UserFactory(email="piet.smit@kampstaal.example", first_name="Piet", last_name="Smit")
    MembershipFactory(company=company, user=piet)
    offering = OfferingFactory(
        course=CourseFactory(title="TIG-lassen RVS"), capacity=5, min_participants=1
    )
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=30))
    request = services.enrol_learner(learner=piet, offering_id=offering.pk, motivation=MOTIVATION)

    mail = Notification.objects.get(template="request_for_hr", to_email=hr.email)
    approve_path = urlparse(mail.context["approve_url"]).path
    page.goto(f"{live_server.url}{approve_path}")
    # Not logged in: the log-in page first, then straight back to the request.
    page.get_by_label("E-mailadres").fill(hr.email)
    page.get_by_label("Wachtwoord").fill(HR_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}{approve_path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvraag goedkeuren")
    expect(page.get_by_text("zuivelindustrie", exact=False)).to_be_visible()
    request.refresh_from_db()
    assert request.status == Enrolment.Status.REQUESTED  # opening the link decided nothing

    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/aanvragen/")
    expect(page.get_by_role("status")).to_have_text("De aanvraag van Piet Smit is goedgekeurd.")
    request.refresh_from_db()
    assert request.status == Enrolment.Status.CONFIRMED

    # The same link again (a second look at the mail): it says who decided, and when.
    page.goto(f"{live_server.url}{approve_path}")
    expect(page.get_by_text("Al goedgekeurd door Hennie Post op")).to_be_visible()


def test_requests_page_does_not_scroll_sideways_on_a_phone(live_server, page):
    company = CompanyFactory(name="Kampstaal", slug="kampstaal", requires_approval=True)
    hr = UserFactory(password=HR_PASSWORD, email_verified_at=timezone.now())
    MembershipFactory(company=company, user=hr, role=Membership.Role.HR)
    offering = OfferingFactory(
        course=CourseFactory(title="Hydrauliek en pneumatiek voor monteurs in de akkerbouw"),
        capacity=5,
        min_participants=1,
    )
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=30))
    for _ in range(3):
        employee = MembershipFactory(company=company).user
        services.enrol_learner(learner=employee, offering_id=offering.pk, motivation=MOTIVATION)

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(hr.email)
    page.get_by_label("Wachtwoord").fill(HR_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/bedrijf/kampstaal/")
    page.goto(f"{live_server.url}/bedrijf/kampstaal/aanvragen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # "Alles selecteren" ticks every request (here by script, without reloading the page).
    page.get_by_role("link", name="Alles selecteren").click()
    boxes = page.locator("input[name='requests']")
    assert boxes.count() == 3
    for index in range(3):
        expect(boxes.nth(index)).to_be_checked()
