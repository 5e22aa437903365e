"""``manage.py seed_demo`` loads a realistic demo hub and can run again without duplicating it."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import (
    Course,
    Location,
    Meeting,
    Offering,
    Provider,
    Qualification,
    SchoolActivity,
    SchoolMaterial,
    Theme,
)
from companies.demand.board import pool_demand
from companies.funding import rules
from companies.models import (
    Cluster,
    Company,
    FundingClaim,
    FundingScheme,
    Interest,
    Membership,
    Offer,
    OfferMeeting,
    Pledge,
    Proposal,
    StaffPermission,
    TrainingNeed,
    User,
)
from companies.proposals.selectors import count_proposals_waiting
from enrolment.models import (
    Attendance,
    Certificate,
    Enrolment,
    EvaluationAnswer,
    EvaluationRequest,
    HeldQualification,
    Notification,
    School,
    SchoolEvaluation,
    SchoolGroup,
    SchoolRequest,
    SchoolVisit,
    SeatReservation,
    TransferCheck,
)
from enrolment.qualifications.selectors import list_expiring_without_run
from enrolment.schools import rules as school_rules
from enrolment.schools.selectors import pupils_this_school_year
from technohub.management.commands.seed_demo import is_teaching_day
from technohub.management.demo_data.accounts import (
    AGRI_CONTACT_EMAIL,
    COORDINATOR_EMAIL,
    DEMO_LOGINS,
    KAMPSTAAL_CONTACT_EMAIL,
    PROGRAMME_MANAGER_EMAIL,
    READ_ONLY_EMAIL,
    TEACHER_EMAIL,
    TRAINER_EMAIL,
)
from technohub.management.demo_data.offerings import VCA_TO_RENEW
from tests.technohub.test_english import dutch_words, visible_text
from tests.technohub.test_translations import FORMAL_ADDRESS

SEEDED_MODELS = (
    Course,
    Offering,
    Meeting,
    Location,
    Provider,
    Theme,
    Company,
    Cluster,
    User,
    Membership,
    Enrolment,
    TrainingNeed,
    Interest,
    Proposal,
    Pledge,
    Offer,
    OfferMeeting,
    SeatReservation,
    # Not FundingClaim: the deadline alarms add claim rows as runs come into their window.
    Qualification,
    HeldQualification,
    SchoolActivity,
    SchoolMaterial,
    School,
    SchoolRequest,
    SchoolGroup,
    SchoolVisit,
    SchoolEvaluation,
)


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """The demo hub, seeded once for this module; returns what the command printed.

    It lives in a transaction that is rolled back after the module, so no other test sees it.
    Each test runs in a savepoint inside it (plain ``django_db``), so what a test changes,
    seeding again included, is undone before the next.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # As Django's TestCase marks its class-wide transaction: the alarms the seed sends
        # afterwards open durable transactions of their own, allowed inside a test's.
        outer._from_testcase = True
        outer.__enter__()
        output = seed_demo()
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_seed_demo_run_twice_creates_nothing_new(seeded):
    first = row_counts()

    seed_demo()

    assert row_counts() == first


