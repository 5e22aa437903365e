"""Expiring qualifications as demand on the programme manager's board; expired ones deleted
after their retention period."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.demand.board import pool_demand
from enrolment.models import Enrolment, HeldQualification
from enrolment.qualifications.selectors import list_expiring_without_run
from technohub import tasks
from technohub.privacy import retention
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    OfferingFactory,
    QualificationFactory,
    UserFactory,
)
from tests.queries import page_queries

from .helpers import hold, make_company, member, upcoming_run

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def vca():
    return QualificationFactory(name="VCA", name_en="VCA (safety)")


def expiring_at(company, qualification, *, days: int, **person):
    return hold(
        member(company, **person).user, qualification, expires_on=TODAY + timedelta(days=days)
    )


def test_expiring_without_a_planned_run_counts_per_company(vca):
    kampstaal, suplacon = make_company(), make_company("Suplacon", "suplacon")
    for days in (10, 80, -30):  # one already expired a month ago
        expiring_at(kampstaal, vca, days=days)
    expiring_at(suplacon, vca, days=60)
    expiring_at(suplacon, vca, days=200)  # not yet
    expiring_at(suplacon, vca, days=-120)  # expired too long ago
    hold(UserFactory(is_active=False), vca, expires_on=TODAY + timedelta(days=5))

    [row] = list_expiring_without_run(today=TODAY)

    assert (row.qualification, row.people, row.expired) == (vca, 4, 1)
    assert row.companies == [("Kampstaal", 3), ("Suplacon", 1)]


def test_a_public_run_or_a_closed_run_for_the_company_takes_them_off_the_board(vca):
    kampstaal, suplacon = make_company(), make_company("Suplacon", "suplacon")
    expiring_at(kampstaal, vca, days=10)
    expiring_at(suplacon, vca, days=10)
    refresher = CourseFactory()
    vca.refresher_courses.add(refresher)
    closed = upcoming_run(refresher)
    closed.private_for.add(kampstaal)

    [row] = list_expiring_without_run(today=TODAY)
    assert row.companies == [("Suplacon", 1)]

    upcoming_run(refresher)  # public
    assert list_expiring_without_run(today=TODAY) == []


def test_a_run_of_another_course_or_a_concept_run_does_not_count(vca):
    expiring_at(make_company(), vca, days=10)
    vca.refresher_courses.add(CourseFactory())
    upcoming_run(CourseFactory())
    upcoming_run(vca.refresher_courses.get(), status="concept")
    assert [row.people for row in list_expiring_without_run(today=TODAY)] == [1]


def test_the_board_shows_it_in_both_languages_in_constant_queries(client, vca):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    company = make_company()
    expiring_at(company, vca, days=10)
    url = reverse("backoffice:demand_board")
    few = page_queries(client, url)
    html = client.get(url).content.decode()
    assert "VCA verloopt binnenkort: 1 persoon" in html and "geen uitvoering gepland" in html
    assert "Kampstaal: 1" in html

    for index in range(4):
        other = make_company(f"Bedrijf {index}", f"bedrijf-{index}")
        expiring_at(other, QualificationFactory(), days=20)
        expiring_at(other, vca, days=-20)
    assert page_queries(client, url) == few
    assert len(pool_demand(today=TODAY).expiring) == 5

    with translation.override("en"):
        url = reverse("backoffice:demand_board")
    html = client.get(url).content.decode()
    assert "VCA (safety) expires soon: 5 people" in html and "no run planned" in html


# --- Retention -------------------------------------------------------------------------------


def test_expired_qualifications_go_two_years_after_expiry(settings, vca):
    settings.PRIVACY_EXPIRED_QUALIFICATION_RETENTION_YEARS = 2
    now = timezone.now()
    person = UserFactory()
    old = hold(person, vca, expires_on=TODAY - timedelta(days=2 * 365 + 2))
    recent = hold(person, vca, expires_on=TODAY - timedelta(days=2 * 365 - 2))
    never = hold(person, QualificationFactory(validity_months=None), expires_on=None)

    assert retention.purge_expired_qualifications(now=now) == 1
    assert retention.purge_expired_qualifications(now=now) == 0
    assert set(HeldQualification.objects.values_list("pk", flat=True)) == {recent.pk, never.pk}
    assert not HeldQualification.objects.filter(pk=old.pk).exists()
    assert tasks.purge_expired_qualifications() == 0


def test_purging_an_old_enrolment_keeps_the_qualification_it_granted(settings, vca):
    long_ago = timezone.make_aware(datetime(2010, 3, 1, 9, 0))
    offering = OfferingFactory(status="completed")
    MeetingFactory(offering=offering, starts_at=long_ago, ends_at=long_ago + timedelta(hours=7))
    enrolment = EnrolmentFactory(offering=offering, status=Enrolment.Status.COMPLETED)
    held = HeldQualification.objects.create(
        person=enrolment.learner,
        qualification=vca,
        obtained_on=long_ago.date(),
        expires_on=None,
        enrolment=enrolment,
    )

    assert retention.purge_enrolments(now=timezone.now()) == 1

    held.refresh_from_db()
    assert (held.enrolment, held.issuer) == (None, "Technohub NOP")
