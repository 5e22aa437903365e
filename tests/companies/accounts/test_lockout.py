"""Guessing passwords is slowed and locked per client, and nobody can lock someone else out."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from enrolment import outbox
from enrolment.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "jan@kampstaal.example"
PASSWORD = "Lasnaad-2027!"
PROXY = "10.0.0.2"


@pytest.fixture
def owner():
    user = UserFactory(email=EMAIL, email_verified_at=timezone.now())
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, *, password: str, client_ip: str, username: str = EMAIL):
    """A log-in through the reverse proxy, which reports the client in X-Forwarded-For."""
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_five_wrong_passwords_from_one_client_do_not_refuse_the_owner_elsewhere(client, owner):
    for _ in range(5):
        log_in(client, password="fout", client_ip="203.0.113.66")
    assert log_in(client, password=PASSWORD, client_ip="203.0.113.66").status_code == 429

    response = log_in(client, password=PASSWORD, client_ip="198.51.100.10")

    assert response.status_code == 302
    assert response.wsgi_request.user == owner


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_upper_case_and_lower_case_attempts_count_as_one_account(client, owner):
    for username in ["JAN@kampstaal.example", "Jan@Kampstaal.Example", EMAIL, EMAIL, EMAIL]:
        log_in(client, password="fout", client_ip="203.0.113.66", username=username)

    assert log_in(client, password=PASSWORD, client_ip="203.0.113.66").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_password_reset_lifts_the_lock(client, owner):
    for _ in range(5):
        log_in(client, password="fout", client_ip="203.0.113.66")
    client.post(reverse("accounts:password_reset"), {"email": EMAIL})
    mail.outbox.clear()
    for pk in Notification.objects.filter(sent_at=None).values_list("pk", flat=True):
        outbox.deliver(pk)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "Nieuw-Lasnaad-2028!"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    client.logout()

    response = log_in(client, password=new_password, client_ip="203.0.113.66")

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=EMAIL).exists()


def guess_from_many_addresses(client, count: int) -> None:
    for attempt in range(count):
        log_in(client, password="fout", client_ip=f"203.0.113.{attempt + 1}")


@override_settings(TRUSTED_PROXY_COUNT=1, LOGIN_SLOWDOWN_AFTER=10)
def test_guessing_from_many_addresses_makes_new_addresses_wait_without_checking(client, owner):
    guess_from_many_addresses(client, 10)

    response = log_in(client, password=PASSWORD, client_ip="198.51.100.10")

    assert response.status_code == 200
    assert "Probeer het over" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # Refused attempts are not counted: waiting is all it takes.
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 10


@override_settings(TRUSTED_PROXY_COUNT=1, LOGIN_SLOWDOWN_AFTER=10, LOGIN_SLOWDOWN_MAX_SECONDS=60)
def test_the_wait_grows_with_the_failures_but_never_beyond_the_maximum(client, owner):
    guess_from_many_addresses(client, 10)
    # Thirty failures in all: the doubling delay would be days; the maximum is a minute.
    AccessAttempt.objects.filter(pk=AccessAttempt.objects.first().pk).update(
        failures_since_start=21
    )
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=50))
    assert log_in(client, password=PASSWORD, client_ip="198.51.100.10").status_code == 200

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=61))
    response = log_in(client, password=PASSWORD, client_ip="198.51.100.10")

    assert response.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, LOGIN_SLOWDOWN_AFTER=10)
def test_the_owner_is_not_slowed_from_an_address_they_logged_in_from(client, owner):
    assert log_in(client, password=PASSWORD, client_ip="198.51.100.10").status_code == 302
    client.logout()
    guess_from_many_addresses(client, 10)

    response = log_in(client, password=PASSWORD, client_ip="198.51.100.10")

    assert response.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, LOGIN_SLOWDOWN_AFTER=10)
def test_below_the_threshold_nobody_waits(client, owner):
    guess_from_many_addresses(client, 9)

    assert log_in(client, password=PASSWORD, client_ip="198.51.100.10").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_lock_page_says_what_is_true(client, owner):
    for _ in range(5):
        log_in(client, password="fout", client_ip="203.0.113.66")

    page = log_in(client, password="fout", client_ip="203.0.113.66").content.decode()

    assert "vanaf deze verbinding" in page
    assert reverse("accounts:password_reset") in page
