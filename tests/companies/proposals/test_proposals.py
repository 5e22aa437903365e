"""Proposals and pledges: who sees what, starting one, pledging, closing, and the start page's
count."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from companies.demand.board import pool_demand
from companies.models import Membership, Offer, OfferMeeting, Pledge, Proposal, TrainingNeed
from companies.proposals import selectors
from companies.proposals import services as proposals
from enrolment.models import Notification
from technohub.models import AuditLog
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    LocationFactory,
    MembershipFactory,
    ProviderFactory,
    ThemeFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.races import race


def hr_of(company, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, company=company, role=Membership.Role.HR)
    return user


def staff_of(provider, **fields):
    user = UserFactory(is_staff=True, provider=provider, **fields)
    user.groups.add(Group.objects.get(name="Opleider"))
    return user


def manager(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Programmamanager"))
    return user


@pytest.fixture
def world(db):
    """Companies A and B with HR, colleges A and B with staff, and the programme manager."""
    companies = {"a": CompanyFactory(name="Kampstaal"), "b": CompanyFactory(name="Suplacon")}
    providers = {"a": ProviderFactory(name="Firda"), "b": ProviderFactory(name="Aeres MBO")}
    return {
        "companies": companies,
        "hr": {
            "a": hr_of(companies["a"], first_name="Hennie", last_name="Post"),
            "b": hr_of(companies["b"], first_name="Bram", last_name="Kok"),
        },
        "providers": providers,
        "college": {
            "a": staff_of(providers["a"], first_name="Henk", last_name="Visser"),
            "b": staff_of(providers["b"], preferred_language="en"),
        },
        "manager": manager(first_name="Sanne", last_name="Jansen"),
        "employee": MembershipFactory(company=companies["a"]).user,
    }


def propose(world, *, by="a", providers=(), **fields):
    """HR of company ``by`` proposes a training (to ``providers``: keys of world's colleges)."""
    return proposals.create_proposal(
        origin=Proposal.Origin.COMPANY,
        created_by=world["hr"][by],
        company=world["companies"][by],
        title=fields.pop("title", "Hydrauliek voor monteurs"),
        expected_headcount=fields.pop("expected_headcount", 8),
        providers=[world["providers"][key] for key in providers],
        **fields,
    )


def pledge(world, proposal, *, by, headcount, reserve=False):
    return proposals.pledge(
        proposal_id=proposal.pk,
        company=world["companies"][by],
        pledged_by=world["hr"][by],
        headcount=headcount,
        reserve_seats=reserve,
    )


def offer(proposal, provider, **fields):
    made = Offer.objects.create(
        proposal=proposal,
        provider=provider,
        price_excl_vat=Decimal("450.00"),
        min_participants=6,
        max_participants=12,
        hours=Decimal("16.0"),
        **fields,
    )
    starts = timezone.now() + timedelta(days=40)
    OfferMeeting.objects.create(offer=made, starts_at=starts, ends_at=starts + timedelta(hours=7))
    return made


def mails(template):
    return {n.to_email: n for n in Notification.objects.filter(template=template)}


# --- Starting a proposal --------------------------------------------------------------------


def test_hr_proposal_mails_the_addressed_college_and_the_manager_in_their_language(world):
    proposal = propose(world, providers=["b"])

    assert proposal.status == Proposal.Status.OPEN
    assert proposal.company == world["companies"]["a"]
    sent = mails("proposal_new")
    # The addressed college (in English) and the manager; not college A, not the proposer.
    assert set(sent) == {world["college"]["b"].email, world["manager"].email}
    assert sent[world["college"]["b"].email].language == "en"
    assert (
        sent[world["college"]["b"].email]
        .context["proposal_url"]
        .endswith(f"/en/proposals/{proposal.pk}/")
    )
    row = AuditLog.objects.get(action="proposal.created")
    assert row.actor == world["hr"]["a"]
    assert row.data == {"company": world["companies"]["a"].pk}


def test_a_proposal_to_no_college_in_particular_mails_every_colleges_staff(world):
    propose(world)

    assert set(mails("proposal_new")) == {
        world["college"]["a"].email,
        world["college"]["b"].email,
        world["manager"].email,
    }


def test_hr_proposes_through_the_page_for_their_company(world, client):
    client.force_login(world["hr"]["a"])
    response = client.post(
        reverse("proposals:new"),
        {
            "title": "PLC voor operators",
            "expected_headcount": "6",
            "target_group": "Operators zonder PLC-ervaring",
            "providers": [world["providers"]["a"].pk],
        },
    )

    proposal = Proposal.objects.get(title="PLC voor operators")
    assert response["Location"] == reverse("proposals:detail", args=[proposal.pk])
    assert proposal.origin == Proposal.Origin.COMPANY
    assert proposal.company == world["companies"]["a"]
    assert list(proposal.providers.all()) == [world["providers"]["a"]]


def test_hr_of_several_companies_picks_one_and_cannot_pick_another(world, client):
    hr = world["hr"]["a"]
    MembershipFactory(user=hr, company=world["companies"]["b"], role=Membership.Role.HR)
    other = CompanyFactory()
    client.force_login(hr)
    data = {"title": "Lassen", "expected_headcount": "3"}

    refused = client.post(reverse("proposals:new"), {**data, "company": other.pk})
    missing = client.post(reverse("proposals:new"), data)
    client.post(reverse("proposals:new"), {**data, "company": world["companies"]["b"].pk})

    assert "company" in refused.context["form"].errors
    assert "company" in missing.context["form"].errors
    assert Proposal.objects.get().company == world["companies"]["b"]


def test_a_college_offers_a_training_as_its_own_provider(world, client):
    client.force_login(world["college"]["a"])
    form_page = client.get(reverse("proposals:new"))
    client.post(
        reverse("proposals:new"),
        {
            "title": "Cobot programmeren",
            "expected_headcount": "8",
            # A college addresses no colleges: the field is not there, a forged one is ignored.
            "providers": [world["providers"]["b"].pk],
        },
    )

    assert "providers" not in form_page.context["form"].fields
    proposal = Proposal.objects.get()
    assert proposal.origin == Proposal.Origin.COLLEGE
    assert proposal.provider == world["providers"]["a"]
    assert not proposal.providers.exists()
    assert world["manager"].email in mails("proposal_new")


def test_manager_makes_a_proposal_from_a_demand_board_group(world, client):
    theme, location = ThemeFactory(name="Hydrauliek"), LocationFactory()
    course = CourseFactory()
    course.themes.add(theme)
    needs = []
    for key, headcount in (("a", 5), ("b", 3)):
        need = TrainingNeed.objects.create(
            company=world["companies"][key],
            submitted_by=world["hr"][key],
            theme=theme,
            course=course,
            title="Hydrauliek",
            headcount=headcount,
        )
        need.preferred_locations.add(location)
        needs.append(need)
    group = pool_demand().groups[0]
    client.force_login(world["manager"])

    board = client.get(reverse("backoffice:demand_board"))
    form = client.get(group.proposal_url).context["form"]

    assert group.proposal_url.replace("&", "&amp;") in board.content.decode()
    assert form.initial["theme"] == theme.pk
    assert form.initial["course"] == course.pk
    assert form.initial["locations"] == [location.pk]
    assert form.initial["expected_headcount"] == 8
    assert sorted(form.initial["training_needs"]) == sorted(need.pk for need in needs)
    response = client.post(
        reverse("proposals:new"),
        {
            "title": form.initial["title"],
            "expected_headcount": "8",
            "theme": theme.pk,
            "course": course.pk,
            "locations": [location.pk],
            "period_start": form.initial["period_start"].isoformat(),
            "period_end": form.initial["period_end"].isoformat(),
            "training_needs": [need.pk for need in needs],
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.origin == Proposal.Origin.DEMAND
    assert proposal.course == course
    assert set(proposal.training_needs.all()) == set(needs)


def test_new_proposal_refuses_too_long_texts_and_a_period_backwards_next_to_the_field(
    world, client
):
    client.force_login(world["hr"]["a"])
    response = client.post(
        reverse("proposals:new"),
        {
            "title": "x" * 201,
            "description": "y" * 5001,
            "expected_headcount": "0",
            "period_start": "2027-03-01",
            "period_end": "2027-02-01",
            "locations": ["999999"],
            "theme": "geen-getal",
        },
    )

    errors = response.context["form"].errors
    assert {"title", "description", "expected_headcount", "period_end", "locations", "theme"} <= (
        set(errors)
    )
    assert not Proposal.objects.exists()


def test_the_demand_board_link_ignores_ids_that_are_not_there(world, client):
    client.force_login(world["manager"])
    response = client.get(
        reverse("proposals:new")
        + "?theme=999999&course=abc&location=-1&headcount=100000&needs=1,x,99999&period_start=zz"
    )

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert "theme" not in initial and "course" not in initial and "locations" not in initial
    assert initial["expected_headcount"] == 500
    assert "training_needs" not in initial and "period_start" not in initial


# --- Who sees what --------------------------------------------------------------------------


def test_hr_of_another_company_sees_totals_never_the_pledging_company(world, client):
    proposal = propose(world)
    pledge(world, proposal, by="a", headcount=4)
    client.force_login(world["hr"]["b"])

    response = client.get(reverse("proposals:detail", args=[proposal.pk]))

    page = response.context["page"]
    text = response.content.decode()
    assert response.context["proposal"].pledged_headcount == 4
    assert response.context["proposal"].pledged_companies == 1
    assert page.own_pledges == [] and page.pledges == []
    assert "Kampstaal" not in text and "Hennie" not in text
    assert [entry.who for entry in page.history] == ["een ander bedrijf", "een ander bedrijf"]


def test_hr_sees_their_own_pledge_and_their_own_people_in_the_history(world, client):
    proposal = propose(world)
    pledge(world, proposal, by="a", headcount=4, reserve=True)
    pledge(world, proposal, by="b", headcount=2)
    client.force_login(world["hr"]["a"])

    response = client.get(reverse("proposals:detail", args=[proposal.pk]))

    page = response.context["page"]
    assert [p.headcount for p in page.own_pledges] == [4]
    assert response.context["proposal"].pledged_headcount == 6
    assert [entry.who for entry in page.history] == [
        "Hennie Post (Kampstaal)",
        "Hennie Post (Kampstaal)",
        "een ander bedrijf",
    ]
    assert "Suplacon" not in response.content.decode()
    assert response.context["pledge_form"].initial["headcount"] == 4


def test_manager_sees_every_pledge_with_company_and_person(world, client):
    proposal = propose(world)
    pledge(world, proposal, by="a", headcount=4)
    pledge(world, proposal, by="b", headcount=2)
    client.force_login(world["manager"])

    response = client.get(reverse("proposals:detail", args=[proposal.pk]))

    page = response.context["page"]
    assert [(p.company.name, p.headcount) for p in page.pledges] == [
        ("Kampstaal", 4),
        ("Suplacon", 2),
    ]
    assert "Bram Kok (Suplacon)" in [entry.who for entry in page.history]


def test_colleges_see_proposals_addressed_to_them_or_to_everyone_and_their_own(world, client):
    to_b = propose(world, providers=["b"], title="Voor Aeres")
    to_all = propose(world, title="Voor iedereen")
    own = proposals.create_proposal(
        origin=Proposal.Origin.COLLEGE,
        created_by=world["college"]["a"],
        provider=world["providers"]["a"],
        title="Van Firda",
        expected_headcount=6,
    )
    client.force_login(world["college"]["a"])

    listed = {p.title for p in client.get(reverse("proposals:list")).context["proposals"]}

    assert listed == {"Voor iedereen", "Van Firda"}
    assert client.get(reverse("proposals:detail", args=[to_b.pk])).status_code == 404
    assert client.get(reverse("proposals:detail", args=[to_all.pk])).status_code == 200
    assert client.get(reverse("proposals:detail", args=[own.pk])).status_code == 200
    client.force_login(world["college"]["b"])
    assert client.get(reverse("proposals:detail", args=[to_b.pk])).status_code == 200
    assert client.get(reverse("proposals:detail", args=[own.pk])).status_code == 404


def test_a_college_sees_its_own_offer_and_only_the_number_of_the_others(world, client):
    proposal = propose(world)
    own = offer(proposal, world["providers"]["a"])
    offer(proposal, world["providers"]["b"], note="Wij doen het goedkoper")
    client.force_login(world["college"]["a"])

    response = client.get(reverse("proposals:detail", args=[proposal.pk]))

    page = response.context["page"]
    assert page.offers == [own]
    assert page.other_offer_count == 1
    assert "Aeres MBO" not in response.content.decode()
    assert "goedkoper" not in response.content.decode()


def test_hr_compares_every_offer_but_not_those_taken_back(world, client):
    proposal = propose(world)
    offer(proposal, world["providers"]["a"])
    offer(proposal, world["providers"]["b"], status=Offer.Status.WITHDRAWN)
    client.force_login(world["hr"]["b"])

    response = client.get(reverse("proposals:detail", args=[proposal.pk]))

    assert [o.provider.name for o in response.context["page"].offers] == ["Firda"]
    assert "450,00" in response.content.decode() or "450.00" in response.content.decode()


def test_a_closed_proposal_is_gone_for_hr_who_never_took_part(world, client):
    proposal = propose(world, by="a")
    pledge(world, proposal, by="a", headcount=3)
    proposals.close_proposal(proposal_id=proposal.pk, closed_by=world["manager"], reason="Te duur")
    other = CompanyFactory()
    pledged_elsewhere = hr_of(other)

    for user, expected in (
        (world["hr"]["a"], 200),
        (world["hr"]["b"], 404),
        (pledged_elsewhere, 404),
        (world["manager"], 200),
    ):
        client.force_login(user)
        assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == expected
    client.force_login(world["hr"]["b"])
    assert not client.get(reverse("proposals:list")).context["proposals"]


def test_who_has_no_role_towards_proposals_is_refused_and_a_visitor_logs_in(world, client):
    proposal = propose(world)
    for name, args in (("list", []), ("detail", [proposal.pk]), ("new", [])):
        client.logout()
        response = client.get(reverse(f"proposals:{name}", args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        client.force_login(world["employee"])
        assert client.get(reverse(f"proposals:{name}", args=args)).status_code == 403


def test_manager_filters_by_status_with_counts(world, client):
    propose(world, title="Open")
    closed = propose(world, title="Dicht")
    proposals.close_proposal(proposal_id=closed.pk, closed_by=world["manager"], reason="Geen vraag")
    client.force_login(world["manager"])

    response = client.get(reverse("proposals:list") + "?status=closed")
    everything = client.get(reverse("proposals:list") + "?status=<script>")

    assert [p.title for p in response.context["proposals"]] == ["Dicht"]
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts == {"open": 1, "accepted": 0, "published": 0, "closed": 1}
    assert len(everything.context["proposals"]) == 2


def test_the_pages_read_in_a_fixed_number_of_queries(world, client):
    proposal = propose(world)
    pledge(world, proposal, by="a", headcount=2)
    offer(proposal, world["providers"]["a"])
    for user in (world["manager"], world["hr"]["a"], world["college"]["a"]):
        client.force_login(user)
        list_url = reverse("proposals:list")
        detail_url = reverse("proposals:detail", args=[proposal.pk])
        before = (page_queries(client, list_url), page_queries(client, detail_url))
        for index in range(3):
            more = propose(world, by="b", title=f"Meer {index}")
            pledge(world, more, by="b", headcount=1)
            pledge(world, proposal, by="b", headcount=index + 1)
            offer(more, world["providers"]["a"])
        offer(proposal, world["providers"]["b"]) if user == world["manager"] else None
        after = (page_queries(client, list_url), page_queries(client, detail_url))
        assert after == before, user
        assert before[0] <= 12 and before[1] <= 16, before
        Proposal.objects.exclude(pk=proposal.pk).delete()
        Offer.objects.filter(provider=world["providers"]["b"]).delete()


# --- Pledging -------------------------------------------------------------------------------


def test_pledge_change_and_withdraw_through_the_page(world, client):
    proposal = propose(world)
    client.force_login(world["hr"]["b"])
    url = reverse("proposals:pledge", args=[proposal.pk])
    company = world["companies"]["b"].pk

    client.post(url, {"company": company, "headcount": "4", "reserve_seats": "on"})
    made = Pledge.objects.get()
    client.post(url, {"company": company, "headcount": "6"})
    changed = Pledge.objects.get()
    client.post(url, {"company": company, "withdraw": "1"})

    assert (made.headcount, made.reserve_seats, made.pledged_by) == (4, True, world["hr"]["b"])
    assert (changed.headcount, changed.reserve_seats) == (6, False)
    assert not Pledge.objects.exists()
    assert list(
        AuditLog.objects.filter(object_id=proposal.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "proposal.created",
        "proposal.pledged",
        "proposal.pledge_changed",
        "proposal.pledge_withdrawn",
    ]


@pytest.mark.parametrize("status", ["published", "closed"])
def test_pledging_is_refused_next_to_the_field_once_published_or_closed(world, client, status):
    proposal = propose(world)
    pledge(world, proposal, by="a", headcount=2)
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    client.force_login(world["hr"]["a"])
    url = reverse("proposals:pledge", args=[proposal.pk])

    changed = client.post(url, {"company": world["companies"]["a"].pk, "headcount": "9"})
    withdrawn = client.post(url, {"company": world["companies"]["a"].pk, "withdraw": "1"})

    assert changed.status_code == 200
    assert "headcount" in changed.context["pledge_form"].errors
    assert "headcount" in withdrawn.context["pledge_form"].errors
    assert Pledge.objects.get().headcount == 2


def test_pledging_is_fine_once_an_offer_was_accepted(world):
    proposal = propose(world)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ACCEPTED)

    assert pledge(world, proposal, by="a", headcount=3).headcount == 3


def test_pledge_refuses_hostile_input(world, client):
    proposal = propose(world)
    client.force_login(world["hr"]["a"])
    url = reverse("proposals:pledge", args=[proposal.pk])

    for data in (
        {"company": world["companies"]["b"].pk, "headcount": "3"},  # another company
        {"company": "abc", "headcount": "3"},
        {"company": world["companies"]["a"].pk, "headcount": "0"},
        {"company": world["companies"]["a"].pk, "headcount": "100000"},
        {"company": world["companies"]["a"].pk, "headcount": "drie"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert response.context["pledge_form"].errors, data
    assert client.post(reverse("proposals:pledge", args=[999999]), {}).status_code == 404
    assert client.get(url).status_code == 405
    assert not Pledge.objects.exists()


def test_only_hr_pledges(world, client):
    proposal = propose(world)
    for user in (world["manager"], world["college"]["a"]):
        client.force_login(user)
        response = client.post(
            reverse("proposals:pledge", args=[proposal.pk]),
            {"company": world["companies"]["a"].pk, "headcount": "3"},
        )
        assert response.status_code == 403
    assert not Pledge.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_hr_of_one_company_pledging_at_once_make_one_pledge():
    company = CompanyFactory()
    first, second = hr_of(company), hr_of(company)
    proposal = proposals.create_proposal(
        origin=Proposal.Origin.COMPANY,
        created_by=first,
        company=company,
        title="Lassen",
        expected_headcount=5,
    )

    results = race(
        [
            lambda who=who, count=count: proposals.pledge(
                proposal_id=proposal.pk,
                company=company,
                pledged_by=who,
                headcount=count,
                reserve_seats=False,
            )
            for who, count in ((first, 3), (second, 4))
        ]
    )

    assert all(isinstance(result, Pledge) for result in results), results
    made = Pledge.objects.get()
    # The later of the two is the pledge; the other was changed into it.
    last = AuditLog.objects.filter(action="proposal.pledge_changed").get()
    assert (made.headcount, made.pledged_by_id) == (last.data["headcount"], last.actor_id)
    assert AuditLog.objects.filter(action="proposal.pledged").count() == 1
    assert AuditLog.objects.filter(action="proposal.pledge_changed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_pledge_racing_the_close_is_either_counted_before_it_or_refused():
    company = CompanyFactory()
    hr = hr_of(company)
    closer = UserFactory(is_staff=True)
    proposal = proposals.create_proposal(
        origin=Proposal.Origin.COMPANY,
        created_by=hr,
        company=company,
        title="Lassen",
        expected_headcount=5,
    )

    results = race(
        [
            lambda: proposals.pledge(
                proposal_id=proposal.pk,
                company=company,
                pledged_by=hr,
                headcount=3,
                reserve_seats=False,
            ),
            lambda: proposals.close_proposal(
                proposal_id=proposal.pk, closed_by=closer, reason="Geen aanbieder"
            ),
        ]
    )

    pledged, closed = results
    assert isinstance(closed, Proposal)
    if isinstance(pledged, Pledge):
        # Counted before the close: its HR hears of the close.
        assert Notification.objects.filter(template="proposal_closed", to_email=hr.email).exists()
    else:
        assert isinstance(pledged, proposals.ProposalRefused)
        assert not Pledge.objects.exists()


# --- Closing --------------------------------------------------------------------------------


def test_manager_closes_after_confirming_and_everyone_involved_hears_why(world, client):
    proposal = propose(world)
    pledge(world, proposal, by="a", headcount=3)
    pledge(world, proposal, by="b", headcount=2)
    offer(proposal, world["providers"]["b"])
    client.force_login(world["manager"])
    url = reverse("proposals:close", args=[proposal.pk])

    confirm = client.get(url)
    empty = client.post(url, {"reason": "  "})
    too_long = client.post(url, {"reason": "x" * 2001})
    done = client.post(url, {"reason": "Geen aanbieder kan het dit jaar geven."})

    assert confirm.status_code == 200 and "reason" in confirm.context["form"].fields
    assert "reason" in empty.context["form"].errors
    assert "reason" in too_long.context["form"].errors
    assert done["Location"] == reverse("proposals:detail", args=[proposal.pk])
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED
    assert proposal.closed_reason == "Geen aanbieder kan het dit jaar geven."
    sent = mails("proposal_closed")
    assert set(sent) == {
        world["hr"]["a"].email,
        world["hr"]["b"].email,
        world["college"]["b"].email,
    }
    assert sent[world["hr"]["a"].email].context["reason"] == proposal.closed_reason
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).context["page"]
    assert [step.label for step in page.steps] == ["Open", "Gesloten"]
    # Closed once: the confirm page now says it cannot be closed.
    again = client.get(url)
    assert again["Location"] == reverse("proposals:detail", args=[proposal.pk])


def test_only_the_manager_closes(world, client):
    proposal = propose(world)
    for user in (world["hr"]["a"], world["college"]["a"]):
        client.force_login(user)
        assert client.get(reverse("proposals:close", args=[proposal.pk])).status_code == 403
        assert (
            client.post(
                reverse("proposals:close", args=[proposal.pk]), {"reason": "weg"}
            ).status_code
            == 403
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN


def test_a_published_proposal_cannot_be_closed(world):
    proposal = propose(world)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.PUBLISHED)

    with pytest.raises(proposals.ProposalRefused):
        proposals.close_proposal(proposal_id=proposal.pk, closed_by=world["manager"], reason="x")


def test_the_steps_follow_the_status(world):
    proposal = propose(world)
    for status, expected in (
        ("open", ["current", "todo", "todo"]),
        ("accepted", ["done", "current", "todo"]),
        ("published", ["done", "done", "current"]),
    ):
        proposal.status = status
        assert [step.state for step in selectors.steps_of(proposal)] == expected


# --- English --------------------------------------------------------------------------------


def test_the_mails_read_in_english(world):
    from enrolment.emails import render

    proposal = propose(world, providers=["b"])
    mail = render(Notification.objects.get(to_email=world["college"]["b"].email))

    assert mail.subject == f"New proposal: {proposal.title}"
    assert "Kampstaal is looking for a training" in mail.text


def test_detail_reads_in_english(world, client):
    proposal = propose(world)
    client.force_login(world["hr"]["b"])
    with translation.override("en"):
        url = reverse("proposals:detail", args=[proposal.pk])

    text = client.get(url).content.decode()

    assert "Pooled demand" in text and "another company" in text


# --- The start page -------------------------------------------------------------------------


def test_count_proposals_waiting_counts_offers_to_decide_and_unanswered_ones(world):
    now = timezone.now()
    with_offer = propose(world, title="Met offerte")
    offer(with_offer, world["providers"]["a"])
    fresh = propose(world, title="Net gedaan")
    stale = propose(world, title="Al lang open")
    withdrawn_only = propose(world, title="Offerte ingetrokken")
    offer(withdrawn_only, world["providers"]["a"], status=Offer.Status.WITHDRAWN)
    closed = propose(world, title="Dicht")
    Proposal.objects.filter(pk__in=[stale.pk, withdrawn_only.pk, closed.pk]).update(
        created_at=now - timedelta(days=15)
    )
    Proposal.objects.filter(pk=closed.pk).update(status=Proposal.Status.CLOSED)

    assert selectors.count_proposals_waiting(now=now) == 3
    assert fresh.pk  # counted only after 14 days without an answer
    assert selectors.count_proposals_waiting(now=now + timedelta(days=15)) == 4
