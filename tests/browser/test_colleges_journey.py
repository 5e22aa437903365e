"""Colleges at the table, in real Chromium: from "wij zoeken een training" to the evaluation.

Hennie Post (HR at Kampstaal) proposes a hydraulics training and pledges four people with seats
reserved; Ingrid de Boer (HR at Poldermachinebouw) finds it under Voorstellen and pledges three,
seeing Kampstaal only as part of the total. Henk Visser of Firda sends an offer with two
meetings. The programme manager accepts it as a closed run for the two companies, publishes the
new course and opens the run: both companies are told and Kampstaal's seats are held. Hennie
names two colleagues for those seats from the link in her mail. After the run, Henk takes
attendance and completes it, a learner answers the evaluation from her mail (once), and with five
answers Henk sees the averages and the open answer, never a name.

Each person has a browser context of their own; the mails are read from the outbox.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import F, Max
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from catalogue.models import Meeting, Offering
from companies.models import Membership, Pledge, Proposal
from enrolment import emails, services
from enrolment.evaluation import services as evaluation_services
from enrolment.models import Enrolment, EvaluationAnswer, EvaluationRequest, Notification
from enrolment.tasks import queue_evaluations
from tests.factories import (
    CompanyFactory,
    LocationFactory,
    MembershipFactory,
    ProviderFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "een-lang-wachtwoord-voor-de-polder"
TITLE = "Hydrauliek voor monteurs van landbouwmachines"
OPEN_ANSWER = "De testbank maakte het concreet; meer oefentijd graag."


def person(email: str, first_name: str, last_name: str, **fields):
    return UserFactory(
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=PASSWORD,
        email_verified_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def open_browser(browser: Browser):
    """A browser of one's own per person (a context: their own cookies and session), closed
    after the test."""
    contexts = []

    def open_page() -> Page:
        contexts.append(browser.new_context(locale="nl-NL"))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(page: Page, base: str, email: str, *, lands_on: str) -> None:
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}{lands_on}")


def mail_text(notification: Notification) -> str:
    """The plain text of a mail as it is sent (with the personal links signed)."""
    return emails.render(notification).text


def link_after(text: str, label: str) -> str:
    """The address on the line after (or behind) ``label`` in a mail's text."""
    found = re.search(re.escape(label) + r":?\s*(https?://\S+)", text)
    assert found, f"no link after {label!r} in:\n{text}"
    return found.group(1)


def status_message(page: Page):
    return page.get_by_role("status").or_(page.get_by_role("alert")).first


