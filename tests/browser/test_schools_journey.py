"""Techniek beleven in real Chromium: a drone day from the teacher's request to her evaluation.

Sanne Kuipers teaches at the Zuyderzee College. On "Techniek beleven" she filters for vmbo 1–2,
opens the drone scan at the Agri Innovatiecenter and requests it for two vmbo groups (2: 22
pupils, 3: 24): with 4 supervisors she is told the activity needs 5 (one per 10), with 5 the
request goes, and "Mijn schoolbezoeken" shows it requested. The coordinator of technology
promotion opens "Scholen", the request, and plans it on Sanne's first preferred date. Joris of
Agrotechniek Dronten, the host, opens the link from his mail and confirms. Sanne's request is
confirmed: the calendar file names the activity and the day, the arrival sheet is a PDF. The
day passes; she answers the three questions of the evaluation and is thanked. The request form
fits a phone.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from playwright.sync_api import Page, expect

from enrolment import emails
from enrolment.models import Notification, SchoolEvaluation, SchoolRequest, SchoolVisit
from enrolment.schools import after
from tests.factories import (
    CompanyFactory,
    LocationFactory,
    MembershipFactory,
    SchoolActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

TEACHER_PASSWORD = "Drone-Dronten-2026"
COORDINATOR_PASSWORD = "Techniek-Polder-2026"
DRONE = "Drone-scan van een perceel"
IMPROVEMENT = "Een kwartier langer vliegen: elke leerling wilde de drone zien landen."


def log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def fill_group(page: Page, number: int, *, label: str, level: str, year: int, pupils: int):
    group = page.get_by_role("group", name=f"Groep {number}", exact=True)
    group.get_by_label("Klas (optioneel)").fill(label)
    group.get_by_label("Niveau").select_option(label=level)
    group.get_by_label("Groep of leerjaar").select_option(str(year))
    group.get_by_label("Aantal leerlingen").fill(str(pupils))


def test_a_teacher_requests_a_drone_day_the_coordinator_plans_the_host_confirms(live_server, page):
    base = live_server.url
    today = timezone.localdate()
    # --- The hub as the demo has it: the drone scan at the Agri Innovatiecenter, hosted by
    # Agrotechniek Dronten, whose contact confirms visits; a bridge build for mbo only.
    dronten = LocationFactory(
        name="Agri Innovatiecenter Dronten",
        slug="agri-innovatiecenter-dronten",
        street="De Drieslag 1",
        postal_code="8251 JZ",
        city="Dronten",
    )
    agri = CompanyFactory(name="Agrotechniek Dronten", slug="agrotechniek-dronten")
    host = UserFactory(
        email="joris.vandam@agrotechniekdronten.example",
        first_name="Joris",
        last_name="van Dam",
        email_verified_at=timezone.now(),
    )
    MembershipFactory(company=agri, user=host)
    SchoolActivityFactory(
        title=DRONE,
        slug="drone-scan-van-een-perceel",
        summary="Jullie vliegen met een drone over een proefveld.",
        target_groups=["vmbo_1_2", "vmbo_3_4", "havo_vwo"],
        max_pupils=60,
        pupils_per_supervisor=10,
        places_per_day=2,
        locations=[dronten],
        host=agri,
        host_contact=host,
        what_to_bring="Laarzen en een regenjas.",
    )
    SchoolActivityFactory(
        title="Kampstaal: bouw een brugdeel",
        slug="kampstaal-bouw-een-brugdeel",
        target_groups=["mbo"],
        locations=[dronten],
    )
    teacher = UserFactory(
        email="docent@zuyderzee.example",
        first_name="Sanne",
        last_name="Kuipers",
        password=TEACHER_PASSWORD,
        email_verified_at=timezone.now(),
    )
    # The coordinator's group as its migration makes it (the live server's tests empty the
    # database after them, so it may or may not be there).
    coordinators, _ = Group.objects.get_or_create(name="Coördinator techniekpromotie")
    coordinators.permissions.add(
        Permission.objects.get(codename="plan_school_visits", content_type__app_label="companies")
    )
    coordinator = UserFactory(
        email="techniek@technohub-nop.example",
        password=COORDINATOR_PASSWORD,
        email_verified_at=timezone.now(),
        is_staff=True,
    )
    coordinator.groups.add(coordinators)
    # Three weeks ahead, a weekday: the day Sanne asks for first.
    first_choice = today + timedelta(days=21)
    while first_choice.weekday() >= 5:
        first_choice += timedelta(days=1)
    second_choice = first_choice + timedelta(days=7)

    # --- Sanne finds the drone day for her vmbo 2 class.
    log_in(page, base, teacher.email, TEACHER_PASSWORD)
    page.goto(f"{base}/scholen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Techniek beleven")
    page.get_by_label("Doelgroep").select_option(label="vmbo 1–2")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_role("link", name="Kampstaal: bouw een brugdeel")).to_have_count(0)
    page.get_by_role("link", name=DRONE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DRONE)
    page.get_by_role("link", name="Aanvragen voor je klas").click()

    # --- The request form fits a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    # --- Two vmbo groups, 46 pupils: 4 supervisors is too few at one per 10.
    page.get_by_label("Naam van de school").fill("Zuyderzee College Emmeloord")
    page.get_by_label("BRIN-code").fill("02TZ")
    fill_group(page, 1, label="2B", level="vmbo (leerjaar)", year=2, pupils=22)
    fill_group(page, 2, label="3K", level="vmbo (leerjaar)", year=3, pupils=24)
    page.get_by_label("Aantal begeleiders").fill("4")
    page.get_by_label("Voorkeursdatum 1").fill(first_choice.isoformat())
    page.get_by_label("Voorkeursdatum 2").fill(second_choice.isoformat())
    page.get_by_label("Eigen vervoer").check()
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_text("zijn ten minste 5 begeleiders nodig (1 per 10)")).to_be_visible()
    assert not SchoolRequest.objects.exists()
    page.get_by_label("Aantal begeleiders").fill("5")
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DRONE)
    school_request = SchoolRequest.objects.get()
    assert (school_request.teacher, school_request.supervisors) == (teacher, 5)
    assert sorted(school_request.groups.values_list("pupils", flat=True)) == [22, 24]

    page.get_by_role("link", name="Mijn schoolbezoeken").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn schoolbezoeken")
    expect(page.get_by_role("main")).to_contain_text(DRONE)
    expect(page.get_by_role("main")).to_contain_text("aangevraagd")

    # --- The coordinator plans it on Sanne's first choice.
    log_out(page)
    log_in(page, base, coordinator.email, COORDINATOR_PASSWORD)
    staff_menu = page.get_by_role("navigation", name="Beheermenu")
    staff_menu.get_by_role("link", name="Scholen", exact=True).click()
    page.get_by_role("link", name=re.compile(f"Zuyderzee College Emmeloord: {DRONE}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zuyderzee College Emmeloord")
    page.get_by_label("Dag").fill(first_choice.isoformat())
    page.get_by_label("Begintijd").fill("09:00")
    page.get_by_role("button", name="Inplannen", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("wacht op het gastbedrijf")
    visit = SchoolVisit.objects.get(request=school_request)
    assert (visit.date, visit.status, visit.pupils) == (first_choice, "planned", 46)

    # --- Joris opens the link in his mail (no login) and confirms.
    log_out(page)
    mail = Notification.objects.get(template="school_host_request", to_email=host.email)
    text = emails.render(mail, with_attachments=False).text
    answer_url = re.search(r"https?://\S+", text[text.index("link") :]).group(0)
    page.goto(f"{base}{urlparse(answer_url).path}")
    expect(page.get_by_role("main")).to_contain_text("Zuyderzee College Emmeloord")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("main")).to_contain_text("bevestigd")
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.CONFIRMED
    assert Notification.objects.filter(
        template="school_visit_confirmed", to_email=teacher.email
    ).exists()

    # --- Sanne's request is confirmed; she takes the calendar file and the arrival sheet.
    log_in(page, base, teacher.email, TEACHER_PASSWORD)
    page.goto(f"{base}/mijn-schoolbezoeken/{school_request.pk}/")
    expect(page.get_by_role("main")).to_contain_text("bevestigd")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Agenda (.ics)").click()
    calendar = Path(download_info.value.path()).read_text()
    assert "BEGIN:VCALENDAR" in calendar
    assert DRONE in calendar.replace("\r\n ", "")
    assert first_choice.strftime("%Y%m%d") in calendar
    # The browser shows a PDF rather than saving it: fetch it as the link does, logged in.
    sheet = page.get_by_role("link", name="Aankomstblad (pdf)").get_attribute("href")
    response = page.request.get(f"{base}{sheet}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # --- The day passes; she evaluates.
    assert after.finish_visits(today=first_choice + timedelta(days=1)) == 1
    page.goto(f"{base}/mijn-schoolbezoeken/{school_request.pk}/")
    expect(page.get_by_role("main")).to_contain_text("geweest")
    page.get_by_role("link", name="Evaluatie", exact=True).click()
    page.get_by_role("group", name="Hoe enthousiast waren je leerlingen?").get_by_label(
        re.compile("^5")
    ).check()
    page.get_by_role("group", name="Hoe goed sloot de activiteit aan bij je lessen?").get_by_label(
        re.compile("^4")
    ).check()
    page.get_by_label("Wat kan er beter?").fill(IMPROVEMENT)
    page.get_by_role("button", name="Evaluatie versturen").click()
    expect(page.get_by_role("status").filter(has_text="Dank je")).to_be_visible()
    evaluation = SchoolEvaluation.objects.get(request=school_request)
    assert (evaluation.engagement, evaluation.fit, evaluation.improvement) == (5, 4, IMPROVEMENT)
