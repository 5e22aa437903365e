"""The claim pack: per employee or per period, a ZIP with per participant the proof of
participation, an attendance statement and the cost lines, a summary sheet in the order of a
fund's form, a POP stub for OOM, and a read-me of what is in it and what is missing."""

import io
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from companies.funding import claim_pack, claim_pack_sheets
from companies.models import Company, FundingClaim, FundingScheme, Membership
from enrolment.models import Attendance, Certificate, Enrolment
from technohub.models import AuditLog
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    ProviderFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

PERIOD = {"per": "period", "start": "2026-03-01", "end": "2026-08-31"}


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def run(first: datetime, *, meetings: int = 4, **course_fields):
    """An offering of a subsidiable course with weekly 8-hour meetings from ``first``."""
    course_fields.setdefault("funding_eligible", True)
    course_fields.setdefault("study_hours", Decimal("32"))
    course = CourseFactory(**course_fields)
    offering = OfferingFactory(course=course)
    made = [
        MeetingFactory(
            offering=offering,
            starts_at=first + timedelta(weeks=week),
            ends_at=first + timedelta(weeks=week, hours=8),
        )
        for week in range(meetings)
    ]
    return offering, made


def enrol(offering, learner, company, **fields):
    """A seat at the course's price, 21 % VAT, confirmed unless said otherwise."""
    fields.setdefault("price_excl_vat", offering.course.price_excl_vat)
    fields.setdefault("vat_rate", Decimal("21.00"))
    return EnrolmentFactory(offering=offering, learner=learner, company=company, **fields)


def member(company, *, role=Membership.Role.EMPLOYEE, **names):
    user = UserFactory(**names)
    MembershipFactory(user=user, company=company, role=role)
    return user


@pytest.fixture
def kampstaal():
    return CompanyFactory(
        name="Kampstaal", slug="kampstaal", kvk_number="39012345", sector_fund=Company.Fund.AOM
    )


@pytest.fixture
def hr(kampstaal):
    return member(kampstaal, role=Membership.Role.HR, first_name="Hanna", last_name="Hofman")


@pytest.fixture
def welding(kampstaal):
    """A four-meeting TIG run in March: Fenna completed it (present 3 times, 6.5 hours at the
    last one) with a certificate; Jan is confirmed and has no certificate (yet)."""
    offering, meetings = run(
        local(2026, 3, 2, 8, 30),
        title="TIG-lassen RVS",
        provider=ProviderFactory(name="Firda Emmeloord"),
    )
    fenna = member(kampstaal, first_name="Fenna", last_name="Bakker")
    jan = member(kampstaal, first_name="Jan", last_name="de Vries")
    completed = EnrolmentFactory(
        offering=offering,
        learner=fenna,
        company=kampstaal,
        status=Enrolment.Status.COMPLETED,
        price_excl_vat=Decimal("1195.00"),
        vat_rate=Decimal("21.00"),
        po_number="PO-7781",
        cost_centre="KP-40",
    )
    for meeting, hours in zip(meetings, ["8", "8", None, "6.5"], strict=True):
        Attendance.objects.create(
            enrolment=completed,
            meeting=meeting,
            state="absent" if hours is None else "present",
            hours=Decimal(hours or "0"),
        )
    Certificate.objects.create(
        enrolment=completed,
        number="TH-2026-000042",
        verification_code="code-fenna",
        issued_at=local(2026, 3, 24, 12, 0),
    )
    confirmed = EnrolmentFactory(
        offering=offering,
        learner=jan,
        company=kampstaal,
        status=Enrolment.Status.CONFIRMED,
        price_excl_vat=Decimal("1195.00"),
        vat_rate=Decimal("21.00"),
    )
    return {"completed": completed, "confirmed": confirmed, "fenna": fenna, "jan": jan}


def pack_rows(company, **filters):
    return claim_pack.list_pack_rows(company=company, **filters)


