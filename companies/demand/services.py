"""Demand: what companies and learners ask for, and telling them when an offering comes.

Two kinds of asking: a company's ``TrainingNeed`` (a theme or free text, for a number of
people, somewhere, some time) and an ``Interest`` ("Houd me op de hoogte" on a course, from a
learner or from HR for a number of unnamed employees). ``announce_offering`` is what happens when
the hub publishes an offering that meets them: whoever asked gets one mail with a link to enrol.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from catalogue.models import Course, Location, Offering, Theme
from enrolment import outbox
from enrolment.models import Enrolment
from enrolment.services import paying_company
from technohub import audit, page_cache
from technohub.errors import DomainError

from ..models import Company, Interest, Membership, TrainingNeed, User
from .selectors import OPEN_NEED_STATUSES, WITHDRAWABLE_NEED_STATUSES


class NeedNotChangeable(DomainError):
    """The need is planned, met, refused or withdrawn: its details are settled."""


def submit_need(
    *,
    company: Company,
    submitted_by: User,
    title: str,
    headcount: int,
    theme: Theme | None = None,
    description: str = "",
    preferred_locations: list[Location] = (),
    period_start: date | None = None,
    period_end: date | None = None,
    urgency: str = TrainingNeed.Urgency.NORMAL,
) -> TrainingNeed:
    """Record a company's training need; it starts as "nieuw" on the hub's demand board."""
    with transaction.atomic():
        need = TrainingNeed.objects.create(
            company=company,
            submitted_by=submitted_by,
            theme=theme,
            title=title,
            description=description,
            headcount=headcount,
            period_start=period_start,
            period_end=period_end,
            urgency=urgency,
        )
        need.preferred_locations.set(preferred_locations)
        audit.record(action="need.submitted", target=need, actor=submitted_by)
    return need


def _lock_company_need(*, company: Company, need_id: int) -> TrainingNeed:
    # The row lock orders this change after ``announce_offering`` and ``link_needs``, which lock
    # the needs they plan: a need planned meanwhile is seen as planned here.
    return TrainingNeed.objects.select_for_update(of=("self",)).get(pk=need_id, company=company)


def update_need(
    *,
    company: Company,
    need_id: int,
    actor: User,
    title: str,
    headcount: int,
    theme: Theme | None = None,
    description: str = "",
    preferred_locations: list[Location] = (),
    period_start: date | None = None,
    period_end: date | None = None,
    urgency: str = TrainingNeed.Urgency.NORMAL,
) -> TrainingNeed:
    """Change what ``company`` asked for, as long as the need is open (not yet planned).

    Raises TrainingNeed.DoesNotExist for another company's need and NeedNotChangeable once the
    need is planned, met, refused or withdrawn; nothing changes then. Writes an audit row.
    """
    with transaction.atomic(durable=True):
        need = _lock_company_need(company=company, need_id=need_id)
        if need.status not in OPEN_NEED_STATUSES:
            raise NeedNotChangeable(
                _("Deze behoefte is %(status)s en kan niet meer gewijzigd worden.")
                % {"status": need.get_status_display()}
            )
        need.theme, need.title, need.description = theme, title, description
        need.headcount, need.urgency = headcount, urgency
        need.period_start, need.period_end = period_start, period_end
        need.save(
            update_fields=[
                "theme",
                "title",
                "description",
                "headcount",
                "urgency",
                "period_start",
                "period_end",
                "updated_at",
            ]
        )
        need.preferred_locations.set(preferred_locations)
        audit.record(action="need.changed", target=need, actor=actor, headcount=headcount)
        page_cache.invalidate()  # the public demand counts change
    return need


def withdraw_need(*, company: Company, need_id: int, actor: User) -> TrainingNeed:
    """HR takes back a need: it leaves the demand board and the public summary.

    Open and planned needs can be withdrawn (a planned run goes ahead; the need no longer counts
    for it). Raises TrainingNeed.DoesNotExist for another company's need and NeedNotChangeable
    when it was met, refused or withdrawn before. Writes an audit row.
    """
    with transaction.atomic(durable=True):
        need = _lock_company_need(company=company, need_id=need_id)
        if need.status not in WITHDRAWABLE_NEED_STATUSES:
            raise NeedNotChangeable(
                _("Deze behoefte is %(status)s en kan niet meer ingetrokken worden.")
                % {"status": need.get_status_display()}
            )
        previous = need.status
        need.status = TrainingNeed.Status.WITHDRAWN
        need.save(update_fields=["status", "updated_at"])
        audit.record(action="need.withdrawn", target=need, actor=actor, previous=previous)
        page_cache.invalidate()
    return need


def register_interest(*, learner: User, course: Course, location: Location | None) -> Interest:
    """ "Houd me op de hoogte" for ``learner``; asking twice keeps the one open interest."""
    try:
        with transaction.atomic():
            return Interest.objects.create(
                course=course,
                location=location,
                learner=learner,
                company=paying_company(learner),
                registered_by=learner,
            )
    except IntegrityError:  # already asked (perhaps in another tab at the same moment)
        return Interest.objects.get(
            course=course, location=location, learner=learner, notified_at__isnull=True
        )


def withdraw_interest(*, learner: User, course: Course) -> int:
    """Take back ``learner``'s open interest in ``course`` (every location); returns how many."""
    deleted, _by_model = Interest.objects.filter(
        learner=learner, course=course, notified_at__isnull=True
    ).delete()
    return deleted


