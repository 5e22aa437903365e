"""The run's own admin page as the place to act, and the run list.

Every action is a button on the run's page when it applies; its confirmation page says how many
it concerns, and that number is what the action then does, on a run with several meetings (a
join to the meetings once multiplied the people by them). The services behind the new actions
(mail the participants, promote from the waiting list, enrol by e-mail address) are tested here
too, the promotion against a concurrent enrolment in real threads.
"""

import csv
import io
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Meeting, Offering
from companies.models import User
from enrolment import outbox, services
from enrolment.models import Enrolment, Notification
from technohub.audit import AuditLog
from tests.factories import (
    CompanyFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.races import assert_offering_is_consistent, race, statuses

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "admin:catalogue_offering_changelist"


def change_url(offering) -> str:
    return reverse("admin:catalogue_offering_change", args=[offering.pk])


def page_messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def make_run(*, meetings: int = 3, capacity: int = 8, days: int = 20, **fields) -> Offering:
    """An open run with ``meetings`` weekly meetings, the first ``days`` from now."""
    offering = OfferingFactory(capacity=capacity, min_participants=1, **fields)
    first = timezone.now() + timedelta(days=days)
    for week in range(meetings):
        MeetingFactory(offering=offering, starts_at=first + timedelta(weeks=week))
    return offering


def fill(offering, people: int) -> list[User]:
    learners = [UserFactory() for _ in range(people)]
    for learner in learners:
        services.enrol_learner(learner=learner, offering_id=offering.pk)
    return learners


def raise_capacity(offering, capacity: int) -> None:
    Offering.objects.filter(pk=offering.pk).update(capacity=capacity)
    offering.refresh_from_db()


@pytest.fixture
def manager(client, staff_user):
    client.force_login(staff_user)
    return client


def action_links(response) -> dict[str, str]:
    return {action.label: action.url for action in response.context["run_actions"]}


# --- The run page: every action that applies, as a button ------------------------------------


def test_run_page_has_a_button_for_every_action_that_applies(manager):
    offering = make_run(capacity=2)
    fill(offering, 3)  # 2 seated, 1 waiting
    raise_capacity(offering, 3)  # a seat free while someone waits

    page = manager.get(change_url(offering))

    assert page.status_code == 200
    links = action_links(page)
    assert set(links) == {
        "Iemand inschrijven",
        "Wachtlijst doorschuiven",
        "Deelnemers mailen",
        "Herinnering nu versturen",
        "Deelnemers verplaatsen",
        "Verschuiven",
        "Dupliceren",
        "Annuleren",
        "Deelnemerslijst (CSV)",
        "Deelnemerslijst (XLSX)",
    }
    html = page.content.decode()
    for url in links.values():
        assert f'href="{url.replace("&", "&amp;")}"' in html
    assert "2 van 3 plaatsen bevestigd, 1 op de wachtlijst" in html
    assert "Aanwezigheid registreer je vanaf het begin van een bijeenkomst." in html
    for url in links.values():
        assert manager.get(url).status_code == 200, url


def test_run_page_leaves_out_what_does_not_apply(manager, staff_user):
    full = make_run(capacity=1)
    fill(full, 2)
    assert "Wachtlijst doorschuiven" not in action_links(manager.get(change_url(full)))

    empty = make_run()
    links = action_links(manager.get(change_url(empty)))
    for absent in ("Deelnemers mailen", "Herinnering nu versturen", "Deelnemers verplaatsen"):
        assert absent not in links

    services.cancel_offering(offering_id=full.pk, actor=staff_user, reason="Ziek")
    links = action_links(manager.get(change_url(full)))
    for absent in (
        "Annuleren",
        "Iemand inschrijven",
        "Deelnemers mailen",
        "Wachtlijst doorschuiven",
    ):
        assert absent not in links
    assert "Dupliceren" in links


def test_run_page_links_attendance_of_meetings_that_have_started(manager):
    offering = OfferingFactory()
    started = MeetingFactory(offering=offering, starts_at=timezone.now() - timedelta(hours=1))
    later = MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=7))

    html = manager.get(change_url(offering)).content.decode()

    assert reverse("backoffice:attendance", args=[started.pk]) in html
    assert reverse("backoffice:attendance", args=[later.pk]) not in html


