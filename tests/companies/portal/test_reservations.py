"""HR's reservation pages: reserve from a course, name people, release what is left."""

import pytest
from django.urls import reverse
from django.utils import translation

from companies.models import Membership
from enrolment import services
from enrolment.models import Enrolment, SeatReservation
from technohub.templatetags.technohub import money
from tests.factories import CompanyFactory, MembershipFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def kampstaal():
    return CompanyFactory(name="Kampstaal", slug="kampstaal")


@pytest.fixture
def hr(kampstaal, client):
    user = MembershipFactory(company=kampstaal, role=Membership.Role.HR).user
    client.force_login(user)
    return user


@pytest.fixture
def staff(kampstaal):
    return [MembershipFactory(company=kampstaal).user for _ in range(3)]


def test_hr_reserves_from_the_course_page_and_lands_on_the_reservation(
    make_offering, kampstaal, hr, client
):
    offering = make_offering(capacity=6)
    course_page = client.get(reverse("catalogue:course_detail", args=[offering.course.slug]))
    reserve_url = reverse("portal:reserve", args=[kampstaal.slug, offering.pk])
    assert reserve_url in course_page.content.decode()

    review = client.post(reserve_url, {"seats": 4, "po_number": "PO-2027-118"})
    assert not SeatReservation.objects.exists()  # seeing the total holds nothing yet
    price = offering.course.price_excl_vat
    assert f"4 deelnemers \N{MULTIPLICATION SIGN} {money(price)}" in review.content.decode()
    assert money(price * 4) in review.content.decode()

    response = client.post(reserve_url, {"seats": 4, "po_number": "PO-2027-118", "step": "confirm"})

    reservation = SeatReservation.objects.get()
    assert reservation.po_number == "PO-2027-118"
    assert response["Location"] == reverse(
        "portal:reservation", args=[kampstaal.slug, reservation.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "4 plaatsen gereserveerd." in page
    assert "Nog 4 plaatsen zonder naam" in page


def test_too_many_seats_is_an_error_next_to_the_field(make_offering, kampstaal, hr, client):
    offering = make_offering(capacity=2)

    url = reverse("portal:reserve", args=[kampstaal.slug, offering.pk])
    # Said before the total is shown, and again if the seats went while HR confirmed.
    assert client.post(url, {"seats": 3}).context["form"].errors == {
        "seats": ["Er zijn nog 2 plaatsen vrij; er is niets gereserveerd."]
    }
    response = client.post(url, {"seats": 3, "step": "confirm"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "seats": ["Er zijn nog 2 plaatsen vrij; er is niets gereserveerd."]
    }
    assert not SeatReservation.objects.exists()


def test_hr_names_people_and_releases_the_rest_after_confirming(
    make_offering, kampstaal, hr, staff, client
):
    offering = make_offering(capacity=6)
    reservation = services.reserve_seats(
        hr_user=hr, company=kampstaal, offering_id=offering.pk, seats=3, cost_centre="KP-40"
    )
    url = reverse("portal:reservation", args=[kampstaal.slug, reservation.pk])

    response = client.post(url, {"learners": [staff[0].pk, staff[1].pk]}, follow=True)
    assert set(
        Enrolment.objects.filter(reservation=reservation).values_list("cost_centre", flat=True)
    ) == {"KP-40"}

    assert "2 medewerkers ingeschreven op gereserveerde plaatsen." in response.content.decode()
    assert set(
        Enrolment.objects.filter(reservation=reservation).values_list("learner", flat=True)
    ) == {
        staff[0].pk,
        staff[1].pk,
    }
    release_url = reverse("portal:release_reservation", args=[kampstaal.slug, reservation.pk])
    confirm = client.get(release_url).content.decode()
    assert "Je geeft 1 plaats zonder naam" in confirm
    reservation.refresh_from_db()
    assert reservation.seats == 1  # asking is not releasing

    done = client.post(release_url, follow=True).content.decode()

    assert "1 plaats vrijgegeven." in done
    reservation.refresh_from_db()
    assert reservation.seats == 0
    assert "De plaatsen zonder naam zijn vrijgegeven." in done


def test_naming_more_people_than_seats_says_so_and_names_nobody(
    make_offering, kampstaal, hr, staff, client
):
    offering = make_offering(capacity=6)
    reservation = services.reserve_seats(
        hr_user=hr, company=kampstaal, offering_id=offering.pk, seats=1
    )
    url = reverse("portal:reservation", args=[kampstaal.slug, reservation.pk])

    response = client.post(url, {"learners": [person.pk for person in staff[:2]]})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Er is 1 plaats zonder naam voor 2 mensen. Er is niemand ingeschreven."
    ]
    assert not Enrolment.objects.filter(offering=offering).exists()


def test_the_reservations_list_reads_in_constant_queries(
    make_offering, kampstaal, hr, staff, client
):
    url = reverse("portal:reservations", args=[kampstaal.slug])
    first = services.reserve_seats(
        hr_user=hr, company=kampstaal, offering_id=make_offering(capacity=4).pk, seats=2
    )
    services.name_reserved_seats(hr_user=hr, reservation_id=first.pk, learners=staff[:1])
    few = page_queries(client, url)
    for _ in range(4):
        reservation = services.reserve_seats(
            hr_user=hr, company=kampstaal, offering_id=make_offering(capacity=4).pk, seats=3
        )
        services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff)

    assert page_queries(client, url) == few
    page = client.get(url).content.decode()
    assert page.count(reverse("portal:reservations", args=[kampstaal.slug])) >= 1
    assert page.count("/reserveringen/") >= 5


def test_the_reservation_pages_read_in_english(make_offering, kampstaal, hr, client):
    offering = make_offering(capacity=4)
    reservation = services.reserve_seats(
        hr_user=hr, company=kampstaal, offering_id=offering.pk, seats=2
    )
    with translation.override("en"):
        urls = [
            reverse("portal:reserve", args=[kampstaal.slug, offering.pk]),
            reverse("portal:reservations", args=[kampstaal.slug]),
            reverse("portal:reservation", args=[kampstaal.slug, reservation.pk]),
            reverse("portal:release_reservation", args=[kampstaal.slug, reservation.pk]),
        ]
    pages = [client.get(url).content.decode() for url in urls]

    assert urls[1] == "/en/company/kampstaal/reservations/"
    assert "Reserve seats" in pages[0]
    assert "Reserved seats" in pages[1]
    assert "Your company reserved 2 seats." in pages[2]
    assert "Release seats without a name" in pages[3]
    for page in pages:
        assert "plaatsen" not in page


def test_a_reservation_page_reads_in_constant_queries(make_offering, kampstaal, hr, staff, client):
    offering = make_offering(capacity=8)
    reservation = services.reserve_seats(
        hr_user=hr, company=kampstaal, offering_id=offering.pk, seats=5
    )
    url = reverse("portal:reservation", args=[kampstaal.slug, reservation.pk])
    services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[:1])
    few = page_queries(client, url)

    services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[1:])
    for _ in range(4):
        MembershipFactory(company=kampstaal)

    assert page_queries(client, url) == few


def test_the_team_page_sends_hr_to_their_unnamed_reserved_seats_first(
    make_offering, kampstaal, hr, staff, client
):
    offering = make_offering(capacity=6)
    team_url = reverse("portal:team_enrol", args=[kampstaal.slug, offering.pk])
    assert "gereserveerde plaats" not in client.get(team_url).content.decode()
    reservation = services.reserve_seats(
        hr_user=hr, company=kampstaal, offering_id=offering.pk, seats=2
    )

    page = client.get(team_url).content.decode()

    assert "2 gereserveerde plaatsen zonder naam" in page
    assert reverse("portal:reservation", args=[kampstaal.slug, reservation.pk]) in page
    services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[:2])
    assert "gereserveerde plaats" not in client.get(team_url).content.decode()
