"""Leaving and terms: who may withdraw when, what the enrol page promises before the learner
confirms, and that no mail names a deadline that has passed."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from icalendar import Calendar, Event

from catalogue.models import Meeting
from enrolment import emails, outbox, services
from enrolment.models import Enrolment, Notification
from enrolment.services import EnrolmentRefused
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@contextmanager
def freeze_later(*, seconds: int):
    """Mails written inside are written ``seconds`` later than now, as a later action's are."""
    later = timezone.now() + timedelta(seconds=seconds)
    with mock.patch("django.utils.timezone.now", return_value=later):
        yield


def enrol(learner, offering) -> Enrolment:
    return services.enrol_learner(learner=learner, offering_id=offering.pk)


@pytest.fixture
def anna(client):
    user = UserFactory(email="anna@kampstaal.example")
    client.force_login(user)
    return user


def test_a_waitlisted_learner_withdraws_after_the_deadline(make_offering, learners):
    offering = make_offering(capacity=1, days=3)  # the deadline was four days ago
    seated, waiting = learners(2)
    enrol(seated, offering)
    place = enrol(waiting, offering)
    assert place.status == Enrolment.Status.WAITLISTED
    left = services.cancel_enrolment(enrolment_id=place.pk, actor=waiting)
    assert left.status == Enrolment.Status.CANCELLED
    offering.refresh_from_db()
    assert offering.confirmed_count == 1


def test_a_requested_learner_withdraws_after_the_deadline(make_offering):
    company = CompanyFactory(requires_approval=True)
    employee = MembershipFactory(company=company).user
    request = enrol(employee, make_offering(days=3))
    assert request.status == Enrolment.Status.REQUESTED
    assert services.cancel_enrolment(enrolment_id=request.pk, actor=employee).status == (
        Enrolment.Status.CANCELLED
    )


def test_a_confirmed_seat_still_cannot_be_cancelled_online_after_the_deadline(
    make_offering, learners
):
    (anna,) = learners(1)
    seat = enrol(anna, make_offering(days=3))
    with pytest.raises(EnrolmentRefused):
        services.cancel_enrolment(enrolment_id=seat.pk, actor=anna)


def test_my_courses_offers_leaving_the_waiting_list_after_the_deadline(client, anna, make_offering):
    offering = make_offering(capacity=1, days=3)
    enrol(UserFactory(), offering)
    place = enrol(anna, offering)
    content = client.get(reverse("enrolment:my_courses")).content.decode()
    assert reverse("enrolment:cancel", args=[place.pk]) in content
    assert "Afmelden voor de wachtlijst" in content
    page = client.get(reverse("enrolment:cancel", args=[place.pk])).content.decode()
    assert "Ja, afmelden" in page
    response = client.post(reverse("enrolment:cancel", args=[place.pk]), follow=True)
    assert "Je staat niet meer op de wachtlijst." in response.content.decode()
    place.refresh_from_db()
    assert place.status == Enrolment.Status.CANCELLED


def test_enrol_page_states_the_deadline_and_what_follows_before_confirming(
    client, anna, make_offering
):
    deadline = timezone.now() + timedelta(days=10)
    offering = make_offering(days=20, cancellation_deadline=deadline)
    content = client.get(reverse("enrolment:enrol", args=[offering.pk])).content.decode()
    local = timezone.localtime(deadline)
    assert "Kosteloos annuleren kan tot" in content
    assert formats.date_format(local, "j F Y") in content
    assert local.strftime("%H:%M") in content
    assert "info@technohub-nop.nl" in content
    assert "1.195,00" in content
    # The terms come before the button that confirms.
    assert content.index("Kosteloos annuleren") < content.index("Bevestig inschrijving")


def test_enrol_page_in_english_states_the_terms_in_english(client, anna, make_offering):
    offering = make_offering(days=20)
    with translation.override("en"):
        url = reverse("enrolment:enrol", args=[offering.pk])
    content = client.get(url).content.decode()
    assert "Kosteloos" not in content
    assert "free of charge" in content


