"""In English, the site says nothing in Dutch: every page as each role (visitor, learner, HR and
staff), what answers a posted form, and every mail.

Course content may stay Dutch where nobody wrote English, so the sample data carries English
titles and texts, and names of people, companies and places are taken out before looking. What
is left must hold none of the common Dutch words of the site's interface. A page added to the
page lists of ``tests/browser/test_html_and_a11y.py`` is checked here too.
"""

import io
import re
import zipfile
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from catalogue import calendar
from catalogue.models import Course, Location, Meeting, Provider, SchoolActivity, Theme
from companies.models import Cluster, Company, Offer, Proposal, TrainingNeed, User
from enrolment import outbox
from enrolment.certificates_pdf import render_certificate_pdf
from enrolment.models import Enrolment, Notification, School, SchoolRequest, SchoolVisit
from enrolment.schools import rules as school_rules
from enrolment.schools import visit_files
from enrolment.selectors import get_certificate, get_offering_for_enrolment
from technohub.mail import render_mail
from technohub.privacy import export
from tests.browser.test_html_and_a11y import (
    COLLEGE_PAGES,
    EXPECTED_STATUS,
    HR_PAGES,
    LEARNER_PAGES,
    PUBLIC_PAGES,
    STAFF_PAGES,
    SampleData,
    lookup_counter_for,
    sample_data,
)
from tests.factories import (
    MeetingFactory,
    OfferingFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
)

