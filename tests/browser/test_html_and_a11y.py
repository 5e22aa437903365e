"""Every public page is valid HTML (Nu Html Checker) and meets WCAG 2.1 AA (axe-core).

To check a new page, add a line to PUBLIC_PAGES (or LEARNER_PAGES, HR_PAGES, STAFF_PAGES for
pages behind a log-in): it is then checked in every language, for HTML validity and with axe at
desktop and phone width. Objects the page needs go in sample_data().
"""

import io
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from catalogue.models import Course, Meeting, Offering, SchoolActivity, SchoolMaterial
from catalogue.services import refresh_search_vectors
from companies.models import (
    Company,
    FundingClaim,
    Interest,
    Invitation,
    Membership,
    Offer,
    OfferMeeting,
    Pledge,
    Proposal,
    TrainingNeed,
    User,
)
from companies.portal import urls as portal_urls
from enrolment.evaluation import tokens as evaluation_tokens
from enrolment.models import (
    Attendance,
    Certificate,
    Enrolment,
    EvaluationAnswer,
    EvaluationRequest,
    HeldQualification,
    SchoolGroup,
    SchoolRequest,
    SchoolVisit,
    SeatReservation,
    TransferCheck,
)
from enrolment.schools.planning import host_token_hash
from enrolment.views import VERIFY_LOOKUP_LIMIT, VERIFY_LOOKUP_WINDOW
from technohub import audit
from technohub.privacy import export
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    FundingSchemeFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    QualificationFactory,
    SchoolActivityFactory,
    SchoolFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
    ThemeFactory,
    UserFactory,
)


@dataclass(frozen=True)
class SampleData:
    course: Course
    offering: Offering
    full_offering: Offering
    learner: User
    enrolment: Enrolment
    company: Company
    hr: User
    employee: Membership
    request: Enrolment
    invitation: Invitation
    staff: User
    due_offering: Offering
    completed_offering: Offering
    certificate: Certificate
    reservation: SeatReservation
    need: TrainingNeed
    college: User
    proposal: Proposal
    offer: Offer
    held: HeldQualification
    school_request: SchoolRequest
    school_visit: SchoolVisit
    teacher_visit: SchoolVisit
    teacher_done_request: SchoolRequest
    school_activity: SchoolActivity
    teacher_request: SchoolRequest


