"""Techniek beleven, the public offer for schools: the list with its filters and counter, an
activity's page and its materials, in Dutch and English, in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import SchoolActivity, SchoolMaterial
from enrolment.models import SchoolVisit
from tests.factories import (
    CompanyFactory,
    LocationFactory,
    SchoolActivityFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def drone_day(db):
    """The Agri Innovatiecenter's drone day for vmbo, hosted by a company, with a worksheet."""
    place = LocationFactory(
        name="Agri Innovatiecenter",
        name_en="Agri Innovation Centre",
        street="De Drieslag 4",
        postal_code="8251 JZ",
        city="Dronten",
    )
    activity = SchoolActivityFactory(
        title="Drone-scan van een perceel",
        title_en="Drone scan of a field",
        slug="drone-scan-van-een-perceel",
        summary="Leerlingen scannen een perceel met een drone.",
        summary_en="Pupils scan a field with a drone.",
        what_pupils_do="Een vlucht plannen en de kaart lezen.",
        what_pupils_do_en="Plan a flight and read the map.",
        target_groups=["vmbo_3_4"],
        places_per_day=2,
        host=CompanyFactory(name="Polderdrones"),
        safety_rules="Dichte schoenen\nVeiligheidsbril op bij de drone",
        safety_rules_en="Closed shoes\nSafety goggles near the drone",
        cost_excl_vat="150.00",
        cost_terms="per groep",
        cost_terms_en="per group",
        locations=[place],
    )
    SchoolMaterial.objects.create(
        activity=activity,
        use=SchoolMaterial.Use.PREPARATION,
        title="Werkblad: wat is een perceel?",
        title_en="Worksheet: what is a field?",
        file=ContentFile(b"%PDF-1.4 werkblad", name="werkblad perceel.PDF"),
    )
    return activity


def test_schools_page_lists_published_activities_as_cards(client, drone_day):
    SchoolActivityFactory(title="Geheime activiteit", is_published=False)
    SchoolActivityFactory(
        title="Gastles robotica", kind=SchoolActivity.Kind.GUEST_LESSON, target_groups=["po_5_8"]
    )
    html = client.get(reverse("schools:list")).content.decode()
    assert "<h1>Techniek beleven</h1>" in html
    assert "Drone-scan van een perceel" in html
    assert "Geheime activiteit" not in html
    assert "vmbo 3–4" in html
    assert "3 uur" in html
    assert "maximaal 60 per bezoek" in html
    assert "Polderdrones" in html
    assert "Agri Innovatiecenter" in html
    assert "€\N{NO-BREAK SPACE}150,00 excl. btw" in html
    # The guest lesson is at the school, and free.
    assert "op school" in html
    assert "gratis" in html
    assert "2 activiteiten" in html


def test_schools_page_reads_in_english(client, drone_day):
    with translation.override("en"):
        url = reverse("schools:list")
    assert url == "/en/schools/"
    html = client.get(url).content.decode()
    assert "<h1>Experience technology</h1>" in html
    assert "Drone scan of a field" in html
    assert "Agri Innovation Centre" in html
    assert "3 hours" in html
    assert "€150.00 excl. VAT" in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?doelgroep=vmbo_3_4", {"Drone-scan van een perceel"}),
        ("?doelgroep=po_5_8", {"Gastles robotica"}),
        ("?soort=guest_lesson", {"Gastles robotica"}),
        ("?soort=hub&doelgroep=po_5_8", set()),
        # Values that are not in the list are ignored: everything shows.
        ("?doelgroep=kapot", {"Drone-scan van een perceel", "Gastles robotica"}),
        ("?soort=%27%22%3Cx&doelgroep=", {"Drone-scan van een perceel", "Gastles robotica"}),
        ("?doelgroep=vmbo_3_4&doelgroep=x", {"Drone-scan van een perceel", "Gastles robotica"}),
    ],
)
def test_schools_page_filters_by_target_group_and_kind(client, drone_day, query, shown):
    SchoolActivityFactory(
        title="Gastles robotica", kind=SchoolActivity.Kind.GUEST_LESSON, target_groups=["po_5_8"]
    )
    response = client.get(reverse("schools:list") + query)
    assert response.status_code == 200
    listed = {activity.title for activity in response.context["activities"]}
    assert listed == shown
    if not shown:
        assert "geen activiteit die past bij deze keuze" in response.content.decode()


def test_a_chosen_filter_stays_selected_and_an_invalid_one_shows_no_error(client, drone_day):
    html = client.get(reverse("schools:list") + "?doelgroep=vmbo_3_4&soort=kapot").content.decode()
    assert '<option value="vmbo_3_4" selected>' in html
    assert "is-invalid" not in html
    assert "Alle activiteiten tonen" in html


def _confirmed_visit(*, on: date, pupils: int, status=SchoolVisit.Status.CONFIRMED):
    request = SchoolRequestFactory(preferred_dates=[on])
    return SchoolVisitFactory(request=request, date=on, pupils=pupils, status=status)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Dit schooljaar kwamen 1.240 leerlingen techniek beleven bij de Technohub."),
        ("en", "This school year 1,240 pupils came to experience technology at the Technohub."),
    ],
)
def test_counter_says_the_pupils_of_this_school_year_in_the_languages_number_format(
    client, language, sentence
):
    today = timezone.localdate()
    _confirmed_visit(on=today, pupils=1000)
    _confirmed_visit(on=today - timedelta(days=1), pupils=240)
    # Not counted: a visit not confirmed, one still to come, and one of last school year.
    _confirmed_visit(on=today, pupils=7, status=SchoolVisit.Status.PLANNED)
    _confirmed_visit(on=today + timedelta(days=3), pupils=11)
    _confirmed_visit(on=today - timedelta(days=400), pupils=13)
    with translation.override(language):
        url = reverse("schools:list")
    assert sentence in client.get(url).content.decode()


