"""Reads of the public offer for schools: published activities only, in a fixed number of
queries however many there are."""

from django.db.models import Prefetch, QuerySet

from ..models import Location, SchoolActivity, SchoolMaterial


def _published() -> QuerySet[SchoolActivity]:
    return (
        SchoolActivity.objects.filter(is_published=True)
        .select_related("host")
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("name")))
    )


def list_published_activities(
    *, target_group: str | None = None, kind: str | None = None
) -> list[SchoolActivity]:
    """The published activities, by title; only those for ``target_group`` and of ``kind``
    when given. Host and places come along (three queries in all)."""
    activities = _published()
    if target_group:
        activities = activities.filter(target_groups__contains=[target_group])
    if kind:
        activities = activities.filter(kind=kind)
    return list(activities.order_by("title", "pk"))


def get_published_activity(*, slug: str) -> SchoolActivity:
    """The published activity with ``slug``, with its host, places and materials.

    Raises ``SchoolActivity.DoesNotExist`` for an unknown or unpublished one."""
    return _published().prefetch_related("materials").get(slug=slug)


def get_published_material(*, slug: str, pk: int) -> SchoolMaterial:
    """Material ``pk`` of the published activity ``slug``.

    Raises ``SchoolMaterial.DoesNotExist`` when the pair does not match, the activity is not
    published or the material has no file."""
    return (
        SchoolMaterial.objects.select_related("activity")
        .exclude(file="")
        .get(pk=pk, activity__slug=slug, activity__is_published=True)
    )