def test_a_proposal_becomes_a_run_that_is_enrolled_given_and_evaluated(
    live_server, open_browser, settings
):
    base = live_server.url
    # The mails' links lead to this live server, as they lead to the site in production.
    settings.SITE_URL = base
    LocationFactory(name="Firda Emmeloord", slug="firda-emmeloord", city="Emmeloord")
    ThemeFactory(name="Onderhoud", slug="onderhoud")
    firda = ProviderFactory(name="Firda", slug="firda")
    kampstaal = CompanyFactory(name="Kampstaal", slug="kampstaal")
    polder = CompanyFactory(name="Poldermachinebouw", slug="poldermachinebouw")
    hennie = person("hennie.post@kampstaal.example", "Hennie", "Post")
    MembershipFactory(company=kampstaal, user=hennie, role=Membership.Role.HR)
    ingrid = person("ingrid.deboer@poldermachinebouw.example", "Ingrid", "de Boer")
    MembershipFactory(company=polder, user=ingrid, role=Membership.Role.HR)
    fleur = person("fleur.bakker@kampstaal.example", "Fleur", "Bakker")
    sjoerd = person("sjoerd.hoekstra@kampstaal.example", "Sjoerd", "Hoekstra")
    for employee in (fleur, sjoerd):
        MembershipFactory(company=kampstaal, user=employee)
    mechanics = [MembershipFactory(company=polder).user for _ in range(3)]
    henk = person("opleider@firda.example", "Henk", "Visser", is_staff=True, provider=firda)
    # The live server's tests empty the database, the migrations' groups too: the group
    # Opleider as the migrations make it, for what Henk does here.
    opleider = Group.objects.get_or_create(name="Opleider")[0]
    opleider.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="companies",
            codename__in=["use_college_pages", "take_attendance", "complete_offering"],
        )
    )
    henk.groups.add(opleider)
    # A superuser: the migrations' group Programmamanager is gone with the rest.
    manager = person(
        "planning@technohub.example", "Petra", "Planner", is_staff=True, is_superuser=True
    )

    # --- 1. Hennie proposes a training and pledges four colleagues, with seats reserved.
    hr_a = open_browser()
    log_in(hr_a, base, hennie.email, lands_on="/bedrijf/kampstaal/")
    hr_a.get_by_role("link", name="Voorstellen", exact=True).first.click()
    expect(hr_a.get_by_role("heading", level=1)).to_have_text("Voorstellen voor nieuwe trainingen")
    hr_a.get_by_role("link", name="Wij zoeken een training").click()
    expect(hr_a.get_by_role("heading", level=1)).to_have_text("Wij zoeken een training")
    hr_a.get_by_label("Onderwerp").fill(TITLE)
    hr_a.get_by_label("Doelgroep").fill("Monteurs met een paar jaar ervaring.")
    hr_a.get_by_label("Leerdoelen").fill("Storingen in hydraulische systemen vinden en verhelpen.")
    hr_a.get_by_label("Verwacht aantal deelnemers").fill("8")
    hr_a.get_by_label("Thema").select_option(label="Onderhoud")
    hr_a.get_by_label("Firda Emmeloord").check()
    hr_a.get_by_role("group", name=re.compile("Aan welke aanbieders")).get_by_label("Firda").check()
    hr_a.get_by_role("button", name="Voorstel versturen").click()
    expect(hr_a.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(status_message(hr_a)).to_contain_text("Het voorstel staat klaar")
    proposal = Proposal.objects.get()
    assert proposal.company == kampstaal and list(proposal.providers.all()) == [firda]
    expect(steps_current(hr_a)).to_have_text("Open")

    hr_a.get_by_label("Met hoeveel medewerkers doen jullie mee?").fill("4")
    hr_a.get_by_label("Plaatsen reserveren zodra de uitvoering open is").check()
    hr_a.get_by_role("button", name="Wij doen mee").click()
    expect(status_message(hr_a)).to_contain_text("Genoteerd: Kampstaal doet mee met 4.")
    expect(hr_a.get_by_text("4 deelnemers toegezegd door 1 bedrijf.")).to_be_visible()
    expect(
        hr_a.get_by_text("Plaatsen worden gereserveerd zodra de uitvoering open is.")
    ).to_be_visible()

    # --- 2. Ingrid finds it under Voorstellen and pledges three; Kampstaal is only a total.
    hr_b = open_browser()
    log_in(hr_b, base, ingrid.email, lands_on="/bedrijf/poldermachinebouw/")
    hr_b.get_by_role("link", name="Voorstellen", exact=True).first.click()
    row = hr_b.get_by_role("row").filter(has=hr_b.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("4 (1 bedrijf)")
    row.get_by_role("link", name=TITLE).click()
    expect(hr_b.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(hr_b.get_by_text("Een bedrijf zoekt een training.")).to_be_visible()
    expect(hr_b.get_by_text("4 deelnemers toegezegd door 1 bedrijf.")).to_be_visible()
    hr_b.get_by_label("Met hoeveel medewerkers doen jullie mee?").fill("3")
    hr_b.get_by_role("button", name="Wij doen mee").click()
    expect(status_message(hr_b)).to_contain_text("Genoteerd: Poldermachinebouw doet mee met 3.")
    expect(hr_b.get_by_text("7 deelnemers toegezegd door 2 bedrijven.")).to_be_visible()
    main_b = hr_b.get_by_role("main")
    expect(main_b).to_contain_text("een ander bedrijf")  # the history, without a name
    expect(main_b).not_to_contain_text("Kampstaal")
    expect(main_b).not_to_contain_text("Hennie")
    expect(hr_b.get_by_role("table", name="Toezeggingen per bedrijf")).to_have_count(0)

    # --- 3. Henk of Firda opens the proposal and sends an offer with two meetings.
    college = open_browser()
    log_in(college, base, henk.email, lands_on="/aanbieder/firda/")
    college.get_by_role("link", name="Naar de voorstellen").click()
    college.get_by_role("link", name=TITLE).click()
    expect(college.get_by_text("7 deelnemers toegezegd door 2 bedrijven.")).to_be_visible()
    expect(college.get_by_text("Nog geen offertes.")).to_be_visible()
    college.get_by_role("link", name="Offerte maken").click()
    expect(college.get_by_role("heading", level=1)).to_have_text("Offerte van Firda")
    college.get_by_label("Prijs per deelnemer (excl. btw)").fill("450,00")
    college.get_by_label("Minimum aantal deelnemers").fill("5")
    college.get_by_label("Maximum aantal deelnemers").fill("12")
    college.get_by_label("Uren").fill("14")
    first_day = timezone.localdate() + timedelta(days=30)
    for row_number, day in ((1, first_day), (2, first_day + timedelta(days=7))):
        college.get_by_label(f"Bijeenkomst {row_number}: datum").fill(day.isoformat())
        college.get_by_label(f"Bijeenkomst {row_number}: begint om").fill("09:00")
        college.get_by_label(f"Bijeenkomst {row_number}: eindigt om").fill("16:00")
    college.get_by_role("group", name=re.compile("Plaatsen")).get_by_label(
        "Firda Emmeloord"
    ).check()
    college.get_by_label("Kan bij een bedrijf (mobiele hub)").check()
    college.get_by_label("Toelichting").fill("Wij nemen de testbank mee.")
    college.get_by_role("button", name="Offerte versturen").click()
    expect(status_message(college)).to_contain_text("Jullie offerte is verstuurd")
    expect(college.get_by_role("heading", name=re.compile("Jullie offerte"))).to_contain_text(
        "ingediend"
    )

    # --- 4. The programme manager accepts it as a closed run, publishes and opens it.
    staff = open_browser()
    staff.goto(f"{base}/beheer/login/")
    staff.get_by_label("E-mailadres").fill(manager.email)
    staff.get_by_label("Wachtwoord").fill(PASSWORD)
    staff.locator("input[type=submit]").click()
    staff.wait_for_url(f"{base}/beheer-vandaag/")
    staff.get_by_role("link", name="Voorstellen", exact=True).first.click()
    staff.get_by_role("link", name=TITLE).click()
    pledges = staff.get_by_role("table", name="Toezeggingen per bedrijf")
    expect(pledges).to_contain_text("Kampstaal")
    expect(pledges).to_contain_text("Poldermachinebouw")
    staff.get_by_role("link", name="Deze offerte accepteren").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Offerte van Firda accepteren")
    expect(staff.get_by_text("Samen 7 deelnemers.")).to_be_visible()
    expect(staff.get_by_role("main")).to_contain_text("met 2 bijeenkomsten")
    staff.get_by_label("Locatie van de uitvoering").select_option(label="Firda Emmeloord")
    staff.get_by_label("Besloten uitvoering: alleen voor de bedrijven die toezegden").check()
    staff.get_by_role("button", name="Offerte accepteren").click()
    staff.wait_for_url(re.compile(rf"{base}/beheer/catalogue/offering/\d+/change/"))
    expect(staff.locator(".messagelist")).to_contain_text("De offerte is geaccepteerd")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    run = proposal.offering
    assert run.status == Offering.Status.CONCEPT
    assert set(run.private_for.all()) == {kampstaal, polder}
    assert run.meetings.count() == 2 and run.capacity == 12
    course = run.course
    assert not course.is_published

    # The course is new, so it is published first (the run is still a concept: nobody hears
    # yet); then the run is opened, and its save tells the companies and holds the seats.
    staff.goto(f"{base}/beheer/catalogue/course/{course.pk}/change/")
    staff.locator("#id_is_published").check()
    staff.locator("input[name=_save]").click()
    expect(staff.locator(".messagelist")).to_contain_text("is met succes gewijzigd")
    assert not Notification.objects.filter(template="proposal_published").exists()
    staff.goto(f"{base}/beheer/catalogue/offering/{run.pk}/change/")
    staff.locator("#id_status").select_option("open")
    staff.locator("input[name=_save]").click()
    expect(staff.locator(".messagelist")).to_contain_text(
        "2 bedrijven kregen bericht; 4 plaatsen gereserveerd."
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUBLISHED
    pledge = Pledge.objects.get(company=kampstaal)
    assert pledge.reservation.reserved_seats == 4
    # The proposal page shows the last step reached, to everyone involved.
    hr_b.reload()
    expect(steps_current(hr_b)).to_have_text("Gepubliceerd")

    # --- 5. Hennie names two colleagues for the reserved seats, from the link in her mail: with
    # seats held for Kampstaal that is the mail's one link (a team enrolled elsewhere would take
    # free seats next to them).
    mail = Notification.objects.get(template="proposal_published", to_email=hennie.email)
    text = mail_text(mail)
    assert "Voor Kampstaal zijn 4 plaatsen gereserveerd." in text
    assert "Een team van Kampstaal inschrijven" not in text
    names_url = link_after(text, "Namen doorgeven voor de gereserveerde plaatsen")
    assert Notification.objects.filter(template="proposal_published", to_email=ingrid.email)
    hr_a.goto(names_url)
    expect(hr_a.get_by_role("heading", level=1)).to_have_text("Gereserveerde plaatsen")
    expect(hr_a.get_by_text("Je bedrijf heeft 4 plaatsen gereserveerd.")).to_be_visible()
    for name in ("Fleur Bakker", "Sjoerd Hoekstra"):
        hr_a.get_by_label(name).check()
    hr_a.get_by_role("button", name="Inschrijven op gereserveerde plaatsen").click()
    expect(status_message(hr_a)).to_contain_text(
        "2 medewerkers ingeschreven op gereserveerde plaatsen."
    )
    expect(hr_a.get_by_text("Nog 2 plaatsen zonder naam")).to_be_visible()
    # Poldermachinebouw's three mechanics come along the same way (here by the service).
    services.enrol_team(hr_user=ingrid, company=polder, offering_id=run.pk, learners=mechanics)
    assert Enrolment.objects.filter(offering=run, status=Enrolment.Status.CONFIRMED).count() == 5

    # --- 6. The run is given. Its meetings are weeks ahead and the test cannot wait for them:
    # move both back in time so the last one ended yesterday, as if the weeks had passed.
    last_end = run.meetings.aggregate(last=Max("ends_at"))["last"]
    shift = last_end - timezone.now() + timedelta(days=1)
    Meeting.objects.filter(offering=run).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    college.goto(f"{base}/aanbieder/firda/")
    run_row = college.get_by_role("row").filter(has_text="Afronden")
    expect(run_row).to_contain_text("besloten voor Kampstaal, Poldermachinebouw")
    expect(run_row).to_contain_text("5 / 12")
    # The link's hidden part names the course: "Aanwezigheid opnemen: Hydrauliek …".
    college.get_by_role(
        "link", name=re.compile(rf"^Aanwezigheid opnemen\s*:\s*{course.title}")
    ).click()
    expect(college.get_by_role("heading", level=1)).to_have_text(f"Aanwezigheid: {course.title}")
    expect(college.get_by_role("heading", name="5 deelnemers")).to_be_visible()
    college.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(status_message(college)).to_contain_text("5 aanwezig")
    college.get_by_role("link", name=re.compile("Volgende bijeenkomst")).click()
    college.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(status_message(college)).to_contain_text("5 aanwezig")
    college.get_by_role("link", name="Afronden…").click()
    expect(college.get_by_role("heading", level=1)).to_have_text("Uitvoering afronden")
    expect(college.get_by_role("table", name="Zo wordt de uitvoering afgerond")).to_contain_text(
        "Fleur Bakker"
    )
    college.get_by_role("button", name="Ja, afronden").click()
    expect(status_message(college)).to_contain_text("De uitvoering is afgerond: 5 afgerond")
    run.refresh_from_db()
    assert run.status == Offering.Status.COMPLETED

    # The hourly task asks everyone who attended; Fleur opens the link in her mail.
    assert queue_evaluations() == 5
    fleur_mail = Notification.objects.get(template="evaluation_request", to_email=fleur.email)
    evaluation_url = link_after(mail_text(fleur_mail), "Naar de evaluatie")
    learner = open_browser()  # no log-in: the link is personal
    learner.goto(evaluation_url)
    expect(learner.get_by_role("heading", level=1)).to_have_text(f"Hoe was {course.title}?")
    for question, score in (
        ("Hoe goed was de inhoud van de cursus?", "4"),
        ("Hoe goed was de docent?", "5"),
        ("Hoe goed kun je het geleerde in je werk gebruiken?", "4"),
    ):
        learner.get_by_role("group", name=question).get_by_label(re.compile(rf"^{score}\b")).check()
    learner.get_by_label(re.compile("Wat wil je de opleider nog meegeven")).fill(OPEN_ANSWER)
    learner.get_by_role("button", name="Evaluatie versturen").click()
    expect(status_message(learner)).to_contain_text("Bedankt! Je evaluatie is opgeslagen.")
    # A second visit of the link says it was answered, and takes no second answer.
    learner.goto(evaluation_url)
    expect(learner.get_by_text("Je hebt deze cursus al geëvalueerd — bedankt!")).to_be_visible()
    expect(learner.get_by_role("button", name="Evaluatie versturen")).to_have_count(0)
    assert EvaluationAnswer.objects.filter(offering=run).count() == 1

    # --- 7. The others answer too (by the service), which reaches the threshold of five.
    settings.EVALUATION_MIN_ANSWERS = 5
    for request in EvaluationRequest.objects.filter(
        enrolment__offering=run, answered_at__isnull=True
    ):
        evaluation_services.answer_evaluation(
            request_id=request.pk, content=3, trainer=4, practical=5
        )
    college.goto(f"{base}/aanbieder/firda/")
    college.get_by_role("link", name="Naar de evaluaties").click()
    expect(college.get_by_role("heading", level=1)).to_have_text("Evaluaties: Firda")
    # (4 + 3·4) / 5, (5 + 4·4) / 5, (4 + 5·4) / 5
    expect(college.get_by_role("main")).to_contain_text(
        "5 antwoorden: inhoud 3,2, docent 4,2, toepasbaar in het werk 4,8."
    )
    expect(
        college.get_by_role("table", name=f"Evaluaties per uitvoering: {course.title}")
    ).to_contain_text("Firda Emmeloord")
    expect(college.get_by_role("main")).to_contain_text(OPEN_ANSWER)
    for name in ("Fleur", "Bakker", "Sjoerd", "Hoekstra", "Kampstaal", "Poldermachinebouw"):
        expect(college.get_by_role("main")).not_to_contain_text(name)


def steps_current(page: Page):
    return page.get_by_role("list", name="Stand van het voorstel").locator("[aria-current=step]")
