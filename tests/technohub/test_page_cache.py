"""Pages for visitors who are not logged in come from the shared cache until something they
show changes; logged-in users always get their own page."""

import pytest
from django.urls import reverse

from companies.demand import services as demand
from enrolment import services
from technohub import page_cache
from tests.factories import CompanyFactory, ThemeFactory, UserFactory

SOURCE = page_cache.SOURCE_HEADER


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    page_cache._new_generation()  # nothing stored by earlier tests is served


def course_url(offering) -> str:
    return reverse("catalogue:course_detail", kwargs={"slug": offering.course.slug})


def test_a_visitors_page_is_stored_and_served_from_the_cache(client, offering, page_cache_on):
    first = client.get(course_url(offering))
    second = client.get(course_url(offering))

    assert first[SOURCE] == "miss"
    assert second[SOURCE] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in first["Vary"]
    assert "Cookie" in second["Vary"]
    assert not first.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "catalogue:course_list", "catalogue:location_list"])
def test_every_catalogue_page_is_cached_for_visitors(client, offering, page_cache_on, url_name):
    client.get(reverse(url_name))

    assert client.get(reverse(url_name))[SOURCE] == "hit"


def test_location_page_is_cached_for_visitors(client, offering, page_cache_on):
    url = reverse("catalogue:location_detail", kwargs={"slug": offering.location.slug})
    client.get(url)

    assert client.get(url)[SOURCE] == "hit"


@pytest.mark.parametrize("commits", [True, False])
def test_a_changed_course_is_shown_once_the_change_commits(
    client, offering, page_cache_on, django_capture_on_commit_callbacks, commits
):
    client.get(course_url(offering))
    with django_capture_on_commit_callbacks(execute=commits):
        offering.course.title = "TIG-lassen RVS voor gevorderden"
        offering.course.save()
        assert client.get(course_url(offering))[SOURCE] == "hit"  # not before it commits

    response = client.get(course_url(offering))

    assert response[SOURCE] == ("miss" if commits else "hit")
    assert ("TIG-lassen RVS voor gevorderden" in response.content.decode()) is commits


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["enrol", "cancel_offering"])
def test_seats_taken_or_a_cancelled_offering_are_shown_at_once(
    client, make_offering, staff_user, page_cache_on, change
):
    offering = make_offering(capacity=1)
    assert "nog 1 plek vrij" in client.get(course_url(offering)).content.decode()

    if change == "enrol":
        services.enrol_learner(learner=UserFactory(), offering_id=offering.pk)
        expected = "vol – wachtlijst"
    else:
        services.cancel_offering(offering_id=offering.pk, actor=staff_user, reason="Te weinig")
        expected = "Er is op dit moment geen uitvoering van deze cursus gepland."

    response = client.get(course_url(offering))
    assert response[SOURCE] == "miss"
    assert expected in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_new_training_need_shows_in_the_home_pages_demand_at_once(client, page_cache_on):
    theme = ThemeFactory(name="Precisielandbouw")
    client.get(reverse("home"))
    assert client.get(reverse("home"))[SOURCE] == "hit"

    company = CompanyFactory()
    demand.submit_need(
        company=company, submitted_by=UserFactory(), title="Taakkaarten", headcount=6, theme=theme
    )

    response = client.get(reverse("home"))
    assert response[SOURCE] == "miss"
    assert "Precisielandbouw: 6 mensen" in response.content.decode()


def test_logged_in_users_never_get_or_leave_a_cached_page(client, offering, page_cache_on):
    url = course_url(offering)
    client.get(url)  # a visitor's page is in the cache
    client.force_login(UserFactory(email="piet@kampstaal.example"))

    mine = client.get(url)
    client.logout()
    visitors = client.get(url)

    assert SOURCE not in mine
    assert "Mijn cursussen" in mine.content.decode()
    assert visitors[SOURCE] == "hit"
    assert "Mijn cursussen" not in visitors.content.decode()


def test_each_language_has_its_own_page(client, offering, page_cache_on):
    dutch = client.get(reverse("catalogue:course_list"))
    english = client.get("/en/courses/")

    assert english[SOURCE] == "miss"
    assert '<html lang="nl">' in dutch.content.decode()
    assert '<html lang="en">' in english.content.decode()


def test_the_htmx_result_block_is_cached_apart_from_the_page(client, offering, page_cache_on):
    url = reverse("catalogue:course_list") + "?q=lassen"
    page = client.get(url)
    block = client.get(url, headers={"HX-Request": "true"})

    assert block[SOURCE] == "miss"
    assert len(block.content) < len(page.content)


def test_switched_off_nothing_is_cached(client, offering, settings):
    settings.PAGE_CACHE = False
    client.get(course_url(offering))

    assert SOURCE not in client.get(course_url(offering))
