"""Funding in real Chromium: from "komt waarschijnlijk in aanmerking" to a claim applied for.

Annemiek Kramer does HR at Kampstaal, an A+O Metalektro company. On the team enrolment page of
a digital-skills course she sees what the fund probably pays, enrols two colleagues with a PO
number, and after the run (attendance taken, completed, certificates issued) opens Subsidie:
both rows, with the last day to apply. She downloads the claim pack, records the claim for Jan
as applied for with the fund's reference, and sees its status. Jan is also booked on a second
run of the same course: recording that one as applied for too is refused (once per employee
per activity per cao period). The funding page fits a phone.
"""

import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db.models import F, Max
from django.utils import formats, timezone, translation
from playwright.sync_api import Locator, Page, expect

from catalogue.models import Meeting
from companies.funding import rules
from companies.models import Company, FundingClaim, FundingScheme, Membership
from enrolment import services
from enrolment.models import Enrolment
from technohub.templatetags.technohub import money
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    FundingSchemeFactory,
    LocationFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

HR_PASSWORD = "Subsidie-Emmeloord-2026"
COURSE_TITLE = "3D-printen voor de werkplaats"
REFERENCE = "ODV-2026-04511"
REFUSED = (
    "Voor deze medewerker is deze cursus in deze cao-periode al aangevraagd bij deze regeling."
)
# Per participant in the claim pack: proof of participation, attendance, cost lines.
PACK_FILES = (r"bewijs-van-deelname-.*\.pdf", r"aanwezigheid-.*\.pdf", r"kosten-.*\.xlsx")


def day_at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def portal_tab(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Bedrijfsportaal").get_by_role(
        "link", name=name, exact=True
    )


