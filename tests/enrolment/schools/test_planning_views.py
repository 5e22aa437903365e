"""The coordinator's planning pages: the month calendar, a request's page, allocate and cancel."""

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from catalogue.models import SchoolActivity
from enrolment.models import Notification, SchoolRequest, SchoolVisit
from enrolment.schools import planning
from tests.factories import (
    LocationFactory,
    SchoolActivityFactory,
    SchoolRequestFactory,
    UserFactory,
)
from tests.queries import page_queries

from .test_planning import a_weekday


@pytest.fixture
def coordinator(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coördinator techniekpromotie"))
    return user


@pytest.fixture
def hub(db):
    return LocationFactory(name="Agri Innovatiecenter")


def test_the_coordinator_group_opens_the_planning_pages_and_sees_the_menu_entry(
    client, coordinator
):
    client.force_login(coordinator)
    school_request = SchoolRequestFactory()
    for url in (
        reverse("backoffice:school_planning"),
        reverse("backoffice:school_request", args=[school_request.pk]),
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("backoffice:school_planning")).content.decode()
    assert f'href="{reverse("backoffice:school_planning")}"' in html
    assert ">Scholen<" in html


def test_a_learner_without_the_permission_gets_403_and_no_menu_entry(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("backoffice:school_planning")).status_code == 403
    assert f'href="{reverse("backoffice:school_planning")}"' not in client.get("/").content.decode()


def test_the_calendar_shows_visits_places_closed_days_the_mobile_route_and_open_requests(
    client, coordinator, hub
):
    day = a_weekday(weekday=1)
    activity = SchoolActivityFactory(
        title="Kampstaal: bouw een brugdeel", locations=[hub], places_per_day=2, weekdays=[1, 2]
    )
    mobile = SchoolActivityFactory(
        title="Mobiele hub: sensoren", kind=SchoolActivity.Kind.MOBILE_HUB
    )
    planned = SchoolRequestFactory(activity=activity, preferred_dates=[day])
    planning.allocate(
        school_request=planned, day=day, start_time=time(9), location=hub, planner=coordinator
    )
    on_route = SchoolRequestFactory(activity=mobile, preferred_dates=[day])
    planning.allocate(
        school_request=on_route, day=day, start_time=time(9), location=None, planner=coordinator
    )
    waiting = SchoolRequestFactory(
        activity=activity,
        preferred_dates=[],
        window_from=day,
        window_to=day + timedelta(days=14),
        blackout_dates=[day + timedelta(days=7)],
        transport="bus",
    )
    client.force_login(coordinator)
    url = reverse("backoffice:school_planning") + f"?maand={day:%Y-%m}"

    html = client.get(url).content.decode()

    assert "Kampstaal: bouw een brugdeel" in html
    assert "1 van 2 bezet · 48 leerlingen" in html
    assert "geen ontvangst" in html  # Mondays and Thursdays at Kampstaal
    assert planned.school.name in html and on_route.school.name in html
    assert "vrij" in html  # the mobile hub's other days
    assert reverse("backoffice:school_request", args=[waiting.pk]) in html
    assert "bus nodig" in html
    assert reverse("backoffice:school_request", args=[planned.pk]) in html


def test_the_calendar_reads_a_fixed_number_of_queries(client, coordinator, hub):
    client.force_login(coordinator)
    day = a_weekday()
    url = reverse("backoffice:school_planning") + f"?maand={day:%Y-%m}"

    def add_some():
        activity = SchoolActivityFactory(locations=[hub], places_per_day=3)
        for _ in range(2):
            school_request = SchoolRequestFactory(activity=activity, preferred_dates=[day])
            planning.allocate(
                school_request=school_request,
                day=day,
                start_time=time(9),
                location=hub,
                planner=coordinator,
            )
        SchoolRequestFactory(activity=activity, preferred_dates=[day])

    add_some()
    few = page_queries(client, url)
    add_some()
    add_some()
    assert page_queries(client, url) == few


def test_the_request_page_reads_a_fixed_number_of_queries(client, coordinator, hub):
    client.force_login(coordinator)
    day = a_weekday()
    activity = SchoolActivityFactory(locations=[hub, LocationFactory()], host_contact=UserFactory())
    school_request = SchoolRequestFactory(activity=activity, preferred_dates=[day])
    url = reverse("backoffice:school_request", args=[school_request.pk])
    few = page_queries(client, url)
    visit = planning.allocate(
        school_request=school_request,
        day=day,
        start_time=time(9),
        location=hub,
        planner=coordinator,
    )
    SchoolVisit.objects.filter(pk=visit.pk).update(status="declined", host_decline_reason="Dicht.")
    SchoolRequest.objects.filter(pk=school_request.pk).update(status="requested")
    assert page_queries(client, url) == few


@pytest.mark.parametrize("month", ["", "2027-13", "kaas", "2027-03-01", "-1-1"])
def test_an_invalid_month_shows_this_month(client, coordinator, month):
    client.force_login(coordinator)
    response = client.get(reverse("backoffice:school_planning"), {"maand": month})
    assert response.status_code == 200
    assert response.context["calendar"].first_day == timezone.localdate().replace(day=1)


def test_the_request_page_shows_the_request_and_suggests_wanted_days_with_free_places(
    client, coordinator, hub
):
    monday, tuesday = a_weekday(weekday=0), a_weekday(weekday=1)
    activity = SchoolActivityFactory(locations=[hub], pupils_per_supervisor=8)
    SchoolRequestFactory(activity=activity, preferred_dates=[monday])
    planning.allocate(
        school_request=SchoolRequest.objects.get(activity=activity),
        day=monday,
        start_time=time(9),
        location=hub,
        planner=coordinator,
    )
    school_request = SchoolRequestFactory(
        activity=activity,
        preferred_dates=[monday, tuesday],
        supervisors=5,
        contact_phone="06 12345678",
        question="Kan het ook met een bus?",
    )
    client.force_login(coordinator)
    response = client.get(reverse("backoffice:school_request", args=[school_request.pk]))
    html = response.content.decode()
    assert school_request.school.brin in html and "06 12345678" in html
    assert "5 (nodig: 6)" in html and "te weinig" in html
    assert "Kan het ook met een bus?" in html
    suggestions = response.context["suggestions"]
    assert [s.day for s in suggestions] == [tuesday]  # Monday is full
    assert response.context["allocate_form"].initial["day"] == tuesday
    assert f'value="{tuesday.isoformat()}"' in html  # as a date input reads it
    assert ">Inplannen</button>" in html


def test_allocate_from_the_page_plans_the_visit(client, coordinator, hub):
    day = a_weekday()
    school_request = SchoolRequestFactory(
        activity=SchoolActivityFactory(locations=[hub]), preferred_dates=[day]
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("backoffice:school_allocate", args=[school_request.pk]),
        {"day": day.isoformat(), "start_time": "09:00", "location": hub.pk},
    )
    assert response.status_code == 302
    school_request.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.CONFIRMED
    assert Notification.objects.filter(template="school_visit_confirmed").count() == 1


def test_a_refused_allocation_shows_the_rule_at_the_field_and_changes_nothing(
    client, coordinator, hub
):
    day = a_weekday()
    activity = SchoolActivityFactory(locations=[hub], weekdays=[2])
    school_request = SchoolRequestFactory(activity=activity, preferred_dates=[day])
    client.force_login(coordinator)
    response = client.post(
        reverse("backoffice:school_allocate", args=[school_request.pk]),
        {"day": day.isoformat(), "start_time": "09:00", "location": hub.pk},
    )
    assert response.status_code == 400
    assert response.context["allocate_form"].errors["day"] == [
        "Het gastbedrijf ontvangt op deze dag van de week geen groepen."
    ]
    assert not SchoolVisit.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"day": "gisteren", "start_time": "9"}, {"day": "2027-02-30", "start_time": "25:00"}],
)
def test_allocate_with_bad_input_is_a_400_with_errors(client, coordinator, hub, data):
    school_request = SchoolRequestFactory(activity=SchoolActivityFactory(locations=[hub]))
    client.force_login(coordinator)
    response = client.post(reverse("backoffice:school_allocate", args=[school_request.pk]), data)
    assert response.status_code == 400
    assert response.context["allocate_form"].errors
    assert not SchoolVisit.objects.exists()


