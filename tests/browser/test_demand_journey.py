"""Demand meets supply in real Chromium: asking for a course, pooling, scheduling, the mails.

A learner asks to be kept posted on a course without an offering, HR of another company submits a
training need, the programme manager finds the group ready on the demand board, schedules a
offering from it in the admin and opens it; both who asked get one mail with a link to enrol.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from catalogue.services import refresh_search_vectors
from companies.models import Interest, Membership, TrainingNeed
from enrolment.models import Notification
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    LocationFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "een-lang-wachtwoord-1"


def person(email: str, company, role=Membership.Role.EMPLOYEE, **fields):
    user = UserFactory(email=email, password=PASSWORD, email_verified_at=timezone.now(), **fields)
    MembershipFactory(company=company, user=user, role=role)
    return user


def log_in(page: Page, base: str, email: str, *, lands_on: str = "/mijn-cursussen/") -> None:
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}{lands_on}")


def test_asking_pooling_scheduling_and_telling_who_asked(live_server, browser, settings):
    settings.DEMAND_READY_PEOPLE = 5
    base = live_server.url
    LocationFactory(name="Agri Innovatiecenter", slug="dronten", city="Dronten")
    theme = ThemeFactory(name="Onderhoud", slug="onderhoud")
    course = CourseFactory(title="Elektrische trekkers", slug="elektrische-trekkers")
    course.themes.add(theme)
    telers, loonbedrijf = CompanyFactory(name="Telers NOP"), CompanyFactory(name="Van der Veen")
    jelle = person("jelle@telers.example", telers, first_name="Jelle")
    ingrid = person("ingrid@vanderveen.example", loonbedrijf, Membership.Role.HR)
    manager = UserFactory(
        email="beheer@hub.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
        email_verified_at=timezone.now(),
    )
    refresh_search_vectors()

    # --- Jelle finds no offering and asks to be kept posted, for Dronten.
    learner = browser.new_context(locale="nl-NL").new_page()
    log_in(learner, base, jelle.email)
    learner.goto(f"{base}/cursussen/elektrische-trekkers/")
    expect(learner.get_by_text("Er is op dit moment geen uitvoering")).to_be_visible()
    learner.get_by_label("Waar zou je de cursus willen volgen?").select_option(
        label="Agri Innovatiecenter"
    )
    learner.get_by_role("button", name="Houd me op de hoogte").click()
    expect(learner.get_by_role("status")).to_contain_text("We houden je op de hoogte")
    expect(
        learner.get_by_text("Je staat op de lijst voor een nieuwe uitvoering in")
    ).to_be_visible()

    # --- Ingrid, HR at the contractor, states a need for four mechanics at Dronten.
    hr = browser.new_context(locale="nl-NL").new_page()
    # She lands on her company's overview, whose first steps lead her there.
    log_in(hr, base, ingrid.email, lands_on=f"/bedrijf/{loonbedrijf.slug}/")
    first_steps = hr.get_by_role("region", name="Aan de slag")
    first_steps.get_by_role("link", name="Geef een opleidingsbehoefte door").click()
    hr.get_by_label("Thema").select_option(label="Onderhoud")
    hr.get_by_label("Onderwerp").fill("Veilig werken aan elektrische trekkers")
    hr.get_by_label("Aantal medewerkers").fill("4")
    hr.get_by_label("Agri Innovatiecenter").check()
    hr.get_by_label("dringend").check()
    hr.get_by_role("button", name="Behoefte doorgeven").click()
    needs_table = hr.get_by_role("table", name="Jullie behoeften")
    expect(needs_table).to_contain_text("Veilig werken aan elektrische trekkers")
    expect(needs_table).to_contain_text("nieuw")

    # --- The programme manager sees the group ready and schedules an offering from it.
    staff = browser.new_context(locale="nl-NL").new_page()
    staff.goto(f"{base}/beheer/login/")
    staff.get_by_label("E-mailadres").fill(manager.email)
    staff.get_by_label("Wachtwoord").fill(PASSWORD)
    staff.locator("input[type=submit]").click()
    staff.get_by_role("link", name="Vraagbord").first.click()
    ready = staff.locator(".demand-group--ready")
    expect(ready).to_have_count(1)
    expect(ready).to_contain_text("Onderhoud – Agri Innovatiecenter")
    expect(ready).to_contain_text("5 mensen, 2 bedrijven")
    ready.get_by_role("link", name="Uitvoering plannen").click()
    expect(staff.locator("#id_course option:checked")).to_have_text("Elektrische trekkers")
    expect(staff.get_by_label("Veilig werken aan elektrische trekkers")).to_be_checked()
    staff.locator("#id_status").select_option("open")
    staff.locator("#id_capacity").fill("12")
    staff.locator("#id_min_participants").fill("5")
    staff.locator("#meetings-group .add-row a").click()
    day = (timezone.localdate() + timedelta(days=40)).isoformat()
    staff.locator("#id_meetings-0-date").fill(day)
    staff.locator("#id_meetings-0-start_time").fill("09:00")
    staff.locator("#id_meetings-0-end_time").fill("16:00")
    staff.locator("input[name=_save]").click()
    expect(staff.locator(".messagelist")).to_contain_text(
        "2 mensen die om deze cursus vroegen, krijgen een e-mail"
    )

    # --- Both who asked have one mail with a link to enrol; Ingrid sees the need planned.
    mails = Notification.objects.filter(template="offering_announced")
    assert sorted(mails.values_list("to_email", flat=True)) == [ingrid.email, jelle.email]
    assert all("/inschrijven/" in mail.context["enrol_url"] for mail in mails)
    assert Interest.objects.get().notified_at is not None
    assert TrainingNeed.objects.get().status == TrainingNeed.Status.PLANNED
    hr.reload()
    expect(needs_table).to_contain_text("gepland")
    expect(needs_table).to_contain_text("Elektrische trekkers")
    # The planned need leads straight to enrolling her team in that run.
    needs_table.get_by_role("link", name=re.compile("^Schrijf je team in")).click()
    hr.wait_for_url(re.compile(rf"{base}/bedrijf/{loonbedrijf.slug}/uitvoeringen/\d+/team/$"))
