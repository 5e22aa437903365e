"""Retention: each nightly task removes what is past its stated period and nothing younger, the
inactive-account warning goes once and in the recipient's language, and the privacy statement
shows the periods the tasks enforce."""

from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from companies.models import Invitation, User
from enrolment import emails
from enrolment.models import Attendance, Certificate, Enrolment, Notification
from technohub import tasks
from technohub.celery import app
from technohub.models import AuditLog
from technohub.privacy import retention
from tests.factories import CompanyFactory, EnrolmentFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
INACTIVE = timedelta(days=730)
NOTICE = timedelta(days=30)


def person(*, idle: timedelta, **fields) -> User:
    """An account whose last activity (joining) was ``idle`` before ``NOW``."""
    return UserFactory(date_joined=NOW - idle, last_login=None, **fields)


def warnings_to(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, template="account_inactive"))


def aged(model, pk, **moments) -> None:
    """Set auto-filled timestamps, which ``create`` always sets to the present."""
    model.objects.filter(pk=pk).update(**moments)


def warn(*, now: datetime) -> int:
    """Run the warning task at ``now``, with the mails it writes written and sent at ``now``."""
    before = set(Notification.objects.values_list("pk", flat=True))
    warned = retention.warn_inactive_accounts(now=now)
    Notification.objects.exclude(pk__in=before).update(created_at=now, sent_at=now)
    return warned


# --- The warning -------------------------------------------------------------------------------


def test_warning_goes_to_accounts_idle_for_the_period_less_the_notice_and_no_younger():
    due = person(idle=INACTIVE - NOTICE + timedelta(days=1))
    young = person(idle=INACTIVE - NOTICE - timedelta(days=1))

    assert retention.warn_inactive_accounts(now=NOW) == 1

    (warning,) = warnings_to(due)
    assert warning.to_email == due.email
    assert warnings_to(young) == []


def test_warning_skips_staff_superusers_and_erased_accounts():
    idle = INACTIVE - NOTICE + timedelta(days=5)
    person(idle=idle, is_staff=True)
    person(idle=idle, is_superuser=True)
    person(idle=idle, erased_at=NOW - timedelta(days=400))

    assert retention.warn_inactive_accounts(now=NOW) == 0
    assert not Notification.objects.exists()


def test_warning_goes_once_however_often_the_task_runs():
    user = person(idle=INACTIVE - timedelta(days=10))

    assert retention.warn_inactive_accounts(now=NOW) == 1
    assert retention.warn_inactive_accounts(now=NOW) == 0
    assert retention.warn_inactive_accounts(now=NOW + timedelta(days=1)) == 0
    assert len(warnings_to(user)) == 1


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("nl", "wordt op 1 juli 2026 verwijderd", "tenzij je voor die tijd inlogt"),
        ("en", "will be deleted on 1 July 2026", "unless you log in before then"),
    ],
)
def test_warning_is_in_the_recipients_language_with_the_deletion_date(language, subject, body):
    # Idle for exactly the period less the notice and a day: the account goes at the
    # end of its period, a month from now.
    user = person(idle=INACTIVE - NOTICE, preferred_language=language)

    retention.warn_inactive_accounts(now=NOW + timedelta(seconds=1))

    (warning,) = warnings_to(user)
    mail = emails.render(warning)
    assert subject in mail.subject
    assert body in mail.text
    assert body in mail.html
    assert f"{settings.SITE_URL}/{'en/' if language == 'en' else ''}account/" in mail.text


def test_warning_written_late_gives_the_full_notice():
    user = person(idle=INACTIVE + timedelta(days=300))

    retention.warn_inactive_accounts(now=NOW)

    (warning,) = warnings_to(user)
    assert "1 juli 2026" in emails.render(warning).subject


def test_logging_in_or_enrolling_resets_the_clock():
    logged_in = person(idle=INACTIVE + timedelta(days=100))
    logged_in.last_login = NOW - timedelta(days=3)
    logged_in.save(update_fields=["last_login"])
    enrolled = person(idle=INACTIVE + timedelta(days=100))
    enrolment = EnrolmentFactory(learner=enrolled)
    aged(Enrolment, enrolment.pk, created_at=NOW - timedelta(days=900))
    aged(Enrolment, enrolment.pk, status_changed_at=NOW - timedelta(days=200))

    assert retention.warn_inactive_accounts(now=NOW) == 0