def sample_data() -> SampleData:
    """A small published catalogue, so that pages with lists have something in them."""
    # Meetings start on the hour, as real ones do.
    nine_today = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    start = nine_today + timedelta(days=30)
    # Subsidiabel, for a company of A+O Metalektro: its pages show the funding estimate.
    course = CourseFactory(
        title="CNC-draaien", title_en="CNC turning", slug="cnc-draaien", funding_eligible=True
    )
    offering = OfferingFactory(course=course)
    for week in range(3):
        MeetingFactory(offering=offering, starts_at=start + timedelta(weeks=week))
    # A full offering, so that the "full – waiting list" look is checked too.
    full_offering = OfferingFactory(
        course=CourseFactory(title="TIG-lassen RVS"),
        capacity=1,
        min_participants=1,
        confirmed_count=1,
    )
    # A theme, so that the staff dashboard's demand per theme (its waiting list) is shown.
    full_offering.course.themes.add(ThemeFactory(name="Lassen", name_en="Welding", slug="lassen"))
    MeetingFactory(offering=full_offering, starts_at=start + timedelta(days=2))
    EnrolmentFactory(offering=full_offering)
    # A company whose employees' own sign-ups wait for HR, with its HR officer.
    company = CompanyFactory(
        name="Kampstaal", slug="kampstaal", requires_approval=True, sector_fund="aom"
    )
    hr = UserFactory(email="hr@kampstaal.example", first_name="Hennie", last_name="Post")
    MembershipFactory(company=company, user=hr, role=Membership.Role.HR)
    # A learner of that company with a seat in one offering and a place on the waiting list of the
    # full one, so HR's overview has something in it.
    # A long address, as people have: it must not push a phone's page sideways.
    learner = UserFactory(
        email="zoe.muller-vandenbroek@kampstaal-precisietechniek.example",
        first_name="Zoë",
        last_name="Müller",
        # Confirmed, as every address that logs in is: a teacher's request needs it.
        email_verified_at=timezone.now(),
    )
    MembershipFactory(company=company, user=learner)
    enrolment = EnrolmentFactory(offering=offering, learner=learner, company=company)
    Offering.objects.filter(pk=offering.pk).update(confirmed_count=1)
    EnrolmentFactory(
        offering=full_offering,
        learner=learner,
        company=company,
        status="waitlisted",
        waitlist_position=1,
    )
    # An employee whose request waits for HR's approval.
    employee = MembershipFactory(
        company=company,
        # A long address, as real ones are: it must wrap, not widen the page on a phone.
        user=UserFactory(
            email="piet.smitvanderheijden@kampstaalmetaalbewerking.example",
            first_name="Piet",
            last_name="Smit",
        ),
    )
    request = EnrolmentFactory(
        offering=offering,
        learner=employee.user,
        company=company,
        status="requested",
        motivation="Our new lathe needs it; I will run it from the spring on.",
    )
    invitation = Invitation.objects.create(
        company=company,
        email="nieuw@kampstaal.example",
        invited_by=hr,
        token="uitnodiging-voor-de-paginatest",
        expires_at=timezone.now() + timedelta(days=14),
    )
    # Qualifications for HR's matrix: one expiring next month, one that never expires, and a
    # few more columns than fit a phone.
    today = timezone.localdate()
    vca = QualificationFactory(name="VCA", name_en="VCA (safety)")
    held = HeldQualification.objects.create(
        person=learner,
        qualification=vca,
        obtained_on=today - timedelta(days=3620),
        expires_on=today + timedelta(days=30),
        issuer="SSVV",
        document_reference="VCA-2016-0042",
    )
    for name in ("NEN 3140", "EHBO", "Heftruck", "Hoogwerker"):
        HeldQualification.objects.create(
            person=employee.user,
            qualification=QualificationFactory(name=name, validity_months=None),
            obtained_on=today - timedelta(days=100),
            issuer="Examenbureau",
        )
    # Hub staff, and offerings in every state their pages show: one starting in five days with too
    # few participants (go/no-go, the coming week's attendance), one whose only meeting was
    # yesterday and that waits to be completed, and one completed three days ago.
    staff = UserFactory(
        email="planning@technohub.example",
        first_name="Sanne",
        last_name="Jansen",
        is_staff=True,
        is_superuser=True,
    )
    MeetingFactory(
        offering=OfferingFactory(course=course), starts_at=nine_today + timedelta(days=5)
    )
    due_offering = OfferingFactory(course=course, confirmed_count=2)
    due_meeting = MeetingFactory(offering=due_offering, starts_at=nine_today - timedelta(days=1))
    for first_name, last_name, present in (("Sjoerd", "Bakker", True), ("Fenna", "Visser", False)):
        due_enrolment = EnrolmentFactory(
            offering=due_offering, learner=UserFactory(first_name=first_name, last_name=last_name)
        )
        Attendance.objects.create(
            enrolment=due_enrolment,
            meeting=due_meeting,
            state="present" if present else "absent",
            hours=7 if present else 0,
            recorded_by=staff,
        )
        if present:  # asked to evaluate, and answered: the page thanks them
            EvaluationRequest.objects.create(
                enrolment=due_enrolment, sent_at=nine_today, answered_at=nine_today
            )
    # The learner completed an offering and has a certificate: "Mijn cursussen" links its PDF and
    # the public page confirms it.
    completed_offering = OfferingFactory(course=course, status="completed")
    completed_meeting = MeetingFactory(
        offering=completed_offering, starts_at=nine_today - timedelta(days=3)
    )
    completed = EnrolmentFactory(
        offering=completed_offering, learner=learner, company=company, status="completed"
    )
    Attendance.objects.create(
        enrolment=completed, meeting=completed_meeting, state="present", recorded_by=staff
    )
    # The learner is asked to evaluate it; the run has five answers (the course page shows its
    # rating, the college its results), the run that waits to be completed two (too few).
    EvaluationRequest.objects.create(enrolment=completed, sent_at=nine_today - timedelta(days=2))
    for offering_answered, scores in (
        (completed_offering, (4, 5, 3, 4, 5)),
        (due_offering, (3, 4)),
    ):
        for score in scores:
            EvaluationAnswer.objects.create(
                offering=offering_answered,
                content=score,
                trainer=5,
                practical=4,
                comment="Duidelijke uitleg; meer tijd aan de draaibank graag."
                if score == 4
                else "",
                answered_on=timezone.localdate(),
            )
    certificate = Certificate.objects.create(
        enrolment=completed,
        number="TH-2026-000042",
        verification_code="4f0c2a9e7b1d4c6a8e3f5b7d9a1c3e5f",
        issued_at=nine_today - timedelta(days=2),
    )
    # Demand: two companies' needs for welding at the offering's hub (a group ready to schedule),
    # HR's interest for unnamed employees, and the learner waiting for news of a course that
    # has no offering yet.
    welding = full_offering.course.themes.get()
    other = CompanyFactory(name="Polder Machinebouw", slug="polder-machinebouw")
    own_need = None
    for owner, headcount in ((company, 5), (other, 3)):
        need = TrainingNeed.objects.create(
            company=owner,
            submitted_by=hr,
            theme=welding,
            title="Lassers certificeren",
            headcount=headcount,
            urgency="high",
        )
        need.preferred_locations.add(full_offering.location)
        own_need = need if owner == company else own_need
    # A need for any location (it counts in the group at the hub, and the board says so), and
    # one the hub planned: its run shows with a button to enrol the team.
    TrainingNeed.objects.create(
        company=other, submitted_by=hr, theme=welding, title="Lassen, waar dan ook", headcount=2
    )
    TrainingNeed.objects.create(
        company=company,
        submitted_by=hr,
        theme=welding,
        course=course,
        offering=offering,
        status=TrainingNeed.Status.PLANNED,
        title="CNC voor operators",
        headcount=3,
    )
    Interest.objects.create(
        course=full_offering.course, company=company, headcount=4, registered_by=hr
    )
    no_offerings_course = CourseFactory(title="Elektrische trekkers", slug="elektrische-trekkers")
    no_offerings_course.themes.add(welding)
    Interest.objects.create(course=no_offerings_course, learner=learner, company=company)
    # HR holds three seats in the offering and has named one person for them.
    reservation = SeatReservation.objects.create(
        offering=offering, company=company, reserved_by=hr, reserved_seats=3, seats=2
    )
    EnrolmentFactory(
        offering=offering,
        learner=MembershipFactory(
            company=company, user=UserFactory(first_name="Joris", last_name="de Vries")
        ).user,
        company=company,
        reservation=reservation,
    )
    Offering.objects.filter(pk=offering.pk).update(
        reserved_count=F("reserved_count") + 2, confirmed_count=F("confirmed_count") + 1
    )
    # A run closed for Kampstaal at an agreed price: its people see it on the course page, HR
    # on the portal's overview.
    closed_run = OfferingFactory(course=course, agreed_price_excl_vat="950.00")
    MeetingFactory(offering=closed_run, starts_at=start + timedelta(days=7))
    closed_run.private_for.add(company)
    # HR's three-month question about the completed participant, still open, and one answered.
    TransferCheck.objects.create(enrolment=completed, asked_at=nine_today)
    answered = EnrolmentFactory(
        offering=completed_offering, learner=employee.user, company=company, status="completed"
    )
    TransferCheck.objects.create(
        enrolment=answered,
        asked_at=nine_today,
        answer="partly",
        answered_at=nine_today,
        answered_by=hr,
    )
    # A college's staff member, whose offer is on the company's open proposal with two pledges.
    college = UserFactory(
        email="opleider@firda.example",
        first_name="Henk",
        last_name="Visser",
        is_staff=True,
        provider=offering.course.provider,
    )
    # The migrations make the group; a transactional test before may have emptied it away.
    opleider = Group.objects.get_or_create(name="Opleider")[0]
    opleider.permissions.add(
        Permission.objects.get(content_type__app_label="companies", codename="use_college_pages")
    )
    college.groups.add(opleider)
    proposal = _sample_proposal(
        company=company, hr=hr, other=other, location=offering.location, college=college
    )
    offer = proposal.offers.get()
    # A funding claim HR applied for: the funding list shows it and its page can be opened.
    FundingClaim.objects.create(
        enrolment=enrolment,
        scheme=FundingSchemeFactory(name="Ontwikkelen digitale vaardigheden"),
        company=company,
        learner=learner,
        course=course,
        status="applied",
        applied_on=timezone.localdate(),
        reference="AO-2026-0042",
    )
    teacher_visit, teacher_done_request = _sample_teacher_visits(
        teacher=learner, host=company, location=offering.location
    )
    # A change in the log, so the start page's recent changes show one.
    audit.record(action="offering.reminded", target=offering, actor=staff)
    school_request, school_visit = _sample_school_visits(
        location=offering.location, host=company, host_contact=hr, today=nine_today.date()
    )
    # An activity for schools, and the learner's request for it as a teacher, confirmed at a hub.
    school_activity = _sample_school_activity(location=offering.location, host=company)
    teacher_request = SchoolRequestFactory(
        activity=school_activity, teacher=learner, status="confirmed"
    )
    SchoolGroup.objects.filter(request=teacher_request).update(label="3B")
    SchoolVisitFactory(request=teacher_request, status="confirmed", location=offering.location)
    refresh_search_vectors()
    return SampleData(
        course=course,
        offering=offering,
        full_offering=full_offering,
        learner=learner,
        enrolment=enrolment,
        company=company,
        hr=hr,
        employee=employee,
        request=request,
        invitation=invitation,
        staff=staff,
        due_offering=due_offering,
        completed_offering=completed_offering,
        certificate=certificate,
        reservation=reservation,
        need=own_need,
        college=college,
        proposal=proposal,
        offer=offer,
        held=held,
        school_request=school_request,
        school_visit=school_visit,
        teacher_visit=teacher_visit,
        teacher_done_request=teacher_done_request,
        school_activity=school_activity,
        teacher_request=teacher_request,
    )


