"""Publishing a run made from a proposal: pledges become reservations, HR gets the link."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Course, Offering
from companies.models import Pledge, Proposal
from companies.proposals import offers
from companies.proposals.publishing import publish_to_pledgers
from enrolment import services
from enrolment.emails import render
from enrolment.models import Enrolment, Notification, SeatReservation
from technohub.models import AuditLog
from tests.admin_forms import form_data, offering_form
from tests.companies.proposals.offer_world import make_offer, make_world
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.races import assert_offering_is_consistent, race


def accepted_run(world, **offer_fields) -> Offering:
    """Accept Firda's offer and make the run and its course ready to open."""
    offer = make_offer(world, world.firda, **offer_fields)
    accepted = offers.accept_offer(
        proposal_id=world.proposal.pk, offer_id=offer.pk, actor=world.manager
    )
    Course.objects.filter(pk=accepted.course.pk).update(is_published=True)
    return accepted.offering


def open_run(offering: Offering) -> None:
    Offering.objects.filter(pk=offering.pk).update(status=Offering.Status.OPEN)


def published_mails() -> list[Notification]:
    return list(Notification.objects.filter(template="proposal_published").order_by("to_email"))


@pytest.mark.django_db
def test_opening_the_run_in_the_admin_reserves_pledged_seats_and_mails_hr(
    client, django_capture_on_commit_callbacks
):
    world = make_world()
    offering = accepted_run(world)
    client.force_login(world.manager)
    url, data = offering_form(client, offering)
    data["status"] = "open"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302
    shown = [str(message) for message in response.wsgi_request._messages]
    assert "2 bedrijven kregen bericht; 4 plaatsen gereserveerd." in shown
    reservation = SeatReservation.objects.get()
    assert (reservation.company, reservation.reserved_seats, reservation.reserved_by) == (
        world.kampstaal,
        4,
        world.kampstaal_hr,
    )
    offering.refresh_from_db()
    assert offering.reserved_count == 4
    pledge = Pledge.objects.get(company=world.kampstaal)
    assert pledge.reservation == reservation
    assert Pledge.objects.get(company=world.suplacon).reservation is None
    world.proposal.refresh_from_db()
    assert world.proposal.status == Proposal.Status.PUBLISHED
    assert AuditLog.objects.filter(action="proposal.published").count() == 1

    kampstaal, suplacon = published_mails()
    dutch = render(kampstaal)
    team_url = reverse("portal:team_enrol", args=[world.kampstaal.slug, offering.pk])
    assert dutch.subject == "Schrijf je team in: Hydrauliek voor monteurs"
    assert "Voor Kampstaal zijn 4 plaatsen gereserveerd. Geef de namen door vóór" in dutch.text
    # With seats held, the one link is to name people for them: a team enrolled elsewhere would
    # take free seats next to the reserved ones.
    assert reverse("portal:reservation", args=[world.kampstaal.slug, reservation.pk]) in dutch.text
    assert team_url not in dutch.text
    english = render(suplacon)
    assert english.subject == "Enrol your team: Hydrauliek voor monteurs"
    assert "/en/" in english.text
    assert "reserved" not in english.text
    assert "Enrol a team of Suplacon" in english.text
    with translation.override("en"):
        assert reverse("portal:team_enrol", args=[world.suplacon.slug, offering.pk]) in english.text


@pytest.mark.django_db
def test_publishing_twice_does_nothing_the_second_time():
    world = make_world()
    offering = accepted_run(world)
    open_run(offering)

    first = publish_to_pledgers(offering_id=offering.pk, actor=world.manager)
    second = publish_to_pledgers(offering_id=offering.pk, actor=world.manager)

    assert (first.companies_mailed, first.seats_held) == (2, 4)
    assert (second.proposals, second.companies_mailed, second.seats_held) == (0, 0, 0)
    assert SeatReservation.objects.count() == 1
    assert len(published_mails()) == 2


@pytest.mark.django_db
def test_nothing_happens_before_the_run_is_open_or_while_its_course_is_unpublished():
    world = make_world()
    offering = accepted_run(world)

    assert publish_to_pledgers(offering_id=offering.pk, actor=world.manager).proposals == 0
    open_run(offering)
    Course.objects.filter(pk=offering.course_id).update(is_published=False)
    result = publish_to_pledgers(offering_id=offering.pk, actor=world.manager)

    assert result.course_unpublished
    assert not published_mails() and not SeatReservation.objects.exists()
    world.proposal.refresh_from_db()
    assert world.proposal.status == Proposal.Status.ACCEPTED


@pytest.mark.django_db
def test_fewer_free_seats_than_pledged_holds_what_is_free_and_says_so(client):
    world = make_world()
    Pledge.objects.filter(company=world.suplacon).update(reserve_seats=True)
    offering = accepted_run(world, maximum=5)
    open_run(offering)

    result = publish_to_pledgers(offering_id=offering.pk, actor=world.manager)

    # In pledge order: Kampstaal gets its 4, Suplacon the 1 seat left of its 3.
    held = dict(SeatReservation.objects.values_list("company__name", "reserved_seats"))
    assert held == {"Kampstaal": 4, "Suplacon": 1}
    assert result.seats_held == 5
    assert [(s.company, s.pledged, s.held) for s in result.shortfalls] == [("Suplacon", 3, 1)]
    english = render(published_mails()[1])
    assert "1 seat has been reserved for Suplacon" in english.text
    assert "You pledged 3 participants; no more seats were free." in english.text


