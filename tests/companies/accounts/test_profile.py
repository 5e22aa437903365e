"""The profile: required names, a checked phone number stored as E.164, the preferred
language, and changing one's password."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from technohub.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "geheim-wachtwoord"  # the factories' password
NEW_PASSWORD = "Polderlicht-Emmeloord-42"


@pytest.fixture
def user(client):
    user = UserFactory(first_name="Łucja", last_name="Nowak", phone="")
    client.force_login(user)
    return user


def save(client, **changes):
    data = {"first_name": "Łucja", "last_name": "Nowak", "phone": "", "preferred_language": "nl"}
    return client.post(reverse("accounts:profile"), {**data, **changes})


def test_profile_stores_a_dutch_number_as_e164_and_shows_it_nationally(client, user):
    response = save(client, phone="06-12 34 56 78")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+31612345678"
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="06 12345678"' in page


def test_profile_stores_an_international_number_and_shows_it_with_its_country_code(client, user):
    save(client, phone="0048 601 234 567")
    user.refresh_from_db()
    assert user.phone == "+48601234567"
    assert 'value="+48 601 234 567"' in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize(
    "typed", ["abc", "123", "06 1234", "+31 6", "+999 12345678", "0612345678901", "0" * 30]
)
def test_profile_refuses_what_is_not_a_phone_number_next_to_the_field(client, user, typed):
    response = save(client, phone=typed, first_name="Anna")
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["phone"]
    assert "geen geldig telefoonnummer" in form.errors["phone"][0]
    assert 'id="error_1_id_phone"' in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.phone) == ("Łucja", "")


def test_profile_refuses_a_phone_number_longer_than_the_field(client, user):
    response = save(client, phone="+31 6 " + "1" * 400)
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors


def test_an_empty_phone_number_is_allowed(client, user):
    user.phone = "+31612345678"
    user.save(update_fields=["phone"])
    save(client, phone="  ")
    user.refresh_from_db()
    assert user.phone == ""


@pytest.mark.parametrize("field", ["first_name", "last_name"])
@pytest.mark.parametrize("value", ["", "   "])
def test_profile_requires_first_and_last_name(client, user, field, value):
    response = save(client, **{field: value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Łucja", "Nowak")


def test_english_profile_tells_the_errors_in_english(client, user):
    with translation.override("en"):
        url = reverse("accounts:profile")
    response = client.post(
        url, {"first_name": "", "last_name": "Nowak", "phone": "abc", "preferred_language": "en"}
    )
    content = response.content.decode()
    assert "This is not a valid phone number" in content
    assert "This field is required." in content
    assert "geen geldig telefoonnummer" not in content


def test_choosing_english_switches_the_site_to_english(client, user):
    response = save(client, preferred_language="en")
    with translation.override("en"):
        english_profile = reverse("accounts:profile")
    assert response["Location"] == english_profile
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.preferred_language == "en"
    page = client.get(english_profile).content.decode()
    assert "Your details have been saved." in page


def test_profile_links_the_password_change(client, user):
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:password_change") in page


def change(client, *, old=OLD_PASSWORD, new1=NEW_PASSWORD, new2=NEW_PASSWORD, url=None):
    return client.post(
        url or reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new1, "new_password2": new2},
    )


def test_password_change_sets_the_new_password_keeps_this_session_and_audits(client, user):
    other_device = Client()
    other_device.force_login(user)
    response = change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:profile")).status_code == 200
    # Whoever was logged in elsewhere with the old password is logged out.
    assert other_device.get(reverse("accounts:profile")).status_code == 302
    assert AuditLog.objects.filter(action="user.password_changed").count() == 1


def test_password_change_refuses_a_wrong_current_password_next_to_the_field(client, user):
    response = change(client, old="niet-mijn-wachtwoord")
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]
    assert "niet je huidige wachtwoord" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)


def test_password_change_refuses_two_different_new_passwords(client, user):
    response = change(client, new2=NEW_PASSWORD + "x")
    assert "De twee nieuwe wachtwoorden zijn niet gelijk." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)


def test_password_change_applies_the_password_rules_in_the_users_language(client, user):
    response = change(client, new1="12345678", new2="12345678")
    assert response.status_code == 200
    assert (
        "Dit wachtwoord bevat alleen cijfers." in response.context["form"].errors["new_password2"]
    )
    with translation.override("en"):
        url = reverse("accounts:password_change")
    english = change(client, new1="12345678", new2="12345678", url=url)
    assert "This password is entirely numeric." in english.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)


def test_password_change_refuses_an_endless_password(client, user):
    response = change(client, new1="x" * 5000, new2="x" * 5000)
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors


def test_password_change_needs_log_in():
    response = Client().get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_refuses_other_methods(client, user):
    assert client.put(reverse("accounts:password_change")).status_code == 405
