"""Qualifications granted with a certificate, and those HR enters from elsewhere."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from enrolment import outbox, services
from enrolment.models import Enrolment, HeldQualification
from enrolment.qualifications import services as qualification_services
from enrolment.services import certificates as certificate_services
from technohub.models import AuditLog
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    OfferingFactory,
    QualificationFactory,
    UserFactory,
)
from tests.races import race

from .helpers import hold, make_company, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(certificate_services, "schedule_pdf", lambda pk: True)
    monkeypatch.setattr(outbox, "publish", lambda pk: True)


def completed(course, *, last_meeting: datetime, learner=None) -> Enrolment:
    offering = OfferingFactory(course=course, status="completed")
    MeetingFactory(
        offering=offering,
        starts_at=last_meeting - timedelta(days=7, hours=7),
        ends_at=last_meeting - timedelta(days=7),
    )
    MeetingFactory(
        offering=offering, starts_at=last_meeting - timedelta(hours=7), ends_at=last_meeting
    )
    return EnrolmentFactory(
        offering=offering, learner=learner or UserFactory(), status=Enrolment.Status.COMPLETED
    )


# --- Granted with a certificate -------------------------------------------------------------


def test_certificate_grants_the_courses_qualification_from_the_last_meeting_for_its_validity():
    vca = QualificationFactory(name="VCA", validity_months=120)
    # The last meeting ends late in the evening of 31 March (local): that is the day it counts.
    last = timezone.make_aware(datetime(2026, 3, 31, 22, 30))
    enrolment = completed(CourseFactory(qualification=vca), last_meeting=last)

    certificate = services.issue_certificate(enrolment_id=enrolment.pk)

    held = HeldQualification.objects.get()
    assert (held.person, held.qualification, held.enrolment) == (enrolment.learner, vca, enrolment)
    assert held.obtained_on == date(2026, 3, 31)
    assert held.expires_on == date(2036, 3, 31)
    assert held.issuer == ""
    granted = AuditLog.objects.get(action="qualification.granted")
    assert granted.data["certificate"] == certificate.number


def test_issuing_again_grants_once_and_a_course_without_qualification_grants_nothing():
    vca = QualificationFactory(validity_months=None)
    enrolment = completed(CourseFactory(qualification=vca), last_meeting=timezone.now())
    plain = completed(CourseFactory(), last_meeting=timezone.now())

    services.issue_certificate(enrolment_id=enrolment.pk)
    services.issue_certificate(enrolment_id=enrolment.pk)
    services.issue_certificate(enrolment_id=plain.pk)

    [held] = HeldQualification.objects.all()
    assert held.enrolment == enrolment
    assert held.expires_on is None  # never expires


def test_issuing_again_grants_a_qualification_the_course_got_since():
    course = CourseFactory()
    enrolment = completed(course, last_meeting=timezone.now())
    services.issue_certificate(enrolment_id=enrolment.pk)
    assert not HeldQualification.objects.exists()

    course.qualification = QualificationFactory()
    course.save()
    services.issue_certificate(enrolment_id=enrolment.pk)

    assert HeldQualification.objects.get().enrolment == enrolment


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_grant_the_qualification_once():
    enrolment = completed(
        CourseFactory(qualification=QualificationFactory()), last_meeting=timezone.now()
    )

    results = race([lambda: services.issue_certificate(enrolment_id=enrolment.pk)] * 2)

    assert not [result for result in results if isinstance(result, Exception)]
    assert HeldQualification.objects.count() == 1


# --- Entered by HR --------------------------------------------------------------------------


@pytest.fixture
def company():
    return make_company()


def enter(company, person, qualification, **fields):
    values = {
        "obtained_on": date(2025, 6, 1),
        "issuer": "SSVV",
        "document_reference": "VCA-123",
        "today": date(2026, 1, 10),
    }
    values.update(fields)
    return qualification_services.enter_qualification(
        company=company, hr_user=company.hr, person=person, qualification=qualification, **values
    )


def test_hr_enters_a_qualification_with_the_default_expiry_and_an_audit_row(company):
    person = member(company).user
    vca = QualificationFactory(validity_months=120)

    held = enter(company, person, vca)

    assert held.expires_on == date(2035, 6, 1)
    assert (held.issuer, held.document_reference, held.entered_by) == (
        "SSVV",
        "VCA-123",
        company.hr,
    )
    assert held.enrolment is None
    assert AuditLog.objects.get(action="qualification.entered").actor == company.hr


def test_hr_may_give_an_expiry_of_their_own(company):
    held = enter(company, member(company).user, QualificationFactory(), expires_on=date(2027, 1, 1))
    assert held.expires_on == date(2027, 1, 1)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"obtained_on": date(2026, 1, 11)}, "obtained_on"),  # tomorrow
        ({"expires_on": date(2025, 6, 1)}, "expires_on"),  # the same day it was obtained
        ({"issuer": "   "}, "issuer"),
    ],
)
def test_hr_entry_is_refused_with_the_field(company, fields, field):
    with pytest.raises(qualification_services.QualificationRefused) as refused:
        enter(company, member(company).user, QualificationFactory(), **fields)
    assert refused.value.field == field
    assert not HeldQualification.objects.exists()


def test_hr_cannot_enter_a_qualification_for_someone_of_another_company(company):
    stranger = member(make_company("Suplacon", "suplacon")).user
    with pytest.raises(qualification_services.QualificationRefused) as refused:
        enter(company, stranger, QualificationFactory())
    assert refused.value.field == "person"


def test_hr_corrects_an_entry_and_a_new_expiry_clears_the_alarms_sent(company):
    held = enter(company, member(company).user, QualificationFactory(validity_months=12))
    held.alarms_sent = [90]
    held.save()

    changed = qualification_services.change_qualification(
        company=company,
        hr_user=company.hr,
        pk=held.pk,
        obtained_on=date(2025, 7, 1),
        expires_on=None,
        issuer="Examenbureau",
        document_reference="",
        today=date(2026, 1, 10),
    )

    assert (changed.obtained_on, changed.expires_on) == (date(2025, 7, 1), date(2026, 7, 1))
    assert changed.alarms_sent == []
    assert changed.issuer == "Examenbureau"
    assert AuditLog.objects.filter(action="qualification.changed").count() == 1


def test_hr_removes_an_entry_but_not_what_was_earned_at_the_hub(company):
    person = member(company).user
    held = enter(company, person, QualificationFactory())
    earned = completed(
        CourseFactory(qualification=QualificationFactory()),
        last_meeting=timezone.now(),
        learner=person,
    )
    services.issue_certificate(enrolment_id=earned.pk)
    from_hub = HeldQualification.objects.get(enrolment=earned)

    qualification_services.remove_qualification(company=company, hr_user=company.hr, pk=held.pk)

    assert not HeldQualification.objects.filter(pk=held.pk).exists()
    assert AuditLog.objects.filter(action="qualification.removed").count() == 1
    with pytest.raises(qualification_services.QualificationRefused):
        qualification_services.remove_qualification(
            company=company, hr_user=company.hr, pk=from_hub.pk
        )
    assert HeldQualification.objects.filter(pk=from_hub.pk).exists()


def test_hr_of_another_company_cannot_change_an_entry(company):
    held = hold(member(company).user, QualificationFactory(), expires_on=date(2030, 1, 1))
    other = make_company("Suplacon", "suplacon")
    with pytest.raises(qualification_services.QualificationRefused):
        qualification_services.remove_qualification(company=other, hr_user=other.hr, pk=held.pk)


# --- The admin -------------------------------------------------------------------------------


def test_qualification_list_counts_courses_granting_it_and_people_holding_it(admin_client):
    vca = QualificationFactory(name="VCA")
    CourseFactory(qualification=vca)
    CourseFactory(qualification=vca)
    person = UserFactory()
    hold(person, vca, expires_on=date(2020, 1, 1), obtained_on=date(2010, 1, 1))
    hold(person, vca, expires_on=date(2030, 1, 1), obtained_on=date(2020, 1, 1))
    hold(UserFactory(), vca, expires_on=None)

    response = admin_client.get("/beheer/catalogue/qualification/")

    [row] = response.context["cl"].result_list
    assert (row.granting_courses, row.holders) == (2, 2)


def test_programme_manager_sees_held_qualifications_but_cannot_change_them(client):
    manager = UserFactory(is_staff=True)
    manager.groups.add(Group.objects.get(name="Programmamanager"))
    client.force_login(manager)
    held = hold(UserFactory(), QualificationFactory(), expires_on=None)

    assert client.get("/beheer/enrolment/heldqualification/").status_code == 200
    change = client.get(f"/beheer/enrolment/heldqualification/{held.pk}/change/")
    assert change.status_code == 200
    assert not change.context["has_change_permission"]
    assert client.get("/beheer/enrolment/heldqualification/add/").status_code == 403
    assert client.get("/beheer/catalogue/qualification/add/").status_code == 200