@pytest.mark.django_db
def test_seed_demo_run_on_a_later_day_moves_offerings_instead_of_adding_them(seeded):
    first = row_counts()
    first_meeting = Meeting.objects.order_by("offering__notes", "starts_at").first()

    later = timezone.now() + timedelta(days=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        seed_demo()

    assert row_counts() == first
    first_meeting.refresh_from_db()
    assert first_meeting.starts_at.date() > (later + timedelta(days=6)).date()


@pytest.mark.django_db
def test_seed_demo_loads_a_realistic_hub(seeded):
    published = Course.objects.filter(is_published=True)
    assert published.count() >= 20
    assert {"metal", "agri"} <= set(published.values_list("sector", flat=True))
    assert Offering.objects.count() >= 40
    assert set(Location.objects.values_list("kind", flat=True)) == {"hub", "mobile", "online"}
    assert Location.objects.filter(kind="hub").count() == 3
    assert (
        Location.objects.annotate(offering_count=Count("offerings"))
        .filter(offering_count=0)
        .count()
        == 0
    )
    assert Cluster.objects.count() == 2
    assert Company.objects.count() >= 6
    assert Company.objects.filter(requires_approval=True).exists()
    assert Membership.objects.filter(role=Membership.Role.HR).count() >= 2
    assert Membership.objects.filter(role=Membership.Role.EMPLOYEE).count() >= 6
    assert TrainingNeed.objects.exists()


@pytest.mark.django_db
def test_seed_demo_plans_offerings_on_teaching_days_within_six_months(seeded):
    today = timezone.localdate()
    # The offerings that are open for enrolment lie ahead; two offerings of history lie behind.
    upcoming = Meeting.objects.select_related("offering").filter(
        offering__enrolment_closes_at__gt=timezone.now()
    )
    assert upcoming.count() > 100
    for meeting in upcoming:
        local_start = timezone.localtime(meeting.starts_at)
        assert is_teaching_day(local_start.date())
        assert today < local_start.date() <= today + timedelta(days=183)
        assert meeting.offering.enrolment_closes_at < meeting.starts_at
    for meeting in Meeting.objects.select_related("offering"):
        assert is_teaching_day(timezone.localtime(meeting.starts_at).date())
        assert meeting.offering.enrolment_opens_at < meeting.offering.enrolment_closes_at


@pytest.mark.django_db
def test_seed_demo_fills_one_offering_with_a_waiting_list_and_others_nearly(seeded):
    full = Offering.objects.filter(confirmed_count=F("capacity"))
    positions = [
        list(
            offering.enrolments.filter(status=Enrolment.Status.WAITLISTED)
            .order_by("waitlist_position")
            .values_list("waitlist_position", flat=True)
        )
        for offering in full
    ]
    assert any(
        len(waiting) >= 2 and waiting == list(range(1, len(waiting) + 1)) for waiting in positions
    )
    nearly_full = Offering.objects.filter(
        confirmed_count__lt=F("capacity"), confirmed_count__gte=F("capacity") - 2
    )
    assert nearly_full.count() >= 3


@pytest.mark.django_db
def test_seed_demo_keeps_confirmed_count_equal_to_confirmed_enrolments(seeded):
    # A completed offering keeps its final head count: those who completed or did not show.
    seated = [Enrolment.Status.CONFIRMED, *Enrolment.OUTCOME_STATUSES]
    offerings = Offering.objects.annotate(
        confirmed=Count("enrolments", filter=Q(enrolments__status__in=seated))
    )
    assert Enrolment.objects.filter(status=Enrolment.Status.CONFIRMED).exists()
    for offering in offerings:
        assert offering.confirmed_count == offering.confirmed <= offering.capacity


@pytest.mark.django_db
def test_seed_demo_enrolments_are_priced_and_paid_by_the_learners_company(seeded):
    for enrolment in Enrolment.objects.select_related("offering__course", "learner", "company"):
        # The run's price: the course's, or the price agreed for a closed run.
        assert enrolment.price_excl_vat == enrolment.offering.price_excl_vat
        assert enrolment.vat_rate == enrolment.offering.course.vat_rate
        assert enrolment.learner.memberships.filter(company=enrolment.company).exists()
    requested = Enrolment.objects.filter(status=Enrolment.Status.REQUESTED)
    assert requested.exists()
    assert not requested.filter(company__requires_approval=False).exists()


@pytest.mark.django_db
def test_seed_demo_creates_the_printed_logins(seeded):
    output = seeded

    manager = User.objects.get(email=PROGRAMME_MANAGER_EMAIL)
    assert manager.is_staff
    assert manager.is_superuser
    for _role, email, password in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password(password), email
        assert user.email_verified_at is not None
        assert email in output
    assert User.objects.filter(preferred_language="en").exists()


@pytest.mark.django_db
def test_seed_demo_puts_the_staff_in_their_groups(seeded):
    def groups(email):
        return set(User.objects.get(email=email).groups.values_list("name", flat=True))

    assert groups(PROGRAMME_MANAGER_EMAIL) == {"Programmamanager"}
    assert groups(TRAINER_EMAIL) == {"Opleider"}
    assert User.objects.get(email=TRAINER_EMAIL).provider.slug == "firda"
    assert groups(READ_ONLY_EMAIL) == {"Alleen lezen"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-12-22", True),  # a Tuesday
        ("2026-12-24", False),  # Christmas Eve
        ("2027-01-01", False),  # New Year's Day
        ("2027-01-04", True),  # the Monday after
        ("2027-04-27", False),  # King's Day
        ("2026-11-28", False),  # a Saturday
    ],
)
def test_is_teaching_day_skips_weekends_and_holidays(day, expected):
    assert is_teaching_day(date.fromisoformat(day)) is expected


@pytest.mark.django_db
def test_seed_demo_after_a_cancellation_in_the_demo_restores_the_seat(seeded):
    first = row_counts()
    enrolment = Enrolment.objects.filter(status=Enrolment.Status.CONFIRMED).first()
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status"])
    Offering.objects.filter(pk=enrolment.offering_id).update(
        confirmed_count=F("confirmed_count") - 1
    )

    seed_demo()

    assert row_counts() == first
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert (
        enrolment.offering.confirmed_count
        == enrolment.offering.enrolments.filter(status=Enrolment.Status.CONFIRMED).count()
    )


