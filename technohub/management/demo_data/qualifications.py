"""Demo qualifications: what the safety courses grant, and who at Kampstaal holds what.

Every completed enrolment with a certificate for a course that grants a qualification holds it
from the run's last day (as the certificate service grants it). Kampstaal's HR entered a few
earned elsewhere, with the document's date. Together they give the matrix every state: a VCA
from the hub that expires next month (the B-VCA run of almost ten years ago in ``offerings``),
one entered by HR that expires next month too, VCAs valid for years (this year's B-VCA runs), an
expired NEN 3140, and a forklift certificate expiring within 90 days with no run of the forklift
course planned: demand on the programme manager's board. The expiry mails go out after seeding.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Max
from django.utils import timezone

from catalogue.models import Course, Qualification
from companies.funding.rules import add_months
from companies.models import User
from enrolment.models import Enrolment, HeldQualification


class QualificationSpec(NamedTuple):
    slug: str
    name: str
    name_en: str
    # None: it does not expire.
    validity_months: int | None
    # The courses (slugs) that grant it.
    granted_by: tuple[str, ...]
    # The courses that renew it; none: the courses that grant it.
    refreshers: tuple[str, ...] = ()


QUALIFICATIONS = (
    QualificationSpec("vca-basis", "VCA Basis", "VCA Basic", 120, ("b-vca",)),
    QualificationSpec("vol-vca", "VOL-VCA", "VOL-VCA", 120, ("vol-vca",)),
    QualificationSpec("nen-3140", "NEN 3140", "NEN 3140", 12, ("nen-3140",)),
    QualificationSpec(
        "heftruckcertificaat",
        "Heftruckcertificaat",
        "Forklift certificate",
        60,
        ("heftruck-rijden",),
    ),
)


class EnteredSpec(NamedTuple):
    """A qualification HR entered as earned elsewhere, expiring ``expires_in_days`` from the day
    of seeding (negative: expired)."""

    company: str
    person: str
    qualification: str
    expires_in_days: int
    issuer: str
    document_reference: str


ENTERED = (
    # The other of ``offerings.VCA_TO_RENEW``.
    EnteredSpec(
        "kampstaal",
        "ruben.meijer@kampstaal.example",
        "vca-basis",
        38,
        "Veiligheidsinstituut Flevoland",
        "VCA-1708253",
    ),
    EnteredSpec(
        "kampstaal",
        "jeroen.kok@kampstaal.example",
        "nen-3140",
        -20,
        "Elektro Opleidingen Lelystad",
        "NEN-25-0412",
    ),
    EnteredSpec(
        "kampstaal",
        "kevin.hoekstra@kampstaal.example",
        "heftruckcertificaat",
        64,
        "Heftruckschool Noord",
        "HT-22-3318",
    ),
    EnteredSpec(
        "kampstaal",
        "kevin.hoekstra@kampstaal.example",
        "vol-vca",
        2400,
        "Veiligheidsinstituut Flevoland",
        "VOL-2031547",
    ),
)


def seed_qualifications(
    *, courses: dict[str, Course], hr: dict[str, User], today: date
) -> dict[str, Qualification]:
    """The qualifications with their courses, and the qualifications held (see the module)."""
    qualifications = {}
    for spec in QUALIFICATIONS:
        qualification, _ = Qualification.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en,
                "validity_months": spec.validity_months,
            },
        )
        qualification.refresher_courses.set([courses[slug] for slug in spec.refreshers])
        Course.objects.filter(slug__in=spec.granted_by).update(qualification=qualification)
        qualifications[spec.slug] = qualification
    _grant_for_certificates()
    _enter_held_elsewhere(qualifications=qualifications, hr=hr, today=today)
    return qualifications


def _grant_for_certificates() -> None:
    enrolments = (
        Enrolment.objects.filter(
            status=Enrolment.Status.COMPLETED,
            certificate__isnull=False,
            offering__course__qualification__isnull=False,
        )
        .annotate(last_ends_at=Max("offering__meetings__ends_at"))
        .select_related("offering__course__qualification")
        .order_by("pk")
    )
    for enrolment in enrolments:
        qualification = enrolment.offering.course.qualification
        obtained_on = timezone.localdate(enrolment.last_ends_at)
        HeldQualification.objects.update_or_create(
            enrolment=enrolment,
            qualification=qualification,
            defaults={
                "person_id": enrolment.learner_id,
                "obtained_on": obtained_on,
                "expires_on": _expiry(qualification, obtained_on),
            },
        )


def _enter_held_elsewhere(
    *, qualifications: dict[str, Qualification], hr: dict[str, User], today: date
) -> None:
    for spec in ENTERED:
        qualification = qualifications[spec.qualification]
        expires_on = today + timedelta(days=spec.expires_in_days)
        HeldQualification.objects.update_or_create(
            person=User.objects.get(email=spec.person),
            qualification=qualification,
            enrolment=None,
            document_reference=spec.document_reference,
            defaults={
                "issuer": spec.issuer,
                "obtained_on": add_months(expires_on, -qualification.validity_months),
                "expires_on": expires_on,
                "entered_by": hr[spec.company],
            },
        )


def _expiry(qualification: Qualification, obtained_on: date) -> date | None:
    if qualification.validity_months is None:
        return None
    return add_months(obtained_on, qualification.validity_months)