# Common words of the Dutch interface that English never uses. A word here found on an English
# page or in an English mail is a string someone forgot to translate.
DUTCH_UI_WORDS = frozenset(
    """
    aanbieder aangemeld aanmelden aanvraag aanvragen aanwezig aanwezigheid achternaam afgerond
    afgewezen afmelden afwezig alle alleen annuleren annulering bedankt bedrijf bedrijven
    bedrijfsportaal bekijk bekijken beschikbaar bevestig bevestigd bevestigen bevestiging
    bijeenkomst bijeenkomsten bijlage cursus cursussen datum deelnemer deelnemers deze dinsdag
    docent donderdag downloaden een gegevens geannuleerd geen gepland groeten hallo heeft hebben
    het hier ingeschreven inloggen inschrijven inschrijving inschrijvingen januari februari maart
    juni juli augustus oktober jouw kies kiezen kunt locatie locaties maandag maanden medewerker
    medewerkers niet niets nog omschrijving onderwerp ook opleiding opmerkingen opslaan plaatsen
    prijs reden samenvatting sluiten subsidie terug thema titel toevoegen uitloggen uitvoering
    uitvoeringen uur verwijderen versturen volgende voornaam voor vorige vrijdag wachtlijst
    wachtwoord waar wanneer weken wijzigen woensdag wordt worden zaterdag zijn zoeken zoekterm
    zondag
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Attributes whose text people read or hear.
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class VisibleText(HTMLParser):
    """The text a reader meets: element text and read attributes, without scripts, styles and
    whatever is marked as Dutch on purpose (``lang="nl"``, such as the language switch)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []  # the open element that started a skipped part, nested

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.skipping:
            if tag == self.skipping[0] and tag not in VOID_ELEMENTS:
                self.skipping.append(tag)
            return
        if tag in ("script", "style") or attributes.get("lang", "").startswith("nl"):
            if tag not in VOID_ELEMENTS:
                self.skipping.append(tag)
            return
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")
        if tag == "meta" and attributes.get("name") == "description":
            self.parts.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[0]:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def dutch_words(text: str, *, names: list[str]) -> list[str]:
    """The Dutch interface words in ``text``, once the database's ``names`` are taken out."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return sorted({word for word in WORD.findall(text) if word.lower() in DUTCH_UI_WORDS})


def in_english(data: SampleData) -> list[str]:
    """Give every course, theme, location and meeting its English text, as the admin allows;
    return the names (people, companies, places, what HR typed) that stay as they are."""
    Course.objects.filter(title_en="").update(title_en=Concat(Value("Course "), "slug"))
    Course.objects.update(
        summary_en="Learn the trade.",
        description_en="Hands-on training in the hub's workshop.",
        learning_outcomes_en="Work safely.",
        audience_en="Operators.",
        funding_note_en="Eligible for sector funding.",
    )
    Theme.objects.filter(name_en="").update(name_en=Concat(Value("Theme "), "slug"))
    Location.objects.update(
        name_en=Concat(Value("Hub "), "slug"),
        description_en="A workshop with welding bays.",
        accessibility_en="Step-free entrance.",
        parking_en="Free parking.",
    )
    for number, meeting in enumerate(Meeting.objects.order_by("pk"), start=1):
        meeting.topic, meeting.topic_en = f"Bijeenkomst {number}", f"Session {number}"
        meeting.save(update_fields=["topic", "topic_en"])
    names = [data.learner.email, data.hr.email]
    for user in User.objects.all():
        names += [user.get_full_name(), user.first_name, user.last_name, user.email, str(user)]
    names += [name for model in (Company, Provider, Cluster) for name in _names(model)]
    names += list(Location.objects.values_list("city", flat=True))
    names += list(Location.objects.values_list("street", flat=True))
    names += list(TrainingNeed.objects.values_list("title", flat=True))
    names += list(TrainingNeed.objects.values_list("description", flat=True))
    for field in ("title", "description", "target_group", "learning_outcomes"):
        names += list(Proposal.objects.values_list(field, flat=True))
    names += list(Offer.objects.values_list("note", flat=True))
    # Schools and what a teacher or a host typed stay as they are.
    names += [name for school in School.objects.all() for name in (school.name, school.city)]
    for field in ("accessibility", "question", "contact_phone", "cancel_reason"):
        names += list(SchoolRequest.objects.values_list(field, flat=True))
    names += list(SchoolVisit.objects.values_list("host_decline_reason", flat=True))
    SchoolActivity.objects.update(
        title_en=Concat(Value("Activity "), "slug"),
        summary_en="Pupils scan a field.",
        what_pupils_do_en="Plan a flight and read the map.",
        what_to_bring_en="Sturdy shoes and a packed lunch",
        safety_rules_en="Wear safety shoes\nWear safety goggles at the workbench",
    )
    return [name for name in names if name]


def _names(model) -> list[str]:
    return list(model.objects.values_list("name", flat=True))


ROLE_PAGES = {
    "visitor": PUBLIC_PAGES,
    "learner": LEARNER_PAGES,
    "hr": HR_PAGES,
    "staff": STAFF_PAGES,
    "college": COLLEGE_PAGES,
}
PAGE_IDS = [f"{role}:{name}" for role, pages in ROLE_PAGES.items() for name in pages]


def client_for(role: str, data: SampleData) -> Client:
    client = Client()
    user = {
        "learner": data.learner,
        "hr": data.hr,
        "staff": data.staff,
        "college": data.college,
    }.get(role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(scope="module")
def english_pages(django_db_setup, django_db_blocker) -> dict[str, dict]:
    """Every page rendered once in English by its role: id → path, status, Dutch words."""
    pages = {}
    with django_db_blocker.unblock():
        with transaction.atomic():
            data = sample_data()
            names = in_english(data)
            for role, role_pages in ROLE_PAGES.items():
                client = client_for(role, data)
                for name, path_of in role_pages.items():
                    with translation.override("en"):
                        path = path_of(data)
                    with lookup_counter_for(f"{name}-en"):
                        response = client.get(path)
                    text = visible_text(response.content.decode())
                    pages[f"{role}:{name}"] = {
                        "path": path,
                        "status": response.status_code,
                        "language": response.headers.get("Content-Language"),
                        "dutch": dutch_words(text, names=names),
                    }
            transaction.set_rollback(True)
        connection.close()
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_english_page_has_no_dutch_interface_words(page_id, english_pages):
    page = english_pages[page_id]
    expected = EXPECTED_STATUS.get(page_id.split(":", 1)[1], 200)
    assert page["status"] == expected, f"{page['path']} answered {page['status']}"
    assert page["language"] == "en", page["path"]
    assert not page["dutch"], f"{page['path']} in English says {page['dutch']}"


def _savepoint():
    """A savepoint inside which a service may still open its durable transaction."""
    atomic = transaction.atomic()
    atomic._from_testcase = True
    return atomic


# Django's own messages in English: on a Dutch page each is a string Django's catalogue lacks.
DJANGO_ENGLISH = (
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "This password",
    "The two password fields",
)


def posted_answers(data: SampleData, language: str) -> dict[str, str]:
    """Each page's form posted empty as its role, following where it leads: id → text."""
    answers = {}
    for role, role_pages in ROLE_PAGES.items():
        client = client_for(role, data)
        for name, path_of in role_pages.items():
            with translation.override(language):
                path = path_of(data)
            with _savepoint(), lookup_counter_for(f"{name}-{language}"):
                response = client.post(path, {}, follow=True)
                answers[f"{role}:{name} {path}"] = visible_text(response.content.decode())
                transaction.set_rollback(True)
            cache.clear()  # the next page must not be answered from what this one cached
    return answers


@pytest.mark.django_db
def test_english_answers_to_posted_forms_have_no_dutch_interface_words():
    """Each page's form posted empty (errors next to the fields) and, for commands, the page
    they lead to with its message: in English, whatever the page did."""
    data = sample_data()
    names = in_english(data)

    answers = posted_answers(data, "en")

    found = {page: dutch_words(text, names=names) for page, text in answers.items()}
    assert not any(found.values()), {page: words for page, words in found.items() if words}


@pytest.mark.django_db
def test_dutch_answers_to_posted_forms_have_no_english_django_messages():
    answers = posted_answers(sample_data(), "nl")

    found = {
        page: [phrase for phrase in DJANGO_ENGLISH if phrase in text]
        for page, text in answers.items()
    }
    assert not any(found.values()), {page: words for page, words in found.items() if words}


@pytest.mark.django_db
def test_english_search_results_fragment_has_no_dutch_interface_words(client):
    """What htmx swaps in when the learner filters the list."""
    data = sample_data()
    names = in_english(data)
    with translation.override("en"):
        path = reverse("catalogue:course_list") + "?q=turning&vrij=1"

    response = client.get(path, headers={"HX-Request": "true"})

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "CNC turning" in text
    assert not dutch_words(text, names=names)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "offering_of"),
    [
        (
            "confirmed",
            lambda data: MeetingFactory(offering=OfferingFactory(course=data.course)).offering,
        ),
        ("waitlisted", lambda data: data.full_offering),
    ],
)
def test_enrolling_in_english_says_so_in_english(status, offering_of, mailoutbox):
    data = sample_data()
    names = in_english(data)
    learner = User.objects.create_user(
        email="piotr.nowak@kampstaal.example",
        password="geheim-wachtwoord",
        first_name="Piotr",
        last_name="Nowak",
        preferred_language="en",
    )
    client = Client()
    client.force_login(learner)
    offering = offering_of(data)
    with translation.override("en"):
        path = reverse("enrolment:enrol", args=[offering.pk])

    response = client.post(path, follow=True)

    assert Enrolment.objects.get(learner=learner, offering=offering).status == status
    text = visible_text(response.content.decode())
    assert response.redirect_chain[-1][0].startswith("/en/")
    expected = "You're enrolled." if status == "confirmed" else "waiting list"
    assert expected in text
    names += ["Piotr Nowak", "Piotr", "Nowak", learner.email]
    assert not dutch_words(text, names=names)
    # And the mail that follows, as the worker sends it.
    for notification in Notification.objects.filter(recipient=learner):
        outbox.deliver(notification.pk)
    (message,) = mailoutbox
    (html, _type) = message.alternatives[0]
    for part in (message.subject, message.body, visible_text(html)):
        assert not dutch_words(part, names=names), part


