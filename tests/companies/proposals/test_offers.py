"""Offers: a college makes, changes and withdraws one; the programme manager accepts one."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Course, Offering
from companies.models import Offer, Proposal
from companies.proposals import offers
from enrolment.emails import render
from enrolment.models import Notification
from technohub.models import AuditLog
from tests.companies.proposals.offer_world import make_offer, make_world
from tests.factories import CourseFactory, LocationFactory
from tests.queries import page_queries
from tests.races import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def offer_post(day, **fields) -> dict:
    data = {
        "price_excl_vat": "450,00",
        "min_participants": "4",
        "max_participants": "10",
        "hours": "14",
        "note": "Praktijk op de eigen machines.",
        "meeting_1_date": day.isoformat(),
        "meeting_1_start": "09:00",
        "meeting_1_end": "16:00",
        "meeting_2_date": (day + timedelta(days=7)).isoformat(),
        "meeting_2_start": "09:00",
        "meeting_2_end": "16:00",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def future_day():
    return timezone.localdate() + timedelta(days=40)


def mails(template: str) -> list[Notification]:
    return list(Notification.objects.filter(template=template).order_by("to_email"))


def test_college_sends_an_offer_and_the_manager_and_proposer_hear_of_it(client, world):
    client.force_login(world.firda_user)
    url = reverse("proposals:offer", args=[world.proposal.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, offer_post(future_day(), locations=[world.hub.pk]))

    assert response.status_code == 302, response.context["form"].errors
    offer = Offer.objects.get()
    assert (offer.provider, offer.status, offer.submitted_by) == (
        world.firda,
        Offer.Status.SUBMITTED,
        world.firda_user,
    )
    assert offer.price_excl_vat == Decimal("450.00")
    assert list(offer.locations.all()) == [world.hub]
    meetings = list(offer.meetings.all())
    assert len(meetings) == 2
    assert timezone.localtime(meetings[0].starts_at).hour == 9  # Europe/Amsterdam
    received = mails("offer_received")
    assert {mail.to_email for mail in received} == {world.manager.email, world.kampstaal_hr.email}
    manager_mail = render(next(m for m in received if m.recipient == world.manager))
    assert manager_mail.subject == "Nieuwe offerte van Firda: Hydrauliek voor monteurs"
    assert reverse("proposals:accept", args=[world.proposal.pk, offer.pk]) in manager_mail.text
    assert "€ 450,00" in manager_mail.text
    assert AuditLog.objects.filter(action="offer.submitted", object_id=offer.pk).exists()


def test_changing_the_offer_keeps_one_offer_with_the_new_meetings(client, world):
    client.force_login(world.firda_user)
    url = reverse("proposals:offer", args=[world.proposal.pk])
    client.post(url, offer_post(future_day()))

    page = client.get(url).content.decode()
    assert 'value="09:00"' in page  # the form shows the meetings as they are
    client.post(
        url,
        offer_post(
            future_day(),
            price_excl_vat="425",
            meeting_2_date="",
            meeting_2_start="",
            meeting_2_end="",
        ),
    )

    offer = Offer.objects.get()
    assert offer.price_excl_vat == Decimal("425")
    assert offer.meetings.count() == 1
    assert AuditLog.objects.filter(action="offer.changed", object_id=offer.pk).exists()
    changed = render(mails("offer_received")[-1])
    assert "gewijzigd" in changed.subject


def test_offer_errors_stand_next_to_their_field_and_change_nothing(client, world):
    client.force_login(world.firda_user)
    url = reverse("proposals:offer", args=[world.proposal.pk])

    response = client.post(
        url, offer_post(future_day(), min_participants="12", meeting_2_end="", hours="0")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["min_participants"] == [
        "Het minimum aantal deelnemers kan niet hoger zijn dan het maximum."
    ]
    assert form.errors["hours"] == ["Een cursus duurt langer dan 0 uur."]
    assert form.errors["meeting_2_end"] == [
        "Vul datum, begintijd en eindtijd in, of geen van drieën."
    ]
    assert not Offer.objects.exists()


def test_a_meeting_in_the_past_or_ending_before_it_starts_is_refused(client, world):
    client.force_login(world.firda_user)
    url = reverse("proposals:offer", args=[world.proposal.pk])
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        url,
        offer_post(future_day(), meeting_1_date=yesterday.isoformat(), meeting_2_end="08:00"),
    )

    errors = response.context["form"].errors
    assert errors["meeting_1_date"] == ["Kies een datum in de toekomst."]
    assert errors["meeting_2_end"] == ["Een bijeenkomst eindigt na het begin."]


def test_english_college_user_reads_the_errors_in_english(client, world):
    world.firda_user.preferred_language = "en"
    world.firda_user.save(update_fields=["preferred_language"])
    client.force_login(world.firda_user)
    with translation.override("en"):
        url = reverse("proposals:offer", args=[world.proposal.pk])
    assert url.startswith("/en/")

    response = client.post(url, offer_post(future_day(), min_participants="12"))

    assert response.context["form"].errors["min_participants"] == [
        "The minimum number of participants cannot be higher than the maximum."
    ]


def test_no_offer_on_a_proposal_that_is_no_longer_open(client, world):
    Proposal.objects.filter(pk=world.proposal.pk).update(status=Proposal.Status.CLOSED)
    client.force_login(world.firda_user)
    url = reverse("proposals:offer", args=[world.proposal.pk])

    assert "Offerte versturen" not in client.get(url).content.decode()
    response = client.post(url, offer_post(future_day()))

    assert response.status_code == 302
    assert not Offer.objects.exists()
    with pytest.raises(offers.OfferRefused):
        offers.submit_offer(
            proposal_id=world.proposal.pk,
            provider=world.firda,
            actor=world.firda_user,
            price_excl_vat=Decimal("1"),
            min_participants=1,
            max_participants=2,
            hours=Decimal("1"),
            locations=[],
            at_company=False,
            note="",
            meetings=[],
        )


def test_offer_page_is_for_colleges_the_proposal_is_addressed_to(client, world):
    url = reverse("proposals:offer", args=[world.proposal.pk])
    world.proposal.providers.set([world.aeres])

    client.force_login(world.firda_user)
    assert client.get(url).status_code == 404  # addressed to another college only
    client.force_login(world.aeres_user)
    assert client.get(url).status_code == 200
    client.force_login(world.kampstaal_hr)
    assert client.get(url).status_code == 403
    client.force_login(world.manager)  # the manager works for no college
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_college_withdraws_its_offer_after_confirming(client, world):
    offer = make_offer(world, world.firda)
    client.force_login(world.firda_user)
    url = reverse("proposals:withdraw_offer", args=[world.proposal.pk])

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Intrekken" in confirmation.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED  # asking changed nothing

    client.post(url)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    assert AuditLog.objects.filter(action="offer.withdrawn", object_id=offer.pk).exists()
    client.force_login(world.aeres_user)  # another college has no offer of its own to withdraw
    assert client.post(url).status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN


def test_accept_page_is_for_the_programme_manager(client, world):
    offer = make_offer(world, world.firda)
    url = reverse("proposals:accept", args=[world.proposal.pk, offer.pk])

    for user, expected in (
        (world.kampstaal_hr, 403),
        (world.firda_user, 403),
        (world.aeres_user, 403),
        (world.manager, 200),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected
        if expected == 403:
            assert client.post(url, {"location": world.hub.pk}).status_code == 403
    other = make_offer(world, world.aeres)
    Offer.objects.filter(pk=other.pk).update(
        proposal=Proposal.objects.create(origin="demand", title="Iets anders")
    )
    client.force_login(world.manager)
    wrong = reverse("proposals:accept", args=[world.proposal.pk, other.pk])
    assert client.get(wrong).status_code == 404
    assert not Offering.objects.exists()


def test_accept_page_pins_its_queries(client, world):
    offer = make_offer(world, world.firda)
    client.force_login(world.manager)
    url = reverse("proposals:accept", args=[world.proposal.pk, offer.pk])
    few = page_queries(client, url)
    make_offer(world, world.aeres)
    for _ in range(3):
        offer.meetings.create(
            starts_at=timezone.now() + timedelta(days=90),
            ends_at=timezone.now() + timedelta(days=90, hours=2),
        )
    assert page_queries(client, url) == few


def test_accepting_makes_a_concept_course_and_run_and_tells_everyone(client, world):
    firda = make_offer(world, world.firda, meetings=3)
    aeres = make_offer(world, world.aeres, price="399.00")
    client.force_login(world.manager)
    url = reverse("proposals:accept", args=[world.proposal.pk, firda.pk])
    page = client.get(url).content.decode()
    assert "Samen 7 deelnemers." in page
    assert "Besloten uitvoering" in page
    # The other offer is there to compare, with its own confirmation page.
    assert reverse("proposals:accept", args=[world.proposal.pk, aeres.pk]) in page

    response = client.post(url, {"location": world.hub.pk})

    offering = Offering.objects.get()
    assert response["Location"] == reverse("admin:catalogue_offering_change", args=[offering.pk])
    course = offering.course
    assert (course.title, course.provider, course.is_published) == (
        "Hydrauliek voor monteurs",
        world.firda,
        False,
    )
    assert course.price_excl_vat == Decimal("450.00") and course.study_hours == Decimal("14")
    assert course.audience == "Monteurs in de buitendienst"
    assert course.learning_outcomes.startswith("Een hydraulisch schema lezen")
    assert (offering.status, offering.location, offering.capacity, offering.min_participants) == (
        Offering.Status.CONCEPT,
        world.hub,
        10,
        4,
    )
    assert not offering.private_for.exists() and offering.agreed_price_excl_vat is None
    assert list(offering.meetings.values_list("starts_at", flat=True)) == list(
        firda.meetings.values_list("starts_at", flat=True)
    )
    world.proposal.refresh_from_db()
    assert (world.proposal.status, world.proposal.course, world.proposal.offering) == (
        Proposal.Status.ACCEPTED,
        course,
        offering,
    )
    firda.refresh_from_db()
    aeres.refresh_from_db()
    assert (firda.status, aeres.status) == (Offer.Status.ACCEPTED, Offer.Status.DECLINED)
    assert [m.to_email for m in mails("offer_accepted")] == [world.firda_user.email]
    assert [m.to_email for m in mails("offer_declined")] == [world.aeres_user.email]
    # The colleges read the outcome addressed as "jullie", like the rest of the site.
    accepted_mail = render(mails("offer_accepted")[0])
    assert accepted_mail.subject == "Jullie offerte is geaccepteerd: Hydrauliek voor monteurs"
    declined_mail = render(mails("offer_declined")[0])
    assert declined_mail.subject == "Jullie offerte is niet gekozen: Hydrauliek voor monteurs"
    assert "Bedankt voor jullie offerte." in declined_mail.text
    coming = mails("proposal_course_coming")
    assert [m.to_email for m in coming] == [world.kampstaal_hr.email, world.suplacon_hr.email]
    english = render(coming[1])
    assert english.subject == "A course is coming: Hydrauliek voor monteurs"
    assert "Suplacon pledged 3 participants" in english.text
    assert "Aeres" not in render(coming[0]).text.replace("Firda", "")
    for action in ("offer.accepted", "offer.declined", "proposal.accepted"):
        assert AuditLog.objects.filter(action=action).exists(), action
    # The manager lands on the run's page with what to do next.
    landing = client.get(response["Location"])
    assert "Deze uitvoering staat in concept" in landing.content.decode()


def test_accepting_for_an_existing_course_makes_a_run_of_it(client, world):
    course = CourseFactory(title="Hydrauliek basis")
    Proposal.objects.filter(pk=world.proposal.pk).update(course=course)
    offer = make_offer(world, world.firda)
    client.force_login(world.manager)

    client.post(
        reverse("proposals:accept", args=[world.proposal.pk, offer.pk]), {"location": world.hub.pk}
    )

    assert Course.objects.count() == 1
    assert Offering.objects.get().course == course


def test_a_closed_run_is_for_the_pledging_companies_at_the_offers_price(client, world):
    offer = make_offer(world, world.firda, price="380.00")
    client.force_login(world.manager)

    client.post(
        reverse("proposals:accept", args=[world.proposal.pk, offer.pk]),
        {"location": world.hub.pk, "private": "on"},
    )

    offering = Offering.objects.get()
    assert set(offering.private_for.all()) == {world.kampstaal, world.suplacon}
    assert offering.agreed_price_excl_vat == Decimal("380.00")


def test_the_manager_picks_a_place_when_neither_offer_nor_proposal_names_one(client, world):
    world.proposal.locations.clear()
    offer = make_offer(world, world.firda, places=[])
    elsewhere = LocationFactory(name="Agri Innovatiecenter")
    with pytest.raises(offers.OfferRefused, match="kies een locatie"):
        offers.accept_offer(proposal_id=world.proposal.pk, offer_id=offer.pk, actor=world.manager)
    client.force_login(world.manager)
    url = reverse("proposals:accept", args=[world.proposal.pk, offer.pk])
    assert "Agri Innovatiecenter" in client.get(url).content.decode()

    client.post(url, {"location": elsewhere.pk})

    assert Offering.objects.get().location == elsewhere


def test_a_second_accept_is_refused_with_the_constraints_sentence(client, world):
    first = make_offer(world, world.firda)
    second = make_offer(world, world.aeres)
    offers.accept_offer(proposal_id=world.proposal.pk, offer_id=first.pk, actor=world.manager)

    with pytest.raises(offers.OfferRefused) as refused:
        offers.accept_offer(proposal_id=world.proposal.pk, offer_id=second.pk, actor=world.manager)

    assert refused.value.message == "Er is al een offerte voor dit voorstel geaccepteerd."
    assert Offering.objects.count() == 1
    client.force_login(world.manager)
    page = client.get(reverse("proposals:accept", args=[world.proposal.pk, second.pk]))
    assert "kan niet geaccepteerd worden" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_run_and_refuse_the_other():
    world = make_world()
    first = make_offer(world, world.firda)
    second = make_offer(world, world.aeres)

    results = race(
        [
            lambda offer=offer: offers.accept_offer(
                proposal_id=world.proposal.pk, offer_id=offer.pk, actor=world.manager
            )
            for offer in (first, second)
        ]
    )

    accepted = [result for result in results if isinstance(result, offers.Accepted)]
    refused = [result for result in results if isinstance(result, offers.OfferRefused)]
    assert len(accepted) == 1 and len(refused) == 1, results
    assert refused[0].message == "Er is al een offerte voor dit voorstel geaccepteerd."
    assert Offering.objects.count() == 1 and Course.objects.count() == 1
    assert Offer.objects.filter(status=Offer.Status.ACCEPTED).count() == 1
    assert Offer.objects.filter(status=Offer.Status.DECLINED).count() == 1


def test_offer_page_pins_its_queries(client, world):
    make_offer(world, world.firda)
    client.force_login(world.firda_user)
    url = reverse("proposals:offer", args=[world.proposal.pk])
    few = page_queries(client, url)
    world.proposal.locations.add(LocationFactory(), LocationFactory())
    offer = Offer.objects.get()
    for week in range(3):
        offer.meetings.create(
            starts_at=timezone.now() + timedelta(days=90 + 7 * week),
            ends_at=timezone.now() + timedelta(days=90 + 7 * week, hours=2),
        )
    assert page_queries(client, url) == few
