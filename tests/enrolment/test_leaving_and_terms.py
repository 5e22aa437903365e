"""Leaving and terms: who may withdraw when, what the enrol page promises before the learner
confirms, and that no mail names a deadline that has passed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from enrolment import emails, services
from enrolment.models import Enrolment, Notification
from enrolment.services import EnrolmentRefused
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def enrol(learner, offering) -> Enrolment:
    return services.enrol_learner(learner=learner, offering_id=offering.pk)


@pytest.fixture
def anna(client):
    user = UserFactory(email="anna@kampstaal.example")
    client.force_login(user)
    return user


def test_a_waitlisted_learner_withdraws_after_the_deadline(make_offering, learners):
    offering = make_offering(capacity=1, days=3)  # the deadline was four days ago
    seated, waiting = learners(2)
    enrol(seated, offering)
    place = enrol(waiting, offering)
    assert place.status == Enrolment.Status.WAITLISTED
    left = services.cancel_enrolment(enrolment_id=place.pk, actor=waiting)
    assert left.status == Enrolment.Status.CANCELLED
    offering.refresh_from_db()
    assert offering.confirmed_count == 1


def test_a_requested_learner_withdraws_after_the_deadline(make_offering):
    company = CompanyFactory(requires_approval=True)
    employee = MembershipFactory(company=company).user
    request = enrol(employee, make_offering(days=3))
    assert request.status == Enrolment.Status.REQUESTED
    assert services.cancel_enrolment(enrolment_id=request.pk, actor=employee).status == (
        Enrolment.Status.CANCELLED
    )


def test_a_confirmed_seat_still_cannot_be_cancelled_online_after_the_deadline(
    make_offering, learners
):
    (anna,) = learners(1)
    seat = enrol(anna, make_offering(days=3))
    with pytest.raises(EnrolmentRefused):
        services.cancel_enrolment(enrolment_id=seat.pk, actor=anna)


def test_my_courses_offers_leaving_the_waiting_list_after_the_deadline(client, anna, make_offering):
    offering = make_offering(capacity=1, days=3)
    enrol(UserFactory(), offering)
    place = enrol(anna, offering)
    content = client.get(reverse("enrolment:my_courses")).content.decode()
    assert reverse("enrolment:cancel", args=[place.pk]) in content
    assert "Afmelden voor de wachtlijst" in content
    page = client.get(reverse("enrolment:cancel", args=[place.pk])).content.decode()
    assert "Ja, afmelden" in page
    response = client.post(reverse("enrolment:cancel", args=[place.pk]), follow=True)
    assert "Je staat niet meer op de wachtlijst." in response.content.decode()
    place.refresh_from_db()
    assert place.status == Enrolment.Status.CANCELLED


def test_enrol_page_states_the_deadline_and_what_follows_before_confirming(
    client, anna, make_offering
):
    deadline = timezone.now() + timedelta(days=10)
    offering = make_offering(days=20, cancellation_deadline=deadline)
    content = client.get(reverse("enrolment:enrol", args=[offering.pk])).content.decode()
    local = timezone.localtime(deadline)
    assert "Kosteloos annuleren kan tot" in content
    assert formats.date_format(local, "j F Y") in content
    assert local.strftime("%H:%M") in content
    assert "info@technohub-nop.nl" in content
    assert "1.195,00" in content
    # The terms come before the button that confirms.
    assert content.index("Kosteloos annuleren") < content.index("Bevestig inschrijving")


def test_enrol_page_in_english_states_the_terms_in_english(client, anna, make_offering):
    offering = make_offering(days=20)
    with translation.override("en"):
        url = reverse("enrolment:enrol", args=[offering.pk])
    content = client.get(url).content.decode()
    assert "Kosteloos" not in content
    assert "free of charge" in content


def test_enrol_page_says_when_the_deadline_has_passed_already(client, anna, make_offering):
    offering = make_offering(days=3)
    content = client.get(reverse("enrolment:enrol", args=[offering.pk])).content.decode()
    assert "Kosteloos annuleren kan tot" not in content
    assert "De termijn om kosteloos te annuleren is voorbij" in content


def test_enrol_page_for_a_full_offering_says_the_waiting_list_can_always_be_left(
    client, anna, make_offering
):
    offering = make_offering(capacity=1)
    enrol(UserFactory(), offering)
    content = client.get(reverse("enrolment:enrol", args=[offering.pk])).content.decode()
    assert "afmelden kan altijd" in content


def _confirmation(learner, offering) -> Notification:
    enrol(learner, offering)
    return Notification.objects.get(to_email=learner.email, template="enrolment_confirmed")


def test_confirmation_sent_before_the_deadline_names_it(make_offering, learners):
    (anna,) = learners(1)
    deadline = timezone.now() + timedelta(days=5)
    mail = emails.render(
        _confirmation(anna, make_offering(days=20, cancellation_deadline=deadline))
    )
    assert f"uiterlijk {timezone.localtime(deadline).day} " in mail.text
    assert "termijn om kosteloos te annuleren is voorbij" not in mail.text


def test_a_mail_sent_after_the_deadline_names_no_date_in_the_past(make_offering, learners):
    (anna,) = learners(1)
    deadline = timezone.now() - timedelta(hours=1)
    offering = make_offering(days=5, cancellation_deadline=deadline)
    mail = emails.render(_confirmation(anna, offering))
    for body in (mail.text, mail.html):
        assert "uiterlijk" not in body
        assert "termijn om kosteloos te annuleren is voorbij" in body
        assert "info@technohub-nop.nl" in body


def test_the_default_deadline_is_named_as_a_date_not_as_a_rule(make_offering, learners):
    (anna,) = learners(1)
    offering = make_offering(days=20)
    mail = emails.render(_confirmation(anna, offering))
    deadline = timezone.localtime(offering.meetings.get().starts_at - timedelta(days=7))
    assert f"uiterlijk {deadline.day} " in mail.text
    assert deadline.strftime("%H:%M") in mail.text
