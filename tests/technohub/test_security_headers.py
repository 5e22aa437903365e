"""Every page limits what the browser may run on it, and personal pages stay out of shared
caches."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from companies.models import Invitation
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_pages_allow_scripts_and_styles_from_the_site_only(client):
    response = client.get(reverse("home"))

    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_refuse_camera_microphone_location_and_payment(client):
    response = client.get(reverse("catalogue:course_list"))

    features = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in features


def test_admin_pages_carry_the_same_policy(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"


def test_pages_for_a_logged_in_user_are_private_and_not_stored(client, learner):
    client.force_login(learner)

    for name in ("home", "catalogue:course_list", "enrolment:my_courses", "accounts:profile"):
        response = client.get(reverse(name))

        assert response.status_code == 200, name
        assert "private" in response["Cache-Control"], name
        assert "no-store" in response["Cache-Control"], name
        assert "Cookie" in response["Vary"], name


def test_pages_for_visitors_stay_shareable(client):
    response = client.get(reverse("catalogue:course_list"))

    assert "private" not in response.get("Cache-Control", "")


def test_an_invitation_link_is_private_for_a_visitor_too(client):
    invitation = Invitation.objects.create(
        company=CompanyFactory(),
        email="nieuw@example.nl",
        invited_by=UserFactory(),
        token="een-persoonlijke-link",
        expires_at=timezone.now() + timedelta(days=14),
    )

    response = client.get(reverse("accounts:accept_invitation", args=[invitation.token]))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_language_cookie_is_http_only_and_same_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


def test_messages_cookie_is_http_only_and_same_site(rf):
    # Messages that do not fit the session go in a cookie of their own.
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.INFO, "Je bent uitgelogd.")
    response = HttpResponse()

    storage.update(response)

    cookie = response.cookies[storage.cookie_name]
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
