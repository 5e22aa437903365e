"""The offer for schools in the admin: a coordinator adds and changes activities (checkboxes for
target groups, weekdays and places, materials inline), every mistake explained at its field in
Dutch and English; schools are found by name or BRIN code."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import SchoolActivity, SchoolMaterial
from enrolment.models import School
from tests.factories import (
    CompanyFactory,
    LocationFactory,
    MembershipFactory,
    SchoolActivityFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WORDS = {
    "target_groups": {"nl": "ten minste één doelgroep", "en": "at least one target group"},
    "weekdays": {"nl": "ten minste één dag", "en": "at least one day"},
    "at_school": {"nl": "laat de plaatsen leeg", "en": "leave the places empty"},
    "no_place": {"nl": "ten minste één plaats", "en": "at least one place"},
    "contact": {"nl": "iemand van het gastbedrijf", "en": "someone of the host company"},
    "brin": {"nl": "2 cijfers en 2 letters", "en": "2 digits and 2 letters"},
}


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coordinator(client):
    user = UserFactory(is_staff=True, email_verified_at=timezone.now())
    user.groups.add(Group.objects.get(name="Coördinator techniekpromotie"))
    client.force_login(user)
    return client


@pytest.fixture(params=["nl", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.fixture
def hub():
    return LocationFactory(name="Agri Innovatiecenter", kind="hub")


def activity_data(hub, **changes) -> dict:
    """What the add page posts for a drone day at ``hub``, with ``changes``."""
    data = {
        "title": "Drone-scan van een perceel",
        "slug": "drone-scan-van-een-perceel",
        "kind": "hub",
        "summary": "Leerlingen scannen een perceel met een drone.",
        "what_pupils_do": "Een vlucht plannen en de kaart lezen.",
        "target_groups": ["vmbo_3_4", "havo_vwo"],
        "duration_minutes": "180",
        "max_pupils": "48",
        "pupils_per_supervisor": "8",
        "places_per_day": "2",
        "weekdays": ["1", "3"],
        "start_time": "09:00",
        "locations": [str(hub.pk)],
        "host": "",
        "host_contact": "",
        "cost_excl_vat": "0",
        "is_published": "on",
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def errors_at(response, field: str) -> list[str]:
    assert response.status_code == 200, "the form was saved"
    return [str(error) for error in response.context["adminform"].form.errors.get(field, [])]


def test_coordinator_opens_the_add_page_with_checkboxes_in_either_language(
    coordinator, language, hub
):
    response = coordinator.get(reverse("admin:catalogue_schoolactivity_add"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="checkbox" name="target_groups" value="vmbo_3_4"' in html
    assert 'type="checkbox" name="weekdays" value="0"' in html
    assert 'type="checkbox" name="locations"' in html
    assert ("maandag" if language == "nl" else "Monday") in html
    assert ("groep 5–8" if language == "nl" else "primary") in html


def test_coordinator_adds_an_activity_with_a_material(coordinator, hub):
    host = CompanyFactory(name="Polderdrones")
    contact = MembershipFactory(
        company=host, user=UserFactory(email_verified_at=timezone.now())
    ).user
    worksheet = SimpleUploadedFile("werkblad.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = coordinator.post(
        reverse("admin:catalogue_schoolactivity_add"),
        activity_data(
            hub,
            host=str(host.pk),
            host_contact=str(contact.pk),
            **{
                "materials-TOTAL_FORMS": "1",
                "materials-0-use": "preparation",
                "materials-0-title": "Werkblad",
                "materials-0-file": worksheet,
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = SchoolActivity.objects.get(slug="drone-scan-van-een-perceel")
    assert activity.target_groups == ["vmbo_3_4", "havo_vwo"]
    assert activity.weekdays == [1, 3]
    assert list(activity.locations.all()) == [hub]
    assert (activity.host, activity.host_contact) == (host, contact)
    material = SchoolMaterial.objects.get(activity=activity)
    assert material.file.read() == b"%PDF-1.4"


def test_coordinator_saves_an_activity_unchanged(coordinator, hub):
    activity = SchoolActivityFactory(locations=[hub], target_groups=["mbo"])
    url = reverse("admin:catalogue_schoolactivity_change", args=[activity.pk])
    assert coordinator.get(url).status_code == 200
    data = activity_data(hub, title=activity.title, slug=activity.slug, target_groups=["mbo"])
    assert coordinator.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.target_groups == ["mbo"]


@pytest.mark.parametrize("field", ["target_groups", "weekdays"])
def test_an_activity_without_target_group_or_weekday_hears_it_at_the_field(
    coordinator, language, hub, field
):
    response = coordinator.post(
        reverse("admin:catalogue_schoolactivity_add"), activity_data(hub, **{field: None})
    )
    errors = errors_at(response, field)
    assert any(WORDS[field][language] in error for error in errors), errors
    assert not SchoolActivity.objects.exists()


def test_a_guest_lesson_with_a_place_or_a_hub_activity_without_one_is_explained(
    coordinator, language, hub
):
    url = reverse("admin:catalogue_schoolactivity_add")
    response = coordinator.post(url, activity_data(hub, kind="guest_lesson"))
    assert any(WORDS["at_school"][language] in e for e in errors_at(response, "locations"))
    response = coordinator.post(url, activity_data(hub, locations=None))
    assert any(WORDS["no_place"][language] in e for e in errors_at(response, "locations"))
    assert (
        coordinator.post(url, activity_data(hub, kind="mobile_hub", locations=None)).status_code
        == 302
    )


def test_a_host_contact_from_another_company_or_unconfirmed_is_refused(coordinator, language, hub):
    host = CompanyFactory()
    stranger = MembershipFactory(user=UserFactory(email_verified_at=timezone.now())).user
    url = reverse("admin:catalogue_schoolactivity_add")
    response = coordinator.post(
        url, activity_data(hub, host=str(host.pk), host_contact=str(stranger.pk))
    )
    assert any(WORDS["contact"][language] in e for e in errors_at(response, "host_contact"))
    unconfirmed = MembershipFactory(company=host, user=UserFactory(email_verified_at=None)).user
    response = coordinator.post(
        url, activity_data(hub, host=str(host.pk), host_contact=str(unconfirmed.pk))
    )
    assert errors_at(response, "host_contact")
    assert not SchoolActivity.objects.exists()


def test_a_broken_capacity_is_explained_at_its_field(coordinator, language, hub):
    response = coordinator.post(
        reverse("admin:catalogue_schoolactivity_add"),
        activity_data(hub, duration_minutes="10", places_per_day="0"),
    )
    words = {"nl": "tussen 30 minuten en 8 uur", "en": "between 30 minutes and 8 hours"}
    assert any(words[language] in e for e in errors_at(response, "duration_minutes"))
    assert errors_at(response, "places_per_day")
    assert "school_activity_" not in response.content.decode()


def test_coordinator_finds_a_school_by_brin_code(coordinator):
    SchoolFactory(name="Zuyderzee College", brin="12AB")
    SchoolFactory(name="Emelwerda College", brin="34CD")
    response = coordinator.get(reverse("admin:enrolment_school_changelist") + "?q=34cd")
    assert response.status_code == 200
    assert [school.name for school in response.context["cl"].result_list] == ["Emelwerda College"]


def test_a_brin_code_is_written_in_capitals_and_a_wrong_one_is_explained(
    client, staff_user, language
):
    client.force_login(staff_user)
    url = reverse("admin:enrolment_school_add")
    response = client.post(url, {"name": "Zuyderzee College", "brin": "12 ab", "city": ""})
    assert response.status_code == 302
    assert School.objects.get().brin == "12AB"
    response = client.post(url, {"name": "Ander College", "brin": "1234", "city": ""})
    assert any(WORDS["brin"][language] in e for e in errors_at(response, "brin"))