def _sample_school_activity(*, location, host: Company) -> SchoolActivity:
    """A drone day for vmbo classes at ``location``, hosted by ``host``, with safety rules and a
    worksheet for each use (named only: the pages link the file, they do not read it)."""
    activity = SchoolActivityFactory(
        title="Drone-scan van een perceel",
        title_en="Drone scan of a field",
        slug="drone-scan-voor-de-klas",
        summary="Leerlingen scannen een perceel met een drone.",
        summary_en="Pupils scan a field with a drone.",
        what_pupils_do="Een vlucht plannen, scannen en de kaart lezen.",
        what_pupils_do_en="Plan a flight, scan and read the map.",
        target_groups=["vmbo_3_4", "havo_vwo"],
        places_per_day=2,
        host=host,
        safety_rules="Dichte schoenen\nVeiligheidsbril op bij de drone",
        safety_rules_en="Closed shoes\nSafety goggles near the drone",
        what_to_bring="Laarzen en regenkleding",
        what_to_bring_en="Boots and rain gear",
        preparation="Bespreek wat een perceel is.",
        preparation_en="Discuss what a field is.",
        follow_up="Lees samen de kaart van de vlucht.",
        follow_up_en="Read the map of the flight together.",
        cost_excl_vat=Decimal("150.00"),
        cost_terms="per groep; gratis voor scholen in de Noordoostpolder",
        cost_terms_en="per group; free for schools in the Noordoostpolder",
        locations=[location],
    )
    for use, title, title_en in (
        ("preparation", "Werkblad perceel", "Worksheet field"),
        ("follow_up", "Opdracht kaart", "Assignment map"),
    ):
        SchoolMaterial.objects.create(
            activity=activity,
            use=use,
            title=title,
            title_en=title_en,
            file=f"schools/materials/{use}.pdf",
        )
    return activity


# The token of the sample visit's link for the host (its hash is what the visit keeps).
SAMPLE_HOST_TOKEN = "voorbeeld-link-voor-het-gastbedrijf"


def _sample_school_visits(*, location, host, host_contact, today):
    """An activity for schools at a hub, hosted by the sample company: a request waiting for a
    slot (a window with a day that cannot) and one planned, waiting for the host's answer."""
    activity = SchoolActivityFactory(
        title="Drone-scan van een perceel",
        title_en="Drone scan of a field",
        slug="drone-scan-van-een-perceel",
        locations=[location],
        host=host,
        host_contact=host_contact,
        places_per_day=2,
        weekdays=[1, 2, 3],
        safety_rules="Veiligheidsschoenen\nVeiligheidsbril",
        safety_rules_en="Safety shoes\nSafety goggles",
        what_to_bring="Laarzen en regenkleding.",
        what_to_bring_en="Boots and rain gear.",
    )
    tuesday = today + timedelta(days=21 + (1 - today.weekday()) % 7)
    waiting = SchoolRequestFactory(
        activity=activity,
        preferred_dates=[],
        window_from=tuesday,
        window_to=tuesday + timedelta(days=14),
        blackout_dates=[tuesday + timedelta(days=1)],
        transport=SchoolRequest.Transport.BUS,
        contact_phone="06 12345678",
        groups=[("vmbo", 3, 24), ("vmbo", 4, 20)],
    )
    planned = SchoolRequestFactory(
        activity=activity, preferred_dates=[tuesday], status=SchoolRequest.Status.PLANNED
    )
    visit = SchoolVisitFactory(
        request=planned,
        location=location,
        host_token_hash=host_token_hash(SAMPLE_HOST_TOKEN),
        host_link_expires_at=timezone.now() + timedelta(days=7),
    )
    return waiting, visit


def _sample_teacher_visits(*, teacher: User, host: Company, location) -> tuple:
    """The learner teaches too: a drone day hosted by the company, confirmed for three weeks
    from now (its calendar file and arrival sheet), and one that took place last week (its
    evaluation page)."""
    activity = SchoolActivityFactory(
        title="Drone-scan van een perceel",
        host=host,
        what_to_bring="Stevige schoenen en een lunchpakket",
        safety_rules="Veiligheidsschoenen aan\nVeiligheidsbril op bij de werkbank",
        locations=[location],
    )
    school = SchoolFactory(name="Zuyderzee College")
    visits = []
    for days, status in ((21, "confirmed"), (-7, "done")):
        day = timezone.localdate() + timedelta(days=days)
        school_request = SchoolRequestFactory(
            activity=activity,
            school=school,
            teacher=teacher,
            preferred_dates=[day],
            status=status,
            contact_phone="06-12345678",
        )
        visits.append(
            SchoolVisitFactory(request=school_request, location=location, status="confirmed")
        )
    return visits[0], visits[1].request


SAMPLE_PROPOSAL = "Hydrauliek voor monteurs"