def test_a_run_whose_last_meeting_is_over_offers_completing_it_and_no_shift(manager):
    offering = OfferingFactory(status=Offering.Status.OPEN)
    MeetingFactory(
        offering=offering,
        starts_at=timezone.now() - timedelta(days=1, hours=3),
        ends_at=timezone.now() - timedelta(days=1),
    )

    links = action_links(manager.get(change_url(offering)))

    assert links["Afronden"] == reverse("backoffice:complete_offering", args=[offering.pk])
    assert "Verschuiven" not in links
    assert manager.get(links["Afronden"]).status_code == 200


def test_shifting_from_the_run_page_returns_there(manager):
    offering = make_run()
    links = action_links(manager.get(change_url(offering)))

    done = manager.post(links["Verschuiven"], {"ids": offering.pk, "direction": "1", "days": "7"})

    assert done.status_code == 302
    assert done.url == change_url(offering)


def test_run_page_costs_the_same_queries_with_many_people(manager):
    offering = make_run(capacity=3)
    fill(offering, 2)
    few = page_queries(manager, change_url(offering))
    fill(offering, 12)

    assert page_queries(manager, change_url(offering)) == few


def test_an_action_started_on_the_run_page_returns_there(manager):
    offering = make_run()
    fill(offering, 2)
    links = action_links(manager.get(change_url(offering)))

    page = manager.get(links["Herinnering nu versturen"])
    assert f'href="{change_url(offering)}"' in page.content.decode()  # "back" goes there too
    done = manager.post(links["Herinnering nu versturen"], {"ids": offering.pk, "back": "run"})

    assert done.status_code == 302
    assert done.url == change_url(offering)
    cancelled = manager.post(
        links["Annuleren"], {"ids": offering.pk, "back": "run", "reason": "Te weinig animo"}
    )
    assert cancelled.url == change_url(offering)


# --- Counts on every confirmation page equal what the action does ---------------------------


def test_cancel_page_counts_people_once_on_a_run_with_several_meetings(manager):
    offering = make_run(meetings=3, capacity=5)
    fill(offering, 7)  # 5 seated, 2 waiting
    url = reverse("admin:catalogue_offering_cancel") + f"?ids={offering.pk}&back=run"

    html = manager.get(url).content.decode()

    assert "7 deelnemers krijgen een e-mail" in html
    assert "21 deelnemers" not in html
    manager.post(url, {"ids": offering.pk, "back": "run", "reason": "De docent is ziek."})
    assert Notification.objects.filter(template="offering_cancelled").count() == 7


def test_remind_page_counts_confirmed_people_once_on_a_run_with_several_meetings(manager):
    offering = make_run(meetings=3, capacity=6)
    fill(offering, 8)
    url = reverse("admin:catalogue_offering_remind") + f"?ids={offering.pk}"

    assert "6 bevestigde deelnemers" in manager.get(url).content.decode()
    done = manager.post(url, {"ids": offering.pk})

    assert any("6 herinneringen verstuurd" in text for text in page_messages(done))
    assert Notification.objects.filter(template="enrolment_reminder").count() == 6


