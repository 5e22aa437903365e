"""A logged-in user's course list: the results, the same for everyone, come from the shared
cache; the page around them is their own."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue import selectors
from enrolment import services
from technohub import page_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def searches(monkeypatch, settings):
    """The page cache on, fresh, and a count of the catalogue searches actually run."""
    settings.PAGE_CACHE = True
    page_cache._new_generation()  # nothing stored by earlier tests is served
    calls = []
    search = selectors.search_catalogue

    def counted(**kwargs):
        calls.append(kwargs)
        return search(**kwargs)

    monkeypatch.setattr(selectors, "search_catalogue", counted)
    return calls


def course_list(client, user, **query):
    client.force_login(user)
    return client.get(reverse("catalogue:course_list"), query)


def test_two_logged_in_users_share_one_search_and_each_gets_their_own_page(
    client, offering, searches
):
    anna, bert = UserFactory(first_name="Anna"), UserFactory(first_name="Bert")

    first = course_list(client, anna).content.decode()
    second = course_list(client, bert).content.decode()

    assert len(searches) == 1
    for page in (first, second):
        assert offering.course.title in page  # the results, as HTML, not escaped
        assert "cursus gevonden" in page
        assert "Uitloggen" in page  # the logged-in header, rendered for each
    assert page_cache.SOURCE_HEADER not in course_list(client, anna)


def test_each_search_and_language_has_its_own_shared_results(client, offering, searches):
    learner = UserFactory()

    course_list(client, learner)
    course_list(client, learner, q="lassen")
    with translation.override("en"):
        english = client.get(reverse("catalogue:course_list"))
    assert english.status_code == 200 and "course found" in english.content.decode()
    course_list(client, learner, q="lassen")

    assert len(searches) == 3


def test_the_shared_results_show_a_taken_seat_at_once(
    client, make_offering, searches, django_capture_on_commit_callbacks
):
    offering = make_offering(capacity=1)
    learner = UserFactory()
    assert "Alleen met vrije plaatsen (1)" in course_list(client, learner).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol_learner(learner=UserFactory(), offering_id=offering.pk)

    assert "Alleen met vrije plaatsen (0)" in course_list(client, learner).content.decode()
    assert len(searches) == 2


def test_a_logged_in_htmx_request_gets_the_shared_results_block_only(client, offering, searches):
    client.force_login(UserFactory())

    full = client.get(reverse("catalogue:course_list")).content.decode()
    block = client.get(reverse("catalogue:course_list"), HTTP_HX_REQUEST="true").content.decode()

    assert len(searches) == 1
    assert block.strip() and block.strip() in full
    assert "<html" not in block


def test_without_the_page_cache_every_request_searches(client, offering, searches, settings):
    settings.PAGE_CACHE = False
    learner = UserFactory()

    course_list(client, learner)
    course_list(client, learner)

    assert len(searches) == 2
