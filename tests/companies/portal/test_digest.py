"""HR's daily digest: one mail per HR member of each company with enrolment news, none for
quiet companies, never another company's news, never twice a day."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from companies import tasks
from companies.models import Membership
from companies.portal import digest
from enrolment import outbox, services
from enrolment.models import Notification
from technohub.models import AuditLog
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_offering():
    """A factory for open offerings of one seat (by default) a month ahead."""

    def make(*, capacity: int = 1, title: str = "TIG-lassen RVS", title_en: str = ""):
        offering = OfferingFactory(
            course=CourseFactory(title=title, title_en=title_en),
            capacity=capacity,
            min_participants=1,
        )
        MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=30))
        return offering

    return make


def employee(company, first_name: str, last_name: str):
    return MembershipFactory(
        company=company, user=UserFactory(first_name=first_name, last_name=last_name)
    ).user


def hr_of(company, *, email: str, language: str = "nl", first_name: str = "Hanna"):
    user = UserFactory(email=email, preferred_language=language, first_name=first_name)
    MembershipFactory(company=company, user=user, role=Membership.Role.HR)
    return user


def digests() -> list[Notification]:
    return list(Notification.objects.filter(template="hr_digest").order_by("to_email"))


def queue(**offset) -> int:
    """Run the digest a moment from now (or ``offset`` later), past every event written."""
    return digest.queue_hr_digests(now=timezone.now() + timedelta(seconds=1, **offset))


def test_news_of_the_day_mails_each_hr_member_of_that_company_only(new_offering):
    kampstaal = CompanyFactory(name="Kampstaal")
    quiet = CompanyFactory(name="Stille Polder BV")
    hr_of(kampstaal, email="hr1@kampstaal.nl")
    hr_of(kampstaal, email="hr2@kampstaal.nl")
    hr_of(quiet, email="hr@stille-polder.nl")
    offering = new_offering(capacity=1)
    fenna = employee(kampstaal, "Fenna", "Bakker")
    piet = employee(kampstaal, "Piet", "Jansen")
    MembershipFactory(company=quiet)  # a member who did nothing
    first = services.enrol_learner(learner=fenna, offering_id=offering.pk)
    services.enrol_learner(learner=piet, offering_id=offering.pk)  # full: waiting list
    services.cancel_enrolment(enrolment_id=first.pk, actor=fenna)  # Piet moves up

    assert queue() == 2

    sent = digests()
    assert [n.to_email for n in sent] == ["hr1@kampstaal.nl", "hr2@kampstaal.nl"]
    events = sent[0].context["events"]
    assert [(e["learner"], e["action"]) for e in events] == [
        ("Fenna Bakker", "enrolment.confirmed"),
        ("Piet Jansen", "enrolment.waitlisted"),
        ("Fenna Bakker", "enrolment.cancelled"),
        ("Piet Jansen", "enrolment.promoted"),
    ]
    assert {e["course"] for e in events} == {"TIG-lassen RVS"}
    assert sent[0].context["company"] == "Kampstaal"
    assert sent[0].context["portal_url"].startswith(settings.SITE_URL + "/bedrijf/")


def test_requests_and_rejections_are_in_the_digest(new_offering):
    company = CompanyFactory(requires_approval=True)
    hr = hr_of(company, email="hr@suplacon.nl")
    fenna = employee(company, "Fenna", "Bakker")
    request = services.enrol_learner(learner=fenna, offering_id=new_offering().pk)
    services.reject_request(enrolment_id=request.pk, hr_user=hr, reason="Geen budget")

    assert queue() == 1

    (notification,) = digests()
    assert [e["action"] for e in notification.context["events"]] == [
        "enrolment.requested",
        "enrolment.rejected",
    ]


def test_a_company_with_nothing_new_gets_no_mail(new_offering):
    company = CompanyFactory()
    hr_of(company, email="hr@stil.nl")
    MembershipFactory(company=company)
    learner_without_company = UserFactory()
    services.enrol_learner(learner=learner_without_company, offering_id=new_offering().pk)

    assert queue() == 0
    assert digests() == []


def test_another_companys_news_never_appears_in_a_digest(new_offering):
    kampstaal, suplacon = CompanyFactory(name="Kampstaal"), CompanyFactory(name="Suplacon")
    hr_of(kampstaal, email="hr@kampstaal.nl")
    hr_of(suplacon, email="hr@suplacon.nl")
    offering = new_offering(capacity=5)
    services.enrol_learner(learner=employee(kampstaal, "Fenna", "Bakker"), offering_id=offering.pk)
    services.enrol_learner(learner=employee(suplacon, "Sanne", "Visser"), offering_id=offering.pk)

    assert queue() == 2

    kampstaal_mail, suplacon_mail = digests()
    assert [e["learner"] for e in kampstaal_mail.context["events"]] == ["Fenna Bakker"]
    assert [e["learner"] for e in suplacon_mail.context["events"]] == ["Sanne Visser"]
    assert kampstaal_mail.context["company"] == "Kampstaal"


def test_a_second_run_the_same_day_queues_nothing(new_offering):
    company = CompanyFactory()
    hr_of(company, email="hr@kampstaal.nl")
    services.enrol_learner(
        learner=employee(company, "Fenna", "Bakker"), offering_id=new_offering().pk
    )

    assert queue() == 1
    assert queue(minutes=5) == 0
    assert len(digests()) == 1


def test_events_older_than_24_hours_are_ignored(new_offering):
    company = CompanyFactory()
    hr_of(company, email="hr@kampstaal.nl")
    services.enrol_learner(
        learner=employee(company, "Fenna", "Bakker"), offering_id=new_offering().pk
    )
    AuditLog.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))

    assert queue() == 0
    assert digests() == []


def test_events_from_now_on_belong_to_the_next_digest(new_offering):
    company = CompanyFactory()
    hr_of(company, email="hr@kampstaal.nl")
    services.enrol_learner(
        learner=employee(company, "Fenna", "Bakker"), offering_id=new_offering().pk
    )
    written_at = AuditLog.objects.get().created_at

    assert digest.queue_hr_digests(now=written_at) == 0


def test_reads_take_the_same_number_of_queries_for_one_company_or_many(new_offering):
    offering = new_offering(capacity=20)

    def news_for(n: int) -> int:
        for i in range(n):
            company = CompanyFactory()
            hr_of(company, email=f"hr{i}-{n}@example.nl")
            services.enrol_learner(
                learner=employee(company, "Fenna", f"Bakker {i}"), offering_id=offering.pk
            )
        with CaptureQueriesContext(connection) as queries:
            assert queue() == n
        Notification.objects.filter(template="hr_digest").delete()
        AuditLog.objects.all().delete()
        return sum(q["sql"].startswith("SELECT") for q in queries.captured_queries)

    assert news_for(1) == news_for(4)


def test_the_task_queues_the_digests_and_beat_runs_it_every_morning(new_offering):
    company = CompanyFactory()
    hr_of(company, email="hr@kampstaal.nl")
    services.enrol_learner(
        learner=employee(company, "Fenna", "Bakker"), offering_id=new_offering().pk
    )

    assert tasks.send_hr_digests() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["hr-digests"]
    assert entry["task"] == tasks.send_hr_digests.name
    assert entry["schedule"].hour == {7}
    assert entry["schedule"].minute == {0}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            [
                "Hallo Hanna",
                "Fenna Bakker",
                "TIG-lassen RVS",
                "ingeschreven",
                "op de wachtlijst",
                "http://testserver/bedrijf/",
            ],
        ),
        (
            "en",
            [
                "Fenna Bakker",
                "TIG welding stainless steel",
                "enrolled",
                "on the waiting list",
                "http://testserver/en/",
            ],
        ),
    ],
)
def test_digest_mail_renders_in_the_hr_members_language(language, expected, new_offering):
    company = CompanyFactory(name="Kampstaal & Zonen")
    hr_of(company, email="hr@kampstaal.nl", language=language)
    offering = new_offering(
        capacity=1, title="TIG-lassen RVS", title_en="TIG welding stainless steel"
    )
    services.enrol_learner(learner=employee(company, "Fenna", "Bakker"), offering_id=offering.pk)
    services.enrol_learner(learner=employee(company, "Piet", "Jansen"), offering_id=offering.pk)
    queue()
    (notification,) = digests()
    mail.outbox.clear()

    assert outbox.deliver(notification.pk)

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert message.to == ["hr@kampstaal.nl"]
    assert "Kampstaal & Zonen" in message.subject
    assert "2" in message.subject
    assert "Kampstaal &amp; Zonen" in html
    for fragment in expected:
        assert fragment in message.body
        assert fragment in html
    assert f'<html lang="{language}">' in html
    if language == "en":
        assert "Hallo" not in message.body
        assert "ingeschreven" not in message.body
