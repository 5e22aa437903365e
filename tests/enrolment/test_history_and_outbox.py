"""An enrolment's one timeline in the admin, and the outbox showing what was sent and how often
it was sent again."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from enrolment import emails, outbox, services
from enrolment.models import Enrolment, Notification
from technohub.models import AuditLog
from tests.factories import CourseFactory, UserFactory


def enrol(learner, offering) -> Enrolment:
    return services.enrol_learner(learner=learner, offering_id=offering.pk)


@pytest.fixture
def manager(client, staff_user):
    client.force_login(staff_user)
    return client


# --- One timeline ----------------------------------------------------------------------------


def test_the_outbox_list_says_what_each_mail_is(manager, make_offering, learners):
    enrol(learners(1)[0], make_offering())

    page = manager.get(reverse("admin:enrolment_notification_changelist")).content.decode()

    assert "Inschrijving bevestigd" in page


def test_every_mail_template_has_a_label_for_the_outbox():
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    templates = {path.name.removesuffix(".subject.txt") for path in folder.glob("*.subject.txt")}

    assert templates == set(emails.TEMPLATE_LABELS)


@pytest.mark.django_db
def test_the_enrolment_page_shows_one_timeline_with_its_own_and_its_runs_events(
    manager, make_offering, learners, staff_user
):
    offering = make_offering(days=10)
    enrolment = enrol(learners(1)[0], offering)
    services.send_reminder_now(offering_id=offering.pk, actor=staff_user)
    services.cancel_offering(offering_id=offering.pk, actor=staff_user, reason="Docent ziek")
    url = reverse("admin:enrolment_enrolment_change", args=[enrolment.pk])

    page = manager.get(url).content.decode()

    start = page.index('id="timeline"')
    timeline = page[start : page.index("</table>", start)]
    events = [
        "Uitvoering: uitvoering geannuleerd – Docent ziek",
        "Uitvoering: herinnering verstuurd",
        "inschrijving bevestigd",
    ]
    positions = [timeline.index(event) for event in events]
    assert positions == sorted(positions)  # newest first
    assert str(staff_user) in timeline
    # Only one history: no link to Django's own, which would show only the admin's edits.
    assert reverse("admin:enrolment_enrolment_history", args=[enrolment.pk]) not in page
    assert "field-audit_history" not in page and page.count("field-timeline") == 1


@pytest.mark.django_db
def test_edits_made_in_the_admin_join_the_timeline_and_the_old_history_leads_there(
    manager, make_offering, learners
):
    enrolment = enrol(learners(1)[0], make_offering())
    url = reverse("admin:enrolment_enrolment_change", args=[enrolment.pk])
    manager.post(url, {"price_excl_vat": "250.00", "vat_rate": "21.00", "reason": ""})
    assert LogEntry.objects.filter(object_id=str(enrolment.pk)).exists()

    page = manager.get(url).content.decode()
    history = manager.get(reverse("admin:enrolment_enrolment_history", args=[enrolment.pk]))

    assert "gewijzigd in het beheer" in page
    assert history.status_code == 302 and history.url == url + "#timeline"


@pytest.mark.django_db
def test_the_timeline_reads_in_english(manager, make_offering, learners):
    enrolment = enrol(learners(1)[0], make_offering())

    page = manager.get(
        "/en" + reverse("admin:enrolment_enrolment_change", args=[enrolment.pk])
    ).content.decode()

    assert "enrolment confirmed" in page
    assert "inschrijving bevestigd" not in page


# --- The outbox: what was sent ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_outbox_shows_subject_and_body_in_the_recipients_language(
    manager, make_offering, learners
):
    learner = learners(1)[0]
    learner.preferred_language = "en"
    learner.first_name = "<b>Anna</b>"
    learner.save()
    offering = make_offering(course=CourseFactory(title="TIG-lassen", title_en="TIG welding"))
    notification = Notification.objects.get(enrolment=enrol(learner, offering))
    assert notification.language == "en"

    page = manager.get(
        reverse("admin:enrolment_notification_change", args=[notification.pk])
    ).content.decode()

    assert "You are enrolled: TIG welding" in page or "TIG welding" in page
    assert "Je bent ingeschreven" not in page
    assert "&lt;b&gt;Anna&lt;/b&gt;" in page and "<b>Anna</b>" not in page
    assert 'class="mail-body"' in page


@pytest.mark.django_db
def test_a_mail_whose_content_was_emptied_says_so_instead_of_failing(
    manager, make_offering, learners, settings
):
    notification = Notification.objects.get(enrolment=enrol(learners(1)[0], make_offering()))
    long_ago = timezone.now() - timedelta(days=settings.PRIVACY_MAIL_RETENTION_DAYS + 1)
    Notification.objects.filter(pk=notification.pk).update(created_at=long_ago, context={})

    response = manager.get(reverse("admin:enrolment_notification_change", args=[notification.pk]))

    assert response.status_code == 200
    assert "volgens de bewaartermijn gewist" in response.content.decode()


@pytest.mark.django_db
def test_a_mail_about_something_gone_says_so_instead_of_failing(manager):
    notification = Notification.objects.create(
        to_email="a@example.nl", template="certificate_issued", context={"certificate_id": 999}
    )

    response = manager.get(reverse("admin:enrolment_notification_change", args=[notification.pk]))

    assert response.status_code == 200
    assert "bestaat niet meer" in response.content.decode()


# --- The outbox: resends, counted right --------------------------------------------------------


@pytest.mark.django_db
def test_each_resend_is_counted_with_who_did_it(manager, make_offering, learners, staff_user):
    notification = Notification.objects.get(enrolment=enrol(learners(1)[0], make_offering()))
    changelist = reverse("admin:enrolment_notification_changelist")
    assert outbox.deliver(notification.pk) is True
    for _ in range(2):
        manager.post(changelist, {"action": "resend", "_selected_action": [notification.pk]})
        assert outbox.deliver(notification.pk) is True

    listed = manager.get(changelist).context["cl"].result_list
    page = manager.get(
        reverse("admin:enrolment_notification_change", args=[notification.pk])
    ).content.decode()

    assert [row.resent for row in listed if row.pk == notification.pk] == [2]
    assert AuditLog.objects.filter(action="notification.resent", actor=staff_user).count() == 2
    assert str(staff_user) in page


@pytest.mark.django_db
def test_resending_a_mail_already_on_its_way_sends_and_counts_nothing(make_offering, learners):
    notification = Notification.objects.get(enrolment=enrol(learners(1)[0], make_offering()))
    assert outbox.deliver(notification.pk) is True

    assert outbox.resend(notification_id=notification.pk) is True
    assert outbox.resend(notification_id=notification.pk) is False  # a second click

    assert outbox.deliver(notification.pk) is True
    assert outbox.deliver(notification.pk) is False
    assert len(mail.outbox) == 2
    assert AuditLog.objects.filter(action="notification.resent").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_resending_the_same_mail_at_once_send_it_once_more(make_offering, learners):
    notification = Notification.objects.get(enrolment=enrol(learners(1)[0], make_offering()))
    assert outbox.deliver(notification.pk) is True
    staff = [UserFactory(is_staff=True) for _ in range(4)]
    barrier = threading.Barrier(len(staff))
    results = []

    def resend(user):
        try:
            barrier.wait()
            results.append(outbox.resend(notification_id=notification.pk, actor=user))
        finally:
            connection.close()

    threads = [threading.Thread(target=resend, args=[user]) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, False, False, True]
    assert AuditLog.objects.filter(action="notification.resent").count() == 1
    assert outbox.deliver(notification.pk) is True
    assert outbox.deliver(notification.pk, now=timezone.now() + timedelta(minutes=10)) is False
