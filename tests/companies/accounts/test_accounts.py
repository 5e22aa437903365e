"""Accounts: sign up, confirm by mail, log in (with lockout), reset a password, profile."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import User
from enrolment import outbox
from enrolment.models import Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Lasnaad-2027!"


def deliver_all() -> list:
    """Send every queued notification the way the worker would; return the mails."""
    mail.outbox.clear()
    for pk in Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        outbox.deliver(pk)
    return list(mail.outbox)


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def sign_up(client, **overrides):
    data = {
        "first_name": "Fenna",
        "last_name": "Bakker",
        "email": "fenna@kampstaal.example",
        "password": PASSWORD,
        **overrides,
    }
    return client.post(reverse("accounts:signup") + "?next=/uitvoeringen/7/inschrijven/", data)


def test_sign_up_mails_a_link_that_confirms_logs_in_and_returns_to_the_offering(client):
    response = sign_up(client)
    assert response.status_code == 200
    assert "fenna@kampstaal.example" in response.content.decode()
    user = User.objects.get(email="fenna@kampstaal.example")
    assert user.email_verified_at is None

    (message,) = deliver_all()
    assert message.to == ["fenna@kampstaal.example"]
    confirm = client.get(link_in(message))

    assert confirm.status_code == 302
    assert confirm["Location"] == "/uitvoeringen/7/inschrijven/"
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert client.get(reverse("enrolment:my_courses")).status_code == 200


def test_a_confirmation_link_works_once(client):
    sign_up(client)
    (message,) = deliver_all()
    client.get(link_in(message))
    client.logout()
    assert client.get(link_in(message)).status_code == 400


def test_sign_up_refuses_a_weak_password_next_to_the_field(client):
    response = sign_up(client, password="12345678")
    assert "password" in response.context["form"].errors
    assert not User.objects.exists()


def test_sign_up_with_a_taken_address_says_check_your_mail_and_tells_the_owner(client):
    owner = UserFactory(email="fenna@kampstaal.example", preferred_language="en")
    new = sign_up(client, email="piet@kampstaal.example")
    taken = sign_up(client, email="Fenna@Kampstaal.example")
    assert taken.status_code == new.status_code == 200
    assert taken.templates[0].name == "accounts/signup_done.html"
    assert new.templates[0].name == "accounts/signup_done.html"
    assert User.objects.filter(email__iexact="fenna@kampstaal.example").get() == owner
    mails = {m.to[0]: m for m in deliver_all()}
    attempt = mails["fenna@kampstaal.example"]
    assert "tried to create an account" in attempt.subject
    assert "http://testserver/en/account/" in attempt.body


def test_account_mails_are_throttled_per_address_without_telling(client):
    UserFactory(email="fenna@kampstaal.example")
    for _ in range(6):
        response = client.post(
            reverse("accounts:password_reset"), {"email": "Fenna@kampstaal.example"}
        )
        assert response.status_code == 302
        sign_up(client, email="fenna@kampstaal.example")
    assert Notification.objects.filter(template="password_reset").count() == 3
    assert Notification.objects.filter(template="signup_attempt").count() == 3


@pytest.mark.parametrize(
    "template", ["signup_attempt", "password_reset", "verify_email", "company_invitation"]
)
def test_account_mail_links_come_from_site_url_not_the_request_host(client, settings, template):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    if template == "verify_email":
        client.post(
            reverse("accounts:signup"),
            {
                "first_name": "Fenna",
                "last_name": "Bakker",
                "email": "new@kampstaal.example",
                "password": PASSWORD,
            },
            HTTP_HOST="evil.example",
        )
    elif template == "company_invitation":
        hr = MembershipFactory(role="hr").user
        client.force_login(hr)
        client.post(
            reverse("portal:roster", args=[hr.companies.get().slug]),
            {"email": "fenna@kampstaal.example"},
            HTTP_HOST="evil.example",
        )
    else:
        UserFactory(email="fenna@kampstaal.example")
        if template == "password_reset":
            client.post(
                reverse("accounts:password_reset"),
                {"email": "fenna@kampstaal.example"},
                HTTP_HOST="evil.example",
            )
        else:
            client.post(
                reverse("accounts:signup"),
                {
                    "first_name": "F",
                    "last_name": "B",
                    "email": "fenna@kampstaal.example",
                    "password": PASSWORD,
                },
                HTTP_HOST="evil.example",
            )
    (message,) = deliver_all()
    html = message.alternatives[0][0]
    assert "http://testserver/" in message.body
    assert "evil.example" not in message.body + html


def test_unconfirmed_user_cannot_log_in_and_gets_a_new_link(client):
    sign_up(client)
    deliver_all()
    response = client.post(
        reverse("accounts:login"), {"username": "fenna@kampstaal.example", "password": PASSWORD}
    )
    assert "nog niet bevestigd" in response.content.decode()
    (message,) = deliver_all()
    assert "/account/bevestigen/" in message.body


def test_log_in_goes_to_next(client):
    UserFactory(email="jan@kampstaal.example", email_verified_at="2026-01-01T00:00Z")
    response = client.post(
        reverse("accounts:login") + "?next=/cursussen/",
        {
            "username": "jan@kampstaal.example",
            "password": "geheim-wachtwoord",
            "next": "/cursussen/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/cursussen/"


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client):
    UserFactory(email="jan@kampstaal.example", email_verified_at="2026-01-01T00:00Z")
    attempt = {"username": "jan@kampstaal.example", "password": "fout"}
    for _ in range(4):
        assert client.post(reverse("accounts:login"), attempt).status_code == 200
    locked = client.post(reverse("accounts:login"), attempt)
    assert locked.status_code == 429
    assert "Te vaak een verkeerd wachtwoord" in locked.content.decode()
    # Even the right password is refused until the lock expires.
    right = {"username": "jan@kampstaal.example", "password": "geheim-wachtwoord"}
    assert client.post(reverse("accounts:login"), right).status_code == 429


def test_password_reset_mail_goes_through_the_outbox_in_the_users_language(client):
    user = UserFactory(email="piotr@kampstaal.example", preferred_language="en")
    client.post(reverse("accounts:password_reset"), {"email": "piotr@kampstaal.example"})
    (message,) = deliver_all()
    assert message.to == [user.email]
    path = link_in(message)
    assert path.startswith("/en/account/")
    form_page = client.get(path, follow=True)
    new_password_url = form_page.redirect_chain[-1][0]
    client.post(new_password_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_profile_shows_companies_and_saves_changes(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert membership.company.name in page
    client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Anne",
            "last_name": "Visser",
            "phone": "0527 123456",
            "preferred_language": "en",
        },
    )
    membership.user.refresh_from_db()
    assert (membership.user.first_name, membership.user.preferred_language) == ("Anne", "en")


def test_profile_needs_log_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_log_out_is_post_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_someone_added_by_hr_chooses_a_first_password_and_can_log_in(client):
    added = User.objects.create_user(email="nieuw@kampstaal.example", password=None)
    client.post(reverse("accounts:password_reset"), {"email": "nieuw@kampstaal.example"})
    (message,) = deliver_all()
    form_page = client.get(link_in(message), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    added.refresh_from_db()
    assert added.email_verified_at is not None
    response = client.post(
        reverse("accounts:login"), {"username": "nieuw@kampstaal.example", "password": PASSWORD}
    )
    assert response.status_code == 302
