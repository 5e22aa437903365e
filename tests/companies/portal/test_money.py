"""Money in view for HR: costs per year, the total before a team is booked, the company's own
references (PO number, cost centre) on every list, and spreadsheets that read as numbers."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.admin.participant_list import participant_list
from companies.funding import report as funding_report
from companies.models import Membership
from companies.portal.selectors import get_dashboard
from enrolment import pricing
from enrolment.models import Enrolment
from technohub import spreadsheets
from technohub.spreadsheets import Column
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

PRICE = Decimal("1395.00")
Status = Enrolment.Status


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal", slug="kampstaal")


@pytest.fixture
def hr(company):
    return MembershipFactory(company=company, role=Membership.Role.HR).user


@pytest.fixture
def course():
    return CourseFactory(title="MIG/MAG-lassen", price_excl_vat=PRICE, vat_rate=Decimal("21"))


@pytest.fixture
def book(company, course):
    """An enrolment paid by ``company`` in a one-day run on ``run_day``, booked at ``booked``."""

    def make(
        run_day: datetime,
        *,
        status=Status.CONFIRMED,
        booked: datetime | None = None,
        paid_by=company,
        **fields,
    ):
        offering = OfferingFactory(course=course)
        MeetingFactory(offering=offering, starts_at=run_day, ends_at=run_day + timedelta(hours=8))
        enrolment = EnrolmentFactory(
            offering=offering,
            learner=MembershipFactory(company=company).user,
            company=paid_by,
            status=status,
            waitlist_position=1 if status == Status.WAITLISTED else None,
            price_excl_vat=course.price_excl_vat,
            vat_rate=course.vat_rate,
            **fields,
        )
        if booked is not None:
            Enrolment.objects.filter(pk=enrolment.pk).update(created_at=booked)
        return enrolment

    return make


def seats(n: int) -> pricing.Cost:
    return pricing.seat_cost(price_excl_vat=PRICE, vat_rate=Decimal("21")) * n


# --- What N seats cost ---------------------------------------------------------------------------


def test_seats_cost_is_n_times_the_price_with_the_vat_of_each_seat(course):
    offering = OfferingFactory(course=course)

    cost = pricing.seats_cost(offering=offering, seats=4)

    assert (cost.excl_vat, cost.vat, cost.incl_vat) == (
        Decimal("5580.00"),
        Decimal("1171.80"),
        Decimal("6751.80"),
    )
    assert pricing.seats_cost(offering=offering, seats=0) == pricing.Cost()
    with pytest.raises(ValueError):
        pricing.seats_cost(offering=offering, seats=-1)


def test_seats_cost_rounds_vat_per_seat_so_the_total_matches_the_exported_lines():
    offering = OfferingFactory(
        course=CourseFactory(price_excl_vat=Decimal("0.05"), vat_rate=Decimal("21"))
    )

    # 0.0105 a seat rounds to 0.01; ten lines of 0.01 add up to 0.10, not to 0.105 rounded.
    assert pricing.seats_cost(offering=offering, seats=10).vat == Decimal("0.10")


# --- Costs per year on the dashboard -------------------------------------------------------------

NOW = local(2026, 12, 1, 12, 0)


def test_dashboard_counts_committed_and_spent_by_run_year_and_by_booking_year(company, book):
    # Committed: a seat and a request for runs still to come.
    book(local(2027, 2, 8, 9), booked=local(2026, 11, 2, 10))  # next year's run, booked now
    book(local(2027, 2, 9, 9), status=Status.REQUESTED, booked=local(2026, 11, 3, 10))
    book(local(2026, 12, 14, 9), booked=local(2025, 12, 20, 10))  # this year's, booked last year
    # Spent: taken part in, not shown up (paid), or over and not yet marked.
    book(local(2026, 3, 2, 9), status=Status.COMPLETED, booked=local(2025, 11, 5, 10))
    book(local(2026, 4, 6, 9), status=Status.NO_SHOW, booked=local(2026, 1, 5, 10))
    book(local(2026, 11, 20, 9), booked=local(2026, 6, 1, 10))
    # Nothing: a waiting-list place, a cancellation, a request the run went by without.
    book(local(2027, 2, 8, 9), status=Status.WAITLISTED, booked=local(2026, 11, 2, 10))
    book(local(2027, 2, 8, 9), status=Status.CANCELLED, booked=local(2026, 11, 2, 10))
    book(local(2026, 10, 5, 9), status=Status.REQUESTED, booked=local(2026, 9, 1, 10))
    # Another company's seat is none of this one's business.
    book(local(2027, 2, 8, 9), paid_by=CompanyFactory(), booked=local(2026, 11, 2, 10))

    costs = get_dashboard(company=company, now=NOW).costs

    this_year, next_year = costs.by_run_year
    assert (this_year.year, this_year.committed, this_year.spent) == (2026, seats(1), seats(3))
    assert (next_year.year, next_year.committed, next_year.spent) == (2027, seats(2), seats(0))
    last_year, booked_this_year = costs.by_booking_year
    assert (last_year.year, last_year.committed, last_year.spent) == (2025, seats(1), seats(1))
    assert (booked_this_year.year, booked_this_year.committed, booked_this_year.spent) == (
        2026,
        seats(2),
        seats(2),
    )
    assert this_year.total == seats(4)
    assert get_dashboard(company=company, now=NOW).costs_this_year == Decimal("5580.00")


def test_a_seat_not_completed_is_spent_like_a_no_show(company, book):
    book(local(2026, 3, 2, 9), status=Status.NOT_COMPLETED, booked=local(2026, 1, 5, 10))
    book(local(2026, 4, 6, 9), status=Status.NO_SHOW, booked=local(2026, 1, 5, 10))

    this_year = get_dashboard(company=company, now=NOW).costs.this_year

    assert (this_year.committed, this_year.spent) == (seats(0), seats(2))


def test_booking_year_is_the_local_calendar_year(company, book):
    # 00:30 on New Year's Day in the Netherlands is still the old year in UTC.
    book(local(2027, 3, 1, 9), booked=local(2026, 1, 1, 0, 30))

    costs = get_dashboard(company=company, now=NOW).costs

    assert [year.committed for year in costs.by_booking_year] == [seats(0), seats(1)]


@pytest.fixture
def february_team(company, book):
    """Four seats committed for February next year: what HR saw as "€ 0,00 this year"."""
    february = local(timezone.localdate().year + 1, 2, 8, 9)
    for _ in range(4):
        book(february)
    return february


def test_dashboard_shows_seats_committed_for_next_year_in_dutch(client, hr, february_team):
    client.force_login(hr)

    page = client.get(reverse("portal:dashboard", args=["kampstaal"])).content.decode()

    assert "Vastgelegd voor volgend jaar (excl. btw)" in page
    assert "€\xa05.580,00" in page  # 4 seats of € 1.395,00
    assert "€\xa06.751,80 incl. btw" in page
    assert "Per jaar waarin de uitvoering plaatsvindt" in page
    assert "Per jaar waarin geboekt is" in page


def test_dashboard_shows_costs_in_english_with_english_numbers(client, hr, february_team):
    client.force_login(hr)
    with translation.override("en"):
        url = reverse("portal:dashboard", args=["kampstaal"])

    page = client.get(url).content.decode()

    assert "Committed for next year (excl. VAT)" in page
    assert "€5,580.00" in page
    assert "€6,751.80 incl. VAT" in page
    assert "5.580,00" not in page


def test_dashboard_costs_take_no_queries_per_enrolment(client, hr, company, book):
    client.force_login(hr)
    url = reverse("portal:dashboard", args=["kampstaal"])
    book(timezone.now() + timedelta(days=40))
    few = page_queries(client, url)
    for days in (10, 50, 400):
        book(timezone.now() + timedelta(days=days), status=Status.REQUESTED)
        book(timezone.now() - timedelta(days=days), status=Status.COMPLETED)
    assert page_queries(client, url) == few


# --- The team page: the total before confirming, PO number and cost centre -----------------------


@pytest.fixture
def team(company):
    return [
        MembershipFactory(company=company, user=UserFactory(first_name="Lid", last_name=name)).user
        for name in ("Aalders", "Bosma", "Claassen")
    ]


@pytest.fixture
def offering(course):
    offering = OfferingFactory(course=course, capacity=2, min_participants=1)
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=30))
    return offering


def team_url(offering, language: str = "nl") -> str:
    with translation.override(language):
        return reverse("portal:team_enrol", args=["kampstaal", offering.pk])


def test_team_page_shows_the_price_per_person_excl_and_incl_vat(client, hr, team, offering):
    client.force_login(hr)

    page = client.get(team_url(offering)).content.decode()

    assert "€\xa01.395,00 excl. btw (€\xa01.687,95 incl. btw)" in page
    assert 'name="po_number"' in page and 'maxlength="35"' in page


def test_team_total_is_shown_before_anyone_is_enrolled(client, hr, team, offering):
    client.force_login(hr)

    response = client.post(
        team_url(offering),
        {"learners": [p.pk for p in team], "po_number": "4500012345", "cost_centre": "310"},
    )

    page = response.content.decode()
    assert response.templates[0].name == "portal/team_confirm.html"
    assert "3 deelnemers \N{MULTIPLICATION SIGN} €\xa01.395,00" in page
    assert "€\xa04.185,00" in page  # excl. VAT
    assert "€\xa0878,85" in page  # VAT
    assert "€\xa05.063,85" in page  # incl. VAT
    assert "4500012345" in page and "310" in page
    # Two seats are left: the third goes on the waiting list and costs nothing yet.
    assert "1 medewerker komt op de wachtlijst" in page
    assert all(str(person) in page for person in team)
    assert not Enrolment.objects.exists()


def test_confirming_the_team_stores_po_number_and_cost_centre_on_each_enrolment(
    client, hr, team, offering
):
    client.force_login(hr)

    response = client.post(
        team_url(offering),
        {
            "learners": [p.pk for p in team[:2]],
            "po_number": " 4500012345 ",
            "cost_centre": "310-Lassen",
            "step": "confirm",
        },
    )

    assert "Ingeschreven (2)" in response.content.decode()
    assert "€\xa02.790,00 excl. btw (€\xa03.375,90 incl. btw)" in response.content.decode()
    assert sorted(
        Enrolment.objects.values_list("learner_id", "po_number", "cost_centre", "enrolled_by")
    ) == sorted((person.pk, "4500012345", "310-Lassen", hr.pk) for person in team[:2])


def test_changing_the_team_goes_back_with_the_choice_kept(client, hr, team, offering):
    client.force_login(hr)

    response = client.post(
        team_url(offering),
        {"learners": [team[1].pk], "po_number": "PO-7", "step": "change"},
    )

    page = response.content.decode()
    assert response.templates[0].name == "portal/team_enrol.html"
    assert f'value="{team[1].pk}" id="learners-chosen-{team[1].pk}" checked' in page
    assert f'value="{team[0].pk}" id="learners-{team[0].pk}">' in page
    assert 'value="PO-7"' in page
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Zorg dat deze waarde niet meer dan 35 tekens bevat (het zijn er nu 36)."),
        ("en", "Ensure this value has at most 35 characters (it has 36)."),
    ],
)
def test_a_too_long_po_number_is_refused_next_to_the_field(
    client, hr, team, offering, language, message
):
    client.force_login(hr)

    response = client.post(
        team_url(offering, language),
        {"learners": [team[0].pk], "po_number": "9" * 36, "step": "confirm"},
    )

    page = response.content.decode()
    assert f'<div class="invalid-feedback" id="id_po_number-error">{message}</div>' in page
    assert 'aria-invalid="true"' in page
    assert not Enrolment.objects.exists()


def test_team_confirmation_takes_no_queries_per_person(client, hr, company, offering):
    client.force_login(hr)
    people = [MembershipFactory(company=company).user for _ in range(8)]

    def confirmation_queries(chosen) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(team_url(offering), {"learners": [p.pk for p in chosen]})
        assert response.templates[0].name == "portal/team_confirm.html"
        return len(captured.captured_queries)

    confirmation_queries(people[:1])
    assert confirmation_queries(people) == confirmation_queries(people[:1])


def test_dashboard_lists_po_number_and_cost_centre_with_the_enrolment(client, hr, book):
    book(timezone.now() + timedelta(days=20), po_number="4500012345", cost_centre="310")
    client.force_login(hr)

    page = client.get(reverse("portal:dashboard", args=["kampstaal"])).content.decode()

    assert "PO 4500012345 · kostenplaats 310" in page


# --- Exports: the references everywhere, numbers that stay numbers -------------------------------


def read_csv(content: bytes, delimiter: str) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.fixture
def referenced(book):
    """A completed seat with a PO number and cost centre, in a run this year."""
    return book(
        local(timezone.localdate().year, 1, 12, 9),
        status=Status.COMPLETED,
        po_number="4500012345",
        cost_centre="=310",  # looks like a formula: neutralised like any text
    )


def test_dutch_csv_has_semicolons_decimal_commas_and_the_references(client, hr, referenced):
    client.force_login(hr)

    response = client.get(reverse("portal:export_csv", args=["kampstaal"]))

    assert b";" in response.content.splitlines()[0]
    (row,) = read_csv(response.content, ";")
    assert row["Prijs excl. btw"] == "1395,00"  # no thousands separator
    assert row["Btw"] == "292,95"
    assert row["Prijs incl. btw"] == "1687,95"
    assert row["Btw-tarief"] == "21,00"
    assert row["Studie-uren"] == "16,0"
    assert row["Inkoopordernummer"] == "4500012345"
    assert row["Kostenplaats"] == "'=310"
    assert row["Geboekt op"] == timezone.localdate(referenced.created_at).isoformat()
    assert Decimal(row["Prijs incl. btw"].replace(",", ".")) == Decimal("1687.95")


def test_english_csv_has_commas_and_decimal_points(client, hr, referenced):
    client.force_login(hr)
    with translation.override("en"):
        url = reverse("portal:export_csv", args=["kampstaal"])

    (row,) = read_csv(client.get(url).content, ",")

    assert row["Price excl. VAT"] == "1395.00"
    assert row["Price incl. VAT"] == "1687.95"
    assert row["Study hours"] == "16.0"
    assert row["Purchase order number"] == "4500012345"
    assert row["Cost centre"] == "'=310"


@pytest.mark.parametrize(
    ("language", "delimiter", "expected"),
    [
        ("nl", ";", ["12345,50", "7", "2030-03-04", "a;b"]),
        ("en", ",", ["12345.50", "7", "2030-03-04", "a;b"]),
    ],
)
def test_csv_writes_numbers_for_the_languages_spreadsheet_program(language, delimiter, expected):
    columns = [Column("a"), Column("b"), Column("c"), Column("d")]
    row = [Decimal("12345.50"), 7, datetime(2030, 3, 4).date(), "a;b"]

    content = spreadsheets.to_csv(columns, [row], language=language)

    header, values = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter)
    assert header == ["a", "b", "c", "d"]
    assert values == expected


def test_csv_follows_the_active_language_by_default():
    columns, rows = [Column("a"), Column("b")], [[Decimal("1.5"), Decimal("2")]]
    with translation.override("en"):
        assert spreadsheets.to_csv(columns, rows).decode("utf-8-sig").splitlines()[1] == "1.5,2"
    with translation.override("nl"):
        assert spreadsheets.to_csv(columns, rows).decode("utf-8-sig").splitlines()[1] == "1,5;2"


def xlsx_cells(content: bytes) -> dict[str, openpyxl.cell.Cell]:
    """The first data row's cells of the first sheet, by header."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    return dict(zip(header, sheet[2], strict=True))


