"""factory_boy factories for every model the tests need."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from catalogue.models import (
    Course,
    Location,
    Meeting,
    Offering,
    Provider,
    Qualification,
    SchoolActivity,
    Theme,
)
from companies.models import Cluster, Company, FundingScheme, Membership, User
from enrolment.models import Enrolment, School, SchoolGroup, SchoolRequest, SchoolVisit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"deelnemer{n}@example.nl")
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"de Vries {n}")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("slug",)

    name = "Innovatiecluster Noordoostpolder"
    slug = "innovatiecluster"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Metaalbedrijf {n}")
    slug = factory.Sequence(lambda n: f"metaalbedrijf-{n}")
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n}")
    cluster = factory.SubFactory(ClusterFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.EMPLOYEE


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Opleider {n}")
    slug = factory.Sequence(lambda n: f"opleider-{n}")
    kind = Provider.Kind.COLLEGE


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Hub {n}")
    slug = factory.Sequence(lambda n: f"hub-{n}")
    kind = Location.Kind.HUB
    city = "Emmeloord"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"MIG/MAG-lassen {n}")
    slug = factory.Sequence(lambda n: f"mig-mag-lassen-{n}")
    summary = "Leer veilig en netjes lassen met MIG/MAG."
    description = "Praktijkgerichte lascursus in de hal van de hub."
    sector = "metal"
    provider = factory.SubFactory(ProviderFactory)
    study_hours = Decimal("16")
    price_excl_vat = Decimal("1195.00")
    is_published = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    course = factory.SubFactory(CourseFactory)
    location = factory.SubFactory(LocationFactory)
    status = Offering.Status.OPEN
    capacity = 12
    min_participants = 4


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    offering = factory.SubFactory(OfferingFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + timedelta(hours=7))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    offering = factory.SubFactory(OfferingFactory)
    learner = factory.SubFactory(UserFactory)
    status = Enrolment.Status.CONFIRMED


class FundingSchemeFactory(factory.django.DjangoModelFactory):
    """A scheme of the fund "ander fonds" (the seeded schemes are A+O Metalektro's and OOM's):
    80 % of the course fee within 3 months after the start, no maximum."""

    class Meta:
        model = FundingScheme

    fund = "other"
    name = factory.Sequence(lambda n: f"Regeling {n}")
    percentage = Decimal("80")
    eligible_costs = factory.LazyFunction(lambda: [FundingScheme.CostType.COURSE_FEE])
    window = FundingScheme.Window.AFTER_START
    window_months = 3
    proof_required = factory.LazyFunction(lambda: [FundingScheme.Proof.CERTIFICATE])
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    name = factory.Sequence(lambda n: f"VCA {n}")
    slug = factory.Sequence(lambda n: f"vca-{n}")
    validity_months = 120


class SchoolActivityFactory(factory.django.DjangoModelFactory):
    """A published activity at a hub for vmbo classes, 60 pupils, one supervisor per 8."""

    class Meta:
        model = SchoolActivity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Drone-scan van een perceel {n}")
    slug = factory.Sequence(lambda n: f"drone-scan-{n}")
    kind = SchoolActivity.Kind.AT_HUB
    summary = "Leerlingen scannen een perceel met een drone."
    what_pupils_do = "Een vlucht plannen, scannen en de kaart lezen."
    target_groups = factory.LazyFunction(lambda: ["vmbo_1_2", "vmbo_3_4"])
    duration_minutes = 180
    max_pupils = 60
    pupils_per_supervisor = 8
    places_per_day = 1
    weekdays = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])
    is_published = True

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Zuyderzee College {n}")
    brin = factory.Sequence(
        lambda n: f"{n % 100:02d}{chr(65 + n // 100 % 26)}{chr(65 + n // 2600 % 26)}"
    )
    city = "Emmeloord"


class SchoolRequestFactory(factory.django.DjangoModelFactory):
    """A request for two vmbo 3 groups of 24 pupils (48), with 6 supervisors, three weeks out.

    ``groups=[("vmbo", 3, 24), ...]`` sets other groups (level, year, pupils)."""

    class Meta:
        model = SchoolRequest
        skip_postgeneration_save = True

    activity = factory.SubFactory(SchoolActivityFactory)
    school = factory.SubFactory(SchoolFactory)
    teacher = factory.SubFactory(UserFactory)
    supervisors = 6
    preferred_dates = factory.LazyFunction(lambda: [timezone.localdate() + timedelta(days=21)])
    transport = SchoolRequest.Transport.OWN

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        for level, year, pupils in extracted or [("vmbo", 3, 24), ("vmbo", 3, 24)]:
            SchoolGroup.objects.create(request=self, level=level, year=year, pupils=pupils)


class SchoolVisitFactory(factory.django.DjangoModelFactory):
    """A planned visit for a request, on its first preferred date, 9:00–12:00."""

    class Meta:
        model = SchoolVisit

    request = factory.SubFactory(SchoolRequestFactory)
    activity = factory.LazyAttribute(lambda visit: visit.request.activity)
    date = factory.LazyAttribute(lambda visit: visit.request.preferred_dates[0])
    starts_at = factory.LazyAttribute(
        lambda visit: timezone.make_aware(datetime.combine(visit.date, time(9, 0)))
    )
    ends_at = factory.LazyAttribute(lambda visit: visit.starts_at + timedelta(hours=3))
    pupils = 48
    status = SchoolVisit.Status.PLANNED
