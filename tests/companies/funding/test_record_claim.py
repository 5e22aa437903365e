"""HR records a claim's step: each status, the required fields, the maximum, the duplicate guard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.funding import claim_selectors, claims, rules
from companies.models import FundingClaim
from technohub.models import AuditLog
from tests.companies.funding.claim_world import (
    make_company,
    make_enrolment,
    make_scheme,
    run_starting,
)
from tests.factories import CourseFactory
from tests.races import race

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def step(enrolment, actor, **fields):
    values = {
        "status": "applied",
        "applied_on": TODAY,
        "reference": "AO-2026-001",
        "amount": None,
        "decided_on": None,
        "note": "",
    }
    values.update(fields)
    return claims.record_claim(enrolment=enrolment, actor=actor, **values)


@pytest.fixture
def world():
    company = make_company()
    scheme = make_scheme(max_amount=Decimal("700"))
    enrolment = make_enrolment(company, run_starting(TODAY - timedelta(days=10)))
    return company, scheme, enrolment


def test_each_status_in_turn_is_saved_with_an_audit_row(world):
    company, scheme, enrolment = world
    claim = step(enrolment, company.hr, status="not_applied", applied_on=None, reference="")
    assert (claim.status, claim.scheme, claim.company, claim.learner) == (
        "not_applied",
        scheme,
        company,
        enrolment.learner,
    )
    assert claim.course == enrolment.offering.course and claim.once_per_activity
    step(enrolment, company.hr)
    step(enrolment, company.hr, status="granted", decided_on=TODAY, amount=Decimal("650.00"))
    claim = step(enrolment, company.hr, status="paid", decided_on=TODAY, amount=Decimal("650"))
    claim.refresh_from_db()
    assert (claim.status, claim.amount, claim.reference) == ("paid", Decimal("650"), "AO-2026-001")
    assert claim.updated_by == company.hr
    audits = AuditLog.objects.filter(action="funding_claim.updated").order_by("pk")
    assert [(a.data["previous"], a.data["status"]) for a in audits] == [
        ("not_applied", "not_applied"),
        ("not_applied", "applied"),
        ("applied", "granted"),
        ("granted", "paid"),
    ]
    rejected = make_enrolment(company, run_starting(TODAY - timedelta(days=3)))
    assert step(rejected, company.hr, status="rejected", decided_on=TODAY).status == "rejected"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"applied_on": None}, "applied_on"),
        ({"reference": "  "}, "reference"),
        ({"reference": "x" * 51}, "reference"),
        ({"note": "x" * 501}, "note"),
        ({"amount": Decimal("700.01")}, "amount"),
        ({"decided_on": TODAY - timedelta(days=1)}, "decided_on"),
        ({"status": "submitted"}, "status"),
    ],
)
def test_a_wrong_value_is_refused_at_its_field_and_nothing_is_saved(world, fields, field):
    company, _scheme, enrolment = world
    with pytest.raises(claims.ClaimRefused) as refused:
        step(enrolment, company.hr, **fields)
    assert refused.value.field == field
    assert not FundingClaim.objects.exists()
    assert not AuditLog.objects.filter(action="funding_claim.updated").exists()


def test_the_maximum_itself_is_allowed(world):
    company, _scheme, enrolment = world
    assert step(enrolment, company.hr, amount=Decimal("700.00")).amount == Decimal("700.00")


def test_a_second_live_claim_for_the_same_person_and_course_is_refused(world):
    company, _scheme, first = world
    second = make_enrolment(
        company,
        run_starting(TODAY - timedelta(days=5), course=first.offering.course),
        learner=first.learner,
    )
    step(first, company.hr)
    with pytest.raises(claims.ClaimRefused) as refused:
        step(second, company.hr, reference="AO-2")
    assert refused.value.field is None
    assert "al aangevraagd" in refused.value.message
    assert not FundingClaim.objects.filter(enrolment=second).exists()
    # Not applied yet, or rejected: no claim that counts, so the second may be made.
    step(first, company.hr, status="rejected", decided_on=TODAY)
    assert step(second, company.hr, reference="AO-2").status == "applied"


def test_the_guard_holds_only_per_person_course_and_scheme(world):
    company, _scheme, first = world
    step(first, company.hr)
    other_person = make_enrolment(company, first.offering)
    other_course = make_enrolment(
        company, run_starting(TODAY - timedelta(days=5)), learner=first.learner
    )
    assert step(other_person, company.hr).status == "applied"
    assert step(other_course, company.hr).status == "applied"


def test_a_scheme_without_the_once_rule_allows_a_second_claim():
    company = make_company()
    make_scheme(once_per_activity=False)
    course = CourseFactory(funding_eligible=True)
    first = make_enrolment(company, run_starting(TODAY - timedelta(days=10), course=course))
    second = make_enrolment(
        company, run_starting(TODAY - timedelta(days=3), course=course), learner=first.learner
    )
    step(first, company.hr)
    assert step(second, company.hr).status == "applied"


def test_nothing_to_claim_is_refused_as_missing(world):
    company, _scheme, enrolment = world
    requested = make_enrolment(company, enrolment.offering, status="requested")
    with pytest.raises(requested.DoesNotExist):
        step(requested, company.hr)


def test_a_claim_keeps_its_scheme_once_applied(world):
    company, scheme, enrolment = world
    step(enrolment, company.hr)
    better = make_scheme(percentage=Decimal("95"))
    claim = step(enrolment, company.hr, status="granted", decided_on=TODAY)
    assert claim.scheme == scheme != better


@pytest.mark.django_db(transaction=True)
def test_two_enrolments_of_one_person_marked_applied_at_once_exactly_one_wins():
    company = make_company()
    make_scheme()
    course = CourseFactory(funding_eligible=True)
    first = make_enrolment(company, run_starting(TODAY - timedelta(days=10), course=course))
    second = make_enrolment(
        company, run_starting(TODAY - timedelta(days=9), course=course), learner=first.learner
    )
    results = race([lambda e=e: step(e, company.hr) for e in (first, second)])
    won = [r for r in results if isinstance(r, FundingClaim)]
    refused = [r for r in results if isinstance(r, claims.ClaimRefused)]
    assert (len(won), len(refused)) == (1, 1), results
    assert "al aangevraagd" in refused[0].message
    assert FundingClaim.objects.filter(status="applied").count() == 1


# --- The form ---------------------------------------------------------------------------------


def claim_url(company, enrolment, language="nl"):
    with translation.override(language):
        return reverse("portal:funding_claim", args=[company.slug, enrolment.pk])


def test_the_form_saves_and_goes_back_to_the_list(client, world):
    company, _scheme, enrolment = world
    client.force_login(company.hr)
    page = client.get(claim_url(company, enrolment))
    assert page.status_code == 200
    assert "Opslaan" in page.content.decode()
    response = client.post(
        claim_url(company, enrolment),
        {"status": "applied", "applied_on": TODAY.isoformat(), "reference": "AO-7", "amount": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:funding", args=[company.slug])
    claim = FundingClaim.objects.get(enrolment=enrolment)
    assert (claim.status, claim.reference, claim.amount) == ("applied", "AO-7", None)


def test_the_form_shows_errors_next_to_the_fields_in_english(client, world):
    company, _scheme, enrolment = world
    company.hr.preferred_language = "en"
    company.hr.save()
    client.force_login(company.hr)
    response = client.post(
        claim_url(company, enrolment, "en"),
        {"status": "applied", "applied_on": "", "reference": "", "amount": "800"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"applied_on", "reference"}
    response = client.post(
        claim_url(company, enrolment, "en"),
        {"status": "applied", "applied_on": TODAY.isoformat(), "reference": "A", "amount": "800"},
    )
    assert "amount" in response.context["form"].errors
    assert "700" in response.context["form"].errors["amount"][0]
    assert "Save" in response.content.decode()
    assert not FundingClaim.objects.exists()


def test_the_form_shows_the_duplicate_guard_and_warns_after_the_deadline(client, world):
    company, _scheme, first = world
    late = make_enrolment(company, run_starting(TODAY - timedelta(days=200)), learner=first.learner)
    second = make_enrolment(
        company,
        run_starting(TODAY - timedelta(days=5), course=first.offering.course),
        learner=first.learner,
    )
    step(first, company.hr)
    client.force_login(company.hr)
    data = {"status": "applied", "applied_on": TODAY.isoformat(), "reference": "AO-9"}
    response = client.post(claim_url(company, second), data)
    assert response.status_code == 200
    assert "al aangevraagd" in " ".join(response.context["form"].non_field_errors())
    response = client.post(claim_url(company, late), data, follow=True)
    text = response.content.decode()
    assert "de termijn om aan te vragen liep af" in text
    assert FundingClaim.objects.get(enrolment=late).status == "applied"


def test_another_companys_enrolment_is_not_found(client, world):
    _company, _scheme, enrolment = world
    other = make_company()
    client.force_login(other.hr)
    assert client.get(claim_url(other, enrolment)).status_code == 404
    assert client.post(claim_url(other, enrolment), {"status": "applied"}).status_code == 404


def test_an_after_start_deadline_is_the_window_in_months(world):
    _company, scheme, enrolment = world
    row = claim_selectors.get_claim_row(company=enrolment.company, enrolment_id=enrolment.pk)
    assert row.deadline == rules.add_months(TODAY - timedelta(days=10), 3)
    assert row.scheme == scheme and row.estimate.amount == Decimal("700.00")
    assert row.estimate.capped