# --- Erasure ---------------------------------------------------------------------------------


def test_account_is_erased_a_notice_period_after_its_warning_and_not_before():
    user = person(idle=INACTIVE - NOTICE + timedelta(days=1))
    warn(now=NOW)

    assert retention.erase_inactive_accounts(now=NOW + NOTICE - timedelta(days=1)) == 0
    user.refresh_from_db()
    assert user.erased_at is None

    assert retention.erase_inactive_accounts(now=NOW + NOTICE) == 1
    user.refresh_from_db()
    assert user.erased_at is not None
    assert not user.is_active


def test_account_past_its_period_is_not_erased_without_a_warning():
    user = person(idle=INACTIVE + timedelta(days=400))

    assert retention.erase_inactive_accounts(now=NOW) == 0

    user.refresh_from_db()
    assert user.erased_at is None


def test_a_deactivated_account_gets_no_warning_and_goes_at_the_end_of_its_period():
    deactivated = person(idle=INACTIVE - NOTICE + timedelta(days=1), is_active=False)

    assert retention.warn_inactive_accounts(now=NOW) == 0
    assert warnings_to(deactivated) == []
    assert retention.erase_inactive_accounts(now=NOW + NOTICE - timedelta(days=2)) == 0
    assert retention.erase_inactive_accounts(now=NOW + NOTICE) == 1
    deactivated.refresh_from_db()
    assert deactivated.erased_at is not None


def test_notice_runs_from_sending_the_warning_or_from_writing_one_that_failed_for_good():
    unsent, failed = (person(idle=INACTIVE - NOTICE + timedelta(days=1)) for _ in range(2))
    retention.warn_inactive_accounts(now=NOW)
    Notification.objects.update(created_at=NOW)
    Notification.objects.filter(recipient=failed).update(failed_at=NOW + timedelta(days=1))

    assert retention.erase_inactive_accounts(now=NOW + NOTICE) == 1

    unsent.refresh_from_db()
    failed.refresh_from_db()
    assert unsent.erased_at is None
    assert failed.erased_at is not None


def test_logging_in_after_the_warning_prevents_erasure():
    user = person(idle=INACTIVE - NOTICE + timedelta(days=1))
    warn(now=NOW)
    user.last_login = NOW + timedelta(days=2)
    user.save(update_fields=["last_login"])

    assert retention.erase_inactive_accounts(now=NOW + NOTICE + timedelta(days=1)) == 0
    assert warn(now=NOW + NOTICE + timedelta(days=1)) == 0

    user.refresh_from_db()
    assert user.erased_at is None


def test_staff_are_never_erased_for_inactivity():
    staff = person(idle=INACTIVE * 3, is_staff=True)

    warn(now=NOW)
    assert retention.erase_inactive_accounts(now=NOW + NOTICE * 2) == 0

    staff.refresh_from_db()
    assert staff.erased_at is None


def test_warn_and_erase_run_twice_do_nothing_the_second_time():
    person(idle=INACTIVE - NOTICE + timedelta(days=1))
    person(idle=INACTIVE + timedelta(days=1))
    later = NOW + NOTICE + timedelta(days=1)

    assert warn(now=NOW) == 2
    assert warn(now=NOW) == 0
    assert retention.erase_inactive_accounts(now=later) == 2
    assert retention.erase_inactive_accounts(now=later) == 0
    assert warn(now=later) == 0


def test_an_account_that_cannot_be_erased_does_not_stop_the_others(monkeypatch):
    from technohub.privacy import erasure

    stuck, other = (person(idle=INACTIVE - NOTICE + timedelta(days=1)) for _ in range(2))
    warn(now=NOW)
    real_erase = erasure.erase_person

    def erase_person(*, user, actor, now):
        if user.pk == stuck.pk:
            raise RuntimeError("disk full")
        return real_erase(user=user, actor=actor, now=now)

    monkeypatch.setattr(erasure, "erase_person", erase_person)

    assert retention.erase_inactive_accounts(now=NOW + NOTICE) == 1

    stuck.refresh_from_db()
    other.refresh_from_db()
    assert stuck.erased_at is None
    assert other.erased_at is not None


