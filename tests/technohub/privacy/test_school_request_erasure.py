"""Erasing a teacher: their school requests stay for the funder's counts, without their notes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrolment.models import SchoolRequest
from enrolment.schools import requests
from technohub.privacy.erasure import erase_person
from tests.factories import SchoolActivityFactory, UserFactory


def monday_in_three_weeks():
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 + 14)


@pytest.mark.django_db
def test_an_erased_teachers_requests_keep_their_counts_without_phone_or_notes():
    teacher = UserFactory(first_name="Marieke", last_name="Zwart", email_verified_at=timezone.now())
    school_request = requests.submit(
        teacher=teacher,
        activity=SchoolActivityFactory(),
        school_name="Zuyderzee College",
        brin="12AB",
        groups=[("vmbo", 3, 24, "3B"), ("vmbo", 4, 20, "")],
        supervisors=6,
        transport="bus",
        accessibility="Marieke Zwart brengt een rolstoel mee.",
        contact_phone="0612345678",
        question="Bel Marieke Zwart even.",
        preferred_dates=[monday_in_three_weeks()],
    )
    requests.cancel_by_teacher(
        school_request=school_request, teacher=teacher, reason="Marieke Zwart is ziek."
    )

    erase_person(user=teacher, actor=None)

    kept = SchoolRequest.objects.get(pk=school_request.pk)
    assert (kept.contact_phone, kept.accessibility, kept.question, kept.cancel_reason) == (
        "",
        "",
        "",
        "",
    )
    assert kept.supervisors == 6
    assert sorted(kept.groups.values_list("level", "year", "pupils")) == [
        ("vmbo", 3, 24),
        ("vmbo", 4, 20),
    ]
    assert kept.school.name == "Zuyderzee College"
    teacher.refresh_from_db()
    assert "Marieke" not in teacher.get_full_name()
