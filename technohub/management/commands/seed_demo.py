"""``manage.py seed_demo``: load the demo hub that DESIGN.md describes under "Seed data".

Idempotent: every row is looked up by a natural key (slug, email, KvK number, user and company,
a ``demo:<course>:<n>`` tag in an offering's notes, an offering's n-th meeting) and brought up to
date, so running it again, today or next month, refreshes rows and never duplicates them. Offerings
are planned in weeks from today, so the catalogue always shows the coming six months.

The data lives in :mod:`technohub.management.demo_data`; this module only knows how to write it.
The seed writes rows directly rather than through the enrolment services: it sends no mail and
writes no audit rows, because nothing happened that anyone needs telling about. Two exceptions
come after it: the school visits the demo's coordinator plans and its hosts answer, through the
planning and host link services with their mails (``plan_school_visits``; only requests not
planned before), and the funding deadline alarms and qualification expiry mails that the demo's
state calls for today, sent through their own services (``send_alarms``), once each.
"""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.text import slugify

from catalogue.models import Course, Location, Meeting, Offering, Provider, SchoolActivity, Theme
from catalogue.services import refresh_search_vectors
from companies.funding.alarms import send_deadline_alarms
from companies.models import (
    Cluster,
    Company,
    FundingClaim,
    Interest,
    Membership,
    TrainingNeed,
    User,
)
from enrolment.models import (
    Attendance,
    Certificate,
    Enrolment,
    EvaluationAnswer,
    EvaluationRequest,
    HeldQualification,
    School,
    SchoolRequest,
    TransferCheck,
)
from enrolment.qualifications.alarms import send_expiry_alarms
from enrolment.schools.selectors import pupils_this_school_year
from enrolment.services import meeting_hours
from technohub.management import demo_data as demo

HUB_TIMEZONE = ZoneInfo("Europe/Amsterdam")
ENROLMENT_OPENED_DAYS_AGO = 30
ENROLMENT_CLOSES_DAYS_BEFORE_START = 2
SECTOR_CLUSTERS = {
    "metal": {demo.organisations.CLUSTER_METAL},
    "agri": {demo.organisations.CLUSTER_AGRI},
    "both": {demo.organisations.CLUSTER_METAL, demo.organisations.CLUSTER_AGRI},
}


class Command(BaseCommand):
    help = "Laad of ververs de demo-hub: locaties, cursussen, uitvoeringen, bedrijven, accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Also run with production settings (it creates a superuser with a known "
            "password).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if (settings.SETTINGS_MODULE or "").endswith(".production") and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with known passwords; refusing to run with "
                "production settings. Pass --allow-production if you really mean it."
            )
        now = timezone.now()
        today = timezone.localdate(now, HUB_TIMEZONE)
        # All or nothing: a seed that fails halfway leaves the database as it was.
        with transaction.atomic():
            seed(today=today, now=now)
        plan_school_visits(today=today)
        mails = send_alarms(today=today)
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(summary(alarm_mails=mails))


# --- The seed, in dependency order ----------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A seeded employee and the company that pays for their training."""

    user: User
    company: Company


@dataclass(frozen=True)
class Roster:
    """The seeded people: HR contact per company slug, and all employees in data order."""

    hr: dict[str, User]
    employees: tuple[Person, ...]

    def for_sector(self, sector: str) -> list[Person]:
        """Employees of the clusters that take courses of ``sector``."""
        clusters = SECTOR_CLUSTERS[sector]
        return [p for p in self.employees if p.company.cluster.slug in clusters]


