"""A teacher's request: the form's rules, the services that submit, cancel and move it, the
mails they queue, and that nothing about a pupil is ever stored."""

import threading
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from enrolment.models import School, SchoolGroup, SchoolRequest, SchoolVisit
from enrolment.schools import requests
from enrolment.schools.forms import GroupFormSet, RescheduleForm, SchoolRequestForm, parse_dates
from technohub.models import AuditLog
from tests.factories import (
    SchoolActivityFactory,
    SchoolFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
    UserFactory,
)

TODAY = date(2027, 1, 4)  # a Monday


def monday_after(day: date, weeks: int = 3) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 + 7 * (weeks - 1))


def teacher(**fields):
    return UserFactory(email_verified_at=timezone.now(), **fields)


def coordinator(**fields):
    user = UserFactory(email_verified_at=timezone.now(), **fields)
    user.groups.add(Group.objects.get(name="Coördinator techniekpromotie"))
    return user


def form_data(**overrides) -> dict:
    """A filled-in request: two vmbo 3 groups of 24 (48 pupils), six supervisors."""
    data = {
        "school_name": "Zuyderzee College",
        "brin": "12ab",
        "city": "Emmeloord",
        "groups-TOTAL_FORMS": "4",
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "1",
        "groups-MAX_NUM_FORMS": "4",
        "groups-0-label": "3B",
        "groups-0-level": "vmbo",
        "groups-0-year": "3",
        "groups-0-pupils": "24",
        "groups-1-label": "3C",
        "groups-1-level": "vmbo",
        "groups-1-year": "3",
        "groups-1-pupils": "24",
        "supervisors": "6",
        "preferred_date_1": monday_after(TODAY).isoformat(),
        "transport": "own",
    }
    data.update(overrides)
    return data


def bound_form(activity, **overrides) -> SchoolRequestForm:
    return SchoolRequestForm(form_data(**overrides), activity=activity, today=TODAY)


def submit(activity, user, **fields):
    arguments = {
        "school_name": "Zuyderzee College",
        "brin": "12AB",
        "groups": [("vmbo", 3, 24, "3B"), ("vmbo", 3, 24, "3C")],
        "supervisors": 6,
        "transport": "own",
        "preferred_dates": [monday_after(TODAY)],
        "today": TODAY,
    }
    arguments.update(fields)
    return requests.submit(teacher=user, activity=activity, **arguments)


# The form


@pytest.mark.django_db
def test_a_complete_request_is_valid_and_normalises_the_brin_code():
    form = bound_form(SchoolActivityFactory(), brin=" 12ab ")

    assert form.is_valid(), (form.errors, form.groups.non_form_errors())
    submission = form.submission()
    assert submission["brin"] == "12AB"
    assert submission["groups"] == [("vmbo", 3, 24, "3B"), ("vmbo", 3, 24, "3C")]
    assert submission["preferred_dates"] == [monday_after(TODAY)]


@pytest.mark.django_db
@pytest.mark.parametrize("brin", ["1AB2", "ABCD", "12ABC", "12AB0", "12AB123"])
def test_a_brin_code_of_the_wrong_shape_is_refused_at_its_field(brin):
    form = bound_form(SchoolActivityFactory(), brin=brin)

    assert not form.is_valid()
    assert "2 cijfers en 2 letters" in form.errors["brin"][0]


@pytest.mark.django_db
def test_too_few_supervisors_get_the_ratio_message():
    form = bound_form(SchoolActivityFactory(), supervisors="5")

    assert not form.is_valid()
    assert form.errors["supervisors"] == [
        "Voor 48 leerlingen zijn ten minste 6 begeleiders nodig (1 per 8)."
    ]


@pytest.mark.django_db
def test_a_group_the_activity_is_not_made_for_is_named():
    activity = SchoolActivityFactory(target_groups=["vmbo_3_4"])
    form = bound_form(activity, **{"groups-1-year": "1", "groups-1-label": "1A"})

    assert not form.is_valid()
    assert form.groups.non_form_errors() == [
        "1A (vmbo 1) past niet bij deze activiteit. Die is voor: vmbo 3–4."
    ]


