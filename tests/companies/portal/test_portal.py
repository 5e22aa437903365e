"""The company portal: team enrolment, approvals, invitations, roster, and who may see what."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from companies.demand import urls as demand_urls
from companies.models import FundingClaim, Invitation, Membership, Proposal, TrainingNeed
from companies.portal import services
from companies.portal import urls as portal_urls
from companies.portal.selectors import list_roster
from enrolment import outbox
from enrolment import services as enrolment_services
from enrolment.models import Enrolment, HeldQualification, Notification
from tests.factories import (
    CompanyFactory,
    FundingSchemeFactory,
    MembershipFactory,
    QualificationFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def kampstaal(db):
    return CompanyFactory(name="Kampstaal", slug="kampstaal", requires_approval=True)


@pytest.fixture
def hr(kampstaal):
    return MembershipFactory(company=kampstaal, role=Membership.Role.HR).user


@pytest.fixture
def staff(kampstaal):
    return [MembershipFactory(company=kampstaal).user for _ in range(5)]


def test_team_enrolment_gives_seats_in_order_and_waitlists_the_rest(
    make_offering, kampstaal, hr, staff
):
    offering = make_offering(capacity=3)
    result = enrolment_services.enrol_team(
        hr_user=hr, company=kampstaal, offering_id=offering.pk, learners=staff
    )
    assert result.confirmed == staff[:3]
    assert result.waitlisted == staff[3:]
    positions = Enrolment.objects.filter(offering=offering, status="waitlisted").order_by(
        "waitlist_position"
    )
    assert [e.learner for e in positions] == staff[3:]
    # HR's own enrolments need no approval, even where employees' requests do.
    assert not Enrolment.objects.filter(status="requested").exists()
    assert Notification.objects.filter(to_email__in=[p.email for p in staff]).count() == 5


def test_team_enrolment_all_or_nothing_enrols_nobody_when_not_all_fit(
    make_offering, kampstaal, hr, staff
):
    offering = make_offering(capacity=3)
    with pytest.raises(enrolment_services.EnrolmentRefused, match="niemand"):
        enrolment_services.enrol_team(
            hr_user=hr,
            company=kampstaal,
            offering_id=offering.pk,
            learners=staff,
            all_or_nothing=True,
        )
    assert not Enrolment.objects.exists()
    assert not Notification.objects.exists()


def test_team_enrolment_leaves_those_already_enrolled_alone(make_offering, kampstaal, hr, staff):
    offering = make_offering(capacity=5)
    enrolment_services.enrol_learner(learner=staff[0], offering_id=offering.pk, enrolled_by=hr)
    result = enrolment_services.enrol_team(
        hr_user=hr, company=kampstaal, offering_id=offering.pk, learners=staff[:2]
    )
    assert result.already_enrolled == [staff[0]]
    assert result.confirmed == [staff[1]]
    assert Enrolment.objects.filter(learner=staff[0]).count() == 1


def test_approving_requests_takes_seats_then_the_waiting_list(make_offering, kampstaal, hr, staff):
    offering = make_offering(capacity=1)
    requests = [
        enrolment_services.enrol_learner(learner=person, offering_id=offering.pk)
        for person in staff[:2]
    ]
    assert {r.status for r in requests} == {"requested"}
    approved = enrolment_services.approve_requests(
        enrolment_ids=[r.pk for r in requests], hr_user=hr
    )
    assert [e.status for e in approved] == ["confirmed", "waitlisted"]
    offering.refresh_from_db()
    assert offering.confirmed_count == 1


def test_rejecting_a_request_mails_the_reason(make_offering, kampstaal, hr, staff):
    request = enrolment_services.enrol_learner(learner=staff[0], offering_id=make_offering().pk)
    enrolment_services.reject_request(enrolment_id=request.pk, hr_user=hr, reason="Geen budget")
    request.refresh_from_db()
    assert (request.status, request.reason) == ("rejected", "Geen budget")
    mail_row = Notification.objects.get(template="enrolment_rejected")
    assert mail_row.context == {"reason": "Geen budget"}
    # Once decided, a request can be neither approved nor rejected again.
    assert enrolment_services.approve_requests(enrolment_ids=[request.pk], hr_user=hr) == []
    with pytest.raises(enrolment_services.EnrolmentRefused):
        enrolment_services.reject_request(enrolment_id=request.pk, hr_user=hr, reason="Toch niet")


def test_invitation_link_lets_the_invitee_join_once(kampstaal, hr, client):
    invitation = services.invite_member(
        company=kampstaal,
        email="Nieuw@Kampstaal.example",
        invited_by=hr,
        site_url="http://testserver",
    )
    mail.outbox.clear()
    outbox.deliver(Notification.objects.get(template="company_invitation").pk)
    assert mail.outbox[0].to == ["nieuw@kampstaal.example"]
    url = reverse("accounts:accept_invitation", args=[invitation.token])
    assert url in mail.outbox[0].body

    newcomer = UserFactory(email="nieuw@kampstaal.example")
    client.force_login(newcomer)
    client.post(url)
    assert Membership.objects.filter(user=newcomer, company=kampstaal, role="employee").exists()
    assert client.get(url).status_code == 400  # used


def test_an_invitation_to_someone_with_an_account_is_in_their_language(kampstaal, hr):
    UserFactory(email="piotr.nowak@elders.example", preferred_language="en")

    invitation = services.invite_member(
        company=kampstaal,
        email="Piotr.Nowak@elders.example",
        invited_by=hr,
        site_url="http://testserver",
    )

    row = Notification.objects.get(template="company_invitation")
    assert row.language == "en"
    with translation.override("en"):
        english_link = reverse("accounts:accept_invitation", args=[invitation.token])
    assert row.context["accept_url"] == f"http://testserver{english_link}"
    mail.outbox.clear()
    outbox.deliver(row.pk)
    assert "invites you" in mail.outbox[0].body


def test_invitation_is_for_its_own_address_and_expires(kampstaal, hr, client):
    invitation = services.invite_member(
        company=kampstaal,
        email="nieuw@kampstaal.example",
        invited_by=hr,
        site_url="http://testserver",
    )
    client.force_login(UserFactory(email="iemand.anders@example.org"))
    response = client.post(
        reverse("accounts:accept_invitation", args=[invitation.token]), follow=True
    )
    assert "nieuw@kampstaal.example" in response.content.decode()
    assert not Membership.objects.filter(company=kampstaal, user__email__startswith="iemand")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.get(reverse("accounts:accept_invitation", args=[invitation.token]))
    assert response.status_code == 400
    assert "verlopen" in response.content.decode()


@pytest.mark.parametrize(("choice", "expected"), [("cancel", "cancelled"), ("keep", "confirmed")])
def test_removing_a_member_cancels_or_keeps_their_enrolments(
    make_offering, kampstaal, hr, staff, client, choice, expected
):
    enrolment = enrolment_services.enrol_learner(
        learner=staff[0], offering_id=make_offering().pk, enrolled_by=hr
    )
    membership = Membership.objects.get(user=staff[0], company=kampstaal)
    client.force_login(hr)
    url = reverse("portal:remove_member", args=[kampstaal.slug, membership.pk])
    assert "Wat gebeurt er" in client.get(url).content.decode()
    client.post(url, {"enrolments": choice})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    enrolment.refresh_from_db()
    assert enrolment.status == expected


def test_team_enrol_page_enrols_ticked_employees_and_summarises(
    make_offering, kampstaal, hr, staff, client
):
    offering = make_offering(capacity=3)
    client.force_login(hr)
    url = reverse("portal:team_enrol", args=[kampstaal.slug, offering.pk])
    page = client.get(url).content.decode()
    assert all(str(person) in page for person in staff)
    response = client.post(url, {"learners": [p.pk for p in staff], "step": "confirm"})
    content = response.content.decode()
    assert "Ingeschreven (3)" in content
    assert "Op de wachtlijst (2)" in content


def test_team_enrol_all_or_nothing_shows_why_next_to_the_form(
    make_offering, kampstaal, hr, staff, client
):
    offering = make_offering(capacity=3)
    client.force_login(hr)
    response = client.post(
        reverse("portal:team_enrol", args=[kampstaal.slug, offering.pk]),
        {"learners": [p.pk for p in staff], "all_or_nothing": "on", "step": "confirm"},
    )
    assert "Er is niemand ingeschreven" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_team_enrol_refuses_people_from_another_company(make_offering, kampstaal, hr, client):
    outsider = MembershipFactory().user
    offering = make_offering()
    client.force_login(hr)
    response = client.post(
        reverse("portal:team_enrol", args=[kampstaal.slug, offering.pk]),
        {"learners": [outsider.pk]},
    )
    assert "learners" in response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_requests_page_approves_in_bulk(make_offering, kampstaal, hr, staff, client):
    offering = make_offering(capacity=5)
    for person in staff[:3]:
        enrolment_services.enrol_learner(learner=person, offering_id=offering.pk)
    client.force_login(hr)
    ids = list(Enrolment.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("portal:requests", args=[kampstaal.slug]), {"requests": ids}, follow=True
    )
    assert "3 aanvragen goedgekeurd" in response.content.decode()
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"confirmed"}


def test_dashboard_shows_people_costs_and_requests_in_constant_queries(
    make_offering, kampstaal, hr, staff, client
):
    client.force_login(hr)
    url = reverse("portal:dashboard", args=[kampstaal.slug])

    enrolment_services.enrol_team(
        hr_user=hr, company=kampstaal, offering_id=make_offering().pk, learners=staff[:1]
    )
    few = page_queries(client, url)
    for _ in range(3):
        enrolment_services.enrol_team(
            hr_user=hr, company=kampstaal, offering_id=make_offering().pk, learners=staff
        )
    assert page_queries(client, url) == few
    page = client.get(url)
    dashboard = page.context["dashboard"]
    assert dashboard.costs_this_year >= 0
    assert len(dashboard.people) == 6


# --- Who may see what ---------------------------------------------------------------------


@pytest.fixture
def world(make_offering):
    """Two companies, each with HR, an employee, a member, a request and an offering to enrol in."""
    companies = {}
    for name in ("a", "b"):
        company = CompanyFactory(slug=f"bedrijf-{name}", requires_approval=True)
        hr_user = MembershipFactory(company=company, role=Membership.Role.HR).user
        employee = MembershipFactory(company=company)
        offering = make_offering()
        request = enrolment_services.enrol_learner(learner=employee.user, offering_id=offering.pk)
        reservation = enrolment_services.reserve_seats(
            hr_user=hr_user, company=company, offering_id=offering.pk, seats=1
        )
        invitation = services.invite_member(
            company=company, email=f"nieuw@{name}.nl", invited_by=hr_user, site_url=""
        )
        companies[name] = {
            "invitation": invitation,
            "company": company,
            "hr": hr_user,
            "employee": employee,
            "offering": offering,
            "request": request,
            "reservation": reservation,
            "need": TrainingNeed.objects.create(
                company=company, title="Lassers certificeren", headcount=2
            ),
            # A qualification HR entered for the employee (only those may be changed).
            "held": HeldQualification.objects.create(
                person=employee.user,
                qualification=QualificationFactory(),
                obtained_on=date(2025, 1, 1),
                issuer="SSVV",
            ),
        }
    companies["staff"] = UserFactory(is_staff=True, is_superuser=True)
    return companies


# How to build each URL of a company's pages for company ``c`` (the objects may belong to
# another company): the portal's, and the demand pages HR reaches from it.
URL_ARGS = {
    "portal:choose": lambda slug, c: [],
    "portal:dashboard": lambda slug, c: [slug],
    "portal:roster": lambda slug, c: [slug],
    "portal:remove_member": lambda slug, c: [slug, c["employee"].pk],
    "portal:team_enrol": lambda slug, c: [slug, c["offering"].pk],
    "portal:reserve": lambda slug, c: [slug, c["offering"].pk],
    "portal:reservations": lambda slug, c: [slug],
    "portal:reservation": lambda slug, c: [slug, c["reservation"].pk],
    "portal:release_reservation": lambda slug, c: [slug, c["reservation"].pk],
    "portal:requests": lambda slug, c: [slug],
    "portal:reject_request": lambda slug, c: [slug, c["request"].pk],
    "portal:approve_request": lambda slug, c: [slug, c["request"].pk],
    "portal:export_csv": lambda slug, c: [slug],
    "portal:export_xlsx": lambda slug, c: [slug],
    "portal:import_members": lambda slug, c: [slug],
    "portal:invitations": lambda slug, c: [slug],
    "portal:resend_invitation": lambda slug, c: [slug, c["invitation"].pk],
    "portal:withdraw_invitation": lambda slug, c: [slug, c["invitation"].pk],
    "portal:transfer_checks": lambda slug, c: [slug],
    "portal:funding": lambda slug, c: [slug],
    "portal:funding_claim": lambda slug, c: [slug, claimed_enrolment(c).pk],
    "portal:qualifications": lambda slug, c: [slug],
    "portal:qualifications_export": lambda slug, c: [slug],
    "portal:add_qualification": lambda slug, c: [slug],
    "portal:change_qualification": lambda slug, c: [slug, c["held"].pk],
    "portal:remove_qualification": lambda slug, c: [slug, c["held"].pk],
    "portal:claim_pack": lambda slug, c: [slug],
    "demand:needs": lambda slug, c: [slug],
    "demand:new_need": lambda slug, c: [slug],
    "demand:company_interest": lambda slug, c: [slug],
    "portal:approval_rule": lambda slug, c: [slug],
    "demand:edit_need": lambda slug, c: [slug, c["need"].pk],
    "demand:withdraw_need": lambda slug, c: [slug, c["need"].pk],
}


def claimed_enrolment(c) -> Enrolment:
    """A seat of company ``c`` whose funding claim HR applied for (a row on its funding page)."""
    enrolment = Enrolment.objects.create(
        offering=c["offering"], learner=UserFactory(), company=c["company"], status="confirmed"
    )
    FundingClaim.objects.create(
        enrolment=enrolment,
        scheme=FundingSchemeFactory(),
        company=c["company"],
        learner=enrolment.learner,
        course=c["offering"].course,
        status="applied",
        applied_on=timezone.localdate(),
        reference="AO-1",
    )
    return enrolment


def company_url_names() -> list[str]:
    """Every portal URL, and every demand URL under a company's address (``bedrijf/<slug>/``)."""
    names = [f"portal:{pattern.name}" for pattern in portal_urls.urlpatterns]
    return names + [
        f"demand:{pattern.name}"
        for pattern in demand_urls.urlpatterns
        if str(pattern.pattern).startswith("bedrijf/")
    ]