def seed(*, today: date, now: datetime) -> None:
    """Write the whole demo hub. Call inside a transaction."""
    themes = seed_themes()
    locations = seed_locations()
    providers = seed_providers()
    courses = seed_courses(themes=themes, providers=providers)
    refresh_search_vectors()
    companies = seed_companies(clusters=seed_clusters())
    roster = seed_people(companies=companies, now=now)
    seed_staff(providers=providers, now=now)
    offerings = seed_offerings(courses=courses, locations=locations, today=today)
    seed_enrolments(offerings=offerings, roster=roster)
    seed_history(offerings=offerings, now=now)
    seed_evaluations(offerings=offerings)
    seed_training_needs(
        companies=companies,
        roster=roster,
        themes=themes,
        locations=locations,
        courses=courses,
        offerings=offerings,
        today=today,
    )
    seed_interests(roster=roster, companies=companies, courses=courses, locations=locations)
    seed_transfer_checks(now=now)
    coordinator, teachers = seed_school_people(now=now)
    demo.schools.seed_schools(
        companies=companies,
        locations=locations,
        teachers=teachers,
        coordinator=coordinator,
        today=today,
        now=now,
    )
    by_tag = {offering.notes: offering for _, offering in offerings}
    demo.funding.seed_funding(themes=themes, companies=companies, hr=roster.hr, offerings=by_tag)
    demo.qualifications.seed_qualifications(courses=courses, hr=roster.hr, today=today)
    demo.proposals.seed_proposals(
        companies=companies,
        hr=roster.hr,
        providers=providers,
        courses=courses,
        locations=locations,
        themes=themes,
        today=today,
        now=now,
    )


def plan_school_visits(*, today: date) -> int:
    """The demo's school visits planned by its coordinator and answered by the hosts, through
    the planning services (each its own transaction: run after the seed's). Returns how many
    visits were allocated; none when seeding again."""
    coordinator = User.objects.get(email=demo.accounts.COORDINATOR_EMAIL)
    return demo.schools.plan_visits(planner=coordinator, today=today)


def send_alarms(*, today: date) -> int:
    """The mails the demo's state calls for at once, as the daily tasks would send them: HR's
    funding deadline alarms and the qualification expiry mails. Each goes once, so seeding
    again queues nothing new. Run after the seed's transaction: each alarm is its own."""
    return send_deadline_alarms(today=today) + send_expiry_alarms(today=today)


def seed_themes() -> dict[str, Theme]:
    return {
        slug: Theme.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": en})[0]
        for slug, name, en in demo.courses.THEMES
    }


def seed_locations() -> dict[str, Location]:
    return {spec["slug"]: _upsert_by_slug(Location, spec) for spec in demo.places.LOCATIONS}


def seed_providers() -> dict[str, Provider]:
    return {spec["slug"]: _upsert_by_slug(Provider, spec) for spec in demo.organisations.PROVIDERS}


def seed_clusters() -> dict[str, Cluster]:
    return {spec["slug"]: _upsert_by_slug(Cluster, spec) for spec in demo.organisations.CLUSTERS}


def seed_courses(*, themes: dict[str, Theme], providers: dict[str, Provider]) -> dict[str, Course]:
    courses = {}
    for spec in demo.courses.COURSES:
        fields = dict(spec)
        theme_slugs = fields.pop("themes")
        note_nl, note_en = demo.courses.FUNDING_NOTES.get(fields.pop("funding"), ("", ""))
        has_online_part = fields.pop("ozone", False)
        fields.update(
            provider=providers[fields["provider"]],
            learning_outcomes="\n".join(fields["learning_outcomes"]),
            learning_outcomes_en="\n".join(fields["learning_outcomes_en"]),
            funding_eligible=bool(note_nl),
            funding_note=note_nl,
            funding_note_en=note_en,
            ozone_url=demo.courses.OZONE_BASE_URL + spec["slug"] if has_online_part else "",
            is_published=fields.get("is_published", True),
        )
        course = _upsert_by_slug(Course, fields)
        course.themes.set([themes[slug] for slug in theme_slugs])
        courses[course.slug] = course
    return courses


