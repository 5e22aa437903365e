"""Mails before a qualification expires: 90 and 30 days ahead, once each, to the holder and
their HR, with the next runs that renew it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from enrolment import outbox, tasks
from enrolment.models import Enrolment, HeldQualification, Notification
from enrolment.qualifications import alarms
from tests.factories import CourseFactory, EnrolmentFactory, QualificationFactory, UserFactory
from tests.races import race

from .helpers import hold, make_company, member, upcoming_run

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "publish", lambda pk: True)


@pytest.fixture
def company():
    return make_company()


@pytest.fixture
def vca():
    return QualificationFactory(name="VCA", name_en="VCA (safety)")


def mails(template):
    return list(Notification.objects.filter(template=template).order_by("pk"))


@pytest.mark.parametrize(
    "days_left, sent, due",
    [
        (91, [], []),
        (90, [], [90]),
        (31, [90], []),
        (30, [90], [30]),
        (20, [], [90, 30]),  # first seen late: both are due, one mail goes
        (0, [90, 30], []),
        (-1, [], []),  # expired: too late to warn
    ],
)
def test_due_values(days_left, sent, due):
    expires_on = date(2027, 6, 1)
    today = expires_on - timedelta(days=days_left)
    assert alarms.due_values(expires_on=expires_on, today=today, sent=sent) == due


def test_holder_and_hr_are_mailed_at_90_and_30_days_once_each(company, vca):
    anna = member(company, first_name="Anna", preferred_language="en").user
    held = hold(anna, vca, expires_on=TODAY + timedelta(days=90))

    assert alarms.send_expiry_alarms(today=TODAY - timedelta(days=1)) == 0
    assert alarms.send_expiry_alarms(today=TODAY) == 2
    assert alarms.send_expiry_alarms(today=TODAY) == 0
    assert alarms.send_expiry_alarms(today=TODAY + timedelta(days=59)) == 0
    assert alarms.send_expiry_alarms(today=TODAY + timedelta(days=60)) == 2
    assert alarms.send_expiry_alarms(today=TODAY + timedelta(days=61)) == 0

    held.refresh_from_db()
    assert held.alarms_sent == [30, 90]
    holder = mails("qualification_expiring")
    assert [mail.recipient for mail in holder] == [anna, anna]
    assert holder[0].language == "en"
    assert holder[0].context["qualification"] == "VCA (safety)"
    hr = mails("qualifications_expiring")
    assert [mail.recipient for mail in hr] == [company.hr, company.hr]
    assert hr[0].context["people"][0]["name"] == str(anna)


def test_first_seen_within_30_days_gets_one_mail_not_two(company, vca):
    held = hold(member(company).user, vca, expires_on=TODAY + timedelta(days=20))
    assert alarms.send_expiry_alarms(today=TODAY) == 2  # holder + HR
    held.refresh_from_db()
    assert held.alarms_sent == [30, 90]
    assert alarms.send_expiry_alarms(today=TODAY + timedelta(days=1)) == 0


def test_hr_gets_one_mail_per_company_listing_everyone_due(company, vca):
    for name in ("Anna", "Bart", "Cees"):
        hold(member(company, first_name=name).user, vca, expires_on=TODAY + timedelta(days=85))
    second_hr = member(company, first_name="Henk")
    second_hr.role = "hr"
    second_hr.save()

    alarms.send_expiry_alarms(today=TODAY)

    hr = mails("qualifications_expiring")
    assert sorted(mail.recipient.first_name for mail in hr) == ["Hanna", "Henk"]
    assert [line["name"].split()[0] for line in hr[0].context["people"]] == [
        "Anna",
        "Bart",
        "Cees",
    ]
    assert len(mails("qualification_expiring")) == 3


def test_only_the_latest_row_counts(company, vca):
    person = member(company).user
    hold(person, vca, expires_on=TODAY + timedelta(days=30), obtained_on=TODAY - timedelta(3000))
    hold(person, vca, expires_on=TODAY + timedelta(days=3650), obtained_on=TODAY)
    assert alarms.send_expiry_alarms(today=TODAY) == 0


def test_mails_list_public_runs_and_the_companys_closed_runs_of_the_refresher(company, vca):
    refresher = CourseFactory(title="VCA herhaling")
    vca.refresher_courses.add(refresher)
    CourseFactory(title="VCA basis", qualification=vca)  # granting; not listed with a refresher
    upcoming_run(refresher, days=40)
    closed_for_us = upcoming_run(refresher, days=20)
    closed_for_us.private_for.add(company)
    closed_for_others = upcoming_run(refresher, days=10)
    closed_for_others.private_for.add(make_company("Suplacon", "suplacon"))
    hold(member(company).user, vca, expires_on=TODAY + timedelta(days=60))

    alarms.send_expiry_alarms(today=TODAY)

    [holder] = mails("qualification_expiring")
    assert [run["course"] for run in holder.context["runs"]] == ["VCA herhaling"] * 2
    [hr] = mails("qualifications_expiring")
    [renewal] = hr.context["renewals"]
    assert len(renewal["runs"]) == 2
    assert f"/{company.slug}/" in renewal["runs"][0]["url"]  # HR enrols the team


def test_without_refresher_courses_the_granting_courses_are_listed(company, vca):
    upcoming_run(CourseFactory(title="VCA basis", qualification=vca))
    hold(member(company).user, vca, expires_on=TODAY + timedelta(days=60))
    alarms.send_expiry_alarms(today=TODAY)
    [holder] = mails("qualification_expiring")
    assert [run["course"] for run in holder.context["runs"]] == ["VCA basis"]


def test_someone_enrolled_in_an_upcoming_renewal_is_not_mailed_until_they_cancel(company, vca):
    refresher = CourseFactory()
    vca.refresher_courses.add(refresher)
    person = member(company).user
    held = hold(person, vca, expires_on=TODAY + timedelta(days=60))
    enrolment = EnrolmentFactory(offering=upcoming_run(refresher), learner=person)

    assert alarms.send_expiry_alarms(today=TODAY) == 0
    assert HeldQualification.objects.get(pk=held.pk).alarms_sent == []

    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save()
    assert alarms.send_expiry_alarms(today=TODAY) == 2


def test_inactive_and_erased_accounts_get_nothing_and_hr_hears_nothing_of_them(company, vca):
    gone = member(company, is_active=False).user
    erased = member(company, erased_at=timezone.now()).user
    hold(gone, vca, expires_on=TODAY + timedelta(days=30))
    hold(erased, vca, expires_on=TODAY + timedelta(days=30))
    assert alarms.send_expiry_alarms(today=TODAY) == 0
    assert not Notification.objects.exists()


def test_someone_on_no_roster_is_still_mailed(vca):
    hold(UserFactory(), vca, expires_on=TODAY + timedelta(days=30))
    assert alarms.send_expiry_alarms(today=TODAY) == 1


def test_the_daily_task_sends_them():
    hold(UserFactory(), QualificationFactory(), expires_on=TODAY + timedelta(days=30))
    assert tasks.send_qualification_alarms() == 1
    assert tasks.send_qualification_alarms() == 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_mail_once():
    company = make_company()
    hold(member(company).user, QualificationFactory(), expires_on=TODAY + timedelta(days=30))

    results = race([lambda: alarms.send_expiry_alarms(today=TODAY)] * 2)

    assert sorted(results) == [0, 2]
    assert Notification.objects.count() == 2