def test_every_company_url_is_in_the_permission_matrix():
    assert sorted(company_url_names()) == sorted(URL_ARGS)


@pytest.mark.parametrize("name", [n for n in URL_ARGS if n != "portal:choose"])
def test_permission_matrix(world, client, name):
    a = world["a"]
    url = reverse(name, args=URL_ARGS[name](a["company"].slug, a))
    expectations = [
        (None, 302),
        (a["employee"].user, 404),
        (world["b"]["hr"], 404),
        (a["hr"], 200),
        (world["staff"], 200),
    ]
    for user, expected in expectations:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, (name, user, response.status_code)
        if expected == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


# The proposal pages are not under a company's address: every company's HR may use them, and
# sees a proposal of another company as totals (tests/companies/proposals/).
PROPOSAL_URLS = {
    "proposals:list": lambda c: [],
    "proposals:new": lambda c: [],
    "proposals:detail": lambda c: [c["proposal"].pk],
}


@pytest.mark.parametrize("name", PROPOSAL_URLS)
def test_proposal_pages_permission_matrix(world, client, name):
    a = world["a"]
    a["proposal"] = Proposal.objects.create(
        origin="company", company=a["company"], title="Lassen", expected_headcount=4
    )
    url = reverse(name, args=PROPOSAL_URLS[name](a))
    expectations = [
        (None, 302),
        (a["employee"].user, 403),
        (world["b"]["hr"], 200),
        (a["hr"], 200),
        (world["staff"], 200),
    ]
    for user, expected in expectations:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, (name, user, response.status_code)
        if expected == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name",
    [
        "remove_member",
        "reject_request",
        "approve_request",
        "team_enrol",
        "reservation",
        "release_reservation",
        "demand:edit_need",
        "demand:withdraw_need",
        "resend_invitation",
        "withdraw_invitation",
    ],
)
def test_hr_of_b_guessing_ids_of_a_under_its_own_company_gets_404(world, client, name):
    a, b = world["a"], world["b"]
    client.force_login(b["hr"])
    name = name if ":" in name else f"portal:{name}"
    url = reverse(name, args=URL_ARGS[name](b["company"].slug, a))
    if name == "portal:team_enrol":
        # An offering is public; B's HR may enrol B's people in it, but never A's.
        response = client.post(url, {"learners": [a["employee"].user.pk]})
        assert "learners" in response.context["form"].errors
        return
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"enrolments": "cancel", "reason": "x", "learners": [b["employee"].user.pk]}
        ).status_code
        == 404
    )
    assert Membership.objects.filter(pk=a["employee"].pk).exists()
    a["reservation"].refresh_from_db()
    assert a["reservation"].seats == 1
    a["need"].refresh_from_db()
    assert a["need"].status == "new"
    a["request"].refresh_from_db()
    assert a["request"].status == "requested"
    a["invitation"].refresh_from_db()
    assert a["invitation"].withdrawn_at is None
    assert a["invitation"].sent_count == 1


def test_choose_company_sends_single_company_hr_straight_there(world, client):
    client.force_login(world["a"]["hr"])
    response = client.get(reverse("portal:choose"))
    assert response["Location"] == reverse("portal:dashboard", args=[world["a"]["company"].slug])
    client.force_login(world["a"]["employee"].user)
    assert client.get(reverse("portal:choose")).status_code == 404


def test_hr_cannot_remove_themselves(kampstaal, hr, client):
    own = Membership.objects.get(user=hr, company=kampstaal)
    client.force_login(hr)
    response = client.post(
        reverse("portal:remove_member", args=[kampstaal.slug, own.pk]),
        {"enrolments": "keep"},
        follow=True,
    )
    assert "jezelf" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_roster_files_dutch_surnames_under_their_main_part(kampstaal, hr):
    for last_name in ("van der Veen", "Bakker", "de Jong", "Zwart", "ten Hove"):
        MembershipFactory(company=kampstaal, user=UserFactory(last_name=last_name))
    names = [m.user.last_name for m in list_roster(company=kampstaal) if m.user != hr]
    assert names == ["Bakker", "ten Hove", "de Jong", "van der Veen", "Zwart"]