def register_company_interest(
    *,
    company: Company,
    registered_by: User,
    course: Course,
    location: Location | None,
    headcount: int,
) -> Interest:
    """HR's interest for ``headcount`` unnamed employees; asking again updates the number."""
    with transaction.atomic():
        interest, _ = Interest.objects.update_or_create(
            company=company,
            course=course,
            location=location,
            learner=None,
            notified_at__isnull=True,
            defaults={"headcount": headcount, "registered_by": registered_by},
        )
        audit.record(
            action="interest.registered", target=interest, actor=registered_by, headcount=headcount
        )
    return interest


def link_needs(*, offering: Offering, needs: list[TrainingNeed], actor) -> list[TrainingNeed]:
    """Make ``needs`` the ones ``offering`` meets; needs no longer chosen are open again.

    A linked need is "in behandeling" until the offering is announced (``announce_offering`` mails
    its HR and makes it "gepland"). Returns the needs that were not linked to the offering before.
    """
    chosen = {need.pk for need in needs}
    with transaction.atomic():
        released = TrainingNeed.objects.filter(
            offering=offering, status__in=[*OPEN_NEED_STATUSES, TrainingNeed.Status.PLANNED]
        ).exclude(pk__in=chosen)
        if released.update(offering=None, status=TrainingNeed.Status.IN_PROGRESS):
            page_cache.invalidate()
        added = list(TrainingNeed.objects.filter(pk__in=chosen).exclude(offering=offering))
        for need in added:
            need.offering = offering
            need.course = need.course or offering.course
            if need.status == TrainingNeed.Status.NEW:
                need.status = TrainingNeed.Status.IN_PROGRESS
            need.save(update_fields=["offering", "course", "status", "updated_at"])
            audit.record(action="need.linked", target=need, actor=actor, offering=offering.pk)
    return added


def _needs_met_by(offering: Offering) -> list[TrainingNeed]:
    """Open needs the offering meets: linked to it, or unlinked for its course or one of its themes,
    wanting its location or any location."""
    course = offering.course
    needs = TrainingNeed.objects.filter(status__in=OPEN_NEED_STATUSES)
    closed_for = list(offering.private_for.values_list("pk", flat=True))
    if closed_for:  # a closed run meets only its own companies' needs
        needs = needs.filter(company_id__in=closed_for)
    matching_ids = needs.filter(
        Q(offering=offering)
        | Q(offering__isnull=True)
        & (Q(course=course) | Q(course__isnull=True, theme__in=course.themes.all()))
        & (Q(preferred_locations=None) | Q(preferred_locations=offering.location))
    ).values("pk")
    return list(
        TrainingNeed.objects.select_for_update(of=("self",))
        .filter(pk__in=matching_ids)
        .select_related("company", "submitted_by")
        .order_by("pk")
    )


def _interests_met_by(offering: Offering) -> list[Interest]:
    interests = Interest.objects.all()
    closed_for = list(offering.private_for.values_list("pk", flat=True))
    if closed_for:
        # A closed run is news only for its own companies: their HR's interest and their
        # employees'. Everyone else's interest stays open for a run they can join.
        interests = interests.filter(
            Q(company_id__in=closed_for)
            | Q(learner__in=Membership.objects.filter(company_id__in=closed_for).values("user_id"))
        )
    return list(
        interests.select_for_update(of=("self",))
        .filter(course=offering.course, notified_at__isnull=True)
        .filter(Q(location__isnull=True) | Q(location=offering.location))
        .select_related("learner", "registered_by", "company")
        .order_by("pk")
    )


