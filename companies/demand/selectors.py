"""Reads of training needs and interest: a company's own, a learner's own."""

from django.db.models import F, Min, Prefetch

from catalogue.models import Course, Location

from ..models import Company, Interest, TrainingNeed, User


def list_company_needs(*, company: Company) -> list[TrainingNeed]:
    """The company's training needs, newest first, with theme, places and the offering meeting
    each."""
    return list(
        TrainingNeed.objects.filter(company=company)
        .select_related("theme", "course", "offering__course", "offering__location")
        .prefetch_related(
            Prefetch("preferred_locations", queryset=Location.objects.order_by("name"))
        )
        .annotate(offering_starts_at=Min("offering__meetings__starts_at"))
        .order_by("-created_at", "-pk")
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