def test_enrol_page_says_when_the_deadline_has_passed_already(client, anna, make_offering):
    offering = make_offering(days=3)
    content = client.get(reverse("enrolment:enrol", args=[offering.pk])).content.decode()
    assert "Kosteloos annuleren kan tot" not in content
    assert "De termijn om kosteloos te annuleren is voorbij" in content


def test_enrol_page_for_a_full_offering_says_the_waiting_list_can_always_be_left(
    client, anna, make_offering
):
    offering = make_offering(capacity=1)
    enrol(UserFactory(), offering)
    content = client.get(reverse("enrolment:enrol", args=[offering.pk])).content.decode()
    assert "afmelden kan altijd" in content


def _confirmation(learner, offering) -> Notification:
    enrol(learner, offering)
    return Notification.objects.get(to_email=learner.email, template="enrolment_confirmed")


def test_confirmation_sent_before_the_deadline_names_it(make_offering, learners):
    (anna,) = learners(1)
    deadline = timezone.now() + timedelta(days=5)
    mail = emails.render(
        _confirmation(anna, make_offering(days=20, cancellation_deadline=deadline))
    )
    assert f"uiterlijk {timezone.localtime(deadline).day} " in mail.text
    assert "termijn om kosteloos te annuleren is voorbij" not in mail.text


def test_a_mail_sent_after_the_deadline_names_no_date_in_the_past(make_offering, learners):
    (anna,) = learners(1)
    deadline = timezone.now() - timedelta(hours=1)
    offering = make_offering(days=5, cancellation_deadline=deadline)
    mail = emails.render(_confirmation(anna, offering))
    for body in (mail.text, mail.html):
        assert "uiterlijk" not in body
        assert "termijn om kosteloos te annuleren is voorbij" in body
        assert "info@technohub-nop.nl" in body


def test_the_default_deadline_is_named_as_a_date_not_as_a_rule(make_offering, learners):
    (anna,) = learners(1)
    offering = make_offering(days=20)
    mail = emails.render(_confirmation(anna, offering))
    deadline = timezone.localtime(offering.meetings.get().starts_at - timedelta(days=7))
    assert f"uiterlijk {deadline.day} " in mail.text
    assert deadline.strftime("%H:%M") in mail.text


# --- Calendar files: cancellations take the meetings out of the learner's calendar ---------


def _calendar(rendered, index: int = 0) -> Calendar:
    attachment = rendered.attachments[index]
    assert attachment.mimetype.startswith("text/calendar")
    return Calendar.from_ical(attachment.content)


def _events(calendar: Calendar) -> dict[str, Event]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def _rendered(learner, template: str):
    notification = Notification.objects.filter(to_email=learner.email, template=template).latest(
        "pk"
    )
    return emails.render(notification)


def test_cancelling_sends_a_calendar_cancellation_of_the_same_meetings(make_offering, learners):
    offering = make_offering()
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=37))
    (anna,) = learners(1)
    seat = enrol(anna, offering)
    invitation = _calendar(_rendered(anna, "enrolment_confirmed"))
    with freeze_later(seconds=5):
        services.cancel_enrolment(enrolment_id=seat.pk, actor=anna)
    cancellation = _calendar(_rendered(anna, "enrolment_cancelled"))

    assert str(invitation["method"]) == "REQUEST"
    assert str(cancellation["method"]) == "CANCEL"
    invited, cancelled = _events(invitation), _events(cancellation)
    assert len(invited) == 2
    assert set(cancelled) == set(invited)
    for uid, event in cancelled.items():
        assert str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) > int(invited[uid]["sequence"])
        assert str(event["attendee"]) == f"mailto:{anna.email}"
        assert str(event["organizer"]).startswith("mailto:")


