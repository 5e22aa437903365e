"""The programme manager keeps the funds' schemes in the admin: a clear form whose mistakes are
explained at their field in both languages, filters, and no deleting a scheme claims refer to."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import FundingClaim, FundingScheme
from tests.catalogue.test_admin_forms import DJANGO_WORDS
from tests.factories import (
    CompanyFactory,
    EnrolmentFactory,
    FundingSchemeFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(is_staff=True, email_verified_at=timezone.now())
    user.groups.add(Group.objects.get(name="Programmamanager"))
    client.force_login(user)
    return client


@pytest.fixture(params=["nl", "en"])
def language(request, manager):
    with translation.override(request.param):
        yield request.param


def add_url() -> str:
    return reverse("admin:companies_fundingscheme_add")


def valid_scheme(**changes) -> dict:
    return {
        "fund": "other",
        "name": "Scholingsbudget Techniek",
        "name_en": "Technology training budget",
        "url": "www.fonds.example/regeling",
        "percentage": "75",
        "max_amount": "1500",
        "eligible_costs": ["course_fee", "exam_fee"],
        "window": "after_start",
        "window_months": "3",
        "max_duration_months": "",
        "proof_required": ["certificate", "invoice"],
        "once_per_activity": "on",
        "conditions": "Eén aanvraag per medewerker.\nAlleen met factuur.",
        "conditions_en": "",
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
        **changes,
    }


def errors_at(response, field: str) -> list[str]:
    assert response.status_code == 200, "the form was saved"
    page = response.content.decode()
    assert not any(word in page for word in DJANGO_WORDS)
    return [str(error) for error in response.context["adminform"].form.errors.get(field, [])]


def test_a_valid_scheme_is_saved_with_its_costs_proofs_and_themes(manager, language):
    theme = ThemeFactory()

    response = manager.post(add_url(), valid_scheme(themes=[theme.pk]))

    assert response.status_code == 302
    scheme = FundingScheme.objects.get(fund="other")
    assert scheme.eligible_costs == ["course_fee", "exam_fee"]
    assert scheme.proof_required == ["certificate", "invoice"]
    assert scheme.url == "https://www.fonds.example/regeling"
    assert (scheme.window_months, scheme.valid_to) == (3, date(2027, 12, 31))
    assert list(scheme.themes.all()) == [theme]


def test_the_form_shows_checkboxes_and_the_fieldsets(manager):
    page = manager.get(add_url()).content.decode()

    assert page.count('type="checkbox" name="eligible_costs"') == 5
    assert page.count('type="checkbox" name="proof_required"') == 4
    for legend in ("Wat het fonds vergoedt", "Wanneer aanvragen", "Wat het fonds vraagt"):
        assert legend in page
    assert "Voor welke cursussen" in page and "Cao-periode" in page


def test_months_after_the_start_are_required_after_the_start(manager, language):
    response = manager.post(add_url(), valid_scheme(window="after_start", window_months=""))

    words = {"nl": "als je na de start aanvraagt", "en": "after the start"}
    assert any(words[language] in error for error in errors_at(response, "window_months"))
    assert not FundingScheme.objects.filter(fund="other").exists()


def test_months_after_the_start_are_refused_before_the_start(manager, language):
    response = manager.post(add_url(), valid_scheme(window="before_start", window_months="2"))

    words = {"nl": "en alleen dan", "en": "and only then"}
    assert any(words[language] in error for error in errors_at(response, "window_months"))


@pytest.mark.parametrize("percentage", ["0", "100.01", "150"])
def test_a_percentage_out_of_range_is_refused_at_the_field(manager, language, percentage):
    response = manager.post(add_url(), valid_scheme(percentage=percentage))

    words = {"nl": "tussen 0 en 100", "en": "between 0 and 100"}
    assert any(words[language] in error for error in errors_at(response, "percentage"))
    assert not FundingScheme.objects.filter(fund="other").exists()


def test_a_period_ending_before_it_starts_is_refused_at_its_end(manager):
    response = manager.post(add_url(), valid_scheme(valid_from="2027-01-01", valid_to="2026-12-31"))

    assert errors_at(response, "valid_to") == ["De einddatum ligt op of na de begindatum."]


def test_the_list_shows_and_filters_the_schemes(manager):
    ended = FundingSchemeFactory(name="Oude regeling", valid_to=timezone.localdate() - timedelta(1))
    url = reverse("admin:companies_fundingscheme_changelist")

    page = manager.get(url).content.decode()
    still = manager.get(url, {"geldig": "ja"}).context["cl"].result_list
    expired = manager.get(url, {"geldig": "nee"}).context["cl"].result_list
    oom = manager.get(url, {"fund__exact": "oom"}).context["cl"].result_list

    assert "Ontwikkelen digitale vaardigheden" in page and "binnen 6 maanden na de start" in page
    assert ended not in still and FundingScheme.objects.get(fund="aom") in still
    assert list(expired) == [ended]
    assert [scheme.fund for scheme in oom] == ["oom"]


def claimed_scheme() -> FundingScheme:
    scheme = FundingSchemeFactory()
    enrolment = EnrolmentFactory(company=CompanyFactory())
    FundingClaim.objects.create(
        enrolment=enrolment,
        scheme=scheme,
        company=enrolment.company,
        learner=enrolment.learner,
        course=enrolment.offering.course,
    )
    return scheme


def test_a_scheme_with_claims_is_not_deleted_and_says_why(manager):
    scheme = claimed_scheme()
    change = reverse("admin:companies_fundingscheme_change", args=[scheme.pk])

    assert "deletelink" not in manager.get(change).content.decode()
    response = manager.get(
        reverse("admin:companies_fundingscheme_delete", args=[scheme.pk]), follow=True
    )
    posted = manager.post(reverse("admin:companies_fundingscheme_delete", args=[scheme.pk]))

    assert response.redirect_chain[-1][0] == change
    assert "er zijn subsidieaanvragen die ernaar verwijzen" in response.content.decode()
    assert posted.status_code == 302
    assert FundingScheme.objects.filter(pk=scheme.pk).exists()


def test_deleting_from_the_list_keeps_a_scheme_with_claims_and_deletes_the_others(manager):
    kept, unused = claimed_scheme(), FundingSchemeFactory()
    url = reverse("admin:companies_fundingscheme_changelist")

    confirm = manager.post(
        url, {"action": "delete_selected", "_selected_action": [kept.pk, unused.pk]}
    )
    manager.post(url, {"action": "delete_selected", "_selected_action": [unused.pk], "post": "yes"})

    assert confirm.status_code == 200  # the confirmation names the claims, it does not fail
    assert FundingScheme.objects.filter(pk=kept.pk).exists()
    assert not FundingScheme.objects.filter(pk=unused.pk).exists()


def test_an_unused_scheme_can_be_deleted(manager):
    scheme = FundingSchemeFactory()

    manager.post(reverse("admin:companies_fundingscheme_delete", args=[scheme.pk]), {"post": "yes"})

    assert not FundingScheme.objects.filter(pk=scheme.pk).exists()


def test_the_funding_report_links_to_the_schemes_for_who_may_change_them(manager, client):
    page = manager.get(reverse("backoffice:funding_report")).content.decode()
    schemes = reverse("admin:companies_fundingscheme_changelist")
    assert f'href="{schemes}"' in page
    assert "Subsidieregelingen beheren" in page

    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_funding_report", "export_personal_data"],
            content_type__app_label="companies",
        )
    )
    client.force_login(reader)
    response = client.get(reverse("backoffice:funding_report"))
    assert response.status_code == 200
    assert schemes not in response.content.decode()