def test_allocate_and_cancel_are_post_only_and_404_for_an_unknown_request(client, coordinator):
    client.force_login(coordinator)
    school_request = SchoolRequestFactory()
    assert (
        client.get(reverse("backoffice:school_allocate", args=[school_request.pk])).status_code
        == 405
    )
    assert (
        client.get(reverse("backoffice:school_cancel", args=[school_request.pk])).status_code == 405
    )
    assert client.post(reverse("backoffice:school_allocate", args=[999999])).status_code == 404
    assert client.get(reverse("backoffice:school_request", args=[999999])).status_code == 404


def test_cancel_needs_a_reason_and_a_ticked_confirmation(client, coordinator):
    school_request = SchoolRequestFactory()
    client.force_login(coordinator)
    url = reverse("backoffice:school_cancel", args=[school_request.pk])
    response = client.post(url, {"reason": "Geen plek dit jaar."})
    assert response.status_code == 400
    assert "confirm" in response.context["cancel_form"].errors
    response = client.post(url, {"reason": "", "confirm": "on"})
    assert response.status_code == 400
    school_request.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.REQUESTED

    assert client.post(url, {"reason": "Geen plek dit jaar.", "confirm": "on"}).status_code == 302
    school_request.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.CANCELLED
    assert school_request.cancel_reason == "Geen plek dit jaar."