# --- Mail --------------------------------------------------------------------------------------


def mail(*, age: timedelta, recipient=None, **fields) -> Notification:
    notification = Notification.objects.create(
        template="enrolment_confirmed",
        to_email=recipient.email if recipient else "iemand@example.nl",
        recipient=recipient,
        context={"note": "Jan de Vries, lasser"},
        last_error="SMTP 550: jan@example.nl unknown",
        **fields,
    )
    aged(Notification, notification.pk, created_at=NOW - age)
    return notification


def test_mail_content_is_emptied_after_the_mail_period_and_younger_mail_kept():
    user = UserFactory()
    old = mail(age=timedelta(days=366), recipient=user, sent_at=NOW - timedelta(days=366))
    young = mail(age=timedelta(days=364), recipient=user, sent_at=NOW - timedelta(days=364))

    assert retention.purge_mail_bodies(now=NOW) == 1

    old.refresh_from_db()
    young.refresh_from_db()
    assert old.context == {}
    assert old.last_error == ""
    assert (old.template, old.to_email, old.recipient) == ("enrolment_confirmed", user.email, user)
    assert young.context == {"note": "Jan de Vries, lasser"}
    assert young.last_error.startswith("SMTP 550")


def test_old_unsent_mail_is_emptied_and_never_sent_empty():
    unsent = mail(age=timedelta(days=400), recipient=UserFactory())

    assert retention.purge_mail_bodies(now=NOW) == 1

    unsent.refresh_from_db()
    assert unsent.context == {}
    assert unsent.failed_at == NOW
    assert unsent.sent_at is None


def test_old_mail_to_an_address_without_account_is_deleted():
    old = mail(age=timedelta(days=366), sent_at=NOW - timedelta(days=366))
    young = mail(age=timedelta(days=10), sent_at=NOW - timedelta(days=10))

    assert retention.purge_mail_bodies(now=NOW) == 1

    assert list(Notification.objects.values_list("pk", flat=True)) == [young.pk]
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_mail_purge_works_through_a_backlog_in_batches_and_twice_is_nothing(monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 2)
    user = UserFactory()
    for _ in range(5):
        mail(age=timedelta(days=500), recipient=user, sent_at=NOW - timedelta(days=500))
    for _ in range(3):
        mail(age=timedelta(days=500), sent_at=NOW - timedelta(days=500))

    assert retention.purge_mail_bodies(now=NOW) == 8
    assert retention.purge_mail_bodies(now=NOW) == 0
    assert not Notification.objects.exclude(context={}).exists()


# --- Log-in records, sessions, invitations, logs ----------------------------------------------


@pytest.mark.parametrize("model", [AccessAttempt, AccessFailureLog, AccessLog])
def test_login_records_go_after_their_period_and_younger_stay(model):
    fields = {"username": "jan@example.nl", "ip_address": "192.0.2.1"}
    if model is AccessAttempt:
        fields["failures_since_start"] = 3
    old = model.objects.create(user_agent="old", **fields)
    young = model.objects.create(user_agent="young", **fields)
    aged(model, old.pk, attempt_time=NOW - timedelta(days=91))
    aged(model, young.pk, attempt_time=NOW - timedelta(days=89))

    assert retention.purge_login_records(now=NOW) == 1
    assert retention.purge_login_records(now=NOW) == 0

    assert list(model.objects.values_list("pk", flat=True)) == [young.pk]


def test_expired_sessions_go_and_live_sessions_stay():
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=NOW)
    Session.objects.filter(session_key=live.session_key).update(
        expire_date=NOW + timedelta(seconds=1)
    )

    assert retention.purge_sessions(now=NOW + timedelta(microseconds=1)) == 1
    assert retention.purge_sessions(now=NOW + timedelta(microseconds=1)) == 0

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def invitation(token: str, *, expires: timedelta, accepted: timedelta | None = None) -> Invitation:
    return Invitation.objects.create(
        company=CompanyFactory(),
        email=f"{token}@example.nl",
        token=token,
        expires_at=NOW + expires,
        accepted_at=NOW + accepted if accepted is not None else None,
    )


