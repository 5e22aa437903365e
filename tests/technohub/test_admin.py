"""The programme manager's admin: every page renders, lists stay flat, service rows stay put."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import (
    Course,
    Location,
    Meeting,
    Offering,
    Provider,
    Qualification,
    SchoolActivity,
    SchoolMaterial,
    Sector,
    Theme,
)
from companies.models import Cluster, Company, Interest, Invitation, Membership, TrainingNeed, User
from enrolment.models import (
    Attendance,
    Certificate,
    Enrolment,
    HeldQualification,
    Notification,
    School,
)
from technohub.audit import record
from technohub.models import AuditLog

# django-axes registers its lockout records; that admin is the package's own, tested there.
REGISTERED_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label != "axes"),
    key=lambda model: model._meta.label,
)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_world(n: int) -> dict:
    """One row of every registered model, with values unique per ``n``."""
    now = timezone.now()
    provider = Provider.objects.create(
        name=f"Firda {n}", slug=f"firda-{n}", kind=Provider.Kind.COLLEGE
    )
    location = Location.objects.create(
        name=f"Hub Emmeloord {n}", slug=f"hub-emmeloord-{n}", kind=Location.Kind.HUB
    )
    theme = Theme.objects.create(name=f"Lassen {n}", slug=f"lassen-{n}")
    course = Course.objects.create(
        title=f"MIG/MAG-lassen {n}",
        slug=f"mig-mag-lassen-{n}",
        summary="Lassen in de praktijk.",
        description="Basiscursus MIG/MAG-lassen.",
        sector=Sector.METAL,
        provider=provider,
        study_hours=Decimal("16"),
        price_excl_vat=Decimal("450"),
    )
    course.themes.add(theme)
    offering = Offering.objects.create(
        course=course, location=location, status=Offering.Status.OPEN, capacity=2
    )
    meeting = Meeting.objects.create(
        offering=offering,
        starts_at=now + timedelta(days=14),
        ends_at=now + timedelta(days=14, hours=4),
    )
    cluster = Cluster.objects.create(name=f"Innovatiecluster {n}", slug=f"innovatiecluster-{n}")
    company = Company.objects.create(
        name=f"Kampstaal {n}", slug=f"kampstaal-{n}", kvk_number=f"{n:08d}", cluster=cluster
    )
    learner = User.objects.create_user(
        email=f"deelnemer{n}@example.nl", first_name="Jan", last_name=f"de Vries {n}"
    )
    Membership.objects.create(user=learner, company=company)
    Invitation.objects.create(
        company=company, email=f"nieuw{n}@example.nl", token=f"token-{n}", expires_at=now
    )
    need = TrainingNeed.objects.create(
        company=company, submitted_by=learner, theme=theme, title="TIG-lassen RVS", headcount=4
    )
    need.preferred_locations.add(location)
    Interest.objects.create(course=offering.course, learner=learner, company=company)
    enrolment = Enrolment.objects.create(
        offering=offering, learner=learner, status=Enrolment.Status.CONFIRMED, company=company
    )
    Offering.objects.filter(pk=offering.pk).update(confirmed_count=1)
    Attendance.objects.create(enrolment=enrolment, meeting=meeting, state="present")
    Certificate.objects.create(
        enrolment=enrolment, number=f"TH-{n:05d}", verification_code=f"code-{n}", issued_at=now
    )
    Notification.objects.create(
        recipient=learner, to_email=learner.email, template="enrolment_confirmed"
    )
    record(action="enrolment.confirmed", target=enrolment, actor=learner)
    qualification = Qualification.objects.create(
        name=f"VCA {n}", slug=f"vca-{n}", validity_months=120
    )
    qualification.refresher_courses.add(course)
    Course.objects.filter(pk=course.pk).update(qualification=qualification)
    HeldQualification.objects.create(
        person=learner,
        qualification=qualification,
        obtained_on=now.date(),
        expires_on=now.date() + timedelta(days=3650),
        enrolment=enrolment,
    )
    activity = SchoolActivity.objects.create(
        title=f"Drone-scan {n}",
        slug=f"drone-scan-{n}",
        kind=SchoolActivity.Kind.AT_HUB,
        summary="Leerlingen scannen een perceel.",
        what_pupils_do="Een vlucht plannen.",
        target_groups=["vmbo_3_4"],
        duration_minutes=180,
        max_pupils=48,
        host=company,
    )
    activity.locations.add(location)
    SchoolMaterial.objects.create(
        activity=activity, use="preparation", title="Werkblad", file="schools/materials/w.pdf"
    )
    School.objects.create(name=f"Zuyderzee College {n}", brin=f"{n % 100:02d}ZC")
    Group.objects.create(name=f"Programmamanagers {n}")
    return {"offering": offering, "enrolment": enrolment, "learner": learner}


@pytest.fixture
def world(db):
    return make_world(1)


@pytest.fixture
def manager_client(client, django_user_model):
    manager = django_user_model.objects.create_superuser(
        email="beheer@example.nl", password="geheim-wachtwoord"
    )
    client.force_login(manager)
    return client


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_admin_pages_render_for_every_registered_model(manager_client, world, model):
    obj = model._default_manager.first()
    assert obj is not None, f"make_world creates no {model._meta.label}"

    changelist = admin_url(model, "changelist")
    for query in ({}, {"q": "lassen"}, {"_facets": "True"}):
        assert manager_client.get(changelist, query).status_code == 200, query
    assert manager_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    add_response = manager_client.get(admin_url(model, "add"))
    can_add = admin.site._registry[model].has_add_permission(add_response.wsgi_request)
    assert add_response.status_code == (200 if can_add else 403)


def test_admin_changelists_do_not_query_per_row(manager_client, world):
    def count_queries() -> dict[str, int]:
        counts = {}
        for model in REGISTERED_MODELS:
            with CaptureQueriesContext(connection) as queries:
                assert manager_client.get(admin_url(model, "changelist")).status_code == 200
            counts[model._meta.label] = len(queries)
        return counts

    manager_client.get(admin_url(REGISTERED_MODELS[0], "changelist"))  # reads session and user
    with_one_row = count_queries()
    make_world(2)
    make_world(3)
    assert count_queries() == with_one_row


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_admin_sends_anonymous_and_non_staff_users_to_login(client, django_user_model, logged_in):
    if logged_in:
        client.force_login(django_user_model.objects.create_user(email="jan@example.nl"))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_offering_changelist_sorts_by_first_meeting(manager_client, world):
    response = manager_client.get(admin_url(Offering, "changelist"), {"o": "3"})

    assert response.status_code == 200
    assert response.context["cl"].result_list[0].first_meeting is not None


def test_offering_capacity_cannot_drop_below_confirmed_seats(manager_client, world):
    offering = world["offering"]
    data = {
        "course": offering.course_id,
        "location": offering.location_id,
        "status": offering.status,
        "capacity": 1,
        "min_participants": 1,
        "meetings-TOTAL_FORMS": 0,
        "meetings-INITIAL_FORMS": 0,
        "enrolments-TOTAL_FORMS": 0,
        "enrolments-INITIAL_FORMS": 0,
    }
    Offering.objects.filter(pk=offering.pk).update(capacity=3, confirmed_count=2)

    response = manager_client.post(admin_url(Offering, "change", offering.pk), data)

    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    offering.refresh_from_db()
    assert (offering.capacity, offering.confirmed_count) == (3, 2)


def test_enrolment_change_keeps_status_and_shows_audit_history(manager_client, world):
    enrolment = world["enrolment"]
    url = admin_url(Enrolment, "change", enrolment.pk)

    page = manager_client.get(url)
    assert "inschrijving bevestigd" in page.content.decode()  # the timeline, readable

    response = manager_client.post(
        url,
        {
            "status": Enrolment.Status.CANCELLED,
            "company": enrolment.company_id,
            "price_excl_vat": "395.00",
            "vat_rate": "21.00",
            "reason": "Korting voor cluster",
        },
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.price_excl_vat == Decimal("395.00")


def test_enrolments_cannot_be_deleted_in_admin(manager_client, world):
    response = manager_client.post(
        admin_url(Enrolment, "delete", world["enrolment"].pk), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Enrolment.objects.filter(pk=world["enrolment"].pk).exists()


def test_audit_log_is_read_only(manager_client, world):
    row = AuditLog.objects.get()
    url = admin_url(AuditLog, "change", row.pk)

    page = manager_client.get(url)
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert manager_client.post(url, {"action": "vervalst"}).status_code == 403
    assert (
        manager_client.post(admin_url(AuditLog, "delete", row.pk), {"post": "yes"}).status_code
        == 403
    )
    row.refresh_from_db()
    assert row.action == "enrolment.confirmed"


@pytest.mark.parametrize(
    ("status", "expected"),
    [("unsent", {"nieuw"}), ("sent", {"verzonden"}), ("failed", {"mislukt"})],
)
def test_notification_status_filter(manager_client, db, status, expected):
    now = timezone.now()
    Notification.objects.create(to_email="a@example.nl", template="nieuw")
    Notification.objects.create(to_email="b@example.nl", template="verzonden", sent_at=now)
    Notification.objects.create(to_email="c@example.nl", template="mislukt", failed_at=now)

    response = manager_client.get(admin_url(Notification, "changelist"), {"status": status})

    assert {n.template for n in response.context["cl"].result_list} == expected


def test_a_runs_audit_log_reads_as_words(manager_client, world):
    offering = world["offering"]
    record(action="offering.shifted", target=offering, actor=None, days=7)

    page = manager_client.get(admin_url(Offering, "change", offering.pk)).content.decode()

    assert "uitvoering verschoven" in page
    assert "offering.shifted" not in page
