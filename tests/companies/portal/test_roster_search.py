"""A roster for thousands: search, filters, paging, and choosing people without 5,000 boxes."""

import pytest
from django.urls import reverse

from companies.models import Membership
from companies.portal.selectors import ROSTER_PAGE_SIZE, RosterQuery, search_members
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal", slug="kampstaal")


@pytest.fixture
def hr(company):
    return MembershipFactory(
        company=company, role=Membership.Role.HR, user=UserFactory(first_name="Hennie")
    ).user


def member(company, first, last, email, **fields):
    return MembershipFactory(
        company=company,
        user=UserFactory(first_name=first, last_name=last, email=email),
        **fields,
    )


def test_two_people_of_the_same_name_are_told_apart_by_address_and_department(company, hr, client):
    member(company, "Anaïs", "Müller", "anais.muller@kampstaal.nl", department="Lasserij")
    member(company, "Anaïs", "Müller", "a.muller2@kampstaal.nl", department="Montage")
    client.force_login(hr)
    html = client.get(reverse("portal:roster", args=["kampstaal"]), {"q": "muller"}).content
    html = html.decode()
    assert "anais.muller@kampstaal.nl" in html and "a.muller2@kampstaal.nl" in html
    assert "Lasserij" in html and "Montage" in html
    assert "2 medewerkers gevonden" in html


def test_search_finds_by_name_without_accents_address_and_personnel_number(company):
    anais = member(company, "Anaïs", "Müller", "am@kampstaal.nl", personnel_number="P-1042")
    member(company, "Piet", "Smit", "ps@kampstaal.nl", personnel_number="P-2000")

    def found(text):
        return [m.pk for m in search_members(company=company, query=RosterQuery(text=text))]

    assert found("anais muller") == [anais.pk]
    assert found("MÜLLER") == [anais.pk]
    assert found("am@kampstaal") == [anais.pk]
    assert found("1042") == [anais.pk]
    assert found("smit anais") == []


def test_filters_on_department_function_and_a_course_taken_or_not(company, hr, make_offering):
    welder = member(
        company, "Anna", "Bakker", "ab@k.nl", department="Productie", job_title="Lasser"
    )
    fitter = member(
        company, "Bert", "Claes", "bc@k.nl", department="Productie", job_title="Monteur"
    )
    office = member(company, "Carla", "Dekker", "cd@k.nl", department="Kantoor")
    offering = make_offering()
    enrolment_services.enrol_team(
        hr_user=hr, company=company, offering_id=offering.pk, learners=[welder.user]
    )
    # Paid by someone else: none of this company's business, so it does not count as taken.
    other = make_offering()
    Enrolment.objects.create(
        offering=other, learner=fitter.user, status="confirmed", price_excl_vat=0
    )

    def found(**query):
        return [m.pk for m in search_members(company=company, query=RosterQuery(**query))]

    assert found(department="Productie") == [welder.pk, fitter.pk]
    assert found(job_title="Monteur") == [fitter.pk]
    assert found(taken=True, course=offering.course_id) == [welder.pk]
    assert welder.pk not in found(taken=False, course=offering.course_id)
    not_taken = found(taken=False)
    assert welder.pk not in not_taken and fitter.pk in not_taken and office.pk in not_taken


def test_roster_pages_through_thousands_with_the_total(company, hr, client):
    people = [
        member(company, "Medewerker", f"Nummer {n:03}", f"m{n}@kampstaal.nl")
        for n in range(ROSTER_PAGE_SIZE + 5)
    ]
    client.force_login(hr)
    url = reverse("portal:roster", args=["kampstaal"])
    first = client.get(url)
    assert len(first.context["page"].object_list) == ROSTER_PAGE_SIZE
    assert first.context["page"].paginator.count == len(people) + 1
    html = first.content.decode()
    assert f"{len(people) + 1} medewerkers gevonden" in html
    assert "Pagina 1 van 2" in html
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 6
    # A page past the end, or no number at all, shows a page rather than an error.
    assert client.get(url, {"page": 999}).status_code == 200
    assert client.get(url, {"page": "x"}).status_code == 200