def test_enrolling_again_after_cancelling_outranks_the_cancellation(make_offering, learners):
    offering = make_offering()
    (anna,) = learners(1)
    seat = enrol(anna, offering)
    services.cancel_enrolment(enrolment_id=seat.pk, actor=anna)
    cancellation = _calendar(_rendered(anna, "enrolment_cancelled"))
    with freeze_later(seconds=5):
        enrol(anna, offering)
    again = _calendar(_rendered(anna, "enrolment_confirmed"))
    (uid,) = _events(again)
    assert int(_events(again)[uid]["sequence"]) > int(_events(cancellation)[uid]["sequence"])
    assert str(_events(again)[uid]["status"]) == "CONFIRMED"


def test_a_cancelled_offering_cancels_the_meetings_in_every_calendar(
    make_offering, learners, staff_user
):
    offering = make_offering(capacity=1)
    anna, bert = learners(2)
    enrol(anna, offering)
    enrol(bert, offering)
    services.cancel_offering(offering_id=offering.pk, actor=staff_user, reason="Docent ziek")
    for learner in (anna, bert):
        calendar = _calendar(_rendered(learner, "offering_cancelled"))
        assert str(calendar["method"]) == "CANCEL"
        (event,) = _events(calendar).values()
        assert str(event["uid"]) == f"meeting-{offering.meetings.get().pk}@technohub-nop.nl"
        assert str(event["status"]) == "CANCELLED"


def test_a_moved_learner_gets_the_new_meetings_and_the_old_ones_cancelled(
    make_offering, learners, staff_user
):
    source = make_offering()
    target = make_offering(course=source.course, days=60)
    (anna,) = learners(1)
    old = enrol(anna, source)
    services.move_enrolments(enrolment_ids=[old.pk], to_offering_id=target.pk, actor=staff_user)
    rendered = _rendered(anna, "enrolment_moved")
    new_meetings, old_meetings = _calendar(rendered, 0), _calendar(rendered, 1)
    assert str(new_meetings["method"]) == "REQUEST"
    assert set(_events(new_meetings)) == {f"meeting-{target.meetings.get().pk}@technohub-nop.nl"}
    assert str(old_meetings["method"]) == "CANCEL"
    assert set(_events(old_meetings)) == {f"meeting-{source.meetings.get().pk}@technohub-nop.nl"}


def test_the_calendar_file_is_in_the_recipients_language(make_offering, learners):
    offering = make_offering(course=CourseFactory(title="Lassen", title_en="Welding"))
    (anna,) = learners(1)
    anna.preferred_language = "en"
    anna.save(update_fields=["preferred_language"])
    enrol(anna, offering)
    calendar = _calendar(_rendered(anna, "enrolment_confirmed"))
    (event,) = _events(calendar).values()
    assert str(event["summary"]) == "Welding"
    assert str(calendar["x-wr-calname"]) == "Welding"
    assert "/en/" in str(event["url"])
    assert "/en/" in str(event["description"])


def test_the_invitation_travels_as_an_invitation_in_the_sent_mail(make_offering, learners):
    (anna,) = learners(1)
    enrol(anna, make_offering())
    notification = Notification.objects.get(to_email=anna.email)
    mail.outbox.clear()
    outbox.deliver(notification.pk)
    (message,) = mail.outbox
    (part,) = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename().endswith(".ics")


def _meeting_form(prefix: str, meeting, *, starts_at, delete: bool = False) -> dict:
    local = timezone.localtime(starts_at)
    end = timezone.localtime(starts_at + (meeting.ends_at - meeting.starts_at))
    data = {
        f"{prefix}-id": meeting.pk,
        f"{prefix}-offering": meeting.offering_id,
        f"{prefix}-date": local.strftime("%Y-%m-%d"),
        f"{prefix}-start_time": local.strftime("%H:%M"),
        f"{prefix}-end_time": end.strftime("%H:%M"),
        f"{prefix}-topic": meeting.topic,
    }
    if delete:
        data[f"{prefix}-DELETE"] = "on"
    return data


