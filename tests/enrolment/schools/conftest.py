"""A confirmed school visit with everything its files show."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from enrolment.models import SchoolRequest, SchoolVisit
from tests.factories import (
    CompanyFactory,
    LocationFactory,
    SchoolActivityFactory,
    SchoolFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
    UserFactory,
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def confirmed_visit(
    *, days: int = 21, teacher=None, activity=None, **request_fields
) -> SchoolVisit:
    """A confirmed visit ``days`` from today, 9:00–12:00, for two vmbo 3 groups of 24."""
    day = timezone.localdate() + timedelta(days=days)
    school_request = SchoolRequestFactory(
        activity=activity or SchoolActivityFactory(),
        teacher=teacher or UserFactory(),
        preferred_dates=[day],
        status=SchoolRequest.Status.CONFIRMED,
        **request_fields,
    )
    starts_at = timezone.make_aware(datetime.combine(day, time(9, 0)))
    return SchoolVisitFactory(
        request=school_request,
        date=day,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        location=school_request.activity.locations.first(),
        status=SchoolVisit.Status.CONFIRMED,
    )


@pytest.fixture
def drone_activity(db):
    """The drone day at the Agri Innovatiecenter, hosted by a company, in both languages."""
    location = LocationFactory(
        name="Agri Innovatiecenter",
        name_en="Agri Innovation Centre",
        street="Marknessenweg 12",
        postal_code="8305 AB",
        city="Emmeloord",
        parking="Parkeren achter het gebouw; de bus stopt op het plein.",
        parking_en="Park behind the building; the bus stops on the square.",
    )
    return SchoolActivityFactory(
        title="Drone-scan van een perceel",
        title_en="Drone scan of a field",
        slug="drone-scan",
        host=CompanyFactory(name="Agrifirm Drones"),
        what_to_bring="Stevige schoenen en een lunchpakket",
        what_to_bring_en="Sturdy shoes and a packed lunch",
        safety_rules="Veiligheidsschoenen aan\nVeiligheidsbril op bij de werkbank",
        safety_rules_en="Wear safety shoes\nWear safety goggles at the workbench",
        locations=[location],
    )


@pytest.fixture
def visit(drone_activity):
    return confirmed_visit(
        activity=drone_activity,
        teacher=UserFactory(first_name="Marieke", last_name="de Boer"),
        school=SchoolFactory(name="Zuyderzee College", brin="12AB"),
        contact_phone="06-12345678",
    )