@pytest.mark.django_db
def test_a_closed_run_reserves_at_the_agreed_price():
    world = make_world()
    offer = make_offer(world, world.firda, price="380.00")
    accepted = offers.accept_offer(
        proposal_id=world.proposal.pk, offer_id=offer.pk, actor=world.manager, private=True
    )
    Course.objects.filter(pk=accepted.course.pk).update(is_published=True, price_excl_vat=999)
    open_run(accepted.offering)

    publish_to_pledgers(offering_id=accepted.offering.pk, actor=world.manager)

    assert str(SeatReservation.objects.get().price_excl_vat) == "380.00"


@pytest.mark.django_db
def test_the_whole_lifecycle_from_pledges_to_a_team_enrolled(
    client, django_capture_on_commit_callbacks
):
    world = make_world()
    # A college answers, the manager accepts, the run opens.
    client.force_login(world.firda_user)
    day = timezone.localdate() + timedelta(days=40)
    client.post(
        reverse("proposals:offer", args=[world.proposal.pk]),
        {
            "price_excl_vat": "450",
            "min_participants": "4",
            "max_participants": "8",
            "hours": "14",
            "locations": [world.hub.pk],
            "meeting_1_date": day.isoformat(),
            "meeting_1_start": "09:00",
            "meeting_1_end": "16:00",
        },
    )
    offer = world.proposal.offers.get()
    client.force_login(world.manager)
    response = client.post(
        reverse("proposals:accept", args=[world.proposal.pk, offer.pk]),
        {"location": world.hub.pk},
    )
    offering = Offering.objects.get()
    assert response["Location"] == reverse("admin:catalogue_offering_change", args=[offering.pk])
    Course.objects.filter(pk=offering.course_id).update(is_published=True)
    url, data = offering_form(client, offering)
    data["status"] = "open"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    # HR names people for the reserved seats from the mail's link.
    reservation = SeatReservation.objects.get()
    worker = MembershipFactory(company=world.kampstaal).user
    services.name_reserved_seats(
        hr_user=world.kampstaal_hr, reservation_id=reservation.pk, learners=[worker]
    )
    assert Enrolment.objects.get(learner=worker).status == Enrolment.Status.CONFIRMED
    offering.refresh_from_db()
    assert (offering.confirmed_count, offering.reserved_count) == (1, 3)
    statuses = list(
        AuditLog.objects.filter(action__startswith="proposal.").values_list("action", flat=True)
    )
    assert sorted(statuses) == ["proposal.accepted", "proposal.published"]


@pytest.mark.django_db(transaction=True)
def test_publishing_while_learners_enrol_never_overbooks_or_reserves_twice():
    world = make_world()
    third = CompanyFactory(name="Agrifirm")
    MembershipFactory(company=third, role="hr")
    Pledge.objects.filter(proposal=world.proposal).update(reserve_seats=True)
    Pledge.objects.create(proposal=world.proposal, company=third, headcount=2, reserve_seats=True)
    offering = accepted_run(world, maximum=8)
    open_run(offering)
    people = [UserFactory() for _ in range(6)]

    results = race(
        [
            lambda: publish_to_pledgers(offering_id=offering.pk, actor=world.manager),
            lambda: publish_to_pledgers(offering_id=offering.pk, actor=world.manager),
            *[
                lambda person=person: services.enrol_learner(
                    learner=person, offering_id=offering.pk
                )
                for person in people
            ],
        ]
    )

    assert not [result for result in results if isinstance(result, Exception)], results
    assert_offering_is_consistent(offering)
    offering.refresh_from_db()
    assert offering.confirmed_count + offering.reserved_count == 8  # every seat taken, no more
    assert Enrolment.objects.filter(offering=offering, status="waitlisted").count() == (
        6 - offering.confirmed_count
    )
    # One publication happened: one reservation per pledging company at most, one mail each.
    assert sum(result.proposals for result in results[:2]) == 1
    companies = list(SeatReservation.objects.values_list("company_id", flat=True))
    assert len(companies) == len(set(companies))
    assert Pledge.objects.filter(reservation__isnull=False).count() == len(companies)
    assert Notification.objects.filter(template="proposal_published").count() == 3


@pytest.mark.django_db
def test_publishing_the_new_course_after_opening_its_run_tells_the_pledgers(
    client, django_capture_on_commit_callbacks
):
    world = make_world()
    offer = make_offer(world, world.firda)
    accepted = offers.accept_offer(
        proposal_id=world.proposal.pk, offer_id=offer.pk, actor=world.manager
    )
    client.force_login(world.manager)
    url, data = offering_form(client, accepted.offering)
    data["status"] = "open"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    shown = [str(message) for message in response.wsgi_request._messages]
    assert any("Publiceer ook de cursus" in message for message in shown), shown
    assert not published_mails()

    course_url = reverse("admin:catalogue_course_change", args=[accepted.course.pk])
    data = form_data(client.get(course_url).content.decode())
    data["is_published"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(course_url, data)

    assert response.status_code == 302, response.context["errors"]
    assert SeatReservation.objects.get().reserved_seats == 4
    assert len(published_mails()) == 2
