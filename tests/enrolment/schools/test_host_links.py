"""The host's link: confirm or decline a planned school visit once, before it expires."""

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.models import Notification, SchoolRequest, SchoolVisit
from enrolment.schools import host_links, planning
from technohub.models import AuditLog
from tests.factories import (
    LocationFactory,
    SchoolActivityFactory,
    SchoolRequestFactory,
    UserFactory,
)

from .test_planning import a_weekday


@pytest.fixture
def coordinator(db):
    user = UserFactory(is_staff=True, preferred_language="en")
    user.groups.add(Group.objects.get_or_create(name="Coördinator techniekpromotie")[0])
    return user


@pytest.fixture
def planned(coordinator):
    """A visit planned for a host contact, and the token from the host's mail."""
    hub = LocationFactory(name="Agri Innovatiecenter")
    host = UserFactory(first_name="Sanne")
    activity = SchoolActivityFactory(locations=[hub], host_contact=host)
    day = a_weekday()
    school_request = SchoolRequestFactory(
        activity=activity, preferred_dates=[day], accessibility="Een rolstoelroute."
    )
    visit = planning.allocate(
        school_request=school_request,
        day=day,
        start_time=time(9),
        location=hub,
        planner=coordinator,
    )
    mail = Notification.objects.get(template="school_host_request")
    token = mail.context["answer_url"].rstrip("/").rsplit("/", 1)[-1]
    return visit, token


def test_confirm_confirms_visit_and_request_and_mails_the_teacher(planned):
    visit, token = planned
    host_links.answer(token=token, accept=True)
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.CONFIRMED
    assert visit.host_answered_at is not None
    assert visit.request.status == SchoolRequest.Status.CONFIRMED
    mail = Notification.objects.get(template="school_visit_confirmed")
    assert mail.recipient == visit.request.teacher
    assert mail.context == {"school_visit_id": visit.pk}
    log = AuditLog.objects.get(action="school_visit.confirmed")
    assert log.actor == visit.activity.host_contact


def test_decline_returns_the_request_to_requested_and_mails_the_coordinators(planned, coordinator):
    visit, token = planned
    host_links.answer(token=token, accept=False, reason="Die dag is de hal dicht.")
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.DECLINED
    assert visit.host_decline_reason == "Die dag is de hal dicht."
    assert visit.request.status == SchoolRequest.Status.REQUESTED
    mails = Notification.objects.filter(template="school_host_declined")
    assert coordinator.pk in set(mails.values_list("recipient", flat=True))
    assert not Notification.objects.filter(template="school_visit_confirmed").exists()
    assert AuditLog.objects.filter(action="school_visit.declined").exists()
    # The place is free again: the request can be planned anew on the same day.
    again = planning.allocate(
        school_request=visit.request,
        day=visit.date,
        start_time=time(13),
        location=visit.location,
        planner=coordinator,
    )
    assert again.status == SchoolVisit.Status.PLANNED


def test_a_link_works_once(planned):
    visit, token = planned
    host_links.answer(token=token, accept=True)
    with pytest.raises(host_links.LinkRefused) as refused:
        host_links.answer(token=token, accept=False)
    assert refused.value.reason == "answered"
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.CONFIRMED
    assert Notification.objects.filter(template="school_visit_confirmed").count() == 1


def test_a_link_expires(planned):
    visit, token = planned
    later = visit.host_link_expires_at + timedelta(seconds=1)
    with pytest.raises(host_links.LinkRefused) as refused:
        host_links.answer(token=token, accept=True, now=later)
    assert refused.value.reason == "expired"
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.PLANNED and visit.host_answered_at is None


def test_a_link_of_a_cancelled_visit_says_so(planned, coordinator):
    visit, token = planned
    planning.cancel_by_hub(school_request=visit.request, reason="Ziek.", actor=coordinator)
    with pytest.raises(host_links.LinkRefused) as refused:
        host_links.answer(token=token, accept=True)
    assert refused.value.reason == "cancelled"


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 5000])
def test_an_unknown_link_is_refused(planned, token):
    with pytest.raises(host_links.UnknownLink):
        host_links.answer(token=token, accept=True)


def test_the_host_page_shows_the_visit_and_answers_once(client, planned):
    visit, token = planned
    url = reverse("school_requests:host_answer", args=[token])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert visit.request.school.name in html and "Een rolstoelroute." in html
    assert "Bevestigen" in html and "Weigeren" in html
    assert page["X-Robots-Tag"] == "noindex"

    response = client.post(url, {"answer": "decline", "reason": "Dicht."})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.DECLINED
    after = client.get(url).content.decode()
    assert "al geweigerd" in after and "Weigeren" not in after
    assert client.post(url, {"answer": "confirm"}).status_code == 409
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.DECLINED


def test_the_host_page_speaks_english_on_the_english_link(client, planned):
    _visit, token = planned
    with translation.override("en"):
        url = reverse("school_requests:host_answer", args=[token])
    html = client.get(url).content.decode()
    assert "Confirm" in html and "Decline" in html
    client.post(url, {"answer": "confirm"})
    assert "already confirmed" in client.get(url).content.decode()


def test_the_host_page_of_an_expired_link_says_to_contact_the_hub(client, planned):
    visit, token = planned
    SchoolVisit.objects.filter(pk=visit.pk).update(
        host_link_expires_at=timezone.now() - timedelta(minutes=1)
    )
    url = reverse("school_requests:host_answer", args=[token])
    html = client.get(url).content.decode()
    assert "verlopen" in html and "Bevestigen" not in html
    assert client.post(url, {"answer": "confirm"}).status_code == 409
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.PLANNED


@pytest.mark.parametrize("token", ["onbekend", "a%20b", "a" * 300, "'; DROP TABLE x; --"])
def test_an_unknown_link_is_a_friendly_404(client, planned, token):
    response = client.get(f"/gastbedrijf/{token}/")
    assert response.status_code == 404
    assert "Deze link werkt niet" in response.content.decode()
    assert client.post(f"/gastbedrijf/{token}/", {"answer": "confirm"}).status_code == 404


def test_the_host_page_refuses_a_bad_answer_without_change(client, planned):
    visit, token = planned
    url = reverse("school_requests:host_answer", args=[token])
    assert client.post(url, {"answer": "misschien"}).status_code == 400
    assert client.put(url).status_code == 405
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.PLANNED