def test_xlsx_has_currency_number_and_date_formats_and_the_references(client, hr, referenced):
    client.force_login(hr)

    cells = xlsx_cells(client.get(reverse("portal:export_xlsx", args=["kampstaal"])).content)

    for name in ("Prijs excl. btw", "Btw", "Prijs incl. btw"):
        assert cells[name].data_type == "n"
        assert cells[name].number_format == spreadsheets.EUROS
    assert cells["Prijs incl. btw"].value == pytest.approx(1687.95)
    assert (cells["Btw-tarief"].data_type, cells["Btw-tarief"].value) == ("n", 21)
    assert (cells["Studie-uren"].data_type, cells["Studie-uren"].number_format) == ("n", "0.0")
    for name in ("Startdatum", "Einddatum", "Geboekt op"):
        assert cells[name].is_date and cells[name].number_format == "yyyy-mm-dd"
    assert cells["Inkoopordernummer"].value == "4500012345"
    assert cells["Inkoopordernummer"].data_type == "s"
    assert cells["Kostenplaats"].value == "'=310"


def test_funding_report_carries_the_references_in_csv_and_xlsx(company, referenced):
    year = timezone.localdate().year
    rows = funding_report.list_funding_rows(
        company=company, start=datetime(year, 1, 1).date(), end=datetime(year, 12, 31).date()
    )

    row, _totals = read_csv(funding_report.to_csv(rows), ";")
    assert (row["Inkoopordernummer"], row["Kostenplaats"]) == ("4500012345", "'=310")
    assert row["Prijs incl. btw"] == "1687,95"
    cells = xlsx_cells(funding_report.to_xlsx(rows))
    assert cells["Inkoopordernummer"].value == "4500012345"
    assert cells["Prijs incl. btw"].number_format == spreadsheets.EUROS
    assert cells["Prijs incl. btw"].data_type == "n"
    assert cells["Startdatum"].is_date


def test_participant_list_carries_the_references(referenced):
    columns, rows = participant_list([referenced.offering])

    (row,) = rows
    record = dict(zip(spreadsheets.headers(columns), row, strict=True))
    assert (record["Inkoopordernummer"], record["Kostenplaats"]) == ("4500012345", "=310")


def test_team_confirmation_reads_in_english(client, hr, team, offering):
    client.force_login(hr)

    response = client.post(
        team_url(offering, "en"), {"learners": [p.pk for p in team], "po_number": "PO-7"}
    )

    page = response.content.decode()
    assert "Enrol a team: confirm" in page
    assert "3 participants \N{MULTIPLICATION SIGN} €1,395.00" in page
    assert "€5,063.85" in page
    assert "1 employee joins the waiting list" in page
    assert "Purchase order number (PO)" in page
    for dutch in ("deelnemers", "Kosten", "Wijzigen", "btw", "wachtlijst"):
        assert dutch not in page
