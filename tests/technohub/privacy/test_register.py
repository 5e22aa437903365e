"""The processing register: a staff page for the programme manager, made from the inventory."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from companies.models import StaffPermission
from technohub.privacy.inventory import HOLDINGS
from technohub.privacy.register import list_register_entries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Programmamanager"))
    return user


def test_only_the_programme_managers_group_holds_the_permission():
    permission = Permission.objects.get(codename="view_processing_register")
    assert [group.name for group in permission.group_set.all()] == ["Programmamanager"]
    assert StaffPermission.PROCESSING_REGISTER == "companies.view_processing_register"


def test_register_lists_every_holding_with_purpose_retention_recipients_and_erasure(
    client, manager, settings
):
    settings.PRIVACY_RECORDS_RETENTION_YEARS = 9
    client.force_login(manager)

    response = client.get(reverse("backoffice:processing_register"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Verwerkingsregister" in html
    assert "privacy@technohub-nop.nl" in html
    assert "Emmeloord" in html
    for holding in HOLDINGS:
        assert str(holding.category).replace('"', "&quot;") in html
        assert str(holding.purpose) in html
    assert "9 jaar na afloop van de cursus" in html
    assert "Naamloos bewaard (wettelijke plicht): Toekomstige inschrijvingen" in html
    assert "Verwijderd: Verwijderd." not in html
    assert "deelnemerslijst" in html  # colleges receive participant lists
    assert "via de werkgever" in html  # funds through the employer
    assert "Beveiliging" in html


def test_register_names_fields_by_their_verbose_names():
    entries = {entry.holding.model: entry for entry in list_register_entries()}

    user = entries["companies.User"]
    assert "E-mailadres" in user.fields
    assert "Telefoonnummer" in user.fields
    assert "phone" not in user.fields
    assert len(entries) == len(HOLDINGS)


def test_register_is_in_english_under_the_english_address(client, manager):
    client.force_login(manager)
    with translation.override("en"):
        url = reverse("backoffice:processing_register")

    html = client.get(url).content.decode()

    assert url == "/en/admin-register/"
    assert "Record of processing activities" in html
    assert "Email address" in html
    assert "Verwerkingsregister" not in html


def test_staff_dashboard_links_the_register_only_for_those_who_may_read_it(client, manager):
    reader = UserFactory(is_staff=True)
    reader.groups.add(Group.objects.get(name="Alleen lezen"))
    link = reverse("backoffice:processing_register")

    client.force_login(manager)
    assert link in client.get(reverse("backoffice:dashboard")).content.decode()
    client.force_login(reader)
    assert link not in client.get(reverse("backoffice:dashboard")).content.decode()


def test_register_refuses_post(client, manager):
    client.force_login(manager)

    assert client.post(reverse("backoffice:processing_register")).status_code == 405


def test_register_takes_a_fixed_number_of_queries(client, manager, django_assert_max_num_queries):
    client.force_login(manager)

    with django_assert_max_num_queries(8):
        client.get(reverse("backoffice:processing_register"))
