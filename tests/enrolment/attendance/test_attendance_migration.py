"""The move from a present/absent boolean to states with hours keeps every saved mark."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from enrolment.models import Attendance
from tests.factories import EnrolmentFactory, MeetingFactory, OfferingFactory

BEFORE = [("enrolment", "0007_request_motivation")]
AFTER = [("enrolment", "0008_attendance_states")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_present_marks_become_present_for_the_whole_meeting_and_absent_ones_absent():
    offering = OfferingFactory()
    start = timezone.now() - timedelta(days=2)
    meeting = MeetingFactory(
        offering=offering, starts_at=start, ends_at=start + timedelta(hours=3, minutes=30)
    )
    anna, bert = EnrolmentFactory(offering=offering), EnrolmentFactory(offering=offering)
    try:
        old = migrate(BEFORE).get_model("enrolment", "Attendance")
        old.objects.create(enrolment_id=anna.pk, meeting_id=meeting.pk, present=True)
        old.objects.create(enrolment_id=bert.pk, meeting_id=meeting.pk, present=False)
    finally:
        migrate(AFTER)
        # Every app back at its latest migration: going back to BEFORE also unapplied the
        # migrations of other apps that depend on enrolment's, and later tests need them.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    marks = {
        pk: (state, hours)
        for pk, state, hours in Attendance.objects.values_list("enrolment_id", "state", "hours")
    }
    assert marks == {
        anna.pk: ("present", Decimal("3.50")),
        bert.pk: ("absent", Decimal("0.00")),
    }
