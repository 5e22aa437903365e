"""What the school mails need to render: the request and, when the mail is about one, the visit.

A mail about a request carries ``school_request_id`` in its context, one about a visit
``school_visit_id``; both are read when the mail is sent, so the mail shows the latest state.
"""

from ..models import SchoolRequest, SchoolVisit


def school_context(stored: dict) -> dict:
    """``school_request``, ``activity`` and (for a visit) ``visit`` for a notification's
    ``stored`` context."""
    if "school_visit_id" in stored:
        visit = SchoolVisit.objects.select_related(
            "activity__host", "location", "request__school", "request__teacher"
        ).get(pk=stored["school_visit_id"])
        return {"visit": visit, "school_request": visit.request, "activity": visit.activity}
    school_request = SchoolRequest.objects.select_related(
        "activity__host", "school", "teacher"
    ).get(pk=stored["school_request_id"])
    return {"school_request": school_request, "activity": school_request.activity}
