"""Every mail renders in Dutch and English: a one-line subject, and text and HTML bodies that
name the learner, the course and the link the mail is about."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import Meeting
from enrolment.models import Enrolment
from technohub.mail import RenderedMail, render_mail
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    LocationFactory,
    MeetingFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
LANGUAGES = ["nl", "en"]
ENROLMENT_MAILS = {
    "enrolment_confirmed": {},
    "enrolment_waitlisted": {"position": 3},
    "enrolment_requested": {},
    "enrolment_promoted": {},
    "enrolment_cancelled": {},
    "offering_changed": {},
    "offering_cancelled": {"reason": "Te weinig aanmeldingen & geen vervangende docent."},
    "enrolment_reminder": {"days": 7},
    "enrolment_rejected": {"reason": "Geen budget meer dit jaar & volgend jaar opnieuw."},
}
ACCOUNT_MAILS = {
    "verify_email": ("verify_url", f"{SITE}/accounts/bevestigen/abc123/"),
    "password_reset": ("reset_url", f"{SITE}/accounts/wachtwoord/nieuw/MQ/set-password/"),
}


@pytest.fixture
def learner():
    return UserFactory(first_name="Fenna", last_name="Bakker", email="fenna@kampstaal.nl")


@pytest.fixture
def enrolment_context(learner):
    """What ``enrolment.emails.render`` passes for an offering with two meetings at a hub."""
    course = CourseFactory(title="TIG-lassen RVS", title_en="TIG welding stainless steel")
    location = LocationFactory(
        name="Firda Emmeloord",
        street="Espelerlaan 1",
        postal_code="8302 DC",
        city="Emmeloord",
    )
    offering = OfferingFactory(course=course, location=location, instructor="Piet Jansen")
    first = timezone.localtime().replace(hour=8, minute=30, second=0, microsecond=0)
    first += timedelta(days=21)
    for week in range(2):
        starts_at = first + timedelta(weeks=week)
        MeetingFactory(
            offering=offering, starts_at=starts_at, ends_at=starts_at + timedelta(hours=8)
        )
    enrolment = EnrolmentFactory(offering=offering, learner=learner)
    return {
        "recipient": learner,
        "enrolment": enrolment,
        "offering": offering,
        "course": course,
        "meetings": list(Meeting.objects.filter(offering=offering)),
        "course_url": f"{SITE}/cursussen/{course.slug}/",
        "my_courses_url": f"{SITE}/mijn-cursussen/",
    }


def assert_well_formed(mail: RenderedMail, *, language: str, expected: list[str]) -> None:
    assert mail.subject.strip()
    assert "\n" not in mail.subject
    assert mail.html.lower().startswith("<!doctype html>")
    assert f'<html lang="{language}">' in mail.html
    for body in (mail.text, mail.html):
        for fragment in expected:
            assert fragment in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ENROLMENT_MAILS)
def test_enrolment_mail_names_learner_course_and_links(name, language, enrolment_context):
    context = {**enrolment_context, **ENROLMENT_MAILS[name]}
    if name == "enrolment_waitlisted":
        context["enrolment"].status = Enrolment.Status.WAITLISTED
        context["enrolment"].waitlist_position = 3

    mail = render_mail(name, context, language=language)

    title = "TIG-lassen RVS" if language == "nl" else "TIG welding stainless steel"
    assert title in mail.subject
    assert_well_formed(
        mail, language=language, expected=["Fenna", title, "Espelerlaan 1", "8302 DC Emmeloord"]
    )
    assert context["course_url"] in mail.text + mail.html
    if name != "offering_cancelled":
        assert context["my_courses_url"] in mail.text
        assert context["my_courses_url"] in mail.html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ACCOUNT_MAILS)
def test_account_mail_names_learner_and_link(name, language, learner):
    key, url = ACCOUNT_MAILS[name]

    mail = render_mail(name, {"recipient": learner, key: url}, language=language)

    assert_well_formed(mail, language=language, expected=["Fenna", url])


@pytest.mark.parametrize("name", [*ENROLMENT_MAILS, *ACCOUNT_MAILS])
def test_english_subject_is_translated(name, enrolment_context):
    context = {**enrolment_context, **ENROLMENT_MAILS.get(name, {})}
    if name in ACCOUNT_MAILS:
        key, url = ACCOUNT_MAILS[name]
        context = {"recipient": enrolment_context["recipient"], key: url}

    dutch = render_mail(name, context, language="nl")
    english = render_mail(name, context, language="en")

    # The course has an English title too: compare what is left once the titles are removed.
    assert english.subject.replace("TIG welding stainless steel", "") != dutch.subject.replace(
        "TIG-lassen RVS", ""
    )
    assert "Hallo Fenna" in dutch.text
    assert "Hallo" not in english.text


def test_waitlist_mail_states_the_position(enrolment_context):
    mail = render_mail("enrolment_waitlisted", {**enrolment_context, "position": 4}, language="nl")

    assert "plaats 4" in mail.text
    assert "plaats 4" in mail.html


def test_meetings_are_listed_with_date_and_time(enrolment_context):
    mail = render_mail("enrolment_confirmed", enrolment_context, language="nl")

    for meeting in enrolment_context["meetings"]:
        day = timezone.localtime(meeting.starts_at)
        assert f"{day.day} " in mail.text
        assert "08:30–16:30" in mail.text
        assert "08:30–16:30" in mail.html
    assert "Piet Jansen" in mail.text


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [("nl", "Bijeenkomst 1 van 2", "Session 1 of 2"), ("en", "Session 1 of 2", "Bijeenkomst")],
)
def test_meeting_topics_are_in_the_recipients_language(
    enrolment_context, language, shown, not_shown
):
    first, second = enrolment_context["meetings"]
    first.topic, first.topic_en = "Bijeenkomst 1 van 2", "Session 1 of 2"
    second.topic = "Praktijkexamen"  # no English topic: the Dutch one is shown

    mail = render_mail("enrolment_confirmed", enrolment_context, language=language)

    for body in (mail.text, mail.html):
        assert shown in body
        assert not_shown not in body
        assert "Praktijkexamen" in body


def test_reminder_says_tomorrow_the_day_before(enrolment_context):
    tomorrow = {**enrolment_context, "days": 1}

    dutch = render_mail("enrolment_reminder", tomorrow, language="nl")
    english = render_mail("enrolment_reminder", tomorrow, language="en")
    in_a_week = render_mail("enrolment_reminder", {**enrolment_context, "days": 7}, language="nl")

    assert "morgen" in dutch.subject
    assert "tomorrow" in english.subject
    assert "over 7 dagen" in in_a_week.subject


def test_cancelled_offering_mail_gives_the_reason_escaped_in_html(enrolment_context):
    reason = "Te weinig aanmeldingen & geen vervangende docent."
    context = {**enrolment_context, "reason": reason}

    mail = render_mail("offering_cancelled", context, language="nl")

    assert reason in mail.text
    assert "Te weinig aanmeldingen &amp; geen vervangende docent." in mail.html


def test_cancelled_offering_mail_without_reason_has_no_reason_line(enrolment_context):
    mail = render_mail("offering_cancelled", {**enrolment_context, "reason": ""}, language="nl")

    assert "Reden" not in mail.text
    assert "Reden" not in mail.html


def test_text_mail_is_not_html_escaped(enrolment_context):
    enrolment_context["course"].title = "Hydrauliek & pneumatiek"

    mail = render_mail("enrolment_confirmed", enrolment_context, language="nl")

    assert "Hydrauliek & pneumatiek" in mail.subject
    assert "Hydrauliek & pneumatiek" in mail.text
    assert "Hydrauliek &amp; pneumatiek" in mail.html


def test_mail_without_recipient_greets_without_a_name(enrolment_context):
    mail = render_mail(
        "enrolment_cancelled", {**enrolment_context, "recipient": None}, language="nl"
    )

    assert mail.text.startswith("Hallo,")


def test_rejection_mail_gives_hrs_reason_escaped_in_html(enrolment_context):
    reason = "Geen budget meer dit jaar & volgend jaar opnieuw."

    mail = render_mail("enrolment_rejected", {**enrolment_context, "reason": reason}, language="nl")

    assert reason in mail.text
    assert "Geen budget meer dit jaar &amp; volgend jaar opnieuw." in mail.html
    assert "niet goedgekeurd" in mail.subject


def test_rejection_mail_without_reason_has_no_reason_line(enrolment_context):
    mail = render_mail("enrolment_rejected", {**enrolment_context, "reason": ""}, language="nl")

    assert "Toelichting" not in mail.text
    assert "Toelichting" not in mail.html


INVITATION = {
    "recipient": None,
    "company": "Kampstaal & Zonen",
    "invited_by": "Hanna de Boer",
    "accept_url": f"{SITE}/uitnodiging/abc123/",
    "valid_days": 14,
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_mail_names_company_inviter_and_link(language):
    mail = render_mail("company_invitation", INVITATION, language=language)

    assert "Kampstaal & Zonen" in mail.subject
    assert_well_formed(
        mail, language=language, expected=["Hanna de Boer", INVITATION["accept_url"], "14"]
    )
    assert "Kampstaal & Zonen" in mail.text
    assert "Kampstaal &amp; Zonen" in mail.html


def test_invitation_mail_is_translated():
    dutch = render_mail("company_invitation", INVITATION, language="nl")
    english = render_mail("company_invitation", INVITATION, language="en")

    assert dutch.text.startswith("Hallo,")
    assert "uitgenodigd" in dutch.text
    assert english.subject != dutch.subject
    assert "Hallo" not in english.text
    assert "uitnodiging" not in english.text.lower().replace("/uitnodiging/", "")


DIGEST = {
    "company": "Kampstaal & Zonen",
    "portal_url": f"{SITE}/bedrijf/kampstaal/",
    "events": [
        {
            "time": "2030-03-04T08:30:00+01:00",
            "when": "4 maart, 08:30",
            "learner": "Fenna Bakker",
            "course": "TIG-lassen RVS",
            "action": "enrolment.confirmed",
            "label": "ingeschreven",
        },
        {
            "time": "2030-03-04T09:15:00+01:00",
            "when": "4 maart, 09:15",
            "learner": "Piet <Jansen>",
            "course": "TIG-lassen RVS",
            "action": "enrolment.waitlisted",
            "label": "op de wachtlijst",
        },
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_hr_digest_lists_each_event_and_links_to_the_portal(language, learner):
    mail = render_mail("hr_digest", {**DIGEST, "recipient": learner}, language=language)

    assert "Kampstaal & Zonen" in mail.subject
    assert "2" in mail.subject
    assert_well_formed(
        mail,
        language=language,
        expected=["Fenna", "Fenna Bakker", "4 maart, 08:30", "ingeschreven", DIGEST["portal_url"]],
    )
    assert "Piet <Jansen>" in mail.text
    assert "Piet &lt;Jansen&gt;" in mail.html
    assert '<time datetime="2030-03-04T08:30:00+01:00">' in mail.html


def test_hr_digest_subject_counts_one_change_in_the_singular(learner):
    one = {**DIGEST, "events": DIGEST["events"][:1], "recipient": learner}

    assert "1 wijziging in" in render_mail("hr_digest", one, language="nl").subject
    assert "1 change to" in render_mail("hr_digest", one, language="en").subject


MESSAGE = {"subject": "Lokaal & tijd", "body": "Neem <b>veiligheidsschoenen</b> mee.\nTot dan!"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_participants_message_carries_the_managers_text_in_the_hubs_frame(
    language, enrolment_context
):
    mail = render_mail("offering_message", {**enrolment_context, **MESSAGE}, language=language)

    title = "TIG-lassen RVS" if language == "nl" else "TIG welding stainless steel"
    assert mail.subject == f"Lokaal & tijd – {title}"
    assert_well_formed(mail, language=language, expected=["Fenna", title, "Espelerlaan 1"])
    assert "Neem <b>veiligheidsschoenen</b> mee.\nTot dan!" in mail.text
    assert "Neem &lt;b&gt;veiligheidsschoenen&lt;/b&gt; mee.<br>Tot dan!" in mail.html
    assert "<b>veiligheidsschoenen</b>" not in mail.html
    assert "<h1>Lokaal &amp; tijd</h1>" in mail.html
    frame = "Een bericht van Technohub NOP" if language == "nl" else "A message from Technohub NOP"
    assert frame in mail.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_enrolment_account_mail_names_the_course_and_the_password_link(
    language, enrolment_context
):
    url = f"{SITE}/accounts/wachtwoord/nieuw/MQ/abc-123/"
    context = {
        **enrolment_context,
        "set_password_url": url,
        "valid_days": 14,
        "HUB_CONTACT_EMAIL": "info@technohub.example",
    }

    mail = render_mail("staff_enrolment_account", context, language=language)

    title = "TIG-lassen RVS" if language == "nl" else "TIG welding stainless steel"
    assert title in mail.subject
    assert_well_formed(
        mail, language=language, expected=["Fenna", title, url, "14", "info@technohub.example"]
    )
    if language == "en":
        assert "Choose a password" in mail.text
        assert "Hallo" not in mail.text