def test_mail_page_counts_who_gets_it_and_sends_that_many(manager):
    offering = make_run(meetings=3, capacity=4)
    fill(offering, 6)  # 4 seated, 2 waiting
    url = reverse("admin:catalogue_offering_mail", args=[offering.pk])

    html = manager.get(url).content.decode()
    assert "Bevestigde deelnemers: 4 personen" in html
    assert "Bevestigde deelnemers en de wachtlijst: 6 personen" in html

    done = manager.post(
        url,
        {"audience": "waitlist", "subject": "Andere zaal", "body": "We zitten in <lokaal 2>."},
    )

    assert done.status_code == 302
    assert done.url == change_url(offering)
    assert any("6 deelnemers krijgen je bericht" in text for text in page_messages(done))
    sent = Notification.objects.filter(template="offering_message")
    assert sent.count() == 6
    assert AuditLog.objects.filter(action="offering.messaged").get().data["mails"] == 6

    only_seated = manager.post(
        url, {"audience": "confirmed", "subject": "Koffie", "body": "Er is koffie."}
    )
    assert any("4 deelnemers krijgen je bericht" in text for text in page_messages(only_seated))
    assert sent.count() == 10


def test_mail_is_in_the_recipients_language_with_the_managers_text_as_typed(manager):
    offering = make_run(meetings=2)
    learner = UserFactory(preferred_language="en", first_name="Sam")
    services.enrol_learner(learner=learner, offering_id=offering.pk)
    url = reverse("admin:catalogue_offering_mail", args=[offering.pk])
    manager.post(
        url,
        {"audience": "confirmed", "subject": "Lokaal & tijd", "body": "Neem <b>schoenen</b> mee."},
    )
    notification = Notification.objects.get(template="offering_message")
    assert notification.language == "en"

    assert outbox.deliver(notification.pk)

    (message,) = mail.outbox
    assert message.subject.startswith("Lokaal & tijd – ")
    assert "Hi Sam" in message.body
    assert "A message from Technohub NOP about" in message.body
    assert "Neem <b>schoenen</b> mee." in message.body
    html = message.alternatives[0][0]
    assert "Neem &lt;b&gt;schoenen&lt;/b&gt; mee." in html
    assert "<b>schoenen</b>" not in html


@pytest.mark.parametrize(
    "fields, error_on",
    [
        ({"audience": "confirmed", "subject": "", "body": "x"}, "subject"),
        ({"audience": "confirmed", "subject": "x" * 151, "body": "x"}, "subject"),
        ({"audience": "confirmed", "subject": "x", "body": "x" * 5001}, "body"),
        ({"audience": "iedereen", "subject": "x", "body": "x"}, "audience"),
    ],
)
def test_mail_page_refuses_bad_input_next_to_the_field(manager, fields, error_on):
    offering = make_run()
    fill(offering, 1)

    page = manager.post(reverse("admin:catalogue_offering_mail", args=[offering.pk]), fields)

    assert page.status_code == 200
    assert error_on in page.context["form"].errors
    assert not Notification.objects.filter(template="offering_message").exists()


def test_promote_page_says_how_many_move_up_and_that_many_do(manager):
    offering = make_run(meetings=3, capacity=6)
    people = fill(offering, 9)  # 6 seated, 3 waiting
    raise_capacity(offering, 8)
    url = reverse("admin:catalogue_offering_promote", args=[offering.pk])

    html = manager.get(url).content.decode()
    assert "2 personen krijgen een plek en een e-mail" in html
    assert people[6].email in html and people[7].email in html
    assert people[8].email not in html

    done = manager.post(url)

    assert done.url == change_url(offering)
    assert any("2 personen van de wachtlijst kregen een plek" in t for t in page_messages(done))
    assert statuses(offering)[people[6].email] == ("confirmed", None)
    assert statuses(offering)[people[8].email] == ("waitlisted", 1)
    assert Notification.objects.filter(template="enrolment_promoted").count() == 2
    assert_offering_is_consistent(offering)


def test_promote_works_after_the_cancellation_deadline_but_not_once_started(staff_user):
    offering = make_run(meetings=2, capacity=1, days=2)  # inside the week before it starts
    fill(offering, 3)
    raise_capacity(offering, 2)

    promoted = services.promote_from_waitlist(offering_id=offering.pk, actor=staff_user)

    assert len(promoted) == 1
    started = make_run(meetings=1, days=-1)
    with pytest.raises(services.EnrolmentRefused):
        services.promote_from_waitlist(offering_id=started.pk, actor=staff_user)