def seed_companies(*, clusters: dict[str, Cluster]) -> dict[str, Company]:
    companies = {}
    for spec in demo.organisations.COMPANIES:
        companies[spec.slug], _ = Company.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kvk_number": spec.kvk_number,
                "cluster": clusters[spec.cluster],
                "city": spec.city,
                "sector_fund": spec.sector_fund,
                "requires_approval": spec.requires_approval,
            },
        )
    return companies


def seed_staff(*, providers: dict[str, Provider], now: datetime) -> None:
    """The staff groups' members: the programme manager, a Firda trainer, a read-only account."""
    groups = {group.name: group for group in Group.objects.all()}
    for email, full_name, password, group, flags in (
        (demo.accounts.PROGRAMME_MANAGER_EMAIL, None, None, "Programmamanager", {}),
        (
            demo.accounts.TRAINER_EMAIL,
            demo.accounts.TRAINER_NAME,
            demo.accounts.TRAINER_PASSWORD,
            "Opleider",
            {"provider": providers[demo.accounts.TRAINER_PROVIDER]},
        ),
        (
            demo.accounts.READ_ONLY_EMAIL,
            demo.accounts.READ_ONLY_NAME,
            demo.accounts.READ_ONLY_PASSWORD,
            "Alleen lezen",
            {},
        ),
    ):
        if full_name is None:
            user = User.objects.get(email=email)
        else:
            user = _upsert_user(
                email=email,
                full_name=full_name,
                password_hash=make_password(password),
                now=now,
                is_staff=True,
                **flags,
            )
        user.groups.add(groups[group])


def seed_school_people(*, now: datetime) -> tuple[User, dict[str, User]]:
    """The coordinator of technology promotion (staff, group Coördinator techniekpromotie) and
    the teachers: confirmed addresses, no company. Returns the coordinator and the teachers by
    email. The hosts' contacts are employees of their companies (``seed_people``)."""
    coordinator = _upsert_user(
        email=demo.accounts.COORDINATOR_EMAIL,
        full_name=demo.accounts.COORDINATOR_NAME,
        password_hash=make_password(demo.accounts.COORDINATOR_PASSWORD),
        now=now,
        is_staff=True,
    )
    coordinator.groups.add(Group.objects.get(name=demo.accounts.COORDINATOR_GROUP))
    teacher_hash = make_password(demo.accounts.TEACHER_PASSWORD)
    teachers = {
        email: _upsert_user(email=email, full_name=name, password_hash=teacher_hash, now=now)
        for email, name, _ in demo.schools.TEACHERS
    }
    return coordinator, teachers


def seed_people(*, companies: dict[str, Company], now: datetime) -> Roster:
    """The programme manager, and per company one HR contact and its employees."""
    # Hash each password once: hashing is deliberately slow, and these are shared demo logins.
    manager_hash, hr_hash, employee_hash = (
        make_password(password)
        for password in (
            demo.accounts.MANAGER_PASSWORD,
            demo.accounts.HR_PASSWORD,
            demo.accounts.EMPLOYEE_PASSWORD,
        )
    )
    _upsert_user(
        email=demo.accounts.PROGRAMME_MANAGER_EMAIL,
        full_name=demo.accounts.PROGRAMME_MANAGER_NAME,
        password_hash=manager_hash,
        now=now,
        is_staff=True,
        is_superuser=True,
    )
    hr, employees = {}, []
    for spec in demo.organisations.COMPANIES:
        company = companies[spec.slug]
        hr[spec.slug] = _upsert_member(
            company=company,
            role=Membership.Role.HR,
            job=(*demo.organisations.HR_ROLE, "1001"),
            email=f"hr@{spec.domain}",
            full_name=spec.hr,
            password_hash=hr_hash,
            now=now,
        )
        roles = demo.organisations.EMPLOYEE_ROLES
        for index, full_name in enumerate(spec.employees):
            user = _upsert_member(
                company=company,
                role=Membership.Role.EMPLOYEE,
                job=(*roles[index % len(roles)], str(1002 + index)),
                email=employee_email(full_name, spec.domain),
                full_name=full_name,
                password_hash=employee_hash,
                now=now,
            )
            employees.append(Person(user=user, company=company))
    return Roster(hr=hr, employees=tuple(employees))


