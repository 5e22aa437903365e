"""Where decisions are made, a company's people see what their fund probably pays: the course
page (per user, never from the page cache), team enrolment, reservations and HR's overview."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from catalogue import selectors as catalogue_selectors
from companies.funding import eligibility, rules
from companies.models import Company, FundingClaim, FundingScheme, Membership
from companies.portal.selectors import company_enrolments
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from technohub import page_cache
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    FundingSchemeFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    ThemeFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

AOM_SENTENCE = (
    "Komt waarschijnlijk in aanmerking voor Ontwikkelen digitale vaardigheden (A+O Metalektro) "
    "(ca. €\xa0895,50 per deelnemer)"
)
OOM_SENTENCE = (
    "Komt waarschijnlijk in aanmerking voor Opleidingssubsidie OOM (OOM) "
    "(ca. €\xa0497,50 per deelnemer)"
)


def day(value, language: str = "nl") -> str:
    with translation.override(language):
        return dateformat.format(value, "j F Y")


@pytest.fixture
def course():
    return CourseFactory(
        funding_eligible=True, price_excl_vat=Decimal("995.00"), vat_rate=Decimal("21")
    )


def run_of(course, *, days: int = 30, **fields):
    offering = OfferingFactory(course=course, capacity=8, min_participants=1, **fields)
    starts = timezone.now() + timedelta(days=days)
    MeetingFactory(offering=offering, starts_at=starts, ends_at=starts + timedelta(hours=7))
    return offering


@pytest.fixture
def offering(course):
    return run_of(course)


def start_of(offering):
    return timezone.localdate(offering.meetings.get().starts_at)


@pytest.fixture
def aom():
    return CompanyFactory(name="Kampstaal", slug="kampstaal", sector_fund=Company.Fund.AOM)


@pytest.fixture
def oom():
    return CompanyFactory(name="Suplacon", slug="suplacon", sector_fund=Company.Fund.OOM)


def member(company, role=Membership.Role.EMPLOYEE):
    return MembershipFactory(company=company, role=role).user


def course_page(client, offering, language: str = "nl"):
    with translation.override(language):
        url = reverse("catalogue:course_detail", args=[offering.course.slug])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The course page --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Membership.Role.EMPLOYEE, Membership.Role.HR])
def test_an_aom_member_sees_the_estimate_and_the_last_day_after_the_start(
    client, aom, offering, role
):
    client.force_login(member(aom, role))

    page = course_page(client, offering)

    assert AOM_SENTENCE in page
    # Six months after the start, the same day (or the month's last).
    assert f"Aanvragen uiterlijk {day(rules.add_months(start_of(offering), 6))}" in page
    assert "Modules los aanvragen kan niet; geen dubbele financiering." in page


def test_an_oom_member_is_told_to_apply_before_the_start(client, oom, offering):
    client.force_login(member(oom))

    page = course_page(client, offering)

    assert OOM_SENTENCE in page
    assert f"Aanvragen vóór {day(start_of(offering))}" in page
    assert "Ontwikkelen digitale vaardigheden" not in page


def test_the_estimate_reads_in_english(client, aom, offering):
    client.force_login(member(aom))

    page = course_page(client, offering, "en")

    assert (
        "Probably eligible for Developing digital skills (A+O Metalektro) "
        "(approx. €895.50 per participant)"
    ) in page
    assert f"Apply by {day(rules.add_months(start_of(offering), 6), 'en')}" in page
    assert "Modules cannot be claimed separately; no double funding." in page
    assert "waarschijnlijk" not in page


def test_nobody_else_sees_an_estimate(client, offering, learner):
    assert "waarschijnlijk in aanmerking" not in course_page(client, offering)

    client.force_login(learner)  # no company
    assert "waarschijnlijk in aanmerking" not in course_page(client, offering)

    client.force_login(member(CompanyFactory(sector_fund=Company.Fund.NONE)))
    assert "waarschijnlijk in aanmerking" not in course_page(client, offering)


def test_a_course_not_marked_subsidiabel_has_no_estimate(client, aom):
    offering = run_of(CourseFactory(funding_eligible=False))
    client.force_login(member(aom))

    assert "waarschijnlijk in aanmerking" not in course_page(client, offering)


def test_members_of_different_funds_each_get_their_own_page_never_the_cached_one(
    client, settings, aom, oom, offering
):
    settings.PAGE_CACHE = True
    page_cache._new_generation()
    visitor = course_page(client, offering)  # stored for visitors
    assert "waarschijnlijk in aanmerking" not in visitor

    client.force_login(member(aom))
    aom_page = course_page(client, offering)
    client.logout()
    client.force_login(member(oom))
    oom_page = course_page(client, offering)
    client.logout()
    client.cookies.clear()
    url = reverse("catalogue:course_detail", args=[offering.course.slug])
    again = client.get(url)

    assert AOM_SENTENCE in aom_page and OOM_SENTENCE not in aom_page
    assert OOM_SENTENCE in oom_page and AOM_SENTENCE not in oom_page
    assert again[page_cache.SOURCE_HEADER] == "hit"
    assert "waarschijnlijk in aanmerking" not in again.content.decode()


def test_a_closed_run_shows_the_estimate_only_for_the_viewers_company_it_is_for(aom, course):
    closed = run_of(course)
    closed.private_for.add(aom)
    user = member(aom)
    MembershipFactory(user=user, company=CompanyFactory(sector_fund=Company.Fund.OOM))
    offerings = catalogue_selectors.list_course_offerings(course=course, viewer=user)

    found = eligibility.estimates_for_member(user=user, offerings=offerings)

    (entries,) = found.values()
    assert [entry.company for entry in entries] == [aom]  # named: the viewer works at two


def test_a_member_of_two_funded_companies_sees_both_named(client, aom, oom, offering):
    user = member(aom)
    MembershipFactory(user=user, company=oom)
    client.force_login(user)

    page = course_page(client, offering)

    assert AOM_SENTENCE in page and "voor medewerkers van Kampstaal" in page
    assert OOM_SENTENCE in page and "voor medewerkers van Suplacon" in page


def test_no_estimate_once_the_last_day_to_apply_has_passed(aom, oom, course):
    offering = run_of(course, days=1)
    tomorrow = start_of(offering)

    assert eligibility.estimate_for_offering(company=oom, offering=offering, today=tomorrow) is None
    assert eligibility.estimate_for_offering(
        company=oom, offering=offering, today=tomorrow - timedelta(days=1)
    )
    assert eligibility.estimate_for_offering(company=aom, offering=offering, today=tomorrow)


def test_only_schemes_of_the_companys_fund_and_its_themes_count(course):
    welding = ThemeFactory()
    company = CompanyFactory(sector_fund=Company.Fund.OTHER)
    scheme = FundingSchemeFactory(percentage=Decimal("40"))
    scheme.themes.add(welding)
    offering = run_of(course)

    assert eligibility.estimate_for_offering(company=company, offering=offering) is None
    course.themes.add(welding)
    offering = run_of(course)
    found = eligibility.estimate_for_offering(company=company, offering=offering)
    assert (found.scheme, found.amount) == (scheme, Decimal("398.00"))


def test_the_course_page_asks_no_more_queries_for_more_runs(client, aom, course, offering):
    client.force_login(member(aom))
    url = reverse("catalogue:course_detail", args=[course.slug])

    few = page_queries(client, url)
    for days in (40, 50, 60):
        run_of(course, days=days)

    assert page_queries(client, url) == few
    assert client.get(url).content.decode().count("waarschijnlijk in aanmerking") == 4


# --- Team enrolment and reservations -----------------------------------------------------------


def portal_url(name: str, company, offering, language: str = "nl") -> str:
    with translation.override(language):
        return reverse(name, args=[company.slug, offering.pk])


def test_team_enrolment_shows_the_estimate_per_participant_and_for_the_chosen(
    client, aom, offering
):
    client.force_login(member(aom, Membership.Role.HR))
    team = [member(aom) for _ in range(3)]
    url = portal_url("portal:team_enrol", aom, offering)

    assert AOM_SENTENCE in client.get(url).content.decode()
    review = client.post(url, {"learners": [person.pk for person in team]}).content.decode()

    assert AOM_SENTENCE in review
    assert "Voor 3 deelnemers samen ca. €\xa02.686,50." in review
    assert not Enrolment.objects.exists()


def test_reservation_shows_the_estimate_per_seat_and_for_the_seats_in_english(
    client, oom, offering
):
    client.force_login(member(oom, Membership.Role.HR))
    url = portal_url("portal:reserve", oom, offering, "en")

    page = client.get(url).content.decode()
    review = client.post(url, {"seats": 2}).content.decode()

    assert "Probably eligible for OOM training subsidy (OOM) (approx. €497.50 per participant)" in (
        page
    )
    assert "For 2 participants together approx. €995.00." in review
    assert f"Apply before {day(start_of(offering), 'en')}" in review


def test_no_estimate_on_the_portal_pages_for_a_company_without_a_fund(client, offering):
    company = CompanyFactory(sector_fund=Company.Fund.NONE)
    client.force_login(member(company, Membership.Role.HR))

    for name in ("portal:team_enrol", "portal:reserve"):
        page = client.get(portal_url(name, company, offering)).content.decode()
        assert "waarschijnlijk in aanmerking" not in page


def test_team_and_reservation_pages_ask_a_fixed_few_queries_for_the_estimate(
    client, aom, course, offering
):
    hr = member(aom, Membership.Role.HR)
    without = CompanyFactory(sector_fund=Company.Fund.NONE)
    MembershipFactory(user=hr, company=without, role=Membership.Role.HR)
    course.themes.add(*[ThemeFactory() for _ in range(3)])
    client.force_login(hr)

    for name in ("portal:team_enrol", "portal:reserve"):
        with_fund = page_queries(client, portal_url(name, aom, offering))
        # The schemes, their themes and the course's themes.
        assert with_fund == page_queries(client, portal_url(name, without, offering)) + 3


# --- HR's overview ---------------------------------------------------------------------------


def enrol(company, offering, *, status=Enrolment.Status.CONFIRMED):
    return EnrolmentFactory(
        offering=offering,
        learner=member(company),
        company=company,
        status=status,
        price_excl_vat=offering.price_excl_vat,
        vat_rate=offering.course.vat_rate,
    )


def test_the_overview_counts_what_probably_qualifies_and_the_nearest_deadline(client, aom, course):
    hr = member(aom, Membership.Role.HR)
    soon, later = run_of(course, days=-20), run_of(course, days=60)
    enrol(aom, soon)
    enrol(aom, later)
    enrol(aom, later)
    enrol(aom, later, status=Enrolment.Status.REQUESTED)  # not approved, not paid: left out
    claimed = enrol(aom, soon)
    FundingClaim.objects.create(
        enrolment=claimed,
        scheme=FundingScheme.objects.get(fund="aom"),
        company=aom,
        learner=claimed.learner,
        course=course,
        status=FundingClaim.Status.APPLIED,
        applied_on=timezone.localdate(),
    )
    enrol(aom, run_of(course, days=-200))  # six months after its start have passed
    client.force_login(hr)

    response = client.get(reverse("portal:dashboard", args=[aom.slug]))

    page, summary = response.content.decode(), response.context["funding"]
    assert (summary.count, summary.total) == (3, Decimal("2686.50"))
    nearest = eligibility.estimate_for_offering(
        company=aom, offering=soon, today=start_of(soon)
    ).deadline
    assert summary.nearest_deadline == nearest
    assert (
        "3 inschrijvingen komen waarschijnlijk in aanmerking voor een regeling van jullie "
        "opleidingsfonds, samen ca. €\xa02.686,50."
    ) in page
    assert f"De eerstvolgende laatste dag om aan te vragen is {day(nearest)}." in page


def test_the_overview_has_no_funding_panel_without_a_fund(client, offering):
    company = CompanyFactory(sector_fund=Company.Fund.NONE)
    enrol(company, offering)
    client.force_login(member(company, Membership.Role.HR))

    response = client.get(reverse("portal:dashboard", args=[company.slug]))

    assert response.context["funding"] is None
    assert 'id="funding-heading"' not in response.content.decode()


def test_the_overview_panel_reads_in_english(client, aom, offering):
    enrol(aom, offering)
    client.force_login(member(aom, Membership.Role.HR))
    with translation.override("en"):
        url = reverse("portal:dashboard", args=[aom.slug])

    page = client.get(url).content.decode()

    assert (
        "1 enrolment is probably eligible for a scheme of your training fund, together "
        "approx. €895.50."
    ) in page


def test_the_overview_asks_no_more_queries_for_more_enrolments(client, aom, course):
    client.force_login(member(aom, Membership.Role.HR))
    url = reverse("portal:dashboard", args=[aom.slug])
    enrol(aom, run_of(course))
    few = page_queries(client, url)
    for days in (10, 50, -30):
        enrol(aom, run_of(CourseFactory(funding_eligible=True), days=days))

    assert page_queries(client, url) == few
    assert client.get(url).context["funding"].count == 4


def test_a_team_enrolled_through_the_service_counts_at_its_own_price(aom, course):
    hr = member(aom, Membership.Role.HR)
    offering = run_of(course)
    enrolment_services.enrol_team(
        hr_user=hr, company=aom, offering_id=offering.pk, learners=[member(aom), member(aom)]
    )
    summary = eligibility.get_funding_summary(
        company=aom, enrolments=company_enrolments(company=aom)
    )

    assert (summary.count, summary.total) == (2, Decimal("1791.00"))