MAIL_NAMES = sorted(
    {
        path.name.split(".")[0]
        for path in (Path(settings.BASE_DIR) / "templates" / "emails").iterdir()
        if not path.name.startswith(("_", "base."))
    }
)


def mail_contexts(data: SampleData) -> list[dict]:
    """A context with everything any mail reads, and variants for the mails' branches."""
    enrolment = data.enrolment
    site = settings.SITE_URL
    base = {
        "recipient": data.learner,
        "enrolment": enrolment,
        "offering": enrolment.offering,
        "course": enrolment.offering.course,
        "meetings": list(enrolment.offering.meetings.all()),
        "removed_meetings": list(enrolment.offering.meetings.all()),
        "seated": True,
        "course_url": f"{site}/en/courses/cnc-draaien/",
        "my_courses_url": f"{site}/en/my-courses/",
        "reason": "The trainer is ill.",
        "subject": "Room change",
        "body": "We meet in room 2; bring your safety shoes.",
        "position": 3,
        "days": 7,
        "company": data.company.name,
        "invited_by": data.hr.get_full_name(),
        "accept_url": f"{site}/en/invitation/abc/",
        "valid_days": 14,
        "set_password_url": f"{site}/en/account/new-password/MQ/abc/",
        "profile_url": f"{site}/en/account/profile/",
        "kept_courses": ["CNC turning"],
        "rejected_requests": 2,
        "login_url": f"{site}/en/account/login/",
        "reset_url": f"{site}/en/account/forgot-password/",
        "verify_url": f"{site}/en/account/confirm/MQ/abc/",
        "deletion_date": "1 March 2027",
        "from_date": "5 January 2027",
        "starts_on": "12 January 2027",
        "location": "Hub Emmeloord",
        "asked_for": ["4 employees of Kampstaal"],
        "enrol_url": f"{site}/en/runs/1/enrol/",
        "team_links": [{"company": data.company.name, "url": f"{site}/en/company/kampstaal/"}],
        "events": [
            {"when": "1 December, 10:00", "learner": "Piet Smit", "course": "CNC turning"},
        ],
        "portal_url": f"{site}/en/company/kampstaal/",
        "proposal_title": "Hydraulics for mechanics",
        "proposal_url": f"{site}/en/proposals/1/",
        "origin": "company",
        "from_name": data.company.name,
        "expected_headcount": 8,
        "kind": "course",
        "title": "Hydraulics for mechanics",
        "provider": "Firda",
        "drafted_by": "Henk Visser",
        "admin_url": f"{site}/en/beheer/catalogue/course/1/change/",
        "certificate": data.certificate,
        "certificate_url": f"{site}/en/my-courses/1/certificate/",
        "reservation": data.reservation,
        "names_until": timezone.now() + timedelta(days=10),
        "reservation_url": f"{site}/en/company/kampstaal/reservations/1/",
        "evaluation_url": f"{site}/en/evaluation/abc/",
        "approve_url": f"{site}/en/company/kampstaal/requests/1/approve/",
        "reject_url": f"{site}/en/company/kampstaal/requests/1/reject/",
        "requests_url": f"{site}/en/company/kampstaal/requests/",
        "checks_url": f"{site}/en/company/kampstaal/application/",
        "participants": [{"name": "Piet Smit", "course": "CNC turning", "ended": "1 March 2027"}],
        "funding_url": f"{site}/en/company/kampstaal/funding/",
        "claims": [
            {
                "name": "Piet Smit",
                "course": "CNC turning",
                "scheme": "Developing digital skills",
                "amount": "895.50",
                "deadline": "1 March 2027",
                "days": 30,
                "before_start": False,
            },
            {
                "name": "Anne Bakker",
                "course": "Welding",
                "scheme": "OOM training subsidy",
                "amount": "400.00",
                "deadline": "11 January 2027",
                "days": 1,
                "before_start": True,
            },
        ],
        "requests": [
            {
                "learner": "Piet Smit",
                "email": "piet@kampstaal.example",
                "course": "CNC turning",
                "dates": "12 January 2027",
                "price": "1395.00",
                "motivation": "Our new lathe needs it.",
                "approve_url": f"{site}/en/company/kampstaal/requests/1/approve/",
                "reject_url": f"{site}/en/company/kampstaal/requests/1/reject/",
            }
        ],
    }
    # Offers and proposals: what their mails read, as plain values.
    base.update(
        proposal="Hydraulics for field fitters",
        provider="Firda",
        price="450.00",
        min_participants=4,
        max_participants=10,
        hours="14",
        headcount=4,
        seats_held=0,
        asked_seats=True,
        accept_url=f"{site}/en/proposals/1/offers/1/accept/",
        team_url=f"{site}/en/company/kampstaal/runs/1/team/",
    )
    # Qualifications expiring: the holder's mail and HR's, as plain values.
    run = {
        "course": "VCA refresher",
        "starts": "12 January 2027",
        "location": "Hub Emmeloord",
        "url": f"{site}/en/company/kampstaal/runs/1/team/",
    }
    base.update(
        qualification="VCA (safety)",
        expires_on="1 March 2027",
        runs=[run],
        people=[{"name": "Piet Smit", "qualification": "VCA (safety)", "expires_on": "1 March"}],
        renewals=[{"qualification": "VCA (safety)", "runs": [run]}],
        matrix_url=f"{site}/en/company/kampstaal/qualifications/?status=expiring",
    )
    # A school visit planned for the host, declined by them, cancelled by the hub.
    visit = data.school_visit
    base.update(
        visit=visit,
        school_request=visit.request,
        activity=visit.activity,
        answer_url=f"{site}/en/host/abc/",
    )
    variants = [base]
    declined = SchoolVisit(
        pk=visit.pk,
        request=visit.request,
        activity=visit.activity,
        location=None,
        date=visit.date,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        pupils=visit.pupils,
        status="declined",
        host_decline_reason="Closed that day.",
    )
    variants.append({**base, "visit": declined})  # at the school, with the host's reason
    variants.append({**base, "visit": None})  # a request cancelled before it had a visit
    # A teacher's school visit: its confirmation, reminders (two weeks, two days) and
    # evaluation request.
    teacher_visit = SchoolVisit.objects.select_related(
        "activity__host", "location", "request__school"
    ).get(pk=data.teacher_visit.pk)  # read again: in English by now
    teacher = {
        **base,
        "visit": teacher_visit,
        "school_request": teacher_visit.request,
        "activity": teacher_visit.activity,
        "days_before": 14,
        "change_until": school_rules.change_deadline(teacher_visit.date),
    }
    variants += [teacher, {**teacher, "days_before": 2}]
    variants.append({**teacher, "days_before": 1, "change_until_passed": True})
    # A teacher's request for a school visit: what the school mails read.
    school_request = SchoolRequestFactory(
        activity__title="Drone-scan van een perceel",
        activity__title_en="Drone scan of a field",
        school__name="Zuyderzee College",
        teacher=data.learner,
        window_from=timezone.localdate() + timedelta(days=30),
        window_to=timezone.localdate() + timedelta(days=40),
        blackout_dates=[timezone.localdate() + timedelta(days=33)],
        accessibility="A wheelchair route.",
        question="Can we eat our lunch there?",
        cancel_reason="The bus is not available.",
    )
    school_request.groups.update(label="3B")
    requested = {
        **base,
        "school_request": school_request,
        "activity": school_request.activity,
        "visit": None,
    }
    variants.append(requested)
    # A school request with a visit planned, as the host reads it.
    variants.append(
        {**requested, "visit": SchoolVisitFactory(request=school_request), "for_host": True}
    )
    # No run planned to renew it.
    variants.append(
        {**base, "runs": [], "renewals": [{"qualification": "VCA (safety)", "runs": []}]}
    )
    variants.append(  # a changed offer to the manager; a publication with seats held, short
        {**base, "changed": True, "for_manager": True, "seats_held": 3}
    )
    for status in ("waitlisted", "requested"):
        changed = Enrolment(
            pk=enrolment.pk,
            offering=enrolment.offering,
            learner=enrolment.learner,
            status=status,
            waitlist_position=3 if status == "waitlisted" else None,
            motivation="Our new lathe needs it." if status == "requested" else "",
        )
        variants.append({**base, "enrolment": changed})
    optional = ("set_password_url", "starts_on", "from_date", "reason", "kept_courses")
    variants.append({**base, **dict.fromkeys(optional, ""), "recipient": None, "days": 1})
    variants.append({**base, "reason": "cancelled"})  # a reservation given back with its run
    variants.append({**base, "seated": False})  # a change mail to who waits for a seat
    for origin in ("college", "demand"):  # a new proposal from a college, from the board
        variants.append({**base, "origin": origin})
    variants.append({**base, "kind": "offering"})  # a college's draft of a run, not a course
    return variants


