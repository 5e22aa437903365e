"""What people type into the search box finds the right demo courses first, in both languages.

Each row: the query, the courses that must come first (in any order among themselves), and the
chips the query's filter words must give (in Dutch). The demo catalogue is seeded once for the
module and rolled back after it.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from catalogue.models import Course
from catalogue.selectors import CatalogueFilters, search_catalogue

MIG_MAG = "mig-mag-lassen"
TIG = "tig-lassen-rvs"
ROBOT_WELDING = "robotlassen"
DRAWINGS = "tekeninglezen"
TURNING = "cnc-draaien"
MILLING = "cnc-frezen"
PLC = "plc-programmeren-tia-portal"
COBOT = "cobot-programmeren"
PRINTING = "3d-printen"
TROUBLESHOOTING = "storingzoeken-onderhoud"
B_VCA = "b-vca"
VOL_VCA = "vol-vca"
NEN_3140 = "nen-3140"
HYDRAULICS = "hydrauliek"
EXCEL = "excel-werkvloer"
CYBER = "cyberveilig-werken"
COMMUNICATION = "communiceren-leidinggevende"
GPS = "gps-rtk-automatisch-sturen"
TASK_MAPS = "taakkaarten-precisielandbouw"
DRONES = "drones-a1-a3-gewasmonitoring"
ISOBUS = "isobus"
MILKING_ROBOT = "melkrobot-onderhoud"
REPAIR_WELDING = "reparatielassen-landbouw"
SENSORS = "sensordata-akkerbouw"
GREENHOUSE = "klimaatcomputer-kas"
TRACTORS = "onderhoud-trekkers-werktuigen"

# (query, courses that must come first, chips)
QUERIES = [
    # Titles and codes with / - . and digits, whole and in parts
    ("MIG/MAG-lassen", [MIG_MAG], []),
    ("MIG/MAG", [MIG_MAG], []),
    ("mig mag", [MIG_MAG], []),
    ("mig-mag", [MIG_MAG], []),
    ("migmag", [MIG_MAG], []),
    ("mig/mag lassen", [MIG_MAG], []),
    ("MIG/MAG welding", [MIG_MAG], []),
    ("TIG", [TIG], []),
    ("TIG-lassen RVS", [TIG], []),
    ("tig rvs", [TIG], []),
    ("TIG welding stainless steel", [TIG], []),
    ("A1/A3", [DRONES], []),
    ("a1 a3", [DRONES], []),
    ("a1a3", [DRONES], []),
    ("S7-1200", [PLC], []),
    ("s7 1200", [PLC], []),
    ("s71200", [PLC], []),
    ("NEN 3140", [NEN_3140], []),
    ("NEN3140", [NEN_3140], []),
    ("nen-3140", [NEN_3140], []),
    ("VOP", [NEN_3140], []),
    ("VCA", [B_VCA, VOL_VCA], []),
    ("B-VCA", [B_VCA], []),
    ("VOL-VCA", [VOL_VCA], []),
    ("vol vca", [VOL_VCA], []),
    ("GPS/RTK", [GPS], []),
    ("gps rtk", [GPS], []),
    ("ISOBUS", [ISOBUS], []),
    ("iso-bus", [ISOBUS], []),
    ("3D-printen", [PRINTING], []),
    ("3d printing", [PRINTING], []),
    ("CNC-draaien", [TURNING], []),
    ("cnc draaien", [TURNING], []),
    ("CNC turning", [TURNING], []),
    ("CNC milling", [MILLING], []),
    ("CNC", [TURNING, MILLING], []),
    ("TIA Portal", [PLC], []),
    ("tia-portal", [PLC], []),
    ("cobot", [COBOT], []),
    ("lasrobot", [ROBOT_WELDING], []),
    # Themes, Dutch and English, and their synonyms
    ("lassen", [MIG_MAG, TIG], []),
    ("welding", [MIG_MAG, TIG, ROBOT_WELDING, REPAIR_WELDING], []),
    ("weld", [MIG_MAG, TIG, ROBOT_WELDING, REPAIR_WELDING], []),
    ("hydrauliek", [HYDRAULICS], []),
    ("hydraulics", [HYDRAULICS], []),
    ("hydraulic", [HYDRAULICS], []),
    ("drones", [DRONES], []),
    ("drone", [DRONES], []),
    ("plc", [PLC], []),
    ("automation", [PLC], []),
    ("electrical", [NEN_3140], []),
    ("elektrotechniek", [NEN_3140], []),
    ("safety", [B_VCA, VOL_VCA], []),
    ("veiligheid", [B_VCA, VOL_VCA], []),
    ("maintenance", [TROUBLESHOOTING, MILKING_ROBOT], []),
    ("spreadsheet", [EXCEL], []),
    ("phishing", [CYBER], []),
    ("milking robot", [MILKING_ROBOT], []),
    ("tractor", [TRACTORS], []),
    ("trekkers", [TRACTORS], []),
    ("greenhouse", [GREENHOUSE], []),
    ("kas", [GREENHOUSE], []),
    ("precision farming", [TASK_MAPS], []),
    ("task maps", [TASK_MAPS], []),
    ("technical drawing", [DRAWINGS], []),
    ("tekening lezen", [DRAWINGS], []),
    ("leadership", [COMMUNICATION], []),
    ("troubleshooting", [TROUBLESHOOTING], []),
    ("storingzoeken", [TROUBLESHOOTING], []),
    ("sensors", [SENSORS, GREENHOUSE], []),
    # Words naming a place, sector, level, format or day part act as that filter
    ("lassen emmeloord", [MIG_MAG, TIG], ["Emmeloord"]),
    ("lassen in Emmeloord", [MIG_MAG, TIG], ["Emmeloord"]),
    ("welding Emmeloord", [MIG_MAG, TIG, ROBOT_WELDING], ["Emmeloord"]),
    ("hydrauliek dronten", [HYDRAULICS], ["Dronten"]),
    ("drones landbouw", [DRONES], ["agro"]),
    ("drones agriculture", [DRONES], ["agro"]),
    ("lassen landbouw", [REPAIR_WELDING], ["agro"]),
    ("welding agriculture", [REPAIR_WELDING], ["agro"]),
    ("veiligheid online", [CYBER], ["online"]),
    ("safety online", [CYBER], ["online"]),
    ("lassen mobiele hub", [REPAIR_WELDING], ["mobiele hub"]),
    ("welding mobile hub", [REPAIR_WELDING], ["mobiele hub"]),
    ("plc avond", [PLC], ["'s avonds"]),
    ("plc evening", [PLC], ["'s avonds"]),
    ("lassen gevorderd", [TIG], ["gevorderd"]),
    ("welding advanced", [TIG], ["gevorderd"]),
    ("basis lassen", [MIG_MAG], ["basis"]),
    # A title word is searched for, not read as a filter ("Basic safety VCA")
    ("basic safety", [B_VCA], []),
]


@pytest.fixture(scope="module")
def demo_catalogue(django_db_setup, django_db_blocker) -> dict[int, str]:
    """The demo hub, seeded once for this module; returns the courses' slugs by id."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # As Django's TestCase marks its class-wide transaction: the alarms the seed sends
        # afterwards open durable transactions of their own, allowed inside a test's.
        outer._from_testcase = True
        outer.__enter__()
        call_command("seed_demo", stdout=StringIO())
        slugs = dict(Course.objects.values_list("pk", "slug"))
    yield slugs
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_the_table_holds_at_least_sixty_queries():
    assert len({query for query, _first, _chips in QUERIES}) >= 60


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("query", "first", "chips"), QUERIES, ids=[row[0] for row in QUERIES])
def test_query_finds_its_courses_first(demo_catalogue, language, query, first, chips):
    with translation.override(language):
        result = search_catalogue(filters=CatalogueFilters(q=query), themes=[])
    found = [demo_catalogue[pk] for pk in result.course_ids]
    assert set(found[: len(first)]) == set(first), found
    assert result.suggestion is None
    labels = [chip.label for chip in result.chips]
    if language == "nl":
        assert labels == chips
    else:
        with translation.override("en"):
            assert labels == [gettext(label) for label in chips]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "suggestion", "nearest"),
    [
        ("lassn", "lassen", MIG_MAG),
        ("hydrauliak", "hydrauliek", HYDRAULICS),
        ("weldng", "welding", MIG_MAG),
        ("melkrobbot", "melkrobot", MILKING_ROBOT),
        ("welding in Dronten", "welding", MIG_MAG),
    ],
)
def test_a_query_that_finds_nothing_suggests_a_word_and_shows_the_nearest_courses(
    demo_catalogue, query, suggestion, nearest
):
    result = search_catalogue(filters=CatalogueFilters(q=query), themes=[])
    assert result.course_ids == []
    assert result.suggestion == suggestion
    assert demo_catalogue[result.closest[0].id] == nearest


@pytest.mark.django_db
def test_gibberish_still_gets_a_suggestion_and_nearest_courses(demo_catalogue):
    result = search_catalogue(filters=CatalogueFilters(q="xyzzy qwrtp"), themes=[])
    assert result.course_ids == []
    assert result.suggestion == result.closest[0].title
    assert len(result.closest) == 5
