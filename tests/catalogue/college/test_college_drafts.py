"""A college drafts courses and runs; the programme manager hears of them and publishes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.college import services
from catalogue.college.selectors import count_drafts_to_publish
from catalogue.models import Course, Offering
from enrolment.emails import TEMPLATE_LABELS
from enrolment.models import Notification
from technohub.mail import render_mail
from technohub.models import AuditLog
from tests.catalogue.college.conftest import staff_in
from tests.factories import LocationFactory, ThemeFactory


def course_form(**changes) -> dict:
    return {
        "title": "Hydrauliek voor monteurs",
        "summary": "Storingen zoeken in hydraulische systemen.",
        "description": "Twee dagen praktijk in de hal.",
        "learning_outcomes": "Schema's lezen\nStoringen zoeken",
        "audience": "Monteurs",
        "level": "basic",
        "sector": "both",
        "mode": "on_site",
        "study_hours": "14",
        "price_excl_vat": "650.00",
        **changes,
    }


def day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def offering_form(location, meetings, **changes) -> dict:
    data = {
        "location": location.pk,
        "capacity": "10",
        "min_participants": "4",
        "instructor": "Henk Visser",
        "meetings-TOTAL_FORMS": "6",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "6",
        **changes,
    }
    for index, (date, start, end) in enumerate(meetings):
        data[f"meetings-{index}-date"] = date
        data[f"meetings-{index}-start_time"] = start
        data[f"meetings-{index}-end_time"] = end
    return data


def test_a_drafted_course_is_a_concept_audited_mailed_and_not_in_the_catalogue(client, college):
    manager = college["users"]["programmamanager"]
    english_manager = staff_in("Programmamanager", preferred_language="en")
    staff_in("Programmamanager", is_active=False)
    theme = ThemeFactory()
    client.force_login(college["users"]["opleider_a"])

    response = client.post(
        reverse("college:new_course", args=["firda"]), course_form(themes=[theme.pk])
    )

    assert response.status_code == 302
    course = Course.objects.get(title="Hydrauliek voor monteurs")
    assert course.provider == college["provider_a"]
    assert course.is_published is False
    assert list(course.themes.all()) == [theme]
    assert AuditLog.objects.filter(action="course.drafted", object_id=course.pk).exists()
    mails = Notification.objects.filter(template="college_draft")
    assert {mail.recipient for mail in mails} == {manager, english_manager}
    english = mails.get(recipient=english_manager)
    assert english.language == "en"
    assert english.context["admin_url"].endswith(f"/en/beheer/catalogue/course/{course.pk}/change/")
    assert client.get(reverse("catalogue:course_detail", args=[course.slug])).status_code == 404
    listed = client.get(reverse("catalogue:course_list") + "?q=hydrauliek").content.decode()
    assert "Hydrauliek voor monteurs" not in listed
    assert count_drafts_to_publish().total == 1


def test_the_draft_mail_reads_in_both_languages(college):
    context = {
        "kind": "course",
        "title": "Hydrauliek",
        "provider": "Firda",
        "drafted_by": "Henk Visser",
        "admin_url": "https://hub.example/en/beheer/catalogue/course/1/change/",
    }
    dutch = render_mail("college_draft", context, language="nl")
    english = render_mail("college_draft", context, language="en")
    assert "conceptcursus" in dutch.subject
    assert english.subject == "New draft course from Firda: Hydrauliek"
    assert "draft" in english.text and "concept" not in english.text
    run = render_mail("college_draft", {**context, "kind": "offering"}, language="en")
    assert "draft run" in run.subject
    assert "college_draft" in TEMPLATE_LABELS


def test_a_course_draft_shows_errors_next_to_the_fields_and_saves_nothing(client, college):
    client.force_login(college["users"]["opleider_a"])
    response = client.post(
        reverse("college:new_course", args=["firda"]),
        course_form(title="x" * 201, study_hours="0", price_excl_vat="-1"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "study_hours", "price_excl_vat"} <= set(errors)
    assert not Course.objects.filter(provider=college["provider_a"], title__startswith="x").exists()


def test_a_concept_course_is_edited_and_a_published_one_is_read_only(client, college):
    client.force_login(college["users"]["opleider_a"])
    concept, published = college["concept"], college["course"]
    url = reverse("college:edit_course", args=["firda", concept.pk])

    assert client.post(url, course_form(title="Cobot programmeren (UR)")).status_code == 302
    concept.refresh_from_db()
    assert concept.title == "Cobot programmeren (UR)" and not concept.is_published
    assert AuditLog.objects.filter(action="course.draft_changed", object_id=concept.pk).exists()

    read_only = reverse("college:edit_course", args=["firda", published.pk])
    page = client.get(read_only)
    assert page.status_code == 200 and "<form" not in page.content.decode().split("<main")[-1]
    client.post(read_only, course_form(title="Gewijzigd"))
    published.refresh_from_db()
    assert published.title == "TIG-lassen RVS"


def test_update_draft_course_refuses_a_published_course(college):
    with pytest.raises(services.DraftRefused):
        services.update_draft_course(
            provider=college["provider_a"],
            course_id=college["course"].pk,
            actor=college["users"]["opleider_a"],
            values={"title": "Anders"},
            themes=[],
        )


def test_a_drafted_run_is_a_concept_with_its_meetings_in_amsterdam_time(client, college):
    location = LocationFactory()
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:new_offering", args=["firda"]) + f"?course={college['concept'].pk}"

    response = client.post(
        url,
        offering_form(
            location,
            [(day(14), "09:00", "16:00"), (day(21), "", ""), (day(28), "13:00", "17:00")],
        ),
    )

    assert response.status_code == 302
    offering = Offering.objects.get(course=college["concept"])
    assert offering.status == Offering.Status.CONCEPT
    assert (offering.capacity, offering.min_participants) == (10, 4)
    assert offering.instructor == "Henk Visser"
    meetings = list(offering.meetings.order_by("starts_at"))
    assert [timezone.localtime(m.starts_at).strftime("%H:%M") for m in meetings] == [
        "09:00",
        "09:00",  # "zelfde tijden": the row above's times
        "13:00",
    ]
    assert timezone.localtime(meetings[0].ends_at).strftime("%H:%M") == "16:00"
    assert AuditLog.objects.filter(action="offering.drafted", object_id=offering.pk).exists()
    assert Notification.objects.filter(
        template="college_draft", recipient=college["users"]["programmamanager"]
    ).exists()
    assert count_drafts_to_publish().total == 1
    page = client.get(reverse("catalogue:course_detail", args=[college["course"].slug]))
    assert page.status_code == 200


def test_a_drafted_run_of_a_published_course_is_not_offered_in_the_catalogue(client, college):
    location = LocationFactory()
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:new_offering", args=["firda"]) + f"?course={college['course'].pk}"
    client.post(url, offering_form(location, [(day(30), "09:00", "12:00")]))
    drafted = Offering.objects.get(course=college["course"], status="concept")
    client.logout()
    html = client.get(reverse("catalogue:course_detail", args=[college["course"].slug]))
    assert reverse("enrolment:enrol", args=[drafted.pk]) not in html.content.decode()


@pytest.mark.parametrize(
    "meetings, field",
    [
        ([(day(-2), "09:00", "12:00")], "date"),
        ([(day(5), "12:00", "09:00")], "end_time"),
        ([(day(5), "09:00", "12:00"), (day(5), "11:00", "13:00")], "start_time"),
    ],
    ids=["in-the-past", "ends-before-start", "overlap"],
)
def test_a_run_draft_refuses_impossible_meetings_at_the_row(client, college, meetings, field):
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:new_offering", args=["firda"]) + f"?course={college['course'].pk}"
    response = client.post(url, offering_form(LocationFactory(), meetings))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert any(field in form.errors for form in rows.forms)
    assert not Offering.objects.filter(status="concept", course=college["course"]).exists()


def test_a_run_draft_needs_a_meeting_and_a_minimum_within_capacity(client, college):
    client.force_login(college["users"]["opleider_a"])
    url = reverse("college:new_offering", args=["firda"]) + f"?course={college['course'].pk}"
    response = client.post(
        url, offering_form(LocationFactory(), [], capacity="3", min_participants="5")
    )
    assert response.status_code == 200
    assert "min_participants" in response.context["form"].errors
    assert response.context["rows"].non_form_errors()
    assert not Offering.objects.filter(status="concept", course=college["course"]).exists()


def test_draft_offering_refuses_another_providers_course_and_past_meetings(college):
    other_course = college["other"].course
    slot = services.MeetingSlot(
        timezone.now() + timedelta(days=3), timezone.now() + timedelta(days=3, hours=2)
    )
    arguments = {
        "provider": college["provider_a"],
        "actor": college["users"]["opleider_a"],
        "location": LocationFactory(),
        "capacity": 8,
        "min_participants": 2,
        "instructor": "",
    }
    with pytest.raises(Course.DoesNotExist):
        services.draft_offering(course_id=other_course.pk, meetings=[slot], **arguments)
    past = services.MeetingSlot(
        timezone.now() - timedelta(days=1), timezone.now() - timedelta(hours=20)
    )
    with pytest.raises(services.DraftRefused):
        services.draft_offering(course_id=college["course"].pk, meetings=[past], **arguments)
    assert not Offering.objects.filter(status="concept").exists()


def test_count_drafts_to_publish_counts_only_colleges_concepts(college):
    # The fixture's concept course was made in the admin, not drafted by a college.
    assert count_drafts_to_publish().total == 0
    course = services.draft_course(
        provider=college["provider_a"],
        actor=college["users"]["opleider_a"],
        values=course_form(study_hours=14, price_excl_vat=650),
        themes=[],
    )
    assert count_drafts_to_publish().total == 1
    course.is_published = True
    course.save(update_fields=["is_published"])
    assert count_drafts_to_publish().total == 0
