""" "Mijn cursussen" shows what is still ahead first; past and cancelled enrolments are folded
away under one heading that counts them."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue.models import Offering
from enrolment import services
from enrolment.models import Enrolment
from tests.factories import CourseFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(client):
    user = UserFactory(email="anna@kampstaal.example")
    client.force_login(user)
    return user


def folded_part(content: str) -> str:
    match = re.search(r"<details>.*?</details>", content, re.S)
    assert match, "nothing folded away"
    return match.group()


def test_past_and_cancelled_enrolments_are_folded_away_below_the_current_ones(
    client, anna, make_offering
):
    ahead = make_offering(course=CourseFactory(title="CNC-draaien basis"))
    services.enrol_learner(learner=anna, offering_id=ahead.pk)
    dropped = make_offering(course=CourseFactory(title="Hydrauliek in de praktijk"))
    cancelled = services.enrol_learner(learner=anna, offering_id=dropped.pk)
    services.cancel_enrolment(enrolment_id=cancelled.pk, actor=anna)
    ended = make_offering(
        days=-20, course=CourseFactory(title="TIG-lassen RVS"), status=Offering.Status.COMPLETED
    )
    EnrolmentFactory(learner=anna, offering=ended, status=Enrolment.Status.COMPLETED)

    content = client.get(reverse("enrolment:my_courses")).content.decode()

    folded = folded_part(content)
    assert "<details open" not in content
    assert re.search(
        r"<summary><h2[^>]*>Eerdere en geannuleerde inschrijvingen "
        r'<span class="badge[^"]*">2</span></h2></summary>',
        folded,
    )
    assert "Hydrauliek in de praktijk" in folded
    assert "TIG-lassen RVS" in folded
    assert "CNC-draaien basis" not in folded
    assert content.index("CNC-draaien basis") < content.index("<details>")


def test_with_nothing_past_or_cancelled_nothing_is_folded(client, anna, make_offering):
    services.enrol_learner(learner=anna, offering_id=make_offering().pk)

    content = client.get(reverse("enrolment:my_courses")).content.decode()

    assert "<details" not in content
    assert "Eerdere en geannuleerde inschrijvingen" not in content


def test_the_folded_heading_in_english(client, anna, make_offering):
    dropped = services.enrol_learner(learner=anna, offering_id=make_offering().pk)
    services.cancel_enrolment(enrolment_id=dropped.pk, actor=anna)

    with translation.override("en"):
        url = reverse("enrolment:my_courses")
    content = client.get(url).content.decode()

    assert "Earlier and cancelled enrolments" in folded_part(content)
