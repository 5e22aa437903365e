"""The programme manager's dashboard: the numbers, the charts and tables, and who may see it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Offering
from companies.models import TrainingNeed
from enrolment.models import Enrolment
from technohub.backoffice import charts
from technohub.backoffice.dashboard import get_staff_dashboard
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    OfferingFactory,
    ThemeFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def offering_at(
    starts_at: datetime,
    *,
    capacity: int = 10,
    min_participants: int = 1,
    confirmed: int = 0,
    waitlisted: int = 0,
    status: str = Offering.Status.OPEN,
    **fields,
) -> Offering:
    """An offering whose first meeting is exactly ``starts_at``, with that many enrolment rows."""
    offering = OfferingFactory(
        capacity=capacity, min_participants=min_participants, status=status, **fields
    )
    MeetingFactory(offering=offering, starts_at=starts_at)
    MeetingFactory(offering=offering, starts_at=starts_at + timedelta(weeks=1))
    for _ in range(confirmed):
        EnrolmentFactory(offering=offering, status=Enrolment.Status.CONFIRMED)
    for position in range(1, waitlisted + 1):
        EnrolmentFactory(
            offering=offering, status=Enrolment.Status.WAITLISTED, waitlist_position=position
        )
    if confirmed:
        Offering.objects.filter(pk=offering.pk).update(confirmed_count=confirmed)
    return offering


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- Fill rates and go/no-go ----------------------------------------------------------------


def test_upcoming_offerings_have_counts_and_fill_rate_soonest_first(now):
    later = offering_at(now + timedelta(days=40), capacity=8, confirmed=1, waitlisted=0)
    sooner = offering_at(now + timedelta(days=3), capacity=4, confirmed=3, waitlisted=2)
    EnrolmentFactory(offering=sooner, status=Enrolment.Status.CANCELLED)
    EnrolmentFactory(offering=sooner, status=Enrolment.Status.REQUESTED)

    dashboard = get_staff_dashboard(now=now)

    assert [offering.offering_id for offering in dashboard.upcoming] == [sooner.pk, later.pk]
    first, second = dashboard.upcoming
    assert (first.capacity, first.confirmed, first.waitlisted, first.fill_rate) == (4, 3, 2, 75)
    # 1 of 8 is 12.5%: rounded half up.
    assert (second.confirmed, second.waitlisted, second.fill_rate) == (1, 0, 13)
    assert first.course_title == sooner.course.title
    assert first.location_name == sooner.location.name
    assert first.first_starts_at == now + timedelta(days=3)


def test_upcoming_offerings_are_open_and_within_eight_weeks(now):
    inside = offering_at(now + timedelta(weeks=8))
    offering_at(now + timedelta(weeks=8, seconds=1))
    offering_at(now - timedelta(hours=1))
    offering_at(now + timedelta(days=5), status=Offering.Status.CONCEPT)
    offering_at(now + timedelta(days=5), status=Offering.Status.CANCELLED)

    dashboard = get_staff_dashboard(now=now)

    assert [offering.offering_id for offering in dashboard.upcoming] == [inside.pk]


# --- Waiting lists --------------------------------------------------------------------------


def test_longest_waiting_lists_are_ordered_by_length_then_start(now):
    two_later = offering_at(now + timedelta(days=60), capacity=2, confirmed=2, waitlisted=2)
    two_sooner = offering_at(now + timedelta(days=10), capacity=2, confirmed=2, waitlisted=2)
    five = offering_at(now + timedelta(days=90), capacity=1, confirmed=1, waitlisted=5)
    offering_at(now + timedelta(days=5), capacity=2, confirmed=2)  # full, nobody waiting
    offering_at(now + timedelta(days=5), waitlisted=7, status=Offering.Status.CANCELLED)

    dashboard = get_staff_dashboard(now=now)

    assert [offering.offering_id for offering in dashboard.waiting_lists] == [
        five.pk,
        two_sooner.pk,
        two_later.pk,
    ]
    assert [offering.waitlisted for offering in dashboard.waiting_lists] == [5, 2, 2]


def test_longest_waiting_lists_show_the_top_ten(now):
    for n in range(12):
        offering_at(now + timedelta(days=20 + n), capacity=1, confirmed=1, waitlisted=n + 1)

    dashboard = get_staff_dashboard(now=now)

    assert [offering.waitlisted for offering in dashboard.waiting_lists] == list(range(12, 2, -1))


# --- Enrolments per week --------------------------------------------------------------------


def enrolment_created_at(moment: datetime, status: str = Enrolment.Status.CONFIRMED) -> None:
    enrolment = EnrolmentFactory(status=status)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=moment)


def test_enrolments_per_week_count_every_status_in_dutch_weeks_with_empty_weeks():
    # Wednesday 12 March 2025 is in ISO week 11, so the 12 weeks shown are week 52 of 2024
    # (from Monday 23 December) and weeks 1 to 11 of 2025.
    now = datetime(2025, 3, 12, 10, 0, tzinfo=AMSTERDAM)
    enrolment_created_at(datetime(2025, 3, 10, 0, 30, tzinfo=AMSTERDAM))  # Monday, week 11
    enrolment_created_at(
        datetime(2025, 3, 9, 23, 30, tzinfo=AMSTERDAM), Enrolment.Status.CANCELLED
    )  # Sunday night in Dutch time (Sunday 22:30 UTC): week 10
    enrolment_created_at(datetime(2025, 3, 3, 9, 0, tzinfo=AMSTERDAM), Enrolment.Status.REQUESTED)
    enrolment_created_at(datetime(2024, 12, 23, 9, 0, tzinfo=AMSTERDAM))  # week 52 of 2024
    enrolment_created_at(datetime(2024, 12, 22, 23, 0, tzinfo=AMSTERDAM))  # too long ago
    enrolment_created_at(datetime(2025, 3, 17, 0, 0, tzinfo=AMSTERDAM))  # next week

    weeks = get_staff_dashboard(now=now).weekly_enrolments

    assert len(weeks) == 12
    assert [(week.iso_year, week.iso_week) for week in weeks] == [
        (2024, 52),
        *[(2025, n) for n in range(1, 12)],
    ]
    assert weeks[0].week_start.isoformat() == "2024-12-23"
    counts = {week.iso_week: week.count for week in weeks}
    assert counts == {52: 1, **dict.fromkeys(range(1, 10), 0), 10: 2, 11: 1}


def test_enrolments_per_week_follow_summer_time():
    # Summer time starts on Sunday 30 March 2025; Monday 31 March 00:15 is 29 March 22:15 UTC.
    now = datetime(2025, 4, 2, 12, 0, tzinfo=AMSTERDAM)
    enrolment_created_at(datetime(2025, 3, 31, 0, 15, tzinfo=AMSTERDAM))
    enrolment_created_at(datetime(2025, 3, 30, 23, 45, tzinfo=AMSTERDAM))

    weeks = get_staff_dashboard(now=now).weekly_enrolments

    assert [(week.iso_week, week.count) for week in weeks[-2:]] == [(13, 1), (14, 1)]


# --- Demand per theme -----------------------------------------------------------------------


def test_theme_demand_adds_open_needs_and_waiting_lists(now):
    welding = ThemeFactory(name="Lassen")
    cnc = ThemeFactory(name="CNC")
    drones = ThemeFactory(name="Drones")
    ThemeFactory(name="Niemand vraagt dit")
    company = CompanyFactory()
    for headcount, status, theme in [
        (5, TrainingNeed.Status.NEW, welding),
        (3, TrainingNeed.Status.IN_PROGRESS, welding),
        (10, TrainingNeed.Status.FULFILLED, welding),
        (9, TrainingNeed.Status.PLANNED, cnc),
        (4, TrainingNeed.Status.REJECTED, drones),
        (2, TrainingNeed.Status.NEW, drones),
        (8, TrainingNeed.Status.NEW, None),
    ]:
        TrainingNeed.objects.create(
            company=company, theme=theme, title="Behoefte", headcount=headcount, status=status
        )
    both = CourseFactory()
    both.themes.add(welding, cnc)
    offering_at(now + timedelta(days=30), capacity=1, confirmed=1, waitlisted=2, course=both)
    cnc_only = CourseFactory()
    cnc_only.themes.add(cnc)
    offering_at(now + timedelta(days=30), capacity=1, confirmed=1, waitlisted=1, course=cnc_only)
    offering_at(now + timedelta(days=30), waitlisted=4, course=cnc_only, status="cancelled")

    demand = get_staff_dashboard(now=now).theme_demand

    assert [(t.name, t.needed, t.waitlisted, t.total) for t in demand] == [
        ("Lassen", 8, 2, 10),
        ("CNC", 0, 3, 3),
        ("Drones", 2, 0, 2),
    ]


def test_theme_demand_shows_the_top_ten_most_first(now):
    company = CompanyFactory()
    for n in range(12):
        TrainingNeed.objects.create(
            company=company, theme=ThemeFactory(), title="Behoefte", headcount=n + 1
        )

    demand = get_staff_dashboard(now=now).theme_demand

    assert [theme.total for theme in demand] == list(range(12, 2, -1))


# --- Queries --------------------------------------------------------------------------------


def test_dashboard_queries_do_not_grow_with_the_data(now):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            get_staff_dashboard(now=now)
        return len(queries)

    offering_at(now + timedelta(days=3), capacity=2, confirmed=2, waitlisted=1)
    few = count_queries()
    company = CompanyFactory()
    for n in range(8):
        course = CourseFactory()
        course.themes.add(ThemeFactory())
        offering_at(
            now + timedelta(days=2 + n), capacity=3, min_participants=3, confirmed=2, course=course
        )
        offering_at(now + timedelta(days=30 + n), capacity=1, confirmed=1, waitlisted=n + 1)
        TrainingNeed.objects.create(
            company=company, theme=course.themes.get(), title="Behoefte", headcount=3
        )

    assert count_queries() == few == 4


def test_dashboard_page_queries_do_not_grow_with_the_data(staff_client, now):
    url = reverse("backoffice:dashboard")
    offering_at(now + timedelta(days=3), capacity=2, confirmed=1, waitlisted=1, min_participants=2)
    few = page_queries(staff_client, url)
    for n in range(10):
        offering_at(now + timedelta(days=2 + n), capacity=4, min_participants=3, waitlisted=n + 1)

    assert page_queries(staff_client, url) == few


# --- The page -------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["anonymous", "learner"])
def test_dashboard_is_for_staff_only(client, learner, user):
    if user == "learner":
        client.force_login(learner)

    response = client.get(reverse("backoffice:dashboard"))

    if user == "learner":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_dashboard_page_shows_charts_tables_and_points_to_go_no_go_on_today(staff_client, now):
    offering = offering_at(
        now + timedelta(days=5),
        capacity=8,
        min_participants=4,
        confirmed=1,
        waitlisted=0,
        course=CourseFactory(title="Cobot programmeren"),
    )
    theme = ThemeFactory(name="Robotica")
    TrainingNeed.objects.create(company=CompanyFactory(), theme=theme, title="Cobots", headcount=6)

    response = staff_client.get(reverse("backoffice:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("admin:catalogue_offering_change", args=[offering.pk])}"' in html
    for chart_id in ("chart-fill", "chart-weeks", "chart-themes"):
        assert f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"' in html
        assert f'<title id="{chart_id}-title">' in html
    assert html.count('role="img"') == 3
    assert html.count("<table") == 3  # fill rate, weeks, themes (no waiting list)
    assert html.count("<caption>") == 3
    assert f'href="{reverse("backoffice:today")}#go-no-go"' in html
    assert '<th scope="col">Cursus</th>' in html
    assert "13%" in html and "13% (1/8)" in html
    assert "Robotica" in html


def test_dashboard_page_shows_empty_states(staff_client):
    response = staff_client.get(reverse("backoffice:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Er staat niemand op een wachtlijst." in html
    assert html.count('role="img"') == 1  # only the weeks, which always has 12 columns


def test_dashboard_page_escapes_course_titles(staff_client, now):
    title = '<script>alert("x")</script> & "lassen"'
    offering_at(
        now + timedelta(days=5),
        min_participants=2,
        waitlisted=1,
        course=CourseFactory(title=title),
    )
    theme = ThemeFactory(name="<b>Vet</b>")
    TrainingNeed.objects.create(company=CompanyFactory(), theme=theme, title="x", headcount=1)

    html = staff_client.get(reverse("backoffice:dashboard")).content.decode()

    assert "<script>alert" not in html
    assert "<b>Vet</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;lassen&quot;" in html
    assert "&lt;b&gt;Vet&lt;/b&gt;" in html


def test_dashboard_page_in_english(staff_client):
    response = staff_client.get("/en/admin-dashboard/")

    assert response.status_code == 200
    assert response.context["dashboard"] is not None


def test_admin_index_links_to_the_dashboard(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("backoffice:dashboard")}"' in html
    assert "Technohub NOP" in html  # still the admin's own index around the links


# --- Charts ---------------------------------------------------------------------------------


def test_bar_chart_is_a_named_image_with_escaped_labels():
    svg = charts.bar_chart(
        chart_id="c",
        title="Bezetting <nu>",
        description="Zie de tabel & meer",
        bars=[
            charts.Bar(label="<script>x</script>", value=50, text="50%", marker=25),
            charts.Bar(label="a" * 100, value=100),
        ],
        scale_max=100,
    )

    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert '<title id="c-title">Bezetting &lt;nu&gt;</title>' in svg
    assert '<desc id="c-desc">Zie de tabel &amp; meer</desc>' in svg
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    assert 'width="580.0"' in svg and 'width="290.0"' in svg  # full and half of the bar area
    assert "a" * 69 + "…" in svg  # cut short in the picture, whole in the tooltip
    assert "a" * 100 in svg


def test_charts_without_data_render_nothing():
    assert charts.bar_chart(chart_id="c", title="t", description="d", bars=[]) == ""
    assert charts.column_chart(chart_id="c", title="t", description="d", columns=[]) == ""


def test_column_chart_draws_every_column_with_its_value():
    svg = charts.column_chart(
        chart_id="w",
        title="Per week",
        description="d",
        columns=[charts.Bar(label=f"wk {n}", value=n % 3) for n in range(12)],
    )

    assert 'role="img"' in svg and '<title id="w-title">Per week</title>' in svg
    assert svg.count("<rect ") == 12
    assert svg.count('text-anchor="middle">wk ') == 12
