"""The admin's forms explain themselves: every constraint violated shows a sentence next to its
field, in Dutch and English; runs that cannot be right are refused before saving; meetings are a
date with a start and an end time in Europe/Amsterdam, with "herhaal wekelijks" and
"zelfde tijden"."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import models
from django.forms import CheckboxInput
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Offering
from companies.models import Membership
from technohub.constraints import ExplainedConstraintsMixin
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = timezone.get_default_timezone()
DJANGO_WORDS = ("Beperking", "Constraint", "geschonden", "is violated")


@pytest.fixture
def manager(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(params=["nl", "en"])
def language(request, manager):
    """The admin in Dutch (/beheer/) or English (/en/beheer/): the test's URLs are in it."""
    with translation.override(request.param):
        yield request.param


def _field_data(form) -> dict:
    """What the browser posts for a form as shown."""
    data = {}
    for field in form:
        if field.field.disabled:
            continue
        value = field.value()
        widget = field.field.widget
        if isinstance(widget, CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(item) for item in value]
        elif value is None:
            data[field.html_name] = ""
        else:
            formatted = widget.format_value(value)
            data[field.html_name] = "" if formatted is None else formatted
    return data


def page_data(page) -> dict:
    """The POST data of an admin add or change page, as it was shown."""
    data = _field_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_data(formset.management_form))
        for form in formset.forms:
            data.update(_field_data(form))
    return data


def post_changed(client, url: str, **changes):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**page_data(page), **changes})


def field_errors(response, field: str, *, formset: str | None = None, row: int = 0) -> list[str]:
    assert response.status_code == 200, "the form was saved"
    if formset is None:
        form = response.context["adminform"].form
    else:
        (inline,) = (
            inline
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.prefix == formset
        )
        form = inline.formset.forms[row]
    return [str(error) for error in form.errors.get(field, [])]


def non_form_errors(response, formset: str) -> list[str]:
    (inline,) = (
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == formset
    )
    return [str(error) for error in inline.formset.non_form_errors()]


def assert_explained(response, field: str, words: dict[str, str], language: str, **where):
    errors = field_errors(response, field, **where)
    assert any(words[language] in error for error in errors), errors
    page = response.content.decode()
    assert not any(word in page for word in DJANGO_WORDS)


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


# --- Every constraint has a message ----------------------------------------------------------


def test_every_constraint_of_a_model_in_the_admin_has_a_message_at_a_field():
    for model in admin.site._registry:
        constraints = [
            constraint.name
            for constraint in model._meta.constraints
            if isinstance(constraint, models.CheckConstraint | models.UniqueConstraint)
        ]
        if not constraints:
            continue
        assert issubclass(model, ExplainedConstraintsMixin), model
        assert set(constraints) <= set(model.constraint_messages), model
        for name, (field, message) in model.constraint_messages.items():
            assert name in constraints, f"{model.__name__}: no constraint {name}"
            if field is not None:
                model._meta.get_field(field)
            with translation.override("en"):
                english = str(message)
            with translation.override("nl"):
                assert english != str(message), f"{name} has no English"


# --- Each constraint a manager can break, posted through the admin ----------------------------


def test_minimum_above_capacity_is_explained_at_the_minimum(manager, language):
    offering = OfferingFactory(status=Offering.Status.CONCEPT, capacity=6, min_participants=2)
    response = post_changed(manager, change_url(offering), min_participants="8")
    assert_explained(
        response,
        "min_participants",
        {"nl": "kan niet hoger zijn dan de capaciteit", "en": "cannot be higher than the capacity"},
        language,
    )


