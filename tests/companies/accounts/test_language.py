"""The site speaks the user's language: their preferred language from log-in and confirmation on,
and Django's own password messages in the page's language."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from enrolment import outbox
from enrolment.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord"


def log_in(client, *, email: str, login_path: str, next_path: str | None = None):
    data = {"username": email, "password": PASSWORD}
    if next_path is not None:
        data["next"] = next_path
    return client.post(login_path, data)


def english(view_name: str, *args) -> str:
    with translation.override("en"):
        return reverse(view_name, args=args)


def test_logging_in_on_a_dutch_page_takes_an_english_speaker_to_english_pages(client):
    UserFactory(
        email="piotr@kampstaal.example",
        preferred_language="en",
        email_verified_at="2026-01-01T00:00Z",
    )

    response = log_in(client, email="piotr@kampstaal.example", login_path="/account/inloggen/")

    assert response.status_code == 302
    assert response["Location"] == english("enrolment:my_courses")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(response["Location"]).headers["Content-Language"] == "en"


def test_logging_in_keeps_where_the_learner_was_going_in_their_language(client):
    UserFactory(
        email="piotr@kampstaal.example",
        preferred_language="en",
        email_verified_at="2026-01-01T00:00Z",
    )

    response = log_in(
        client,
        email="piotr@kampstaal.example",
        login_path="/account/inloggen/?next=/cursussen/%3Fq%3Dlassen",
        next_path="/cursussen/?q=lassen",
    )

    assert response["Location"] == english("catalogue:course_list") + "?q=lassen"


def test_logging_in_on_an_english_page_takes_a_dutch_speaker_to_dutch_pages(client):
    UserFactory(
        email="jan@kampstaal.example",
        preferred_language="nl",
        email_verified_at="2026-01-01T00:00Z",
    )

    response = log_in(
        client,
        email="jan@kampstaal.example",
        login_path=english("accounts:login"),
        next_path=english("catalogue:course_list"),
    )

    assert response["Location"] == "/cursussen/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"


def test_a_next_that_is_no_page_of_the_site_is_left_as_it_is(client):
    UserFactory(
        email="piotr@kampstaal.example",
        preferred_language="en",
        email_verified_at="2026-01-01T00:00Z",
    )

    response = log_in(
        client,
        email="piotr@kampstaal.example",
        login_path="/account/inloggen/",
        next_path="/bestaat-niet/",
    )

    assert response["Location"] == "/bestaat-niet/"


def test_confirming_the_address_greets_an_english_speaker_in_english(client):
    with translation.override("en"):
        client.post(
            reverse("accounts:signup"),
            {
                "first_name": "Piotr",
                "last_name": "Nowak",
                "email": "piotr@kampstaal.example",
                "password": "Lasnaad-2027!",
            },
        )
    mail.outbox.clear()
    for pk in Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        outbox.deliver(pk)
    (message,) = mail.outbox
    # The link is opened in a browser that has no language cookie: the Dutch address.
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)

    response = client.get(link, follow=True)

    assert response.redirect_chain[-1][0] == english("enrolment:my_courses")
    page = response.content.decode()
    assert "Your email address has been confirmed." in page
    assert "bevestigd" not in page


@pytest.mark.parametrize(
    ("language", "too_short", "numeric"),
    [
        ("nl", "Dit wachtwoord is te kort.", "Dit wachtwoord bevat alleen cijfers."),
        ("en", "This password is too short.", "This password is entirely numeric."),
    ],
)
def test_password_rules_speak_the_pages_language(client, language, too_short, numeric):
    with translation.override(language):
        path = reverse("accounts:signup")
    data = {"first_name": "Fenna", "last_name": "Bakker", "email": "fenna@kampstaal.example"}

    short = client.post(path, {**data, "password": "k0rt"}).content.decode()
    digits = client.post(path, {**data, "password": "90817263545"}).content.decode()

    assert too_short in short
    assert numeric in digits
    other = {"nl": "This password", "en": "Dit wachtwoord"}[language]
    assert other not in short
    assert other not in digits
