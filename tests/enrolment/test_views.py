"""The learner's pages: enrol, Mijn cursussen, cancel. Happy paths and the main refusals."""

import pytest
from django.urls import reverse

from enrolment import services
from enrolment.models import Enrolment
from tests.factories import UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(client):
    user = UserFactory(email="anna@kampstaal.example")
    client.force_login(user)
    return user


def test_guest_who_clicks_enrol_is_sent_to_log_in_and_back(client, make_offering):
    offering = make_offering()
    url = reverse("enrolment:enrol", args=[offering.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_enrol_page_confirms_on_post_and_shows_it_in_my_courses(client, anna, make_offering):
    offering = make_offering(capacity=3)
    url = reverse("enrolment:enrol", args=[offering.pk])
    assert offering.course.title in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("enrolment:my_courses")
    content = response.content.decode()
    assert "Je bent ingeschreven" in content
    assert offering.course.title in content
    assert Enrolment.objects.get(learner=anna).status == "confirmed"


def test_full_offering_puts_the_learner_on_the_waiting_list_with_position(
    client, anna, make_offering
):
    offering = make_offering(capacity=1)
    services.enrol_learner(learner=UserFactory(), offering_id=offering.pk)
    response = client.post(reverse("enrolment:enrol", args=[offering.pk]), follow=True)
    assert "wachtlijst op plaats 1" in response.content.decode()


def test_refused_enrolment_shows_why_and_changes_nothing(client, anna, make_offering):
    offering = make_offering(days=-2)
    offering.status = "open"
    offering.save()
    response = client.post(reverse("enrolment:enrol", args=[offering.pk]), follow=True)
    assert "al begonnen of voorbij" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrol_page_for_a_concept_offering_is_404(client, anna, make_offering):
    offering = make_offering(status="concept")
    assert client.get(reverse("enrolment:enrol", args=[offering.pk])).status_code == 404


def test_enrol_refuses_other_methods(client, anna, make_offering):
    assert client.put(reverse("enrolment:enrol", args=[make_offering().pk])).status_code == 405


def test_cancel_asks_first_then_cancels(client, anna, make_offering):
    enrolment = services.enrol_learner(learner=anna, offering_id=make_offering().pk)
    url = reverse("enrolment:cancel", args=[enrolment.pk])
    assert "Weet je zeker" in client.get(url).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"
    response = client.post(url, follow=True)
    assert "Je inschrijving is geannuleerd." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled"


def test_cancel_after_the_deadline_says_whom_to_contact(client, anna, make_offering):
    enrolment = services.enrol_learner(learner=anna, offering_id=make_offering(days=3).pk)
    content = client.get(reverse("enrolment:cancel", args=[enrolment.pk])).content.decode()
    assert "info@technohub-nop.nl" in content
    assert "Ja, annuleren" not in content


def test_nobody_cancels_someone_elses_enrolment(client, anna, make_offering):
    other = services.enrol_learner(learner=UserFactory(), offering_id=make_offering().pk)
    url = reverse("enrolment:cancel", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.status == "confirmed"


def test_my_courses_sorts_enrolments_into_sections(client, anna, make_offering):
    upcoming = make_offering(capacity=5)
    full = make_offering(capacity=1)
    services.enrol_learner(learner=UserFactory(), offering_id=full.pk)
    services.enrol_learner(learner=anna, offering_id=upcoming.pk)
    services.enrol_learner(learner=anna, offering_id=full.pk)
    response = client.get(reverse("enrolment:my_courses"))
    sections = {key: items for key, _heading, items, _empty in response.context["sections"]}
    assert [e.offering for e in sections["upcoming"]] == [upcoming]
    assert [e.waitlist_position for e in sections["waitlisted"]] == [1]
    assert "plaats 1" in response.content.decode()
    assert reverse("catalogue:offering_ics", args=[upcoming.pk]) in response.content.decode()


def test_my_courses_queries_do_not_grow_with_enrolments(client, anna, make_offering):
    url = reverse("enrolment:my_courses")
    services.enrol_learner(learner=anna, offering_id=make_offering().pk)
    few = page_queries(client, url)
    for _ in range(8):
        services.enrol_learner(learner=anna, offering_id=make_offering().pk)
    assert page_queries(client, url) == few


def test_my_courses_needs_log_in(client):
    assert client.get(reverse("enrolment:my_courses")).status_code == 302