@pytest.mark.django_db
def test_more_pupils_than_a_visit_takes_asks_to_split_the_request():
    activity = SchoolActivityFactory(max_pupils=40)
    form = bound_form(activity)

    assert not form.is_valid()
    (message,) = form.groups.non_form_errors()
    assert "ten hoogste 40 leerlingen" in message
    assert "twee aanvragen" in message


@pytest.mark.django_db
def test_a_year_that_does_not_fit_the_level_is_refused():
    form = bound_form(SchoolActivityFactory(), **{"groups-0-year": "6"})

    assert not form.is_valid()
    assert "Kies een jaar dat bij het niveau past" in form.groups.forms[0].errors["year"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (
            {"preferred_date_1": (TODAY + timedelta(days=3)).isoformat()},
            "preferred_date_1",
            "vooruit",
        ),
        (
            {"preferred_date_1": (TODAY + timedelta(days=400)).isoformat()},
            "preferred_date_1",
            "vooruit",
        ),
        # A Saturday: the host receives groups Monday to Friday.
        (
            {"preferred_date_1": (monday_after(TODAY) + timedelta(days=5)).isoformat()},
            "preferred_date_1",
            "geen groepen",
        ),
        ({"preferred_date_1": ""}, "preferred_date_1", "voorkeursdatums"),
        ({"preferred_date_1": "31-02-2027"}, "preferred_date_1", "Typ een datum"),
        (
            {"preferred_date_1": "", "window_from": monday_after(TODAY).isoformat()},
            "window_to",
            "begin als het eind",
        ),
        (
            {
                "preferred_date_1": "",
                "window_from": (monday_after(TODAY) + timedelta(days=4)).isoformat(),
                "window_to": monday_after(TODAY).isoformat(),
            },
            "window_to",
            "na het begin",
        ),
        (
            {
                "preferred_date_1": "",
                "window_from": monday_after(TODAY).isoformat(),
                "window_to": (monday_after(TODAY) + timedelta(days=1)).isoformat(),
                "blackout_dates": ", ".join(
                    (monday_after(TODAY) + timedelta(days=n)).strftime("%d-%m-%Y") for n in (0, 1)
                ),
            },
            "window_to",
            "geen dag",
        ),
        (
            {"blackout_dates": monday_after(TODAY).strftime("%d-%m-%Y")},
            "preferred_date_1",
            "niet kunnen",
        ),
        ({"blackout_dates": "morgen"}, "blackout_dates", "geen datum"),
        (
            {
                "preferred_date_1": monday_after(TODAY).isoformat(),
                "preferred_date_2": monday_after(TODAY).isoformat(),
            },
            "preferred_date_2",
            "één keer",
        ),
    ],
)
def test_dates_a_visit_cannot_be_planned_on_are_refused_at_their_field(fields, field, words):
    form = bound_form(SchoolActivityFactory(), **fields)

    assert not form.is_valid()
    assert words in " ".join(form.errors[field])


@pytest.mark.django_db
def test_a_window_with_blackout_dates_in_dutch_and_iso_notation_is_valid():
    start = monday_after(TODAY)
    form = bound_form(
        SchoolActivityFactory(),
        preferred_date_1="",
        window_from=start.strftime("%d-%m-%Y"),
        window_to=(start + timedelta(days=11)).isoformat(),
        blackout_dates=f"{start:%d-%m-%Y}\n{start + timedelta(days=1):%Y-%m-%d}; ",
    )

    assert form.is_valid(), form.errors
    assert form.dates()["blackout_dates"] == [start, start + timedelta(days=1)]
    assert form.dates()["window_from"] == start


def test_parse_dates_reads_a_list_separated_by_commas_and_lines():
    assert parse_dates("15-03-2027, 2027-03-16\n17/03/2027") == [
        date(2027, 3, 15),
        date(2027, 3, 16),
        date(2027, 3, 17),
    ]


