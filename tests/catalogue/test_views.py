"""The public catalogue pages: what a visitor sees, in Dutch and English, in few queries."""

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from pyld import jsonld

from catalogue.models import Course
from catalogue.services import refresh_search_vectors
from tests.factories import (
    CourseFactory,
    LocationFactory,
    MeetingFactory,
    OfferingFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def make_catalogue(size: int) -> None:
    """``size`` published courses with themes and three offerings of two meetings each."""
    themes = [ThemeFactory(), ThemeFactory()]
    locations = [LocationFactory(city="Emmeloord"), LocationFactory(city="Dronten")]
    for number in range(size):
        course = CourseFactory(title=f"Cursus {number}")
        course.themes.set(themes)
        for days in (20, 50, 80):
            offering = OfferingFactory(course=course, location=locations[number % 2])
            start = timezone.now() + timedelta(days=days)
            MeetingFactory(offering=offering, starts_at=start)
            MeetingFactory(offering=offering, starts_at=start + timedelta(days=1))
    refresh_search_vectors()


QUERY_COUNTED_URLS = [
    "/cursussen/",
    "/cursussen/?q=cursus&plaats=emmeloord&vrij=1&sorteer=prijs",
    # Words read as filters, and a search that finds nothing (suggestion and closest courses).
    "/cursussen/?q=cursu+in+dronten+avond",
    "/cursussen/?q=cursis+xyzzy",
    "/cursussen/cursus-1/",
]


@pytest.fixture(scope="module")
def query_counts(django_db_setup, django_db_blocker) -> dict[str, tuple[int, int]]:
    """Queries per catalogue page with 10 courses and with 200: ``{url: (small, large)}``.

    One catalogue serves every page, grown once; it lives in a transaction rolled back after
    the counting, so no other test sees it.
    """
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    with django_db_blocker.unblock(), translation.override("nl"), transaction.atomic():
        make_catalogue(10)
        Course.objects.filter(title="Cursus 1").update(slug="cursus-1")
        small = {url: count(url) for url in QUERY_COUNTED_URLS}
        make_catalogue(190)
        counts = {url: (small[url], count(url)) for url in QUERY_COUNTED_URLS}
        transaction.set_rollback(True)
    return counts


@pytest.mark.parametrize("url", QUERY_COUNTED_URLS)
def test_catalogue_pages_use_the_same_few_queries_at_any_size(query_counts, url):
    small, large = query_counts[url]
    assert small == large
    assert large <= 12


def test_course_list_finds_by_search_and_shows_seats_and_price(client, offering):
    refresh_search_vectors()
    response = client.get("/cursussen/", {"q": offering.course.title[:4]})
    content = response.content.decode()
    assert offering.course.title in content
    assert "nog 12 plekken vrij" in content
    assert "€\xa01.195,00" in content


def test_course_list_htmx_request_gets_only_the_results_block(client, offering):
    response = client.get("/cursussen/", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="catalogue"')
    assert "<html" not in content


def test_bad_price_filter_gets_a_message_next_to_the_field_and_is_ignored(client, offering):
    response = client.get("/cursussen/", {"prijs_min": "500", "prijs_max": "100"})
    content = response.content.decode()
    assert 'id="id_prijs_max-error"' in content
    assert "De hoogste prijs is lager dan de laagste." in content
    assert offering.course.title in content


def test_no_results_offers_a_suggestion(client):
    CourseFactory(title="Hydrauliek in de praktijk")
    refresh_search_vectors()
    response = client.get("/cursussen/", {"q": "hydrauliak"})
    assert "Bedoelde je" in response.content.decode()
    assert response.context["result"].suggestion == "hydrauliek"


def test_course_list_paginates_twenty_a_page(client):
    make_catalogue(25)
    first = client.get("/cursussen/")
    second = client.get("/cursussen/", {"pagina": 2})
    assert len(first.context["courses"]) == 20
    assert len(second.context["courses"]) == 5


def test_course_page_shows_offerings_meetings_and_prices_the_dutch_way(client):
    course = CourseFactory(
        title="TIG-lassen RVS", price_excl_vat=Decimal("1195.00"), vat_rate=Decimal("21")
    )
    offering = OfferingFactory(course=course, capacity=8, confirmed_count=8)
    MeetingFactory(
        offering=offering,
        starts_at=datetime(2031, 2, 4, 9, 0, tzinfo=AMSTERDAM),
        ends_at=datetime(2031, 2, 4, 16, 0, tzinfo=AMSTERDAM),
    )
    content = client.get(reverse("catalogue:course_detail", args=[course.slug])).content.decode()
    assert "di 4 februari 2031, 09:00–16:00" in content
    assert "€\xa01.195,00" in content
    assert "€\xa01.445,95" in content  # incl. 21 % VAT
    assert "vol – wachtlijst" in content
    assert reverse("catalogue:offering_ics", args=[offering.pk]) in content


def test_course_page_in_english(client):
    course = CourseFactory(title="MIG/MAG-lassen", title_en="MIG/MAG welding")
    MeetingFactory(offering=OfferingFactory(course=course))
    with translation.override("en"):
        url = reverse("catalogue:course_detail", args=[course.slug])
    assert url.startswith("/en/courses/")
    content = client.get(url).content.decode()
    assert '<html lang="en">' in content
    assert "MIG/MAG welding" in content
    assert "€1,195.00" in content


def test_unpublished_or_unknown_course_is_404(client):
    hidden = CourseFactory(is_published=False)
    assert client.get(reverse("catalogue:course_detail", args=[hidden.slug])).status_code == 404
    assert client.get("/cursussen/bestaat-niet/").status_code == 404


def test_course_page_has_valid_json_ld_for_course_and_instances(client, offering):
    content = client.get(
        reverse("catalogue:course_detail", args=[offering.course.slug])
    ).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    document = json.loads(raw.group(1))

    def schema_org_loader(url, options=None):
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/"}},
        }

    expanded = jsonld.expand(document, {"documentLoader": schema_org_loader})
    assert expanded[0]["@type"] == ["https://schema.org/Course"]
    instances = expanded[0]["https://schema.org/hasCourseInstance"]
    assert [instance["@type"] for instance in instances] == [["https://schema.org/CourseInstance"]]
    assert document["hasCourseInstance"][0]["offers"]["price"] == "1445.95"


def test_calendar_file_has_every_meeting_in_amsterdam_time(client, offering):
    second = MeetingFactory(
        offering=offering,
        starts_at=datetime(2031, 3, 11, 18, 30, tzinfo=AMSTERDAM),
        ends_at=datetime(2031, 3, 11, 21, 30, tzinfo=AMSTERDAM),
    )
    response = client.get(reverse("catalogue:offering_ics", args=[offering.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    assert len(events) == 2
    last = events[-1]
    assert last.decoded("dtstart") == second.starts_at
    assert last["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert offering.location.name in str(last["location"])
    assert str(last["url"]).endswith(
        reverse("catalogue:course_detail", args=[offering.course.slug])
    )
    assert calendar.walk("VTIMEZONE")


def test_calendar_of_a_concept_offering_is_404(client):
    draft = OfferingFactory(status="concept")
    assert client.get(reverse("catalogue:offering_ics", args=[draft.pk])).status_code == 404


def test_location_page_shows_address_route_and_offerings_there(client, offering):
    location = offering.location
    location.street, location.postal_code = "Stadionweg 2", "8302 CK"
    location.latitude, location.longitude = Decimal("52.710000"), Decimal("5.750000")
    location.save()
    content = client.get(
        reverse("catalogue:location_detail", args=[location.slug])
    ).content.decode()
    assert "Stadionweg 2" in content
    assert "openstreetmap.org/directions" in content
    assert offering.course.title in content


def test_sitemap_lists_courses_in_both_languages_and_robots_points_to_it(client, offering):
    sitemap = client.get("/sitemap.xml").content.decode()
    slug = offering.course.slug
    assert f"/cursussen/{slug}/" in sitemap
    assert f"/en/courses/{slug}/" in sitemap
    assert 'hreflang="en"' in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /beheer" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_pages_carry_canonical_hreflang_and_open_graph(client, offering):
    content = client.get(
        reverse("catalogue:course_detail", args=[offering.course.slug]) + "?x=1"
    ).content.decode()
    slug = offering.course.slug
    assert f'<link rel="canonical" href="http://testserver/cursussen/{slug}/">' in content
    assert f'hreflang="en" href="http://testserver/en/courses/{slug}/' in content
    assert f'<meta property="og:title" content="{offering.course.title}">' in content
