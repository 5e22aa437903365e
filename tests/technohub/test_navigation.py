"""The main menu shows "Bedrijf" to those who may use a company portal, and only to them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from companies.models import Membership
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY_LINK = f'href="{reverse("portal:choose")}"'


def menu_of(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("accessibility")).content.decode()


def test_hr_sees_the_company_link(client):
    hr = UserFactory()
    MembershipFactory(user=hr, company=CompanyFactory(), role=Membership.Role.HR)

    assert COMPANY_LINK in menu_of(client, hr)


def test_an_employee_does_not(client):
    employee = UserFactory()
    MembershipFactory(user=employee, company=CompanyFactory())

    assert COMPANY_LINK not in menu_of(client, employee)


def test_the_programme_manager_sees_it_and_read_only_staff_do_not(client):
    manager, reader = UserFactory(is_staff=True), UserFactory(is_staff=True)
    manager.groups.add(Group.objects.get(name="Programmamanager"))
    reader.groups.add(Group.objects.get(name="Alleen lezen"))

    assert COMPANY_LINK in menu_of(client, manager)
    assert COMPANY_LINK not in menu_of(client, reader)


def test_an_employees_menu_costs_no_query(client, django_assert_num_queries):
    employee = UserFactory()
    client.force_login(employee)
    client.get(reverse("accessibility"))

    # The session, the user, and whether they are HR somewhere come from the shared cache;
    # the permission tables are not read.
    with django_assert_num_queries(0):
        client.get(reverse("accessibility"))