def seed_offerings(
    *, courses: dict[str, Course], locations: dict[str, Location], today: date
) -> list[tuple[demo.offerings.Plan, Offering]]:
    """Every planned offering with its meetings, dated from ``today``; returned in plan order."""
    opens_at = _at(today - timedelta(days=ENROLMENT_OPENED_DAYS_AGO), (9, 0))
    planned = []
    for plan, tag in zip(
        demo.offerings.OFFERINGS, offering_tags(demo.offerings.OFFERINGS), strict=True
    ):
        slots = meeting_slots(plan, today=today)
        closes_at = slots[0][0] - timedelta(days=ENROLMENT_CLOSES_DAYS_BEFORE_START)
        offering, _ = Offering.objects.update_or_create(
            course=courses[plan.course],
            notes=tag,
            defaults={
                "location": locations[plan.location],
                "status": plan.status,
                "capacity": plan.capacity,
                "min_participants": max(1, plan.capacity // 2),
                # Recounted from the enrolments once they are written; zero keeps the check
                # constraint satisfied if the plan lowered the capacity.
                "confirmed_count": 0,
                # Offerings in the past opened a month before they closed.
                "enrolment_opens_at": min(opens_at, closes_at - timedelta(days=30)),
                "enrolment_closes_at": closes_at,
                "instructor": plan.instructor,
                "agreed_price_excl_vat": plan.agreed_price,
            },
        )
        offering.private_for.set(Company.objects.filter(slug__in=plan.private_for))
        _sync_meetings(offering, slots)
        planned.append((plan, offering))
    return planned


def seed_enrolments(
    *, offerings: list[tuple[demo.offerings.Plan, Offering]], roster: Roster
) -> None:
    """Fill each offering as planned: confirmed seats, a waiting list, requests awaiting HR."""
    for index, (plan, offering) in enumerate(offerings):
        pool = roster.for_sector(offering.course.sector)
        if plan.private_for or plan.pool:
            companies = plan.private_for or plan.pool
            pool = [p for p in pool if p.company.slug in companies]
        pool = [p for p in pool if p.user.email not in plan.leave_out]
        needs_approval = [p for p in pool if p.company.requires_approval]
        # Rotating the start spreads the learners over the offerings instead of always the first
        # few.
        requested = _take(needs_approval, plan.requested, start=index)
        others = [p for p in pool if p not in requested]
        chosen = _take(others, plan.confirmed + plan.waitlisted, start=index * 5)
        for n, person in enumerate(chosen[: plan.confirmed]):
            # Every third seat was booked by HR for a team, the rest by the learners themselves.
            enrolled_by = roster.hr[person.company.slug] if n % 3 == 0 else person.user
            _upsert_enrolment(offering, person, Enrolment.Status.CONFIRMED, enrolled_by)
        for position, person in enumerate(chosen[plan.confirmed :], start=1):
            _upsert_enrolment(
                offering, person, Enrolment.Status.WAITLISTED, person.user, position=position
            )
        for person in requested:
            _upsert_enrolment(offering, person, Enrolment.Status.REQUESTED, person.user)
        _sync_counters(offering)


def seed_history(*, offerings: list[tuple[demo.offerings.Plan, Offering]], now: datetime) -> None:
    """Attendance for the meetings that are over, and for completed offerings the outcome:
    completed (with a certificate) or no-show. One learner in each offering missed every meeting
    but the first; the rest were always there. The last meeting that is over is left for the
    programme manager to take."""
    for _plan, offering in offerings:
        past = [m for m in offering.meetings.order_by("starts_at") if m.ends_at <= now]
        if not past:
            continue
        completed = offering.status == Offering.Status.COMPLETED
        to_record = past if completed else past[:-1]
        seated = list(
            offering.enrolments.filter(
                status__in=[Enrolment.Status.CONFIRMED, *Enrolment.OUTCOME_STATUSES]
            ).order_by("pk")
        )
        for index, enrolment in enumerate(seated):
            always_there = index != len(seated) - 1
            for number, meeting in enumerate(to_record):
                Attendance.objects.update_or_create(
                    enrolment=enrolment,
                    meeting=meeting,
                    defaults=_attended(meeting, present=always_there or number == 0),
                )
            if completed:
                _complete(enrolment, passed=always_there, issued_at=past[-1].ends_at)


def _attended(meeting, *, present: bool) -> dict:
    """An attendance row's values: present for the whole meeting, or absent."""
    if not present:
        return {"state": Attendance.State.ABSENT, "hours": 0}
    return {"state": Attendance.State.PRESENT, "hours": meeting_hours(meeting)}


def _complete(enrolment: Enrolment, *, passed: bool, issued_at: datetime) -> None:
    """Give a seated learner of a completed offering their outcome, and a certificate if passed
    (who did not pass came to the first meeting only: not completed), issued when the offering's
    last meeting ended."""
    enrolment.status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.NOT_COMPLETED
    enrolment.save(update_fields=["status"])
    if passed:
        Certificate.objects.get_or_create(
            enrolment=enrolment,
            defaults={
                "number": f"TH-DEMO-{enrolment.pk:06d}",
                "verification_code": secrets.token_urlsafe(16),
                "issued_at": issued_at,
            },
        )


def seed_transfer_checks(*, now: datetime) -> None:
    """HR's three-month question for the participants who completed a run that ended
    ``TRANSFER_CHECK_AFTER_DAYS`` or more ago (but within the last year: nobody asks about a
    course of years ago), asked two days ago; Polder Machinebouw answered theirs, Kampstaal's are
    still open. Answers given in an earlier demo are kept."""
    due_before = now - timedelta(days=settings.TRANSFER_CHECK_AFTER_DAYS)
    enrolments = (
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, company__isnull=False)
        .annotate(last_ends_at=Max("offering__meetings__ends_at"))
        .filter(last_ends_at__lte=due_before, last_ends_at__gt=now - timedelta(days=365))
        .select_related("company")
        .order_by("pk")
    )
    answers = [
        TransferCheck.Answer.YES,
        TransferCheck.Answer.PARTLY,
        TransferCheck.Answer.YES,
        TransferCheck.Answer.NO,
    ]
    for index, enrolment in enumerate(enrolments):
        check, created = TransferCheck.objects.get_or_create(
            enrolment=enrolment, defaults={"asked_at": now - timedelta(days=2)}
        )
        hr = enrolment.company.memberships.filter(role=Membership.Role.HR).order_by("pk").first()
        if created and hr is not None and enrolment.company.slug != "kampstaal":
            check.answer = answers[index % len(answers)]
            check.answered_at = now - timedelta(days=1)
            check.answered_by = hr.user
            check.save(update_fields=["answer", "answered_at", "answered_by"])


