"""Demo proposals, one at each stage, dated from the day the demo is loaded.

- open, pledged by two companies, no offer yet (and older than two weeks: it waits on the
  programme manager's start page);
- open with an offer from Firda (with its proposed meetings);
- accepted: Firda's offer accepted, a concept course and a concept run made from it;
- published: an open run of an existing course, the pledges turned into seat reservations
  where HR asked for that;
- closed, with the reason.

Each is found again by its title, so seeding twice adds nothing. The rows are written directly
(with the audit rows the services write): the seed is one transaction, and the services each
open their own.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from catalogue.models import Course, Location, Meeting, Offering, Provider, Sector, Theme
from companies.models import Company, Offer, OfferMeeting, Pledge, Proposal, User
from enrolment.models import SeatReservation
from technohub import audit
from technohub.models import AuditLog

from .accounts import PROGRAMME_MANAGER_EMAIL, TRAINER_EMAIL
from .places import HUB_DRONTEN, HUB_FIRDA, MOBILE_HUB

HUB_TIMEZONE = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class PledgeSpec:
    company: str  # slug
    headcount: int
    reserve_seats: bool = False


@dataclass(frozen=True)
class ProposalSpec:
    title: str
    status: str
    origin: str
    description: str
    target_group: str
    learning_outcomes: str
    expected_headcount: int
    theme: str
    days_ago: int  # when it was proposed
    locations: tuple[str, ...] = ()
    company: str = ""  # origin company: the company that asks
    provider: str = ""  # origin college: the college that offers
    addressed_to: tuple[str, ...] = ()  # provider slugs; none: every provider
    pledges: tuple[PledgeSpec, ...] = ()
    offer_from: str = ""  # provider slug of the offer
    course: str = ""  # an existing course it is about
    closed_reason: str = ""


PROPOSALS = (
    ProposalSpec(
        title="Hydrauliek voor monteurs van landbouwmachines",
        status=Proposal.Status.OPEN,
        origin=Proposal.Origin.COMPANY,
        company="loonbedrijf-van-der-veen",
        description="Onze monteurs zoeken storingen aan werktuigen steeds vaker in de "
        "hydrauliek. We zoeken een praktische training op onze eigen machines.",
        target_group="Monteurs met een mbo-2 of -3 diploma en een paar jaar ervaring.",
        learning_outcomes="Hydraulische schema's van werktuigen lezen\nStoringen meten en "
        "verhelpen\nVeilig werken aan systemen onder druk",
        expected_headcount=10,
        theme="hydrauliek",
        days_ago=16,
        locations=(HUB_DRONTEN, MOBILE_HUB),
        pledges=(
            PledgeSpec("loonbedrijf-van-der-veen", 4, True),
            PledgeSpec("agrotechniek-dronten", 3),
        ),
    ),
    ProposalSpec(
        title="Cobot-lassen voor kleine series",
        status=Proposal.Status.OPEN,
        origin=Proposal.Origin.DEMAND,
        description="Drie metaalbedrijven vroegen op het vraagbord om lassen met een cobot.",
        target_group="Lassers die al MIG/MAG lassen.",
        learning_outcomes="Een lascobot instellen en programmeren\nLasparameters kiezen voor "
        "kleine series",
        expected_headcount=8,
        theme="robotica",
        days_ago=9,
        locations=(HUB_FIRDA,),
        addressed_to=("firda", "opleidingsbedrijf-metaal"),
        pledges=(PledgeSpec("kampstaal", 5), PledgeSpec("hoekstra-lastechniek", 2)),
        offer_from="firda",
    ),
    ProposalSpec(
        title="Storingzoeken aan PLC-gestuurde machines",
        status=Proposal.Status.ACCEPTED,
        origin=Proposal.Origin.COLLEGE,
        provider="firda",
        description="Firda kan een korte cursus storingzoeken aanbieden op de PLC-panelen "
        "van de hub.",
        target_group="Operators en monteurs die machines met een PLC bedienen.",
        learning_outcomes="Een PLC-programma online volgen\nIn- en uitgangen meten\nEen "
        "storing systematisch opsporen",
        expected_headcount=10,
        theme="plc-automatisering",
        days_ago=30,
        locations=(HUB_FIRDA,),
        pledges=(PledgeSpec("suplacon", 4, True), PledgeSpec("polder-machinebouw", 2)),
        offer_from="firda",
    ),
    ProposalSpec(
        title="Drones voor gewasmonitoring bij de teelt",
        status=Proposal.Status.PUBLISHED,
        origin=Proposal.Origin.COMPANY,
        company="telerscooperatie-nop",
        description="Onze telers willen zelf met drones hun gewassen volgen.",
        target_group="Telers en medewerkers van akkerbouwbedrijven.",
        learning_outcomes="Veilig en legaal vliegen (A1/A3)\nBeelden van gewassen maken en lezen",
        expected_headcount=8,
        theme="drones",
        days_ago=45,
        locations=(HUB_DRONTEN,),
        addressed_to=("aeres-hogeschool",),
        pledges=(
            PledgeSpec("telerscooperatie-nop", 4, True),
            PledgeSpec("loonbedrijf-van-der-veen", 2),
        ),
        offer_from="aeres-hogeschool",
        course="drones-a1-a3-gewasmonitoring",
    ),
    ProposalSpec(
        title="Klimaatcomputer in de kas: verdieping",
        status=Proposal.Status.CLOSED,
        origin=Proposal.Origin.COMPANY,
        company="kaskracht-techniek",
        description="Een vervolg op de cursus klimaatcomputer, over energiebesparing.",
        target_group="Teeltmedewerkers die de klimaatcomputer al bedienen.",
        learning_outcomes="Klimaatstrategieën vergelijken\nEnergie besparen zonder "
        "productieverlies",
        expected_headcount=6,
        theme="digitale-vaardigheden",
        days_ago=60,
        closed_reason="Te weinig bedrijven deden mee; de onderwerpen komen in de gewone "
        "cursus Klimaatcomputer aan bod.",
    ),
)

# The run made from the accepted and the published proposal: weeks from today, day slots.
RUN_WEEKS = {Proposal.Status.ACCEPTED: 8, Proposal.Status.PUBLISHED: 6}
OFFER_PRICE = Decimal("495.00")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=HUB_TIMEZONE)


def _meeting_days(today: date, weeks: int) -> list[date]:
    """Two Tuesdays a week apart, ``weeks`` weeks from ``today``."""
    first = today + timedelta(weeks=weeks)
    first += timedelta(days=(1 - first.weekday()) % 7)
    return [first, first + timedelta(weeks=1)]


def seed_proposals(
    *,
    companies: dict[str, Company],
    hr: dict[str, User],
    providers: dict[str, Provider],
    courses: dict[str, Course],
    locations: dict[str, Location],
    themes: dict[str, Theme],
    today: date,
    now: datetime,
) -> None:
    """Write every proposal of :data:`PROPOSALS` that is not there yet."""
    manager = User.objects.get(email=PROGRAMME_MANAGER_EMAIL)
    trainer = User.objects.get(email=TRAINER_EMAIL)
    for spec in PROPOSALS:
        if Proposal.objects.filter(title=spec.title).exists():
            continue
        creator = {
            Proposal.Origin.COMPANY: hr.get(spec.company),
            Proposal.Origin.COLLEGE: trainer,
            Proposal.Origin.DEMAND: manager,
        }[spec.origin]
        proposal = Proposal.objects.create(
            origin=spec.origin,
            status=Proposal.Status.OPEN,
            title=spec.title,
            description=spec.description,
            target_group=spec.target_group,
            learning_outcomes=spec.learning_outcomes,
            expected_headcount=spec.expected_headcount,
            period_start=today + timedelta(weeks=4),
            period_end=today + timedelta(weeks=16),
            theme=themes[spec.theme],
            company=companies[spec.company] if spec.company else None,
            provider=providers[spec.provider] if spec.provider else None,
            course=courses[spec.course] if spec.course else None,
            created_by=creator,
        )
        proposal.locations.set([locations[slug] for slug in spec.locations])
        proposal.providers.set([providers[slug] for slug in spec.addressed_to])
        party = {"company": proposal.company_id} if spec.company else {}
        party |= {"provider": proposal.provider_id} if spec.provider else {}
        audit.record(action="proposal.created", target=proposal, actor=creator, **party)
        pledges = [_pledge(proposal, companies[p.company], hr[p.company], p) for p in spec.pledges]
        if spec.offer_from:
            offer = _offer(
                proposal,
                providers[spec.offer_from],
                trainer if spec.offer_from == trainer.provider.slug else None,
                locations=[locations[slug] for slug in spec.locations],
                days=_meeting_days(today, RUN_WEEKS.get(spec.status, 7)),
            )
        if spec.status in (Proposal.Status.ACCEPTED, Proposal.Status.PUBLISHED):
            _accept(proposal, offer, manager=manager, spec=spec, courses=courses, now=now)
        if spec.status == Proposal.Status.PUBLISHED:
            _publish(proposal, pledges, manager=manager, now=now)
        if spec.status == Proposal.Status.CLOSED:
            proposal.status, proposal.closed_reason = Proposal.Status.CLOSED, spec.closed_reason
            proposal.save(update_fields=["status", "closed_reason", "updated_at"])
            audit.record(action="proposal.closed", target=proposal, actor=manager, previous="open")
        # Dated as if proposed ``days_ago`` days ago, its history spread over the days since.
        proposed_at = now - timedelta(days=spec.days_ago)
        Proposal.objects.filter(pk=proposal.pk).update(created_at=proposed_at)
        rows = AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Proposal), object_id=proposal.pk
        ).order_by("pk")
        step = timedelta(days=spec.days_ago) / (len(rows) + 1)
        for index, row in enumerate(rows):
            AuditLog.objects.filter(pk=row.pk).update(created_at=proposed_at + step * index)


def _pledge(proposal: Proposal, company: Company, by: User, spec: PledgeSpec) -> Pledge:
    pledge = Pledge.objects.create(
        proposal=proposal,
        company=company,
        headcount=spec.headcount,
        reserve_seats=spec.reserve_seats,
        pledged_by=by,
    )
    audit.record(
        action="proposal.pledged",
        target=proposal,
        actor=by,
        company=company.pk,
        headcount=spec.headcount,
        reserve_seats=spec.reserve_seats,
    )
    return pledge


def _offer(
    proposal: Proposal,
    provider: Provider,
    by: User | None,
    *,
    locations: list[Location],
    days: list[date],
) -> Offer:
    offer = Offer.objects.create(
        proposal=proposal,
        provider=provider,
        submitted_by=by,
        price_excl_vat=OFFER_PRICE,
        min_participants=6,
        max_participants=12,
        hours=Decimal("14.0"),
        at_company=True,
        note="Inclusief lesmateriaal en lunch.",
    )
    offer.locations.set(locations[:1])
    for day in days:
        OfferMeeting.objects.create(offer=offer, starts_at=_at(day, 9), ends_at=_at(day, 16))
    return offer


def _accept(
    proposal: Proposal,
    offer: Offer,
    *,
    manager: User,
    spec: ProposalSpec,
    courses: dict[str, Course],
    now: datetime,
) -> None:
    """The offer accepted: a course (a concept one when none was named) and a concept run."""
    offer.status = Offer.Status.ACCEPTED
    offer.save(update_fields=["status", "updated_at"])
    if spec.course:
        course = courses[spec.course]
    else:
        course, _ = Course.objects.get_or_create(
            slug="plc-storingzoeken",
            defaults={
                "title": spec.title,
                "title_en": "Troubleshooting PLC-controlled machines",
                "summary": "Storingen opsporen aan machines met een PLC.",
                "summary_en": "Tracing faults in machines with a PLC.",
                "description": spec.description,
                "learning_outcomes": spec.learning_outcomes,
                "sector": Sector.METAL,
                "provider": offer.provider,
                "study_hours": offer.hours,
                "price_excl_vat": offer.price_excl_vat,
                "is_published": False,
            },
        )
    meetings = list(offer.meetings.all())
    offering = Offering.objects.create(
        course=course,
        location=offer.locations.first() or Location.objects.order_by("pk").first(),
        status=Offering.Status.CONCEPT,
        capacity=offer.max_participants,
        min_participants=offer.min_participants,
        enrolment_opens_at=now,
        enrolment_closes_at=meetings[0].starts_at - timedelta(days=7),
        notes=f"demo:proposal:{proposal.pk}",
    )
    for meeting in meetings:
        Meeting.objects.create(
            offering=offering, starts_at=meeting.starts_at, ends_at=meeting.ends_at
        )
    proposal.status, proposal.course, proposal.offering = Proposal.Status.ACCEPTED, course, offering
    proposal.save(update_fields=["status", "course", "offering", "updated_at"])
    audit.record(action="proposal.accepted", target=proposal, actor=manager, offer=offer.pk)


def _publish(proposal: Proposal, pledges: list[Pledge], *, manager: User, now: datetime) -> None:
    """The run open, and each pledge that asked for it turned into a seat reservation."""
    offering = proposal.offering
    offering.status = Offering.Status.OPEN
    offering.save(update_fields=["status"])
    for pledge in pledges:
        if not pledge.reserve_seats:
            continue
        reservation = SeatReservation.objects.create(
            offering=offering,
            company=pledge.company,
            reserved_by=pledge.pledged_by,
            reserved_seats=pledge.headcount,
            seats=pledge.headcount,
            price_excl_vat=offering.course.price_excl_vat,
            vat_rate=offering.course.vat_rate,
        )
        pledge.reservation = reservation
        pledge.save(update_fields=["reservation", "updated_at"])
        audit.record(
            action="reservation.made",
            target=reservation,
            actor=pledge.pledged_by,
            seats=pledge.headcount,
        )
    offering.reserved_count = (
        SeatReservation.objects.filter(offering=offering).aggregate(seats=Sum("seats"))["seats"]
        or 0
    )
    offering.save(update_fields=["reserved_count"])
    proposal.status = Proposal.Status.PUBLISHED
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(action="proposal.published", target=proposal, actor=manager)
