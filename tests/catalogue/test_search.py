"""Catalogue search and filters: what a visitor types and ticks finds the right courses."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalogue.models import Course, Location
from catalogue.search import build_query
from catalogue.selectors import CatalogueFilters, search_catalogue
from catalogue.services import refresh_search_vectors
from tests.factories import (
    CourseFactory,
    LocationFactory,
    MeetingFactory,
    OfferingFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def course(title: str, **fields) -> Course:
    created = CourseFactory(title=title, **fields)
    refresh_search_vectors(course_ids=[created.pk])
    return created


def plain(title: str, **fields) -> Course:
    """A course whose only words worth searching are in its title."""
    return course(title, **{"summary": "Een cursus.", "description": "Meer volgt.", **fields})


def offering(of: Course, *, location: Location, days: int = 30, capacity=10, confirmed=0):
    offering = OfferingFactory(
        course=of,
        location=location,
        capacity=capacity,
        min_participants=1,
        confirmed_count=confirmed,
    )
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=days))
    return offering


def found(**filters) -> list[str]:
    result = search_catalogue(filters=CatalogueFilters(**filters), themes=[])
    titles = dict(Course.objects.values_list("pk", "title"))
    return [titles[pk] for pk in result.course_ids]


@pytest.fixture
def emmeloord():
    return LocationFactory(name="Hub Emmeloord", city="Emmeloord")


@pytest.fixture
def dronten():
    return LocationFactory(name="Agri Innovatiecenter", city="Dronten")


def test_a_word_prefix_finds_compound_and_inflected_words():
    course("MIG/MAG-lassen")
    course("Lasrobot programmeren", summary="Programmeer een robot.")
    course("Drones A1/A3", summary="Vliegen met drones.", description="Boven het land.")
    assert sorted(found(q="las")) == ["Lasrobot programmeren", "MIG/MAG-lassen"]


def test_title_weighs_more_than_description():
    course("Hydrauliek", description="Onderhoud aan hydraulische systemen, ook bij lassen.")
    course("TIG-lassen RVS", description="Dunne plaat.")
    assert found(q="lassen") == ["TIG-lassen RVS", "Hydrauliek"]


def test_english_words_find_the_english_title():
    course("MIG/MAG-lassen", title_en="MIG/MAG welding")
    assert found(q="welding") == ["MIG/MAG-lassen"]


def test_theme_names_are_searchable():
    theme = ThemeFactory(name="Precisielandbouw", name_en="Precision farming")
    taakkaarten = CourseFactory(title="Taakkaarten maken")
    taakkaarten.themes.add(theme)
    refresh_search_vectors(course_ids=[taakkaarten.pk])
    assert found(q="precisielandbouw") == ["Taakkaarten maken"]


def test_unpublished_courses_are_never_found():
    course("Geheime cursus lassen", is_published=False)
    assert found(q="lassen") == []
    assert found() == []


def test_no_match_suggests_a_word_from_the_catalogue():
    course("MIG/MAG-lassen")
    result = search_catalogue(filters=CatalogueFilters(q="lassn"), themes=[])
    assert result.course_ids == []
    assert result.suggestion == "lassen"


def test_search_ignores_tsquery_operators_in_the_input():
    course("PLC-programmeren (TIA Portal)")
    assert found(q="plc & | ! ( ) :*") == ["PLC-programmeren (TIA Portal)"]


def test_place_and_free_seats_must_hold_for_the_same_offering(emmeloord, dronten):
    welding = course("MIG/MAG-lassen")
    offering(welding, location=emmeloord, capacity=8, confirmed=8)
    offering(welding, location=dronten, capacity=8, confirmed=2)
    assert found(place="emmeloord") == ["MIG/MAG-lassen"]
    assert found(place="emmeloord", free_seats=True) == []
    assert found(place="dronten", free_seats=True) == ["MIG/MAG-lassen"]


def test_courses_without_offerings_show_until_a_offering_filter_is_set(emmeloord):
    course("Zonder uitvoering")
    offering(course("Met uitvoering"), location=emmeloord)
    assert sorted(found()) == ["Met uitvoering", "Zonder uitvoering"]
    assert found(free_seats=True) == ["Met uitvoering"]


def test_sector_filter_includes_courses_for_both_sectors():
    course("Metaal", sector="metal")
    course("Agro", sector="agri")
    course("Allebei", sector="both")
    assert sorted(found(sector="agri")) == ["Agro", "Allebei"]


def test_price_range_and_funding_filters():
    course("Goedkoop", price_excl_vat=Decimal("295"), funding_eligible=True)
    course("Duur", price_excl_vat=Decimal("1995"), funding_eligible=True)
    course("Middel", price_excl_vat=Decimal("795"))
    assert found(price_min=Decimal("300"), price_max=Decimal("1000")) == ["Middel"]
    assert sorted(found(funding=True)) == ["Duur", "Goedkoop"]


def test_month_filter_uses_the_first_meeting(emmeloord):
    soon = course("Snel")
    later = course("Later")
    first = offering(soon, location=emmeloord, days=10)
    offering(later, location=emmeloord, days=80)
    month = timezone.localtime(first.meetings.get().starts_at).strftime("%Y-%m")
    assert found(month=month) == ["Snel"]


def test_sorting_by_first_offering_title_and_price(emmeloord):
    offering(course("B-cursus", price_excl_vat=Decimal("100")), location=emmeloord, days=40)
    offering(course("A-cursus", price_excl_vat=Decimal("900")), location=emmeloord, days=20)
    course("C-cursus", price_excl_vat=Decimal("500"))
    assert found(sort="start") == ["A-cursus", "B-cursus", "C-cursus"]
    assert found(sort="titel") == ["A-cursus", "B-cursus", "C-cursus"]
    assert found(sort="prijs") == ["B-cursus", "C-cursus", "A-cursus"]


def test_each_facet_counts_what_it_would_leave_with_the_other_filters(emmeloord, dronten):
    offering(course("Lassen Emmeloord", sector="metal"), location=emmeloord)
    offering(course("Drones Dronten", sector="agri"), location=dronten)
    offering(course("Hydrauliek Dronten", sector="both"), location=dronten)
    result = search_catalogue(filters=CatalogueFilters(place="dronten"), themes=[])
    sectors = {option.value: option.count for option in result.facets["sector"]}
    places = {option.value: option.count for option in result.facets["place"]}
    # The sector counts respect the place filter; the place counts ignore it.
    assert sectors == {"metal": 1, "agri": 2}
    assert places["dronten"] == 2
    assert places["emmeloord"] == 1
    assert [option.value for option in result.facets["place"] if option.selected] == ["dronten"]


def test_search_is_answered_from_the_gin_index():
    course("MIG/MAG-lassen")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
    plan = Course.objects.filter(search_vector=build_query("lassen")).explain()
    assert "course_search_vector_gin" in plan


def test_codes_are_found_whole_in_parts_and_joined():
    plain("MIG/MAG-lassen")
    plain("PLC met S7-1200")
    plain("NEN 3140 VOP")
    for query in ("MIG/MAG-lassen", "MIG/MAG", "mig mag", "migmag", "MIG-MAG lassen"):
        assert found(q=query) == ["MIG/MAG-lassen"], query
    for query in ("S7-1200", "s7 1200", "s71200"):
        assert found(q=query) == ["PLC met S7-1200"], query
    for query in ("NEN 3140", "nen3140", "nen-3140", "3140"):
        assert found(q=query) == ["NEN 3140 VOP"], query


def test_a_synonym_finds_the_theme_in_the_other_language():
    plain("Hydrauliek in de praktijk", title_en="", summary="Pompen en cilinders.")
    assert found(q="hydraulics") == ["Hydrauliek in de praktijk"]


def test_a_town_in_the_query_filters_on_that_place_and_shows_a_chip(emmeloord, dronten):
    offering(plain("MIG/MAG-lassen"), location=emmeloord)
    offering(plain("Lassen op de boerderij"), location=dronten)
    result = search_catalogue(filters=CatalogueFilters(q="lassen in Emmeloord"), themes=[])
    assert [chip.label for chip in result.chips] == ["Emmeloord"]
    assert result.chips[0].remove_q == "lassen"
    assert found(q="lassen in Emmeloord") == ["MIG/MAG-lassen"]
    # The visitor's own choice of place wins over a town among the words.
    assert found(q="lassen emmeloord", place="dronten") == ["Lassen op de boerderij"]
    assert (
        search_catalogue(
            filters=CatalogueFilters(q="lassen emmeloord", place="dronten"), themes=[]
        ).chips
        == []
    )


def test_removing_one_chip_keeps_the_other_filter_words(emmeloord):
    offering(plain("Drones", sector="agri"), location=emmeloord)
    result = search_catalogue(filters=CatalogueFilters(q="drones landbouw emmeloord"), themes=[])
    assert {chip.label: chip.remove_q for chip in result.chips} == {
        "agro": "drones emmeloord",
        "Emmeloord": "drones landbouw",
    }


def test_a_month_word_filters_on_the_next_such_month(emmeloord):
    soon = plain("Snel")
    first = offering(soon, location=emmeloord, days=10)
    offering(plain("Later"), location=emmeloord, days=80)
    starts = timezone.localtime(first.meetings.get().starts_at)
    month_name = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                  "september", "oktober", "november", "december")[starts.month - 1]  # fmt: skip
    result = search_catalogue(filters=CatalogueFilters(q=month_name), themes=[])
    assert [chip.label for chip in result.chips] == [f"{month_name} {starts.year}"]
    assert found(q=month_name) == ["Snel"]


def test_evening_and_day_words_filter_on_the_time_of_the_first_meeting(emmeloord):
    evening = OfferingFactory(course=plain("Avondles"), location=emmeloord)
    daytime = OfferingFactory(course=plain("Dagles"), location=emmeloord)
    tomorrow = timezone.localtime() + timedelta(days=3)
    MeetingFactory(offering=evening, starts_at=tomorrow.replace(hour=18, minute=30))
    MeetingFactory(offering=daytime, starts_at=tomorrow.replace(hour=9, minute=0))
    assert found(q="evening") == ["Avondles"]
    assert found(q="'s avonds") == ["Avondles"]
    assert found(q="overdag") == ["Dagles"]


def test_level_and_format_words_filter_the_courses():
    plain("Lassen voor beginners", level="introductory", mode="on_site")
    plain("Lassen online", level="advanced", mode="online")
    assert found(q="lassen gevorderd") == ["Lassen online"]
    assert found(q="lassen kennismaking") == ["Lassen voor beginners"]


def test_a_word_of_a_course_title_is_searched_for_not_read_as_a_filter():
    plain("Online samenwerken", mode="on_site")
    plain("Excel", mode="online")
    result = search_catalogue(filters=CatalogueFilters(q="online"), themes=[])
    assert result.chips == []
    assert found(q="online") == ["Online samenwerken"]


def test_no_match_because_of_the_filters_shows_the_courses_the_words_find(emmeloord, dronten):
    offering(plain("MIG/MAG-lassen"), location=emmeloord)
    result = search_catalogue(filters=CatalogueFilters(q="lassen dronten"), themes=[])
    assert result.course_ids == []
    assert result.suggestion == "lassen"
    assert [nearest.title for nearest in result.closest] == ["MIG/MAG-lassen"]


def test_hostile_and_odd_input_never_breaks_the_search():
    plain("MIG/MAG-lassen")
    for query in ("'\\\"", "a:*|b", "___", "²³", "ß/ﬁ-½", "-", "x" * 100, "in de van", "//--.."):
        search_catalogue(filters=CatalogueFilters(q=query), themes=[])


def test_the_migration_fills_the_same_document_as_the_service():
    theme = ThemeFactory(name="Lassen/snijden", name_en="Welding")
    for title in ("MIG/MAG-lassen", "S7-1200 PLC", "Łucja's A1/A3"):
        created = CourseFactory(title=title, title_en=f"{title} en", learning_outcomes="a-b\nc.d")
        created.themes.add(theme)
    refresh_search_vectors()
    migration = importlib.import_module(
        "catalogue.migrations.0006_refill_search_vectors_with_codes"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, search_vector::text FROM catalogue_course ORDER BY id")
        by_service = cursor.fetchall()
        cursor.execute(f"UPDATE catalogue_course c SET search_vector = {migration.document()}")
        cursor.execute("SELECT id, search_vector::text FROM catalogue_course ORDER BY id")
        assert cursor.fetchall() == by_service


def test_course_list_shows_the_chip_as_a_link_without_the_filter_word(client, emmeloord):
    offering(plain("MIG/MAG-lassen"), location=emmeloord)
    content = client.get("/cursussen/", {"q": "lassen in Emmeloord"}).content.decode()
    assert 'href="?q=lassen"' in content
    assert 'Emmeloord <span aria-hidden="true">\u00d7</span>' in content
    assert "(filter weghalen)" in content


def test_course_list_in_english_labels_chips_suggestion_and_closest_matches(client, emmeloord):
    offering(plain("MIG/MAG-lassen", title_en="MIG/MAG welding"), location=emmeloord)
    chips = client.get("/en/courses/", {"q": "welding evening"}).content.decode()
    assert "in the evening" in chips
    assert "(remove filter)" in chips
    nothing = client.get("/en/courses/", {"q": "weldng"}).content.decode()
    assert "Did you mean" in nothing
    assert "Closest matches" in nothing
    assert "MIG/MAG welding" in nothing


def test_filters_that_leave_nothing_show_the_soonest_courses_as_closest(emmeloord):
    offering(plain("Later"), location=emmeloord, days=60)
    offering(plain("Snel"), location=emmeloord, days=10)
    result = search_catalogue(filters=CatalogueFilters(price_max=Decimal("1")), themes=[])
    assert result.course_ids == []
    assert [course.title for course in result.closest] == ["Snel", "Later"]
    assert result.closest[0].next_offering is not None
