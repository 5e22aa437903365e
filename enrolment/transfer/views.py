"""The programme manager's view of HR's application questions: counts per course, no names."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from companies.models import StaffPermission
from technohub.permissions import staff_permission_required

from . import selectors


@staff_permission_required(StaffPermission.ALL_EVALUATIONS)
@require_GET
def transfer_results(request):
    """Per course: how often HR answered ja, gedeeltelijk, nee, weet ik niet, and what is open."""
    return render(
        request,
        "transfer/results.html",
        {"results": selectors.list_transfer_results(), "answers": selectors.answer_columns()},
    )
