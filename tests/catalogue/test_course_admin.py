"""The programme manager writes a course in Dutch and, if they like, its English title and
summary; the English pages show those, or the Dutch ones when none were written."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue.models import Course
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def course_form(provider, **fields) -> dict:
    return {
        "title": "Hydrauliek in de praktijk",
        "slug": "hydrauliek-in-de-praktijk",
        "summary": "Storingen aan hydraulische systemen vinden en verhelpen.",
        "description": "Twee dagen werken aan echte systemen.",
        "provider": provider.pk,
        "sector": "agri",
        "level": "basic",
        "mode": "on_site",
        "study_hours": "16",
        "attendance_threshold": "80",
        "price_excl_vat": "695.00",
        "vat_rate": "21.00",
        "is_published": "on",
        "offerings-TOTAL_FORMS": "0",
        "offerings-INITIAL_FORMS": "0",
        "offerings-MIN_NUM_FORMS": "0",
        "offerings-MAX_NUM_FORMS": "1000",
        **fields,
    }


@pytest.fixture
def admin_client(client):
    client.force_login(
        UserFactory(is_staff=True, is_superuser=True, email_verified_at="2026-01-01T00:00Z")
    )
    return client


def english_page(client, course: Course) -> str:
    with translation.override("en"):
        path = reverse("catalogue:course_detail", args=[course.slug])
    return client.get(path).content.decode()


def test_a_course_without_english_texts_is_saved_and_shown_in_dutch_on_english_pages(
    admin_client,
):
    response = admin_client.post(
        reverse("admin:catalogue_course_add"), course_form(ProviderFactory())
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    course = Course.objects.get(slug="hydrauliek-in-de-praktijk")
    assert course.title_en == course.summary_en == ""
    page = english_page(admin_client, course)
    assert "Hydrauliek in de praktijk" in page
    assert "Storingen aan hydraulische systemen vinden en verhelpen." in page


def test_english_title_and_summary_from_the_admin_are_shown_on_english_pages(admin_client):
    admin_client.post(  # followed: the admin's message is shown there, not on the next page
        reverse("admin:catalogue_course_add"),
        follow=True,
        data=course_form(
            ProviderFactory(),
            title_en="Hydraulics in practice",
            summary_en="Find and fix faults in hydraulic systems.",
        ),
    )
    course = Course.objects.get(slug="hydrauliek-in-de-praktijk")

    page = english_page(admin_client, course)

    assert "Hydraulics in practice" in page
    assert "Find and fix faults in hydraulic systems." in page
    assert "Hydrauliek in de praktijk" not in page
    with translation.override("nl"):
        dutch = admin_client.get(reverse("catalogue:course_detail", args=[course.slug]))
    assert "Hydrauliek in de praktijk" in dutch.content.decode()