def _sample_proposal(
    *, company: Company, hr: User, other: Company, location, college: User
) -> Proposal:
    """An open proposal of ``company`` (addressed to every college), pledged to by it and by
    ``other``, with the offer of ``college``'s provider and its dates."""
    # Written directly, with the audit rows the services would write: the sample data is
    # made inside other transactions, and the services open their own.
    proposal = Proposal.objects.create(
        origin=Proposal.Origin.COMPANY,
        created_by=hr,
        company=company,
        title=SAMPLE_PROPOSAL,
        target_group="Monteurs van landbouwmachines",
        learning_outcomes="Storingen in hydraulische systemen vinden en verhelpen.",
        expected_headcount=10,
    )
    proposal.locations.add(location)
    audit.record(action="proposal.created", target=proposal, actor=hr, company=company.pk)
    for owner, headcount in ((company, 4), (other, 3)):
        pledger = hr if owner == company else MembershipFactory(company=owner, role="hr").user
        Pledge.objects.create(
            proposal=proposal,
            company=owner,
            pledged_by=pledger,
            headcount=headcount,
            reserve_seats=owner == company,
        )
        audit.record(
            action="proposal.pledged",
            target=proposal,
            actor=pledger,
            company=owner.pk,
            headcount=headcount,
        )
    offer = Offer.objects.create(
        proposal=proposal,
        provider=college.provider,
        submitted_by=college,
        price_excl_vat=Decimal("495.00"),
        min_participants=6,
        max_participants=12,
        hours=Decimal("16.0"),
        at_company=True,
        note="Wij nemen de testbank mee.",
    )
    offer.locations.add(location)
    starts = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=60)
    OfferMeeting.objects.create(offer=offer, starts_at=starts, ends_at=starts + timedelta(hours=7))
    return proposal


def first_meeting(offering: Offering) -> Meeting:
    return offering.meetings.order_by("starts_at").first()


def evaluation_link(data: SampleData, *, answered: bool) -> str:
    """The personal link of the sample's evaluation request that is (not) answered."""
    request = EvaluationRequest.objects.get(answered_at__isnull=not answered)
    return reverse("evaluation:answer", args=[evaluation_tokens.make_token(request.pk)])


# Each public page by name: its path, given the sample data, in the active language.
PUBLIC_PAGES: dict[str, Callable[[SampleData], str]] = {
    "home": lambda data: reverse("home"),
    "accessibility": lambda data: reverse("accessibility"),
    "privacy": lambda data: reverse("privacy"),
    "course-list": lambda data: reverse("catalogue:course_list"),
    "course-search": lambda data: (
        reverse("catalogue:course_list") + "?q=draaien&plaats=emmeloord&vrij=1&sorteer=prijs"
    ),
    "course-no-match": lambda data: reverse("catalogue:course_list") + "?q=draaiien",
    # "avond" is read as a filter and shown as a chip that takes it off again.
    "course-search-chips": lambda data: reverse("catalogue:course_list") + "?q=lassen+avond",
    "course-bad-filter": lambda data: (
        reverse("catalogue:course_list") + "?prijs_min=900&prijs_max=100"
    ),
    "course": lambda data: reverse("catalogue:course_detail", args=[data.course.slug]),
    "course-full": lambda data: reverse(
        "catalogue:course_detail", args=[data.full_offering.course.slug]
    ),
    "course-no-offerings": lambda data: reverse(
        "catalogue:course_detail", args=["elektrische-trekkers"]
    ),
    "demand-summary": lambda data: reverse("demand:summary"),
    "locations": lambda data: reverse("catalogue:location_list"),
    "location": lambda data: reverse(
        "catalogue:location_detail", args=[data.offering.location.slug]
    ),
    "login": lambda data: reverse("accounts:login") + "?next=/",
    "signup": lambda data: reverse("accounts:signup"),
    "password-reset": lambda data: reverse("accounts:password_reset"),
    "account-erased": lambda data: reverse("privacy:account_erased"),
    "invitation": lambda data: reverse("accounts:accept_invitation", args=[data.invitation.token]),
    "certificate": lambda data: reverse(
        "enrolment:verify_certificate", args=[data.certificate.verification_code]
    ),
    # The evaluation from the mail's personal link: to answer, answered, and a changed link.
    "evaluation": lambda data: evaluation_link(data, answered=False),
    "evaluation-answered": lambda data: evaluation_link(data, answered=True),
    "evaluation-bad-link": lambda data: reverse("evaluation:answer", args=["veranderd"]),
    # The host's answer to a planned school visit, from the mail's link, and a changed link.
    "school-host-answer": lambda data: reverse(
        "school_requests:host_answer", args=[SAMPLE_HOST_TOKEN]
    ),
    # Techniek beleven: the offer for schools, filtered to a target group, and an activity.
    "schools": lambda data: reverse("schools:list") + "?doelgroep=vmbo_3_4",
    "school-activity": lambda data: reverse("schools:activity", args=[data.school_activity.slug]),
    "school-host-bad-link": lambda data: reverse("school_requests:host_answer", args=["veranderd"]),
    # The same address once its client has made too many lookups: see lookup_counter_for().
    "certificate-rate-limited": lambda data: reverse(
        "enrolment:verify_certificate", args=[data.certificate.verification_code]
    ),
}

# The status each page answers with, when it is not 200.
EXPECTED_STATUS = {
    "certificate-rate-limited": 429,
    "evaluation-bad-link": 404,
    "school-host-bad-link": 404,
}

# Pages of a logged-in learner (the sample data's), checked like the public ones.
LEARNER_PAGES: dict[str, Callable[[SampleData], str]] = {
    "my-courses": lambda data: reverse("enrolment:my_courses"),
    "enrol": lambda data: reverse("enrolment:enrol", args=[data.full_offering.pk]),
    "cancel": lambda data: reverse("enrolment:cancel", args=[data.enrolment.pk]),
    "profile": lambda data: reverse("accounts:profile"),
    "password-change": lambda data: reverse("accounts:password_change"),
    "erase-account": lambda data: reverse("privacy:erase_account"),
    "course-keep-me-posted": lambda data: reverse(
        "catalogue:course_detail", args=[data.full_offering.course.slug]
    ),
    "course-kept-posted": lambda data: reverse(
        "catalogue:course_detail", args=["elektrische-trekkers"]
    ),
    # The three questions after a school visit the learner (a teacher) came to.
    "school-evaluation": lambda data: reverse(
        "school_requests:evaluate", args=[data.teacher_done_request.pk]
    ),
    # The course page with a run closed for the learner's company (marked, its agreed price).
    "course-closed-run": lambda data: reverse("catalogue:course_detail", args=[data.course.slug]),
    # A teacher's pages: the request form, the list and a confirmed request.
    "school-request-new": lambda data: reverse(
        "school_requests:new", args=[data.school_activity.slug]
    ),
    "my-school-visits": lambda data: reverse("school_requests:mine"),
    "teacher-school-request": lambda data: reverse(
        "school_requests:detail", args=[data.teacher_request.pk]
    ),
}

