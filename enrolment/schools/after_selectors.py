"""Reads for the teacher's files and evaluation: each finds only the teacher's own request."""

from django.shortcuts import get_object_or_404

from ..models import SchoolEvaluation, SchoolRequest, SchoolVisit


def get_confirmed_visit_for_teacher(*, user, request_pk: int) -> SchoolVisit:
    """The confirmed visit of the teacher's request ``request_pk``, with what its files show;
    404 for another teacher's request or one without a confirmed visit."""
    return get_object_or_404(
        SchoolVisit.objects.select_related("activity__host", "location", "request__school"),
        request_id=request_pk,
        request__teacher=user,
        status=SchoolVisit.Status.CONFIRMED,
    )


def get_request_to_evaluate(*, user, request_pk: int) -> SchoolRequest:
    """The teacher's done request ``request_pk`` with its activity and school; 404 for another
    teacher's request or one that has not taken place."""
    return get_object_or_404(
        SchoolRequest.objects.select_related("activity", "school"),
        pk=request_pk,
        teacher=user,
        status=SchoolRequest.Status.DONE,
    )


def is_evaluated(school_request: SchoolRequest) -> bool:
    return SchoolEvaluation.objects.filter(request=school_request).exists()