def test_promotion_racing_an_enrolment_keeps_the_line(staff_user):
    offering = make_run(capacity=2)
    people = fill(offering, 5)  # 2 seated, 3 waiting
    raise_capacity(offering, 4)
    newcomer = UserFactory()

    results = race(
        [
            lambda: services.promote_from_waitlist(offering_id=offering.pk, actor=staff_user),
            lambda: services.enrol_learner(learner=newcomer, offering_id=offering.pk),
        ]
    )

    assert not any(isinstance(result, Exception) for result in results), results
    assert [e.learner_id for e in results[0]] == [people[2].pk, people[3].pk]
    assert_offering_is_consistent(offering)
    assert statuses(offering)[newcomer.email][0] == "waitlisted"
    assert offering.confirmed_count == 4


def test_one_new_address_enrolled_in_two_runs_at_once_gets_one_account(staff_user):
    first, second = make_run(), make_run()

    def enrol_in(offering):
        return lambda: services.enrol_by_email(
            offering_id=offering.pk,
            email="tegelijk@boer.example",
            first_name="Anne",
            last_name="Tegelijk",
            actor=staff_user,
        )

    results = race([enrol_in(first), enrol_in(second)])

    assert all(
        isinstance(result, services.StaffEnrolment | services.EnrolmentRefused)
        for result in results
    ), results
    assert User.objects.filter(email="tegelijk@boer.example").count() == 1
    enrolled = [result for result in results if isinstance(result, services.StaffEnrolment)]
    assert enrolled
    assert Enrolment.objects.filter(learner__email="tegelijk@boer.example").count() == len(enrolled)


def test_move_page_lists_each_participant_once_and_moves_them_all(manager):
    source = make_run(meetings=3, capacity=3)
    target = make_run(meetings=3, capacity=5, course=source.course)
    people = fill(source, 3)
    url = reverse("admin:catalogue_offering_move", args=[source.pk]) + "?back=run"

    page = manager.get(url)
    choices = list(page.context["form"].fields["enrolments"].queryset)
    assert len(choices) == 3

    done = manager.post(
        url, {"enrolments": [e.pk for e in choices], "target": target.pk, "back": "run"}
    )

    assert done.url == change_url(source)
    assert any("3 deelnemers verplaatst" in text for text in page_messages(done))
    assert set(statuses(target)) == {learner.email for learner in people}


def test_duplicate_page_lists_the_run_once_and_makes_one_copy(manager):
    offering = make_run(meetings=3)
    fill(offering, 2)
    url = reverse("admin:catalogue_offering_duplicate") + f"?ids={offering.pk}&back=run"

    page = manager.get(url)
    assert len(page.context["offerings"]) == 1
    done = manager.post(url, {"ids": offering.pk, "weeks": 4, "back": "run"})

    copy = Offering.objects.exclude(pk=offering.pk).get()
    assert done.url == change_url(copy)
    assert Meeting.objects.filter(offering=copy).count() == 3


# --- Enrol a person by e-mail address -------------------------------------------------------


def test_enrol_page_says_the_person_gets_a_seat_and_they_do(manager):
    offering = make_run(meetings=3, capacity=3)
    fill(offering, 1)
    learner = UserFactory(email="fenna@kampstaal.example")
    url = reverse("admin:catalogue_offering_enrol", args=[offering.pk])

    assert "Er zijn 2 plaatsen vrij" in manager.get(url).content.decode()
    done = manager.post(url, {"email": "Fenna@Kampstaal.example", "language": "nl"})

    assert done.url == change_url(offering)
    assert statuses(offering)[learner.email] == ("confirmed", None)
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.enrolled_by.email == "beheer@example.nl"
    assert Notification.objects.filter(enrolment=enrolment, template="enrolment_confirmed").exists()
    assert AuditLog.objects.filter(action="enrolment.confirmed", object_id=enrolment.pk).exists()