@pytest.mark.django_db
def test_the_mobile_hub_is_offered_only_for_an_activity_at_school():
    at_hub = bound_form(SchoolActivityFactory(), transport="mobile_hub")
    at_school = bound_form(SchoolActivityFactory(kind="mobile_hub"), transport="mobile_hub")

    assert not at_hub.is_valid()
    assert "transport" in at_hub.errors
    assert at_school.is_valid(), at_school.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"school_name": "x" * 5000},
        {"question": "x" * 100_000},
        {"accessibility": "x" * 5000},
        {"blackout_dates": "01-01-2027, " * 500},
        {"contact_phone": "9" * 200},
        {"groups-TOTAL_FORMS": "100000"},
        {"groups-TOTAL_FORMS": "x"},
        {"groups-0-pupils": "999999999999999999999"},
        {"supervisors": "-1"},
        {"preferred_date_1": "9999-99-99"},
        {"groups-0-level": "kleuter"},
    ],
)
def test_hostile_input_is_refused_without_an_error(overrides):
    form = bound_form(SchoolActivityFactory(), **overrides)

    assert not form.is_valid()


@pytest.mark.django_db
def test_more_than_four_groups_are_refused():
    data = form_data(**{"groups-TOTAL_FORMS": "5"})
    data.update({"groups-4-level": "vmbo", "groups-4-year": "3", "groups-4-pupils": "2"})
    form = SchoolRequestForm(data, activity=SchoolActivityFactory(), today=TODAY)

    assert not form.is_valid()
    assert form.groups.non_form_errors()


def test_the_group_formset_shows_four_rows_of_which_one_is_required():
    formset = GroupFormSet(prefix="groups")

    assert len(formset.forms) == 4


# Submitting


@pytest.mark.django_db
def test_submit_stores_the_request_with_counts_only_and_tells_teacher_and_coordinators():
    activity = SchoolActivityFactory()
    user = teacher()
    planners = [coordinator(), coordinator(preferred_language="en")]

    school_request = submit(activity, user, accessibility="Rolstoelroute nodig.")

    assert school_request.status == SchoolRequest.Status.REQUESTED
    assert school_request.teacher == user
    assert school_request.school.brin == "12AB"
    # Each group is a label, a level, a year and a count: there is nothing else to store.
    assert list(school_request.groups.values_list("label", "level", "year", "pupils")) == [
        ("3B", "vmbo", 3, 24),
        ("3C", "vmbo", 3, 24),
    ]
    assert {field.name for field in SchoolGroup._meta.concrete_fields} == {
        "id",
        "request",
        "label",
        "level",
        "year",
        "pupils",
    }
    mails = {
        (notification.recipient_id, notification.template, notification.language)
        for notification in school_request_mails(school_request)
    }
    assert mails == {
        (user.pk, "school_request_received", "nl"),
        (planners[0].pk, "school_request_new", "nl"),
        (planners[1].pk, "school_request_new", "en"),
    }
    entry = AuditLog.objects.get(action="school_request.submitted")
    assert entry.actor == user
    assert entry.data == {"groups": 2, "pupils": 48}


def school_request_mails(school_request):
    from enrolment.models import Notification

    return Notification.objects.filter(context__school_request_id=school_request.pk)


@pytest.mark.django_db
def test_submit_reuses_the_school_with_that_brin_code_and_keeps_its_name():
    existing = SchoolFactory(brin="12AB", name="Zuyderzee College")

    school_request = submit(SchoolActivityFactory(), teacher(), school_name="ZZC", brin="12ab")

    assert school_request.school == existing
    assert School.objects.get().name == "Zuyderzee College"


@pytest.mark.django_db
def test_submit_refuses_an_unconfirmed_address_and_an_unpublished_activity():
    with pytest.raises(requests.RequestRefused):
        submit(SchoolActivityFactory(), UserFactory())
    with pytest.raises(requests.RequestRefused):
        submit(SchoolActivityFactory(is_published=False), teacher())
    assert not SchoolRequest.objects.exists()


