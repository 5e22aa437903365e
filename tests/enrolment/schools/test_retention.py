"""The teacher's data on a school request goes after its period; the counts stay."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from enrolment.models import SchoolEvaluation, SchoolGroup, SchoolRequest
from technohub import tasks
from technohub.privacy import retention
from tests.factories import SchoolRequestFactory, SchoolVisitFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 6, 1, 12, tzinfo=UTC)


def old_request(*, visit_day: date, status: str = "done", **fields) -> SchoolRequest:
    school_request = SchoolRequestFactory(
        preferred_dates=[visit_day],
        status=status,
        contact_phone="06-12345678",
        accessibility="Rolstoelroute nodig",
        question="Kan de bus bij de deur stoppen?",
        **fields,
    )
    SchoolRequest.objects.filter(pk=school_request.pk).update(
        created_at=timezone.make_aware(datetime(visit_day.year, 1, 1)) - timedelta(days=40)
    )
    starts_at = timezone.make_aware(datetime(visit_day.year, visit_day.month, visit_day.day, 9))
    SchoolVisitFactory(
        request=school_request,
        date=visit_day,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        status="confirmed",
    )
    SchoolEvaluation.objects.create(
        request=school_request,
        engagement=4,
        fit=5,
        improvement="Meer tijd",
        answered_on=visit_day,
    )
    return school_request


def test_teacher_data_goes_after_two_years_and_the_counts_stay():
    old = old_request(visit_day=date(2029, 5, 20))
    recent = old_request(visit_day=date(2029, 6, 10))

    assert retention.purge_school_requests(now=NOW) == 1
    assert retention.purge_school_requests(now=NOW) == 0

    old.refresh_from_db()
    assert old.teacher is None
    assert (old.contact_phone, old.accessibility, old.question, old.cancel_reason) == ("",) * 4
    assert old.evaluation.improvement == ""
    assert (old.evaluation.engagement, old.evaluation.fit) == (4, 5)
    assert SchoolGroup.objects.filter(request=old).count() == 2
    assert old.visits.get().pupils == 48
    recent.refresh_from_db()
    assert recent.teacher is not None
    assert recent.contact_phone == "06-12345678"
    assert recent.evaluation.improvement == "Meer tijd"


def test_a_cancelled_request_counts_from_its_cancellation():
    cancelled = old_request(
        visit_day=date(2029, 3, 1),
        status="cancelled",
        cancelled_at=datetime(2029, 2, 1, tzinfo=UTC),
        cancelled_by="teacher",
        cancel_reason="Griep",
    )
    SchoolRequest.objects.filter(pk=cancelled.pk).update(
        cancelled_at=datetime(2029, 7, 1, tzinfo=UTC)
    )

    assert retention.purge_school_requests(now=NOW) == 0
    assert retention.purge_school_requests(now=NOW + timedelta(days=31)) == 1
    cancelled.refresh_from_db()
    assert cancelled.cancel_reason == ""


def test_a_request_still_confirmed_is_left_alone():
    old_request(visit_day=date(2028, 5, 20), status="confirmed")

    assert retention.purge_school_requests(now=NOW) == 0


def test_the_nightly_task_runs_it():
    old_request(visit_day=timezone.localdate() - timedelta(days=3 * 366))
    assert tasks.purge_school_requests() == 1
    assert tasks.purge_school_requests() == 0