def test_moving_and_removing_meetings_in_the_admin_updates_the_seated_learners_calendars(
    client, staff_user, make_offering, learners
):
    offering = make_offering(capacity=1)
    first = offering.meetings.get()
    # A day meeting, whatever the time the test runs: the admin's rows cannot cross midnight.
    first.starts_at = timezone.localtime(first.starts_at).replace(hour=9, minute=0)
    first.ends_at = first.starts_at + timedelta(hours=7)
    first.save(update_fields=["starts_at", "ends_at"])
    second = MeetingFactory(offering=offering, starts_at=first.starts_at + timedelta(days=7))
    seated, waiting = learners(2)
    enrol(seated, offering)
    enrol(waiting, offering)
    invitation = _calendar(_rendered(seated, "enrolment_confirmed"))
    client.force_login(staff_user)
    # The admin takes times to the minute.
    moved_to = (first.starts_at + timedelta(days=1)).replace(second=0, microsecond=0)
    url = reverse("admin:catalogue_offering_change", args=[offering.pk])
    data = {
        "location": offering.location_id,
        "capacity": offering.capacity,
        "min_participants": 1,
        "meetings-TOTAL_FORMS": 2,
        "meetings-INITIAL_FORMS": 2,
        **_meeting_form("meetings-0", first, starts_at=moved_to),
        **_meeting_form("meetings-1", second, starts_at=second.starts_at, delete=True),
        "enrolments-TOTAL_FORMS": 0,
        "enrolments-INITIAL_FORMS": 0,
    }
    asked = client.post(url, data)
    assert "2 deelnemers krijgen een wijzigingsbericht" in asked.content.decode()
    assert not Notification.objects.filter(template="offering_changed").exists()
    data["announce_changes"] = asked.context["inline_admin_formsets"][0].formset.announcement.key
    with freeze_later(seconds=5):
        response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert not Meeting.objects.filter(pk=second.pk).exists()
    # Who waits hears of the new dates, without a calendar file: they hold no meetings yet.
    told = _rendered(waiting, "offering_changed")
    assert not told.attachments
    assert timezone.localtime(moved_to).strftime("%H:%M") in told.text
    rendered = _rendered(seated, "offering_changed")
    update, removal = _calendar(rendered, 0), _calendar(rendered, 1)
    first_uid = f"meeting-{first.pk}@technohub-nop.nl"
    second_uid = f"meeting-{second.pk}@technohub-nop.nl"
    assert str(update["method"]) == "REQUEST"
    (event,) = _events(update).values()
    assert str(event["uid"]) == first_uid
    assert event.decoded("dtstart") == moved_to.replace(microsecond=0)
    assert int(event["sequence"]) > int(_events(invitation)[first_uid]["sequence"])
    assert str(removal["method"]) == "CANCEL"
    (gone,) = _events(removal).values()
    assert str(gone["uid"]) == second_uid
    assert int(gone["sequence"]) > int(_events(invitation)[second_uid]["sequence"])
    assert timezone.localtime(moved_to).strftime("%H:%M") in rendered.text


def test_saving_an_offering_without_changing_its_meetings_mails_nobody(
    client, staff_user, make_offering, learners
):
    offering = make_offering()
    meeting = offering.meetings.get()
    (anna,) = learners(1)
    enrol(anna, offering)
    client.force_login(staff_user)
    client.post(
        reverse("admin:catalogue_offering_change", args=[offering.pk]),
        {
            "course": offering.course_id,
            "location": offering.location_id,
            "capacity": offering.capacity + 1,
            "min_participants": 1,
            "meetings-TOTAL_FORMS": 1,
            "meetings-INITIAL_FORMS": 1,
            **_meeting_form("meetings-0", meeting, starts_at=meeting.starts_at),
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
        },
    )
    offering.refresh_from_db()
    assert offering.capacity == 6
    assert not Notification.objects.filter(template="offering_changed").exists()


def test_changes_to_an_ended_or_cancelled_offering_mail_nobody(make_offering, learners, staff_user):
    offering = make_offering()
    (anna,) = learners(1)
    enrol(anna, offering)
    services.cancel_offering(offering_id=offering.pk, actor=staff_user, reason="Docent ziek")
    assert services.announce_meeting_changes(offering_id=offering.pk, actor=staff_user) == 0