@pytest.mark.django_db
@pytest.mark.parametrize("name", MAIL_NAMES)
def test_english_mail_has_no_dutch_interface_words(name):
    data = sample_data()
    names = in_english(data)
    for context in mail_contexts(data):
        mail = render_mail(name, context, language="en")

        for part, text in (
            ("subject", mail.subject),
            ("text", mail.text),
            ("html", visible_text(mail.html)),
        ):
            words = dutch_words(text, names=names)
            assert not words, f"{name} ({part}) in English says {words}:\n{text}"


def test_the_check_finds_dutch_and_passes_english():
    dutch = visible_text(
        '<p>Je staat op de <b>wachtlijst</b>.</p><button aria-label="Inschrijven">x</button>'
    )
    english = visible_text(
        '<p>You are on the waiting list.</p><a lang="nl" href="/">Nederlands, bijeenkomst</a>'
        "<script>const uitvoering = 1;</script>"
    )

    assert dutch_words(dutch, names=[]) == ["Inschrijven", "wachtlijst"]
    assert dutch_words(english, names=[]) == []
    assert dutch_words("Cursus van Kampstaal", names=["Kampstaal"]) == ["Cursus"]


def test_every_mail_template_is_checked():
    assert {"enrolment_confirmed", "verify_email", "hr_digest"} <= set(MAIL_NAMES)
    assert not {"base", "_details"} & set(MAIL_NAMES)


