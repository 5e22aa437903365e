"""Demand meets supply: needs and interest, pooling on the board, announcing a new offering."""

from datetime import date, timedelta

import pytest
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.admin.offering_forms import OfferingWithNeedsForm
from catalogue.models import Offering
from companies.demand import services as demand
from companies.demand.board import BY_COURSE, Quarter, Threshold, pool_demand, summarise_demand
from companies.models import Interest, Membership, TrainingNeed
from enrolment import services as enrolment_services
from enrolment.models import Notification
from technohub.models import AuditLog
from technohub.templatetags.technohub import html_datetime
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    LocationFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    ThemeFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.races import race

TODAY = date(2027, 2, 10)  # first quarter of 2027


@pytest.fixture
def welding(db):
    theme = ThemeFactory(name="Lassen", slug="lassen")
    course = CourseFactory(title="MIG/MAG-lassen basis", slug="mig-mag-basis")
    course.themes.add(theme)
    return theme, course


@pytest.fixture
def emmeloord(db):
    return LocationFactory(name="Technohub Emmeloord", slug="emmeloord")


def hr_of(company):
    user = UserFactory()
    MembershipFactory(user=user, company=company, role=Membership.Role.HR)
    return user


def employee_of(company):
    user = UserFactory()
    MembershipFactory(user=user, company=company, role=Membership.Role.EMPLOYEE)
    return user


def need(company, theme, *, headcount, locations=(), start=None, course=None, **fields):
    created = demand.submit_need(
        company=company,
        submitted_by=fields.pop("submitted_by", None) or hr_of(company),
        title=fields.pop("title", "Lassers certificeren"),
        headcount=headcount,
        theme=theme,
        preferred_locations=list(locations),
        period_start=start,
        **fields,
    )
    if course is not None:
        created.course = course
        created.save()
    return created


def open_offering(course, location, *, capacity=12):
    """A concept offering of ``course`` with a meeting, published the way the admin does it."""
    offering = OfferingFactory(
        course=course, location=location, status=Offering.Status.CONCEPT, min_participants=1
    )
    MeetingFactory(offering=offering)
    offering.status = Offering.Status.OPEN
    offering.capacity = capacity
    offering.save()
    return offering


# --- Pooling ---------------------------------------------------------------------------------


def test_needs_and_interest_pool_by_theme_location_and_quarter(welding, emmeloord):
    theme, course = welding
    kampstaal, machinebouw = CompanyFactory(), CompanyFactory()
    need(kampstaal, theme, headcount=4, locations=[emmeloord])
    demand.register_company_interest(
        company=machinebouw,
        registered_by=hr_of(machinebouw),
        course=course,
        location=emmeloord,
        headcount=3,
    )
    demand.register_interest(learner=employee_of(machinebouw), course=course, location=emmeloord)
    # Elsewhere, or later: other groups.
    need(kampstaal, theme, headcount=2, locations=[LocationFactory()])
    need(kampstaal, theme, headcount=5, locations=[emmeloord], start=date(2027, 8, 1))

    board = pool_demand(today=TODAY)

    first = board.groups[0]
    assert (first.subject, first.location, first.quarter) == (theme, emmeloord, Quarter(2027, 1))
    assert (first.people, first.company_count, first.learners) == (8, 2, 1)
    assert first.ready
    assert board.ready_count == 1
    assert sorted((g.people, str(g.quarter)) for g in board.groups[1:]) == [
        (2, "1e kwartaal 2027"),
        (5, "3e kwartaal 2027"),
    ]


def test_a_group_needs_enough_people_and_enough_companies(welding, emmeloord):
    theme, _course = welding
    kampstaal = CompanyFactory()
    need(kampstaal, theme, headcount=12, locations=[emmeloord])

    [group] = pool_demand(today=TODAY).groups
    assert (group.people, group.company_count, group.ready) == (12, 1, False)

    need(CompanyFactory(), theme, headcount=1, locations=[emmeloord])
    [group] = pool_demand(today=TODAY).groups
    assert group.ready
    [group] = pool_demand(today=TODAY, threshold=Threshold(people=14, companies=2)).groups
    assert not group.ready