@pytest.mark.django_db
def test_seed_demo_has_a_offering_to_take_attendance_for_and_certificates_to_download(seeded):
    seed_demo()
    now = timezone.now()
    in_progress = Offering.objects.filter(status="open", meetings__ends_at__lt=now).distinct()
    assert in_progress.exists()
    completed = Offering.objects.get(status="completed", course__slug="cnc-frezen")
    assert Enrolment.objects.filter(offering=completed, status="completed").count() == 7
    # The eighth came to the first of three meetings only: not completed, not a no-show.
    assert Enrolment.objects.filter(offering=completed, status="not_completed").count() == 1
    assert Certificate.objects.filter(enrolment__offering=completed).count() == 7
    assert Attendance.objects.filter(enrolment__offering=completed).count() == 8 * 3


@pytest.mark.django_db
def test_seed_demo_has_a_group_ready_to_schedule_and_people_to_tell(seeded):
    seed_demo()

    ready = [group for group in pool_demand().groups if group.ready]

    assert ready
    group = ready[0]
    assert group.course is not None and group.location is not None
    assert group.learners >= 1 and group.needs


@pytest.mark.django_db
def test_seed_demo_shows_any_location_demand_and_a_planned_need_to_enrol_a_team(seeded, client):
    seed_demo()

    welding = [
        group
        for group in pool_demand().groups
        if group.subject.slug == "lassen" and group.location is not None
    ]
    assert [(group.ready, group.any_location_people) for group in welding] == [(True, 4)]
    hr = User.objects.get(email="hr@poldermachinebouw.example")
    planned = TrainingNeed.objects.get(company__slug="polder-machinebouw", status="planned")
    client.force_login(hr)
    html = client.get(reverse("demand:needs", args=["polder-machinebouw"])).content.decode()
    team_url = reverse("portal:team_enrol", args=["polder-machinebouw", planned.offering_id])
    assert f'href="{team_url}"' in html


@pytest.mark.django_db
def test_seed_demo_reads_in_english_for_its_english_speaker(seeded, client):
    """Piotr, who prefers English, logs in and reads his courses, the home page and every course
    and location page without a Dutch interface word: the demo's texts have their English."""
    piotr = User.objects.get(email="piotr.nowak@kampstaal.example")
    names = [name for user in User.objects.all() for name in (user.first_name, user.last_name)]
    names += [name for model in (Company, Provider, Cluster) for name in _names(model)]
    names += [text for location in Location.objects.all() for text in _place(location)]
    names += list(TrainingNeed.objects.values_list("title", flat=True))
    landing = client.post(
        reverse("accounts:login"), {"username": piotr.email, "password": "technohub-demo"}
    )
    with translation.override("en"):
        paths = [
            reverse("enrolment:my_courses"),
            reverse("home"),
            reverse("catalogue:course_list"),
            reverse("catalogue:location_list"),
            reverse("demand:summary"),
            *(
                reverse("catalogue:location_detail", args=[slug])
                for slug in Location.objects.values_list("slug", flat=True)
            ),
            *(
                reverse("catalogue:course_detail", args=[slug])
                for slug in Course.objects.filter(is_published=True).values_list("slug", flat=True)
            ),
        ]
    assert landing["Location"] == paths[0]

    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        words = dutch_words(visible_text(response.content.decode()), names=[n for n in names if n])
        if words:
            found[path] = words

    assert not found, found
    assert Meeting.objects.exclude(topic="").filter(topic_en="").count() == 0


@pytest.mark.django_db
def test_seed_demo_speaks_to_the_reader_as_je_not_u(seeded):
    """The demo courses and places address the reader with "je", like the rest of the site."""
    texts = {
        f"{model.__name__} {slug} {field}": text
        for model, fields in (
            (Course, ("summary", "description", "learning_outcomes", "audience", "funding_note")),
            (Location, ("description", "accessibility", "parking")),
            (
                SchoolActivity,
                (
                    "summary",
                    "what_pupils_do",
                    "safety_rules",
                    "what_to_bring",
                    "preparation",
                    "follow_up",
                    "cost_terms",
                ),
            ),
        )
        for slug, *values in model.objects.values_list("slug", *fields)
        for field, text in zip(fields, values, strict=True)
    }
    assert texts
    formal = [f"{where}: {text}" for where, text in texts.items() if FORMAL_ADDRESS.search(text)]
    assert not formal, "say je/jouw/jullie in:\n" + "\n".join(formal)


def _names(model) -> list[str]:
    return list(model.objects.values_list("name", flat=True))


def _place(location: Location) -> list[str]:
    return [location.name, location.city, location.street]


