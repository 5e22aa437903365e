"""Choosing from the course list: what a result card tells, the filter options that would leave
nothing, and the way to the results."""

import html
import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from catalogue.models import Location
from catalogue.services import refresh_search_vectors
from tests.factories import CourseFactory, LocationFactory, MeetingFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def at(days_ahead: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def schedule(course, location, *, days_ahead: int, hour: int, **fields):
    offering = OfferingFactory(course=course, location=location, min_participants=1, **fields)
    MeetingFactory(offering=offering, starts_at=at(days_ahead, hour))
    return offering


@pytest.fixture
def places():
    return {
        "emmeloord": LocationFactory(name="Firda Emmeloord", city="Emmeloord"),
        "dronten": LocationFactory(name="Agri Innovatiecenter", city="Dronten"),
        "online": LocationFactory(name="oZone", kind=Location.Kind.ONLINE, city=""),
    }


def card_of(content: str, title: str) -> str:
    """The HTML of the result card whose title is ``title``."""
    match = re.search(
        rf'<article class="course-card">(?:(?!</article>).)*>{re.escape(title)}</a>.*?</article>',
        content,
        re.S,
    )
    assert match, f"no card for {title}"
    return match.group()


def fact(card: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", card, re.S)
    assert match, f"no {label} on the card"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def course_list(client, **query) -> str:
    return client.get(reverse("catalogue:course_list"), query).content.decode()


def test_a_card_shows_the_places_soonest_first_the_time_of_day_and_the_next_date(client, places):
    course = CourseFactory(title="Hydrauliek in de praktijk")
    schedule(course, places["dronten"], days_ahead=40, hour=9)
    first = schedule(course, places["emmeloord"], days_ahead=20, hour=9)
    schedule(course, places["emmeloord"], days_ahead=60, hour=9)

    card = card_of(course_list(client), course.title)

    assert fact(card, "Waar") == "Emmeloord, Dronten"
    assert fact(card, "Dagdeel") == "overdag"
    next_date = timezone.localtime(first.meetings.get().starts_at)
    assert fact(card, "Eerstvolgende uitvoering") == formats.date_format(next_date, "D j F Y")


def test_an_evening_course_says_so_and_one_in_day_and_evening_says_both(client, places):
    evening = CourseFactory(title="PLC-programmeren avondcursus")
    schedule(evening, places["online"], days_ahead=10, hour=19)
    both = CourseFactory(title="Tekeninglezen")
    schedule(both, places["emmeloord"], days_ahead=10, hour=19)
    schedule(both, places["emmeloord"], days_ahead=12, hour=8)

    content = course_list(client)

    assert fact(card_of(content, evening.title), "Waar") == "Online"
    assert fact(card_of(content, evening.title), "Dagdeel") == "'s avonds"
    assert fact(card_of(content, both.title), "Dagdeel") == "overdag of 's avonds"


def test_a_card_tells_only_of_the_offerings_that_pass_the_filters(client, places):
    course = CourseFactory(title="Hydrauliek in de praktijk")
    schedule(course, places["emmeloord"], days_ahead=20, hour=19)
    dronten = schedule(course, places["dronten"], days_ahead=40, hour=9)

    card = card_of(course_list(client, plaats="dronten"), course.title)

    assert fact(card, "Waar") == "Dronten"
    assert fact(card, "Dagdeel") == "overdag"
    assert reverse("enrolment:enrol", args=[dronten.pk]) in card


def test_the_card_enrols_in_the_soonest_offering_or_joins_its_waiting_list(client, places):
    open_course = CourseFactory(title="CNC-draaien basis")
    soonest = schedule(open_course, places["emmeloord"], days_ahead=20, hour=9)
    schedule(open_course, places["emmeloord"], days_ahead=50, hour=9)
    full_course = CourseFactory(title="TIG-lassen RVS")
    full = schedule(
        full_course, places["emmeloord"], days_ahead=20, hour=9, capacity=2, confirmed_count=2
    )
    unplanned = CourseFactory(title="Melkrobot onderhoud")

    content = course_list(client)

    open_card = card_of(content, open_course.title)
    enrol = reverse("enrolment:enrol", args=[soonest.pk])
    assert (
        f'href="{enrol}">Inschrijven<span class="visually-hidden"> – CNC-draaien basis' in open_card
    )
    full_card = card_of(content, full_course.title)
    waitlist = reverse("enrolment:enrol", args=[full.pk])
    assert f'href="{waitlist}">Op de wachtlijst<span class="visually-hidden"> – TIG' in full_card
    unplanned_card = card_of(content, unplanned.title)
    assert "course-card__action" not in unplanned_card
    assert "Waar" not in unplanned_card
    assert fact(unplanned_card, "Eerstvolgende uitvoering") == "nog niet gepland"


def test_the_card_speaks_english_in_english(client, places):
    course = CourseFactory(title="Hydrauliek", title_en="Hydraulics")
    schedule(course, places["online"], days_ahead=10, hour=19)

    with translation.override("en"):
        url = reverse("catalogue:course_list")
    card = card_of(client.get(url).content.decode(), "Hydraulics")

    assert fact(card, "Where") == "Online"
    assert fact(card, "Time of day") == "in the evening"
    assert ">Enrol<" in card


def option_tags(content: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', content, re.S).group()
    return {
        re.sub(r"\s+", " ", text).strip(): attributes
        for attributes, text in re.findall(r"<option([^>]*)>(.*?)</option>", select, re.S)
    }


def test_filter_options_that_would_leave_nothing_are_disabled_with_their_zero(client, places):
    course = CourseFactory(title="Lassen in Emmeloord")
    schedule(course, places["emmeloord"], days_ahead=20, hour=9, capacity=2, confirmed_count=2)
    refresh_search_vectors()

    content = course_list(client)
    options = option_tags(content, "plaats")
    assert "disabled" not in options["Emmeloord (1)"]
    assert "disabled" in options["Dronten (0)"]
    assert "disabled" not in options["Alle"]
    free_seats = re.search(r'<input[^>]*id="id_vrij"[^>]*>', content).group()
    assert "disabled" in free_seats
    assert "Alleen met vrije plaatsen (0)" in content


def test_a_chosen_option_stays_enabled_even_when_it_leaves_nothing(client, places):
    CourseFactory(title="Lassen in Emmeloord")
    schedule(
        CourseFactory(title="Lassen"),
        places["emmeloord"],
        days_ahead=20,
        hour=9,
        capacity=1,
        confirmed_count=1,
    )
    refresh_search_vectors()

    content = course_list(client, plaats="dronten", vrij="1")

    assert "disabled" not in option_tags(content, "plaats")["Dronten (0)"]
    free_seats = re.search(r'<input[^>]*id="id_vrij"[^>]*>', content).group()
    assert "checked" in free_seats
    assert "disabled" not in free_seats


def test_a_skip_link_leads_to_the_results(client, places):
    content = course_list(client)

    assert re.search(
        r'<a class="skip-link[^"]*" href="#results">Direct naar de resultaten</a>', content
    )
    assert re.search(r'<div[^>]*id="results"[^>]*tabindex="-1"', content)


def test_the_filters_fold_under_one_heading_that_counts_the_ones_in_use(client, places):
    content = course_list(client, plaats="emmeloord", vrij="1", q="lassen")

    summary = re.search(
        r'<details class="filter-panel catalogue-filters"[^>]*>\s*<summary[^>]*>(.*?)</summary>',
        content,
        re.S,
    ).group(1)
    assert re.sub(r"<[^>]+>", "", summary).split() == ["Filters", "2", "gekozen"]