def dutch_date(day: date) -> str:
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def test_hr_sees_the_estimate_enrols_downloads_the_claim_pack_and_records_the_claim(
    live_server, page
):
    base = live_server.url
    # --- An A+O Metalektro company, its HR officer and two colleagues, and the A+O scheme as
    # the migration seeds it, limited to the digital theme. (The live server's tests empty the
    # database after them, so the seeded row may or may not be there: this is the one.)
    FundingScheme.objects.filter(fund=Company.Fund.AOM).delete()
    digital = ThemeFactory(name="Digitale vaardigheden", slug="digitale-vaardigheden")
    scheme = FundingSchemeFactory(
        fund=Company.Fund.AOM,
        name="Ontwikkelen digitale vaardigheden",
        percentage=Decimal("90"),
        max_amount=Decimal("1000"),
        window=FundingScheme.Window.AFTER_START,
        window_months=6,
        max_duration_months=12,
        conditions="Aanvragen binnen 6 maanden na de start.\nBtw wordt niet vergoed.",
        valid_from=date(2025, 1, 1),
    )
    scheme.themes.set([digital])
    kampstaal = CompanyFactory(name="Kampstaal", slug="kampstaal", sector_fund=Company.Fund.AOM)
    hr = UserFactory(
        email="hr@kampstaal.example",
        first_name="Annemiek",
        last_name="Kramer",
        password=HR_PASSWORD,
        email_verified_at=timezone.now(),
    )
    MembershipFactory(company=kampstaal, user=hr, role=Membership.Role.HR)
    jan = UserFactory(email="jan.devries@kampstaal.example", first_name="Jan", last_name="de Vries")
    piotr = UserFactory(
        email="piotr.nowak@kampstaal.example", first_name="Piotr", last_name="Nowak"
    )
    for employee in (jan, piotr):
        MembershipFactory(company=kampstaal, user=employee)

    # --- A digital-skills course (€ 395 excl. VAT: 90 % is € 355,50) with two runs ahead.
    course = CourseFactory(
        title=COURSE_TITLE,
        slug="3d-printen",
        price_excl_vat=Decimal("395.00"),
        vat_rate=Decimal("21.00"),
        funding_eligible=True,
        themes=[digital],
    )
    location = LocationFactory(name="Firda Emmeloord", slug="firda-emmeloord")
    first_run, second_run = (
        OfferingFactory(course=course, location=location, capacity=10, min_participants=1)
        for _ in range(2)
    )
    today = timezone.localdate()
    for run, days_ahead in ((first_run, 14), (second_run, 70)):
        for week in (0, 1):
            day = today + timedelta(days=days_ahead + 7 * week)
            MeetingFactory(offering=run, starts_at=day_at(day, 9), ends_at=day_at(day, 16))
    with translation.override("nl"):
        per_seat = money(Decimal("355.50"))

    # --- Annemiek logs in and opens the team enrolment page: the estimate is there.
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(hr.email)
    page.get_by_label("Wachtwoord").fill(HR_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/bedrijf/kampstaal/")
    page.goto(f"{base}/bedrijf/kampstaal/uitvoeringen/{first_run.pk}/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team inschrijven")
    estimate = page.get_by_text(re.compile("^Komt waarschijnlijk in aanmerking voor"))
    expect(estimate).to_contain_text("Ontwikkelen digitale vaardigheden")
    expect(estimate).to_contain_text(per_seat)

    # --- She enrols Jan and Piotr with a PO number.
    for name in ("Jan de Vries", "Piotr Nowak"):
        page.get_by_label(name).check()
    page.get_by_label("Inkoopordernummer (PO)").fill("4500077001")
    page.get_by_role("button", name="Verder", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team inschrijven: bevestigen")
    page.get_by_role("button", name="Inschrijven", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team ingeschreven")
    seats = Enrolment.objects.filter(offering=first_run, status=Enrolment.Status.CONFIRMED)
    assert {enrolment.learner for enrolment in seats} == {jan, piotr}
    # Jan is also booked (by the service) on the second run of the same course.
    services.enrol_team(hr_user=hr, company=kampstaal, offering_id=second_run.pk, learners=[jan])

    # --- The run is given. Its meetings are weeks ahead and the test cannot wait for them:
    # move them back so the last one ended yesterday; both were there, the run is completed.
    shift = first_run.meetings.aggregate(last=Max("ends_at"))["last"] - timezone.now()
    shift += timedelta(days=1)
    Meeting.objects.filter(offering=first_run).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    seat_ids = [enrolment.pk for enrolment in seats]
    for meeting in first_run.meetings.all():
        services.record_attendance(meeting_id=meeting.pk, present_enrolment_ids=seat_ids, actor=hr)
    services.complete_offering(offering_id=first_run.pk)
    services.issue_certificates_for_offering(offering_id=first_run.pk, actor=None)
    assert set(Enrolment.objects.filter(pk__in=seat_ids).values_list("status", flat=True)) == {
        Enrolment.Status.COMPLETED
    }
    start = timezone.localdate(first_run.meetings.order_by("starts_at").first().starts_at)
    deadline = rules.application_deadline(scheme, start=start)

    # --- She opens Subsidie: a row per participant, with the last day to apply.
    portal_tab(page, "Subsidie").click()
    page.wait_for_url(f"{base}/bedrijf/kampstaal/subsidie/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Subsidie")
    table = page.get_by_role("table", name="Subsidie per inschrijving")
    for name in ("Jan de Vries", "Piotr Nowak"):
        row = table.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=re.compile(f"^{name}"))
        )
        expect(row.first).to_contain_text("355,50")
    expect(table).to_contain_text(dutch_date(deadline))
    expect(table).to_contain_text("4500077001")

    # It fits a phone: no sideways scrolling at 375 px.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    # --- She downloads the claim pack for the last six months (the form's default).
    page.get_by_role("link", name="Claimpakket maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claimpakket")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Claimpakket downloaden").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(download_path_bytes(download))) as archive:
        names = archive.namelist()
    # The summary sheet, a read-me, and per participant (folder Achternaam-Voornaam) the proof
    # of participation, the attendance statement and the cost lines.
    assert {"overzicht.xlsx", "LEESMIJ.txt"} <= set(names)
    assert {name.split("/")[0] for name in names if "/" in name} == {"de-Vries-Jan", "Nowak-Piotr"}
    for folder in ("de-Vries-Jan", "Nowak-Piotr"):
        files = [name.removeprefix(folder + "/") for name in names if name.startswith(folder)]
        for pattern in (
            r"bewijs-van-deelname-.*\.pdf",
            r"aanwezigheid-.*\.pdf",
            r"kosten-.*\.xlsx",
        ):
            assert any(re.fullmatch(pattern, name) for name in files), (pattern, files)

    # --- She records Jan's claim as applied for, with the fund's reference.
    first_seat = Enrolment.objects.get(offering=first_run, learner=jan)
    page.goto(f"{base}/bedrijf/kampstaal/subsidie/{first_seat.pk}/")
    record_applied(page, applied_on=today)
    page.wait_for_url(re.compile(rf"{base}/bedrijf/kampstaal/subsidie/"))
    expect(page.get_by_role("main")).to_contain_text(REFERENCE)
    claim = FundingClaim.objects.get(enrolment=first_seat)
    assert (claim.status, claim.reference, claim.applied_on) == ("applied", REFERENCE, today)
    page.goto(f"{base}/bedrijf/kampstaal/subsidie/")
    jan_rows = page.get_by_role("table", name="Subsidie per inschrijving").get_by_role("row")
    applied = jan_rows.filter(has_text=REFERENCE)
    expect(applied).to_have_count(1)
    expect(applied).to_contain_text("aangevraagd")
    expect(applied).to_contain_text("Jan de Vries")

    # --- Jan's second run of the same course, same scheme and cao period: refused.
    second_seat = Enrolment.objects.get(offering=second_run, learner=jan)
    page.goto(f"{base}/bedrijf/kampstaal/subsidie/{second_seat.pk}/")
    record_applied(page, applied_on=today)
    expect(page.get_by_role("main")).to_contain_text(REFUSED)
    assert not FundingClaim.objects.filter(
        enrolment=second_seat, status__in=FundingClaim.LIVE_STATUSES
    ).exists()


def record_applied(page: Page, *, applied_on: date) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("Subsidieaanvraag")
    page.get_by_label("Status").select_option(label="aangevraagd")
    page.get_by_label("Aangevraagd op").fill(applied_on.isoformat())
    page.get_by_label("Kenmerk").fill(REFERENCE)
    page.get_by_role("button", name="Opslaan").click()


def download_path_bytes(download) -> bytes:
    with open(download.path(), "rb") as file:
        return file.read()