def build(company, **filters) -> zipfile.ZipFile:
    rows = pack_rows(company, **filters)
    header = claim_pack.get_header(
        company=company,
        rows=rows,
        start=filters.get("start"),
        end=filters.get("end"),
        employee=filters.get("learner"),
        today=date(2026, 9, 1),
    )
    return zipfile.ZipFile(io.BytesIO(claim_pack.build(company=company, rows=rows, header=header)))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def sheet_rows(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def table(data: bytes, first_header: str) -> tuple[tuple, list[tuple]]:
    """The header row starting with ``first_header`` and the rows under it."""
    rows = sheet_rows(data)
    start = next(i for i, row in enumerate(rows) if row[0] == first_header)
    return rows[start], rows[start + 1 :]


MARCH_TO_AUGUST = {"start": date(2026, 3, 1), "end": date(2026, 8, 31)}


# --- The rows ---------------------------------------------------------------------------------


def test_rows_are_the_claimable_enrolments_with_the_schemes_estimate(welding, kampstaal):
    rows = pack_rows(kampstaal, **MARCH_TO_AUGUST)

    assert [row.enrolment for row in rows] == [welding["completed"], welding["confirmed"]]
    (fenna, jan) = rows
    assert fenna.scheme.name == "Ontwikkelen digitale vaardigheden"
    # 90 % of the fee excl. VAT, capped at € 1,000; VAT is not counted.
    assert fenna.base == Decimal("1195.00")
    assert fenna.estimate.amount == Decimal("1000.00")
    assert fenna.estimate.deadline == date(2026, 9, 2)
    assert fenna.hours_attended == Decimal("22.50")
    assert jan.missing == ["bewijs van deelname: volgt als de uitvoering is afgerond"]
    assert fenna.missing == []


def test_not_claimable_enrolments_stay_out(welding, kampstaal):
    offering, _meetings = run(local(2026, 4, 6, 9, 0), funding_eligible=False)
    enrol(offering, welding["fenna"], kampstaal)
    subsidised, _meetings = run(local(2026, 4, 6, 9, 0))
    for status in ("requested", "waitlisted", "cancelled", "no_show", "not_completed"):
        enrol(
            subsidised,
            member(kampstaal),
            kampstaal,
            status=status,
            waitlist_position=1 if status == "waitlisted" else None,
        )

    assert len(pack_rows(kampstaal, **MARCH_TO_AUGUST)) == 2


def test_period_counts_the_runs_first_meeting_both_days_included(welding, kampstaal):
    assert len(pack_rows(kampstaal, start=date(2026, 3, 2), end=date(2026, 3, 2))) == 2
    assert pack_rows(kampstaal, start=date(2026, 3, 3), end=date(2026, 12, 31)) == []
    assert pack_rows(kampstaal, start=date(2026, 1, 1), end=date(2026, 3, 1)) == []


def test_per_employee_holds_only_that_employees_runs(welding, kampstaal):
    later, _meetings = run(local(2026, 10, 5, 9, 0), title="NEN 3140")
    enrol(later, welding["jan"], kampstaal)

    rows = pack_rows(kampstaal, learner=welding["jan"])

    assert [row.course for row in rows] == ["TIG-lassen RVS", "NEN 3140"]
    assert {row.learner for row in rows} == {welding["jan"]}


def test_scheme_filter_and_a_recorded_claim_keeps_its_scheme(welding, kampstaal):
    oom = FundingScheme.objects.get(fund="oom")
    assert pack_rows(kampstaal, scheme=oom) == []
    FundingClaim.objects.create(
        enrolment=welding["completed"],
        scheme=FundingScheme.objects.get(fund="aom"),
        company=kampstaal,
        learner=welding["fenna"],
        course=welding["completed"].offering.course,
        status=FundingClaim.Status.APPLIED,
        applied_on=date(2026, 4, 1),
        reference="AO-2026-991",
    )

    (fenna, _jan) = pack_rows(kampstaal)

    assert (fenna.claim_status, fenna.claim.reference) == ("aangevraagd", "AO-2026-991")


def test_another_companys_enrolment_is_never_in_it(welding, kampstaal):
    other = CompanyFactory(name="Suplacon", sector_fund=Company.Fund.AOM)
    stranger = member(other, first_name="Sven", last_name="Smit")
    enrol(welding["completed"].offering, stranger, other, status=Enrolment.Status.COMPLETED)
    # Someone of Kampstaal whose seat another company paid for is not Kampstaal's claim either.
    enrol(run(local(2026, 5, 4, 9, 0))[0], welding["fenna"], other)

    pack = build(kampstaal, **MARCH_TO_AUGUST)
    names = pack.namelist()

    assert not any("Smit" in name for name in names)
    assert len(pack_rows(kampstaal)) == 2
    text = b"".join(pack.read(name) for name in names if name.endswith((".txt", ".xlsx")))
    assert b"Sven" not in text and b"Suplacon" not in text
    assert [row.learner for row in pack_rows(other)] == [welding["fenna"], stranger]


# --- The ZIP ----------------------------------------------------------------------------------


def test_zip_has_a_folder_per_participant_the_summary_and_the_readme(welding, kampstaal):
    pack = build(kampstaal, **MARCH_TO_AUGUST)

    assert sorted(pack.namelist()) == [
        "Bakker-Fenna/aanwezigheid-TIG-lassen-RVS-2026-03-02.pdf",
        "Bakker-Fenna/bewijs-van-deelname-TIG-lassen-RVS-2026-03-02.pdf",
        "Bakker-Fenna/kosten-TIG-lassen-RVS-2026-03-02.xlsx",
        "LEESMIJ.txt",
        "de-Vries-Jan/aanwezigheid-TIG-lassen-RVS-2026-03-02.pdf",
        "de-Vries-Jan/kosten-TIG-lassen-RVS-2026-03-02.xlsx",
        "overzicht.xlsx",
    ]
    assert all(name.isascii() for name in pack.namelist())


def test_names_are_safe_ascii_and_two_people_of_one_name_get_two_folders(kampstaal):
    offering, _meetings = run(local(2026, 4, 6, 9, 0), title="Lassen ../../etc/passwd")
    for email in ("a@kampstaal.nl", "b@kampstaal.nl"):
        learner = member(kampstaal, first_name="Søren", last_name="Øster/../", email=email)
        enrol(offering, learner, kampstaal)

    names = build(kampstaal, **MARCH_TO_AUGUST).namelist()

    folders = sorted({name.split("/")[0] for name in names if "/" in name})
    assert folders == ["Oster-Soren", "Oster-Soren-2"]
    assert all(".." not in name and name.isascii() for name in names)


def test_certificate_pdf_is_the_participants_certificate(welding, kampstaal):
    pack = build(kampstaal, **MARCH_TO_AUGUST)

    pdf = pack.read("Bakker-Fenna/bewijs-van-deelname-TIG-lassen-RVS-2026-03-02.pdf")

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Fenna Bakker" in text
    assert "TH-2026-000042" in text


def test_stored_certificate_pdf_is_used_as_it_is(welding, kampstaal, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    certificate = welding["completed"].certificate
    certificate.pdf.save("stored.pdf", io.BytesIO(b"%PDF-1.7 the stored one"), save=True)

    pack = build(kampstaal, **MARCH_TO_AUGUST)

    stored = pack.read("Bakker-Fenna/bewijs-van-deelname-TIG-lassen-RVS-2026-03-02.pdf")
    assert stored == b"%PDF-1.7 the stored one"


def test_attendance_statement_lists_meetings_hours_total_and_issuer(welding, kampstaal):
    pack = build(kampstaal, **MARCH_TO_AUGUST)

    text = pdf_text(pack.read("Bakker-Fenna/aanwezigheid-TIG-lassen-RVS-2026-03-02.pdf"))

    assert "Aanwezigheidsverklaring" in text
    assert "Fenna Bakker" in text
    assert "Kampstaal" in text and "TIG-lassen RVS" in text and "Firda Emmeloord" in text
    assert text.count("aanwezig") >= 3 and "afwezig" in text
    assert "08:30–16:30" in text
    assert "6,5 van 8" in text
    assert "Totaal aanwezig: 22,5 van 32 uur (70 %)" in text
    assert "Opgemaakt door Technohub NOP op 1 september 2026" in text


def test_attendance_statement_of_an_unrecorded_meeting_says_so(welding, kampstaal):
    pack = build(kampstaal, learner=welding["jan"])

    text = pdf_text(pack.read("de-Vries-Jan/aanwezigheid-TIG-lassen-RVS-2026-03-02.pdf"))

    assert text.count("niet geregistreerd") == 4
    assert "Totaal aanwezig: 0 van 32 uur (0 %)" in text


def test_cost_lines_are_excl_vat_with_vat_apart_and_not_claimable_for_a_plus_o(welding, kampstaal):
    pack = build(kampstaal, **MARCH_TO_AUGUST)
    data = pack.read("Bakker-Fenna/kosten-TIG-lassen-RVS-2026-03-02.xlsx")

    header, lines = table(data, "Kostensoort")
    preamble = {row[0]: row[1] for row in sheet_rows(data)[:9]}

    assert header[:6] == (
        "Kostensoort",
        "Bedrag excl. btw",
        "Btw-tarief",
        "Btw",
        "Subsidiabel bedrag",
        "Toelichting",
    )
    assert lines == [
        (
            "Cursusgeld: TIG-lassen RVS",
            1195,
            21,
            250.95,
            1195,
            "btw niet subsidiabel",
        )
    ]
    assert preamble["Inkoopordernummer"] == "PO-7781"
    assert preamble["Kostenplaats"] == "KP-40"
    assert preamble["Geschatte bijdrage"] == 1000


def test_cost_lines_count_vat_when_the_scheme_covers_it(kampstaal):
    FundingScheme.objects.filter(fund="aom").update(vat_claimable=True, max_amount=None)
    offering, _meetings = run(local(2026, 4, 6, 9, 0), title="Excel")
    learner = member(kampstaal, first_name="Anna", last_name="Visser")
    EnrolmentFactory(
        offering=offering,
        learner=learner,
        company=kampstaal,
        price_excl_vat=Decimal("100.00"),
        vat_rate=Decimal("21.00"),
    )

    (row,) = pack_rows(kampstaal)
    _header, lines = table(claim_pack_sheets.cost_lines_xlsx(row), "Kostensoort")

    assert lines[0][4] == 121
    assert lines[0][5] is None
    assert row.estimate.amount == Decimal("108.90")


def test_summary_has_the_header_and_a_row_per_enrolment_in_the_forms_order(welding, kampstaal):
    pack = build(kampstaal, **MARCH_TO_AUGUST)
    data = pack.read("overzicht.xlsx")

    rows = sheet_rows(data)
    header, lines = table(data, "Achternaam")

    assert rows[0] == ("Claimpakket",) + (None,) * (len(rows[0]) - 1)
    preamble = {row[0]: row[1:3] for row in rows[1:7]}
    assert preamble["Bedrijf"][0] == "Kampstaal"
    assert preamble["KvK-nummer"][0] == "39012345"
    assert preamble["Sectorfonds"][0] == "A+O Metalektro"
    assert preamble["Regeling"][0] == "Ontwikkelen digitale vaardigheden"
    assert [value.date() for value in preamble["Periode"]] == [date(2026, 3, 1), date(2026, 8, 31)]
    assert header == (
        "Achternaam",
        "Voornaam",
        "Cursus",
        "Aanbieder",
        "Startdatum",
        "Einddatum",
        "Studie-uren",
        "Aanwezige uren",
        "Certificaatnummer",
        "Kosten excl. btw",
        "Subsidiabele kosten",
        "Percentage",
        "Geschatte bijdrage",
        "Aanvragen uiterlijk",
        "Status aanvraag",
        "Kenmerk aanvraag",
        "Inkoopordernummer",
        "Regeling",
        "Ontbreekt",
    )
    fenna, jan, totals = lines
    assert fenna[:4] == ("Bakker", "Fenna", "TIG-lassen RVS", "Firda Emmeloord")
    assert [value.date() for value in fenna[4:6]] == [date(2026, 3, 2), date(2026, 3, 23)]
    assert fenna[6:13] == (32, 22.5, "TH-2026-000042", 1195, 1195, 90, 1000)
    assert fenna[13].date() == date(2026, 9, 2)
    assert fenna[14:] == (
        "niet aangevraagd",
        None,
        "PO-7781",
        "Ontwikkelen digitale vaardigheden",
        None,
    )
    assert jan[:2] == ("de Vries", "Jan")
    assert jan[8] is None
    assert jan[18] == "bewijs van deelname: volgt als de uitvoering is afgerond"
    assert totals[0] == "Totaal"
    assert (totals[9], totals[10], totals[12]) == (2390, 2390, 2000)


def test_readme_lists_the_contents_and_what_is_missing(welding, kampstaal):
    readme = build(kampstaal, **MARCH_TO_AUGUST).read("LEESMIJ.txt").decode("utf-8")

    assert "Claimpakket – Kampstaal" in readme
    assert "webformulier van het fonds" in readme
    assert "- overzicht.xlsx:" in readme
    assert "- Bakker-Fenna/bewijs-van-deelname-TIG-lassen-RVS-2026-03-02.pdf:" in readme
    assert (
        "- Jan de Vries, TIG-lassen RVS (2026-03-02): bewijs van deelname: volgt als de "
        "uitvoering is afgerond"
    ) in readme
    assert "POP" not in readme


def test_oom_pack_has_a_pop_stub_per_participant_and_mentions_the_invoice():
    company = CompanyFactory(name="Agrometaal", sector_fund=Company.Fund.OOM)
    offering, _meetings = run(local(2026, 4, 6, 9, 0), title="Hydrauliek")
    learner = member(company, first_name="Ayşe", last_name="Y\u0131lmaz")
    enrol(offering, learner, company)

    pack = build(company, **MARCH_TO_AUGUST)

    assert "Yilmaz-Ayse/pop-Yilmaz-Ayse.xlsx" in pack.namelist()
    rows = sheet_rows(pack.read("Yilmaz-Ayse/pop-Yilmaz-Ayse.xlsx"))
    values = [value for row in rows for value in row if value is not None]
    assert "Persoonlijk ontwikkelplan (POP)" in values
    assert "Ay\u015fe Y\u0131lmaz" in values
    assert "Agrometaal" in values
    assert "Hydrauliek" in values
    assert "Doelen: wat wil de medewerker leren, en waarom?" in values
    assert "Handtekening" in values
    readme = pack.read("LEESMIJ.txt").decode("utf-8")
    assert "persoonlijk ontwikkelplan (POP)" in readme
    assert "factuur en het betaalbewijs" in readme
    assert "vóór de start" in readme


def test_a_plus_o_pack_has_no_pop_stub(welding, kampstaal):
    names = build(kampstaal, **MARCH_TO_AUGUST).namelist()

    assert not any("pop" in name.lower() for name in names)


def test_pack_in_english_for_an_english_hr_user(welding, kampstaal):
    with translation.override("en"):
        pack = build(kampstaal, **MARCH_TO_AUGUST)
        names = pack.namelist()

    assert "README.txt" in names and "summary.xlsx" in names
    assert "Bakker-Fenna/certificate-of-participation-TIG-lassen-RVS-2026-03-02.pdf" in names
    readme = pack.read("README.txt").decode("utf-8")
    assert "Claim pack – Kampstaal" in readme
    assert "proof of participation: follows once the run is completed" in readme
    header, _lines = table(pack.read("summary.xlsx"), "Last name")
    assert "Estimated contribution" in header
    text = pdf_text(pack.read("Bakker-Fenna/attendance-TIG-lassen-RVS-2026-03-02.pdf"))
    assert "Attendance statement" in text and "present" in text
    costs = pack.read("Bakker-Fenna/costs-TIG-lassen-RVS-2026-03-02.xlsx")
    _header, lines = table(costs, "Cost type")
    assert lines[0][5] == "VAT not claimable"


def test_text_cells_are_neutralised_against_formula_injection(kampstaal):
    offering, _meetings = run(local(2026, 4, 6, 9, 0), title="=HYPERLINK(1)")
    learner = member(kampstaal, first_name="@SUM(A1)", last_name="Bos")
    enrol(offering, learner, kampstaal)

    pack = build(kampstaal, **MARCH_TO_AUGUST)
    _header, lines = table(pack.read("overzicht.xlsx"), "Achternaam")

    assert lines[0][1] == "'@SUM(A1)"
    assert lines[0][2] == "'=HYPERLINK(1)"


def test_reading_the_rows_costs_the_same_for_one_or_many(
    welding, kampstaal, django_assert_num_queries
):
    with django_assert_num_queries(6):
        pack_rows(kampstaal, **MARCH_TO_AUGUST)
    offering, meetings = run(local(2026, 5, 4, 9, 0), title="Cobot programmeren")
    for _number in range(5):
        enrolment = enrol(offering, member(kampstaal), kampstaal)
        Attendance.objects.create(
            enrolment=enrolment, meeting=meetings[0], state="present", hours=Decimal("8")
        )
    with django_assert_num_queries(6):
        rows = pack_rows(kampstaal, **MARCH_TO_AUGUST)
    assert len(rows) == 7
    header = claim_pack.get_header(company=kampstaal, rows=rows, **MARCH_TO_AUGUST)
    with django_assert_num_queries(0):
        claim_pack.build(company=kampstaal, rows=rows, header=header)


# --- The page -------------------------------------------------------------------------------


def url(company) -> str:
    return reverse("portal:claim_pack", args=[company.slug])


def test_page_shows_the_form_with_the_last_six_months_and_the_claimable_people(
    client, hr, welding, kampstaal
):
    client.force_login(hr)

    response = client.get(url(kampstaal))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Claimpakket</h1>" in html
    assert "Claimpakket downloaden" in html
    assert "webformulier van het fonds" in html
    form = response.context["form"]
    assert [label for _value, label in form.fields["employee"].choices] == [
        "Kies een medewerker",
        "Fenna Bakker",
        "Jan de Vries",
    ]
    today = timezone.localdate()
    assert form.initial["end"] == today
    assert form.initial["start"] < today - timedelta(days=180)
    assert hr.get_full_name() not in [label for _value, label in form.fields["employee"].choices]


def test_download_per_period_is_a_zip_with_the_name_and_an_audit_row(
    client, hr, welding, kampstaal
):
    client.force_login(hr)

    response = client.get(url(kampstaal), PERIOD)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="claimpakket-kampstaal-2026-03-01-2026-08-31.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    pack = zipfile.ZipFile(io.BytesIO(response.content))
    assert "overzicht.xlsx" in pack.namelist()
    (entry,) = AuditLog.objects.filter(action="funding.claim_pack_downloaded")
    assert entry.actor == hr
    assert entry.object_id == kampstaal.pk
    assert entry.data == {"enrolments": 2, "participants": 2}
    assert "Bakker" not in str(entry.data)


def test_download_per_employee(client, hr, welding, kampstaal):
    client.force_login(hr)

    response = client.get(url(kampstaal), {"per": "employee", "employee": welding["jan"].pk})

    assert response["Content-Disposition"] == (
        'attachment; filename="claimpakket-kampstaal-de-vries-jan.zip"'
    )
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {name.split("/")[0] for name in names if "/" in name} == {"de-Vries-Jan"}


def test_nothing_to_claim_says_so_and_sends_no_zip(client, hr, welding, kampstaal):
    client.force_login(hr)

    response = client.get(url(kampstaal), {**PERIOD, "start": "2025-01-01", "end": "2025-12-31"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Hiervoor is niets om te declareren" in response.content.decode()
    assert not AuditLog.objects.filter(action="funding.claim_pack_downloaded").exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per": "employee"}, "employee"),
        ({"per": "employee", "employee": "abc"}, "employee"),
        ({"per": "employee", "employee": "99999999999999999999"}, "employee"),
        ({"per": "period", "start": "2026-13-45", "end": "2026-01-01"}, "start"),
        ({"per": "period", "start": "0001-01-01", "end": "2026-01-01"}, "start"),
        ({"per": "period", "start": "2026-06-01", "end": "2026-01-01"}, "end"),
        ({"per": "period", "start": "2026-06-01"}, "end"),
        ({"per": "sideways"}, "per"),
        ({**PERIOD, "scheme": "-1"}, "scheme"),
    ],
)
def test_hostile_parameters_get_an_error_next_to_the_field(client, hr, welding, params, field):
    client.force_login(hr)

    response = client.get(url(welding["completed"].company), params)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "is-invalid" in response.content.decode()


def test_another_companys_employee_cannot_be_chosen(client, hr, welding, kampstaal):
    other = CompanyFactory(sector_fund=Company.Fund.AOM)
    stranger = member(other)
    enrol(welding["completed"].offering, stranger, other)
    client.force_login(hr)

    response = client.get(url(kampstaal), {"per": "employee", "employee": stranger.pk})

    assert "employee" in response.context["form"].errors


def test_another_funds_scheme_cannot_be_chosen(client, hr, welding, kampstaal):
    client.force_login(hr)
    oom = FundingScheme.objects.get(fund="oom")

    response = client.get(url(kampstaal), {**PERIOD, "scheme": oom.pk})

    assert "scheme" in response.context["form"].errors


def test_page_in_english(client, hr, welding, kampstaal):
    client.force_login(hr)
    with translation.override("en"):
        page = reverse("portal:claim_pack", args=[kampstaal.slug])

    html = client.get(page).content.decode()
    response = client.get(page, PERIOD)

    assert "<h1>Claim pack</h1>" in html and "Download claim pack" in html
    assert response["Content-Disposition"] == (
        'attachment; filename="claim-pack-kampstaal-2026-03-01-2026-08-31.zip"'
    )
    assert "README.txt" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_company_without_a_fund_sees_why(client):
    company = CompanyFactory(sector_fund=Company.Fund.NONE)
    user = member(company, role=Membership.Role.HR)
    client.force_login(user)

    response = client.get(url(company))

    assert "geen regelingen" in response.content.decode()


def test_page_queries_do_not_grow_with_people(client, hr, welding, kampstaal):
    client.force_login(hr)
    before = page_queries(client, url(kampstaal))
    offering, _meetings = run(local(2026, 5, 4, 9, 0))
    for _number in range(5):
        enrol(offering, member(kampstaal), kampstaal)

    assert page_queries(client, url(kampstaal)) == before
    assert before <= 12


def test_download_queries_do_not_grow_with_people(client, hr, welding, kampstaal):
    client.force_login(hr)
    address = url(kampstaal) + "?per=period&start=2026-03-01&end=2026-08-31"
    before = page_queries(client, address)
    offering, meetings = run(local(2026, 5, 4, 9, 0))
    for _number in range(4):
        enrolment = enrol(offering, member(kampstaal), kampstaal)
        Attendance.objects.create(
            enrolment=enrolment, meeting=meetings[0], state="present", hours=Decimal("8")
        )

    assert page_queries(client, address) == before


def test_hub_staff_without_the_export_permission_see_the_page_but_get_no_pack(
    client, welding, kampstaal
):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(
            codename="use_any_company_portal", content_type__app_label="companies"
        )
    )
    client.force_login(staff)

    assert client.get(url(kampstaal)).status_code == 200
    assert client.get(url(kampstaal), PERIOD).status_code == 403
    assert not AuditLog.objects.filter(action="funding.claim_pack_downloaded").exists()


def test_a_name_without_latin_letters_gets_a_numbered_folder(kampstaal):
    offering, _meetings = run(local(2026, 4, 6, 9, 0), title="Сварка", slug="svarka")
    learner = member(kampstaal, first_name="Дмитрий", last_name="Иванов")
    enrol(offering, learner, kampstaal)

    names = build(kampstaal, **MARCH_TO_AUGUST).namelist()

    assert f"deelnemer-{learner.pk}/kosten-svarka-2026-04-06.xlsx" in names
