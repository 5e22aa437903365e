"""The course list answers one address two ways, the whole page or the results block htmx swaps
in; Back and Forward must always get the whole page, from the browser's cache or the site's."""

import pytest
from django.urls import reverse

from technohub import page_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FRAGMENT = {"HX-Request": "true"}
# What htmx sends when its own cache of past pages misses on Back or Forward.
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    page_cache._new_generation()  # nothing stored by earlier tests is served


@pytest.fixture(params=["visitor", "learner"])
def visitor_or_learner(request, client):
    if request.param == "learner":
        client.force_login(UserFactory())
    return client


def course_list(client, headers=None):
    return client.get(reverse("catalogue:course_list"), {"q": "lassen"}, headers=headers or {})


def is_whole_page(response) -> bool:
    content = response.content.decode()
    return "<html" in content and 'class="site-header"' in content and 'id="catalogue"' in content


def vary(response) -> list[str]:
    return [part.strip().lower() for part in response.get("Vary", "").split(",")]


def test_the_page_and_the_results_block_both_say_they_vary_on_the_htmx_header(
    visitor_or_learner, offering, page_cache_on
):
    for headers in (None, FRAGMENT, None, FRAGMENT):  # rendered, then from the caches
        assert "hx-request" in vary(course_list(visitor_or_learner, headers))


def test_the_results_block_is_never_kept_by_the_browser(
    visitor_or_learner, offering, page_cache_on
):
    for _ in range(2):  # rendered, then from the caches
        block = course_list(visitor_or_learner, FRAGMENT)
        assert not is_whole_page(block)
        assert "no-store" in block["Cache-Control"]


def test_a_visitors_page_stays_cacheable_by_the_browser(client, offering, page_cache_on):
    assert "no-store" not in course_list(client).get("Cache-Control", "")


def test_after_the_block_was_cached_the_page_at_the_same_address_is_still_the_whole_page(
    visitor_or_learner, offering, page_cache_on
):
    course_list(visitor_or_learner, FRAGMENT)

    assert is_whole_page(course_list(visitor_or_learner))


def test_htmx_restoring_a_page_from_history_gets_the_whole_page(
    visitor_or_learner, offering, page_cache_on
):
    course_list(visitor_or_learner, FRAGMENT)  # the block is in the cache at this address

    restored = course_list(visitor_or_learner, HISTORY_RESTORE)

    assert is_whole_page(restored)


def test_a_visitors_restored_page_is_the_cached_page_not_the_block(client, offering, page_cache_on):
    page = course_list(client)
    block = course_list(client, FRAGMENT)
    restored = course_list(client, HISTORY_RESTORE)

    assert restored[page_cache.SOURCE_HEADER] == "hit"
    assert restored.content == page.content
    assert restored.content != block.content