def test_the_threshold_comes_from_the_settings(settings, welding, emmeloord):
    settings.DEMAND_READY_PEOPLE, settings.DEMAND_READY_COMPANIES = 3, 1
    need(CompanyFactory(), welding[0], headcount=3, locations=[emmeloord])
    assert pool_demand(today=TODAY).groups[0].ready


def test_a_need_counts_in_every_place_it_accepts_and_the_past_rolls_into_this_quarter(welding):
    theme, _course = welding
    hub, online = LocationFactory(), LocationFactory(kind="online")
    need(CompanyFactory(), theme, headcount=3, locations=[hub, online], start=date(2026, 5, 1))
    need(CompanyFactory(), theme, headcount=2, start=date(2027, 8, 1))  # any place, later

    groups = {(g.location, g.quarter): g.people for g in pool_demand(today=TODAY).groups}

    assert groups == {
        (hub, Quarter(2027, 1)): 3,
        (online, Quarter(2027, 1)): 3,
        (None, Quarter(2027, 3)): 2,  # nobody named a place for then: a group of its own
    }


def test_by_course_pools_interest_and_needs_for_that_course(welding, emmeloord):
    theme, course = welding
    need(CompanyFactory(), theme, headcount=4, locations=[emmeloord], course=course)
    need(CompanyFactory(), theme, headcount=3, title="Nog zonder cursus")
    demand.register_interest(learner=UserFactory(), course=course, location=emmeloord)

    board = pool_demand(by=BY_COURSE, today=TODAY)

    [group] = board.groups
    assert (group.subject, group.people, group.course) == (course, 5, course)
    assert [n.title for n in board.unpooled_needs] == ["Nog zonder cursus"]
    assert f"course={course.pk}" in group.schedule_url
    assert f"location={emmeloord.pk}" in group.schedule_url


def test_planned_and_linked_needs_and_announced_interest_are_not_pooled(welding, emmeloord):
    theme, course = welding
    company = CompanyFactory()
    need(company, theme, headcount=4, locations=[emmeloord])
    learner = employee_of(company)
    demand.register_interest(learner=learner, course=course, location=emmeloord)
    open_offering(course, emmeloord)
    demand.announce_offering(offering_id=Offering.objects.get().pk)

    assert pool_demand(today=TODAY).groups == []
    assert summarise_demand() == []


