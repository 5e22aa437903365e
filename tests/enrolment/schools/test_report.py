"""The funder report: counts of a period's school visits, on screen, as CSV and as XLSX."""

import csv
import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from catalogue.models import SchoolActivity
from enrolment.models import SchoolEvaluation, SchoolRequest
from enrolment.schools import report
from technohub.models import AuditLog
from tests.factories import (
    CompanyFactory,
    SchoolActivityFactory,
    SchoolFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

START, END = date(2030, 8, 1), date(2031, 7, 31)


def visit_on(day, *, activity, school, groups, status="confirmed", request_status="done"):
    school_request = SchoolRequestFactory(
        activity=activity,
        school=school,
        preferred_dates=[day],
        groups=groups,
        status=request_status,
        teacher=UserFactory(first_name="Marieke", last_name="Geheim"),
        cancelled_at=timezone.now() if request_status == "cancelled" else None,
    )
    starts_at = timezone.make_aware(datetime.combine(day, time(9)))
    return SchoolVisitFactory(
        request=school_request,
        date=day,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        pupils=sum(pupils for _level, _year, pupils in groups),
        status=status,
    )


@pytest.fixture
def season():
    """A school year with three visits, one outside it, a cancellation and a decline."""
    drones = SchoolActivityFactory(
        title="Drone-scan van een perceel", host=CompanyFactory(name="Agrifirm Drones")
    )
    mobile = SchoolActivityFactory(
        title="Mobiele hub", kind=SchoolActivity.Kind.MOBILE_HUB, target_groups=["po_5_8"]
    )
    college, basisschool = SchoolFactory(name="Zuyderzee College"), SchoolFactory(name="De Akker")
    first = visit_on(
        date(2030, 10, 1),
        activity=drones,
        school=college,
        groups=[("vmbo", 3, 24), ("vmbo", 3, 22)],
    )
    visit_on(date(2031, 2, 3), activity=drones, school=college, groups=[("vmbo", 1, 20)])
    visit_on(date(2031, 3, 3), activity=mobile, school=basisschool, groups=[("po", 7, 28)])
    visit_on(date(2031, 9, 1), activity=drones, school=college, groups=[("vmbo", 3, 30)])
    visit_on(
        date(2031, 3, 10),
        activity=drones,
        school=basisschool,
        groups=[("po", 6, 25)],
        status="declined",
        request_status="requested",
    )
    cancelled = SchoolRequestFactory(
        activity=mobile,
        school=basisschool,
        status="cancelled",
        cancelled_at=timezone.make_aware(datetime(2031, 1, 5, 10)),
        cancelled_by="teacher",
        cancel_reason="Griep in de klas",
    )
    assert cancelled.pk
    SchoolEvaluation.objects.create(
        request=first.request,
        engagement=5,
        fit=4,
        improvement="Marieke vond het top",
        answered_on=date(2030, 10, 3),
    )
    SchoolEvaluation.objects.create(
        request=SchoolRequest.objects.get(school=basisschool, status="done"),
        engagement=4,
        fit=3,
        answered_on=date(2031, 3, 4),
    )


def values(built: report.SchoolReport) -> dict[tuple[str, str], object]:
    return {(part.title, line.label): line.value for part in built.parts for line in part.lines}


def test_report_counts_the_period(season):
    counted = values(report.get_report(start=START, end=END))

    assert counted[("Totaal", "Scholen")] == 2
    assert counted[("Totaal", "Groepen")] == 4
    assert counted[("Totaal", "Leerlingen")] == 94
    assert counted[("Totaal", "Bezoeken")] == 3
    assert counted[("Totaal", "Dagen van de mobiele hub")] == 1
    assert counted[("Leerlingen per doelgroep", "vmbo 3–4")] == 46
    assert counted[("Leerlingen per doelgroep", "vmbo 1–2")] == 20
    assert counted[("Leerlingen per doelgroep", "po groep 5–8")] == 28
    assert counted[("Leerlingen per doelgroep", "mbo")] == 0
    assert counted[("Bezoeken per activiteit", "Drone-scan van een perceel")] == 2
    assert counted[("Bezoeken per activiteit", "Mobiele hub")] == 1
    assert counted[("Bezoeken per gastbedrijf", "Agrifirm Drones")] == 2
    assert counted[("Bezoeken per gastbedrijf", "de hub zelf")] == 1
    assert counted[("Bezoeken per school", "Zuyderzee College")] == 2
    assert counted[("Annuleringen", "geannuleerd door de school")] == 1
    assert counted[("Annuleringen", "geannuleerd door de hub")] == 0
    assert counted[("Annuleringen", "geweigerd door het gastbedrijf")] == 1
    assert counted[("Evaluaties", "Ingevuld")] == 2
    assert counted[("Evaluaties", "Gemiddeld: enthousiasme (1–5)")] == Decimal("4.5")
    assert counted[("Evaluaties", "Gemiddeld: aansluiting bij de lessen (1–5)")] == Decimal("3.5")


def test_report_reads_with_few_queries(season, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        report.get_report(start=START, end=END)


def test_csv_and_xlsx_hold_the_numbers_and_no_names(season):
    built = report.get_report(start=START, end=END)

    text = report.to_csv(built).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Totaal", "Leerlingen", "94"] in rows
    assert ["Evaluaties", "Gemiddeld: enthousiasme (1–5)", "4,5"] in rows
    sheet = load_workbook(io.BytesIO(report.to_xlsx(built))).active
    cells = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert ("Bezoeken per activiteit", "Drone-scan van een perceel", 2) in cells
    assert ("Totaal", "Scholen", 2) in cells
    for content in (text, str(cells)):
        assert "Marieke" not in content
        assert "Geheim" not in content
        assert "Griep" not in content


def planner():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coördinator techniekpromotie"))
    return user


def test_report_page_shows_this_school_year_and_the_numbers(client, season):
    client.force_login(planner())
    url = reverse("backoffice:school_report")

    form = client.get(url)
    assert form.status_code == 200
    first_day, _last = report.rules.school_year(timezone.localdate())
    assert first_day.isoformat() in form.content.decode()

    page = client.get(url, {"start": START, "end": END, "format": "screen"})
    html = page.content.decode()
    assert "Drone-scan van een perceel" in html
    assert "94" in html
    assert "format=xlsx" in html
    assert not AuditLog.objects.filter(action="school_report.downloaded").exists()


def test_report_page_refuses_a_period_that_ends_before_it_starts(client):
    client.force_login(planner())
    page = client.get(
        reverse("backoffice:school_report"), {"start": END, "end": START, "format": "screen"}
    )
    assert "De einddatum ligt voor de begindatum." in page.content.decode()


@pytest.mark.parametrize(
    ("file_format", "content_type"), [("csv", "text/csv"), ("xlsx", "application/vnd")]
)
def test_download_is_audited_without_names(client, season, file_format, content_type):
    user = planner()
    client.force_login(user)

    response = client.get(
        reverse("backoffice:school_report"), {"start": START, "end": END, "format": file_format}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f"schoolbezoeken-2030-08-01-2031-07-31.{file_format}" in response["Content-Disposition"]
    (row,) = AuditLog.objects.filter(action="school_report.downloaded")
    assert row.actor == user
    assert row.data == {"start": "2030-08-01", "end": "2031-07-31", "format": file_format}


def test_report_in_english(client, season):
    client.force_login(planner())
    with translation.override("en"):
        url = reverse("backoffice:school_report")
    response = client.get(url, {"start": START, "end": END, "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "Pupils per target group" in text
    assert "Visits per host company" in text
    assert "Totaal" not in text


def test_report_is_for_the_planners_only(client):
    url = reverse("backoffice:school_report")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(planner())
    assert client.post(url).status_code == 405


def test_report_page_reads_the_same_queries_for_more_visits(client, season):
    client.force_login(planner())
    url = reverse("backoffice:school_report") + f"?start={START}&end={END}&format=screen"
    few = page_queries(client, url)
    other = SchoolActivityFactory(title="Kampstaal: bouw een brugdeel")
    for month in (4, 5, 6):
        visit_on(
            date(2031, month, 2), activity=other, school=SchoolFactory(), groups=[("mbo", 1, 16)]
        )

    assert page_queries(client, url) == few