def test_counter_with_no_pupils_yet_invites_the_first_class(client):
    html = client.get(reverse("schools:list")).content.decode()
    assert "nog geen klas geweest" in html
    assert "0 leerlingen" not in html


def test_schools_page_queries_do_not_grow_with_the_activities(client):
    for _ in range(3):
        SchoolActivityFactory(host=CompanyFactory(), locations=[LocationFactory()])
    few = page_queries(client, reverse("schools:list"))
    for _ in range(12):
        SchoolActivityFactory(
            host=CompanyFactory(), locations=[LocationFactory(), LocationFactory()]
        )
    assert page_queries(client, reverse("schools:list")) == few
    assert few <= 4


def test_activity_page_tells_a_teacher_everything_to_decide(client, drone_day):
    response = client.get(reverse("schools:activity", args=[drone_day.slug]))
    html = response.content.decode()
    assert "<h1>Drone-scan van een perceel</h1>" in html
    assert "Een vlucht plannen en de kaart lezen." in html
    assert "vmbo 3–4" in html
    assert "maximaal 60 per bezoek" in html
    assert "2 bezoeken per dag" in html
    assert "1 begeleider per 8 leerlingen" in html
    assert "maandag, dinsdag, woensdag, donderdag, vrijdag" in html
    location = drone_day.locations.get()
    assert reverse("catalogue:location_detail", args=[location.slug]) in html
    assert "De Drieslag 4" in html
    assert "Polderdrones" in html
    assert "<li>Dichte schoenen</li>" in html
    assert "<li>Veiligheidsbril op bij de drone</li>" in html
    material = drone_day.materials.get()
    assert reverse("schools:material", args=[drone_day.slug, material.pk]) in html
    assert "Werkblad: wat is een perceel?" in html
    assert "per groep" in html


def test_activity_page_reads_in_english(client, drone_day):
    with translation.override("en"):
        url = reverse("schools:activity", args=[drone_day.slug])
    assert url.startswith("/en/schools/")
    html = client.get(url).content.decode()
    assert "<h1>Drone scan of a field</h1>" in html
    assert "Plan a flight and read the map." in html
    assert "1 supervisor per 8 pupils" in html
    assert "Monday, Tuesday" in html
    assert "<li>Closed shoes</li>" in html
    assert "Worksheet: what is a field?" in html
    assert "per group" in html


def test_activity_at_school_says_so_instead_of_a_place(client):
    activity = SchoolActivityFactory(kind=SchoolActivity.Kind.MOBILE_HUB, cost_excl_vat=0)
    html = client.get(reverse("schools:activity", args=[activity.slug])).content.decode()
    assert "op school" in html
    assert "gratis" in html


def test_unpublished_or_unknown_activity_is_not_found(client):
    hidden = SchoolActivityFactory(is_published=False)
    assert client.get(reverse("schools:activity", args=[hidden.slug])).status_code == 404
    assert client.get(reverse("schools:activity", args=["bestaat-niet"])).status_code == 404


def test_activity_page_queries_are_fixed(client, drone_day):
    url = reverse("schools:activity", args=[drone_day.slug])
    few = page_queries(client, url)
    for number in range(5):
        SchoolMaterial.objects.create(
            activity=drone_day,
            use=SchoolMaterial.Use.FOLLOW_UP,
            title=f"Opdracht {number}",
            file=ContentFile(b"x", name=f"opdracht-{number}.docx"),
        )
        drone_day.locations.add(LocationFactory())
    assert page_queries(client, url) == few


def test_material_downloads_as_an_attachment_with_a_safe_name(client, drone_day):
    material = drone_day.materials.get()
    response = client.get(reverse("schools:material", args=[drone_day.slug, material.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 werkblad"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="werkblad-wat-is-een-perceel.pdf"'
    )


def test_material_is_named_in_english_for_english_users(client, drone_day):
    material = drone_day.materials.get()
    with translation.override("en"):
        url = reverse("schools:material", args=[drone_day.slug, material.pk])
    response = client.get(url)
    assert 'filename="worksheet-what-is-a-field.pdf"' in response["Content-Disposition"]


def test_material_is_not_found_for_a_wrong_pair_an_unpublished_activity_or_a_missing_file(
    client, drone_day
):
    material = drone_day.materials.get()
    other = SchoolActivityFactory()
    assert (
        client.get(reverse("schools:material", args=[other.slug, material.pk])).status_code == 404
    )
    assert client.get(reverse("schools:material", args=[drone_day.slug, 999999])).status_code == 404
    material.file.storage.delete(material.file.name)
    assert (
        client.get(reverse("schools:material", args=[drone_day.slug, material.pk])).status_code
        == 404
    )
    SchoolActivity.objects.filter(pk=drone_day.pk).update(is_published=False)
    assert (
        client.get(reverse("schools:material", args=[drone_day.slug, material.pk])).status_code
        == 404
    )


def test_material_download_refuses_posts(client, drone_day):
    material = drone_day.materials.get()
    url = reverse("schools:material", args=[drone_day.slug, material.pk])
    assert client.post(url).status_code == 405


def test_footer_links_the_schools_page_and_the_sitemap_lists_it(client, drone_day):
    SchoolActivityFactory(slug="verborgen", is_published=False)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("schools:list")}"' in home
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/scholen/</loc>" in sitemap
    assert f"/scholen/{drone_day.slug}/</loc>" in sitemap
    assert "/en/schools/drone-scan-van-een-perceel/" in sitemap
    assert "verborgen" not in sitemap