def test_the_public_summary_counts_per_theme_without_names(welding, emmeloord, client):
    theme, course = welding
    kampstaal = CompanyFactory(name="Kampstaal Geheim BV")
    need(kampstaal, theme, headcount=4, locations=[emmeloord])
    demand.register_interest(learner=UserFactory(), course=course, location=None)

    [row] = summarise_demand()
    assert (row.theme, row.people, row.companies) == (theme, 5, 1)

    page = client.get(reverse("demand:summary"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lassen" in html
    assert "Kampstaal" not in html
    assert "Lassers certificeren" not in html


# --- Asking -----------------------------------------------------------------------------------


def test_hr_submits_a_need_and_sees_it_with_its_status(welding, emmeloord, client):
    theme, _course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    client.force_login(hr)
    url = reverse("demand:new_need", args=[company.slug])

    response = client.post(
        url,
        {
            "theme": theme.pk,
            "title": "PLC voor monteurs",
            "description": "Storingen zoeken",
            "headcount": 6,
            "preferred_locations": [emmeloord.pk],
            "period_start": "2027-03-01",
            "period_end": "2027-06-30",
            "urgency": "high",
        },
        follow=True,
    )

    saved = TrainingNeed.objects.get()
    assert (saved.company, saved.submitted_by, saved.status) == (company, hr, "new")
    assert list(saved.preferred_locations.all()) == [emmeloord]
    html = response.content.decode()
    assert "PLC voor monteurs" in html
    assert "nieuw" in html


def test_a_need_with_bad_input_changes_nothing_and_says_why(welding, client):
    company = CompanyFactory()
    client.force_login(hr_of(company))

    response = client.post(
        reverse("demand:new_need", args=[company.slug]),
        {
            "title": "",
            "headcount": 0,
            "period_start": "2027-06-01",
            "period_end": "2027-03-01",
            "urgency": "normal",
        },
    )

    errors = response.context["form"].errors
    assert set(errors) == {"title", "headcount", "period_end"}
    assert TrainingNeed.objects.count() == 0


def test_hr_sees_only_its_own_needs(welding, client):
    theme, _course = welding
    ours, theirs = CompanyFactory(), CompanyFactory()
    need(ours, theme, headcount=2, title="Onze behoefte")
    need(theirs, theme, headcount=2, title="Hun behoefte")
    client.force_login(hr_of(ours))

    html = client.get(reverse("demand:needs", args=[ours.slug])).content.decode()

    assert "Onze behoefte" in html
    assert "Hun behoefte" not in html
    assert client.get(reverse("demand:needs", args=[theirs.slug])).status_code == 404


def test_hr_registers_interest_for_unnamed_employees_and_can_change_the_number(welding, client):
    _theme, course = welding
    company = CompanyFactory()
    client.force_login(hr_of(company))
    url = reverse("demand:company_interest", args=[company.slug])

    page = client.get(url, {"cursus": course.slug})
    assert page.context["form"].initial["course"] == course
    client.post(url, {"course": course.pk, "headcount": 4})
    client.post(url, {"course": course.pk, "headcount": 6})

    interest = Interest.objects.get()
    assert (interest.company, interest.learner, interest.headcount) == (company, None, 6)


def test_a_learner_asks_to_be_kept_posted_once_and_can_stop(welding, emmeloord, client):
    _theme, course = welding
    learner = UserFactory()
    client.force_login(learner)
    url = reverse("demand:register_interest", args=[course.slug])

    client.post(url, {"location": emmeloord.pk})
    response = client.post(url, {"location": emmeloord.pk}, follow=True)

    assert Interest.objects.filter(learner=learner).count() == 1
    assert "Je staat op de lijst" in response.content.decode()
    client.post(reverse("demand:withdraw_interest", args=[course.slug]))
    assert not Interest.objects.exists()


def test_my_courses_lists_what_i_wait_for_and_stopping_returns_there(welding, client):
    _theme, course = welding
    learner = UserFactory()
    demand.register_interest(learner=learner, course=course, location=None)
    someone_elses = CourseFactory(title="Drones voor gewasmonitoring")
    demand.register_interest(learner=UserFactory(), course=someone_elses, location=None)
    client.force_login(learner)
    my_courses = reverse("enrolment:my_courses")
    html = client.get(my_courses).content.decode()
    assert course.title in html
    assert someone_elses.title not in html

    response = client.post(
        reverse("demand:withdraw_interest", args=[course.slug]), {"next": my_courses}
    )
    assert response["Location"] == my_courses
    assert not Interest.objects.filter(learner=learner).exists()
    elsewhere = client.post(
        reverse("demand:withdraw_interest", args=[course.slug]), {"next": "https://example.com/"}
    )
    assert elsewhere["Location"].startswith(reverse("catalogue:course_detail", args=[course.slug]))


def test_keep_me_posted_shows_on_a_course_without_offerings_and_on_a_full_offering(welding, client):
    _theme, course = welding
    page = client.get(reverse("catalogue:course_detail", args=[course.slug]))
    assert page.context["offer_interest"]
    assert "Log in om op de hoogte te blijven" in page.content.decode()

    offering = open_offering(course, LocationFactory(), capacity=1)
    page = client.get(reverse("catalogue:course_detail", args=[course.slug]))
    assert not page.context["offer_interest"]

    enrolment_services.enrol_learner(learner=UserFactory(), offering_id=offering.pk)
    page = client.get(reverse("catalogue:course_detail", args=[course.slug]))
    assert page.context["offer_interest"]


def test_anonymous_visitors_cannot_register_interest(welding, client):
    response = client.post(reverse("demand:register_interest", args=[welding[1].slug]))
    assert response.status_code == 302
    assert not Interest.objects.exists()


# --- Announcing an offering ---------------------------------------------------------------------


def test_publishing_a_offering_mails_everyone_who_asked_once(welding, emmeloord):
    theme, course = welding
    kampstaal, machinebouw = CompanyFactory(), CompanyFactory()
    kampstaal_hr = hr_of(kampstaal)
    theme_need = need(
        kampstaal, theme, headcount=4, locations=[emmeloord], submitted_by=kampstaal_hr
    )
    demand.register_company_interest(
        company=kampstaal, registered_by=kampstaal_hr, course=course, location=None, headcount=2
    )
    learner = employee_of(machinebouw)
    demand.register_interest(learner=learner, course=course, location=emmeloord)
    elsewhere = demand.register_interest(
        learner=UserFactory(), course=course, location=LocationFactory()
    )

    offering = open_offering(course, emmeloord)
    announced = demand.announce_offering(offering_id=offering.pk)
    again = demand.announce_offering(offering_id=offering.pk)

    mails = Notification.objects.filter(template="offering_announced")
    assert sorted(mails.values_list("to_email", flat=True)) == sorted(
        [kampstaal_hr.email, learner.email]
    )
    assert (announced, again) == (2, 0)
    hr_mail = mails.get(to_email=kampstaal_hr.email)
    assert len(hr_mail.context["asked_for"]) == 2  # the need and the interest, in one mail
    assert hr_mail.context["team_links"][0]["company"] == kampstaal.name
    assert hr_mail.context["enrol_url"].endswith(reverse("enrolment:enrol", args=[offering.pk]))
    theme_need.refresh_from_db()
    assert (theme_need.status, theme_need.offering, theme_need.course) == (
        "planned",
        offering,
        course,
    )
    elsewhere.refresh_from_db()
    assert elsewhere.notified_at is None


def test_a_learner_already_in_the_offering_gets_no_announcement(welding, emmeloord):
    _theme, course = welding
    learner = UserFactory()
    demand.register_interest(learner=learner, course=course, location=None)
    offering = open_offering(course, emmeloord)
    enrolment_services.enrol_learner(learner=learner, offering_id=offering.pk)

    demand.announce_offering(offering_id=offering.pk)

    assert not Notification.objects.filter(template="offering_announced").exists()
    assert Interest.objects.get().notified_at is not None


def test_a_concept_offering_announces_nothing(welding, emmeloord):
    _theme, course = welding
    demand.register_interest(learner=UserFactory(), course=course, location=None)
    offering = OfferingFactory(course=course, location=emmeloord, status=Offering.Status.CONCEPT)

    assert demand.announce_offering(offering_id=offering.pk) == 0
    assert Interest.objects.get().notified_at is None


def test_scheduling_from_the_board_links_the_needs_and_opening_the_offering_mails(
    welding, emmeloord, client
):
    theme, course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    first = need(company, theme, headcount=4, locations=[emmeloord], submitted_by=hr)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    board = pool_demand(today=TODAY)
    assert f"training_needs={first.pk}" in board.groups[0].schedule_url

    form = client.get(board.groups[0].schedule_url).context["adminform"].form
    assert [str(pk) for pk in form.initial["training_needs"]] == [str(first.pk)]
    assert form.initial["location"] == str(emmeloord.pk)

    data = {
        "course": course.pk,
        "location": emmeloord.pk,
        "status": Offering.Status.CONCEPT,
        "capacity": 12,
        "min_participants": 4,
        "training_needs": [first.pk],
        "meetings-TOTAL_FORMS": 0,
        "meetings-INITIAL_FORMS": 0,
        "enrolments-TOTAL_FORMS": 0,
        "enrolments-INITIAL_FORMS": 0,
    }
    assert client.post(reverse("admin:catalogue_offering_add"), data).status_code == 302
    offering = Offering.objects.get()
    first.refresh_from_db()
    assert (first.offering, first.status) == (offering, "in_progress")
    assert not Notification.objects.filter(template="offering_announced").exists()

    # An open run has a meeting.
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    data.update(
        {
            "status": Offering.Status.OPEN,
            "meetings-TOTAL_FORMS": 1,
            "meetings-0-date": day,
            "meetings-0-start_time": "09:00",
            "meetings-0-end_time": "16:00",
        }
    )
    change = reverse("admin:catalogue_offering_change", args=[offering.pk])
    response = client.post(change, data, follow=True)

    assert "1 persoon die om deze cursus vroeg" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "planned"
    assert Notification.objects.get(template="offering_announced").to_email == hr.email


def test_linking_a_need_to_an_open_offering_plans_it_and_tells_hr(welding, emmeloord, client):
    theme, course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    offering = open_offering(course, LocationFactory())  # elsewhere: the need is not met by itself
    wanted = need(company, theme, headcount=3, locations=[emmeloord], submitted_by=hr)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    client.post(
        reverse("admin:catalogue_offering_change", args=[offering.pk]),
        {
            "course": course.pk,
            "location": offering.location_id,
            "capacity": offering.capacity,
            "min_participants": 1,
            "training_needs": [wanted.pk],
            "meetings-TOTAL_FORMS": 0,
            "meetings-INITIAL_FORMS": 0,
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
        },
    )

    wanted.refresh_from_db()
    assert (wanted.offering, wanted.status) == (offering, "planned")
    assert Notification.objects.get(template="offering_announced").to_email == hr.email


# --- Pages ------------------------------------------------------------------------------------


def test_the_board_is_for_staff_only(db, client):
    url = reverse("backoffice:demand_board")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


def _more_demand(theme, course, location, n):
    for _ in range(n):
        company = CompanyFactory()
        need(company, theme, headcount=2, locations=[location, LocationFactory()])
        demand.register_interest(learner=employee_of(company), course=course, location=location)


@pytest.mark.parametrize(
    "url_name, args, as_staff",
    [
        ("backoffice:demand_board", [], True),
        ("demand:summary", [], False),
        ("demand:needs", ["company"], False),
    ],
)
def test_demand_pages_read_in_constant_queries(
    welding, emmeloord, client, url_name, args, as_staff
):
    theme, course = welding
    company = CompanyFactory(slug="company")
    client.force_login(UserFactory(is_superuser=True) if as_staff else hr_of(company))
    url = reverse(url_name, args=args)
    need(company, theme, headcount=2, locations=[emmeloord])
    _more_demand(theme, course, emmeloord, 1)
    few = page_queries(client, url)

    _more_demand(theme, course, emmeloord, 4)
    for _ in range(3):
        need(company, theme, headcount=1, locations=[emmeloord, LocationFactory()])

    assert page_queries(client, url) == few


def test_the_board_can_be_read_in_english(welding, emmeloord, client):
    need(CompanyFactory(), welding[0], headcount=3, locations=[emmeloord], start=TODAY)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with translation.override("en"):
        url = reverse("backoffice:demand_board")
    html = client.get(url).content.decode()
    assert "Demand board" in html


# --- "Elke locatie" on the board ----------------------------------------------------------------


def test_any_location_demand_makes_a_group_at_a_named_place_ready(welding, emmeloord):
    """The issue's case: 11 people of 2 companies want welding, some at Emmeloord, some anywhere."""
    theme, course = welding
    kampstaal, suplacon = CompanyFactory(), CompanyFactory()
    need(kampstaal, theme, headcount=4, locations=[emmeloord])
    need(suplacon, theme, headcount=5)  # any location
    demand.register_company_interest(
        company=suplacon, registered_by=hr_of(suplacon), course=course, location=None, headcount=2
    )

    board = pool_demand(today=TODAY, threshold=Threshold(people=8, companies=2))

    [group] = board.groups  # no separate "elke locatie" group beside Emmeloord's
    assert group.location == emmeloord
    assert (group.people, group.company_count, group.any_location_people) == (11, 2, 7)
    assert group.ready
    assert [(n.headcount, any_location) for n, any_location in group.need_rows] == [
        (4, False),
        (5, True),
    ]
    # Scheduling from the group links every need it counted, the "anywhere" ones too.
    assert all(f"{n.pk}" in group.schedule_url for n in group.needs)


def test_any_location_counts_at_every_named_place_but_never_twice_in_one_group(welding, emmeloord):
    theme, course = welding
    dronten = LocationFactory(name="Agri Innovatiecenter")
    kampstaal, suplacon = CompanyFactory(), CompanyFactory()
    need(kampstaal, theme, headcount=3, locations=[emmeloord, dronten])
    anywhere = need(suplacon, theme, headcount=5)
    learner = employee_of(suplacon)
    # The same learner asks for Emmeloord and for any place; the same company twice as well.
    demand.register_interest(learner=learner, course=course, location=emmeloord)
    demand.register_interest(learner=learner, course=course, location=None)
    hr = hr_of(kampstaal)
    for location, headcount in ((emmeloord, 2), (None, 4)):
        demand.register_company_interest(
            company=kampstaal,
            registered_by=hr,
            course=course,
            location=location,
            headcount=headcount,
        )

    groups = {g.location: g for g in pool_demand(today=TODAY).groups}

    assert set(groups) == {emmeloord, dronten}
    # Emmeloord: need 3 + need 5 + the learner once + Kampstaal's interest once (its larger 4).
    assert (groups[emmeloord].people, groups[emmeloord].any_location_people) == (13, 7)
    assert groups[emmeloord].learners == 1
    # Dronten: need 3 + need 5 + the learner (any place) + Kampstaal's 4 (any place).
    assert (groups[dronten].people, groups[dronten].any_location_people) == (13, 10)
    assert [n.pk for n in groups[dronten].needs].count(anywhere.pk) == 1


def test_the_board_says_which_part_is_any_location(welding, emmeloord, client):
    theme, _course = welding
    need(CompanyFactory(), theme, headcount=4, locations=[emmeloord])
    need(CompanyFactory(), theme, headcount=5)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(reverse("backoffice:demand_board")).content.decode()
    assert "9 mensen" in html
    assert "waarvan 5 voor elke locatie" in html
    with translation.override("en"):
        url = reverse("backoffice:demand_board")
    assert "of whom 5 for any location" in client.get(url).content.decode()


# --- Editing and withdrawing a need -------------------------------------------------------------


def test_hr_edits_an_open_need_in_the_same_form_filled_in(welding, emmeloord, client):
    theme, _course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    wanted = need(company, theme, headcount=3, locations=[emmeloord], submitted_by=hr)
    client.force_login(hr)
    url = reverse("demand:edit_need", args=[company.slug, wanted.pk])

    form = client.get(url).context["form"]
    assert form["title"].value() == "Lassers certificeren"
    assert form["headcount"].value() == 3
    response = client.post(
        url,
        {"theme": theme.pk, "title": "Lassers en plaatwerkers", "headcount": 6, "urgency": "high"},
    )

    assert response["Location"] == reverse("demand:needs", args=[company.slug])
    wanted.refresh_from_db()
    assert (wanted.title, wanted.headcount) == ("Lassers en plaatwerkers", 6)
    assert wanted.urgency == "high"
    assert list(wanted.preferred_locations.all()) == []  # now any location
    assert AuditLog.objects.filter(action="need.changed", object_id=wanted.pk).exists()
    [group] = pool_demand(today=TODAY).groups
    assert (group.location, group.people) == (None, 6)


def test_an_edit_with_bad_input_changes_nothing_and_says_why(welding, client):
    company = CompanyFactory()
    hr = hr_of(company)
    wanted = need(company, welding[0], headcount=3, submitted_by=hr)
    client.force_login(hr)

    response = client.post(
        reverse("demand:edit_need", args=[company.slug, wanted.pk]),
        {"title": "x" * 201, "headcount": 0, "urgency": "normal"},
    )

    assert set(response.context["form"].errors) == {"title", "headcount"}
    wanted.refresh_from_db()
    assert (wanted.title, wanted.headcount) == ("Lassers certificeren", 3)


def test_a_planned_need_cannot_be_edited(welding, emmeloord, client):
    theme, course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    wanted = need(company, theme, headcount=3, locations=[emmeloord], submitted_by=hr)
    demand.announce_offering(offering_id=open_offering(course, emmeloord).pk)
    client.force_login(hr)
    url = reverse("demand:edit_need", args=[company.slug, wanted.pk])

    page = client.get(url, follow=True)
    assert page.redirect_chain[-1][0] == reverse("demand:needs", args=[company.slug])
    assert "kan niet meer gewijzigd worden" in page.content.decode()
    client.post(url, {"theme": theme.pk, "title": "Anders", "headcount": 9, "urgency": "normal"})
    wanted.refresh_from_db()
    assert (wanted.title, wanted.headcount, wanted.status) == ("Lassers certificeren", 3, "planned")
    with pytest.raises(demand.NeedNotChangeable):
        demand.update_need(
            company=company, need_id=wanted.pk, actor=hr, title="Anders", headcount=9
        )


def test_withdrawing_asks_first_then_takes_the_need_off_the_board_and_summary(
    welding, emmeloord, client
):
    theme, _course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    wanted = need(company, theme, headcount=4, locations=[emmeloord], submitted_by=hr)
    client.force_login(hr)
    url = reverse("demand:withdraw_need", args=[company.slug, wanted.pk])

    confirm = client.get(url)
    assert "Lassers certificeren" in confirm.content.decode()
    wanted.refresh_from_db()
    assert wanted.status == "new"  # asking changed nothing

    response = client.post(url, follow=True)

    wanted.refresh_from_db()
    assert wanted.status == "withdrawn"
    assert "ingetrokken" in response.content.decode()
    row = AuditLog.objects.get(action="need.withdrawn", object_id=wanted.pk)
    assert (row.actor, row.data["previous"]) == (hr, "new")
    assert pool_demand(today=TODAY).groups == []
    assert summarise_demand() == []
    # A withdrawn need is settled: no second withdrawal, no edit.
    assert client.post(url)["Location"] == reverse("demand:needs", args=[company.slug])
    with pytest.raises(demand.NeedNotChangeable):
        demand.withdraw_need(company=company, need_id=wanted.pk, actor=hr)
    edit = reverse("demand:edit_need", args=[company.slug, wanted.pk])
    assert client.get(edit)["Location"] == reverse("demand:needs", args=[company.slug])


def test_a_planned_need_can_be_withdrawn_and_is_not_announced_again(welding, emmeloord):
    theme, course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    wanted = need(company, theme, headcount=3, locations=[emmeloord], submitted_by=hr)
    offering = open_offering(course, emmeloord)
    demand.announce_offering(offering_id=offering.pk)

    demand.withdraw_need(company=company, need_id=wanted.pk, actor=hr)

    wanted.refresh_from_db()
    assert (wanted.status, wanted.offering) == ("withdrawn", offering)
    assert demand.announce_offering(offering_id=open_offering(course, emmeloord).pk) == 0


def test_the_admin_neither_offers_nor_shows_a_withdrawn_need_for_an_offering(welding, emmeloord):
    theme, course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    planned = need(company, theme, headcount=3, locations=[emmeloord], submitted_by=hr)
    offering = open_offering(course, emmeloord)
    demand.announce_offering(offering_id=offering.pk)
    kept = need(CompanyFactory(), theme, headcount=2, title="Nog open")
    withdrawn = need(company, theme, headcount=2, title="Toch niet")
    demand.withdraw_need(company=company, need_id=planned.pk, actor=hr)
    demand.withdraw_need(company=company, need_id=withdrawn.pk, actor=hr)

    form_class = modelform_factory(Offering, form=OfferingWithNeedsForm, fields=["course"])
    form = form_class(instance=offering)

    assert list(form.fields["training_needs"].queryset) == [kept]
    assert form.initial["training_needs"] == []


def test_another_companys_hr_cannot_edit_or_withdraw(welding):
    ours, theirs = CompanyFactory(), CompanyFactory()
    wanted = need(ours, welding[0], headcount=2)
    with pytest.raises(TrainingNeed.DoesNotExist):
        demand.withdraw_need(company=theirs, need_id=wanted.pk, actor=hr_of(theirs))
    with pytest.raises(TrainingNeed.DoesNotExist):
        demand.update_need(
            company=theirs, need_id=wanted.pk, actor=hr_of(theirs), title="x", headcount=1
        )
    wanted.refresh_from_db()
    assert wanted.status == "new"


def test_withdrawing_is_asked_on_a_page_and_done_by_post_only(welding, client):
    company = CompanyFactory()
    hr = hr_of(company)
    wanted = need(company, welding[0], headcount=2, submitted_by=hr)
    client.force_login(hr)
    url = reverse("demand:withdraw_need", args=[company.slug, wanted.pk])
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    wanted.refresh_from_db()
    assert wanted.status == "new"


# --- A planned need and its run -----------------------------------------------------------------


def test_a_planned_need_shows_its_run_and_a_button_to_enrol_the_team(welding, emmeloord, client):
    theme, course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    need(company, theme, headcount=3, locations=[emmeloord], submitted_by=hr, title="Lassers")
    offering = open_offering(course, emmeloord)
    demand.announce_offering(offering_id=offering.pk)
    client.force_login(hr)

    page = client.get(reverse("demand:needs", args=[company.slug]))

    html = page.content.decode()
    team_url = reverse("portal:team_enrol", args=[company.slug, offering.pk])
    assert "MIG/MAG-lassen basis" in html
    assert "Technohub Emmeloord" in html
    first = offering.meetings.get().starts_at
    assert f'datetime="{html_datetime(first)}"' in html
    assert f'href="{team_url}"' in html
    assert "Schrijf je team in" in html
    assert client.get(team_url).status_code == 200
    # Planned: no more editing, but withdrawing is still possible.
    [listed] = page.context["needs"]
    assert (listed.editable, listed.withdrawable) == (False, True)

    offering.status = Offering.Status.CANCELLED
    offering.save(update_fields=["status"])
    html = client.get(reverse("demand:needs", args=[company.slug])).content.decode()
    assert f'href="{team_url}"' not in html


def test_the_needs_page_reads_in_english(welding, emmeloord, client):
    theme, course = welding
    company = CompanyFactory()
    hr = hr_of(company)
    need(company, theme, headcount=3, locations=[emmeloord], submitted_by=hr)
    need(company, ThemeFactory(), headcount=2, submitted_by=hr, title="Later")  # still open
    demand.announce_offering(offering_id=open_offering(course, emmeloord).pk)
    client.force_login(hr)
    with translation.override("en"):
        html = client.get(reverse("demand:needs", args=[company.slug])).content.decode()
        later = TrainingNeed.objects.get(title="Later")
        edit = client.get(reverse("demand:edit_need", args=[company.slug, later.pk]))
        withdraw = client.get(reverse("demand:withdraw_need", args=[company.slug, later.pk]))
    assert "Enrol your team" in html
    assert "Withdraw" in html
    assert "Edit" in html
    assert "Schrijf" not in html
    assert "Change training need" in edit.content.decode()
    assert "Withdraw “Later”" in withdraw.content.decode()


def test_the_needs_page_with_planned_needs_reads_in_constant_queries(welding, emmeloord, client):
    theme, course = welding
    company = CompanyFactory(slug="company")
    hr = hr_of(company)
    client.force_login(hr)
    url = reverse("demand:needs", args=[company.slug])

    def planned_need():
        need(company, theme, headcount=2, locations=[emmeloord], submitted_by=hr)
        demand.announce_offering(offering_id=open_offering(course, emmeloord).pk)

    planned_need()
    few = page_queries(client, url)
    for _ in range(4):
        planned_need()
    assert page_queries(client, url) == few


def _race_an_edit_against_the_announcement(theme, course, location):
    company = CompanyFactory()
    hr = hr_of(company)
    wanted = need(company, theme, headcount=3, locations=[location], submitted_by=hr)
    offering = open_offering(course, location)

    announced, edited = race(
        [
            lambda: demand.announce_offering(offering_id=offering.pk),
            lambda: demand.update_need(
                company=company,
                need_id=wanted.pk,
                actor=hr,
                title="Lassers",
                headcount=9,
                preferred_locations=[location],
                theme=theme,
            ),
        ]
    )

    wanted.refresh_from_db()
    assert announced == 1
    assert wanted.status == "planned"
    if isinstance(edited, demand.NeedNotChangeable):
        assert wanted.headcount == 3
    else:
        assert edited.pk == wanted.pk and wanted.headcount == 9
    # The mail names the number the need holds, never one the other click changed.
    mail = Notification.objects.get(template="offering_announced", to_email=hr.email)
    assert f"({wanted.headcount} " in " ".join(mail.context["asked_for"])


@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_the_announcement_is_either_in_the_mail_or_refused():
    theme = ThemeFactory(name="Lassen", slug="lassen")
    course = CourseFactory(title="MIG/MAG-lassen basis", slug="mig-mag-basis")
    course.themes.add(theme)
    emmeloord = LocationFactory()
    for _attempt in range(3):
        _race_an_edit_against_the_announcement(theme, course, emmeloord)
