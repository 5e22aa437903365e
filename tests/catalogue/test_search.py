"""Catalogue search and filters: what a visitor types and ticks finds the right courses."""

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
