"""The site-wide pages: home, accessibility and privacy statements, in Dutch and English."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from catalogue.models import Course, Location, Meeting, Offering, Provider

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Tuesday, far enough ahead to stay "upcoming" for as long as this code lives.
FIRST_MEETING = datetime(2099, 2, 3, 9, 0, tzinfo=AMSTERDAM)

PAGES = [
    ("/", "nl"),
    ("/toegankelijkheid/", "nl"),
    ("/privacy/", "nl"),
    ("/en/", "en"),
    ("/en/accessibility/", "en"),
    ("/en/privacy/", "en"),
]


def make_offering(
    n: int = 1,
    *,
    starts_at: datetime = FIRST_MEETING,
    capacity: int = 12,
    confirmed_count: int = 0,
    status: str = Offering.Status.OPEN,
    is_published: bool = True,
    meetings: int = 2,
) -> Offering:
    provider, _ = Provider.objects.get_or_create(
        slug="firda", defaults={"name": "Firda", "kind": Provider.Kind.COLLEGE}
    )
    location, _ = Location.objects.get_or_create(
        slug="hub-emmeloord",
        defaults={
            "name": "Hub Emmeloord (Firda)",
            "name_en": "Emmeloord hub (Firda)",
            "kind": Location.Kind.HUB,
            "city": "Emmeloord",
        },
    )
    course = Course.objects.create(
        title=f"MIG/MAG-lassen {n}",
        title_en=f"MIG/MAG welding {n}",
        slug=f"mig-mag-lassen-{n}",
        summary="Lassen met beschermgas voor beginners.",
        description="Je leert veilig en netjes lassen met MIG/MAG.",
        sector="metal",
        provider=provider,
        study_hours=Decimal("16"),
        price_excl_vat=Decimal("450.00"),
        is_published=is_published,
    )
    offering = Offering.objects.create(
        course=course,
        location=location,
        status=status,
        capacity=capacity,
        confirmed_count=confirmed_count,
    )
    for week in range(meetings):
        start = starts_at + timedelta(weeks=week)
        Meeting.objects.create(
            offering=offering, starts_at=start, ends_at=start + timedelta(hours=4)
        )
    return offering


@pytest.mark.parametrize(("url", "language"), PAGES)
def test_site_page_renders_in_its_language_with_footer_and_language_switch(client, url, language):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    statement = "/en/accessibility/" if language == "en" else "/toegankelijkheid/"
    privacy = "/en/privacy/" if language == "en" else "/privacy/"
    assert f'href="{statement}"' in html
    assert f'href="{privacy}"' in html
    assert 'id="main"' in html
    assert 'href="#main"' in html
    # The language switch: one form per language, the current one marked.
    assert html.count('action="/i18n/setlang/"') == 2
    assert 'name="language" value="nl"' in html
    assert 'name="language" value="en"' in html
    other = "en" if language == "nl" else "nl"
    assert f'lang="{language}" aria-current="true"' in html
    assert f'lang="{other}" aria-current="true"' not in html
    assert 'hreflang="nl"' in html
    assert 'hreflang="en"' in html


def test_language_switch_points_each_language_at_the_same_page(client):
    html = client.get("/en/privacy/").content.decode()

    assert 'name="next" value="/privacy/"' in html
    assert 'name="next" value="/en/privacy/"' in html


@pytest.mark.parametrize(
    ("cookie", "language", "next_url"),
    [
        ("en", "nl", "/privacy/"),
        ("nl", "nl", "/privacy/"),
        ("nl", "en", "/en/privacy/"),
        ("en", "en", "/en/privacy/"),
        ("nl", "en", "/en/"),
        ("en", "nl", "/"),
    ],
)
def test_language_switch_lands_on_the_page_in_the_chosen_language(
    client, settings, cookie, language, next_url
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})

    assert response.status_code == 302
    assert response.url == next_url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    page = client.get(response.url)
    assert f'<html lang="{language}">' in page.content.decode()


def test_current_page_is_marked_in_the_menu(client):
    html = client.get("/privacy/").content.decode()

    assert 'href="/privacy/" aria-current="page"' in html
    assert 'href="/" aria-current="page"' not in html


def test_home_shows_upcoming_offering_with_dutch_date_and_seats_left(client):
    make_offering(capacity=12, confirmed_count=3, meetings=3)

    html = client.get("/").content.decode()

    assert "MIG/MAG-lassen 1" in html
    assert "Hub Emmeloord (Firda)" in html
    assert "di 3 februari 2099 om 09:00" in html
    assert 'datetime="2099-02-03T09:00:00+01:00"' in html
    assert "nog 9 plekken vrij" in html
    assert "3 bijeenkomsten" in html


def test_home_in_english_shows_english_titles_and_dates(client):
    make_offering(capacity=12, confirmed_count=11)

    html = client.get("/en/").content.decode()

    assert "MIG/MAG welding 1" in html
    assert "Emmeloord hub (Firda)" in html
    assert "Tue 3 February 2099" in html


def test_home_marks_full_offering_as_waiting_list(client):
    make_offering(capacity=8, confirmed_count=8)

    html = client.get("/").content.decode()

    assert "vol \N{EN DASH} wachtlijst" in html
    assert "plekken vrij" not in html


def test_home_leaves_out_concept_unpublished_and_past_offerings(client):
    make_offering(1, status=Offering.Status.CONCEPT)
    make_offering(2, is_published=False)
    make_offering(3, starts_at=timezone.now() - timedelta(days=1), meetings=1)

    html = client.get("/").content.decode()

    assert "MIG/MAG-lassen" not in html
    assert "Er staan op dit moment geen cursussen gepland." in html


def test_home_without_offerings_shows_empty_state(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Er staan op dit moment geen cursussen gepland." in response.content.decode()


@pytest.mark.parametrize("offerings", [1, 5])
def test_home_query_count_does_not_grow_with_offerings(
    client, django_assert_max_num_queries, offerings
):
    for n in range(offerings):
        make_offering(n, starts_at=FIRST_MEETING + timedelta(days=n))

    # One query for the offerings with course and location, one for their meetings, three for the
    # themes in demand.
    with django_assert_max_num_queries(5):
        response = client.get("/")

    assert response.status_code == 200
    assert response.content.decode().count('class="offering-card"') == offerings


def test_messages_render_as_alerts_with_status_or_alert_role():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(constants.SUCCESS, "Je bent ingeschreven.")
    request._messages.add(constants.ERROR, "Deze uitvoering is vol.")

    html = render_to_string("base.html", {"messages": get_messages(request)}, request=request)

    assert '<div class="alert alert-success" role="status">Je bent ingeschreven.</div>' in html
    assert '<div class="alert alert-danger" role="alert">Deze uitvoering is vol.</div>' in html
