"""A new HR officer's way in: landing on the company portal after log-in, and the first steps."""

import pytest
from django.urls import reverse
from django.utils import translation

from companies.demand import services as demand
from companies.models import Membership
from companies.portal import services
from companies.portal.first_steps import APPROVAL_RULE_SET, list_first_steps
from enrolment import services as enrolment_services
from technohub.models import AuditLog
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord"


def verified_user(**fields):
    return UserFactory(email_verified_at="2026-01-01T00:00Z", **fields)


def log_in(client, user, **extra):
    return client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD, **extra}
    )


def hr_of(*companies):
    user = verified_user()
    for company in companies:
        MembershipFactory(user=user, company=company, role=Membership.Role.HR)
    return user


# --- Landing after log-in ----------------------------------------------------------------------


def test_hr_of_one_company_lands_on_its_overview(client):
    company = CompanyFactory(slug="kampstaal")
    response = log_in(client, hr_of(company))
    assert response["Location"] == reverse("portal:dashboard", args=["kampstaal"])


def test_hr_of_two_companies_lands_on_the_choice(client):
    response = log_in(client, hr_of(CompanyFactory(), CompanyFactory()))
    assert response["Location"] == reverse("portal:choose")
    assert client.get(response["Location"]).status_code == 200


def test_a_learner_still_lands_on_my_courses(client):
    learner = verified_user()
    MembershipFactory(user=learner, company=CompanyFactory(), role=Membership.Role.EMPLOYEE)
    assert log_in(client, learner)["Location"] == reverse("enrolment:my_courses")


def test_staff_who_may_open_every_portal_are_not_sent_into_one(client):
    CompanyFactory()
    staff = verified_user(is_staff=True, is_superuser=True)
    # Hub staff start their day on the back office's start page, not in a company's portal.
    assert log_in(client, staff)["Location"] == reverse("backoffice:today")


def test_an_explicit_next_wins_over_the_portal(client):
    company = CompanyFactory()
    response = log_in(client, hr_of(company), next="/cursussen/")
    assert response["Location"] == "/cursussen/"


def test_english_hr_lands_on_the_english_overview(client):
    company = CompanyFactory(slug="kampstaal")
    user = hr_of(company)
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    with translation.override("en"):
        expected = reverse("portal:dashboard", args=["kampstaal"])
    assert expected.startswith("/en/")
    assert log_in(client, user)["Location"] == expected


def test_hr_already_logged_in_opening_the_log_in_page_goes_to_the_portal(client):
    company = CompanyFactory(slug="kampstaal")
    client.force_login(hr_of(company))
    response = client.get(reverse("accounts:login"))
    assert response["Location"] == reverse("portal:dashboard", args=["kampstaal"])


# --- First steps -------------------------------------------------------------------------------


def done_steps(company) -> list[bool]:
    return [step.done for step in list_first_steps(company=company)]


def test_an_empty_company_sees_four_first_steps_each_linking_to_its_page(client):
    company = CompanyFactory(slug="nieuw")
    client.force_login(hr_of(company))

    page = client.get(reverse("portal:dashboard", args=["nieuw"]))

    steps = page.context["first_steps"]
    assert [step.done for step in steps] == [False, False, False, False]
    assert [step.url for step in steps] == [
        reverse("portal:roster", args=["nieuw"]),
        reverse("portal:approval_rule", args=["nieuw"]),
        reverse("demand:new_need", args=["nieuw"]),
        reverse("catalogue:course_list"),
    ]
    html = page.content.decode()
    assert "Aan de slag" in html
    assert "Geef een opleidingsbehoefte door" in html
    for step in steps:
        assert client.get(step.url).status_code == 200


def test_each_first_step_is_ticked_when_done_and_the_list_goes_when_all_are(client, make_offering):
    company = CompanyFactory(slug="nieuw", requires_approval=False)
    hr = hr_of(company)
    client.force_login(hr)
    dashboard = reverse("portal:dashboard", args=["nieuw"])

    services.invite_member(
        company=company, email="jan@nieuw.example", invited_by=hr, site_url="http://testserver"
    )
    assert done_steps(company) == [True, False, False, False]

    # Choosing "no approval" (the default) is still a choice, and ticks the step.
    response = client.post(
        reverse("portal:approval_rule", args=["nieuw"]), {"requires_approval": "no"}
    )
    assert response["Location"] == dashboard
    assert done_steps(company) == [True, True, False, False]
    row = AuditLog.objects.get(action=APPROVAL_RULE_SET)
    assert (row.actor, row.data["requires_approval"]) == (hr, False)

    demand.submit_need(company=company, submitted_by=hr, title="Lassen", headcount=3)
    assert done_steps(company) == [True, True, True, False]

    employee = MembershipFactory(company=company).user
    # An employee signing up alone is not a team.
    enrolment_services.enrol_learner(learner=employee, offering_id=make_offering().pk)
    assert done_steps(company) == [True, True, True, False]
    enrolment_services.enrol_team(
        hr_user=hr, company=company, offering_id=make_offering().pk, learners=[employee]
    )

    assert list_first_steps(company=company) == []
    page = client.get(dashboard)
    assert page.context["first_steps"] == []
    assert "Aan de slag" not in page.content.decode()


def test_a_company_that_already_asks_for_approval_has_that_step_done():
    company = CompanyFactory(requires_approval=True)
    assert done_steps(company)[1] is True


def test_the_first_steps_cost_one_query_whatever_the_company_holds(client, make_offering):
    company = CompanyFactory(slug="nieuw")
    hr = hr_of(company)
    client.force_login(hr)
    url = reverse("portal:dashboard", args=["nieuw"])
    list_first_steps(company=company)  # the content type is cached from then on
    few = page_queries(client, url)
    for _ in range(5):
        MembershipFactory(company=company)
        demand.submit_need(company=company, submitted_by=hr, title="Lassen", headcount=1)
    assert page_queries(client, url) == few


def test_hr_chooses_approval_and_new_sign_ups_wait_for_it(client, make_offering):
    company = CompanyFactory(slug="nieuw", requires_approval=False)
    client.force_login(hr_of(company))
    url = reverse("portal:approval_rule", args=["nieuw"])

    assert client.get(url).context["form"].initial["requires_approval"] == "no"
    refused = client.post(url, {"requires_approval": "misschien"})
    assert "requires_approval" in refused.context["form"].errors
    client.post(url, {"requires_approval": "yes"})

    company.refresh_from_db()
    assert company.requires_approval
    employee = MembershipFactory(company=company).user
    enrolment = enrolment_services.enrol_learner(learner=employee, offering_id=make_offering().pk)
    assert enrolment.status == "requested"


def test_the_approval_page_and_first_steps_read_in_english(client):
    company = CompanyFactory(slug="nieuw")
    user = hr_of(company)
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    with translation.override("en"):
        dashboard = client.get(reverse("portal:dashboard", args=["nieuw"])).content.decode()
        approval = client.get(reverse("portal:approval_rule", args=["nieuw"])).content.decode()
    assert "Getting started" in dashboard
    assert "State a training need" in dashboard
    assert "Approval of sign-ups" in approval
    assert "Aanmeldingen" not in approval
