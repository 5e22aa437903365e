"""Taking someone off a company's roster: HR keeps only what the company paid for, the person
is told, requests waiting for that company are turned down, other companies are unaffected."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from companies.models import Membership
from companies.portal import digest, services
from enrolment import outbox
from enrolment import services as enrolment_services
from enrolment.models import Enrolment, Notification
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
def kampstaal(db):
    return CompanyFactory(name="Kampstaal", slug="kampstaal", requires_approval=True)


@pytest.fixture
def hr(kampstaal):
    user = UserFactory(first_name="Hanna", last_name="Hofstra")
    MembershipFactory(company=kampstaal, user=user, role=Membership.Role.HR)
    return user


@pytest.fixture
def fenna(kampstaal):
    user = UserFactory(
        first_name="Fenna", last_name="Bakker", email="fenna@kampstaal.nl", phone="0612345678"
    )
    MembershipFactory(company=kampstaal, user=user)
    return user


def new_offering(
    *, title: str = "TIG-lassen RVS", title_en: str = "", capacity: int = 5, days: int = 30
):
    offering = OfferingFactory(
        course=CourseFactory(title=title, title_en=title_en, study_hours=16, funding_eligible=True),
        capacity=capacity,
        min_participants=1,
    )
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=days))
    return offering


def remove(client, hr, person, company, choice: str = "keep"):
    membership = Membership.objects.get(user=person, company=company)
    client.force_login(hr)
    return client.post(
        reverse("portal:remove_member", args=[company.slug, membership.pk]),
        {"enrolments": choice},
    )


def export_csv(client, slug: str = "kampstaal") -> list[list[str]]:
    response = client.get(reverse("portal:export_csv", args=[slug]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", ["niet meer op de medewerkerslijst van Kampstaal", "TIG-lassen RVS", "van jou"]),
        (
            "en",
            ["no longer on the staff list of Kampstaal", "TIG welding stainless steel", "yours"],
        ),
    ],
)
def test_removed_member_is_mailed_in_their_language_what_the_company_still_sees(
    client, kampstaal, hr, fenna, language, expected
):
    fenna.preferred_language = language
    fenna.save(update_fields=["preferred_language"])
    offering = new_offering(title="TIG-lassen RVS", title_en="TIG welding stainless steel")
    enrolment_services.enrol_learner(learner=fenna, offering_id=offering.pk, enrolled_by=hr)

    remove(client, hr, fenna, kampstaal)

    notification = Notification.objects.get(template="member_removed")
    assert notification.recipient == fenna
    assert notification.language == language
    mail.outbox.clear()
    assert outbox.deliver(notification.pk)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert message.to == ["fenna@kampstaal.nl"]
    assert expected[0] in message.subject
    for fragment in expected[1:]:
        assert fragment in message.body
        assert fragment in html
    assert f'<html lang="{language}">' in html
    assert "/en/" in message.body if language == "en" else "/en/" not in message.body


def test_removed_member_leaves_roster_team_page_and_dashboard_but_their_paid_enrolment_stays(
    client, kampstaal, hr, fenna
):
    paid = new_offering(title="TIG-lassen RVS")
    enrolment_services.enrol_learner(learner=fenna, offering_id=paid.pk, enrolled_by=hr)
    other = new_offering(title="CNC-draaien")

    remove(client, hr, fenna, kampstaal)

    roster = client.get(reverse("portal:roster", args=["kampstaal"]))
    assert [m.user for m in roster.context["page"]] == [hr]
    assert "fenna@kampstaal.nl" not in roster.content.decode()
    team = client.get(reverse("portal:team_enrol", args=["kampstaal", other.pk]))
    assert "Bakker" not in team.content.decode()
    dashboard = client.get(reverse("portal:dashboard", args=["kampstaal"]))
    assert "Bakker" not in dashboard.content.decode()
    _header, *rows = export_csv(client)
    assert [(row[0], row[2], row[3], row[7]) for row in rows] == [
        ("Bakker", "", "TIG-lassen RVS", "bevestigd")
    ]


def test_dashboard_costs_still_count_what_a_former_member_cost(client, kampstaal, hr, fenna):
    offering = new_offering()
    enrolment = enrolment_services.enrol_learner(
        learner=fenna, offering_id=offering.pk, enrolled_by=hr
    )
    offering.meetings.update(starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now())
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED)

    remove(client, hr, fenna, kampstaal)

    dashboard = client.get(reverse("portal:dashboard", args=["kampstaal"])).context["dashboard"]
    assert dashboard.costs_this_year == enrolment.price_excl_vat
    assert dashboard.funding_hours_this_year == 16
    assert all(person.membership.user != fenna for person in dashboard.people)


def test_a_request_waiting_for_the_company_is_rejected_and_the_person_told(
    client, kampstaal, hr, fenna
):
    request = enrolment_services.enrol_learner(learner=fenna, offering_id=new_offering().pk)
    assert request.status == Enrolment.Status.REQUESTED

    remove(client, hr, fenna, kampstaal)

    request.refresh_from_db()
    assert request.status == Enrolment.Status.REJECTED
    assert request.reason == "Niet meer in dienst bij Kampstaal"
    assert Notification.objects.filter(template="enrolment_rejected", recipient=fenna).exists()
    mailed = Notification.objects.get(template="member_removed")
    assert mailed.context["rejected_requests"] == 1
    requests_page = client.get(reverse("portal:requests", args=["kampstaal"]))
    assert requests_page.context["pending"] == []
    assert (
        not client.get(reverse("portal:dashboard", args=["kampstaal"])).context["dashboard"].pending
    )
    _header, *rows = export_csv(client)
    assert rows == []


def test_cancelled_enrolments_of_a_former_member_leave_the_export(client, kampstaal, hr, fenna):
    enrolment_services.enrol_learner(learner=fenna, offering_id=new_offering().pk, enrolled_by=hr)

    remove(client, hr, fenna, kampstaal, choice="cancel")

    assert Enrolment.objects.get(learner=fenna).status == Enrolment.Status.CANCELLED
    _header, *rows = export_csv(client)
    assert rows == []
    assert Notification.objects.get(template="member_removed").context["kept_courses"] == []


def test_hr_never_sees_enrolments_another_company_paid_for_after_removal(
    client, kampstaal, hr, fenna
):
    suplacon = CompanyFactory(name="Suplacon", slug="suplacon")
    MembershipFactory(company=suplacon, user=fenna)
    enrolment_services.enrol_learner(learner=fenna, offering_id=new_offering(title="Kraan").pk)
    Enrolment.objects.update(company=suplacon, status=Enrolment.Status.CONFIRMED)

    remove(client, hr, fenna, kampstaal)

    _header, *rows = export_csv(client)
    assert rows == []


def test_another_companys_hr_still_sees_the_person(client, kampstaal, hr, fenna):
    suplacon = CompanyFactory(name="Suplacon", slug="suplacon")
    MembershipFactory(company=suplacon, user=fenna)
    suplacon_hr = MembershipFactory(company=suplacon, role=Membership.Role.HR).user
    offering = new_offering()
    enrolment_services.enrol_team(
        hr_user=suplacon_hr, company=suplacon, offering_id=offering.pk, learners=[fenna]
    )

    remove(client, hr, fenna, kampstaal)

    client.force_login(suplacon_hr)
    roster = client.get(reverse("portal:roster", args=["suplacon"])).content.decode()
    assert "Bakker" in roster
    _header, *rows = export_csv(client, slug="suplacon")
    assert [(row[0], row[2]) for row in rows] == [("Bakker", "fenna@kampstaal.nl")]
    assert Membership.objects.filter(user=fenna, company=suplacon).exists()


def test_the_digest_leaves_out_news_about_a_former_member(kampstaal, hr, fenna):
    offering = new_offering()
    enrolment_services.enrol_learner(learner=fenna, offering_id=offering.pk, enrolled_by=hr)
    services.remove_member(
        membership=Membership.objects.get(user=fenna, company=kampstaal),
        hr_user=hr,
        cancel_enrolments=False,
    )

    assert digest.queue_hr_digests(now=timezone.now() + timedelta(seconds=1)) == 0
    assert not Notification.objects.filter(template="hr_digest").exists()


def test_hr_cannot_remove_themselves_and_nobody_is_mailed(kampstaal, hr):
    with pytest.raises(services.DomainError):
        services.remove_member(
            membership=Membership.objects.get(user=hr), hr_user=hr, cancel_enrolments=False
        )
    assert Membership.objects.filter(user=hr).exists()
    assert not Notification.objects.filter(template="member_removed").exists()


def test_the_removal_page_tells_hr_what_removal_does(client, kampstaal, hr, fenna):
    membership = Membership.objects.get(user=fenna, company=kampstaal)
    client.force_login(hr)

    page = client.get(reverse("portal:remove_member", args=["kampstaal", membership.pk]))

    html = page.content.decode()
    assert "worden afgewezen" in html
    assert "zonder e-mailadres" in html
    assert "krijgt hierover een e-mail" in html


def test_removing_someone_already_removed_mails_them_only_once(kampstaal, hr, fenna):
    membership = Membership.objects.get(user=fenna, company=kampstaal)
    services.remove_member(membership=membership, hr_user=hr, cancel_enrolments=False)

    services.remove_member(membership=membership, hr_user=hr, cancel_enrolments=False)

    assert Notification.objects.filter(template="member_removed").count() == 1
    assert not Membership.objects.filter(user=fenna, company=kampstaal).exists()