# Pages of the company portal, checked like the others with the sample company's HR logged in.
HR_PAGES: dict[str, Callable[[SampleData], str]] = {
    "company-dashboard": lambda data: reverse("portal:dashboard", args=[data.company.slug]),
    "company-roster": lambda data: reverse("portal:roster", args=[data.company.slug]),
    "company-remove-member": lambda data: reverse(
        "portal:remove_member", args=[data.company.slug, data.employee.pk]
    ),
    "company-team-enrol": lambda data: reverse(
        "portal:team_enrol", args=[data.company.slug, data.offering.pk]
    ),
    "company-requests": lambda data: reverse("portal:requests", args=[data.company.slug]),
    "company-reject": lambda data: reverse(
        "portal:reject_request", args=[data.company.slug, data.request.pk]
    ),
    "company-approve": lambda data: reverse(
        "portal:approve_request", args=[data.company.slug, data.request.pk]
    ),
    # An enrolment that no longer waits for HR: the page says so instead of deciding.
    "company-request-decided": lambda data: reverse(
        "portal:approve_request", args=[data.company.slug, data.enrolment.pk]
    ),
    "company-import": lambda data: reverse("portal:import_members", args=[data.company.slug]),
    "company-reserve": lambda data: reverse(
        "portal:reserve", args=[data.company.slug, data.offering.pk]
    ),
    "company-reservations": lambda data: reverse("portal:reservations", args=[data.company.slug]),
    "company-reservation": lambda data: reverse(
        "portal:reservation", args=[data.company.slug, data.reservation.pk]
    ),
    "company-release-reservation": lambda data: reverse(
        "portal:release_reservation", args=[data.company.slug, data.reservation.pk]
    ),
    "company-roster-search": lambda data: (
        reverse("portal:roster", args=[data.company.slug]) + "?q=a&page=1"
    ),
    "company-invitations": lambda data: reverse("portal:invitations", args=[data.company.slug]),
    "company-resend-invitation": lambda data: reverse(
        "portal:resend_invitation", args=[data.company.slug, data.invitation.pk]
    ),
    "company-withdraw-invitation": lambda data: reverse(
        "portal:withdraw_invitation", args=[data.company.slug, data.invitation.pk]
    ),
    "company-needs": lambda data: reverse("demand:needs", args=[data.company.slug]),
    "company-new-need": lambda data: reverse("demand:new_need", args=[data.company.slug]),
    "company-interest": lambda data: reverse("demand:company_interest", args=[data.company.slug]),
    "company-edit-need": lambda data: reverse(
        "demand:edit_need", args=[data.company.slug, data.need.pk]
    ),
    "company-withdraw-need": lambda data: reverse(
        "demand:withdraw_need", args=[data.company.slug, data.need.pk]
    ),
    "company-approval-rule": lambda data: reverse("portal:approval_rule", args=[data.company.slug]),
    "company-transfer-checks": lambda data: reverse(
        "portal:transfer_checks", args=[data.company.slug]
    ),
    "company-funding": lambda data: reverse("portal:funding", args=[data.company.slug]),
    "company-funding-claim": lambda data: reverse(
        "portal:funding_claim", args=[data.company.slug, data.enrolment.pk]
    ),
    "company-qualifications": lambda data: reverse(
        "portal:qualifications", args=[data.company.slug]
    ),
    "company-qualifications-expiring": lambda data: (
        reverse("portal:qualifications", args=[data.company.slug]) + "?status=expiring&q=z"
    ),
    "company-add-qualification": lambda data: reverse(
        "portal:add_qualification", args=[data.company.slug]
    ),
    "company-change-qualification": lambda data: reverse(
        "portal:change_qualification", args=[data.company.slug, data.held.pk]
    ),
    "company-remove-qualification": lambda data: reverse(
        "portal:remove_qualification", args=[data.company.slug, data.held.pk]
    ),
    "company-claim-pack": lambda data: reverse("portal:claim_pack", args=[data.company.slug]),
    # Parameters that find nothing: the form again, with its errors and the note.
    "company-claim-pack-errors": lambda data: (
        reverse("portal:claim_pack", args=[data.company.slug])
        + "?per=period&start=2001-01-01&end=2000-01-01"
    ),
    "company-course-page": lambda data: reverse(
        "catalogue:course_detail", args=[data.full_offering.course.slug]
    ),
    # Proposals: not under the company's address, but HR's pages.
    "proposals": lambda data: reverse("proposals:list"),
    "proposal": lambda data: reverse("proposals:detail", args=[data.proposal.pk]),
    "new-proposal": lambda data: reverse("proposals:new"),
}

