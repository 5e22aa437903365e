"""A scheme's rules as arithmetic: the window's edges, the cao period, the maximum, VAT, themes and
duration, and which of a fund's schemes wins."""

from datetime import date
from decimal import Decimal

import pytest

from companies.funding import rules
from companies.models import Company, FundingScheme
from tests.factories import CompanyFactory, CourseFactory, FundingSchemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

START = date(2026, 3, 10)


def aom_digital() -> FundingScheme:
    """The seeded A+O Metalektro scheme: 90 %, at most € 1,000, 6 months after the start."""
    return FundingScheme.objects.get(fund="aom")


def test_the_seeded_schemes_hold_the_funds_published_rules():
    aom = aom_digital()
    assert (aom.percentage, aom.max_amount, aom.vat_claimable) == (Decimal("90"), 1000, False)
    assert (aom.window, aom.window_months, aom.max_duration_months) == ("after_start", 6, 12)
    assert aom.proof_required == ["certificate"] and aom.once_per_activity
    oom = FundingScheme.objects.get(fund="oom")
    assert oom.window == "before_start" and "pop" in oom.proof_required


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (date(2026, 3, 10), date(2026, 9, 10)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2027, 6, 15)),
    ],
)
def test_after_the_start_the_deadline_is_the_same_day_n_months_later(start, deadline):
    assert rules.application_deadline(aom_digital(), start=start) == deadline


def test_before_the_start_the_last_day_is_the_day_before():
    oom = FundingScheme.objects.get(fund="oom")
    assert rules.application_deadline(oom, start=date(2026, 3, 1)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("price", "expected", "capped"),
    [
        (Decimal("995.00"), Decimal("895.50"), False),
        (Decimal("1111.11"), Decimal("1000.00"), False),
        (Decimal("1111.12"), Decimal("1000.00"), True),
        (Decimal("1111.10"), Decimal("999.99"), False),
        (Decimal("2500.00"), Decimal("1000.00"), True),
    ],
)
def test_the_amount_is_the_percentage_of_the_fee_at_most_the_maximum(price, expected, capped):
    course = CourseFactory(funding_eligible=True, price_excl_vat=price)
    estimate = rules.estimate(
        [aom_digital()],
        course=course,
        price_excl_vat=price,
        vat_rate=Decimal("21"),
        start=START,
        end=START,
    )
    assert (estimate.amount, estimate.capped) == (expected, capped)
    assert estimate.deadline == date(2026, 9, 10)


def test_vat_counts_only_when_the_scheme_covers_it():
    scheme = FundingSchemeFactory(percentage=Decimal("50"))
    price, rate = Decimal("100.00"), Decimal("21")
    assert rules.amount(scheme, price_excl_vat=price, vat_rate=rate) == Decimal("50.00")
    scheme.vat_claimable = True
    assert rules.amount(scheme, price_excl_vat=price, vat_rate=rate) == Decimal("60.50")


def test_a_scheme_that_pays_no_course_fees_gives_no_estimate():
    scheme = FundingSchemeFactory(eligible_costs=[FundingScheme.CostType.WAGES])
    course = CourseFactory(funding_eligible=True)
    assert (
        rules.estimate(
            [scheme],
            course=course,
            price_excl_vat=Decimal("500"),
            vat_rate=Decimal("21"),
            start=START,
            end=START,
        )
        is None
    )


def covered(scheme, course, *, start=START, end=START) -> bool:
    return rules.covers(scheme, course=course, start=start, end=end)


def test_the_run_must_start_within_the_cao_period():
    scheme = FundingSchemeFactory(valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))
    course = CourseFactory(funding_eligible=True)
    assert covered(scheme, course, start=date(2026, 1, 1), end=date(2026, 1, 1))
    assert covered(scheme, course, start=date(2026, 12, 31), end=date(2027, 1, 5))
    assert not covered(scheme, course, start=date(2025, 12, 31), end=date(2026, 1, 5))
    assert not covered(scheme, course, start=date(2027, 1, 1), end=date(2027, 1, 1))


def test_the_run_must_end_within_the_maximum_duration():
    scheme = aom_digital()
    course = CourseFactory(funding_eligible=True)
    assert covered(scheme, course, start=date(2026, 3, 10), end=date(2027, 3, 10))
    assert not covered(scheme, course, start=date(2026, 3, 10), end=date(2027, 3, 11))


def test_only_subsidiabel_courses_of_the_schemes_themes_are_covered():
    digital = ThemeFactory()
    scheme = FundingSchemeFactory()
    scheme.themes.add(digital)
    assert not covered(scheme, CourseFactory(funding_eligible=True))
    assert not covered(scheme, CourseFactory(funding_eligible=False, themes=[digital]))
    assert covered(scheme, CourseFactory(funding_eligible=True, themes=[digital]))


def test_the_best_scheme_of_the_fund_wins_and_a_run_without_dates_has_none():
    low = FundingSchemeFactory(percentage=Decimal("40"))
    high = FundingSchemeFactory(percentage=Decimal("60"))
    course = CourseFactory(funding_eligible=True)
    kwargs = {"course": course, "price_excl_vat": Decimal("1000"), "vat_rate": Decimal("21")}
    assert rules.estimate([low, high], start=START, end=START, **kwargs).scheme == high
    assert rules.estimate([low, high], start=None, end=None, **kwargs) is None


def test_a_company_without_a_fund_has_no_schemes():
    assert rules.schemes_for(CompanyFactory(sector_fund=Company.Fund.NONE)) == []
    assert rules.schemes_for(None) == []
    assert rules.schemes_for(CompanyFactory(sector_fund=Company.Fund.AOM)) == [aom_digital()]