@pytest.mark.django_db
def test_submit_checks_the_rules_again_whatever_the_form_said():
    activity = SchoolActivityFactory()
    with pytest.raises(requests.RequestRefused) as refused:
        submit(activity, teacher(), supervisors=2)

    assert refused.value.field == "supervisors"
    assert not SchoolRequest.objects.exists()


@pytest.mark.django_db
def test_a_teacher_makes_at_most_ten_requests_a_day():
    activity, user = SchoolActivityFactory(), teacher()
    for _ in range(requests.SUBMISSIONS_PER_DAY):
        submit(activity, user)

    with pytest.raises(requests.RequestRefused) as refused:
        submit(activity, user)

    assert "morgen" in refused.value.message
    assert SchoolRequest.objects.count() == requests.SUBMISSIONS_PER_DAY
    # Another teacher is not held back.
    submit(activity, teacher())


# Cancelling


@pytest.mark.django_db
def test_the_teacher_cancels_a_planned_visit_before_the_deadline():
    planner = coordinator()
    host = teacher(preferred_language="en")
    visit = SchoolVisitFactory(request__activity__host_contact=host)
    school_request = visit.request
    today = visit.date - timedelta(days=10)

    requests.cancel_by_teacher(
        school_request=school_request,
        teacher=school_request.teacher,
        reason="Toetsweek",
        today=today,
    )

    school_request.refresh_from_db()
    visit.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.CANCELLED
    assert school_request.cancelled_by == SchoolRequest.Party.TEACHER
    assert school_request.cancel_reason == "Toetsweek"
    assert school_request.cancelled_at is not None
    assert visit.status == SchoolVisit.Status.CANCELLED
    assert visit.cancelled_at is not None
    from enrolment.models import Notification

    sent = set(
        Notification.objects.filter(template="school_request_cancelled").values_list(
            "recipient_id", "language"
        )
    )
    assert sent == {(planner.pk, "nl"), (host.pk, "en")}
    assert AuditLog.objects.filter(action="school_request.cancelled").count() == 1


@pytest.mark.django_db
def test_the_teacher_cannot_cancel_after_the_deadline():
    visit = SchoolVisitFactory()
    school_request = visit.request

    with pytest.raises(requests.RequestRefused) as refused:
        requests.cancel_by_teacher(
            school_request=school_request,
            teacher=school_request.teacher,
            reason="Ziek",
            today=visit.date - timedelta(days=9),
        )

    assert "Mail de hub" in refused.value.message
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.PLANNED
    assert SchoolRequest.objects.get().status == SchoolRequest.Status.REQUESTED


@pytest.mark.django_db
def test_a_request_without_a_visit_is_cancelled_any_time_and_only_the_hub_hears_of_it():
    host = teacher()
    school_request = SchoolRequestFactory(activity__host_contact=host)
    planner = coordinator()

    requests.cancel_by_teacher(
        school_request=school_request,
        teacher=school_request.teacher,
        reason="Geen bus",
        today=school_request.preferred_dates[0],
    )

    from enrolment.models import Notification

    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [planner.pk]


@pytest.mark.django_db
def test_only_the_requests_teacher_may_cancel_it_and_only_once():
    school_request = SchoolRequestFactory()
    with pytest.raises(SchoolRequest.DoesNotExist):
        requests.cancel_by_teacher(
            school_request=school_request, teacher=teacher(), reason="x", today=TODAY
        )
    requests.cancel_by_teacher(
        school_request=school_request, teacher=school_request.teacher, reason="x"
    )
    with pytest.raises(requests.RequestRefused):
        requests.cancel_by_teacher(
            school_request=school_request, teacher=school_request.teacher, reason="x"
        )


# Rescheduling


