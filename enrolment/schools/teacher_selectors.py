"""Reads for the teacher's own pages: their requests, each with its groups and live visit."""

from django.db.models import Prefetch, QuerySet

from catalogue.models import SchoolActivity

from ..models import SchoolRequest, SchoolVisit


def _with_details(queryset: QuerySet) -> QuerySet:
    live_visits = SchoolVisit.objects.filter(status__in=SchoolVisit.LIVE_STATUSES).select_related(
        "location"
    )
    return queryset.select_related("activity__host", "school").prefetch_related(
        "groups", Prefetch("visits", queryset=live_visits, to_attr="live_visits")
    )


def list_teacher_requests(*, teacher) -> list[SchoolRequest]:
    """The teacher's requests, newest first, with activity, school, groups and live visit."""
    return list(_with_details(SchoolRequest.objects.filter(teacher=teacher)).order_by("-pk"))


def get_teacher_request(*, teacher, pk: int) -> SchoolRequest:
    """The teacher's own request ``pk``; SchoolRequest.DoesNotExist for anyone else's."""
    return _with_details(SchoolRequest.objects.filter(teacher=teacher)).get(pk=pk)


def get_requestable_activity(*, slug: str) -> SchoolActivity:
    """A published activity by its slug; SchoolActivity.DoesNotExist otherwise."""
    return SchoolActivity.objects.select_related("host").get(slug=slug, is_published=True)


def live_visit(school_request: SchoolRequest) -> SchoolVisit | None:
    """The request's planned or confirmed visit, from a request read by this module."""
    visits = getattr(school_request, "live_visits", None)
    return visits[0] if visits else None
