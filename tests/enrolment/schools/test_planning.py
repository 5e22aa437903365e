"""Allocating a slot to a school request, and the hub cancelling one: each rule, and the races."""

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from catalogue.models import SchoolActivity
from enrolment.models import Notification, SchoolRequest, SchoolVisit
from enrolment.schools import planning
from technohub.models import AuditLog
from tests.factories import (
    LocationFactory,
    SchoolActivityFactory,
    SchoolFactory,
    SchoolRequestFactory,
    UserFactory,
)
from tests.races import race


def a_weekday(weeks_ahead: int = 3, weekday: int = 0):
    """A day of the week (0 = Monday) at least ``weeks_ahead`` weeks from today."""
    today = timezone.localdate()
    start = today + timedelta(weeks=weeks_ahead)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@pytest.fixture
def planner(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Coördinator techniekpromotie")[0])
    return user


@pytest.fixture
def hub(db):
    return LocationFactory(name="Agri Innovatiecenter", street="Kamperweg 5", city="Dronten")


def request_for(activity, day, **fields):
    return SchoolRequestFactory(activity=activity, preferred_dates=[day], **fields)


def test_allocate_without_a_host_contact_confirms_at_once_and_mails_the_teacher(planner, hub):
    day = a_weekday()
    activity = SchoolActivityFactory(locations=[hub], start_time=time(9, 30))
    school_request = request_for(activity, day)

    visit = planning.allocate(
        school_request=school_request,
        day=day,
        start_time=time(9, 30),
        location=hub,
        planner=planner,
    )

    visit.refresh_from_db()
    school_request.refresh_from_db()
    assert visit.status == SchoolVisit.Status.CONFIRMED
    assert school_request.status == SchoolRequest.Status.CONFIRMED
    assert visit.pupils == 48 and visit.location == hub and visit.planned_by == planner
    assert timezone.localtime(visit.starts_at).time() == time(9, 30)
    assert visit.ends_at - visit.starts_at == timedelta(minutes=activity.duration_minutes)
    mail = Notification.objects.get(template="school_visit_confirmed")
    assert mail.recipient == school_request.teacher
    assert mail.context == {"school_visit_id": visit.pk}
    assert set(AuditLog.objects.values_list("action", flat=True)) == {
        "school_visit.allocated",
        "school_visit.confirmed",
    }


def test_allocate_with_a_host_contact_mails_the_host_a_link_and_keeps_only_its_hash(planner, hub):
    day = a_weekday()
    host = UserFactory(preferred_language="en")
    activity = SchoolActivityFactory(locations=[hub], host_contact=host)
    school_request = request_for(activity, day)

    visit = planning.allocate(
        school_request=school_request, day=day, start_time=time(9), location=hub, planner=planner
    )

    visit.refresh_from_db()
    school_request.refresh_from_db()
    assert visit.status == SchoolVisit.Status.PLANNED
    assert school_request.status == SchoolRequest.Status.PLANNED
    mail = Notification.objects.get(template="school_host_request")
    assert mail.recipient == host and mail.language == "en"
    token = mail.context["answer_url"].rstrip("/").rsplit("/", 1)[-1]
    assert "/en/" in mail.context["answer_url"]
    assert visit.host_token_hash == planning.host_token_hash(token)
    assert token not in visit.host_token_hash
    expected = timezone.now() + timedelta(days=7)
    assert abs((visit.host_link_expires_at - expected).total_seconds()) < 60
    assert not Notification.objects.filter(template="school_visit_confirmed").exists()


def test_the_host_link_never_outlives_the_visit(planner, hub):
    day = timezone.localdate() + timedelta(days=2)
    activity = SchoolActivityFactory(
        locations=[hub], host_contact=UserFactory(), weekdays=[0, 1, 2, 3, 4, 5, 6]
    )
    visit = planning.allocate(
        school_request=request_for(activity, day),
        day=day,
        start_time=time(9),
        location=hub,
        planner=planner,
    )
    assert visit.host_link_expires_at == visit.starts_at


@pytest.mark.parametrize(
    "case, message",
    [
        ("not_requested", "niet meer open"),
        ("past", "al voorbij"),
        ("not_wanted", "niet om deze dag gevraagd"),
        ("blackout", "niet om deze dag gevraagd"),
        ("host_closed", "ontvangt op deze dag"),
        ("too_many_pupils", "de activiteit kan er 40 aan"),
        ("wrong_location", "plaatsen waar deze activiteit kan"),
        ("no_location", "plaatsen waar deze activiteit kan"),
        ("full", "Deze dag is vol"),
    ],
)
def test_allocate_refuses_each_rule_with_its_reason_and_changes_nothing(
    planner, hub, case, message
):
    day = a_weekday()  # a Monday
    activity = SchoolActivityFactory(locations=[hub], max_pupils=60)
    fields = {}
    location = hub
    if case == "past":
        day = timezone.localdate() - timedelta(days=1)
    if case == "blackout":
        fields = {"window_from": day, "window_to": day + timedelta(days=4), "blackout_dates": [day]}
    if case == "host_closed":
        activity.weekdays = [2, 3]
        activity.save()
    if case == "too_many_pupils":
        activity.max_pupils = 40
        activity.save()
    if case == "wrong_location":
        location = LocationFactory()
    if case == "no_location":
        location = None
    school_request = request_for(activity, day, **fields)
    if case == "not_requested":
        SchoolRequest.objects.filter(pk=school_request.pk).update(status="planned")
    if case == "full":
        planning.allocate(
            school_request=request_for(activity, day),
            day=day,
            start_time=time(9),
            location=hub,
            planner=planner,
        )
    asked = a_weekday(weeks_ahead=5) if case == "not_wanted" else day

    with pytest.raises(planning.PlanningRefused, match=message):
        planning.allocate(
            school_request=school_request,
            day=asked,
            start_time=time(9),
            location=location,
            planner=planner,
            today=timezone.localdate(),
        )

    assert not SchoolVisit.objects.filter(request=school_request).exists()


def test_the_coordinator_may_plan_outside_the_wanted_dates_when_agreed(planner, hub):
    activity = SchoolActivityFactory(locations=[hub])
    school_request = request_for(activity, a_weekday())
    other_day = a_weekday(weeks_ahead=5)
    visit = planning.allocate(
        school_request=school_request,
        day=other_day,
        start_time=time(9),
        location=hub,
        planner=planner,
        outside_wanted_dates=True,
    )
    assert visit.date == other_day


def test_an_activity_at_school_takes_no_location(planner, hub):
    day = a_weekday()
    activity = SchoolActivityFactory(kind=SchoolActivity.Kind.GUEST_LESSON)
    with pytest.raises(planning.PlanningRefused, match="kies geen plaats"):
        planning.allocate(
            school_request=request_for(activity, day),
            day=day,
            start_time=time(9),
            location=hub,
            planner=planner,
        )
    visit = planning.allocate(
        school_request=request_for(activity, day),
        day=day,
        start_time=time(9),
        location=None,
        planner=planner,
    )
    assert visit.location is None


def test_the_mobile_hub_is_at_one_school_a_day_across_its_activities(planner):
    day = a_weekday()
    first = SchoolActivityFactory(kind=SchoolActivity.Kind.MOBILE_HUB, places_per_day=2)
    second = SchoolActivityFactory(kind=SchoolActivity.Kind.MOBILE_HUB)
    school = SchoolFactory()
    planning.allocate(
        school_request=request_for(first, day, school=school),
        day=day,
        start_time=time(9),
        location=None,
        planner=planner,
    )
    # The same school again that day (a second group in the afternoon) is fine.
    planning.allocate(
        school_request=request_for(first, day, school=school),
        day=day,
        start_time=time(13),
        location=None,
        planner=planner,
    )
    with pytest.raises(planning.PlanningRefused, match=f"al bij {school.name}"):
        planning.allocate(
            school_request=request_for(second, day),
            day=day,
            start_time=time(9),
            location=None,
            planner=planner,
        )


def test_a_request_for_the_mobile_hub_as_transport_also_needs_it_free(planner, hub):
    day = a_weekday()
    mobile = SchoolActivityFactory(kind=SchoolActivity.Kind.MOBILE_HUB)
    at_hub = SchoolActivityFactory(locations=[hub])
    planning.allocate(
        school_request=request_for(mobile, day),
        day=day,
        start_time=time(9),
        location=None,
        planner=planner,
    )
    with pytest.raises(planning.PlanningRefused, match="mobiele hub"):
        planning.allocate(
            school_request=request_for(at_hub, day, transport="mobile_hub"),
            day=day,
            start_time=time(9),
            location=hub,
            planner=planner,
        )


def test_cancel_by_hub_cancels_the_live_visit_and_mails_teacher_and_host(planner, hub):
    day = a_weekday()
    host = UserFactory()
    activity = SchoolActivityFactory(locations=[hub], host_contact=host)
    school_request = request_for(activity, day)
    visit = planning.allocate(
        school_request=school_request, day=day, start_time=time(9), location=hub, planner=planner
    )

    planning.cancel_by_hub(
        school_request=school_request, reason="  Hal onder water. ", actor=planner
    )

    school_request.refresh_from_db()
    visit.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.CANCELLED
    assert school_request.cancelled_by == SchoolRequest.Party.HUB
    assert school_request.cancel_reason == "Hal onder water."
    assert school_request.cancelled_at is not None
    assert visit.status == SchoolVisit.Status.CANCELLED and visit.cancelled_at is not None
    recipients = set(
        Notification.objects.filter(template="school_visit_cancelled").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {school_request.teacher.pk, host.pk}
    assert AuditLog.objects.filter(action="school_request.cancelled").exists()


def test_cancel_by_hub_without_a_visit_mails_only_the_teacher(planner):
    school_request = SchoolRequestFactory(
        activity=SchoolActivityFactory(host_contact=UserFactory())
    )
    planning.cancel_by_hub(school_request=school_request, reason="Geen plek.", actor=planner)
    mail = Notification.objects.get(template="school_visit_cancelled")
    assert mail.recipient == school_request.teacher
    assert mail.context == {"school_request_id": school_request.pk}


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancel_by_hub_needs_a_reason(planner, reason):
    school_request = SchoolRequestFactory()
    with pytest.raises(planning.PlanningRefused, match="Geef een reden"):
        planning.cancel_by_hub(school_request=school_request, reason=reason, actor=planner)
    school_request.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.REQUESTED


def test_cancel_by_hub_refuses_a_request_cancelled_before(planner):
    school_request = SchoolRequestFactory()
    planning.cancel_by_hub(school_request=school_request, reason="Eerste keer.", actor=planner)
    with pytest.raises(planning.PlanningRefused, match="al geannuleerd"):
        planning.cancel_by_hub(school_request=school_request, reason="Nog eens.", actor=planner)


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_allocating_the_last_place_of_a_day_at_once_get_one_visit():
    day = a_weekday()
    hub = LocationFactory()
    planner = UserFactory(is_staff=True)
    activity = SchoolActivityFactory(locations=[hub], places_per_day=2)
    # One place is taken already; three requests race for the last one.
    planning.allocate(
        school_request=request_for(activity, day),
        day=day,
        start_time=time(9),
        location=hub,
        planner=planner,
    )
    requests = [request_for(activity, day) for _ in range(3)]

    results = race(
        [
            lambda r=r: planning.allocate(
                school_request=r, day=day, start_time=time(13), location=hub, planner=planner
            )
            for r in requests
        ]
    )

    visits = [result for result in results if isinstance(result, SchoolVisit)]
    refusals = [result for result in results if isinstance(result, planning.PlanningRefused)]
    assert len(visits) == 1, results
    assert len(refusals) == 2 and all("vol" in str(refusal) for refusal in refusals)
    live = SchoolVisit.objects.filter(
        activity=activity, date=day, status__in=["planned", "confirmed"]
    )
    assert live.count() == 2
    assert SchoolRequest.objects.filter(status="requested").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_mobile_hub_allocated_to_two_schools_on_one_day_at_once_goes_to_one():
    day = a_weekday()
    planner = UserFactory(is_staff=True)
    # Two different mobile-hub activities: only the mobile hub itself is shared.
    first = SchoolActivityFactory(kind=SchoolActivity.Kind.MOBILE_HUB)
    second = SchoolActivityFactory(kind=SchoolActivity.Kind.MOBILE_HUB)
    requests = [request_for(first, day), request_for(second, day)]

    results = race(
        [
            lambda r=r: planning.allocate(
                school_request=r, day=day, start_time=time(9), location=None, planner=planner
            )
            for r in requests
        ]
    )

    visits = [result for result in results if isinstance(result, SchoolVisit)]
    refusals = [result for result in results if isinstance(result, planning.PlanningRefused)]
    assert len(visits) == 1, results
    assert len(refusals) == 1 and "mobiele hub" in str(refusals[0])
    assert SchoolVisit.objects.filter(date=day).count() == 1
