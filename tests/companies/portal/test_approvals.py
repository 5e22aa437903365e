"""Approvals that don't wait: HR is mailed per request (or hourly), decides from the mail after
logging in and confirming, sees every request's date, price, dates and motivation, selects
all, rejects in bulk with one reason, and is told when someone else decided first."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import Membership
from companies.portal.request_selectors import get_request_decision
from enrolment import outbox
from enrolment import services as enrolment_services
from enrolment.models import Enrolment, Notification
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.races import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    return CompanyFactory(name="Kampstaal", slug="kampstaal", requires_approval=True)


def hr_of(company, *, email: str, language: str = "nl", request_mail: str = "each"):
    user = UserFactory(
        email=email, preferred_language=language, email_verified_at="2026-01-01T00:00Z"
    )
    MembershipFactory(
        company=company, user=user, role=Membership.Role.HR, request_mail=request_mail
    )
    return user


@pytest.fixture
def hanna(company):
    return hr_of(company, email="hanna@kampstaal.example")


@pytest.fixture
def henk(company):
    return hr_of(company, email="henk@kampstaal.example", language="en")


@pytest.fixture
def jan(company):
    user = UserFactory(first_name="Jan", last_name="Visser", email="jan@kampstaal.example")
    MembershipFactory(company=company, user=user)
    return user


@pytest.fixture
def offering(make_offering):
    return make_offering(
        course=CourseFactory(
            title="TIG-lassen RVS", title_en="TIG welding stainless", price_excl_vat=1395
        )
    )


def ask(learner, offering, motivation: str = "") -> Enrolment:
    return enrolment_services.enrol_learner(
        learner=learner, offering_id=offering.pk, motivation=motivation
    )


def request_mails() -> list[Notification]:
    return list(Notification.objects.filter(template="request_for_hr").order_by("to_email"))


def delivered(notification: Notification):
    mail.outbox.clear()
    assert outbox.deliver(notification.pk)
    (message,) = mail.outbox
    return message


# --- A mail per request -------------------------------------------------------------------


def test_each_hr_member_is_mailed_at_once_in_their_own_language(
    company, hanna, henk, jan, offering
):
    request = ask(jan, offering, motivation="Ik las nu alleen staal; RVS komt in de orders.")
    dutch, english = request_mails()
    assert (dutch.to_email, dutch.language) == ("hanna@kampstaal.example", "nl")
    assert (english.to_email, english.language) == ("henk@kampstaal.example", "en")

    message = delivered(dutch)
    assert message.subject == "Aanvraag van Jan Visser: TIG-lassen RVS"
    body = message.body
    assert "jan@kampstaal.example" in body
    assert "1.395,00" in body
    assert "RVS komt in de orders" in body
    approve = reverse("portal:approve_request", args=[company.slug, request.pk])
    assert f"Goedkeuren: http://testserver{approve}" in body
    assert reverse("portal:reject_request", args=[company.slug, request.pk]) in body

    message = delivered(english)
    assert message.subject == "Request from Jan Visser: TIG welding stainless"
    assert "1,395.00" in message.body
    with translation.override("en"):
        approve_en = reverse("portal:approve_request", args=[company.slug, request.pk])
    assert f"Approve: http://testserver{approve_en}" in message.body
    assert "Goedkeuren" not in message.body


def test_no_request_mail_without_approval_or_to_hr_who_chose_the_bundle(
    company, hanna, jan, offering, make_offering
):
    hr_of(company, email="bundel@kampstaal.example", request_mail="hourly")
    company.requires_approval = False
    company.save()
    ask(jan, offering)
    assert request_mails() == []
    company.requires_approval = True
    company.save()
    ask(jan, make_offering())
    assert [n.to_email for n in request_mails()] == ["hanna@kampstaal.example"]


# --- The hourly bundle --------------------------------------------------------------------


def test_hourly_bundle_lists_each_request_once_and_only_for_hr_who_chose_it(
    company, hanna, jan, offering, make_offering
):
    bundler = hr_of(company, email="bundel@kampstaal.example", request_mail="hourly")
    piet = MembershipFactory(company=company, user=UserFactory(first_name="Piet")).user
    now = timezone.now() + timedelta(seconds=1)
    assert enrolment_services.queue_request_bundles(now=now) == 0  # nothing waits: no mail

    ask(jan, offering, motivation="Voor de nieuwe orders")
    ask(piet, make_offering())
    assert enrolment_services.queue_request_bundles(now=now) == 1
    (bundle,) = Notification.objects.filter(template="requests_for_hr")
    assert bundle.to_email == bundler.email
    assert [line["learner"] for line in bundle.context["requests"]] == [str(jan), str(piet)]
    message = delivered(bundle)
    assert "2 nieuwe aanvragen bij Kampstaal" in message.subject
    assert "Voor de nieuwe orders" in message.body
    # The HR member who chose a mail per request got those, not the bundle.
    assert [n.to_email for n in request_mails()] == [hanna.email, hanna.email]

    # The next hour: those two are not bundled again; nothing new, nothing sent.
    assert enrolment_services.queue_request_bundles(now=now + timedelta(hours=1)) == 0
    newcomer = MembershipFactory(company=company).user
    ask(newcomer, make_offering())
    later = timezone.now() + timedelta(hours=1)
    assert enrolment_services.queue_request_bundles(now=later) == 1
    latest = Notification.objects.filter(template="requests_for_hr").latest("pk")
    assert [line["learner"] for line in latest.context["requests"]] == [str(newcomer)]


def test_bundle_leaves_out_requests_decided_before_it_went(company, hanna, jan, offering):
    hr_of(company, email="bundel@kampstaal.example", request_mail="hourly")
    request = ask(jan, offering)
    enrolment_services.approve_requests(enrolment_ids=[request.pk], hr_user=hanna)
    assert enrolment_services.queue_request_bundles(now=timezone.now()) == 0
    assert not Notification.objects.filter(template="requests_for_hr").exists()


def test_hr_chooses_the_bundle_on_the_approval_page(company, hanna, client):
    client.force_login(hanna)
    url = reverse("portal:approval_rule", args=[company.slug])
    assert "Gebundeld, hoogstens één e-mail per uur" in client.get(url).content.decode()
    client.post(url, {"requires_approval": "yes", "request_mail": "hourly"})
    assert Membership.objects.get(user=hanna).request_mail == "hourly"
    response = client.post(url, {"requires_approval": "yes", "request_mail": "daily"})
    assert "request_mail" in response.context["form"].errors
    assert Membership.objects.get(user=hanna).request_mail == "hourly"


# --- From the mail, through log-in and confirmation ---------------------------------------


def log_in_from(client, link: str, user) -> str:
    """Follow a mail's link logged out, log in on the page it sends to; return where it lands."""
    path = urlparse(link).path
    response = client.get(path)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login")) and "next=" in login_url
    response = client.post(
        login_url, {"username": user.email, "password": "geheim-wachtwoord", "next": path}
    )
    assert response.status_code == 302
    assert response["Location"] == path
    return path


