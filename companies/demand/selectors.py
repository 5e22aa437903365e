"""Reads of training needs and interest: a company's own, a learner's own."""

from django.db.models import F, Max, Min, Prefetch

from catalogue.models import Course, Location, Offering

from ..models import Company, Interest, TrainingNeed, User

# Needs the hub still has to act on: they count on the demand board, and HR may change them.
OPEN_NEED_STATUSES = (TrainingNeed.Status.NEW, TrainingNeed.Status.IN_PROGRESS)
# A need HR may still take back: open, or planned (the run goes ahead without them).
WITHDRAWABLE_NEED_STATUSES = (*OPEN_NEED_STATUSES, TrainingNeed.Status.PLANNED)


def list_company_needs(*, company: Company) -> list[TrainingNeed]:
    """The company's training needs, newest first, with theme, places and the offering meeting
    each (its first start and last end), and ``team_enrolment_open``: whether HR can enrol a
    team in that offering now (a planned need whose offering is open)."""
    needs = list(
        TrainingNeed.objects.filter(company=company)
        .select_related("theme", "course", "offering__course", "offering__location")
        .prefetch_related(
            Prefetch("preferred_locations", queryset=Location.objects.order_by("name"))
        )
        .annotate(
            offering_starts_at=Min("offering__meetings__starts_at"),
            offering_ends_at=Max("offering__meetings__ends_at"),
        )
        .order_by("-created_at", "-pk")
    )
    for need in needs:
        need.editable = need.status in OPEN_NEED_STATUSES
        need.withdrawable = need.status in WITHDRAWABLE_NEED_STATUSES
        need.team_enrolment_open = (
            need.status == TrainingNeed.Status.PLANNED
            and need.offering is not None
            and need.offering.status == Offering.Status.OPEN
            and need.offering.course.is_published
        )
    return needs


def get_company_need(*, company: Company, pk: int) -> TrainingNeed:
    """One of ``company``'s training needs with its places; TrainingNeed.DoesNotExist for
    another company's."""
    return (
        TrainingNeed.objects.select_related("theme", "course", "offering__course")
        .prefetch_related("preferred_locations")
        .get(company=company, pk=pk)
    )


def list_company_interests(*, company: Company) -> list[Interest]:
    """Interest HR registered for unnamed employees, open first, then the ones announced."""
    return list(
        Interest.objects.filter(company=company, learner__isnull=True)
        .select_related("course", "location", "offering__location")
        .order_by(F("notified_at").desc(nulls_first=True), "-created_at")
    )


def get_open_interest(*, learner: User, course: Course) -> Interest | None:
    """The learner's open "Houd me op de hoogte" on the course, if they asked."""
    return (
        Interest.objects.filter(learner=learner, course=course, notified_at__isnull=True)
        .select_related("location")
        .first()
    )


def list_learner_interests(*, learner: User) -> list[Interest]:
    """The courses ``learner`` asked to be kept posted on and has not heard about yet."""
    return list(
        Interest.objects.filter(learner=learner, notified_at__isnull=True)
        .select_related("course", "location")
        .order_by("course__title")
    )
