"""HR is mailed 30 and 7 days before a funding claim's application window closes, each once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.utils import timezone

from companies import tasks
from companies.funding import alarms, claims, rules
from companies.models import FundingClaim, FundingScheme, Membership
from enrolment import emails
from enrolment.models import Notification
from technohub.models import AuditLog
from tests.companies.funding.claim_world import (
    make_company,
    make_enrolment,
    make_scheme,
    run_starting,
)
from tests.factories import MembershipFactory, UserFactory
from tests.races import race

pytestmark = pytest.mark.django_db

START = timezone.localdate() - timedelta(days=20)


def mails():
    return list(Notification.objects.filter(template="funding_deadline").order_by("pk"))


@pytest.fixture
def world():
    """A company of fund "other" (80 %, 3 months after the start) and one seat in a run that
    started 20 days ago: its deadline is START + 3 months."""
    company = make_company(name="Kampstaal")
    make_scheme()
    enrolment = make_enrolment(company, run_starting(START), first_name="Anne", last_name="Bakker")
    deadline = rules.add_months(START, 3)
    return company, enrolment, deadline


def test_30_then_7_days_before_each_once(world):
    company, enrolment, deadline = world
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=31)) == 0
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=30)) == 1
    # The same day again, and the next days: nothing new.
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=30)) == 0
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=29)) == 0
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=8)) == 0
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=7)) == 1
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=6)) == 0
    assert alarms.send_deadline_alarms(today=deadline) == 0
    sent = mails()
    assert len(sent) == 2 and all(mail.to_email == company.hr.email for mail in sent)
    claim = FundingClaim.objects.get(enrolment=enrolment)
    assert (claim.status, claim.alarms_sent) == ("not_applied", [30, 7])
    line = sent[0].context["claims"][0]
    assert (line["name"], line["days"], line["amount"]) == ("Anne Bakker", 30, "800,00")
    assert not line["before_start"]
    assert f"/bedrijf/{company.slug}/subsidie/" in sent[0].context["funding_url"]
    assert AuditLog.objects.filter(action="funding_claims.alarmed").count() == 2


def test_a_missed_day_still_sends_once_and_not_each_value(world):
    _company, _enrolment, deadline = world
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=25)) == 1
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=24)) == 0
    # The task did not run for weeks: past the 7 days, one mail.
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=3)) == 1
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=2)) == 0
    assert len(mails()) == 2


def test_late_first_alarm_counts_for_both_values(world):
    _company, enrolment, deadline = world
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=5)) == 1
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=4)) == 0
    assert FundingClaim.objects.get(enrolment=enrolment).alarms_sent == [30, 7]
    assert len(mails()) == 1


def test_nothing_after_applied_or_past_the_deadline(world):
    company, enrolment, deadline = world
    claims.record_claim(
        enrolment=enrolment,
        actor=company.hr,
        status="applied",
        applied_on=START,
        reference="X-1",
        amount=None,
        decided_on=None,
        note="",
    )
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=30)) == 0
    other = make_enrolment(company, enrolment.offering)
    assert alarms.send_deadline_alarms(today=deadline + timedelta(days=1)) == 0
    assert not FundingClaim.objects.filter(enrolment=other).exists()
    assert mails() == []


def test_oom_alarms_before_the_course_starts():
    company = make_company(fund="oom")
    scheme = FundingScheme.objects.get(fund="oom")
    start = max(scheme.valid_from, timezone.localdate()) + timedelta(days=40)
    enrolment = make_enrolment(company, run_starting(start))
    assert alarms.send_deadline_alarms(today=start - timedelta(days=31)) == 1
    line = mails()[0].context["claims"][0]
    assert line["before_start"] and line["days"] == 30
    assert alarms.send_deadline_alarms(today=start - timedelta(days=8)) == 1
    assert alarms.send_deadline_alarms(today=start) == 0
    assert FundingClaim.objects.get(enrolment=enrolment).alarms_sent == [30, 7]
    assert "Vóór de start aanvragen" in emails.render(mails()[0], with_attachments=False).text


def test_one_mail_per_hr_member_per_company_in_their_language(world):
    company, enrolment, deadline = world
    make_enrolment(company, enrolment.offering, first_name="Cor", last_name="Smit")
    english = MembershipFactory(
        company=company, role=Membership.Role.HR, user=UserFactory(preferred_language="en")
    ).user
    MembershipFactory(company=company, role=Membership.Role.HR, user=UserFactory(is_active=False))
    erased = MembershipFactory(company=company, role=Membership.Role.HR).user
    erased.erased_at = timezone.now()
    erased.save()
    left = UserFactory()  # HR once, membership gone: not a member any more
    other = make_company()
    make_enrolment(other, enrolment.offering)
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=30)) == 3
    by_address = {mail.to_email: mail for mail in mails()}
    assert set(by_address) == {company.hr.email, english.email, other.hr.email}
    assert left.email not in by_address
    names = {line["name"] for line in by_address[company.hr.email].context["claims"]}
    assert names == {"Anne Bakker", "Cor Smit"}
    assert by_address[english.email].language == "en"
    assert "/en/" in by_address[english.email].context["funding_url"]
    assert by_address[english.email].context["claims"][0]["amount"] == "800.00"
    rendered = emails.render(by_address[english.email], with_attachments=False)
    assert "Apply by" in rendered.text and "days left" in rendered.text


def test_no_fund_or_not_subsidiabel_no_alarm(world):
    _company, enrolment, deadline = world
    none = make_company(fund="none")
    make_enrolment(none, enrolment.offering)
    plain = run_starting(START)
    plain.course.funding_eligible = False
    plain.course.save()
    make_enrolment(world[0], plain)
    make_enrolment(world[0], enrolment.offering, status="requested")
    assert alarms.send_deadline_alarms(today=deadline - timedelta(days=30)) == 1
    assert len(mails()[0].context["claims"]) == 1
    assert FundingClaim.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_mail_once():
    company = make_company()
    make_scheme(percentage=Decimal("50"))
    make_enrolment(company, run_starting(START))
    today = rules.add_months(START, 3) - timedelta(days=30)
    results = race([lambda: alarms.send_deadline_alarms(today=today) for _ in range(3)])
    assert sorted(results) == [0, 0, 1], results
    assert len(mails()) == 1


def test_the_task_runs_daily_at_07_15(settings, world):
    schedule = settings.CELERY_BEAT_SCHEDULE["send-funding-deadline-alarms"]
    assert schedule["task"] == "companies.tasks.send_funding_deadline_alarms"
    assert schedule["schedule"] == crontab(hour=7, minute=15)
    assert tasks.send_funding_deadline_alarms() == 0