def test_invitations_go_a_period_after_expiring_or_being_accepted():
    period = timedelta(days=30)
    invitation("long-expired", expires=-period - timedelta(days=1))
    invitation("just-expired", expires=-period + timedelta(days=1))
    invitation("open", expires=timedelta(days=3))
    invitation("accepted-long-ago", expires=-period, accepted=-period - timedelta(days=1))
    invitation("accepted-lately", expires=-period * 2, accepted=-period + timedelta(days=1))

    assert retention.purge_invitations(now=NOW) == 2
    assert retention.purge_invitations(now=NOW) == 0

    assert set(Invitation.objects.values_list("token", flat=True)) == {
        "just-expired",
        "open",
        "accepted-lately",
    }


def test_audit_log_goes_after_the_records_period():
    content_type = ContentType.objects.get_for_model(User)
    old = AuditLog.objects.create(action="user.updated", content_type=content_type, object_id=1)
    young = AuditLog.objects.create(action="user.updated", content_type=content_type, object_id=1)
    aged(AuditLog, old.pk, created_at=datetime(2019, 5, 31, tzinfo=UTC))
    aged(AuditLog, young.pk, created_at=datetime(2019, 6, 2, tzinfo=UTC))

    assert retention.purge_logs(now=NOW) == 1
    assert list(AuditLog.objects.values_list("pk", flat=True)) == [young.pk]


def test_years_before_a_leap_day_falls_on_the_28th():
    leap_day = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)

    assert retention.years_before(leap_day, years=7) == datetime(2021, 2, 28, 12, 0, tzinfo=UTC)


# --- Enrolments and certificates ---------------------------------------------------------------


def ended_enrolment(*, ended: datetime, status=Enrolment.Status.COMPLETED) -> Enrolment:
    """An enrolment, with attendance, in an offering whose last meeting ended at ``ended``."""
    enrolment = EnrolmentFactory(status=status)
    first = MeetingFactory(offering=enrolment.offering, starts_at=ended - timedelta(days=8))
    MeetingFactory(offering=enrolment.offering, starts_at=ended - timedelta(hours=7))
    Attendance.objects.create(enrolment=enrolment, meeting=first, state="present")
    return enrolment


def certificate(enrolment: Enrolment, *, issued: datetime) -> Certificate:
    return Certificate.objects.create(
        enrolment=enrolment,
        number=f"TH-{enrolment.pk}",
        verification_code=f"code-{enrolment.pk}",
        issued_at=issued,
    )


def test_enrolments_go_with_their_attendance_the_records_period_after_the_offering_ended():
    old = ended_enrolment(ended=datetime(2019, 5, 30, tzinfo=UTC))
    cancelled = ended_enrolment(
        ended=datetime(2019, 5, 30, tzinfo=UTC), status=Enrolment.Status.CANCELLED
    )
    young = ended_enrolment(ended=datetime(2019, 6, 3, tzinfo=UTC))

    assert retention.purge_enrolments(now=NOW) == 2
    assert retention.purge_enrolments(now=NOW) == 0

    assert list(Enrolment.objects.values_list("pk", flat=True)) == [young.pk]
    assert not Attendance.objects.filter(enrolment_id__in=[old.pk, cancelled.pk]).exists()
    assert Attendance.objects.filter(enrolment=young).exists()


def test_enrolment_with_a_kept_certificate_or_still_active_stays():
    ended = datetime(2017, 1, 1, tzinfo=UTC)
    certified = ended_enrolment(ended=ended)
    certificate(certified, issued=ended)
    never_closed = ended_enrolment(ended=ended, status=Enrolment.Status.CONFIRMED)

    assert retention.purge_enrolments(now=NOW) == 0

    assert set(Enrolment.objects.values_list("pk", flat=True)) == {certified.pk, never_closed.pk}