# Answers that are no page of the lists: refusals, and the files people download.
ERROR_PAGES = {
    "not-found": ("visitor", lambda data: "/en/no-such-page/", 404),
    "forbidden": ("learner", lambda data: reverse("backoffice:dashboard"), 403),
    "post-only": ("learner", lambda data: reverse("accounts:logout"), 405),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ERROR_PAGES)
def test_english_refusal_pages_have_no_dutch_interface_words(name):
    data = sample_data()
    role, path_of, status = ERROR_PAGES[name]
    with translation.override("en"):
        path = path_of(data)

    response = client_for(role, data).get(path)

    assert response.status_code == status
    text = visible_text(response.content.decode())
    assert text
    assert not dutch_words(text, names=in_english(data)), path


@pytest.mark.django_db
def test_english_downloads_have_no_dutch_interface_words():
    """HR's export of the company's enrolments, the funding report and a learner's own data."""
    data = sample_data()
    names = in_english(data)
    data.learner.preferred_language = "en"
    data.learner.save(update_fields=["preferred_language"])
    today = timezone.localdate()
    with translation.override("en"):
        hr_export = reverse("portal:export_csv", args=[data.company.slug])
        funding = reverse("backoffice:funding_report") + (
            f"?company={data.company.pk}&start={today.year - 1}-01-01"
            f"&end={today.year + 1}-12-31&format=csv"
        )
        school_report = reverse("backoffice:school_report") + (
            f"?start={today.year - 1}-01-01&end={today.year + 1}-12-31&format=csv"
        )
    downloads = {
        school_report: client_for("staff", data).get(school_report).content.decode("utf-8-sig"),
        hr_export: client_for("hr", data).get(hr_export).content.decode("utf-8-sig"),
        funding: client_for("staff", data).get(funding).content.decode("utf-8-sig"),
    }
    with zipfile.ZipFile(io.BytesIO(export.build_zip(user=data.learner))) as archive:
        downloads["overview.html"] = visible_text(archive.read("overview.html").decode())

    assert "CNC turning" in downloads[hr_export]
    found = {name: dutch_words(text, names=names) for name, text in downloads.items()}
    assert not any(found.values()), found


