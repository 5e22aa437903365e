"""Closed runs (*besloten uitvoeringen*): only for the companies they are for, at their price,
and never in the public catalogue."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Offering
from catalogue.selectors import CatalogueFilters, list_upcoming_offerings, search_catalogue
from companies.demand import services as demand_services
from companies.models import Interest, Membership
from enrolment import pricing
from enrolment import services as enrolment_services
from enrolment.models import Enrolment, Notification
from technohub import page_cache
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AGREED = Decimal("800.00")


@pytest.fixture
def closed():
    """A published course (1195 excl. VAT) with a public run and a run closed for company A at
    an agreed price; an employee and HR of A, and of B."""
    course = CourseFactory(title="Hydrauliek voor monteurs", slug="hydrauliek")
    public = OfferingFactory(course=course)
    MeetingFactory(offering=public, starts_at=timezone.now() + timedelta(days=40))
    run = OfferingFactory(course=course, agreed_price_excl_vat=AGREED)
    MeetingFactory(offering=run, starts_at=timezone.now() + timedelta(days=20))
    a, b = CompanyFactory(name="Kampstaal"), CompanyFactory(name="Suplacon")
    run.private_for.set([a])
    people = {
        "run": run,
        "public": public,
        "course": course,
        "a": a,
        "b": b,
        "a_employee": MembershipFactory(company=a).user,
        "a_hr": MembershipFactory(company=a, role=Membership.Role.HR).user,
        "b_employee": MembershipFactory(company=b).user,
        "b_hr": MembershipFactory(company=b, role=Membership.Role.HR).user,
    }
    return people


def course_page(client, course, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("catalogue:course_detail", args=[course.slug])).content.decode()


def json_ld(content: str) -> dict:
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(raw.group(1))


# --- The model's rules ------------------------------------------------------------------------


def test_visible_to_shows_a_closed_run_only_to_people_of_its_companies(closed):
    run, public = closed["run"], closed["public"]
    assert set(Offering.objects.public()) == {public}
    assert set(Offering.objects.private()) == {run}
    assert set(Offering.objects.visible_to(closed["a_employee"])) == {run, public}
    assert set(Offering.objects.visible_to(closed["a_hr"])) == {run, public}
    assert set(Offering.objects.visible_to(closed["b_employee"])) == {public}
    assert set(Offering.objects.visible_to(UserFactory())) == {public}
    assert set(Offering.objects.for_company(closed["a"])) == {run, public}
    assert set(Offering.objects.for_company(closed["b"])) == {public}


def test_a_run_for_two_companies_is_visible_to_both(closed):
    run = closed["run"]
    run.private_for.add(closed["b"])
    assert run in Offering.objects.visible_to(closed["b_employee"])
    assert Offering.objects.public().filter(pk=run.pk).count() == 0


def test_the_agreed_price_is_the_runs_price_everywhere_money_is_computed(closed):
    run, public = closed["run"], closed["public"]
    assert run.price_excl_vat == AGREED
    assert public.price_excl_vat == Decimal("1195.00")
    cost = pricing.seats_cost(offering=run, seats=3)
    assert cost.excl_vat == Decimal("2400.00")
    assert cost.vat == Decimal("168.00") * 3  # 21 % of 800, per seat
    assert run.price_incl_vat == Decimal("968.00")


# --- Never in the public catalogue ------------------------------------------------------------


def test_course_page_hides_the_closed_run_from_visitors_and_other_companies(client, closed):
    run = closed["run"]
    enrol_url = reverse("enrolment:enrol", args=[run.pk])
    for user in (None, closed["b_employee"], closed["b_hr"], UserFactory()):
        content = course_page(client, closed["course"], user)
        assert enrol_url not in content, user
        assert "Besloten uitvoering" not in content
        assert reverse("enrolment:enrol", args=[closed["public"].pk]) in content


def test_structured_data_never_holds_a_closed_run(client, closed):
    for user in (None, closed["a_employee"]):
        document = json_ld(course_page(client, closed["course"], user))
        instances = document["hasCourseInstance"]
        assert len(instances) == 1
        assert instances[0]["offers"]["price"] != "968.00"
        assert str(AGREED) not in json.dumps(document)


def test_search_home_and_location_pages_leave_closed_runs_out(client, closed):
    run, public = closed["run"], closed["public"]
    result = search_catalogue(filters=CatalogueFilters(), themes=[])
    (course,) = [c for c in result.courses if c.id == closed["course"].pk]
    assert [offering.id for offering in course.offerings] == [public.pk]
    # The closed run is sooner, yet the "next run" a card shows is the public one.
    assert course.next_offering.id == public.pk
    assert run not in list_upcoming_offerings(limit=10)
    for user in (None, closed["a_employee"]):
        client.logout()
        if user:
            client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert reverse("enrolment:enrol", args=[run.pk]) not in home
        location = client.get(
            reverse("catalogue:location_detail", args=[run.location.slug])
        ).content.decode()
        assert reverse("enrolment:enrol", args=[run.pk]) not in location
        listing = client.get(reverse("catalogue:course_list")).content.decode()
        assert "Besloten" not in listing


def test_a_course_with_only_a_closed_run_shows_no_run_in_search(closed):
    only = CourseFactory(title="Maatwerk lassen")
    run = OfferingFactory(course=only)
    MeetingFactory(offering=run)
    run.private_for.set([closed["a"]])
    result = search_catalogue(filters=CatalogueFilters(), themes=[])
    (course,) = [c for c in result.courses if c.id == only.pk]
    assert course.offerings == [] and course.next_offering is None
    # "Alleen met vrije plaatsen" leaves it out: it has no run anyone can join.
    free = search_catalogue(filters=CatalogueFilters(free_seats=True), themes=[])
    assert only.pk not in [c.id for c in free.courses]


def test_sitemap_and_calendar_file_keep_closed_runs_private(client, closed):
    run = closed["run"]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/uitvoeringen/{run.pk}/" not in sitemap
    ics = reverse("catalogue:offering_ics", args=[run.pk])
    assert client.get(ics).status_code == 404
    client.force_login(closed["b_employee"])
    assert client.get(ics).status_code == 404
    client.force_login(closed["a_employee"])
    assert client.get(ics).status_code == 200


# --- Seen and booked by its own companies -----------------------------------------------------


def test_employee_of_the_company_sees_the_closed_run_marked_with_the_agreed_price(client, closed):
    content = course_page(client, closed["course"], closed["a_employee"])
    assert "Besloten uitvoering voor Kampstaal" in content
    assert "Afgesproken prijs per deelnemer" in content
    assert "800,00" in content
    assert reverse("enrolment:enrol", args=[closed["run"].pk]) in content


def test_hr_of_the_company_gets_team_buttons_only_for_their_own_closed_run(client, closed):
    content = course_page(client, closed["course"], closed["a_hr"])
    run = closed["run"]
    assert reverse("portal:team_enrol", args=[closed["a"].slug, run.pk]) in content
    both = MembershipFactory(company=closed["b"], role=Membership.Role.HR, user=closed["a_hr"])
    content = course_page(client, closed["course"], both.user)
    assert reverse("portal:team_enrol", args=[closed["a"].slug, run.pk]) in content
    assert reverse("portal:team_enrol", args=[closed["b"].slug, run.pk]) not in content
    assert reverse("portal:team_enrol", args=[closed["b"].slug, closed["public"].pk]) in content


def test_enrol_page_is_404_for_others_and_enrols_an_employee_at_the_agreed_price(client, closed):
    run = closed["run"]
    url = reverse("enrolment:enrol", args=[run.pk])
    client.force_login(closed["b_employee"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Enrolment.objects.filter(offering=run).exists()
    client.force_login(closed["a_employee"])
    page = client.get(url).content.decode()
    assert "Besloten uitvoering voor Kampstaal" in page and "800,00" in page
    assert client.post(url).status_code == 302
    enrolment = Enrolment.objects.get(offering=run)
    assert enrolment.learner == closed["a_employee"]
    assert enrolment.company == closed["a"]
    assert enrolment.price_excl_vat == AGREED
    assert enrolment.status == Enrolment.Status.CONFIRMED


def test_enrol_learner_refuses_someone_not_working_for_the_company(closed):
    for person in (closed["b_employee"], UserFactory()):
        with pytest.raises(enrolment_services.EnrolmentRefused, match="besloten uitvoering"):
            enrolment_services.enrol_learner(learner=person, offering_id=closed["run"].pk)
    # Even when told another company pays: the run is not theirs.
    with pytest.raises(enrolment_services.EnrolmentRefused):
        enrolment_services.enrol_learner(
            learner=closed["b_employee"], offering_id=closed["run"].pk, company=closed["a"]
        )
    assert not Enrolment.objects.filter(offering=closed["run"]).exists()


def test_someone_of_two_companies_is_paid_for_by_the_one_the_run_is_for(closed):
    both = closed["b_employee"]
    MembershipFactory(company=closed["a"], user=both)
    enrolment = enrolment_services.enrol_learner(learner=both, offering_id=closed["run"].pk)
    assert enrolment.company == closed["a"]


def test_enrol_team_and_reserve_refuse_another_company(closed):
    run = closed["run"]
    with pytest.raises(enrolment_services.EnrolmentRefused, match="Kampstaal"):
        enrolment_services.enrol_team(
            hr_user=closed["b_hr"],
            company=closed["b"],
            offering_id=run.pk,
            learners=[closed["b_employee"]],
        )
    with pytest.raises(enrolment_services.ReservationRefused, match="Kampstaal"):
        enrolment_services.reserve_seats(
            hr_user=closed["b_hr"], company=closed["b"], offering_id=run.pk, seats=2
        )
    run.refresh_from_db()
    assert run.confirmed_count == 0 and run.reserved_count == 0


def test_team_and_reservation_of_the_company_are_at_the_agreed_price(closed):
    run = closed["run"]
    enrolment_services.enrol_team(
        hr_user=closed["a_hr"],
        company=closed["a"],
        offering_id=run.pk,
        learners=[closed["a_employee"]],
    )
    reservation = enrolment_services.reserve_seats(
        hr_user=closed["a_hr"], company=closed["a"], offering_id=run.pk, seats=2
    )
    assert Enrolment.objects.get(offering=run).price_excl_vat == AGREED
    assert reservation.price_excl_vat == AGREED
    named = enrolment_services.name_reserved_seats(
        hr_user=closed["a_hr"], reservation_id=reservation.pk, learners=[closed["a_hr"]]
    )
    assert named.confirmed == [closed["a_hr"]]
    named_enrolment = Enrolment.objects.get(offering=run, learner=closed["a_hr"])
    assert named_enrolment.price_excl_vat == AGREED


def test_the_hub_enrols_only_people_of_the_companies_in_a_closed_run(closed):
    run, staff = closed["run"], UserFactory(is_staff=True)
    for email in (closed["b_employee"].email, "nieuw@example.nl"):
        with pytest.raises(enrolment_services.EnrolmentRefused, match="besloten uitvoering"):
            enrolment_services.enrol_by_email(
                offering_id=run.pk, email=email, actor=staff, first_name="Nel", last_name="Bos"
            )
    assert not Enrolment.objects.filter(offering=run).exists()
    placed = enrolment_services.enrol_by_email(
        offering_id=run.pk, email=closed["a_employee"].email, actor=staff
    )
    assert placed.enrolment.company == closed["a"]
    assert placed.enrolment.price_excl_vat == AGREED


def test_portal_team_and_reserve_pages_are_404_for_another_company(client, closed):
    run = closed["run"]
    client.force_login(closed["b_hr"])
    for name in ("portal:team_enrol", "portal:reserve"):
        url = reverse(name, args=[closed["b"].slug, run.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"seats": 1, "step": "confirm"}).status_code == 404
    client.force_login(closed["a_hr"])
    for name in ("portal:team_enrol", "portal:reserve"):
        page = client.get(reverse(name, args=[closed["a"].slug, run.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "Besloten uitvoering voor Kampstaal" in content
        assert "800,00" in content


def test_portal_dashboard_lists_the_runs_for_the_company(client, closed):
    client.force_login(closed["a_hr"])
    content = client.get(reverse("portal:dashboard", args=[closed["a"].slug])).content.decode()
    assert "Uitvoeringen voor je bedrijf" in content
    assert reverse("portal:team_enrol", args=[closed["a"].slug, closed["run"].pk]) in content
    client.force_login(closed["b_hr"])
    content = client.get(reverse("portal:dashboard", args=[closed["b"].slug])).content.decode()
    assert "Uitvoeringen voor je bedrijf" not in content


def test_portal_dashboard_in_english(client, closed):
    closed["a_hr"].preferred_language = "en"
    closed["a_hr"].save()
    client.force_login(closed["a_hr"])
    with translation.override("en"):
        url = reverse("portal:dashboard", args=[closed["a"].slug])
    content = client.get(url).content.decode()
    assert "Runs for your company" in content


def test_announcing_a_closed_run_mails_only_its_companies_people(closed):
    run = closed["run"]
    course = closed["course"]
    a_interest = Interest.objects.create(course=course, learner=closed["a_employee"])
    b_interest = Interest.objects.create(course=course, learner=closed["b_employee"])
    b_hr_interest = Interest.objects.create(
        course=course, company=closed["b"], registered_by=closed["b_hr"], headcount=3
    )
    demand_services.announce_offering(offering_id=run.pk)
    told = set(
        Notification.objects.filter(template="offering_announced").values_list(
            "to_email", flat=True
        )
    )
    assert told == {closed["a_employee"].email}
    for interest, notified in ((a_interest, True), (b_interest, False), (b_hr_interest, False)):
        interest.refresh_from_db()
        assert (interest.notified_at is not None) is notified


def test_admin_run_list_marks_closed_runs_and_the_form_edits_them(client, closed):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:catalogue_offering_changelist")).content.decode()
    assert "besloten" in listing
    form = client.get(
        reverse("admin:catalogue_offering_change", args=[closed["run"].pk])
    ).content.decode()
    assert 'name="private_for"' in form
    assert 'name="agreed_price_excl_vat"' in form


def test_moving_into_a_closed_run_takes_only_its_companies_people_at_its_price(closed):
    public, run, staff = closed["public"], closed["run"], UserFactory(is_staff=True)
    own = enrolment_services.enrol_learner(learner=closed["a_employee"], offering_id=public.pk)
    outsider = enrolment_services.enrol_learner(learner=closed["b_employee"], offering_id=public.pk)
    with pytest.raises(enrolment_services.EnrolmentRefused, match="besloten uitvoering"):
        enrolment_services.move_enrolments(
            enrolment_ids=[own.pk, outsider.pk], to_offering_id=run.pk, actor=staff
        )
    assert not Enrolment.objects.filter(offering=run).exists()
    enrolment_services.move_enrolments(enrolment_ids=[own.pk], to_offering_id=run.pk, actor=staff)
    moved = Enrolment.objects.get(offering=run)
    assert (moved.learner, moved.company) == (closed["a_employee"], closed["a"])
    assert moved.price_excl_vat == AGREED


def test_a_copy_of_a_closed_run_is_closed_for_the_same_companies(closed):
    copy = enrolment_services.duplicate_offering(
        offering_id=closed["run"].pk, weeks=2, actor=UserFactory(is_staff=True)
    )
    assert list(copy.private_for.all()) == [closed["a"]]
    assert copy.agreed_price_excl_vat == AGREED


def test_closing_a_run_makes_the_cached_public_pages_stale(
    closed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        closed["public"].private_for.add(closed["b"])
    assert page_cache._new_generation in callbacks
