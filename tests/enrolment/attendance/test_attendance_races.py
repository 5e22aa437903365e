"""Taking the last meeting's attendance the morning after while the run is completed at the
same moment: completion counts the save whole or not at all, and a save after it is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrolment import services
from enrolment.models import Attendance, Enrolment
from enrolment.services import AttendanceRefused
from tests.factories import CourseFactory, EnrolmentFactory, MeetingFactory, OfferingFactory
from tests.races import race


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_attendance_and_completion_at_once_agree(attempt):
    offering = OfferingFactory(
        course=CourseFactory(attendance_threshold=100), capacity=10, min_participants=1
    )
    start = timezone.now() - timedelta(hours=15)
    meeting = MeetingFactory(offering=offering, starts_at=start, ends_at=start + timedelta(hours=3))
    people = [EnrolmentFactory(offering=offering) for _ in range(4)]
    ids = [e.pk for e in people]

    saved, completed = race(
        [
            lambda: services.record_attendance(
                meeting_id=meeting.pk, present_enrolment_ids=ids, actor=None
            ),
            lambda: services.complete_offering(offering_id=offering.pk),
        ]
    )

    assert not isinstance(completed, Exception), completed
    statuses = set(Enrolment.objects.filter(pk__in=ids).values_list("status", flat=True))
    if isinstance(saved, AttendanceRefused):
        # Completion came first: nobody was recorded, so everyone is a no-show.
        assert not Attendance.objects.exists()
        assert statuses == {"no_show"}
    else:
        assert saved == 4, saved
        assert Attendance.objects.filter(state="present").count() == 4
        assert statuses == {"completed"}
