"""Erasing a person: nothing names them afterwards, and what must be kept is kept, nameless."""

from datetime import date, datetime, timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from companies.demand.services import register_interest, submit_need
from companies.funding.report import list_funding_rows
from companies.models import Invitation, Membership, User
from companies.portal import digest
from enrolment import outbox
from enrolment import services as enrolment_services
from enrolment.models import Attendance, Certificate, Enrolment, Notification
from technohub import audit
from technohub.models import AuditLog
from technohub.privacy.erasure import erase_person
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAME = ("Wieteke", "Zwanenburg-Quist")
EMAIL = "wieteke.zq@voorbeeld.example"
PHONE = "0612398765"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(client, make_offering):
    """Wieteke in every holding of the inventory: a completed, certified course her employer
    paid for, a seat in an offering that has not started (with someone waiting), interest, a need HR
    wrote about her, mails to and about her, an admin log entry, log-in records and a session."""
    company = CompanyFactory(name="Kampstaal")
    person = UserFactory(
        first_name=NAME[0], last_name=NAME[1], email=EMAIL, phone=PHONE, preferred_language="nl"
    )
    hr = UserFactory(first_name="Henk", last_name="Personeelszaken")
    MembershipFactory(user=person, company=company)
    MembershipFactory(user=hr, company=company, role=Membership.Role.HR)
    manager = UserFactory(is_staff=True, is_superuser=True)

    past_offering = OfferingFactory(
        course=CourseFactory(title="TIG-lassen RVS"), status="completed"
    )
    meeting = MeetingFactory(
        offering=past_offering, starts_at=timezone.make_aware(datetime(2026, 3, 2, 9, 0))
    )
    past = Enrolment.objects.create(
        offering=past_offering,
        learner=person,
        company=company,
        status=Enrolment.Status.COMPLETED,
        reason=f"{NAME[0]} had een arts-afspraak",
    )
    Attendance.objects.create(enrolment=past, meeting=meeting, state="present", recorded_by=hr)
    certificate = Certificate.objects.create(
        enrolment=past,
        number="TH-2026-000042",
        verification_code="c0de" * 8,
        issued_at=timezone.now(),
    )
    certificate.pdf.save("certificaat.pdf", ContentFile(f"%PDF {NAME[1]}".encode()))

    future_offering = make_offering(capacity=1)
    seat = enrolment_services.enrol_learner(
        learner=person, offering_id=future_offering.pk, company=company
    )
    waiting = UserFactory(first_name="Sjoerd")
    enrolment_services.enrol_learner(learner=waiting, offering_id=future_offering.pk)

    register_interest(learner=person, course=CourseFactory(), location=None)
    submit_need(
        company=company,
        submitted_by=hr,
        title="Heftruck",
        description=f"Voor {NAME[0]} {NAME[1]} en twee collega's",
        headcount=3,
    )
    Invitation.objects.create(
        company=CompanyFactory(),
        email=EMAIL.upper(),
        invited_by=hr,
        token="t" * 40,
        expires_at=timezone.now() + timedelta(days=3),
    )
    outbox.queue_for(person, template="enrolment_reminder", enrolment=seat)
    digest.queue_hr_digests(now=timezone.now())
    audit.record(action="note", target=company, actor=hr, about=f"{NAME[0]} {NAME[1]}")
    LogEntry.objects.create(
        user=manager,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=f"{NAME[0]} {NAME[1]}",
        action_flag=CHANGE,
        change_message="telefoon",
    )
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    AccessLog.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="x")
    client.force_login(person)
    return {
        "person": person,
        "company": company,
        "manager": manager,
        "past": past,
        "seat": seat,
        "waiting": waiting,
        "certificate": certificate,
    }


def rows_naming(*terms: str) -> list[str]:
    """Every text and JSON column of every table that contains one of ``terms``."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public'
              AND data_type IN ('text', 'character varying', 'json', 'jsonb')
            """
        )
        columns = cursor.fetchall()
        for table, column in columns:
            for term in terms:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                    [f"%{term}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column} ~ {term}")
    return found


def test_the_search_finds_the_person_before_erasure(world):
    found = rows_naming(EMAIL, NAME[1], PHONE)
    for place in (
        "companies_user.email",
        "companies_trainingneed.description",
        "technohub_auditlog.data",
        "django_admin_log.object_repr",
        "axes_accessattempt.username",
        "enrolment_notification.to_email",
    ):
        assert any(hit.startswith(place) for hit in found), place


def test_after_erasure_no_text_or_json_column_names_the_person(world):
    assert erase_person(user=world["person"], actor=world["manager"])

    assert rows_naming(EMAIL, NAME[1], f"{NAME[0]} ", PHONE) == []


