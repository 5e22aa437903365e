"""Results: the programme manager sees all; a college only its own courses, and only runs with
at least five answers; the course page shows its rating from five answers on."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from enrolment.evaluation import services
from enrolment.models import EvaluationRequest
from tests.factories import CourseFactory, ProviderFactory, UserFactory
from tests.queries import page_queries

from .helpers import answers, ended_offering, participant

pytestmark = pytest.mark.django_db


def staff(group: str, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def firda():
    return ProviderFactory(name="Firda", slug="firda")


def test_the_college_sees_a_run_only_from_five_answers_and_never_its_comments_below(client, firda):
    course = CourseFactory(provider=firda, title="Tekeninglezen")
    enough = ended_offering(course=course, days_ago=20)
    answers(enough, 5, scores=(4, 5, 3), comment="Heldere uitleg van de docent.")
    few = ended_offering(course=course, days_ago=2)
    answers(few, 3, scores=(1, 1, 1), comment="Te snel voor mij.")
    client.force_login(staff("Opleider", provider=firda))

    html = client.get(reverse("evaluation:provider_results", args=["firda"])).content.decode()

    assert "nog te weinig antwoorden (3 van 5)" in html
    assert "Heldere uitleg van de docent." in html
    assert "Te snel voor mij." not in html
    # The course's figures are those of the run with enough answers: the small run does not
    # count in them, so no difference of totals reveals it.
    assert "5 antwoorden: inhoud 4,0, docent 5,0, toepasbaar in het werk 3,0." in html
    assert "1,0" not in html
    assert "november 2026" in html  # the month, never the day
    assert "17 november" not in html


def test_the_college_sees_nothing_of_a_course_with_four_answers(client, firda):
    course = CourseFactory(provider=firda, title="Tekeninglezen")
    answers(ended_offering(course=course), 4, comment="Goed.")
    client.force_login(staff("Opleider", provider=firda))

    html = client.get(reverse("evaluation:provider_results", args=["firda"])).content.decode()

    assert "nog te weinig antwoorden (4 van 5)" in html
    assert "Goed." not in html
    assert "antwoorden: inhoud" not in html


def test_the_college_sees_only_its_own_courses(client, firda):
    answers(ended_offering(course=CourseFactory(provider=firda, title="Tekeninglezen")), 5)
    other = ProviderFactory(name="Aeres MBO", slug="aeres-mbo")
    answers(ended_offering(course=CourseFactory(provider=other, title="Hydrauliek")), 5)
    client.force_login(staff("Opleider", provider=firda))

    html = client.get(reverse("evaluation:provider_results", args=["firda"])).content.decode()

    assert "Tekeninglezen" in html
    assert "Hydrauliek" not in html
    assert client.get(reverse("evaluation:provider_results", args=["aeres-mbo"])).status_code == 404


def test_the_programme_manager_sees_every_course_per_run_with_comments(
    client, firda, django_assert_max_num_queries
):
    course = CourseFactory(provider=firda, title="Tekeninglezen")
    answers(ended_offering(course=course), 2, scores=(2, 3, 4), comment="Meer oefenen graag.")
    other = CourseFactory(title="Hydrauliek")
    answers(ended_offering(course=other), 6)
    client.force_login(staff("Programmamanager"))
    url = reverse("backoffice:evaluations")

    html = client.get(url).content.decode()

    assert "Tekeninglezen" in html and "Hydrauliek" in html
    assert "2 antwoorden: inhoud 2,0, docent 3,0, toepasbaar in het werk 4,0." in html
    assert "Meer oefenen graag." in html
    assert "nog te weinig" not in html


def test_results_pages_read_in_a_fixed_number_of_queries(client, firda):
    client.force_login(staff("Programmamanager"))
    pages = [
        reverse("backoffice:evaluations"),
        reverse("evaluation:provider_results", args=["firda"]),
    ]
    answers(ended_offering(course=CourseFactory(provider=firda)), 5, comment="Goed.")
    before = [page_queries(client, url) for url in pages]
    for _ in range(3):
        course = CourseFactory(provider=firda)
        answers(ended_offering(course=course), 6, comment="Prima.")
        answers(ended_offering(course=course), 2, comment="Matig.")
    assert [page_queries(client, url) for url in pages] == before


def test_an_hr_user_gets_403_on_the_results(client, firda):
    client.force_login(UserFactory())
    assert client.get(reverse("backoffice:evaluations")).status_code == 403
    assert client.get(reverse("evaluation:provider_results", args=["firda"])).status_code == 403


def json_ld(html: str) -> dict:
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(raw.group(1))


def test_the_course_page_shows_the_rating_from_five_answers_on(client):
    course = CourseFactory(title="Tekeninglezen", slug="tekeninglezen")
    offering = ended_offering(course=course)
    answers(offering, 4, scores=(4, 5, 4))
    url = reverse("catalogue:course_detail", args=[course.slug])

    below = client.get(url).content.decode()
    assert "Beoordeling door deelnemers" not in below
    assert "aggregateRating" not in json_ld(below)

    # The fifth answer, as a learner gives it: the cached page follows at once.
    enrolment = participant(offering)
    request = EvaluationRequest.objects.create(enrolment=enrolment)
    services.answer_evaluation(request_id=request.pk, content=5, trainer=5, practical=5)
    cache.clear()  # the test's transaction never commits, so the generation does not move

    html = client.get(url).content.decode()
    # (4+5+4) * 4 + 15 = 67 over 15 scores: 4.47 → 4,5
    assert "4,5 van 5 (5 evaluaties)" in html
    assert json_ld(html)["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.5",
        "ratingCount": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    with translation.override("en"):
        english = client.get(reverse("catalogue:course_detail", args=[course.slug]))
    assert "4.5 out of 5 (5 evaluations)" in english.content.decode()


def test_the_course_page_counts_only_runs_with_five_answers(client):
    course = CourseFactory(slug="hydrauliek")
    answers(ended_offering(course=course), 3)
    answers(ended_offering(course=course), 3)

    html = client.get(reverse("catalogue:course_detail", args=[course.slug])).content.decode()

    assert "Beoordeling door deelnemers" not in html
    assert "aggregateRating" not in json_ld(html)