def seed_evaluations(*, offerings: list[tuple[demo.offerings.Plan, Offering]]) -> None:
    """The answers of the finished runs in ``demo.evaluations``, and who was asked: everyone
    seated, asked the hour after the last meeting; the first as many as there are answers
    answered, the others were reminded a week later. The answers are written again each time
    (they have no natural key), so a second seed leaves the same rows."""
    by_tag = {offering.notes: offering for _, offering in offerings}
    for tag, answers in demo.evaluations.ANSWERS.items():
        offering = by_tag[tag]
        last_ends_at = offering.meetings.order_by("-ends_at").first().ends_at
        asked_at = last_ends_at + timedelta(hours=1)
        seated = offering.enrolments.filter(
            status__in=[Enrolment.Status.CONFIRMED, *Enrolment.OUTCOME_STATUSES]
        ).order_by("pk")
        for index, enrolment in enumerate(seated):
            answered = index < len(answers)
            EvaluationRequest.objects.update_or_create(
                enrolment=enrolment,
                defaults={
                    "sent_at": asked_at,
                    "reminded_at": None if answered else asked_at + timedelta(days=7),
                    "answered_at": asked_at
                    + timedelta(days=demo.evaluations.ANSWERED_AFTER_DAYS[index])
                    if answered
                    else None,
                },
            )
        EvaluationAnswer.objects.filter(offering=offering).delete()
        EvaluationAnswer.objects.bulk_create(
            EvaluationAnswer(
                offering=offering,
                content=content,
                trainer=trainer,
                practical=practical,
                comment=comment,
                answered_on=timezone.localdate(asked_at, HUB_TIMEZONE)
                + timedelta(days=demo.evaluations.ANSWERED_AFTER_DAYS[index]),
            )
            for index, (content, trainer, practical, comment) in enumerate(answers)
        )


