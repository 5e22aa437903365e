"""Writes to the catalogue."""

from collections.abc import Iterable

from technohub import page_cache

from .models import Course
from .search import search_document


def refresh_search_vectors(*, course_ids: Iterable[int] | None = None) -> int:
    """Recompute the full-text document of the given courses (all when None).

    Call after a course's texts or themes change, or after a theme is renamed.
    Returns the number of courses updated.
    """
    courses = Course.objects.all()
    if course_ids is not None:
        courses = courses.filter(pk__in=list(course_ids))
    page_cache.invalidate()
    return courses.update(search_vector=search_document())
