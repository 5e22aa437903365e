"""The programme manager's start page ("Vandaag"): its numbers, its links, the go decision, the
landing after log-in, the staff menu and the admin's index."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Offering
from companies.models import Membership, Offer, Proposal, TrainingNeed
from enrolment.models import Attendance, Enrolment, Notification
from technohub import audit
from technohub.backoffice.today import QUERIES, get_today
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


def offering_with(
    *, starts_in: timedelta, meetings: int = 1, confirmed: int = 0, waitlisted: int = 0, **fields
) -> Offering:
    """An open offering with meetings a week apart, the first ``starts_in`` from now (3 hours
    each), and that many confirmed and waitlisted enrolments (the counter kept in step)."""
    fields.setdefault("min_participants", 1)
    fields.setdefault("capacity", 10)
    offering = OfferingFactory(**fields)
    first = timezone.now() + starts_in
    for week in range(meetings):
        start = first + timedelta(weeks=week)
        MeetingFactory(offering=offering, starts_at=start, ends_at=start + timedelta(hours=3))
    for _ in range(confirmed):
        EnrolmentFactory(offering=offering, status=Enrolment.Status.CONFIRMED)
    for position in range(1, waitlisted + 1):
        EnrolmentFactory(
            offering=offering, status=Enrolment.Status.WAITLISTED, waitlist_position=position
        )
    Offering.objects.filter(pk=offering.pk).update(confirmed_count=confirmed)
    offering.refresh_from_db()
    return offering


def staff(group: str | None = None):
    user = UserFactory(is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def manager(client):
    client.force_login(staff("Programmamanager"))
    return client


# --- The numbers ----------------------------------------------------------------------------


def test_go_no_go_lists_open_runs_below_minimum_starting_within_fourteen_days():
    soon = offering_with(starts_in=timedelta(days=2), min_participants=4, confirmed=1)
    later = offering_with(starts_in=timedelta(days=13), min_participants=4, confirmed=3)
    offering_with(starts_in=timedelta(days=15), min_participants=4)  # too far ahead
    offering_with(starts_in=timedelta(days=3), min_participants=4, confirmed=4)  # at minimum
    offering_with(starts_in=-timedelta(hours=1), min_participants=4)  # already started
    offering_with(starts_in=timedelta(days=3), min_participants=4, status="concept")
    offering_with(
        starts_in=timedelta(days=3),
        min_participants=4,
        go_decided_at=timezone.now(),  # decided: goes ahead
    )

    today = get_today(now=timezone.now())

    assert [row.offering_id for row in today.go_no_go] == [soon.pk, later.pk]
    assert (today.go_no_go[0].confirmed, today.go_no_go[0].min_participants) == (1, 4)
    assert today.go_no_go[0].course_title == soon.course.title


def test_attendance_lists_started_meetings_with_confirmed_people_not_yet_recorded():
    recorder = staff("Programmamanager")
    open_run = offering_with(starts_in=-timedelta(days=8), meetings=2, confirmed=3)
    first, second = open_run.meetings.order_by("starts_at")
    people = list(open_run.enrolments.all())
    for enrolment in people:  # the first meeting is done
        Attendance.objects.create(
            enrolment=enrolment, meeting=first, state=Attendance.State.PRESENT, recorded_by=recorder
        )
    Attendance.objects.create(
        enrolment=people[0], meeting=second, state=Attendance.State.PRESENT, recorded_by=recorder
    )
    EnrolmentFactory(offering=open_run, status=Enrolment.Status.CANCELLED)  # not to record
    offering_with(starts_in=timedelta(hours=2), confirmed=2)  # not started yet
    offering_with(starts_in=-timedelta(days=1), confirmed=0)  # nobody to record
    offering_with(starts_in=-timedelta(days=1), confirmed=2, status="cancelled")

    today = get_today(now=timezone.now())

    assert [(row.meeting_id, row.unrecorded) for row in today.attendance] == [(second.pk, 2)]


def test_runs_to_complete_are_open_runs_whose_last_meeting_ended():
    over = offering_with(starts_in=-timedelta(days=2), confirmed=1)
    offering_with(starts_in=-timedelta(days=5), meetings=2)  # last meeting still to come
    offering_with(starts_in=-timedelta(days=2), status="completed")

    today = get_today(now=timezone.now())

    assert [row.offering_id for row in today.to_complete] == [over.pk]


def test_requests_waiting_more_than_three_days_and_needs_not_yet_planned_are_counted():
    now = timezone.now()
    old = EnrolmentFactory(status=Enrolment.Status.REQUESTED)
    EnrolmentFactory(status=Enrolment.Status.REQUESTED)  # asked just now
    decided = EnrolmentFactory(status=Enrolment.Status.REJECTED)
    Enrolment.objects.filter(pk__in=[old.pk, decided.pk]).update(created_at=now - timedelta(days=4))
    company = CompanyFactory()
    for status in ("new", "in_progress", "planned", "withdrawn"):
        TrainingNeed.objects.create(company=company, title="Lassen", headcount=2, status=status)

    today = get_today(now=now)

    assert today.requests_waiting == 1
    assert today.needs_waiting == 2


def test_mail_not_sent_after_fifteen_minutes_and_failed_mail_are_counted():
    now = timezone.now()
    stuck = Notification.objects.create(to_email="a@example.nl", template="x")
    Notification.objects.create(to_email="b@example.nl", template="x")  # still on its way
    sent = Notification.objects.create(to_email="c@example.nl", template="x", sent_at=now)
    failed = Notification.objects.create(to_email="d@example.nl", template="x", failed_at=now)
    Notification.objects.filter(pk__in=[stuck.pk, sent.pk, failed.pk]).update(
        created_at=now - timedelta(minutes=16)
    )

    today = get_today(now=now)

    assert (today.mail_stuck, today.mail_failed) == (1, 1)


def test_full_runs_with_a_waiting_list_are_listed():
    full = offering_with(starts_in=timedelta(days=20), capacity=2, confirmed=2, waitlisted=2)
    offering_with(starts_in=timedelta(days=20), capacity=2, confirmed=2)  # nobody waiting
    offering_with(starts_in=timedelta(days=20), capacity=3, confirmed=2, waitlisted=1)

    today = get_today(now=timezone.now())

    assert [(row.offering_id, row.waitlisted) for row in today.full_with_waiting_list] == [
        (full.pk, 2)
    ]


def test_proposals_waiting_and_the_colleges_drafts_are_counted_and_linked(manager):
    proposal = Proposal.objects.create(origin="demand", title="Hydrauliek")
    Offer.objects.create(
        proposal=proposal,
        provider=ProviderFactory(),
        price_excl_vat=400,
        min_participants=4,
        max_participants=10,
        hours=14,
    )
    Proposal.objects.create(origin="demand", title="Drones")  # new: no offer expected yet
    drafted = offering_with(starts_in=timedelta(days=30), status=Offering.Status.CONCEPT)
    audit.record(action="offering.drafted", target=drafted)
    offering_with(starts_in=timedelta(days=30), status=Offering.Status.CONCEPT)  # the hub's own
    course = CourseFactory(is_published=False)
    audit.record(action="course.drafted", target=course)

    today = get_today(now=timezone.now())

    assert today.proposals_waiting == 1
    assert (today.drafts.courses, today.drafts.offerings) == (1, 1)
    html = manager.get(reverse("backoffice:today")).content.decode()
    assert f"{reverse('proposals:list')}?status=open" in html
    assert f"{reverse('admin:catalogue_offering_changelist')}?status__exact=concept" in html
    assert f"{reverse('admin:catalogue_course_changelist')}?is_published__exact=0" in html


def test_recent_changes_say_who_did_what_to_which_object_when():
    actor = UserFactory(first_name="Petra", last_name="Plan")
    run = offering_with(starts_in=timedelta(days=3))
    audit.record(action="offering.cancelled", target=run, actor=actor)
    audit.record(action="enrolment.promoted", target=EnrolmentFactory(offering=run))

    changes = get_today(now=timezone.now()).recent_changes

    assert [change.action_label for change in changes] == [
        "van de wachtlijst geplaatst",
        "uitvoering geannuleerd",
    ]
    assert changes[0].actor_name is None
    assert changes[1].actor_name == str(actor)
    assert changes[1].target_url == reverse("admin:catalogue_offering_change", args=[run.pk])
    assert changes[1].target_label == f"uitvoering #{run.pk}"


def test_the_numbers_cost_the_same_queries_however_much_there_is():
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            get_today(now=timezone.now())
        return len(captured.captured_queries)

    offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=1)
    assert queries() == QUERIES
    for _ in range(3):
        offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=1)
        offering_with(starts_in=-timedelta(days=1), confirmed=2)
        offering_with(starts_in=timedelta(days=9), capacity=1, confirmed=1, waitlisted=1)
        audit.record(action="offering.cancelled", target=OfferingFactory(), actor=UserFactory())
    assert queries() == QUERIES


def test_the_page_costs_the_same_queries_however_much_there_is(manager):
    url = reverse("backoffice:today")
    offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=1)
    few = page_queries(manager, url)
    for _ in range(4):
        offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=1)
        offering_with(starts_in=-timedelta(days=1), confirmed=2)
        audit.record(action="offering.reminded", target=OfferingFactory(), actor=UserFactory())
    assert page_queries(manager, url) == few
    assert few <= QUERIES + 6  # the session's user and groups, the messages, the menu's perms


# --- The page: links behind every number, both languages -------------------------------------


def test_every_number_links_to_the_list_behind_it(manager):
    run = offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=1)
    started = offering_with(starts_in=-timedelta(days=1), confirmed=1)
    meeting = started.meetings.get()

    page = manager.get(reverse("backoffice:today")).content.decode()

    today_url = reverse("backoffice:today")
    assert f'href="{today_url}#go-no-go"' in page
    assert f'href="{reverse("backoffice:attendance_index")}"' in page
    assert f'href="{reverse("backoffice:attendance", args=[meeting.pk])}"' in page
    assert f'href="{today_url}#to-complete"' in page
    assert f'href="{reverse("backoffice:complete_offering", args=[started.pk])}"' in page
    requests = reverse("admin:enrolment_enrolment_changelist")
    assert f'href="{requests}?status__exact=requested' in page
    assert f'href="{reverse("backoffice:demand_board")}"' in page
    outbox = reverse("admin:enrolment_notification_changelist")
    assert f'href="{outbox}?status=unsent&amp;created_at__lt=' in page
    assert f'href="{outbox}?status=failed"' in page
    assert f'href="{reverse("backoffice:funding_report")}"' in page
    cancel = reverse("admin:catalogue_offering_cancel")
    assert f'href="{cancel}?ids={run.pk}&amp;next=%2Fbeheer-vandaag%2F"' in page
    assert reverse("backoffice:go_decision", args=[run.pk]) in page


def test_the_lists_behind_the_request_and_mail_numbers_show_as_many_rows(manager):
    now = timezone.now()
    old = [EnrolmentFactory(status=Enrolment.Status.REQUESTED) for _ in range(2)]
    EnrolmentFactory(status=Enrolment.Status.REQUESTED)
    Enrolment.objects.filter(pk__in=[e.pk for e in old]).update(created_at=now - timedelta(days=5))
    stuck = Notification.objects.create(to_email="a@example.nl", template="x")
    Notification.objects.create(to_email="b@example.nl", template="x")
    Notification.objects.filter(pk=stuck.pk).update(created_at=now - timedelta(hours=1))
    response = manager.get(reverse("backoffice:today"))
    today = response.context["today"]
    page = response.content.decode()

    for count, prefix in (
        (today.requests_waiting, reverse("admin:enrolment_enrolment_changelist")),
        (today.mail_stuck, reverse("admin:enrolment_notification_changelist") + "?status=unsent"),
    ):
        start = page.index(f'href="{prefix}')
        link = page[start + 6 : page.index('"', start + 6)].replace("&amp;", "&")
        changelist = manager.get(link)
        assert changelist.status_code == 200, link
        assert changelist.context["cl"].result_count == count
    assert (today.requests_waiting, today.mail_stuck) == (2, 1)


def test_the_page_reads_in_english(manager):
    offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=1)
    with translation.override("en"):
        url = reverse("backoffice:today")

    page = manager.get(url).content.decode()

    assert '<html lang="en">' in page
    assert "Today" in page and "Go/no-go" in page
    assert "Goes ahead" in page and "Vandaag" not in page and "Gaat door" not in page
    assert url == "/en/admin-today/"


# --- The go decision --------------------------------------------------------------------------


def test_go_decision_records_who_and_when_writes_an_audit_row_and_leaves_the_list(manager):
    run = offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=1)
    url = reverse("backoffice:go_decision", args=[run.pk])

    response = manager.post(url)

    assert response.status_code == 302
    assert response.url == reverse("backoffice:today")
    run.refresh_from_db()
    user = response.wsgi_request.user
    assert run.go_decided_at is not None and run.go_decided_by == user
    row = AuditLog.objects.get(action="offering.go_decided")
    assert (row.object_id, row.actor, row.data) == (run.pk, user, {"confirmed": 1, "minimum": 3})
    assert get_today(now=timezone.now()).go_no_go == []
    # Deciding twice changes nothing more.
    manager.post(url)
    assert AuditLog.objects.filter(action="offering.go_decided").count() == 1


def test_go_decision_is_post_only(manager):
    run = offering_with(starts_in=timedelta(days=2), min_participants=3)

    assert manager.get(reverse("backoffice:go_decision", args=[run.pk])).status_code == 405
    run.refresh_from_db()
    assert run.go_decided_at is None


@pytest.mark.parametrize(
    ("group", "status"), [(None, 403), ("Alleen lezen", 403), ("Opleider", 403)]
)
def test_go_decision_needs_the_right_to_change_runs(client, group, status):
    run = offering_with(starts_in=timedelta(days=2), min_participants=3)
    client.force_login(staff(group))

    assert client.post(reverse("backoffice:go_decision", args=[run.pk])).status_code == status
    run.refresh_from_db()
    assert run.go_decided_at is None and not AuditLog.objects.exists()


def test_go_decision_for_a_cancelled_run_is_refused_with_a_message(manager):
    run = offering_with(starts_in=timedelta(days=2), min_participants=3, status="cancelled")

    response = manager.post(reverse("backoffice:go_decision", args=[run.pk]), follow=True)

    assert "geannuleerd" in response.content.decode()
    run.refresh_from_db()
    assert run.go_decided_at is None and not AuditLog.objects.exists()


def test_read_only_staff_see_the_numbers_without_the_buttons(client):
    offering_with(starts_in=timedelta(days=2), min_participants=3)
    client.force_login(staff("Alleen lezen"))

    page = client.get(reverse("backoffice:today")).content.decode()

    assert "Go/no-go" in page
    assert "Gaat door" not in page and reverse("admin:catalogue_offering_cancel") not in page


def test_cancelling_from_the_start_page_takes_three_steps_and_returns_there(manager):
    run = offering_with(starts_in=timedelta(days=2), min_participants=3, confirmed=2)
    page = manager.get(reverse("backoffice:today")).content.decode()
    start = page.index(f'href="{reverse("admin:catalogue_offering_cancel")}')
    cancel_url = page[start + 6 : page.index('"', start + 6)].replace("&amp;", "&")

    confirmation = manager.get(cancel_url)  # step 1: the button
    assert confirmation.status_code == 200
    assert "2 deelnemers krijgen een e-mail" in confirmation.content.decode()
    response = manager.post(cancel_url, {"ids": [run.pk], "reason": "Te weinig deelnemers"})

    assert response.status_code == 302  # steps 2 and 3: the reason, confirmed
    assert response.url == reverse("backoffice:today")
    run.refresh_from_db()
    assert run.status == Offering.Status.CANCELLED


def test_the_cancel_page_goes_back_only_to_a_page_of_this_site(manager):
    run = offering_with(starts_in=timedelta(days=2), min_participants=3)
    url = reverse("admin:catalogue_offering_cancel") + f"?ids={run.pk}&next=https://evil.example/"

    response = manager.post(url, {"ids": [run.pk], "reason": "Te weinig deelnemers"})

    assert response.url == reverse("admin:catalogue_offering_changelist")


# --- Landing after log-in ---------------------------------------------------------------------


def _log_in(client, user, url: str, **extra):
    user.set_password("een-lang-wachtwoord-123")
    user.email_verified_at = timezone.now()
    user.save()
    return client.post(
        url, {"username": user.email, "password": "een-lang-wachtwoord-123", **extra}
    )


def test_the_programme_manager_lands_on_the_start_page_after_logging_in(client):
    response = _log_in(client, staff("Programmamanager"), reverse("accounts:login"))

    assert response.url == reverse("backoffice:today")


@pytest.mark.parametrize("next_page", [None, "/beheer/"])
def test_the_admin_log_in_lands_the_programme_manager_on_the_start_page(client, next_page):
    extra = {"next": next_page} if next_page else {}

    response = _log_in(client, staff("Programmamanager"), reverse("admin:login"), **extra)

    assert response.url == reverse("backoffice:today")


def test_an_explicit_page_after_the_admin_log_in_wins(client):
    wanted = reverse("admin:catalogue_offering_changelist")

    response = _log_in(client, staff("Programmamanager"), reverse("admin:login"), next=wanted)

    assert response.url == wanted


def test_staff_without_the_start_page_land_where_they_did(client):
    response = _log_in(client, staff("Opleider"), reverse("admin:login"), next="/beheer/")

    assert response.url == "/beheer/"


def test_learners_and_hr_keep_their_landing_pages(client):
    learner = UserFactory()
    assert _log_in(client, learner, reverse("accounts:login")).url == reverse(
        "enrolment:my_courses"
    )
    client.logout()
    hr = MembershipFactory(role=Membership.Role.HR)
    assert _log_in(client, hr.user, reverse("accounts:login")).url == reverse(
        "portal:dashboard", args=[hr.company.slug]
    )


# --- The staff menu and the admin's index ---------------------------------------------------

MENU = {
    "Vandaag": lambda: reverse("backoffice:today"),
    "Uitvoeringen": lambda: reverse("admin:catalogue_offering_changelist"),
    "Vraagbord": lambda: reverse("backoffice:demand_board"),
    "Presentie": lambda: reverse("backoffice:attendance_index"),
    "Dashboard": lambda: reverse("backoffice:dashboard"),
    "Evaluaties": lambda: reverse("backoffice:evaluations"),
    "Subsidieoverzicht": lambda: reverse("backoffice:funding_report"),
    "Berichten (outbox)": lambda: reverse("admin:enrolment_notification_changelist"),
}


def _menu(page: str) -> set[str]:
    start = page.index('<nav class="staff-menu"')
    menu = page[start : page.index("</nav>", start)]
    return {label for label, url in MENU.items() if f'href="{url()}"' in menu and label in menu}


@pytest.mark.parametrize(
    ("group", "labels"),
    [
        ("Programmamanager", set(MENU)),
        ("Alleen lezen", {"Vandaag", "Vraagbord", "Dashboard"}),
        ("Opleider", {"Uitvoeringen", "Presentie"}),
    ],
)
def test_the_staff_menu_shows_each_page_only_with_its_permission(client, group, labels):
    client.force_login(staff(group))

    assert _menu(client.get(reverse("catalogue:course_list")).content.decode()) == labels
    assert _menu(client.get(reverse("admin:index")).content.decode()) == labels


def test_learners_get_no_staff_menu(client):
    client.force_login(UserFactory())

    assert 'class="staff-menu"' not in client.get(reverse("catalogue:course_list")).content.decode()


def test_the_staff_menu_marks_the_page_you_are_on(manager):
    page = manager.get(reverse("backoffice:today")).content.decode()

    assert f'href="{reverse("backoffice:today")}" aria-current="page"' in page


def test_the_admin_index_puts_the_daily_work_first(client, staff_user):
    offering_with(starts_in=timedelta(days=2), min_participants=3)
    client.force_login(staff_user)

    response = client.get(reverse("admin:index"))
    page = response.content.decode()

    assert page.index('id="today-heading"') < page.index('class="app-catalogue')
    assert response.context["today"].go_no_go
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[:4] == ["catalogue", "enrolment", "companies", "technohub"]
    assert labels[-2:] == ["auth", "axes"]