# Hub staff's own pages (outside Django's admin), checked with the sample staff member logged in.
STAFF_PAGES: dict[str, Callable[[SampleData], str]] = {
    "staff-today": lambda data: reverse("backoffice:today"),
    "staff-dashboard": lambda data: reverse("backoffice:dashboard"),
    "school-report": lambda data: reverse("backoffice:school_report"),
    "school-report-shown": lambda data: (
        reverse("backoffice:school_report")
        + f"?start={timezone.localdate() - timedelta(days=30)}"
        + f"&end={timezone.localdate() + timedelta(days=30)}&format=screen"
    ),
    "processing-register": lambda data: reverse("backoffice:processing_register"),
    "attendance-index": lambda data: reverse("backoffice:attendance_index"),
    "attendance": lambda data: reverse(
        "backoffice:attendance", args=[first_meeting(data.offering).pk]
    ),
    "attendance-due": lambda data: reverse(
        "backoffice:attendance", args=[first_meeting(data.due_offering).pk]
    ),
    "attendance-completed": lambda data: reverse(
        "backoffice:attendance", args=[first_meeting(data.completed_offering).pk]
    ),
    "complete-offering": lambda data: reverse(
        "backoffice:complete_offering", args=[data.offering.pk]
    ),
    "complete-offering-due": lambda data: reverse(
        "backoffice:complete_offering", args=[data.due_offering.pk]
    ),
    "evaluations": lambda data: reverse("backoffice:evaluations"),
    "college-evaluations": lambda data: reverse(
        "evaluation:provider_results", args=[data.course.provider.slug]
    ),
    "funding-report": lambda data: reverse("backoffice:funding_report"),
    "transfer-results": lambda data: reverse("backoffice:transfer_results"),
    # The report on screen: header, the completed participant's row with hours, totals.
    "funding-report-on-screen": lambda data: (
        reverse("backoffice:funding_report")
        + f"?company={data.company.pk}&format=screen"
        + f"&start={timezone.localdate() - timedelta(days=366)}"
        + f"&end={timezone.localdate() + timedelta(days=366)}"
    ),
    "demand-board": lambda data: reverse("backoffice:demand_board"),
    "staff-proposals": lambda data: reverse("proposals:list") + "?status=open",
    "staff-proposal": lambda data: reverse("proposals:detail", args=[data.proposal.pk]),
    "close-proposal": lambda data: reverse("proposals:close", args=[data.proposal.pk]),
    # Started from a demand-board group: the form filled in.
    "new-proposal-from-demand": lambda data: (
        reverse("proposals:new")
        + f"?title=Lassen&headcount=8&location={data.offering.location.pk}"
        + "&period_start=2027-01-01&period_end=2027-03-31"
    ),
    "demand-board-by-course": lambda data: (
        reverse("backoffice:demand_board") + "?by=course&people=3&companies=1"
    ),
    # A college's own pages, of the sample run's provider (participants with attendance).
    "college-start": lambda data: reverse("college:start"),
    "college-overview": lambda data: reverse(
        "college:overview", args=[data.due_offering.course.provider.slug]
    ),
    "college-offering": lambda data: reverse(
        "college:offering", args=[data.due_offering.course.provider.slug, data.due_offering.pk]
    ),
    "college-message": lambda data: reverse(
        "college:message", args=[data.due_offering.course.provider.slug, data.due_offering.pk]
    ),
    "college-new-course": lambda data: reverse(
        "college:new_course", args=[data.due_offering.course.provider.slug]
    ),
    "college-course": lambda data: reverse(
        "college:edit_course",
        args=[data.due_offering.course.provider.slug, data.due_offering.course.pk],
    ),
    "college-new-offering": lambda data: (
        reverse("college:new_offering", args=[data.due_offering.course.provider.slug])
        + f"?course={data.due_offering.course.pk}"
    ),
    # The run page's own actions in the admin (a full run: a waiting list to mail and promote).
    "run-mail": lambda data: reverse("admin:catalogue_offering_mail", args=[data.full_offering.pk]),
    "run-enrol": lambda data: reverse("admin:catalogue_offering_enrol", args=[data.offering.pk]),
    "run-promote": lambda data: reverse(
        "admin:catalogue_offering_promote", args=[data.full_offering.pk]
    ),
    "proposal-accept": lambda data: reverse(
        "proposals:accept", args=[data.proposal.pk, data.offer.pk]
    ),
    # The school planning: the month of the planned visit, and the request waiting for a slot.
    "school-planning": lambda data: (
        reverse("backoffice:school_planning") + f"?maand={data.school_visit.date:%Y-%m}"
    ),
    "school-request": lambda data: reverse(
        "backoffice:school_request", args=[data.school_request.pk]
    ),
}

# A college's own pages, checked with the sample college's staff member logged in.
COLLEGE_PAGES: dict[str, Callable[[SampleData], str]] = {
    "proposal-offer": lambda data: reverse("proposals:offer", args=[data.proposal.pk]),
    "proposal-withdraw-offer": lambda data: reverse(
        "proposals:withdraw_offer", args=[data.proposal.pk]
    ),
}

# Staff pages only checked for valid HTML: the funding report's form with its error shown.
STAFF_HTML_ONLY_PAGES: dict[str, Callable[[SampleData], str]] = {
    # The admin's action pages share Django's link colours, which axe finds too faint in text;
    # until the admin is made accessible as a whole, their HTML is checked.
    "offering-shift": lambda data: (
        reverse("admin:catalogue_offering_shift") + f"?ids={data.offering.pk}"
    ),
    # The run list (the admin's list of offerings).
    "run-list": lambda data: reverse("admin:catalogue_offering_changelist"),
    "funding-report-bad-period": lambda data: (
        reverse("backoffice:funding_report")
        + f"?company={data.company.pk}&start=2026-12-31&end=2026-01-01&format=xlsx"
    ),
}

# The preview of a roster import is the answer to an upload (a POST), so it is no URL to visit:
# html_checked posts this file, and test_import_preview_meets_wcag_21_aa uploads it in Chromium.
# One good row and one bad one, so both tables and the choice what to save are shown.
IMPORT_FILE = (
    "voornaam;tussenvoegsel;achternaam;e-mailadres\r\n"
    "Frédérique;;Dijkstra;frederique.dijkstra@kampstaal.example\r\n"
    "Sjoerd;de;Boer;geen-adres\r\n"
).encode("cp1252")
IMPORT_PREVIEW = "company-import-preview"
# The total of a team before HR confirms it is the answer to the team form (a POST) too:
# html_checked posts the first person who may be chosen, test_team_confirmation_... ticks them.
TEAM_CONFIRMATION = "company-team-confirm"

# Pages that are only checked for valid HTML: Django's own admin is not ours to make accessible.
HTML_ONLY_PAGES: dict[str, Callable[[SampleData], str]] = {
    "admin-login": lambda data: reverse("admin:login"),
}

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DESKTOP, PHONE = 1280, 375