def test_certificates_go_with_their_pdf_the_certificate_period_after_issue(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = certificate(
        ended_enrolment(ended=datetime(2016, 5, 1, tzinfo=UTC)),
        issued=datetime(2016, 5, 31, tzinfo=UTC),
    )
    old.pdf.save("old.pdf", ContentFile(b"%PDF-1.4 Jan de Vries"))
    young = certificate(
        ended_enrolment(ended=datetime(2016, 5, 1, tzinfo=UTC)),
        issued=datetime(2016, 6, 2, tzinfo=UTC),
    )
    old_file = tmp_path / old.pdf.name

    assert old_file.exists()
    assert retention.purge_certificates(now=NOW) == 1
    assert retention.purge_certificates(now=NOW) == 0

    assert list(Certificate.objects.values_list("pk", flat=True)) == [young.pk]
    assert not old_file.exists()
    # The enrolment, older than its own period, goes once its certificate has gone.
    assert retention.purge_enrolments(now=NOW) == 1
    assert list(Enrolment.objects.values_list("pk", flat=True)) == [young.enrolment_id]


# --- The tasks and their schedule --------------------------------------------------------------


RETENTION_TASKS = [
    "warn_inactive_accounts",
    "erase_inactive_accounts",
    "purge_mail_bodies",
    "purge_login_records",
    "purge_sessions",
    "purge_invitations",
    "purge_logs",
    "purge_certificates",
    "purge_enrolments",
    "purge_school_requests",
]


def test_every_retention_task_is_scheduled_at_night_and_registered():
    scheduled = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    app.loader.import_default_modules()
    for name in RETENTION_TASKS:
        task = f"technohub.tasks.{name}"
        assert task in app.tasks
        assert scheduled[task].hour <= {4, 5}
        assert len(scheduled[task].minute) == 1


def test_tasks_run_twice_do_nothing_the_second_time():
    UserFactory(date_joined=datetime(2020, 1, 1, tzinfo=UTC))
    expired = SessionStore()
    expired.create()
    Session.objects.update(expire_date=datetime(2020, 1, 1, tzinfo=UTC))
    AccessLog.objects.create(username="jan@example.nl", ip_address="192.0.2.1")
    AccessLog.objects.update(attempt_time=datetime(2020, 1, 1, tzinfo=UTC))

    first = [getattr(tasks, name)() for name in RETENTION_TASKS]
    second = [getattr(tasks, name)() for name in RETENTION_TASKS]

    assert first == [1, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    assert second == [0] * len(RETENTION_TASKS)


# --- The statement -----------------------------------------------------------------------------


def profile_url(language: str) -> str:
    with translation.override(language):
        return reverse("accounts:profile")


def retention_part(client, url: str) -> str:
    html = client.get(url).content.decode()
    start = html.index('id="bewaartermijnen"')
    return html[start : html.index("<h2", start)]


def test_statement_shows_the_default_periods_in_both_languages(client):
    dutch = retention_part(client, "/privacy/")
    english = retention_part(client, "/en/privacy/")

    assert "Als je 2 jaar niet hebt ingelogd" in dutch
    assert "30 dagen van tevoren" in dutch
    assert "7 jaar na afloop van de cursus" in dutch
    assert "10 jaar na uitgifte" in dutch
    assert "De inhoud 1 jaar na verzending" in dutch
    assert "90 dagen" in dutch
    assert "Mijn gegevens" in dutch
    assert f'href="{profile_url("nl")}"' in dutch
    assert "If you have not logged in for 2 years" in english
    assert "7 years after the course" in english
    assert "My data" in english
    assert f'href="{profile_url("en")}"' in english


def test_statement_changes_with_the_settings(client, settings):
    settings.PRIVACY_ACCOUNT_INACTIVE_DAYS = 1095
    settings.PRIVACY_ACCOUNT_WARNING_DAYS = 14
    settings.PRIVACY_LOGIN_LOG_RETENTION_DAYS = 45
    settings.PRIVACY_RECORDS_RETENTION_YEARS = 1

    dutch = retention_part(client, "/privacy/")
    english = retention_part(client, "/en/privacy/")

    assert "Als je 3 jaar niet hebt ingelogd" in dutch
    assert "14 dagen van tevoren" in dutch
    assert "45 dagen" in dutch
    assert "1 jaar na afloop van de cursus" in dutch
    assert "2 jaar" not in dutch
    assert "If you have not logged in for 3 years" in english
    assert "14 days before" in english
    assert "45 days" in english
    assert "1 year after the course" in english