def test_enrol_page_says_the_waiting_list_place_and_it_is_that(manager):
    offering = make_run(capacity=1)
    fill(offering, 3)  # 1 seated, 2 waiting
    learner = UserFactory()
    url = reverse("admin:catalogue_offering_enrol", args=[offering.pk])

    assert "plaats 3 van de wachtlijst" in manager.get(url).content.decode()
    done = manager.post(url, {"email": learner.email, "language": "nl"})

    assert statuses(offering)[learner.email] == ("waitlisted", 3)
    assert any("Op de wachtlijst, plaats 3:" in text for text in page_messages(done))


def test_staff_enrolment_skips_the_employers_approval(manager):
    offering = make_run()
    employee = MembershipFactory(company=CompanyFactory(requires_approval=True)).user

    manager.post(
        reverse("admin:catalogue_offering_enrol", args=[offering.pk]),
        {"email": employee.email, "language": "nl"},
    )

    enrolment = Enrolment.objects.get(learner=employee)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.company == employee.memberships.get().company


def test_enrolling_an_unknown_address_invites_a_new_account(manager, client):
    offering = make_run()
    url = reverse("admin:catalogue_offering_enrol", args=[offering.pk])

    nameless = manager.post(url, {"email": "nieuw@boer.example", "language": "en"})
    assert nameless.status_code == 200
    assert "first_name" in nameless.context["form"].errors
    assert not User.objects.filter(email="nieuw@boer.example").exists()

    done = manager.post(
        url,
        {
            "email": "Nieuw@Boer.example",
            "first_name": "Sjoerd",
            "last_name": "de Boer",
            "language": "en",
        },
    )

    assert done.status_code == 302
    person = User.objects.get(email="nieuw@boer.example")
    assert (person.get_full_name(), person.preferred_language) == ("Sjoerd de Boer", "en")
    assert not person.has_usable_password()
    assert person.email_verified_at is None
    assert statuses(offering)[person.email] == ("confirmed", None)
    mails = Notification.objects.filter(recipient=person)
    assert set(mails.values_list("template", flat=True)) == {
        "enrolment_confirmed",
        "staff_enrolment_account",
    }
    assert set(mails.values_list("language", flat=True)) == {"en"}
    invitation = mails.get(template="staff_enrolment_account")
    link = urlparse(invitation.context["set_password_url"]).path
    chosen = client.get(link, follow=True)
    assert chosen.status_code == 200
    form_url = chosen.redirect_chain[-1][0]
    password = "een-goed-wachtwoord-9"
    client.post(form_url, {"new_password1": password, "new_password2": password})
    person.refresh_from_db()
    assert person.has_usable_password()
    assert person.email_verified_at is not None
    assert AuditLog.objects.filter(action="user.created_by_staff", object_id=person.pk).exists()


def test_enrol_page_refuses_someone_already_enrolled_next_to_the_address(manager):
    offering = make_run()
    (learner,) = fill(offering, 1)
    url = reverse("admin:catalogue_offering_enrol", args=[offering.pk])

    page = manager.post(url, {"email": learner.email.upper(), "language": "nl"})

    assert page.status_code == 200
    assert "al ingeschreven" in str(page.context["form"].errors["email"])
    assert Enrolment.objects.filter(offering=offering).count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "geen-adres", "language": "nl"},
        {"email": "a" * 300 + "@x.example", "language": "nl"},
        {"email": "x@y.example", "first_name": "x" * 500, "last_name": "y", "language": "nl"},
        {"email": "x@y.example", "first_name": "A", "last_name": "B", "language": "fr"},
        {"email": "x@y.example\x00", "language": "nl"},
        {},
    ],
)
def test_enrol_page_answers_any_input_without_a_server_error(manager, fields):
    offering = make_run()

    page = manager.post(reverse("admin:catalogue_offering_enrol", args=[offering.pk]), fields)

    assert page.status_code in (200, 400)  # 400: the request guard refuses control characters
    if page.status_code == 200:
        assert page.context["form"].errors
    assert not Enrolment.objects.exists()