def log_in(page, user: User, url: str) -> None:
    """Give the browser a session of ``user``, as if they had logged in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def page_ids(pages: dict[str, Callable[[SampleData], str]]) -> list[str]:
    return [f"{name}-{code}" for name in pages for code in LANGUAGES]


def page_name(page_id: str) -> str:
    return page_id.rsplit("-", 1)[0]


def page_user(page_id: str, data: SampleData) -> User | None:
    """Who must be logged in to see a page: the learner, HR, staff, or nobody."""
    name = page_name(page_id)
    if name in LEARNER_PAGES:
        return data.learner
    if name in HR_PAGES:
        return data.hr
    if name in STAFF_PAGES:
        return data.staff
    if name in COLLEGE_PAGES:
        return data.college
    return None


# The certificate check counts lookups per client address in the cache (enrolment.views). The
# test client and the live server (bound to 127.0.0.1) both come from this address.
LOOKUP_COUNTER = "certificate-lookups:127.0.0.1"


@contextmanager
def lookup_counter_for(page_id: str):
    """Around a request of a certificate page: no lookups counted yet, or, for the rate-limited
    page, all the lookups the window allows, so that the next one is refused. Reset after."""
    name = page_name(page_id)
    if name not in ("certificate", "certificate-rate-limited"):
        yield
        return
    if name == "certificate-rate-limited":
        cache.set(LOOKUP_COUNTER, VERIFY_LOOKUP_LIMIT, timeout=VERIFY_LOOKUP_WINDOW)
    else:
        cache.delete(LOOKUP_COUNTER)
    try:
        yield
    finally:
        cache.delete(LOOKUP_COUNTER)


def logged_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def public_urls(
    data: SampleData, pages: dict[str, Callable[[SampleData], str]] = PUBLIC_PAGES
) -> dict[str, str]:
    """Every page in every language, by id ("privacy-en") → URL path ("/en/privacy/")."""
    urls = {}
    for name, path in pages.items():
        for code in LANGUAGES:
            with translation.override(code):
                urls[f"{name}-{code}"] = path(data)
    return urls


# Every page the axe tests visit, by id.
AXE_PAGES = {**PUBLIC_PAGES, **LEARNER_PAGES, **HR_PAGES, **STAFF_PAGES, **COLLEGE_PAGES}


@dataclass(frozen=True)
class Site:
    """The sample data, served by a live server of this module's own."""

    data: SampleData
    url: str
    urls: dict[str, str]  # page id → path, of AXE_PAGES and the import preview
    sessions: dict[int, str]  # user id → session key, for the learner, HR and staff

    def log_in(self, page, user: User) -> None:
        """Give the browser a session of ``user``, as if they had logged in."""
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": self.sessions[user.pk],
                    "url": self.url,
                }
            ]
        )


def _reset_sequences() -> None:
    """Point every table's id sequence past the rows given back, so new rows get fresh ids."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The sample data, committed once for the whole module, and a live server that reads it.

    The pages here only read it, so they share it instead of building and emptying the
    database for each page; the tests that use it are marked ``django_db`` so that the live
    server's thread may reach the database. Afterwards the database is emptied and given back
    what the migrations wrote (the staff groups, for one), as Django's transactional tests do
    with ``serialized_rollback``: the tests that run later find it as it was.
    """
    with django_db_blocker.unblock():
        as_migrated = connection.creation.serialize_db_to_string()
        data = sample_data()
        sessions = {
            user.pk: logged_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
            for user in (data.learner, data.hr, data.staff, data.college)
        }
        urls = public_urls(
            data,
            {
                **AXE_PAGES,
                IMPORT_PREVIEW: HR_PAGES["company-import"],
                TEAM_CONFIRMATION: HR_PAGES["company-team-enrol"],
            },
        )
        connection.close()
    server = LiveServer("localhost")
    try:
        yield Site(data=data, url=server.url, urls=urls, sessions=sessions)
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(as_migrated)
            _reset_sequences()
            connection.close()


@pytest.fixture(scope="module")
def page_of(browser, site) -> Callable[[User | None], Page]:
    """A browser page per visitor (nobody, the learner, HR or staff), kept for the module: each
    check navigates it afresh, and a new browser context per check costs more than the check."""
    pages: dict[int | None, Page] = {}

    def page_for(user: User | None) -> Page:
        key = user.pk if user else None
        if key not in pages:
            pages[key] = browser.new_context(locale="nl-NL").new_page()
            if user is not None:
                site.log_in(pages[key], user)
        return pages[key]

    yield page_for
    for page in pages.values():
        page.context.close()


@pytest.fixture(scope="module")
def html_checked(site, django_db_blocker, html_validator) -> dict[str, dict]:
    """Every page rendered once and all checked in one vnu run: id → path, status, errors."""
    pages, documents = {}, {}
    with django_db_blocker.unblock():
        # What rendering the pages writes is rolled back once they are rendered.
        with transaction.atomic():
            data = site.data
            hr = logged_in_client(data.hr)
            for pages_of, client in (
                ({**PUBLIC_PAGES, **HTML_ONLY_PAGES}, Client()),
                (LEARNER_PAGES, logged_in_client(data.learner)),
                (HR_PAGES, hr),
                ({**STAFF_PAGES, **STAFF_HTML_ONLY_PAGES}, logged_in_client(data.staff)),
                (COLLEGE_PAGES, logged_in_client(data.college)),
            ):
                for page_id, path in public_urls(data, pages_of).items():
                    with lookup_counter_for(page_id):
                        response = client.get(path)
                    pages[page_id] = {"path": path, "status": response.status_code}
                    documents[page_id] = response.content.decode()
            for page_id, path in public_urls(
                data, {IMPORT_PREVIEW: HR_PAGES["company-import"]}
            ).items():
                upload = SimpleUploadedFile("medewerkers.csv", IMPORT_FILE, content_type="text/csv")
                response = hr.post(path, {"file": upload})
                assert response.context["preview"], f"{path} did not take the file"
                pages[page_id] = {"path": f"{path} (preview)", "status": response.status_code}
                documents[page_id] = response.content.decode()
            for page_id, path in public_urls(
                data, {TEAM_CONFIRMATION: HR_PAGES["company-team-enrol"]}
            ).items():
                free = [
                    membership.user_id
                    for membership, chosen, reason in hr.get(path).context["chooser"].rows
                    if not chosen and not reason
                ]
                assert free, f"{path} offers nobody to choose"
                response = hr.post(path, {"learners": free[:1]})
                assert response.templates[0].name == "portal/team_confirm.html", path
                pages[page_id] = {"path": f"{path} (confirm)", "status": response.status_code}
                documents[page_id] = response.content.decode()
            transaction.set_rollback(True)
        # Close the connection, as Django's test cases do: while Playwright's event loop runs,
        # it is not the one the test database's teardown closes, and would keep the database busy.
        connection.close()
    errors = html_validator.validate(documents)
    return {page_id: {**page, "errors": errors[page_id]} for page_id, page in pages.items()}