def test_erasure_keeps_the_employers_record_nameless(
    world, media_root, django_capture_on_commit_callbacks
):
    certificate = world["certificate"]
    pdf_path = media_root / certificate.pdf.name
    assert pdf_path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=world["person"], actor=world["manager"])

    person = User.objects.get(pk=world["person"].pk)
    assert person.erased_at is not None
    assert not person.is_active and not person.has_usable_password()
    assert (person.first_name, person.last_name, person.phone) == ("", "", "")
    assert str(person) == "verwijderd account"
    assert not Membership.objects.filter(user=person).exists()
    past = Enrolment.objects.get(pk=world["past"].pk)
    assert (past.status, past.company, past.reason) == ("completed", world["company"], "")
    assert Attendance.objects.filter(enrolment=past, state="present").count() == 1
    rows = list_funding_rows(
        company=world["company"], start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert [
        (row.last_name, row.first_name, row.present, row.certificate_number) for row in rows
    ] == [("verwijderd account", "", 1, "TH-2026-000042")]
    certificate.refresh_from_db()
    assert certificate.number == "TH-2026-000042" and not certificate.pdf
    assert not pdf_path.exists()


def test_erasure_cancels_a_seat_not_yet_used_and_moves_the_waiting_list_up(world):
    erase_person(user=world["person"], actor=world["manager"])

    seat = Enrolment.objects.get(pk=world["seat"].pk)
    assert seat.status == Enrolment.Status.CANCELLED
    moved_up = Enrolment.objects.get(learner=world["waiting"], offering=seat.offering)
    assert moved_up.status == Enrolment.Status.CONFIRMED
    assert Notification.objects.filter(
        recipient=world["waiting"], template="enrolment_promoted"
    ).exists()
    seat.offering.refresh_from_db()
    assert seat.offering.confirmed_count == 1


def test_the_certificate_stays_verifiable_without_a_name(world, client):
    erase_person(user=world["person"], actor=world["manager"])

    client.logout()
    page = client.get(
        reverse("enrolment:verify_certificate", args=[world["certificate"].verification_code]),
        REMOTE_ADDR="192.0.2.99",  # a client of its own: the look-up limit counts per client
    )
    assert page.status_code == 200
    assert "echt en geldig" in page.content.decode()
    assert NAME[1] not in page.content.decode()


def test_the_person_is_logged_out_everywhere_and_cannot_log_in(world, client):
    erase_person(user=world["person"], actor=world["manager"])

    assert client.get(reverse("accounts:profile")).status_code == 302
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": "geheim-wachtwoord"})
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_erasing_twice_changes_nothing_the_second_time(world):
    assert erase_person(user=world["person"], actor=world["manager"])
    audit_rows = AuditLog.objects.count()

    assert not erase_person(user=world["person"], actor=world["manager"])
    assert AuditLog.objects.count() == audit_rows


# --- The person's own page ------------------------------------------------------------------


def test_erase_page_says_which_enrolments_are_cancelled(world, client):
    page = client.get(reverse("privacy:erase_account"))

    assert page.status_code == 200
    assert world["seat"].offering.course.title in page.content.decode()
    assert "gevolgde cursus blijft zonder naam bewaard" in page.content.decode()


def test_erase_page_refuses_a_wrong_password_and_erases_nothing(world, client):
    page = client.post(reverse("privacy:erase_account"), {"password": "niet-mijn-wachtwoord"})

    assert page.status_code == 200
    assert "Dit wachtwoord klopt niet." in page.content.decode()
    assert User.objects.get(pk=world["person"].pk).erased_at is None


def test_erase_page_erases_logs_out_and_says_so(world, client):
    response = client.post(
        reverse("privacy:erase_account"), {"password": "geheim-wachtwoord"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("privacy:account_erased")
    assert "Je account is verwijderd" in response.content.decode()
    assert User.objects.get(pk=world["person"].pk).erased_at is not None
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_erase_page_speaks_english_to_an_english_user(world, client):
    with translation.override("en"):
        page = client.get(reverse("privacy:erase_account"))

    assert "Delete account" in page.content.decode()


def test_staff_cannot_erase_their_own_account_from_the_profile(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    assert (
        client.post(reverse("privacy:erase_account"), {"password": "geheim-wachtwoord"}).status_code
        == 403
    )
    assert User.objects.get(pk=staff.pk).erased_at is None


def test_erase_page_needs_a_log_in(client):
    assert client.get(reverse("privacy:erase_account")).status_code == 302


# --- The programme manager's admin action ---------------------------------------------------


@pytest.fixture
def programme_manager(db):
    manager = UserFactory(is_staff=True, email_verified_at=timezone.now())
    manager.groups.add(Group.objects.get(name="Programmamanager"))
    return manager


def erase_in_admin(client, person, **extra):
    return client.post(
        reverse("admin:companies_user_changelist"),
        {"action": "erase_personal_data", "_selected_action": [person.pk], **extra},
    )


def test_admin_action_asks_for_confirmation_then_erases(world, client, programme_manager):
    client.force_login(programme_manager)

    confirmation = erase_in_admin(client, world["person"])
    assert confirmation.status_code == 200
    assert EMAIL in confirmation.content.decode()
    assert User.objects.get(pk=world["person"].pk).erased_at is None

    done = erase_in_admin(client, world["person"], post="yes")
    assert done.status_code == 302
    assert User.objects.get(pk=world["person"].pk).erased_at is not None


def test_admin_action_is_not_offered_to_read_only_staff(world, client):
    reader = UserFactory(is_staff=True, email_verified_at=timezone.now())
    reader.groups.add(Group.objects.get(name="Alleen lezen"))
    reader.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(reader)

    erase_in_admin(client, world["person"], post="yes")
    assert User.objects.get(pk=world["person"].pk).erased_at is None


def test_admin_cannot_delete_a_person_only_erase(world, client, programme_manager):
    client.force_login(programme_manager)

    page = client.get(reverse("admin:companies_user_delete", args=[world["person"].pk]))
    assert page.status_code == 403