def test_enrolment_closing_before_it_opens_is_explained_at_the_closing(manager, language):
    offering = OfferingFactory(status=Offering.Status.CONCEPT)
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=40))
    opens = timezone.localtime() + timedelta(days=10)
    response = post_changed(
        manager,
        change_url(offering),
        enrolment_opens_at=opens.strftime("%Y-%m-%dT%H:%M"),
        enrolment_closes_at=(opens - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert_explained(
        response,
        "enrolment_closes_at",
        {"nl": "moet sluiten nadat ze opengaat", "en": "must close after it opens"},
        language,
    )


def test_a_meeting_ending_before_it_starts_is_explained_at_its_end_time(manager, language):
    offering = OfferingFactory(status=Offering.Status.CONCEPT)
    meeting = MeetingFactory(offering=offering)
    response = post_changed(
        manager,
        change_url(offering),
        **{"meetings-0-end_time": "08:00", "meetings-0-start_time": "09:00"},
    )
    assert_explained(
        response,
        "end_time",
        {"nl": "kies een latere eindtijd", "en": "choose a later end time"},
        language,
        formset="meetings",
    )
    meeting_before = meeting.starts_at
    meeting.refresh_from_db()
    assert meeting.starts_at == meeting_before


def test_a_meeting_ending_before_it_starts_on_the_meeting_page_is_explained(manager, language):
    meeting = MeetingFactory(offering=OfferingFactory(status=Offering.Status.CONCEPT))
    starts = timezone.localtime(meeting.starts_at)
    response = post_changed(
        manager,
        change_url(meeting),
        ends_at=(starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert_explained(
        response,
        "ends_at",
        {"nl": "kies een latere eindtijd", "en": "choose a later end time"},
        language,
    )


def test_a_training_need_period_ending_before_it_starts_is_explained(manager, language):
    from companies.models import TrainingNeed

    need = TrainingNeed.objects.create(
        company=CompanyFactory(), title="Lassen", description="Lassen", headcount=2
    )
    response = post_changed(
        manager, change_url(need), period_start="2027-05-01", period_end="2027-04-01"
    )
    assert_explained(
        response,
        "period_end",
        {"nl": "eindigt niet voor ze begint", "en": "does not end before it starts"},
        language,
    )


def test_a_second_membership_of_the_same_company_is_explained_at_the_person(manager, language):
    membership = MembershipFactory()
    response = manager.post(
        add_url(Membership),
        {
            "user": membership.user_id,
            "company": membership.company_id,
            "role": Membership.Role.EMPLOYEE,
            "request_mail": "each",
        },
    )
    assert_explained(
        response,
        "user",
        {"nl": "hoort al bij dit bedrijf", "en": "already belongs to this company"},
        language,
    )
    assert Membership.objects.count() == 1


def test_a_negative_enrolment_price_is_explained_at_the_price(manager, language):
    enrolment = EnrolmentFactory()
    response = post_changed(manager, change_url(enrolment), price_excl_vat="-5")
    assert_explained(
        response,
        "price_excl_vat",
        {"nl": "kan niet negatief zijn", "en": "cannot be negative"},
        language,
    )
    enrolment.refresh_from_db()
    assert enrolment.price_excl_vat >= Decimal("0")


def test_constraints_checked_by_model_validation_name_their_field():
    """Constraints behind a field's own validation (a choice, a minimum) still explain
    themselves when code validates a model."""
    offering = OfferingFactory.build(capacity=2, min_participants=3, status="kapot")
    with translation.override("en"):
        try:
            offering.validate_constraints()
        except Exception as error:
            errors = error.message_dict
    assert errors["min_participants"] == [
        "The minimum number of participants cannot be higher than the capacity."
    ]
    assert errors["status"] == ["Choose a status from the list."]


# --- Runs that cannot be right ------------------------------------------------------------


def _new_run_data(course, location, **fields) -> dict:
    return {
        "course": course.pk,
        "location": location.pk,
        "status": Offering.Status.CONCEPT,
        "capacity": "8",
        "min_participants": "2",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
        **fields,
    }


def _meeting_rows(*rows: dict) -> dict:
    data = {"meetings-TOTAL_FORMS": str(len(rows)), "meetings-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        data.update({f"meetings-{number}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def course_and_place(db):
    offering = OfferingFactory.build()
    course = CourseFactory()
    location = offering.location
    location.save()
    return course, location


@pytest.mark.parametrize("status", [Offering.Status.CANCELLED, Offering.Status.COMPLETED])
def test_a_new_run_is_not_created_cancelled_or_completed(manager, course_and_place, status):
    response = manager.post(add_url(Offering), _new_run_data(*course_and_place, status=status))
    assert "Een nieuwe uitvoering begint als concept of open" in " ".join(
        field_errors(response, "status")
    )
    assert not Offering.objects.exists()


def test_an_open_run_without_meetings_is_refused(manager, course_and_place):
    response = manager.post(add_url(Offering), _new_run_data(*course_and_place, status="open"))
    assert any(
        "ten minste één bijeenkomst" in error for error in non_form_errors(response, "meetings")
    )
    assert not Offering.objects.exists()


def test_a_run_opened_from_the_course_page_needs_meetings(manager, course_and_place):
    course, location = course_and_place
    OfferingFactory(course=course, location=location, status=Offering.Status.CONCEPT)
    response = post_changed(manager, change_url(course), **{"offerings-0-status": "open"})
    assert any(
        "ten minste één bijeenkomst" in error
        for error in field_errors(response, "status", formset="offerings")
    )


def test_a_new_meeting_in_the_past_is_refused_for_an_open_run(manager):
    offering = OfferingFactory(status=Offering.Status.OPEN)
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=20))
    yesterday = timezone.localdate() - timedelta(days=1)
    page = manager.get(change_url(offering))
    data = page_data(page)
    data.update(
        {
            "meetings-TOTAL_FORMS": "2",
            "meetings-1-date": yesterday.isoformat(),
            "meetings-1-start_time": "09:00",
            "meetings-1-end_time": "12:00",
        }
    )
    response = manager.post(change_url(offering), data)
    assert any(
        "ligt in het verleden" in error
        for error in field_errors(response, "date", formset="meetings", row=1)
    )
    assert offering.meetings.count() == 1


def test_opening_a_run_with_a_past_meeting_is_refused_but_a_concept_may_have_one(manager):
    offering = OfferingFactory(status=Offering.Status.CONCEPT)
    MeetingFactory(offering=offering, starts_at=timezone.now() - timedelta(days=2))
    # Saved as a concept, the past meeting is fine (a run being drafted).
    assert post_changed(manager, change_url(offering), notes="plan").status_code == 302
    response = post_changed(manager, change_url(offering), status="open")
    assert any(
        "ligt in het verleden" in error
        for error in field_errors(response, "date", formset="meetings")
    )
    offering.refresh_from_db()
    assert offering.status == Offering.Status.CONCEPT


def test_overlapping_meetings_are_refused(manager, course_and_place):
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = manager.post(
        add_url(Offering),
        {
            **_new_run_data(*course_and_place),
            **_meeting_rows(
                {"date": day, "start_time": "09:00", "end_time": "12:00"},
                {"date": day, "start_time": "11:00", "end_time": "15:00"},
            ),
        },
    )
    assert any(
        "overlapt" in error
        for error in field_errors(response, "start_time", formset="meetings", row=1)
    )
    assert not Offering.objects.exists()


def test_an_enrolment_window_outside_the_run_is_refused(manager, course_and_place):
    start = timezone.localdate() + timedelta(days=30)
    meeting = {"date": start.isoformat(), "start_time": "09:00", "end_time": "16:00"}
    late_close = f"{(start + timedelta(days=1)).isoformat()}T09:00"
    response = manager.post(
        add_url(Offering),
        {
            **_new_run_data(*course_and_place, enrolment_closes_at=late_close),
            **_meeting_rows(meeting),
        },
    )
    assert any("sluit" in error for error in non_form_errors(response, "meetings"))
    late_open = f"{(start + timedelta(days=1)).isoformat()}T08:00"
    response = manager.post(
        add_url(Offering),
        {
            **_new_run_data(*course_and_place, enrolment_opens_at=late_open),
            **_meeting_rows(meeting),
        },
    )
    assert any("gaat open" in error for error in non_form_errors(response, "meetings"))
    assert not Offering.objects.exists()


# --- Meetings as date and times, "zelfde tijden", "herhaal wekelijks" --------------------------


def test_a_three_day_course_in_one_save_with_same_times(manager, course_and_place):
    """One row with times, two with only a date: three meetings from 09:00 to 16:30."""
    first = timezone.localdate() + timedelta(days=30)
    response = manager.post(
        add_url(Offering),
        {
            **_new_run_data(*course_and_place, status="open"),
            **_meeting_rows(
                {"date": first.isoformat(), "start_time": "09:00", "end_time": "16:30"},
                {"date": (first + timedelta(days=1)).isoformat()},
                {"date": (first + timedelta(days=2)).isoformat()},
            ),
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    meetings = Offering.objects.get().meetings.order_by("starts_at")
    assert [
        (
            timezone.localtime(meeting.starts_at).date(),
            timezone.localtime(meeting.starts_at).time(),
            timezone.localtime(meeting.ends_at).time(),
        )
        for meeting in meetings
    ] == [(first + timedelta(days=day), time(9), time(16, 30)) for day in range(3)]


def test_repeat_weekly_copies_a_meeting_on_save_across_summer_time(manager, course_and_place):
    # Three weeks from a Thursday before the clocks go forward (28 March 2027): 18:00 each week.
    first = date(2027, 3, 18)
    response = manager.post(
        add_url(Offering),
        {
            **_new_run_data(*course_and_place),
            **_meeting_rows(
                {
                    "date": first.isoformat(),
                    "start_time": "18:00",
                    "end_time": "21:00",
                    "topic": "Avondles",
                    "repeat_weeks": "3",
                }
            ),
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    meetings = list(Offering.objects.get().meetings.order_by("starts_at"))
    assert [timezone.localtime(meeting.starts_at) for meeting in meetings] == [
        datetime.combine(first + timedelta(weeks=week), time(18), tzinfo=AMSTERDAM)
        for week in range(4)
    ]
    assert {meeting.topic for meeting in meetings} == {"Avondles"}


def test_a_new_meeting_without_times_and_none_above_is_refused(manager, course_and_place):
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = manager.post(
        add_url(Offering),
        {**_new_run_data(*course_and_place), **_meeting_rows({"date": day})},
    )
    assert field_errors(response, "start_time", formset="meetings")


# --- Europe/Amsterdam everywhere in the admin --------------------------------------------------


def test_meetings_show_in_amsterdam_time_in_the_admin(manager):
    # 08:00 UTC in winter is 09:00 in Amsterdam.
    starts = datetime(2027, 1, 12, 8, 0, tzinfo=UTC)
    offering = OfferingFactory(status=Offering.Status.CONCEPT)
    meeting = MeetingFactory(
        offering=offering, starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    assert "09:00" in str(meeting) and "08:00" not in str(meeting)

    form = manager.get(change_url(offering)).context["inline_admin_formsets"][0].formset.forms[0]
    assert form["start_time"].value() == time(9) and form["end_time"].value() == time(12)
    meeting_page = manager.get(change_url(meeting)).content.decode()
    assert 'value="2027-01-12T09:00"' in meeting_page
    listing = manager.get(reverse("admin:catalogue_meeting_changelist")).content.decode()
    assert "09:00" in listing and "08:00" not in listing
    offerings = manager.get(reverse("admin:catalogue_offering_changelist")).content.decode()
    assert "09:00" in offerings


def test_a_time_entered_in_the_admin_is_amsterdam_time(manager):
    meeting = MeetingFactory(offering=OfferingFactory(status=Offering.Status.CONCEPT))
    response = post_changed(
        manager,
        change_url(meeting),
        starts_at="2027-07-01T09:00",
        ends_at="2027-07-01T12:00",
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    # Summer time: 09:00 in Amsterdam is 07:00 UTC.
    assert meeting.starts_at == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price_excl_vat", "-1"),  # course_price_gte_0
        ("vat_rate", "150"),  # course_vat_rate_range
        ("study_hours", "0"),  # course_study_hours_gt_0
        ("attendance_threshold", "120"),  # course_attendance_threshold_range
        ("sector", "kapot"),  # course_sector_valid
        ("mode", "kapot"),  # course_mode_valid
    ],
)
def test_a_course_breaking_a_constraint_hears_it_at_the_field(manager, language, field, value):
    """The field's own check comes first here; either way the sentence is at the field."""
    course = CourseFactory()
    response = post_changed(manager, change_url(course), **{field: value})
    assert field_errors(response, field)
    assert not response.context["adminform"].form.non_field_errors()
    assert not any(word in response.content.decode() for word in DJANGO_WORDS)


def test_a_company_with_a_wrong_kvk_number_hears_it_at_the_number(manager, language):
    company = CompanyFactory()
    response = post_changed(manager, change_url(company), kvk_number="1234abcd")
    assert_explained(response, "kvk_number", {"nl": "8 cijfers", "en": "8 digits"}, language)


def test_a_meeting_page_saved_unchanged_keeps_its_time_to_the_second(manager):
    starts = (timezone.now() + timedelta(days=20)).replace(second=30, microsecond=0)
    meeting = MeetingFactory(
        offering=OfferingFactory(status=Offering.Status.CONCEPT),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    assert post_changed(manager, change_url(meeting)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == starts