def test_hr_approves_from_the_mail_after_logging_in_and_confirming(
    company, hanna, jan, offering, client
):
    request = ask(jan, offering)
    (notification,) = request_mails()
    path = log_in_from(client, notification.context["approve_url"], hanna)
    page = client.get(path)
    assert page.status_code == 200
    request.refresh_from_db()
    assert request.status == "requested"  # a click on the link alone decides nothing
    content = page.content.decode()
    assert "Jan Visser" in content and "1.395,00" in content

    response = client.post(path, follow=True)
    assert "De aanvraag van Jan Visser is goedgekeurd." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "confirmed"


def test_hr_rejects_from_the_mail_with_a_reason(company, hanna, jan, offering, client):
    request = ask(jan, offering)
    (notification,) = request_mails()
    path = log_in_from(client, notification.context["reject_url"], hanna)
    assert 'name="reason"' in client.get(path).content.decode()
    response = client.post(path, {"reason": ""})
    assert "reason" in response.context["form"].errors
    client.post(path, {"reason": "Eerst de basiscursus"})
    request.refresh_from_db()
    assert (request.status, request.reason) == ("rejected", "Eerst de basiscursus")
    rejection = Notification.objects.get(template="enrolment_rejected")
    assert rejection.to_email == jan.email


# --- Decided meanwhile ---------------------------------------------------------------------