def seed_training_needs(
    *,
    companies: dict[str, Company],
    roster: Roster,
    themes: dict[str, Theme],
    locations: dict[str, Location],
    courses: dict[str, Course],
    offerings: list[tuple[demo.offerings.Plan, Offering]],
    today: date,
) -> None:
    by_tag = {offering.notes: offering for _, offering in offerings}
    for spec in demo.demand.TRAINING_NEEDS:
        need, _ = TrainingNeed.objects.update_or_create(
            company=companies[spec.company],
            title=spec.title,
            defaults={
                "submitted_by": roster.hr[spec.company],
                "theme": themes[spec.theme],
                "description": spec.description,
                "headcount": spec.headcount,
                "period_start": today + timedelta(weeks=spec.start_week),
                "period_end": today + timedelta(weeks=spec.end_week),
                "urgency": spec.urgency,
                "status": spec.status,
                "course": courses[spec.course] if spec.course else None,
                "offering": by_tag[offering_tag(spec.course, spec.offering)]
                if spec.offering
                else None,
            },
        )
        need.preferred_locations.set([locations[slug] for slug in spec.locations])


def seed_interests(
    *,
    roster: Roster,
    companies: dict[str, Company],
    courses: dict[str, Course],
    locations: dict[str, Location],
) -> None:
    for spec in demo.demand.INTERESTS:
        course, location = courses[spec.course], locations.get(spec.location)
        if spec.company:
            Interest.objects.update_or_create(
                company=companies[spec.company],
                course=course,
                location=location,
                learner=None,
                defaults={"headcount": spec.headcount, "registered_by": roster.hr[spec.company]},
            )
        for person in roster.for_sector(course.sector)[: spec.learners]:
            Interest.objects.get_or_create(
                learner=person.user,
                course=course,
                location=location,
                defaults={"company": person.company, "registered_by": person.user},
            )


# --- Planning -------------------------------------------------------------------------------


def offering_tag(course_slug: str, number: int) -> str:
    """The stable key of a course's ``number``-th planned offering, kept in ``Offering.notes``."""
    return f"demo:{course_slug}:{number}"


def offering_tags(offerings: tuple[demo.offerings.Plan, ...]) -> list[str]:
    """Tags for ``offerings``, numbering each course's offerings 1, 2, … in plan order."""
    seen: Counter[str] = Counter()
    tags = []
    for offering in offerings:
        seen[offering.course] += 1
        tags.append(offering_tag(offering.course, seen[offering.course]))
    return tags


def meeting_slots(plan: demo.offerings.Plan, *, today: date) -> list[tuple[datetime, datetime]]:
    """(start, end) of each meeting of ``plan``, on teaching days, in the hub's time zone."""
    if plan.days is None:
        first = today + timedelta(weeks=plan.week)
        first += timedelta(days=(plan.weekday - first.weekday()) % 7)
    else:
        first = today + timedelta(days=plan.days)
        step = timedelta(days=1 if plan.days >= 0 else -1)
        while not is_teaching_day(first):
            first += step
    days, day = [], first
    while len(days) < plan.sessions:
        if is_teaching_day(day):
            days.append(day)
        day += timedelta(days=plan.every)
    starts, ends = demo.offerings.SLOTS[plan.slot]
    return [(_at(day, starts), _at(day, ends)) for day in days]


