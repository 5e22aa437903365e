"""A college's own pages: who gets in, what they see of people, messages and navigation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.college.selectors import count_message_recipients
from enrolment.models import Enrolment, Notification
from technohub.models import AuditLog
from tests.catalogue.college.conftest import ROLES
from tests.factories import EnrolmentFactory, MeetingFactory, OfferingFactory, UserFactory
from tests.queries import page_queries

# Every college URL of provider A, and its exact status per role, in ROLES order:
# anonymous, learner, HR, alleen lezen, Opleider A, Opleider B, programme manager.
LOG_IN = "log-in"
FOR_A = (LOG_IN, 403, 403, 403, 200, 404, 200)
PAGES = {
    "start": (lambda c: reverse("college:start"), (LOG_IN, 403, 403, 403, 302, 302, 200)),
    "overview": (lambda c: reverse("college:overview", args=[c["provider_a"].slug]), FOR_A),
    "offering": (
        lambda c: reverse("college:offering", args=[c["provider_a"].slug, c["ended"].pk]),
        FOR_A,
    ),
    "message": (
        lambda c: reverse("college:message", args=[c["provider_a"].slug, c["ended"].pk]),
        FOR_A,
    ),
    "new_course": (lambda c: reverse("college:new_course", args=[c["provider_a"].slug]), FOR_A),
    "edit_course": (
        lambda c: reverse("college:edit_course", args=[c["provider_a"].slug, c["concept"].pk]),
        FOR_A,
    ),
    "new_offering": (
        lambda c: (
            reverse("college:new_offering", args=[c["provider_a"].slug])
            + f"?course={c['course'].pk}"
        ),
        FOR_A,
    ),
}
CASES = [
    pytest.param(page, role, expected[index], id=f"{page}-{role}")
    for page, (_url, expected) in PAGES.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize("page, role, expected", CASES)
def test_college_page_answers_each_role_with_its_exact_status(
    client, college, page, role, expected
):
    user = college["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(PAGES[page][0](college))
    if expected == LOG_IN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def test_start_sends_each_college_to_its_own_providers_page(client, college):
    client.force_login(college["users"]["opleider_b"])
    response = client.get(reverse("college:start"))
    assert response["Location"] == reverse("college:overview", args=["aeres-mbo"])


def test_start_lets_the_programme_manager_choose_a_provider(client, college):
    client.force_login(college["users"]["programmamanager"])
    html = client.get(reverse("college:start")).content.decode()
    for provider in ("provider_a", "provider_b"):
        assert reverse("college:overview", args=[college[provider].slug]) in html


def test_a_college_never_reaches_another_providers_run_through_its_own_slug(client, college):
    client.force_login(college["users"]["opleider_a"])
    slug = college["provider_a"].slug
    for name in ("college:offering", "college:message"):
        assert client.get(reverse(name, args=[slug, college["other"].pk])).status_code == 404
    other_course = college["other"].course
    assert (
        client.get(reverse("college:edit_course", args=[slug, other_course.pk])).status_code == 404
    )
    new_run = reverse("college:new_offering", args=[slug]) + f"?course={other_course.pk}"
    assert client.get(new_run).status_code == 404
    assert client.post(new_run, {}).status_code == 404
    for hostile in ("", "abc", "99999999999999999999", "-1"):
        url = reverse("college:new_offering", args=[slug]) + f"?course={hostile}"
        assert client.get(url).status_code == 404


def test_overview_shows_runs_with_what_needs_doing_and_the_closed_runs_companies(client, college):
    client.force_login(college["users"]["opleider_a"])
    response = client.get(reverse("college:overview", args=["firda"]))
    html = response.content.decode()
    overview = response.context["overview"]
    assert overview.upcoming == [college["closed"]]
    assert overview.recent == [college["ended"]]
    assert reverse("backoffice:complete_offering", args=[college["ended"].pk]) in html
    assert "besloten" in html and "voor Kampstaal" in html
    assert "Melkrobot" not in html
    assert "Cobot programmeren" in html and "concept" in html
    assert reverse("college:edit_course", args=["firda", college["concept"].pk]) in html


def test_overview_links_a_started_meeting_without_attendance_to_its_attendance_page(
    client, college
):
    started = MeetingFactory(
        offering=OfferingFactory(course=college["course"]),
        starts_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(college["users"]["opleider_a"])
    html = client.get(reverse("college:overview", args=["firda"])).content.decode()
    assert reverse("backoffice:attendance", args=[started.pk]) in html
    # The ended run's one meeting has its attendance: nothing to take there.
    assert reverse("backoffice:attendance", args=[college["meeting"].pk]) not in html


def test_overview_leaves_out_runs_that_ended_more_than_90_days_ago(client, college):
    old = OfferingFactory(course=college["course"], status="completed")
    MeetingFactory(offering=old, starts_at=timezone.now() - timedelta(days=100))
    client.force_login(college["users"]["opleider_a"])
    overview = client.get(reverse("college:overview", args=["firda"])).context["overview"]
    assert old not in overview.recent + overview.upcoming


def test_overview_costs_the_same_queries_with_more_runs_courses_and_people(client, college):
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:overview", args=["firda"])
    few = page_queries(client, url)
    for days in (5, 40, -3):
        run = OfferingFactory(course=college["course"])
        run.private_for.set(college["companies"])
        MeetingFactory(offering=run, starts_at=timezone.now() + timedelta(days=days))
        EnrolmentFactory(offering=run, status=Enrolment.Status.WAITLISTED, waitlist_position=1)
    OfferingFactory(course=college["concept"], status="concept")
    assert page_queries(client, url) == few
    # Provider, courses, runs, closed runs' companies (plus the session's own reads).
    assert few == 6


def test_participant_list_shows_name_company_and_attendance_and_nothing_more(client, college):
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:offering", args=["firda", college["ended"].pk])
    html = client.get(url).content.decode()
    assert "Bram de Boer" in html and "Yara Zijlstra" in html
    assert html.index("Bram de Boer") < html.index("Yara Zijlstra")  # Dutch order: Boer, Zijlstra
    assert "Kampstaal" in html and "Suplacon" in html
    assert "aanwezig" in html and "afwezig" in html
    for person in college["people"].values():
        assert person.email not in html
    assert "@" not in html.split('id="participants"')[1]
    assert "0612345678" not in html
    assert "PO-4711" not in html and "beter leren lassen" not in html
    assert "1195" not in html and "1.195" not in html


def test_participant_page_costs_the_same_queries_with_more_participants(client, college):
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:offering", args=["firda", college["ended"].pk])
    few = page_queries(client, url)
    for _ in range(4):
        EnrolmentFactory(offering=college["ended"], learner=UserFactory())
    MeetingFactory(offering=college["ended"], starts_at=timezone.now() - timedelta(days=3))
    assert page_queries(client, url) == few == 8


def test_message_asks_for_confirmation_naming_exactly_who_the_service_then_mails(client, college):
    run = college["ended"]
    EnrolmentFactory(offering=run, status=Enrolment.Status.WAITLISTED, waitlist_position=1)
    EnrolmentFactory(offering=run, status=Enrolment.Status.CANCELLED)
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:message", args=["firda", run.pk])
    message = {"subject": "Lokaal 2", "body": "We beginnen in lokaal 2."}

    confirming = client.post(url, message)

    assert confirming.status_code == 200
    assert confirming.context["confirming"] is True
    assert "2 personen krijgen dit bericht" in confirming.content.decode()
    assert not Notification.objects.filter(template="offering_message").exists()

    sent = client.post(url, {**message, "confirmed": "1"})

    assert sent.status_code == 302
    queued = Notification.objects.filter(template="offering_message")
    assert queued.count() == confirming.context["recipients"] == 2
    assert set(queued.values_list("to_email", flat=True)) == {
        person.email for person in college["people"].values()
    }
    log = AuditLog.objects.get(action="offering.messaged", object_id=run.pk)
    assert log.actor == college["users"]["opleider_a"] and log.data["mails"] == 2
    assert count_message_recipients(offering=run) == 2


def test_message_is_refused_on_a_cancelled_run_next_to_the_form(client, college):
    run = college["ended"]
    run.status = "cancelled"
    run.save(update_fields=["status"])
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:message", args=["firda", run.pk])

    shown = client.get(url)
    response = client.post(url, {"subject": "Les", "body": "Tekst", "confirmed": "1"})

    assert shown.status_code == 200
    assert "Deze uitvoering is geannuleerd" in shown.content.decode()
    assert response.status_code == 200
    assert "Deze uitvoering is geannuleerd" in response.content.decode()
    assert response.context["confirming"] is False
    assert not Notification.objects.filter(template="offering_message").exists()


def test_message_with_a_too_long_subject_is_an_error_at_the_field(client, college):
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:message", args=["firda", college["ended"].pk])
    response = client.post(url, {"subject": "x" * 500, "body": "Tekst"})
    assert response.status_code == 200
    assert response.context["form"].errors["subject"]
    assert response.context["confirming"] is False


def test_message_page_refuses_other_methods(client, college):
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:message", args=["firda", college["ended"].pk])
    assert client.put(url).status_code == 405


def test_a_college_user_lands_on_their_providers_page_after_logging_in(client, college):
    user = college["users"]["opleider_a"]
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": "geheim-wachtwoord"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("college:overview", args=["firda"])


def test_a_college_user_lands_on_their_providers_page_after_the_admins_log_in(client, college):
    user = college["users"]["opleider_a"]
    response = client.post(
        reverse("admin:login"), {"username": user.email, "password": "geheim-wachtwoord"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("college:overview", args=["firda"])


def test_the_programme_manager_still_lands_on_the_start_page(client, college):
    user = college["users"]["programmamanager"]
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": "geheim-wachtwoord"}
    )
    assert response["Location"] == reverse("backoffice:today")


def test_staff_menu_offers_mijn_aanbod_to_a_college_and_aanbieders_to_the_manager(client, college):
    client.force_login(college["users"]["opleider_a"])
    html = client.get(reverse("college:overview", args=["firda"])).content.decode()
    assert "Mijn aanbod" in html and f'href="{reverse("college:start")}"' in html
    client.force_login(college["users"]["programmamanager"])
    html = client.get(reverse("college:start")).content.decode()
    assert "Aanbieders" in html and "Mijn aanbod" not in html


def test_college_pages_read_in_english(client, college):
    client.force_login(college["users"]["opleider_a"])
    with translation.override("en"):
        overview = reverse("college:overview", args=["firda"])
        offering = reverse("college:offering", args=["firda", college["ended"].pk])
        new_course = reverse("college:new_course", args=["firda"])
    assert overview == "/en/provider/firda/"
    assert offering == f"/en/provider/firda/runs/{college['ended'].pk}/"
    html = client.get(overview).content.decode()
    assert "Upcoming runs" in html and "closed" in html and "Complete" in html
    html = client.get(offering).content.decode()
    assert "Participants" in html and "present" in html and "absent" in html
    html = client.get(new_course).content.decode()
    assert "Save as draft" in html


WRITING_PAGES = ("message", "new_course", "edit_course", "new_offering")
REFUSED_POSTS = [
    pytest.param(page, role, PAGES[page][1][index], id=f"{page}-{role}")
    for page in WRITING_PAGES
    for index, role in enumerate(ROLES)
    if PAGES[page][1][index] != 200
]


@pytest.mark.parametrize("page, role, expected", REFUSED_POSTS)
def test_a_refused_role_posting_to_a_college_page_changes_nothing(
    client, college, page, role, expected
):
    user = college["users"][role]
    if user is not None:
        client.force_login(user)
    posted = {
        "subject": "Les",
        "body": "Tekst",
        "confirmed": "1",
        "title": "Gekaapt",
        "summary": "x",
        "description": "x",
        "level": "basic",
        "sector": "metal",
        "mode": "on_site",
        "study_hours": "4",
        "price_excl_vat": "10",
    }
    response = client.post(PAGES[page][0](college), posted)
    assert response.status_code == (302 if expected == LOG_IN else expected)
    assert not Notification.objects.exists()
    assert not AuditLog.objects.filter(
        action__in=["course.drafted", "course.draft_changed", "offering.messaged"]
    ).exists()