def test_a_request_approved_elsewhere_says_by_whom_and_when(
    company, hanna, henk, jan, offering, client
):
    request = ask(jan, offering)
    client.force_login(hanna)
    approve = reverse("portal:approve_request", args=[company.slug, request.pk])
    reject = reverse("portal:reject_request", args=[company.slug, request.pk])
    assert client.get(approve).status_code == 200  # Hanna's tab is open …
    enrolment_services.approve_requests(enrolment_ids=[request.pk], hr_user=henk)  # … Henk wins
    for response in (
        client.post(approve),
        client.get(reject),
        client.post(reject, {"reason": "x"}),
    ):
        assert response.status_code == 200
        assert f"Al goedgekeurd door {henk}" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "confirmed"


def test_a_rejected_or_withdrawn_request_says_so(company, hanna, henk, jan, offering, client):
    rejected = ask(jan, offering)
    enrolment_services.reject_request(enrolment_id=rejected.pk, hr_user=henk, reason="Geen budget")
    client.force_login(hanna)
    page = client.get(reverse("portal:approve_request", args=[company.slug, rejected.pk]))
    content = page.content.decode()
    assert f"Al afgewezen door {henk}" in content and "Geen budget" in content

    withdrawn = ask(jan, offering)
    enrolment_services.cancel_enrolment(enrolment_id=withdrawn.pk, actor=jan)
    page = client.post(reverse("portal:approve_request", args=[company.slug, withdrawn.pk]))
    assert page.status_code == 200
    assert "Ingetrokken door de medewerker" in page.content.decode()
    withdrawn.refresh_from_db()
    assert withdrawn.status == "cancelled"


def test_the_decided_page_reads_in_english(company, hanna, henk, jan, offering, client):
    request = ask(jan, offering)
    enrolment_services.approve_requests(enrolment_ids=[request.pk], hr_user=henk)
    client.force_login(hanna)
    with translation.override("en"):
        url = reverse("portal:approve_request", args=[company.slug, request.pk])
    assert f"Already approved by {henk}" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_hr_members_deciding_at_once_one_wins_the_other_is_told():
    company = CompanyFactory(slug="race", requires_approval=True)
    hanna = hr_of(company, email="hanna@race.example")
    henk = hr_of(company, email="henk@race.example")
    learner = MembershipFactory(company=company).user
    offering = OfferingFactory(capacity=5, min_participants=1)
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=30))
    for _round in range(3):
        request = ask(learner, offering)
        results = race(
            [
                lambda pk=request.pk: enrolment_services.approve_requests(
                    enrolment_ids=[pk], hr_user=hanna
                ),
                lambda pk=request.pk: enrolment_services.reject_request(
                    enrolment_id=pk, hr_user=henk, reason="Nee"
                ),
            ]
        )
        approved, rejected = results
        request.refresh_from_db()
        if request.status == "confirmed":
            assert [e.pk for e in approved] == [request.pk]
            assert isinstance(rejected, enrolment_services.EnrolmentRefused)
            winner = hanna
        else:
            assert request.status == "rejected"
            assert approved == []
            assert isinstance(rejected, Enrolment)
            winner = henk
        decision = get_request_decision(enrolment=request)
        assert decision.by == winner
        assert Enrolment.objects.filter(pk=request.pk).count() == 1
        # Free the learner for the next round.
        if request.status == "confirmed":
            enrolment_services.cancel_enrolment(enrolment_id=request.pk, actor=learner)


