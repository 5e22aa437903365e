"""The programme manager's qualifications: what a course grants and how long it holds."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from enrolment.models import HeldQualification

from ..models import Course, Qualification


def _count(queryset, field: str) -> Coalesce:
    """``field``'s distinct count in ``queryset`` per qualification, as a subquery."""
    counted = (
        queryset.filter(qualification=OuterRef("pk"))
        .order_by()
        .values("qualification")
        .annotate(n=Count(field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "validity_months", "course_count", "holder_count")
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("refresher_courses",)
    fields = ("name", "name_en", "slug", "validity_months", "refresher_courses")

    def get_queryset(self, request):
        # Counts as subqueries: one query for the whole list, however many rows.
        return (
            super()
            .get_queryset(request)
            .annotate(
                granting_courses=_count(Course.objects.all(), "pk"),
                holders=_count(HeldQualification.objects.all(), "person"),
            )
        )

    @admin.display(description=_("cursussen die haar geven"), ordering="granting_courses")
    def course_count(self, qualification: Qualification) -> int:
        return qualification.granting_courses

    @admin.display(description=_("mensen die haar hebben"), ordering="holders")
    def holder_count(self, qualification: Qualification) -> int:
        return qualification.holders