def is_teaching_day(day: date) -> bool:
    """Weekdays, except the Christmas break (24 December to 1 January) and King's Day."""
    christmas_break = (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1)
    return day.weekday() < 5 and not christmas_break and (day.month, day.day) != (4, 27)


def employee_email(full_name: str, domain: str) -> str:
    """``Jan de Vries`` at ``kampstaal.example`` → ``jan.devries@kampstaal.example``."""
    first, _, last = full_name.partition(" ")
    return f"{slugify(first)}.{slugify(last).replace('-', '')}@{domain}"


def _at(day: date, hour_minute: tuple[int, int]) -> datetime:
    return datetime.combine(day, time(*hour_minute), tzinfo=HUB_TIMEZONE)


def _take(people: list[Person], count: int, *, start: int) -> list[Person]:
    """``count`` different people from ``people``, wrapping around from ``start``."""
    if count > len(people):
        raise CommandError(f"The demo plan asks for {count} learners but has {len(people)}.")
    return [people[(start + i) % len(people)] for i in range(count)]


# --- Writing one row ------------------------------------------------------------------------


def _upsert_by_slug(model, fields: dict):
    values = {key: value for key, value in fields.items() if key != "slug"}
    obj, _ = model.objects.update_or_create(slug=fields["slug"], defaults=values)
    return obj


def _upsert_user(*, email: str, full_name: str, password_hash: str, now: datetime, **flags) -> User:
    first_name, _, last_name = full_name.partition(" ")
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "password": password_hash,
            "preferred_language": "en" if email in demo.accounts.ENGLISH_SPEAKERS else "nl",
            "email_verified_at": now,
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
            **flags,
        },
    )
    return user


def _upsert_member(
    *, company: Company, role: str, job: tuple[str, str, str], **user_fields
) -> User:
    """A member with a department, a job title and a personnel number (``job``)."""
    user = _upsert_user(**user_fields)
    department, job_title, number = job
    Membership.objects.update_or_create(
        user=user,
        company=company,
        defaults={
            "role": role,
            "department": department,
            "job_title": job_title,
            "personnel_number": number,
        },
    )
    return user


def _sync_meetings(offering: Offering, slots: list[tuple[datetime, datetime]]) -> None:
    """Make the offering's meetings match ``slots``: the n-th meeting is moved, not re-created,
    so a run on another day shifts the dates (and keeps any attendance) instead of adding rows.
    """
    existing = list(offering.meetings.order_by("starts_at", "pk"))
    for number, (starts_at, ends_at) in enumerate(slots, start=1):
        numbered = len(slots) > 1
        topic = f"Bijeenkomst {number} van {len(slots)}" if numbered else ""
        topic_en = f"Session {number} of {len(slots)}" if numbered else ""
        if number <= len(existing):
            meeting = existing[number - 1]
            meeting.starts_at, meeting.ends_at = starts_at, ends_at
            meeting.topic, meeting.topic_en = topic, topic_en
            meeting.save(update_fields=["starts_at", "ends_at", "topic", "topic_en"])
        else:
            Meeting.objects.create(
                offering=offering,
                starts_at=starts_at,
                ends_at=ends_at,
                topic=topic,
                topic_en=topic_en,
            )
    for surplus in existing[len(slots) :]:
        surplus.delete()