def test_enrolling_in_a_cancelled_run_is_refused(manager, staff_user):
    offering = make_run()
    services.cancel_offering(offering_id=offering.pk, actor=staff_user, reason="Weg")
    learner = UserFactory()

    page = manager.post(
        reverse("admin:catalogue_offering_enrol", args=[offering.pk]),
        {"email": learner.email, "language": "nl"},
    )

    assert page.status_code == 200
    assert page.context["form"].non_field_errors()
    assert not Enrolment.objects.filter(learner=learner).exists()


# --- Export from the run page ----------------------------------------------------------------


def test_run_page_exports_its_participant_list(manager):
    offering = make_run(meetings=2)
    people = fill(offering, 2)

    response = manager.get(reverse("admin:catalogue_offering_export", args=[offering.pk, "csv"]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {row[rows[0].index("E-mailadres")] for row in rows[1:]} == {p.email for p in people}
    xlsx = manager.get(reverse("admin:catalogue_offering_export", args=[offering.pk, "xlsx"]))
    assert "spreadsheetml" in xlsx["Content-Type"]
    assert (
        manager.get(
            reverse("admin:catalogue_offering_export", args=[offering.pk, "pdf"])
        ).status_code
        == 404
    )


def test_run_page_in_english(manager):
    offering = make_run()
    fill(offering, 1)
    with translation.override("en"):
        url = change_url(offering)
    html = manager.get(url).content.decode()
    assert "Enrol someone" in html
    assert "Mail participants" in html


# --- The run list ----------------------------------------------------------------------------


def test_run_list_shows_date_place_status_seats_and_waiting_list_upcoming_first(manager):
    past = make_run(days=-30, meetings=1)
    later = make_run(days=40, capacity=2)
    soon = make_run(days=3, capacity=6)
    soon.min_participants = 4
    soon.save(update_fields=["min_participants"])
    fill(later, 3)
    fill(soon, 2)
    no_meetings = OfferingFactory()

    page = manager.get(reverse(CHANGELIST))

    listed = list(page.context["cl"].result_list)
    assert listed == [soon, later, past, no_meetings]
    html = page.content.decode()
    assert "2/6 · <strong>min. 4</strong>" in html  # open and below its minimum
    assert "2/2 · min. 1" in html
    first = timezone.localtime(
        Meeting.objects.filter(offering=soon).order_by("starts_at")[0].starts_at
    )
    assert first.strftime("%H:%M") in html
    assert listed[1].waitlisted_count == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("periode=14-dagen", ["soon", "cancelled"]),
        ("periode=komend", ["soon", "cancelled", "later"]),
        ("periode=voorbij", ["past"]),
        ("bezetting=onder-minimum", ["soon"]),
        ("status=cancelled", ["cancelled"]),
    ],
)
def test_run_list_filters_by_period_status_and_minimum(manager, staff_user, query, expected):
    runs = {
        "soon": make_run(days=3),
        "later": make_run(days=60),
        "past": make_run(days=-10, meetings=1),
        "cancelled": make_run(days=5),
    }
    Offering.objects.filter(pk=runs["soon"].pk).update(min_participants=3)
    fill(runs["later"], 1)
    Offering.objects.filter(pk=runs["past"].pk).update(status=Offering.Status.COMPLETED)
    services.cancel_offering(offering_id=runs["cancelled"].pk, actor=staff_user, reason="x")

    page = manager.get(reverse(CHANGELIST) + "?" + query)

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [runs[name] for name in expected]


def test_run_list_costs_the_same_queries_with_more_runs(manager):
    for _ in range(2):
        fill(make_run(capacity=1), 2)
    few = page_queries(manager, reverse(CHANGELIST))
    for _ in range(8):
        fill(make_run(capacity=1), 2)

    assert page_queries(manager, reverse(CHANGELIST)) == few