# html_checked renders from the test database, which pytest-django creates only when a chosen
# test is marked: without the mark, `-k valid_html` alone would find no database.
# Portal addresses that are not pages: the choice of company sends HR of one company straight
# on, and the exports are files.
NOT_PORTAL_PAGES = {"choose", "export_csv", "export_xlsx", "qualifications_export"}


class _AnySample:
    """Stands in for every sample object where only the shape of an address matters."""

    pk = 1
    slug = "x"

    def __getattr__(self, name):
        return self


def test_every_page_of_the_company_portal_is_checked():
    """A new portal page is checked at phone width too, or this fails: HR works on phones."""
    checked = {
        resolve(build(_AnySample()).partition("?")[0]).view_name for build in HR_PAGES.values()
    }
    portal = {f"portal:{pattern.name}" for pattern in portal_urls.urlpatterns}
    assert portal - checked == {f"portal:{name}" for name in NOT_PORTAL_PAGES}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page_id",
    page_ids(
        {
            **PUBLIC_PAGES,
            **HTML_ONLY_PAGES,
            **LEARNER_PAGES,
            **HR_PAGES,
            **STAFF_PAGES,
            **STAFF_HTML_ONLY_PAGES,
            IMPORT_PREVIEW: None,
            TEAM_CONFIRMATION: None,
        }
    ),
)
def test_page_is_valid_html(page_id, html_checked, html_validator):
    page = html_checked[page_id]
    expected = EXPECTED_STATUS.get(page_name(page_id), 200)
    assert page["status"] == expected, f"{page['path']} answered {page['status']}"
    if page["errors"]:
        pytest.fail(html_validator.report(page["path"], page["errors"]), pytrace=False)


@pytest.mark.django_db  # the live server's thread reads the module's sample data
@pytest.mark.parametrize("page_id", page_ids(AXE_PAGES))
def test_page_meets_wcag_21_aa(page_id, site, page_of, axe):
    """At desktop width, then narrowed to a phone's: the page is loaded once and checked at
    both widths (the layout follows the width through CSS alone)."""
    path = site.urls[page_id]
    page = page_of(page_user(page_id, site.data))
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    with lookup_counter_for(page_id):
        response = page.goto(f"{site.url}{path}")
    expected = EXPECTED_STATUS.get(page_name(page_id), 200)
    assert response.status == expected, f"{path} answered {response.status}"

    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        violations = axe(page)
        if violations:
            pytest.fail(axe.report(f"{path} at {width}px", violations), pytrace=False)
        # Nothing pushes the page sideways, on a phone either.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path


@pytest.mark.django_db  # the live server's thread reads the module's sample data
@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("page_id", page_ids({IMPORT_PREVIEW: None}))
def test_import_preview_meets_wcag_21_aa(page_id, width, site, page_of, axe):
    """The preview HR sees after choosing a file: reached by uploading one, as HR does."""
    path = site.urls[page_id]
    page = page_of(site.data.hr)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{site.url}{path}")
    english = page_id.endswith("-en")
    page.get_by_label("CSV file" if english else "CSV-bestand").set_input_files(
        files={"name": "medewerkers.csv", "mimeType": "text/csv", "buffer": IMPORT_FILE}
    )
    page.get_by_role("button", name="Check file" if english else "Bestand controleren").click()
    expect(page.get_by_role("table")).to_have_count(2)  # the bad row and the good one

    violations = axe(page)

    if violations:
        pytest.fail(axe.report(f"{path} (preview) at {width}px", violations), pytrace=False)


@pytest.mark.django_db  # the live server's thread reads the module's sample data
@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("page_id", page_ids({TEAM_CONFIRMATION: None}))
def test_team_confirmation_meets_wcag_21_aa(page_id, width, site, page_of, axe):
    """The total HR sees before enrolling a team: reached by ticking someone, as HR does."""
    path = site.urls[page_id]
    page = page_of(site.data.hr)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{site.url}{path}")
    english = page_id.endswith("-en")
    page.locator("input[name=learners]:not([disabled])").first.check()
    page.get_by_role("button", name="Continue" if english else "Verder").click()
    expect(page.get_by_role("table", name="Costs" if english else "Kosten")).to_be_visible()

    violations = axe(page)

    if violations:
        pytest.fail(axe.report(f"{path} (confirm) at {width}px", violations), pytrace=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, path


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_data_download_overview_is_valid_html_and_meets_wcag_21_aa(
    language, site, html_validator, page, axe
):
    """The overview in "Mijn gegevens downloaden" is a file, not a page, but it is read in a
    browser like one."""
    learner = User.objects.get(pk=site.data.learner.pk)
    learner.preferred_language = language
    learner.save(update_fields=["preferred_language"])
    with zipfile.ZipFile(io.BytesIO(export.build_zip(user=learner))) as archive:
        overview = archive.read("overzicht.html" if language == "nl" else "overview.html")

    errors = html_validator.validate({"overview": overview.decode()})["overview"]
    page.set_content(overview.decode())
    violations = axe(page)

    if errors:
        pytest.fail(html_validator.report(f"overview ({language})", errors), pytrace=False)
    if violations:
        pytest.fail(axe.report(f"overview ({language})", violations), pytrace=False)


@pytest.mark.django_db  # the live server's thread reads the module's sample data
@pytest.mark.parametrize("language", ["nl", "en"])
def test_run_list_fits_1280_px_and_the_run_page_fits_a_phone(language, site, page_of):
    """The programme manager's run list shows course, date, place, status, seats and waiting
    list on a laptop without scrolling sideways; the run page's buttons wrap on a phone."""
    with translation.override(language):
        list_path = reverse("admin:catalogue_offering_changelist")
        run_path = reverse("admin:catalogue_offering_change", args=[site.data.full_offering.pk])
    page = page_of(site.data.staff)
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    page.goto(f"{site.url}{list_path}")

    for column in ("course", "first_meeting", "location", "status", "seats", "waiting"):
        box = page.locator(f"th.column-{column}").bounding_box()
        assert box is not None, column
        assert box["x"] + box["width"] <= DESKTOP, column
    assert page.locator("div.results").evaluate("node => node.scrollWidth <= node.clientWidth")

    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(f"{site.url}{run_path}")
    actions = page.locator("ul.run-actions a.button")
    assert actions.count() >= 5
    for index in range(actions.count()):
        box = actions.nth(index).bounding_box()
        assert box["x"] + box["width"] <= PHONE, actions.nth(index).inner_text()