@pytest.mark.django_db
def test_seed_demo_roster_files_import_as_a_sync_for_kampstaal(seeded):
    from collections import Counter

    from companies.portal import roster_import
    from technohub.management.demo_data import ROSTERS

    kampstaal = Company.objects.get(slug="kampstaal")
    assert Membership.objects.filter(company=kampstaal).exclude(department="").count() == 7

    def plan(name):
        data = (ROSTERS / name).read_bytes()
        rows = roster_import.check_file(company=kampstaal, data=data)
        leavers = roster_import.find_leavers(company=kampstaal, rows=rows)
        return Counter(row.action for row in rows if row.is_valid), rows, leavers

    january, rows, leavers = plan("kampstaal-januari.csv")
    assert all(row.is_valid for row in rows)
    assert (january["new"], january["unchanged"], leavers) == (3, 7, [])

    february, rows, leavers = plan("kampstaal-februari.csv")
    assert all(row.is_valid for row in rows)
    assert february["update"] == 1
    (changed,) = [row for row in rows if row.action == "update"]
    assert changed.email == "sander.bos@kampstaal.example"
    assert [m.user.email for m in leavers] == ["jeroen.kok@kampstaal.example"]


@pytest.mark.django_db
def test_seed_demo_gives_the_programme_manager_a_day_to_start(seeded, client):
    """Whatever day the demo is loaded: a run to decide on, a full run with people waiting, a
    meeting to move in the coming days, and yesterday's run with its attendance to take."""
    from technohub.backoffice.today import get_today

    now = timezone.now()
    today = get_today(now=now)

    assert any(row.first_starts_at <= now + timedelta(days=14) for row in today.go_no_go)
    assert any(row.waitlisted >= 2 for row in today.full_with_waiting_list)
    soon = Offering.objects.filter(
        status="open",
        confirmed_count__gt=0,
        meetings__starts_at__gt=now,
        meetings__starts_at__lte=now + timedelta(days=7),
    )
    assert soon.exists()
    # The last teaching day's run: over, still open, nobody's attendance taken yet.
    last_teaching_day = timezone.localdate() - timedelta(days=1)
    while not is_teaching_day(last_teaching_day):
        last_teaching_day -= timedelta(days=1)
    ended = [
        row
        for row in today.to_complete
        if timezone.localtime(row.last_ends_at).date() == last_teaching_day
    ]
    assert ended
    offering = Offering.objects.get(pk=ended[0].offering_id)
    assert offering.confirmed_count > 0
    assert [row.unrecorded for row in today.attendance if row.offering_id == offering.pk] == [
        offering.confirmed_count
    ]

    manager = User.objects.get(email=PROGRAMME_MANAGER_EMAIL)
    client.force_login(manager)
    page = client.get(reverse("backoffice:today"))
    assert page.status_code == 200
    assert reverse("backoffice:go_decision", args=[today.go_no_go[0].offering_id]) in (
        page.content.decode()
    )


@pytest.mark.django_db
def test_seed_demo_has_a_closed_run_for_kampstaal_only(seeded, client):
    closed = Offering.objects.private().get()
    kampstaal = Company.objects.get(slug="kampstaal")
    assert list(closed.private_for.all()) == [kampstaal]
    assert closed.agreed_price_excl_vat is not None
    assert closed.agreed_price_excl_vat != closed.course.price_excl_vat
    people = closed.enrolments.select_related("company")
    assert people.exists()
    assert {enrolment.company for enrolment in people} == {kampstaal}
    assert {enrolment.price_excl_vat for enrolment in people} == {closed.agreed_price_excl_vat}
    page = client.get(reverse("catalogue:course_detail", args=[closed.course.slug]))
    assert reverse("enrolment:enrol", args=[closed.pk]) not in page.content.decode()


@pytest.mark.django_db
def test_seed_demo_gives_kampstaals_hr_open_application_questions(seeded, client):
    kampstaal = Company.objects.get(slug="kampstaal")
    open_checks = TransferCheck.objects.filter(enrolment__company=kampstaal, answer="")
    assert open_checks.count() >= 2
    assert TransferCheck.objects.exclude(answer="").exists()  # the hub's results show counts
    for check in TransferCheck.objects.select_related("enrolment"):
        assert check.enrolment.status == Enrolment.Status.COMPLETED
        last = check.enrolment.offering.meetings.order_by("-ends_at").first()
        assert last.ends_at <= timezone.now() - timedelta(days=90)
    hr = Membership.objects.filter(company=kampstaal, role=Membership.Role.HR).first().user
    client.force_login(hr)
    page = client.get(reverse("portal:transfer_checks", args=[kampstaal.slug]))
    assert page.status_code == 200
    assert str(open_checks.first().enrolment.learner) in page.content.decode()


