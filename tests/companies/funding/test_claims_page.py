"""HR's funding page: which enrolments, marked and sorted, filtered, totals, English, queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.funding import claims, rules
from tests.companies.funding.claim_world import (
    make_company,
    make_enrolment,
    make_scheme,
    run_starting,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(company, language="nl", **query):
    with translation.override(language):
        address = reverse("portal:funding", args=[company.slug])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def apply(enrolment, hr, status="applied", amount=None, **fields):
    return claims.record_claim(
        enrolment=enrolment,
        actor=hr,
        status=status,
        applied_on=TODAY - timedelta(days=1),
        reference=fields.pop("reference", "REF-1"),
        amount=amount,
        decided_on=fields.pop("decided_on", None),
        note="",
    )


@pytest.fixture
def world():
    company = make_company()
    make_scheme()  # 80 %, 3 months after the start, no maximum
    # Deadline in 10 days: marked, first.
    urgent = make_enrolment(
        company,
        run_starting(rules.add_months(TODAY + timedelta(days=10), -3)),
        first_name="Ursula",
        last_name="Urgent",
    )
    # Started yesterday: deadline in about three months.
    later = make_enrolment(
        company, run_starting(TODAY - timedelta(days=1)), first_name="Lars", last_name="Later"
    )
    # Completed long ago: deadline passed.
    late = make_enrolment(
        company,
        run_starting(TODAY - timedelta(days=200)),
        status="completed",
        first_name="Otto",
        last_name="Oud",
    )
    paid = make_enrolment(
        company, run_starting(TODAY - timedelta(days=30)), first_name="Piet", last_name="Paid"
    )
    paid.po_number = "PO-4711"
    paid.save()
    apply(paid, company.hr, reference="AO-77")
    apply(
        paid, company.hr, status="paid", amount=Decimal("500"), decided_on=TODAY, reference="AO-77"
    )
    # Not on the page: a request, a cancellation, a course nobody funds, another company's seat.
    make_enrolment(company, later.offering, status="requested", first_name="Rik")
    make_enrolment(company, later.offering, status="cancelled", first_name="Cas")
    plain = run_starting(TODAY - timedelta(days=1))
    plain.course.funding_eligible = False
    plain.course.save()
    make_enrolment(company, plain, first_name="Nico")
    make_enrolment(make_company(), later.offering, first_name="Vreemd")
    return company, {"urgent": urgent, "later": later, "late": late, "paid": paid}


def names(response):
    return [row.enrolment.learner.first_name for row in response.context["page"]]


def test_rows_are_the_claimable_enrolments_the_soonest_to_apply_for_marked_first(client, world):
    company, _ = world
    client.force_login(company.hr)
    response = client.get(url(company))
    assert response.status_code == 200
    assert names(response) == ["Ursula", "Lars", "Piet", "Otto"]
    rows = list(response.context["page"])
    assert [row.urgent for row in rows] == [True, False, False, False]
    assert rows[0].days_left == 10 and rows[3].overdue
    text = response.content.decode()
    assert "<h1>Subsidie</h1>" in text
    assert "Termijn loopt bijna af" in text and "funding-urgent" in text
    assert "nog 10 dagen" in text and "verlopen" in text
    assert "AO-77" in text and "PO-4711" in text and "uitbetaald" in text
    assert "ca. €\N{NO-BREAK SPACE}800,00" in text


def test_totals_add_the_rows_by_status(client, world):
    company, _ = world
    client.force_login(company.hr)
    totals = client.get(url(company)).context["totals"]
    # Two to apply for at 80 % of € 1,000 (the overdue one is money lost); one paid € 500.
    assert totals.estimated == Decimal("1600.00")
    assert (totals.applied, totals.granted, totals.paid) == (0, 0, Decimal("500"))


def test_filters_status_period_and_person(client, world):
    company, _ = world
    client.force_login(company.hr)
    assert names(client.get(url(company, status="paid"))) == ["Piet"]
    assert names(client.get(url(company, status="not_applied"))) == ["Ursula", "Lars", "Otto"]
    since = (TODAY - timedelta(days=31)).isoformat()
    assert names(client.get(url(company, start_from=since))) == ["Lars", "Piet"]
    until = (TODAY - timedelta(days=60)).isoformat()
    assert names(client.get(url(company, start_to=until))) == ["Ursula", "Otto"]
    assert names(client.get(url(company, q="oud"))) == ["Otto"]
    # A bad filter shows its error and everything.
    response = client.get(url(company, start_from="gisteren"))
    assert response.status_code == 200 and "start_from" in response.context["search"].errors
    assert len(names(response)) == 4


def test_pages_of_fifty(client, world, monkeypatch):
    company, _ = world
    from companies.funding import claim_selectors

    monkeypatch.setattr(claim_selectors, "CLAIM_PAGE_SIZE", 3)
    client.force_login(company.hr)
    first = client.get(url(company))
    assert len(names(first)) == 3 and first.context["page"].has_next()
    assert names(client.get(url(company, page=2))) == ["Otto"]


def test_english_page(client, world):
    company, _ = world
    company.hr.preferred_language = "en"
    company.hr.save()
    client.force_login(company.hr)
    text = client.get(url(company, "en")).content.decode()
    assert "<h1>Funding</h1>" in text
    assert "Window closing soon" in text and "10 days left" in text
    assert "Apply by" in text and "paid" in text
    assert "approx. €800.00" in text


def test_no_fund_says_whom_to_tell_and_the_empty_state_explains(client):
    company = make_company(fund="none")
    client.force_login(company.hr)
    text = client.get(url(company)).content.decode()
    assert "geen sectorfonds geregistreerd" in text and "programmamanager" in text
    assert "Er is nog niets om subsidie voor aan te vragen" in text


def test_the_claim_pack_link_shows_only_when_the_page_exists(client, world):
    company, _ = world
    client.force_login(company.hr)
    text = client.get(url(company)).content.decode()
    try:
        pack = reverse("portal:claim_pack", args=[company.slug])
    except Exception:  # the claim pack is built elsewhere; until then no link
        assert "Claimpakket maken" not in text
    else:
        assert pack in text


def test_the_page_reads_the_same_number_of_queries_for_more_rows(client, world):
    company, _rows = world
    client.force_login(company.hr)
    few = page_queries(client, url(company))
    for index in range(6):
        enrolment = make_enrolment(
            company, run_starting(TODAY - timedelta(days=index + 2)), first_name=f"Extra{index}"
        )
        if index % 2:
            apply(enrolment, company.hr, reference=f"R-{index}")
    assert page_queries(client, url(company)) == few


def test_the_tab_is_in_the_portal_navigation(client, world):
    company, _ = world
    client.force_login(company.hr)
    text = client.get(reverse("portal:dashboard", args=[company.slug])).content.decode()
    assert url(company) in text and ">Subsidie</a>" in text