def test_a_request_of_another_company_is_a_404(company, hanna, offering, client):
    other = CompanyFactory(requires_approval=True)
    stranger = MembershipFactory(company=other).user
    request = ask(stranger, offering)
    client.force_login(hanna)
    for name in ("portal:approve_request", "portal:reject_request"):
        url = reverse(name, args=[company.slug, request.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"


# --- The requests page -------------------------------------------------------------------


def test_requests_page_shows_date_price_dates_and_motivation(company, hanna, jan, offering, client):
    ask(jan, offering, motivation="Nodig voor de RVS-orders <b>nu</b>")
    client.force_login(hanna)
    content = client.get(reverse("portal:requests", args=[company.slug])).content.decode()
    assert "Aangevraagd op" in content
    assert "1.395,00" in content
    assert "Nodig voor de RVS-orders &lt;b&gt;nu&lt;/b&gt;" in content
    assert jan.email in content
    start = offering.meetings.get().starts_at
    assert timezone.localtime(start).strftime("%Y") in content


def test_select_all_ticks_every_request_without_javascript(
    company, hanna, jan, offering, make_offering, client
):
    ask(jan, offering)
    ask(jan, make_offering())
    client.force_login(hanna)
    url = reverse("portal:requests", args=[company.slug])
    assert client.get(url).content.decode().count(" checked") == 0
    page = client.get(url + "?alle=1").content.decode()
    assert page.count(" checked") == 2
    assert 'data-select-requests="all"' in page


def test_bulk_reject_confirms_then_mails_each_employee_one_reason(
    company, hanna, jan, offering, make_offering, client
):
    piet = MembershipFactory(company=company, user=UserFactory(preferred_language="en")).user
    requests = [ask(jan, offering), ask(piet, make_offering())]
    ids = [r.pk for r in requests]
    client.force_login(hanna)
    url = reverse("portal:requests", args=[company.slug])

    without_reason = client.post(url, {"requests": ids, "action": "reject", "reason": ""})
    assert "reason" in without_reason.context["form"].errors

    confirm = client.post(url, {"requests": ids, "action": "reject", "reason": "Geen budget"})
    assert confirm.templates[0].name == "portal/reject_many.html"
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"requested"}

    done = client.post(
        url,
        {"requests": ids, "action": "reject", "reason": "Geen budget", "confirmed": "on"},
        follow=True,
    )
    assert "2 aanvragen afgewezen." in done.content.decode()
    for request in requests:
        request.refresh_from_db()
        assert (request.status, request.reason) == ("rejected", "Geen budget")
    rejections = Notification.objects.filter(template="enrolment_rejected")
    assert sorted(n.to_email for n in rejections) == sorted([jan.email, piet.email])
    assert all(n.context["reason"] == "Geen budget" for n in rejections)


def test_requests_page_reads_in_english(company, hanna, jan, offering, client):
    ask(jan, offering, motivation="RVS")
    client.force_login(hanna)
    with translation.override("en"):
        url = reverse("portal:requests", args=[company.slug])
    content = client.get(url).content.decode()
    for english in ("Requested on", "Motivation", "Select all", "Reject the chosen requests"):
        assert english in content
    assert "€1,395.00" in content


def test_requests_page_queries_do_not_grow_with_requests(
    company, hanna, jan, offering, make_offering, client
):
    client.force_login(hanna)
    url = reverse("portal:requests", args=[company.slug])
    ask(jan, offering)
    few = page_queries(client, url)
    for _ in range(4):
        ask(MembershipFactory(company=company).user, make_offering())
    assert page_queries(client, url) == few


# --- The employee's motivation -------------------------------------------------------------


def test_enrol_page_asks_a_motivation_only_where_hr_approves(company, jan, offering, client):
    client.force_login(jan)
    url = reverse("enrolment:enrol", args=[offering.pk])
    assert 'name="motivation"' in client.get(url).content.decode()
    too_long = client.post(url, {"motivation": "x" * 1001})
    assert "motivation" in too_long.context["form"].errors
    assert not Enrolment.objects.exists()
    client.post(url, {"motivation": "  Voor de RVS-orders  "})
    assert Enrolment.objects.get().motivation == "Voor de RVS-orders"

    free = CompanyFactory(requires_approval=False)
    kees = MembershipFactory(company=free).user
    client.force_login(kees)
    assert 'name="motivation"' not in client.get(url).content.decode()
    client.post(url, {"motivation": "genegeerd"})
    assert Enrolment.objects.get(learner=kees).motivation == ""


@pytest.mark.django_db(transaction=True)
def test_two_bundle_runs_at_once_bundle_each_request_once():
    company = CompanyFactory(slug="bundel", requires_approval=True)
    hr_of(company, email="bundel@bundel.example", request_mail="hourly")
    offering = OfferingFactory(capacity=5, min_participants=1)
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=30))
    for _ in range(3):
        ask(MembershipFactory(company=company).user, offering)
    now = timezone.now()
    results = race([lambda: enrolment_services.queue_request_bundles(now=now)] * 2)
    assert sorted(results) == [0, 1]
    (bundle,) = Notification.objects.filter(template="requests_for_hr")
    assert len(bundle.context["requests"]) == 3
    assert not Enrolment.objects.filter(bundled_at__isnull=True).exists()