@pytest.mark.django_db
def test_seed_demo_has_a_proposal_at_each_stage(seeded, client):
    by_status = {p.status: p for p in Proposal.objects.order_by("created_at")}
    assert set(by_status) == {"open", "accepted", "published", "closed"}
    open_ones = Proposal.objects.filter(status="open")
    pledged_only = open_ones.filter(offers=None).get()
    assert pledged_only.pledges.values("company").distinct().count() == 2
    with_offer = open_ones.exclude(offers=None).get()
    offer = with_offer.offers.get()
    assert offer.provider.slug == "firda" and offer.status == "submitted"
    assert offer.submitted_by.email == TRAINER_EMAIL
    assert OfferMeeting.objects.filter(offer=offer).count() == 2

    accepted = by_status["accepted"]
    assert accepted.offers.get().status == Offer.Status.ACCEPTED
    assert not accepted.course.is_published
    assert accepted.offering.status == Offering.Status.CONCEPT
    assert accepted.offering.meetings.count() == 2

    published = by_status["published"]
    assert published.offering.status == Offering.Status.OPEN
    reserving = published.pledges.filter(reserve_seats=True)
    assert reserving.exists()
    for pledge in reserving:
        assert pledge.reservation.seats == pledge.headcount
        assert pledge.reservation.offering == published.offering
    assert not published.pledges.filter(reserve_seats=False, reservation__isnull=False).exists()
    published.offering.refresh_from_db()
    assert published.offering.reserved_count == sum(p.headcount for p in reserving)

    assert by_status["closed"].closed_reason
    # Waiting on the start page: the offer to decide on, the one unanswered for two weeks.
    assert count_proposals_waiting() == 2
    # Each role walks its part: Firda's trainer answers, HR pledges, the manager decides.
    client.force_login(User.objects.get(email=TRAINER_EMAIL))
    assert client.get(reverse("proposals:detail", args=[with_offer.pk])).status_code == 200
    client.force_login(User.objects.get(email=PROGRAMME_MANAGER_EMAIL))
    listed = client.get(reverse("proposals:list")).context["proposals"]
    assert len(listed) == Proposal.objects.count()
    assert (
        Pledge.objects.filter(reservation__isnull=False).count()
        == SeatReservation.objects.filter(pledge__isnull=False).count()
    )


@pytest.mark.django_db
def test_seed_demo_has_evaluations_the_college_sees_and_one_run_with_too_few(seeded, client):
    seed_demo()

    firda = Provider.objects.get(slug="firda")
    enough = Offering.objects.get(notes="demo:plc-programmeren-tia-portal:3")
    few = Offering.objects.get(notes="demo:b-vca:4")
    assert enough.course.provider == few.course.provider == firda
    assert EvaluationAnswer.objects.filter(offering=enough).count() == 6
    assert EvaluationAnswer.objects.filter(offering=few).count() == 3
    assert (
        EvaluationRequest.objects.filter(
            enrolment__offering=enough, answered_at__isnull=False
        ).count()
        == 6
    )
    client.force_login(User.objects.get(email=TRAINER_EMAIL))
    html = client.get(reverse("evaluation:provider_results", args=["firda"])).content.decode()
    assert "nog te weinig antwoorden (3 van 5)" in html
    assert "precies wat ik nodig had" in html
    course_page = client.get(reverse("catalogue:course_detail", args=[enough.course.slug]))
    assert "(6 evaluaties)" in course_page.content.decode()


def _kampstaal_hr() -> User:
    return User.objects.get(email="hr@kampstaal.example")


@pytest.mark.django_db
def test_seed_demo_gives_an_aom_company_the_alarm_for_a_run_that_started_five_months_ago(seeded):
    """Kampstaal (A+O Metalektro) did not apply for its PLC course of five months and a week
    ago: the six-month window closes within 30 days, and its HR has the alarm in the outbox."""
    today = timezone.localdate()
    kampstaal = Company.objects.get(slug="kampstaal")
    assert kampstaal.sector_fund == Company.Fund.AOM
    scheme = FundingScheme.objects.get(fund="aom", name="Ontwikkelen digitale vaardigheden")
    assert {"plc-automatisering", "digitale-vaardigheden"} <= set(
        scheme.themes.values_list("slug", flat=True)
    )
    run = Offering.objects.get(notes="demo:plc-programmeren-tia-portal:4")
    start = timezone.localdate(run.meetings.order_by("starts_at").first().starts_at)
    assert rules.add_months(today, -6) < start <= rules.add_months(today, -5) - timedelta(days=5)
    deadline = rules.application_deadline(scheme, start=start)
    assert today + timedelta(days=7) < deadline <= today + timedelta(days=30)
    seats = run.enrolments.filter(company=kampstaal, status=Enrolment.Status.COMPLETED)
    assert seats.count() == 3
    assert run.course.funding_eligible
    # Not applied for: the alarm made the claims "niet aangevraagd" and recorded the 30 days.
    for enrolment in seats:
        assert enrolment.funding_claim.status == FundingClaim.Status.NOT_APPLIED
        assert enrolment.funding_claim.alarms_sent == [30]
    alarm = Notification.objects.get(template="funding_deadline", to_email="hr@kampstaal.example")
    assert {claim["course"] for claim in alarm.context["claims"]} >= {run.course.title}
    # Seeding again the same day queues no second alarm and writes no claim twice.
    alarms = Notification.objects.filter(template="funding_deadline").count()
    claims = FundingClaim.objects.count()
    assert "; 0 nieuwe herinneringen" in seed_demo()
    assert Notification.objects.filter(template="funding_deadline").count() == alarms
    assert FundingClaim.objects.count() == claims


