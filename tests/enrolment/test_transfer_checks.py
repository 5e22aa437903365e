"""HR's question three months after a run: "wordt het geleerde toegepast?"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import Membership
from enrolment import tasks
from enrolment.models import Enrolment, Notification, TransferCheck
from enrolment.transfer import selectors, services
from technohub.models import AuditLog
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.races import race

DAYS = 90


def ended_run(*, days_ago: float, course=None):
    """A completed run whose last meeting ended ``days_ago`` days ago (two meetings)."""
    offering = OfferingFactory(status="completed", **({"course": course} if course else {}))
    last_end = timezone.now() - timedelta(days=days_ago)
    MeetingFactory(
        offering=offering,
        starts_at=last_end - timedelta(days=7, hours=7),
        ends_at=last_end - timedelta(days=7),
    )
    MeetingFactory(offering=offering, starts_at=last_end - timedelta(hours=7), ends_at=last_end)
    return offering


@pytest.fixture
def company(db):
    company = CompanyFactory(name="Kampstaal", slug="kampstaal")
    company.hr = MembershipFactory(company=company, role=Membership.Role.HR).user
    return company


def participant(company, offering, *, status="completed", **user):
    learner = MembershipFactory(company=company, user=UserFactory(**user)).user
    return EnrolmentFactory(offering=offering, learner=learner, company=company, status=status)


def mails(template="transfer_checks"):
    return list(Notification.objects.filter(template=template).order_by("pk"))


# --- The daily task ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_task_asks_once_for_completed_enrolments_whose_run_ended_90_days_ago(company):
    run = ended_run(days_ago=DAYS + 0.01)
    first = participant(company, run, first_name="Anne", last_name="Bakker")
    second = participant(company, run, first_name="Bram", last_name="Dijk")
    assert tasks.ask_transfer_checks() == 2
    assert set(TransferCheck.objects.values_list("enrolment_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    (sent,) = mails()
    assert sent.to_email == company.hr.email
    assert [line["name"] for line in sent.context["participants"]] == [
        "Anne Bakker",
        "Bram Dijk",
    ]
    assert sent.context["checks_url"].endswith(
        reverse("portal:transfer_checks", args=[company.slug])
    )
    # A second run the same day, or the next: nothing new to ask, no mail.
    assert tasks.ask_transfer_checks() == 0
    assert services.ask_transfer_checks(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mails()) == 1
    assert TransferCheck.objects.count() == 2


@pytest.mark.django_db
def test_task_waits_until_the_day_and_leaves_runs_from_long_ago_alone(company):
    not_yet = participant(company, ended_run(days_ago=DAYS - 0.01))
    long_ago = participant(company, ended_run(days_ago=DAYS + services.ASK_WINDOW_DAYS + 0.01))
    late = participant(company, ended_run(days_ago=DAYS + services.ASK_WINDOW_DAYS - 0.01))
    assert services.ask_transfer_checks(now=timezone.now()) == 1
    assert list(TransferCheck.objects.values_list("enrolment_id", flat=True)) == [late.pk]
    # A day later the first is due.
    assert services.ask_transfer_checks(now=timezone.now() + timedelta(days=1)) == 1
    assert TransferCheck.objects.filter(enrolment=not_yet).exists()
    assert not TransferCheck.objects.filter(enrolment=long_ago).exists()


@pytest.mark.django_db
def test_task_asks_only_about_completed_enrolments_paid_by_a_company(company):
    run = ended_run(days_ago=DAYS + 1)
    done = participant(company, run)
    for status in ("no_show", "not_completed", "cancelled"):
        participant(company, run, status=status)
    EnrolmentFactory(offering=run, status="completed", company=None)
    assert services.ask_transfer_checks(now=timezone.now()) == 1
    assert list(TransferCheck.objects.values_list("enrolment_id", flat=True)) == [done.pk]


@pytest.mark.django_db
def test_task_mails_only_each_companys_own_hr_in_their_language(company):
    run = ended_run(days_ago=DAYS + 1)
    participant(company, run, first_name="Anne", last_name="Bakker")
    second_hr = MembershipFactory(
        company=company, role=Membership.Role.HR, user=UserFactory(preferred_language="en")
    ).user
    MembershipFactory(company=company, role=Membership.Role.HR, user=UserFactory(is_active=False))
    other = CompanyFactory(name="Suplacon")
    other_hr = MembershipFactory(company=other, role=Membership.Role.HR).user
    participant(other, run, first_name="Cor", last_name="Smit")
    services.ask_transfer_checks(now=timezone.now())
    by_address = {mail.to_email: mail for mail in mails()}
    assert set(by_address) == {company.hr.email, second_hr.email, other_hr.email}
    assert [p["name"] for p in by_address[other_hr.email].context["participants"]] == ["Cor Smit"]
    assert [p["name"] for p in by_address[company.hr.email].context["participants"]] == [
        "Anne Bakker"
    ]
    english = by_address[second_hr.email]
    assert english.language == "en"
    assert "/en/" in english.context["checks_url"]
    assert AuditLog.objects.filter(action="transfer_checks.asked").count() == 2


@pytest.mark.django_db
def test_one_mail_per_company_and_hr_member_a_day(company):
    now = timezone.now()
    participant(company, ended_run(days_ago=DAYS + 1))
    services.ask_transfer_checks(now=now)
    # Later the same day (the same moment: a clock near midnight would start a new day) another
    # participant of the company is due: asked, but no second mail.
    participant(company, ended_run(days_ago=DAYS + 0.5))
    assert services.ask_transfer_checks(now=now) == 1
    assert len(mails()) == 1
    assert TransferCheck.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_task_at_once_ask_and_mail_once(company):
    run = ended_run(days_ago=DAYS + 1)
    for _ in range(3):
        participant(company, run)
    now = timezone.now()
    results = race([lambda: services.ask_transfer_checks(now=now) for _ in range(3)])
    assert all(isinstance(result, int) for result in results), results
    assert sorted(results) == [0, 0, 3]
    assert TransferCheck.objects.count() == 3
    assert len(mails()) == 1


def test_the_task_is_scheduled_daily(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["ask-transfer-checks"]
    assert schedule["task"] == "enrolment.tasks.ask_transfer_checks"
    assert settings.TRANSFER_CHECK_AFTER_DAYS == 90


# --- HR answers on the portal -----------------------------------------------------------------


@pytest.fixture
def asked(company):
    run = ended_run(days_ago=DAYS + 1)
    enrolments = [
        participant(company, run, first_name="Anne", last_name="Bakker"),
        participant(company, run, first_name="Bram", last_name="Dijk"),
    ]
    services.ask_transfer_checks(now=timezone.now())
    return [enrolment.transfer_check for enrolment in enrolments]


@pytest.mark.django_db
def test_hr_answers_together_and_can_change_an_answer_later(client, company, asked):
    first, second = asked
    url = reverse("portal:transfer_checks", args=[company.slug])
    client.force_login(company.hr)
    page = client.get(url).content.decode()
    assert "Anne Bakker" in page and "Bram Dijk" in page
    response = client.post(url, {f"answer_{first.pk}": "yes", f"answer_{second.pk}": "partly"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answer, first.answered_by, second.answer) == ("yes", company.hr, "partly")
    assert first.answered_at is not None
    assert AuditLog.objects.filter(action="transfer_check.answered").count() == 2
    # Changed later: only the changed one is saved again and audited.
    client.post(url, {f"answer_{first.pk}": "no", f"answer_{second.pk}": "partly"})
    first.refresh_from_db()
    assert first.answer == "no"
    assert AuditLog.objects.filter(action="transfer_check.answered").count() == 3


@pytest.mark.django_db
def test_open_questions_come_first_and_the_dashboard_counts_them(client, company, asked):
    first, second = asked
    services.answer_transfer_checks(company=company, hr_user=company.hr, answers={first.pk: "yes"})
    assert [check.pk for check in selectors.list_transfer_checks(company=company)] == [
        second.pk,
        first.pk,
    ]
    assert selectors.count_open_transfer_checks(company=company) == 1
    client.force_login(company.hr)
    dashboard = client.get(reverse("portal:dashboard", args=[company.slug])).content.decode()
    assert reverse("portal:transfer_checks", args=[company.slug]) in dashboard
    assert 'id="figure-transfer-link"' in dashboard


@pytest.mark.django_db
def test_a_bad_answer_or_another_companys_question_saves_nothing(client, company, asked):
    first, _second = asked
    url = reverse("portal:transfer_checks", args=[company.slug])
    client.force_login(company.hr)
    response = client.post(url, {f"answer_{first.pk}": "misschien"})
    assert response.status_code == 200
    assert response.context["form"].errors
    other = CompanyFactory()
    other_hr = MembershipFactory(company=other, role=Membership.Role.HR).user
    with pytest.raises(services.TransferAnswerRefused):
        services.answer_transfer_checks(company=other, hr_user=other_hr, answers={first.pk: "no"})
    client.force_login(other_hr)
    assert client.get(url).status_code == 404
    other_url = reverse("portal:transfer_checks", args=[other.slug])
    client.post(other_url, {f"answer_{first.pk}": "no"})
    first.refresh_from_db()
    assert first.answer == ""
    assert not AuditLog.objects.filter(action="transfer_check.answered").exists()


@pytest.mark.django_db
def test_transfer_page_in_english_in_few_queries(client, company, asked):
    company.hr.preferred_language = "en"
    company.hr.save()
    for _ in range(5):
        participant(company, asked[0].enrolment.offering)
    services.ask_transfer_checks(now=timezone.now())
    client.force_login(company.hr)
    with translation.override("en"):
        url = reverse("portal:transfer_checks", args=[company.slug])
    content = client.get(url).content.decode()
    assert "Is what was learned being applied?" in content
    assert "Partly" in content or "partly" in content
    few = page_queries(client, url)
    for _ in range(5):
        participant(company, ended_run(days_ago=DAYS + 2))
    services.ask_transfer_checks(now=timezone.now())
    assert page_queries(client, url) == few


# --- The hub's results, counts only -----------------------------------------------------------


@pytest.mark.django_db
def test_results_per_course_are_counts_without_names(client, company, asked):
    first, _second = asked
    services.answer_transfer_checks(company=company, hr_user=company.hr, answers={first.pk: "yes"})
    course = first.enrolment.offering.course
    summary = selectors.transfer_summary([course.pk])
    assert summary[course.pk].count("yes") == 1
    assert summary[course.pk].open == 1
    assert summary[course.pk].answered == 1
    assert selectors.transfer_summary([CourseFactory().pk]) == {}
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get(reverse("backoffice:transfer_results")).content.decode()
    assert course.title in page
    assert "Anne" not in page and "Bakker" not in page and "Dijk" not in page


@pytest.mark.django_db
def test_transfer_check_enrolment_status_counts_only_completed(company):
    # An enrolment completed but not yet 90 days on: no question, the dashboard counts none.
    participant(company, ended_run(days_ago=10))
    services.ask_transfer_checks(now=timezone.now())
    assert selectors.count_open_transfer_checks(company=company) == 0
    assert Enrolment.objects.filter(status="completed").count() == 1
