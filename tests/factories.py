"""factory_boy factories for every model the tests need."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from catalogue.models import Course, Location, Meeting, Offering, Provider, Qualification, Theme
from companies.models import Cluster, Company, FundingScheme, Membership, User
from enrolment.models import Enrolment


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
