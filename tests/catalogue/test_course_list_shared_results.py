"""A logged-in user's course list: the results, the same for everyone, come from the shared
cache, and so does the page around them, with each user's own header and CSRF token."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from catalogue import selectors
from companies.models import Membership
from enrolment import services
from technohub import page_cache
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

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


COMPANY_LINK = f'href="{reverse("portal:choose")}"'


def test_hr_and_employees_each_get_the_header_of_their_kind_from_the_shared_page(
    client, offering, searches
):
    hr, employee, other = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=hr, company=CompanyFactory(), role=Membership.Role.HR)

    pages = [course_list(client, user).content.decode() for user in (employee, hr, other, hr)]

    assert [COMPANY_LINK in page for page in pages] == [False, True, False, True]
    assert all(offering.course.title in page for page in pages)
    assert len(searches) == 1


def test_each_user_gets_a_csrf_token_of_their_own_that_logs_them_out(offering, searches):
    tokens = []
    for user in (UserFactory(), UserFactory()):
        browser = Client(enforce_csrf_checks=True)
        page = course_list(browser, user).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)

        assert (
            browser.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token}).status_code
            == 302
        )
        assert "Inloggen" in browser.get(reverse("catalogue:course_list")).content.decode()

    assert tokens[0] != tokens[1]


def test_a_users_waiting_message_is_shown_to_them_and_to_no_one_after(client, offering, searches):
    anna, bert = UserFactory(), UserFactory()
    client.force_login(anna)
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode(
        [Message(constants.SUCCESS, "Welkom terug, Anna")]
    )

    annas = client.get(reverse("catalogue:course_list")).content.decode()
    berts = course_list(client, bert).content.decode()

    assert "Welkom terug, Anna" in annas
    assert "Welkom terug, Anna" not in berts
