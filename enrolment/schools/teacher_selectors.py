"""Reads for the teacher's own pages: their requests, each with its groups and live visit."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from catalogue.models import SchoolActivity

from ..models import SchoolRequest, SchoolVisit

logger = logging.getLogger(__name__)

# Whether a user has school requests decides the header's "Mijn schoolbezoeken" on every page
# they see: kept in the shared cache, like the user's row, so that no page pays a query for it.
HAS_REQUESTS_SECONDS = 300


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


def _has_requests_key(user_id) -> str:
    return f"school-requests:has:{user_id}"


def has_school_requests(user) -> bool:
    """Whether ``user`` ever asked for a school visit (from the shared cache when it can)."""
    key = _has_requests_key(user.pk)
    try:
        value = cache.get(key)
    except Exception:  # Redis is down: the database answers
        logger.warning("School request flag not cached", exc_info=True)
        value = None
    if value is None:
        value = SchoolRequest.objects.filter(teacher=user).exists()
        try:
            cache.set(key, value, timeout=HAS_REQUESTS_SECONDS)
        except Exception:
            logger.warning("School request flag not cached", exc_info=True)
    return value


def forget_has_school_requests(user_id) -> None:
    """Drop the cached flag once the current transaction commits (a new request was made)."""

    def drop() -> None:
        try:
            cache.delete(_has_requests_key(user_id))
        except Exception:
            logger.warning("School request flag not cached", exc_info=True)

    transaction.on_commit(drop)