def announce_offering(*, offering_id: int, actor=None) -> int:
    """Tell everyone whose open interest or need an open offering meets, once each.

    Interests are closed (``notified_at``) and needs become "gepland" with the offering linked, in
    the same transaction as the mails written to the outbox: one mail per person per offering,
    listing everything they asked for. A learner already enrolled in the offering gets no mail.
    Safe to call again: what was announced is no longer open. Returns how many were mailed.
    A closed run (``private_for``) meets only its companies' needs and interests (HR's, and
    their employees' own); nobody else hears of it.
    """
    now = timezone.now()
    with transaction.atomic():
        offering = (
            Offering.objects.select_for_update(of=("self",))
            .select_related("course", "location")
            .get(pk=offering_id)
        )
        if offering.status != Offering.Status.OPEN:
            return 0
        interests = _interests_met_by(offering)
        needs = _needs_met_by(offering)
        enrolled = set(
            Enrolment.objects.filter(
                offering=offering, status__in=Enrolment.ACTIVE_STATUSES
            ).values_list("learner_id", flat=True)
        )
        asked: dict[User, _Asked] = {}
        for interest in interests:
            person = interest.learner or interest.registered_by
            if person is not None and person.pk not in enrolled:
                entry = asked.setdefault(person, _Asked())
                entry.lines.append(_asked_for_interest(interest, person))
                if interest.learner_id is None:
                    entry.companies.append(interest.company)
        if interests:
            Interest.objects.filter(pk__in=[interest.pk for interest in interests]).update(
                notified_at=now, offering=offering, updated_at=now
            )
            page_cache.invalidate()  # the public demand counts change
        for need in needs:
            need.offering, need.course = offering, need.course or offering.course
            need.status = TrainingNeed.Status.PLANNED
            need.save(update_fields=["offering", "course", "status", "updated_at"])
            audit.record(action="need.planned", target=need, actor=actor, offering=offering.pk)
            if need.submitted_by is not None:
                entry = asked.setdefault(need.submitted_by, _Asked())
                entry.lines.append(_asked_for_need(need, need.submitted_by))
                entry.companies.append(need.company)
        first = offering.meetings.order_by("starts_at").first()
        return sum(
            _queue_announcement(offering, person, entry, starts_at=first and first.starts_at)
            for person, entry in asked.items()
        )


@dataclass
class _Asked:
    """What one person asked for: a line per interest or need, and the companies they asked for."""

    lines: list[str] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)


def _asked_for_interest(interest: Interest, person: User) -> str:
    with translation.override(person.preferred_language):
        if interest.learner_id:
            return translation.gettext("Je vroeg ons je op de hoogte te houden.")
        return translation.gettext(
            "Je gaf interesse door voor %(count)s medewerkers van %(company)s."
        ) % {"count": interest.headcount, "company": interest.company.name}


def _asked_for_need(need: TrainingNeed, person: User) -> str:
    with translation.override(person.preferred_language):
        return translation.gettext(
            "Opleidingsbehoefte van %(company)s: %(title)s (%(count)s medewerkers)."
        ) % {"company": need.company.name, "title": need.title, "count": need.headcount}


def _queue_announcement(
    offering: Offering, person: User, asked: _Asked, *, starts_at: datetime | None
) -> bool:
    """One "offering_announced" mail to ``person``; False when this offering was announced to them
    before.

    HR gets a link per company to enrol a team; everyone a link to enrol themselves.
    """
    companies = {company.pk: company for company in asked.companies}.values()
    with translation.override(person.preferred_language):
        context = {
            "course": offering.course.localized("title"),
            "location": offering.location.localized("name"),
            "starts_on": formats.date_format(timezone.localtime(starts_at), "j F Y")
            if starts_at
            else "",
            "asked_for": asked.lines,
            "team_links": [
                {
                    "company": company.name,
                    "url": settings.SITE_URL
                    + reverse("portal:team_enrol", args=[company.slug, offering.pk]),
                }
                for company in companies
            ],
            "enrol_url": settings.SITE_URL + reverse("enrolment:enrol", args=[offering.pk]),
            "course_url": settings.SITE_URL
            + reverse("catalogue:course_detail", args=[offering.course.slug]),
        }
    return outbox.queue_once_for(
        person,
        template="offering_announced",
        context=context,
        dedupe_key=f"run-announced:{offering.pk}:{person.pk}",
    )
