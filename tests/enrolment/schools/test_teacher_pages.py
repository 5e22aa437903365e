"""The teacher's pages: requesting, "Mijn schoolbezoeken", one request, cancel and move."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.models import Notification, SchoolRequest, SchoolVisit
from tests.factories import (
    SchoolActivityFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
    UserFactory,
)
from tests.queries import page_queries

from .test_requests import form_data, monday_after


def verified(**fields):
    return UserFactory(email_verified_at=timezone.now(), **fields)


def page_data(**overrides) -> dict:
    data = form_data(**overrides)
    if "preferred_date_1" not in overrides:
        data["preferred_date_1"] = monday_after(timezone.localdate()).isoformat()
    return data


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in_and_back(client):
    activity = SchoolActivityFactory()
    url = reverse("school_requests:new", args=[activity.slug])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


@pytest.mark.django_db
def test_an_unconfirmed_address_is_asked_to_confirm_first_and_may_get_a_new_link(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("school_requests:new", args=[SchoolActivityFactory().slug])

    response = client.get(url)
    assert response.status_code == 403
    assert "Bevestig eerst je e-mailadres" in response.content.decode()

    response = client.post(url, {"resend_verification": "1"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=user, template="verify_email").exists()
    # A request posted anyway is not taken.
    client.post(url, page_data())
    assert not SchoolRequest.objects.exists()


@pytest.mark.django_db
def test_an_unpublished_or_unknown_activity_is_not_found(client):
    client.force_login(verified())
    hidden = SchoolActivityFactory(is_published=False)

    assert client.get(reverse("school_requests:new", args=[hidden.slug])).status_code == 404
    assert client.get(reverse("school_requests:new", args=["nothing"])).status_code == 404


@pytest.mark.django_db
def test_the_teacher_requests_an_activity_and_lands_on_its_page(client):
    user = verified()
    client.force_login(user)
    activity = SchoolActivityFactory()
    url = reverse("school_requests:new", args=[activity.slug])
    page = client.get(url).content.decode()
    assert "Aanvraag versturen" in page
    assert 'value="mobile_hub"' not in page  # the mobile hub only comes for a lesson at school

    response = client.post(url, page_data(), follow=True)

    school_request = SchoolRequest.objects.get()
    assert school_request.teacher == user
    assert response.redirect_chain[-1][0] == reverse(
        "school_requests:detail", args=[school_request.pk]
    )
    page = response.content.decode()
    assert "Je aanvraag is verstuurd" in page
    assert "Zuyderzee College" in page


@pytest.mark.django_db
def test_a_wrong_request_shows_the_messages_next_to_the_fields(client):
    client.force_login(verified())
    url = reverse("school_requests:new", args=[SchoolActivityFactory(max_pupils=30).slug])

    response = client.post(url, page_data(supervisors="1", brin="bad"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 cijfers en 2 letters" in page
    assert "ten hoogste 30 leerlingen" in page
    assert not SchoolRequest.objects.exists()


@pytest.mark.django_db
def test_the_request_form_reads_in_english(client):
    client.force_login(verified(preferred_language="en"))
    activity = SchoolActivityFactory()
    with translation.override("en"):
        url = reverse("school_requests:new", args=[activity.slug])

    response = client.post(url, page_data(supervisors="5"))

    page = response.content.decode()
    assert "Send request" in page
    assert "For 48 pupils at least 6 supervisors are needed (1 per 8)." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"groups-TOTAL_FORMS": "100000"},
        {"groups-TOTAL_FORMS": "-3", "groups-INITIAL_FORMS": "z"},
        {"question": "x" * 50_000, "blackout_dates": "1-1-1, " * 300},
        {"preferred_date_1": "0000-00-00", "window_from": "99-99-9999"},
    ],
)
def test_hostile_posts_get_a_page_with_errors(client, overrides):
    client.force_login(verified())
    url = reverse("school_requests:new", args=[SchoolActivityFactory().slug])

    response = client.post(url, page_data(**overrides))

    assert response.status_code == 200
    assert not SchoolRequest.objects.exists()


@pytest.mark.django_db
def test_my_school_visits_lists_only_the_teachers_own_requests_in_fixed_queries(client):
    user = verified()
    mine = SchoolRequestFactory(teacher=user)
    SchoolVisitFactory(request=SchoolRequestFactory(teacher=user), status="confirmed")
    SchoolRequestFactory(school__name="Andere school")
    client.force_login(user)
    url = reverse("school_requests:mine")

    page = client.get(url).content.decode()

    assert mine.school.name in page
    assert "Andere school" not in page
    assert "2 groepen, 48 leerlingen" in page
    assert "Mijn schoolbezoeken" in page
    queries = page_queries(client, url)
    SchoolVisitFactory(request=SchoolRequestFactory(teacher=user))
    SchoolRequestFactory(teacher=user, groups=[("vmbo", 1, 20)])
    assert page_queries(client, url) == queries


@pytest.mark.django_db
def test_another_users_request_is_not_found(client):
    school_request = SchoolRequestFactory()
    client.force_login(verified())

    for name in ("detail", "cancel", "reschedule"):
        url = reverse(f"school_requests:{name}", args=[school_request.pk])
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("school_requests:cancel", args=[school_request.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    school_request.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.REQUESTED


@pytest.mark.django_db
def test_the_detail_shows_the_visit_the_deadline_and_the_change_buttons(client):
    visit = SchoolVisitFactory(
        status="confirmed", request__status="confirmed", request__contact_phone="+31612345678"
    )
    client.force_login(visit.request.teacher)

    page = client.get(reverse("school_requests:detail", args=[visit.request.pk])).content.decode()

    assert "Het bezoek is bevestigd" in page
    assert "op school" in page  # the factory's visit has no place
    assert reverse("school_requests:cancel", args=[visit.request.pk]) in page
    assert reverse("school_requests:reschedule", args=[visit.request.pk]) in page
    assert "tot en met" in page


@pytest.mark.django_db
def test_the_teacher_cancels_with_a_reason_after_confirming(client):
    visit = SchoolVisitFactory()
    school_request = visit.request
    client.force_login(school_request.teacher)
    url = reverse("school_requests:cancel", args=[school_request.pk])

    assert "Ja, annuleren" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Schrijf kort waarom" in refused.content.decode()

    response = client.post(url, {"reason": "De bus rijdt niet."})

    assert response.status_code == 302
    school_request.refresh_from_db()
    visit.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.CANCELLED
    assert school_request.cancel_reason == "De bus rijdt niet."
    assert visit.status == SchoolVisit.Status.CANCELLED


@pytest.mark.django_db
def test_after_the_deadline_the_teacher_is_told_to_mail_the_hub(client, settings):
    soon = timezone.localdate() + timedelta(days=5)
    visit = SchoolVisitFactory(request__preferred_dates=[soon])
    school_request = visit.request
    client.force_login(school_request.teacher)

    page = client.get(reverse("school_requests:detail", args=[school_request.pk])).content.decode()
    assert settings.HUB_CONTACT_EMAIL in page
    assert reverse("school_requests:cancel", args=[school_request.pk]) not in page

    for name in ("cancel", "reschedule"):
        response = client.post(
            reverse(f"school_requests:{name}", args=[school_request.pk]),
            {"reason": "x", "preferred_date_1": monday_after(soon).isoformat()},
            follow=True,
        )
        assert settings.HUB_CONTACT_EMAIL in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.PLANNED


@pytest.mark.django_db
def test_the_teacher_gives_new_dates_and_the_hub_plans_again(client):
    visit = SchoolVisitFactory()
    school_request = visit.request
    client.force_login(school_request.teacher)
    url = reverse("school_requests:reschedule", args=[school_request.pk])
    new_day = monday_after(timezone.localdate(), weeks=7)

    form_page = client.get(url).content.decode()
    assert visit.date.isoformat() in form_page  # the current dates are filled in
    bad = client.post(url, {"preferred_date_1": timezone.localdate().isoformat()})
    assert bad.status_code == 200

    response = client.post(url, {"preferred_date_1": new_day.isoformat()})

    assert response.status_code == 302
    school_request.refresh_from_db()
    visit.refresh_from_db()
    assert school_request.preferred_dates == [new_day]
    assert school_request.status == SchoolRequest.Status.REQUESTED
    assert visit.status == SchoolVisit.Status.CANCELLED


@pytest.mark.django_db
def test_a_cancelled_request_cannot_be_changed_again(client):
    school_request = SchoolRequestFactory(
        status="cancelled", cancelled_at=timezone.now(), cancelled_by="hub"
    )
    client.force_login(school_request.teacher)

    response = client.get(reverse("school_requests:cancel", args=[school_request.pk]))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "kan niet meer veranderen" in page


@pytest.mark.django_db
def test_the_menu_links_my_school_visits_once_the_user_made_a_request(
    client, django_capture_on_commit_callbacks
):
    user = verified()
    client.force_login(user)
    link = f'href="{reverse("school_requests:mine")}"'
    assert link not in client.get(reverse("home")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("school_requests:new", args=[SchoolActivityFactory().slug]), page_data()
        )

    assert SchoolRequest.objects.filter(teacher=user).exists()
    assert link in client.get(reverse("home")).content.decode()