@pytest.mark.django_db
def test_rescheduling_gives_up_the_visit_and_asks_the_hub_to_plan_again():
    planner = coordinator()
    visit = SchoolVisitFactory(status=SchoolVisit.Status.CONFIRMED, request__status="confirmed")
    school_request = visit.request
    today = timezone.localdate()
    new_day = monday_after(today, weeks=6)

    requests.reschedule(
        school_request=school_request,
        teacher=school_request.teacher,
        preferred_dates=[new_day],
        window_from=None,
        window_to=None,
        blackout_dates=[new_day + timedelta(days=1)],
        today=today,
    )

    school_request.refresh_from_db()
    visit.refresh_from_db()
    assert school_request.status == SchoolRequest.Status.REQUESTED
    assert school_request.preferred_dates == [new_day]
    assert school_request.blackout_dates == [new_day + timedelta(days=1)]
    assert visit.status == SchoolVisit.Status.CANCELLED
    from enrolment.models import Notification

    assert list(
        Notification.objects.filter(template="school_request_rescheduled").values_list(
            "recipient_id", flat=True
        )
    ) == [planner.pk]
    assert AuditLog.objects.filter(action="school_request.rescheduled").exists()


@pytest.mark.django_db
def test_rescheduling_is_refused_after_the_deadline_and_for_bad_dates():
    visit = SchoolVisitFactory()
    school_request = visit.request
    arguments = {
        "school_request": school_request,
        "teacher": school_request.teacher,
        "window_from": None,
        "window_to": None,
        "blackout_dates": [],
    }
    with pytest.raises(requests.RequestRefused):
        requests.reschedule(
            preferred_dates=[visit.date + timedelta(days=7)],
            today=visit.date - timedelta(days=5),
            **arguments,
        )
    with pytest.raises(requests.RequestRefused) as refused:
        requests.reschedule(
            preferred_dates=[timezone.localdate() + timedelta(days=1)],
            today=timezone.localdate(),
            **arguments,
        )
    assert refused.value.field == "preferred_dates"
    visit.refresh_from_db()
    assert visit.status == SchoolVisit.Status.PLANNED


@pytest.mark.django_db
def test_the_reschedule_form_checks_the_dates_like_a_new_request():
    activity = SchoolActivityFactory()
    form = RescheduleForm(
        {"preferred_date_1": (TODAY + timedelta(days=2)).isoformat()},
        activity=activity,
        today=TODAY,
    )

    assert not form.is_valid()
    assert "preferred_date_1" in form.errors


# At the same moment


@pytest.mark.django_db(transaction=True)
def test_a_cancel_and_a_reschedule_at_the_same_moment_leave_one_consistent_outcome():
    visit = SchoolVisitFactory()
    school_request = visit.request
    user = school_request.teacher
    new_day = monday_after(timezone.localdate(), weeks=6)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def run(name, action):
        barrier.wait()
        try:
            results[name] = action()
        except Exception as error:  # recorded and asserted on below
            results[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                "cancel",
                lambda: requests.cancel_by_teacher(
                    school_request=school_request, teacher=user, reason="Ziek"
                ),
            ),
        ),
        threading.Thread(
            target=run,
            args=(
                "reschedule",
                lambda: requests.reschedule(
                    school_request=school_request,
                    teacher=user,
                    preferred_dates=[new_day],
                    window_from=None,
                    window_to=None,
                    blackout_dates=[],
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    school_request.refresh_from_db()
    assert not SchoolVisit.objects.filter(status__in=SchoolVisit.LIVE_STATUSES).exists()
    assert isinstance(results["cancel"], SchoolRequest)
    if isinstance(results["reschedule"], SchoolRequest):
        # The move came first, then the cancel: cancelled with the new dates.
        assert school_request.preferred_dates == [new_day]
    else:
        # The cancel came first: the move saw a cancelled request and changed nothing.
        assert isinstance(results["reschedule"], requests.RequestRefused)
        assert school_request.preferred_dates == [visit.date]
    assert school_request.status == SchoolRequest.Status.CANCELLED