@pytest.mark.parametrize("page", ["portal:roster", "portal:team_enrol", "portal:invitations"])
def test_people_pages_take_the_same_queries_for_10_and_200_members(
    company, hr, client, make_offering, page
):
    offering = make_offering()
    args = ["kampstaal", offering.pk] if page == "portal:team_enrol" else ["kampstaal"]
    url = reverse(page, args=args)
    client.force_login(hr)

    def grow_to(count):
        for n in range(Membership.objects.filter(company=company).count(), count):
            member(company, "Lid", f"Nummer {n}", f"lid{n}@kampstaal.nl", department=f"Afd {n % 7}")

    grow_to(10)
    few = page_queries(client, url)
    grow_to(200)
    many = page_queries(client, url)
    assert few == many
    assert many <= 14


def test_team_page_keeps_the_chosen_while_searching_and_paging(company, hr, client, make_offering):
    anna = member(company, "Anna", "Bakker", "ab@k.nl", department="Productie")
    bert = member(company, "Bert", "Claes", "bc@k.nl", department="Kantoor")
    offering = make_offering(capacity=5)
    client.force_login(hr)
    url = reverse("portal:team_enrol", args=["kampstaal", offering.pk])

    # Tick Anna on the first search, then search for someone else: Anna stays chosen.
    first = client.post(url, {"q": "anna", "learners": [anna.user_id], "search": ""})
    assert [m.user_id for m in first.context["chooser"].chosen] == [anna.user_id]
    second = client.post(url, {"q": "claes", "learners": [anna.user_id], "search": ""})
    chooser = second.context["chooser"]
    assert [m.user_id for m in chooser.chosen] == [anna.user_id]
    assert [m.user_id for m in chooser.page] == [bert.user_id]
    html = second.content.decode()
    assert f'value="{anna.user_id}" id="learners-chosen-{anna.user_id}" checked' in html

    # "Choose all found" adds everyone the filter finds.
    everyone = client.post(
        url, {"department": "Kantoor", "learners": [anna.user_id], "choose_all": ""}
    )
    assert {m.user_id for m in everyone.context["chooser"].chosen} == {
        anna.user_id,
        bert.user_id,
    }
    done = client.post(url, {"learners": [anna.user_id, bert.user_id], "step": "confirm"})
    assert "Ingeschreven (2)" in done.content.decode()


def test_a_stale_team_form_places_everyone_still_valid_and_reports_the_rest(
    company, hr, client, make_offering
):
    anna = member(company, "Anna", "Bakker", "ab@k.nl")
    bert = member(company, "Bert", "Claes", "bc@k.nl")
    gone = member(company, "Gijs", "Weg", "gw@k.nl")
    offering = make_offering(capacity=5)
    enrolment_services.enrol_team(
        hr_user=hr, company=company, offering_id=offering.pk, learners=[bert.user]
    )
    gone_id = gone.user_id
    gone.delete()  # left the company in another tab
    client.force_login(hr)
    url = reverse("portal:team_enrol", args=["kampstaal", offering.pk])
    done = client.post(url, {"learners": [anna.user_id, bert.user_id, gone_id], "step": "confirm"})
    html = done.content.decode()
    assert "Ingeschreven (1)" in html and "Bakker" in html
    assert "Waren al ingeschreven (1)" in html and "Claes" in html
    assert "1 gekozen persoon stond niet meer op de medewerkerslijst" in html
    assert Enrolment.objects.filter(offering=offering).count() == 2


def test_the_team_page_shows_one_page_of_boxes_however_big_the_roster(
    company, hr, client, make_offering
):
    for n in range(ROSTER_PAGE_SIZE * 3):
        member(company, "Lid", f"Nummer {n:03}", f"lid{n}@kampstaal.nl")
    offering = make_offering()
    client.force_login(hr)
    html = client.get(reverse("portal:team_enrol", args=["kampstaal", offering.pk])).content
    assert html.decode().count('name="learners"') == ROSTER_PAGE_SIZE
    assert f"{ROSTER_PAGE_SIZE * 3 + 1} medewerkers gevonden" in html.decode()