def _upsert_enrolment(
    offering: Offering,
    person: Person,
    status: str,
    enrolled_by: User,
    *,
    position: int | None = None,
) -> Enrolment:
    """Set ``person``'s enrolment in ``offering``; reuse their active row, else their latest."""
    rows = Enrolment.objects.filter(offering=offering, learner=person.user)
    enrolment = (
        rows.filter(status__in=Enrolment.ACTIVE_STATUSES).first()
        or rows.order_by("-created_at").first()
        or Enrolment(offering=offering, learner=person.user)
    )
    enrolment.status = status
    enrolment.waitlist_position = position
    enrolment.enrolled_by = enrolled_by
    enrolment.company = person.company
    enrolment.price_excl_vat = offering.price_excl_vat
    enrolment.vat_rate = offering.course.vat_rate
    enrolment.save()
    return enrolment


def _sync_counters(offering: Offering) -> None:
    """Recount confirmed seats and number the waiting list 1..n from the rows themselves, so
    enrolments made by hand in an earlier demo are counted too."""
    waiting = offering.enrolments.filter(status=Enrolment.Status.WAITLISTED).order_by(
        "waitlist_position", "created_at", "pk"
    )
    for position, enrolment in enumerate(waiting, start=1):
        if enrolment.waitlist_position != position:
            enrolment.waitlist_position = position
            enrolment.save(update_fields=["waitlist_position"])
    confirmed = offering.enrolments.filter(status=Enrolment.Status.CONFIRMED).count()
    if confirmed > offering.capacity:
        raise CommandError(
            f"{offering} has {confirmed} confirmed enrolments for {offering.capacity} seats; "
            "reset the demo database and seed again."
        )
    offering.confirmed_count = confirmed
    offering.save(update_fields=["confirmed_count"])


# --- Report ---------------------------------------------------------------------------------


def summary(*, alarm_mails: int = 0) -> str:
    """What the database now holds, how to log in, and how many alarm mails seeding queued."""
    offerings = Offering.objects.annotate(
        waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED))
    )
    full_with_waitlist = offerings.filter(confirmed_count=F("capacity"), waiting__gt=0).count()
    nearly_full = offerings.filter(
        status=Offering.Status.OPEN,
        confirmed_count__lt=F("capacity"),
        confirmed_count__gte=F("capacity") - 2,
    ).count()
    lines = [
        "Demodata geladen:",
        f"  {Location.objects.count()} locaties, {Provider.objects.count()} aanbieders, "
        f"{Theme.objects.count()} thema's, {Course.objects.count()} cursussen "
        f"({Course.objects.filter(is_published=True).count()} gepubliceerd)",
        f"  {Offering.objects.count()} uitvoeringen met {Meeting.objects.count()} "
        f"bijeenkomsten; {nearly_full} bijna vol, {full_with_waitlist} vol met wachtlijst",
        f"  {Cluster.objects.count()} clusters, {Company.objects.count()} bedrijven, "
        f"{User.objects.count()} gebruikers, {Membership.objects.count()} lidmaatschappen",
        f"  {Enrolment.objects.count()} inschrijvingen, "
        f"{TrainingNeed.objects.count()} opleidingsbehoeften",
        f"{Interest.objects.count()} keer interesse",
        f"  {FundingClaim.objects.count()} subsidieaanvragen, "
        f"{HeldQualification.objects.count()} behaalde kwalificaties; "
        f"{alarm_mails} nieuwe herinneringen (subsidietermijn, vervaldatum) in de outbox",
        f"  {SchoolActivity.objects.filter(is_published=True).count()} activiteiten voor "
        f"scholen, {School.objects.count()} scholen, {SchoolRequest.objects.count()} "
        f"schoolaanvragen; {pupils_this_school_year()} leerlingen dit schooljaar",
        "Demo-accounts:",
        *(
            f"  {role:<22} {email:<38} {password}"
            for role, email, password in demo.accounts.DEMO_LOGINS
        ),
        f"  Elk bedrijf heeft hr@<domein> (wachtwoord {demo.accounts.HR_PASSWORD}); "
        f"alle medewerkers hebben wachtwoord {demo.accounts.EMPLOYEE_PASSWORD}.",
    ]
    return "\n".join(lines)