@pytest.mark.django_db
@pytest.mark.parametrize("method", [None, calendar.REQUEST, calendar.CANCEL])
def test_english_calendar_files_have_no_dutch_interface_words(method):
    """The calendar file of a page's download, of a confirmation and of a cancellation."""
    data = sample_data()
    names = in_english(data)
    offering = get_offering_for_enrolment(pk=data.offering.pk)

    ics = calendar.offering_ics(
        offering, method=method, learner=data.learner, language="en"
    ).decode()

    texts = [
        line.split(":", 1)[1].replace("\\n", " ").replace("\\,", ",")
        for line in ics.replace("\r\n ", "").splitlines()
        if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME"))
    ]
    assert "Session 1" in " ".join(texts)
    assert not dutch_words(" ".join(texts), names=names), texts


@pytest.mark.django_db
def test_english_school_visit_files_have_no_dutch_interface_words():
    """A teacher's calendar file and arrival sheet."""
    data = sample_data()
    names = in_english(data)
    visit = SchoolVisit.objects.select_related("activity__host", "location", "request__school").get(
        pk=data.teacher_visit.pk
    )

    ics = visit_files.visit_ics(visit, language="en").decode()
    pdf = visit_files.arrival_sheet_pdf(visit, language="en")

    texts = [
        line.split(":", 1)[1].replace("\\n", " ").replace("\\,", ",")
        for line in ics.replace("\r\n ", "").splitlines()
        if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME"))
    ]
    assert "Sturdy shoes" in " ".join(texts)
    assert not dutch_words(" ".join(texts), names=names), texts
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Arrival sheet" in text
    assert not dutch_words(text, names=names), text


@pytest.mark.django_db
def test_english_learners_certificate_has_no_dutch_interface_words():
    data = sample_data()
    names = in_english(data)
    data.learner.preferred_language = "en"
    data.learner.save(update_fields=["preferred_language"])

    pdf = render_certificate_pdf(get_certificate(pk=data.certificate.pk))

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Certificate" in text
    assert not dutch_words(text, names=names), text
