"""HR sees only what their company pays for; log-in ignores the case of the address."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse
from django.utils import timezone

from companies.models import Membership
from companies.portal import digest, exports, selectors
from enrolment import services as enrolment_services
from enrolment.models import Notification
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_hr_of_a_second_company_sees_nothing_of_an_enrolment_the_first_pays_for(
    make_offering, client
):
    a, b = CompanyFactory(name="Kampstaal"), CompanyFactory(name="Suplacon")
    hr_a = MembershipFactory(company=a, role=Membership.Role.HR).user
    hr_b = MembershipFactory(company=b, role=Membership.Role.HR).user
    person = UserFactory(first_name="Fenna", last_name="Tweebaan")
    MembershipFactory(company=a, user=person)
    MembershipFactory(company=b, user=person)
    offering = make_offering(capacity=3)
    enrolment_services.enrol_team(
        hr_user=hr_a, company=a, offering_id=offering.pk, learners=[person]
    )

    assert selectors.team_statuses(company=b, offering=offering, user_ids=[person.pk]) == {}
    assert selectors.team_statuses(company=a, offering=offering, user_ids=[person.pk]) == {
        person.pk: "confirmed"
    }
    client.force_login(hr_b)
    page = client.get(reverse("portal:team_enrol", args=[b.slug, offering.pk])).content.decode()
    assert "al ingeschreven" not in page
    dashboard = selectors.get_dashboard(company=b)
    assert all(not p.upcoming and not p.past for p in dashboard.people)
    assert exports.export_rows(company=b) == []
    assert len(exports.export_rows(company=a)) == 1
    digest.queue_hr_digests(now=timezone.now())
    assert list(
        Notification.objects.filter(template="hr_digest").values_list("to_email", flat=True)
    ) == [hr_a.email]


def test_log_in_ignores_the_case_of_the_address():
    jan = UserFactory(email="jan@example.nl")
    backend = ModelBackend()
    assert (
        backend.authenticate(None, username=" Jan@Example.NL", password="geheim-wachtwoord") == jan
    )
    assert (
        backend.authenticate(None, username="piet@example.nl", password="geheim-wachtwoord") is None
    )
