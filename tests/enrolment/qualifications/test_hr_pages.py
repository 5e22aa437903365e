"""HR's qualification pages: the matrix, its filters, paging and export, and entering one."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from enrolment.models import HeldQualification
from enrolment.qualifications import selectors
from tests.factories import QualificationFactory
from tests.queries import page_queries

from .helpers import hold, make_company, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return make_company()


@pytest.fixture
def hr_client(client, company):
    client.force_login(company.hr)
    return client


def matrix_url(company, **query):
    url = reverse("portal:qualifications", args=[company.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def people(company):
    """Anna: VCA expiring in 30 days; Bart: VCA valid for years, NEN 3140 expired; Cees: a
    first-aid certificate that never expires; Dirk: nothing. Another company's Eva holds a
    forklift licence."""
    today = timezone.localdate()
    vca = QualificationFactory(name="VCA", name_en="VCA (safety)")
    nen = QualificationFactory(name="NEN 3140")
    ehbo = QualificationFactory(name="EHBO", name_en="First aid", validity_months=None)
    anna = member(company, first_name="Anna", last_name="Smit", department="Productie").user
    bart = member(company, first_name="Bart", last_name="Jansen", department="Onderhoud").user
    cees = member(company, first_name="Cees", last_name="Bos", department="Productie").user
    member(company, first_name="Dirk", last_name="Visser")
    eva = member(make_company("Suplacon", "suplacon"), first_name="Eva").user
    # Anna's older VCA expired; the newer one counts.
    days = timedelta(days=1)
    hold(anna, vca, expires_on=today - 400 * days, obtained_on=today - 4000 * days)
    hold(anna, vca, expires_on=today + 30 * days, obtained_on=today - 3620 * days)
    hold(bart, vca, expires_on=today + timedelta(days=2000))
    hold(bart, nen, expires_on=today - timedelta(days=5))
    hold(cees, ehbo, expires_on=None, obtained_on=today - timedelta(days=10))
    hold(eva, QualificationFactory(name="Heftruck"), expires_on=today + timedelta(days=10))
    return {"anna": anna, "bart": bart, "cees": cees, "vca": vca, "nen": nen, "ehbo": ehbo}


def cells(response) -> dict[str, list[str]]:
    """Each row's name and its cells' states."""
    return {
        row.membership.user.first_name: [cell.status for cell in row.cells]
        for row in response.context["rows"]
    }


def test_matrix_shows_the_latest_expiry_per_person_and_marks_what_expires(
    hr_client, company, people
):
    response = hr_client.get(matrix_url(company))

    assert [q.name for q in response.context["qualifications"]] == ["EHBO", "NEN 3140", "VCA"]
    assert cells(response) == {
        "Cees": ["never", "", ""],
        "Bart": ["", "expired", "valid"],
        "Anna": ["", "", "expiring"],
        "Dirk": ["", "", ""],
        "Hanna": ["", "", ""],  # HR is on the roster too
    }
    html = response.content.decode()
    assert "Heftruck" not in html  # another company's people's qualifications
    expiry = (timezone.localdate() + timedelta(days=30)).strftime("%d-%m-%Y")
    assert f"geldig tot {expiry}" in html
    assert "verloopt binnenkort" in html and "verlopen" in html and "verloopt niet" in html


@pytest.mark.parametrize(
    "query, names",
    [
        ({"status": "expiring"}, ["Anna"]),
        ({"status": "expired"}, ["Bart"]),
        ({"status": "valid"}, ["Cees", "Bart"]),
        ({"department": "Productie"}, ["Cees", "Anna"]),
        ({"q": "jans"}, ["Bart"]),
    ],
)
def test_matrix_filters(hr_client, company, people, query, names):
    response = hr_client.get(matrix_url(company, **query))
    assert [row.membership.user.first_name for row in response.context["rows"]] == names


def test_matrix_filtered_on_a_qualification_shows_its_column_and_holders(
    hr_client, company, people
):
    response = hr_client.get(matrix_url(company, qualification=people["vca"].pk))
    assert [q.name for q in response.context["qualifications"]] == ["VCA"]
    assert cells(response) == {"Bart": ["valid"], "Anna": ["expiring"]}


def test_matrix_pages_thousands_in_a_constant_number_of_queries(hr_client, company, people):
    few = page_queries(hr_client, matrix_url(company))
    today = timezone.localdate()
    for index in range(selectors.MATRIX_PAGE_SIZE + 5):
        person = member(company, first_name=f"Extra{index:03d}", last_name="Zwart").user
        hold(person, people["vca"], expires_on=today + timedelta(days=index * 20))
        hold(person, QualificationFactory(), expires_on=None)
    assert page_queries(hr_client, matrix_url(company)) == few
    response = hr_client.get(matrix_url(company, page=2))
    assert response.context["page"].paginator.num_pages == 2
    # Five people of the fixture (HR too) and the extra ones, 50 on the first page.
    assert len(response.context["rows"]) == 5 + selectors.MATRIX_PAGE_SIZE + 5 - 50


def test_matrix_reads_in_english(hr_client, company, people):
    with translation.override("en"):
        url = reverse("portal:qualifications", args=[company.slug])
    html = hr_client.get(url).content.decode()
    assert "Qualifications" in html and "VCA (safety)" in html and "First aid" in html
    assert "expires soon" in html and "does not expire" in html


def test_export_has_a_row_per_person_and_qualification_of_the_filtered_set(
    hr_client, company, people
):
    url = reverse("portal:qualifications_export", args=[company.slug])
    response = hr_client.get(url)
    assert response["Content-Disposition"].startswith('attachment; filename="kwalificaties-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:5] == ("Naam", "E-mailadres", "Personeelsnummer", "Afdeling", "Kwalificatie")
    assert [(row[0], row[4], row[7], row[8]) for row in rows[1:]] == [
        ("Cees Bos", "EHBO", "verloopt niet", "SSVV"),
        ("Bart Jansen", "NEN 3140", "verlopen", "SSVV"),
        ("Bart Jansen", "VCA", "geldig", "SSVV"),
        ("Anna Smit", "VCA", "verloopt binnenkort", "SSVV"),
    ]

    expiring = load_workbook(io.BytesIO(hr_client.get(url + "?status=expiring").content)).active
    assert [row[0] for row in list(expiring.values)[1:]] == ["Anna Smit"]


def test_add_page_enters_a_qualification_for_a_member(hr_client, company, people):
    dirk = company.memberships.get(user__first_name="Dirk")
    response = hr_client.post(
        reverse("portal:add_qualification", args=[company.slug]),
        {
            "person": dirk.pk,
            "qualification": people["vca"].pk,
            "obtained_on": "2025-03-01",
            "issuer": "SSVV",
            "document_reference": "123",
        },
    )
    assert response.status_code == 302
    held = HeldQualification.objects.get(person=dirk.user)
    assert str(held.expires_on) == "2035-03-01"


def test_add_page_shows_errors_next_to_the_field_and_refuses_another_companys_person(
    hr_client, company, people
):
    stranger = make_company("Hollandia", "hollandia").hr.memberships.get()
    url = reverse("portal:add_qualification", args=[company.slug])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = hr_client.post(
        url,
        {"person": stranger.pk, "qualification": people["vca"].pk, "obtained_on": tomorrow},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"person", "issuer"}
    dirk = company.memberships.get(user__first_name="Dirk")
    response = hr_client.post(
        url,
        {
            "person": dirk.pk,
            "qualification": people["vca"].pk,
            "obtained_on": tomorrow,
            "issuer": "SSVV",
        },
    )
    assert response.context["form"].errors == {
        "obtained_on": ["De datum van behalen kan niet in de toekomst liggen."]
    }
    assert not HeldQualification.objects.filter(person=dirk.user).exists()


def test_change_and_remove_pages_only_for_what_hr_entered(hr_client, company, people):
    held = HeldQualification.objects.get(person=people["bart"], qualification=people["nen"])
    change = reverse("portal:change_qualification", args=[company.slug, held.pk])
    remove = reverse("portal:remove_qualification", args=[company.slug, held.pk])
    assert hr_client.get(change).status_code == 200
    assert "verwijderen?" in hr_client.get(remove).content.decode()  # asks first
    assert HeldQualification.objects.filter(pk=held.pk).exists()
    assert hr_client.post(remove).status_code == 302
    assert not HeldQualification.objects.filter(pk=held.pk).exists()

    # Another company's HR finds nothing.
    other = make_company("Hollandia", "hollandia")
    held = hold(people["bart"], people["nen"], expires_on=None)
    hr_client.force_login(other.hr)
    assert (
        hr_client.get(
            reverse("portal:change_qualification", args=[other.slug, held.pk])
        ).status_code
        == 404
    )
