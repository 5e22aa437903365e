"""Every staff page outside the admin, for every staff role: exactly who gets in."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from catalogue.selectors import offerings_for_staff
from companies.models import FundingScheme, Offer, Proposal, StaffPermission, TrainingNeed
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    OfferingFactory,
    ProviderFactory,
    SchoolRequestFactory,
    ThemeFactory,
    UserFactory,
)

ROLES = ("no_permission", "alleen_lezen", "opleider_a", "programmamanager")
GROUP_OF = {
    "alleen_lezen": "Alleen lezen",
    "opleider_a": "Opleider",
    "programmamanager": "Programmamanager",
}


@pytest.fixture
def world(db):
    """Providers A and B each with an offering that ended yesterday, a company, and the staff
    roles."""
    provider_a, provider_b = ProviderFactory(), ProviderFactory()
    yesterday = timezone.now() - timedelta(days=1)
    offerings, meetings = {}, {}
    for name, provider in (("a", provider_a), ("b", provider_b)):
        offerings[name] = OfferingFactory(course=CourseFactory(provider=provider))
        meetings[name] = MeetingFactory(
            offering=offerings[name], starts_at=yesterday, ends_at=yesterday + timedelta(hours=3)
        )
    users = {"no_permission": UserFactory(is_staff=True)}
    for role, group in GROUP_OF.items():
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        users[role] = user
    users["opleider_a"].provider = provider_a
    users["opleider_a"].save(update_fields=["provider"])
    company = CompanyFactory()
    # A proposal addressed to provider B only, with B's offer on it.
    proposal = Proposal.objects.create(origin="demand", title="Hydrauliek", expected_headcount=6)
    proposal.providers.add(provider_b)
    offer = Offer.objects.create(
        proposal=proposal,
        provider=provider_b,
        price_excl_vat=400,
        min_participants=4,
        max_participants=10,
        hours=14,
    )
    offer.locations.add(offerings["b"].location)
    return {
        "offerings": offerings,
        "meetings": meetings,
        "users": users,
        "company": company,
        "need": TrainingNeed.objects.create(company=company, title="Lassen", headcount=2),
        "proposal": proposal,
        "offer": offer,
        # A teacher's request for a school visit: the teacher's own, no staff role sees it.
        "school_request": SchoolRequestFactory(),
    }


# Each staff URL of offering B / the company, and the expected status per role, in ROLES order.
MATRIX = {
    "today": (lambda w: reverse("backoffice:today"), (403, 200, 403, 200)),
    "dashboard": (lambda w: reverse("backoffice:dashboard"), (403, 200, 403, 200)),
    "demand_board": (lambda w: reverse("backoffice:demand_board"), (403, 200, 403, 200)),
    "processing_register": (
        lambda w: reverse("backoffice:processing_register"),
        (403, 403, 403, 200),
    ),
    "funding_report": (lambda w: reverse("backoffice:funding_report"), (403, 403, 403, 200)),
    "school_report": (lambda w: reverse("backoffice:school_report"), (403, 403, 403, 200)),
    "funding_report_download": (
        lambda w: (
            reverse("backoffice:funding_report")
            + f"?company={w['company'].pk}&start=2026-01-01&end=2026-12-31&format=csv"
        ),
        (403, 403, 403, 200),
    ),
    "transfer_results": (lambda w: reverse("backoffice:transfer_results"), (403, 403, 403, 200)),
    "attendance_index": (lambda w: reverse("backoffice:attendance_index"), (403, 403, 200, 200)),
    "attendance_of_other_provider": (
        lambda w: reverse("backoffice:attendance", args=[w["meetings"]["b"].pk]),
        (403, 403, 404, 200),
    ),
    "complete_offering_of_other_provider": (
        lambda w: reverse("backoffice:complete_offering", args=[w["offerings"]["b"].pk]),
        (403, 403, 404, 200),
    ),
    # A college's own pages (provider B's): its own staff only, or whoever manages them all.
    "college_start": (lambda w: reverse("college:start"), (403, 403, 302, 200)),
    **{
        f"{name}_of_other_provider": (
            lambda w, name=name: reverse(name, args=[w["offerings"]["b"].course.provider.slug]),
            (403, 403, 404, 200),
        )
        for name in ("college:overview", "college:new_course")
    },
    **{
        f"{name}_of_other_provider": (
            lambda w, name=name: reverse(
                name, args=[w["offerings"]["b"].course.provider.slug, w["offerings"]["b"].pk]
            ),
            (403, 403, 404, 200),
        )
        for name in ("college:offering", "college:message")
    },
    "college:edit_course_of_other_provider": (
        lambda w: reverse(
            "college:edit_course",
            args=[w["offerings"]["b"].course.provider.slug, w["offerings"]["b"].course.pk],
        ),
        (403, 403, 404, 200),
    ),
    "college:new_offering_of_other_provider": (
        lambda w: (
            reverse("college:new_offering", args=[w["offerings"]["b"].course.provider.slug])
            + f"?course={w['offerings']['b'].course.pk}"
        ),
        (403, 403, 404, 200),
    ),
    "evaluations": (lambda w: reverse("backoffice:evaluations"), (403, 403, 403, 200)),
    "evaluations_of_other_provider": (
        lambda w: reverse(
            "evaluation:provider_results", args=[w["offerings"]["b"].course.provider.slug]
        ),
        (403, 403, 404, 200),
    ),
    # The school planning: its holders only (the coordinator's group: see the test below).
    "school_planning": (lambda w: reverse("backoffice:school_planning"), (403, 403, 403, 200)),
    "school_request": (
        lambda w: reverse("backoffice:school_request", args=[w["school_request"].pk]),
        (403, 403, 403, 200),
    ),
    **{
        name: (
            lambda w, name=name: reverse(name, args=[w["school_request"].pk]),
            (403, 403, 403, 405),  # POST only
        )
        for name in ("backoffice:school_allocate", "backoffice:school_cancel")
    },
    "company_choose": (lambda w: reverse("portal:choose"), (404, 404, 404, 302)),
    "proposals": (lambda w: reverse("proposals:list"), (403, 403, 200, 200)),
    "new_proposal": (lambda w: reverse("proposals:new"), (403, 403, 200, 200)),
    "proposal_to_other_provider": (
        lambda w: reverse("proposals:detail", args=[w["proposal"].pk]),
        (403, 403, 404, 200),
    ),
    "close_proposal": (
        lambda w: reverse("proposals:close", args=[w["proposal"].pk]),
        (403, 403, 403, 200),
    ),
    # Offers are a college's own: a proposal addressed to another college does not exist for
    # it; the programme manager works for no college and accepts instead.
    "offer_on_proposal_for_other_provider": (
        lambda w: reverse("proposals:offer", args=[w["proposal"].pk]),
        (403, 403, 404, 403),
    ),
    "withdraw_offer_on_proposal_for_other_provider": (
        lambda w: reverse("proposals:withdraw_offer", args=[w["proposal"].pk]),
        (403, 403, 404, 403),
    ),
    "accept_offer": (
        lambda w: reverse("proposals:accept", args=[w["proposal"].pk, w["offer"].pk]),
        (403, 403, 403, 200),
    ),
    **{
        name: (
            lambda w, name=name: reverse(name, args=[w["company"].slug]),
            (403, 403, 403, 200),
        )
        for name in (
            "portal:dashboard",
            "portal:roster",
            "portal:requests",
            "portal:reservations",
            "demand:needs",
            "portal:export_csv",
            "portal:export_xlsx",
            "portal:approval_rule",
            "portal:transfer_checks",
            "portal:funding",
            "portal:qualifications",
            "portal:qualifications_export",
            "portal:add_qualification",
        )
    },
    **{
        name: (
            lambda w, name=name: reverse(name, args=[w["company"].slug, w["need"].pk]),
            (403, 403, 403, 200),
        )
        for name in ("demand:edit_need", "demand:withdraw_need")
    },
    # A teacher's own pages: every logged-in user has "Mijn schoolbezoeken"; another
    # person's request does not exist for anyone, staff included.
    "my_school_visits": (lambda w: reverse("school_requests:mine"), (200, 200, 200, 200)),
    **{
        f"{name}_of_a_teacher": (
            lambda w, name=name: reverse(name, args=[w["school_request"].pk]),
            (404, 404, 404, 404),
        )
        for name in (
            "school_requests:detail",
            "school_requests:cancel",
            "school_requests:reschedule",
        )
    },
}
CASES = [
    pytest.param(page, role, expected[index], id=f"{page}-{role}")
    for page, (_, expected) in MATRIX.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize("page, role, expected", CASES)
def test_staff_page_answers_each_role_with_its_exact_status(client, world, page, role, expected):
    client.force_login(world["users"][role])
    url = MATRIX[page][0](world)
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("page", list(MATRIX))
def test_staff_page_sends_a_visitor_to_a_log_in_page(client, world, page):
    response = client.get(MATRIX[page][0](world))
    assert response.status_code == 302
    assert "login" in response["Location"] or "inloggen" in response["Location"]


@pytest.mark.parametrize("name", ["backoffice:school_planning", "backoffice:school_request"])
def test_the_coordinator_of_technology_promotion_opens_the_school_planning_only(
    client, world, name
):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coördinator techniekpromotie"))
    client.force_login(coordinator)
    args = [] if name == "backoffice:school_planning" else [world["school_request"].pk]
    assert client.get(reverse(name, args=args)).status_code == 200
    assert client.get(reverse("backoffice:dashboard")).status_code == 403
    assert client.get(reverse("backoffice:evaluations")).status_code == 403


def test_opleider_takes_attendance_and_completes_only_their_own_providers_offering(client, world):
    client.force_login(world["users"]["opleider_a"])
    own_meeting, own_offering = world["meetings"]["a"], world["offerings"]["a"]
    assert client.get(reverse("backoffice:attendance", args=[own_meeting.pk])).status_code == 200
    assert (
        client.get(reverse("backoffice:complete_offering", args=[own_offering.pk])).status_code
        == 200
    )
    response = client.post(
        reverse("backoffice:complete_offering", args=[world["offerings"]["b"].pk])
    )
    assert response.status_code == 404
    world["offerings"]["b"].refresh_from_db()
    assert world["offerings"]["b"].status == "open"


def test_opleider_uses_their_own_providers_college_pages(client, world):
    client.force_login(world["users"]["opleider_a"])
    own = world["offerings"]["a"]
    slug = own.course.provider.slug
    assert client.get(reverse("college:start"))["Location"] == reverse(
        "college:overview", args=[slug]
    )
    for url in (
        reverse("college:overview", args=[slug]),
        reverse("college:offering", args=[slug, own.pk]),
        reverse("college:message", args=[slug, own.pk]),
        reverse("college:new_course", args=[slug]),
        reverse("college:edit_course", args=[slug, own.course.pk]),
        reverse("college:new_offering", args=[slug]) + f"?course={own.course.pk}",
    ):
        assert client.get(url).status_code == 200, url
    # Provider B's run through provider A's own slug does not exist either.
    other = reverse("college:offering", args=[slug, world["offerings"]["b"].pk])
    assert client.get(other).status_code == 404


def test_opleider_sees_the_evaluations_of_their_own_provider(client, world):
    client.force_login(world["users"]["opleider_a"])
    own = world["offerings"]["a"].course.provider
    response = client.get(reverse("evaluation:provider_results", args=[own.slug]))
    assert response.status_code == 200
    assert own.name in response.content.decode()


def test_attendance_index_lists_only_the_opleiders_own_providers_meetings(client, world):
    client.force_login(world["users"]["opleider_a"])
    html = client.get(reverse("backoffice:attendance_index")).content.decode()
    assert reverse("backoffice:attendance", args=[world["meetings"]["a"].pk]) in html
    assert reverse("backoffice:attendance", args=[world["meetings"]["b"].pk]) not in html


def test_offerings_for_staff_scopes_by_provider_unless_any_provider_may_be_managed(world):
    users, offerings = world["users"], world["offerings"]
    assert list(offerings_for_staff(user=users["opleider_a"])) == [offerings["a"]]
    assert set(offerings_for_staff(user=users["programmamanager"])) == set(offerings.values())
    assert not offerings_for_staff(user=users["alleen_lezen"]).exists()
    assert users["programmamanager"].has_perm(StaffPermission.ANY_PROVIDER)


def test_admin_log_in_refuses_an_unconfirmed_address(client, db):
    UserFactory(email="nieuw@technohub.example", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "nieuw@technohub.example", "password": "geheim-wachtwoord"},
    )
    assert response.status_code == 200
    assert "nog geen bevestigd e-mailadres" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_log_in_lets_a_confirmed_staff_address_in(client, db):
    UserFactory(
        email="bevestigd@technohub.example", is_staff=True, email_verified_at=timezone.now()
    )
    response = client.post(
        reverse("admin:login"),
        {"username": "bevestigd@technohub.example", "password": "geheim-wachtwoord"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_createsuperuser_confirms_the_address(db):
    from companies.models import User

    user = User.objects.create_superuser("baas@technohub.example", "een-goed-wachtwoord")
    assert user.email_verified_at is not None


def test_opleider_sees_only_their_own_providers_offerings_in_the_admin(client, world):
    user = world["users"]["opleider_a"]
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    client.force_login(user)
    offerings = world["offerings"]
    assert client.get(reverse("admin:catalogue_offering_changelist")).status_code == 200
    own = reverse("admin:catalogue_offering_change", args=[offerings["a"].pk])
    other = reverse("admin:catalogue_offering_change", args=[offerings["b"].pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 302  # the admin's "does not exist" redirect
    meetings = client.get(reverse("admin:catalogue_meeting_changelist")).context["cl"].result_list
    assert list(meetings) == [world["meetings"]["a"]]


def test_programme_manager_cannot_make_superusers_or_change_one(client, world):
    manager = world["users"]["programmamanager"]
    manager.email_verified_at = timezone.now()
    manager.save(update_fields=["email_verified_at"])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(manager)
    learner = UserFactory()
    page = client.get(reverse("admin:companies_user_change", args=[learner.pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="provider"' in page.content.decode()
    response = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "overgenomen-123", "password2": "overgenomen-123"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("geheim-wachtwoord")


@pytest.mark.parametrize("role", ["alleen_lezen", "programmamanager"])
@pytest.mark.parametrize("page", ["today", "dashboard", "demand_board"])
def test_staff_pages_link_only_to_admin_pages_the_role_may_open(client, world, role, page):
    user = world["users"][role]
    need = TrainingNeed.objects.create(
        company=world["company"],
        submitted_by=UserFactory(),
        theme=ThemeFactory(),
        title="Hydrauliek voor monteurs",
        headcount=8,
    )
    client.force_login(user)
    response = client.get(MATRIX[page][0](world))
    links = set(re.findall(r'href="(/beheer/[^"]*)"', response.content.decode()))
    if role == "programmamanager" and page == "demand_board":
        assert reverse("admin:companies_trainingneed_change", args=[need.pk]) in links
    assert links, "the page links to the admin's index at least"
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


# The run page's own actions in the admin, for offering B: only the programme manager acts; a
# trainer may export their own provider's participant lists only (another provider's: 404).
RUN_PAGE_MATRIX = {
    "run_mail": (
        lambda w: reverse("admin:catalogue_offering_mail", args=[w["offerings"]["b"].pk]),
        (403, 403, 403, 200),
    ),
    "run_promote": (
        lambda w: reverse("admin:catalogue_offering_promote", args=[w["offerings"]["b"].pk]),
        (403, 403, 403, 200),
    ),
    "run_enrol": (
        lambda w: reverse("admin:catalogue_offering_enrol", args=[w["offerings"]["b"].pk]),
        (403, 403, 403, 200),
    ),
    "run_shift": (
        lambda w: reverse("admin:catalogue_offering_shift") + f"?ids={w['offerings']['b'].pk}",
        (403, 403, 403, 200),
    ),
    "run_export_of_other_provider": (
        lambda w: reverse("admin:catalogue_offering_export", args=[w["offerings"]["b"].pk, "csv"]),
        (403, 403, 404, 200),
    ),
}
RUN_PAGE_CASES = [
    pytest.param(page, role, expected[index], id=f"{page}-{role}")
    for page, (_, expected) in RUN_PAGE_MATRIX.items()
    for index, role in enumerate(ROLES)
]


def confirmed_address(user):
    user.email_verified_at = timezone.now()  # the admin lets only confirmed addresses in
    user.save(update_fields=["email_verified_at"])
    return user


# The funding schemes in the admin: the programme manager keeps them; nobody else sees them.
SCHEME_ADMIN_MATRIX = {
    "funding_schemes": (
        lambda w: reverse("admin:companies_fundingscheme_changelist"),
        (403, 403, 403, 200),
    ),
    "funding_scheme_add": (
        lambda w: reverse("admin:companies_fundingscheme_add"),
        (403, 403, 403, 200),
    ),
    "funding_scheme_change": (
        lambda w: reverse(
            "admin:companies_fundingscheme_change",
            args=[FundingScheme.objects.get(fund="aom").pk],
        ),
        (403, 403, 403, 200),
    ),
}
RUN_PAGE_MATRIX.update(SCHEME_ADMIN_MATRIX)
RUN_PAGE_CASES += [
    pytest.param(page, role, expected[index], id=f"{page}-{role}")
    for page, (_, expected) in SCHEME_ADMIN_MATRIX.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize("page, role, expected", RUN_PAGE_CASES)
def test_run_page_action_answers_each_role_with_its_exact_status(
    client, world, page, role, expected
):
    client.force_login(confirmed_address(world["users"][role]))
    url = RUN_PAGE_MATRIX[page][0](world)

    assert client.get(url).status_code == expected
    if expected != 200:
        posted = {"email": "x@example.nl", "language": "nl", "subject": "x", "body": "x"}
        assert client.post(url, {**posted, "audience": "confirmed"}).status_code == expected


@pytest.mark.parametrize("page", list(RUN_PAGE_MATRIX))
def test_run_page_action_sends_a_visitor_to_the_admin_log_in(client, world, page):
    response = client.get(RUN_PAGE_MATRIX[page][0](world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_trainer_gets_only_export_attendance_and_completing_on_their_own_run_page(client, world):
    client.force_login(confirmed_address(world["users"]["opleider_a"]))
    own = world["offerings"]["a"]

    page = client.get(reverse("admin:catalogue_offering_change", args=[own.pk]))

    # The run's meeting is over: a trainer may complete their own run, as on the attendance page.
    assert {action.label for action in page.context["run_actions"]} == {
        "Deelnemerslijst (CSV)",
        "Deelnemerslijst (XLSX)",
        "Afronden",
    }
    attendance = reverse("backoffice:attendance", args=[world["meetings"]["a"].pk])
    assert attendance in page.content.decode()
    export = reverse("admin:catalogue_offering_export", args=[own.pk, "xlsx"])
    assert client.get(export).status_code == 200
    promote = reverse("admin:catalogue_offering_promote", args=[own.pk])
    assert client.post(promote).status_code == 403


def test_opleider_makes_offers_only_on_proposals_addressed_to_their_provider(client, world):
    client.force_login(world["users"]["opleider_a"])
    url = reverse("proposals:offer", args=[world["proposal"].pk])
    assert client.post(url, {"price_excl_vat": "1"}).status_code == 404
    world["proposal"].providers.add(world["offerings"]["a"].course.provider)
    assert client.get(url).status_code == 200
    world["proposal"].providers.clear()  # addressed to every provider
    assert client.get(url).status_code == 200


# The offer for schools is public: every role, and a visitor, gets the same pages.
SCHOOL_OFFER_PAGES = {
    "schools:list": lambda activity: reverse("schools:list"),
    "schools:activity": lambda activity: reverse("schools:activity", args=[activity.slug]),
    "schools:material": lambda activity: reverse(
        "schools:material", args=[activity.slug, activity.materials.get().pk]
    ),
}


@pytest.fixture
def school_activity(world, tmp_path, settings):
    from django.core.files.base import ContentFile

    from catalogue.models import SchoolMaterial
    from tests.factories import SchoolActivityFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    activity = SchoolActivityFactory()
    SchoolMaterial.objects.create(
        activity=activity,
        use=SchoolMaterial.Use.PREPARATION,
        title="Werkblad",
        file=ContentFile(b"%PDF-1.4", name="werkblad.pdf"),
    )
    return activity


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("page", list(SCHOOL_OFFER_PAGES))
def test_school_offer_pages_are_open_to_everyone(client, world, school_activity, page, role):
    if role:
        client.force_login(world["users"][role])
    assert client.get(SCHOOL_OFFER_PAGES[page](school_activity)).status_code == 200