@pytest.mark.django_db
def test_seed_demo_shows_every_claim_status_and_an_oom_deadline_before_the_start(seeded, client):
    kampstaal = Company.objects.get(slug="kampstaal")
    claims = FundingClaim.objects.filter(company=kampstaal).exclude(status="not_applied")
    assert {claim.status for claim in claims} == {"applied", "paid"}
    for claim in claims:
        assert claim.reference and claim.applied_on <= timezone.localdate()
        assert claim.amount == Decimal("265.50")  # 90 % of € 295 excl. VAT
    assert claims.get(status="paid").decided_on <= timezone.localdate()
    # Suplacon (OOM) applies before the start: its run in three weeks brings the alarm now.
    suplacon = Company.objects.get(slug="suplacon", sector_fund=Company.Fund.OOM)
    run = Offering.objects.get(notes="demo:cnc-draaien:3")
    assert {e.company for e in run.enrolments.all()} == {suplacon}
    alarm = Notification.objects.get(template="funding_deadline", to_email="hr@suplacon.example")
    assert any(claim["before_start"] for claim in alarm.context["claims"])
    client.force_login(_kampstaal_hr())
    page = client.get(reverse("portal:funding", args=["kampstaal"]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("ODV-2026-04127", "uitbetaald", "aangevraagd", "PLC-programmeren"):
        assert text in html, text


@pytest.mark.django_db
def test_seed_demo_has_kampstaal_people_whose_vca_expires_next_month(seeded, client):
    today = timezone.localdate()
    vca = Qualification.objects.get(slug="vca-basis", validity_months=120)
    assert vca.granted_by.filter(slug="b-vca").exists()
    assert Qualification.objects.get(slug="nen-3140").granted_by.filter(slug="nen-3140").exists()
    kampstaal = Company.objects.get(slug="kampstaal")
    staff = User.objects.filter(memberships__company=kampstaal)
    latest = {}
    for held in HeldQualification.objects.filter(person__in=staff).order_by("obtained_on"):
        latest[(held.person_id, held.qualification.slug)] = held
    expiring_vca = [
        held
        for (_, slug), held in latest.items()
        if slug == "vca-basis" and today < held.expires_on <= today + timedelta(days=45)
    ]
    # One from a B-VCA run at the hub, one HR entered with the document's issuer and date;
    # neither is booked on a B-VCA run yet.
    assert sorted(held.enrolment is None for held in expiring_vca) == [False, True]
    assert {held.person.email for held in expiring_vca} == set(VCA_TO_RENEW)
    (hub,) = [held for held in expiring_vca if held.enrolment is not None]
    assert hub.enrolment.certificate and hub.enrolment.offering.course.slug == "b-vca"
    (entered,) = [held for held in expiring_vca if held.enrolment is None]
    assert entered.issuer and entered.entered_by == _kampstaal_hr()
    assert entered.obtained_on == rules.add_months(entered.expires_on, -120)
    assert any(h.expires_on > today + timedelta(days=365) for h in latest.values())
    assert any(h.expires_on < today for h in latest.values())
    # The expiry mails went out: to the holders and to Kampstaal's HR, listing a B-VCA run.
    for held in expiring_vca:
        mail = Notification.objects.get(
            template="qualification_expiring", to_email=held.person.email
        )
        assert "B-VCA" in str(mail.context)
    hr_mail = Notification.objects.filter(
        template="qualifications_expiring", to_email="hr@kampstaal.example"
    )
    assert hr_mail.exists()
    client.force_login(_kampstaal_hr())
    page = client.get(reverse("portal:qualifications", args=["kampstaal"]))
    assert page.status_code == 200
    assert str(hub.person) in page.content.decode()


@pytest.mark.django_db
def test_seed_demo_counts_an_expiring_qualification_without_a_run_as_demand(seeded):
    forklift = Course.objects.get(slug="heftruck-rijden")
    assert forklift.is_published and not forklift.offerings.exists()
    held = HeldQualification.objects.get(qualification__slug="heftruckcertificaat")
    assert held.expires_on <= timezone.localdate() + timedelta(days=90)
    demand = {row.qualification.slug: row for row in list_expiring_without_run()}
    assert ("Kampstaal", 1) in demand["heftruckcertificaat"].companies


SCHOOL_MAILS = ("school_host_request", "school_visit_confirmed")


@pytest.mark.django_db
def test_seed_demo_has_a_coordinator_teachers_and_hosts_for_techniek_beleven(seeded):
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.has_perm(StaffPermission.SCHOOL_PLANNING)
    assert set(coordinator.groups.values_list("name", flat=True)) == {
        "Coördinator techniekpromotie"
    }
    assert coordinator in User.objects.school_coordinators()
    teacher = User.objects.get(email=TEACHER_EMAIL)
    assert teacher.email_verified_at is not None
    assert not teacher.groups.exists() and not teacher.memberships.exists()
    assert teacher.school_requests.exists()
    hosts = SchoolActivity.objects.exclude(host_contact=None)
    assert {activity.host_contact.email for activity in hosts} == {
        KAMPSTAAL_CONTACT_EMAIL,
        AGRI_CONTACT_EMAIL,
    }
    for activity in hosts:
        assert activity.host_contact.memberships.filter(company=activity.host).exists()


@pytest.mark.django_db
def test_seed_demo_offers_an_activity_of_each_kind_with_texts_and_materials(seeded):
    activities = SchoolActivity.objects.filter(is_published=True)
    # At the hub (with a host company), a guest lesson and the mobile hub at the school. (No
    # visit at a company's own site: the demo has no place for one, only the hubs.)
    assert {activity.kind for activity in activities} == {
        SchoolActivity.Kind.AT_HUB,
        SchoolActivity.Kind.GUEST_LESSON,
        SchoolActivity.Kind.MOBILE_HUB,
    }
    drone = activities.get(title="Drone-scan van een perceel")
    assert [location.slug for location in drone.locations.all()] == ["agri-innovatiecenter-dronten"]
    assert (drone.places_per_day, drone.pupils_per_supervisor, drone.max_pupils) == (2, 10, 60)
    bridge = activities.get(title="Kampstaal: bouw een brugdeel")
    assert bridge.host.slug == "kampstaal" and bridge.host_contact is not None
    for activity in activities:
        assert activity.title_en and activity.summary_en and activity.what_pupils_do_en
        assert activity.safety_rules and activity.safety_rules_en
        assert not activity.at_school or not activity.locations.exists()
    guest_lesson = activities.get(kind=SchoolActivity.Kind.GUEST_LESSON)
    assert guest_lesson.host_contact is None  # the hub confirms itself
    materials = SchoolMaterial.objects.all()
    assert materials.count() >= 2
    for material in materials:
        with material.file.open("rb") as file:
            assert file.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_seed_demo_has_school_requests_in_every_state(seeded):
    statuses = set(SchoolRequest.objects.values_list("status", flat=True))
    assert statuses == set(SchoolRequest.Status.values)
    requested = SchoolRequest.objects.filter(status=SchoolRequest.Status.REQUESTED)
    assert requested.filter(teacher__email=TEACHER_EMAIL).exists()
    assert requested.exclude(window_from=None).exists()
    today = timezone.localdate()
    for request in requested:
        assert all(day > today for day in request.preferred_dates)

    # Waiting for the host: a planned visit and its host link in the outbox.
    waiting = SchoolVisit.objects.filter(status=SchoolVisit.Status.PLANNED)
    assert waiting.exists()
    for visit in waiting:
        assert visit.request.status == SchoolRequest.Status.PLANNED
        assert visit.host_token_hash and visit.host_link_expires_at > timezone.now()
        assert Notification.objects.filter(
            template="school_host_request",
            to_email=visit.activity.host_contact.email,
            context__school_visit_id=visit.pk,
        ).exists()
    # Declined by the host once, then planned again.
    declined = SchoolVisit.objects.get(status=SchoolVisit.Status.DECLINED)
    assert declined.host_decline_reason
    assert declined.request.visits.filter(status__in=SchoolVisit.LIVE_STATUSES).exists()
    # Confirmed and ahead, the teacher's confirmation mail queued.
    confirmed = SchoolRequest.objects.filter(status=SchoolRequest.Status.CONFIRMED)
    assert confirmed.count() >= 2
    for request in confirmed:
        visit = request.visits.get(status=SchoolVisit.Status.CONFIRMED)
        assert visit.date > today
        assert Notification.objects.filter(
            template="school_visit_confirmed",
            to_email=request.teacher.email,
            context__school_visit_id=visit.pk,
        ).exists()
    # Done, with and without the teacher's evaluation.
    done = SchoolRequest.objects.filter(status=SchoolRequest.Status.DONE)
    assert done.filter(evaluation__isnull=False).exists()
    assert done.filter(evaluation__isnull=True).exists()
    for request in done:
        assert request.visits.get(status=SchoolVisit.Status.CONFIRMED).date < today
    # Cancelled by the school, with the reason.
    cancelled = SchoolRequest.objects.get(status=SchoolRequest.Status.CANCELLED)
    assert cancelled.cancelled_by == SchoolRequest.Party.TEACHER
    assert cancelled.cancel_reason and cancelled.cancelled_at
    # Every request asks for groups the activity is made for, with enough supervisors.
    for request in SchoolRequest.objects.prefetch_related("groups").select_related("activity"):
        groups = list(request.groups.all())
        assert not school_rules.unsuited_groups(
            [(group.level, group.year) for group in groups], request.activity.target_groups
        )
        pupils = sum(group.pupils for group in groups)
        assert pupils <= request.activity.max_pupils
        needed = school_rules.supervisors_needed(pupils, request.activity.pupils_per_supervisor)
        assert request.supervisors >= needed


@pytest.mark.django_db
def test_seed_demo_counts_a_few_hundred_pupils_this_school_year(seeded):
    assert pupils_this_school_year(today=timezone.localdate()) > 0
    # Later in the school year (whatever day the tests run): every past visit counts.
    first_day, last_day = school_rules.school_year(timezone.localdate())
    visits = SchoolVisit.objects.filter(
        status=SchoolVisit.Status.CONFIRMED, request__status=SchoolRequest.Status.DONE
    )
    assert all(first_day <= visit.date <= last_day for visit in visits)
    assert 200 <= sum(visit.pupils for visit in visits) <= 600


@pytest.mark.django_db
def test_seed_demo_plans_no_new_visits_and_mails_nobody_when_seeded_again(seeded):
    mails = Notification.objects.filter(template__startswith="school_").count()

    seed_demo()

    assert Notification.objects.filter(template__startswith="school_").count() == mails


@pytest.mark.django_db
def test_seed_demo_holds_no_pupil_data(seeded):
    """Groups are a class, a level, a year and a count; no pupil is named in any text."""
    assert {field.name for field in SchoolGroup._meta.get_fields()} == {
        "id",
        "request",
        "label",
        "level",
        "year",
        "pupils",
    }
    for label in SchoolGroup.objects.values_list("label", flat=True):
        assert re.fullmatch(r"[1-8][A-Z]|groep [5-8]", label), label
    first_names = {
        name.split()[0] for name in User.objects.values_list("first_name", flat=True) if name
    }
    texts = [
        *SchoolRequest.objects.values_list("accessibility", "question", "cancel_reason"),
        *SchoolEvaluation.objects.values_list("improvement"),
    ]
    for text in (text for row in texts for text in row if text):
        assert not set(re.findall(r"\b[A-Z][a-z]+\b", text)) & first_names, text


@pytest.mark.django_db
def test_seed_demo_school_pages_open_for_the_teacher_the_coordinator_and_visitors(seeded, client):
    teacher = User.objects.get(email=TEACHER_EMAIL)
    mine = SchoolRequest.objects.filter(teacher=teacher).select_related("activity")
    assert {request.status for request in mine} >= {"requested", "confirmed", "done"}
    client.force_login(teacher)
    page = client.get(reverse("school_requests:mine"))
    assert page.status_code == 200
    for request in mine:
        assert request.activity.title in page.content.decode()
        assert client.get(reverse("school_requests:detail", args=[request.pk])).status_code == 200

    client.force_login(User.objects.get(email=COORDINATOR_EMAIL))
    visit = SchoolVisit.objects.filter(status=SchoolVisit.Status.PLANNED).first()
    calendar = client.get(
        reverse("backoffice:school_planning"), {"maand": visit.date.strftime("%Y-%m")}
    )
    assert calendar.status_code == 200
    assert visit.request.school.name in calendar.content.decode()
    for request in SchoolRequest.objects.all():
        page = client.get(reverse("backoffice:school_request", args=[request.pk]))
        assert page.status_code == 200, request

    client.logout()
    schools = client.get(reverse("schools:list"))
    assert schools.status_code == 200
    assert "Drone-scan van een perceel" in schools.content.decode()
