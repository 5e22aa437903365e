"""Sessions and the logged-in user are read from Redis first (companies.accounts.sessions and
user_cache): a page from the page cache asks PostgreSQL nothing, yet a change to the user, a
membership, a log-out or an erasure shows on the very next page, and a Redis that cannot be
reached costs nothing but speed."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.urls import reverse

from companies.models import Membership
from technohub import page_cache
from technohub.privacy.erasure import erase_person
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

MY_COURSES = reverse("enrolment:my_courses")
COURSE_LIST = reverse("catalogue:course_list")
PORTAL_LINK = 'href="/bedrijf/'
SESSION_COOKIE = django_settings.SESSION_COOKIE_NAME


@pytest.fixture
def member(db, client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_a_logged_in_page_from_the_page_cache_asks_the_database_nothing(
    client, member, settings, django_assert_num_queries
):
    settings.PAGE_CACHE = True
    page_cache._new_generation()
    client.get(COURSE_LIST)  # stores the page, the session and the user

    with django_assert_num_queries(0):
        response = client.get(COURSE_LIST)

    assert response.status_code == 200
    assert "/account/uitloggen/" in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        lambda user: setattr(user, "is_active", False),
        lambda user: user.set_password("een-heel-ander-wachtwoord"),
    ],
    ids=["deactivated", "password changed"],
)
def test_a_saved_change_to_the_user_shows_on_the_next_page(client, member, change):
    assert client.get(MY_COURSES).status_code == 200

    change(member)
    member.save()

    response = client.get(MY_COURSES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_becoming_hr_and_leaving_show_on_the_next_page(client, member):
    assert PORTAL_LINK not in client.get(MY_COURSES).content.decode()

    membership = MembershipFactory(user=member, company=CompanyFactory(), role=Membership.Role.HR)
    assert PORTAL_LINK in client.get(MY_COURSES).content.decode()

    membership.delete()
    assert PORTAL_LINK not in client.get(MY_COURSES).content.decode()


def test_a_staff_role_given_shows_on_the_next_page(client, member):
    client.get(MY_COURSES)
    member.is_staff = True
    member.save()
    member.groups.add(Group.objects.get(name="Programmamanager"))

    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_a_logged_out_session_cannot_be_used_again(client, member):
    session_key = client.cookies[SESSION_COOKIE].value
    client.get(MY_COURSES)

    client.post(reverse("accounts:logout"))
    client.cookies[SESSION_COOKIE] = session_key

    assert client.get(MY_COURSES).status_code == 302


def test_an_erased_persons_sessions_end_everywhere(client, member):
    client.get(MY_COURSES)

    erase_person(user=member, actor=member)

    assert client.get(MY_COURSES).status_code == 302


def test_pages_work_logged_in_while_redis_cannot_be_reached(client, member, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "technohub.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    client.force_login(member)  # the session is written to the database alone

    assert client.get(MY_COURSES).status_code == 200
    assert client.get(COURSE_LIST).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(MY_COURSES).status_code == 302
