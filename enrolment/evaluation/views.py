"""The evaluation pages: answering (a personal link from the mail, no log-in), the college's
results of its own courses, and the programme manager's results of all courses."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.college.access import college_view
from companies.models import StaffPermission
from technohub.permissions import staff_permission_required
from technohub.security_headers import personal_link_page

from ..models import EvaluationRequest
from . import selectors, services, tokens
from .forms import EvaluationForm


def _link_problem(request, *, expired: bool):
    return personal_link_page(
        render(
            request,
            "evaluation/link_problem.html",
            {"expired": expired},
            status=400 if expired else 404,
        )
    )


@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """The learner's evaluation of a run: three scores and one open question, once.

    A changed or unknown link is a 404, an expired one a 400, both as a friendly page. An
    answered request shows the thanks (a second answer posted is refused with 409).
    """
    try:
        request_id = tokens.read_token(token)
        evaluation_request = selectors.get_request_for_answer(request_id=request_id)
    except tokens.ExpiredToken:
        return _link_problem(request, expired=True)
    except (tokens.BadToken, EvaluationRequest.DoesNotExist):
        return _link_problem(request, expired=False)
    course = evaluation_request.enrolment.offering.course
    context = {"course": course, "offering": evaluation_request.enrolment.offering}
    if evaluation_request.answered_at is not None:
        status = 200 if request.method == "GET" else 409
        return personal_link_page(
            render(request, "evaluation/answered.html", context, status=status)
        )
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_evaluation(request_id=request_id, **form.cleaned_data)
        except (services.EvaluationRefused, EvaluationRequest.DoesNotExist):
            return personal_link_page(
                render(request, "evaluation/answered.html", context, status=409)
            )
        messages.success(request, _("Bedankt! Je evaluatie is opgeslagen."))
        return redirect(request.path)
    return personal_link_page(render(request, "evaluation/answer.html", {**context, "form": form}))


@staff_permission_required(StaffPermission.ALL_EVALUATIONS)
def all_results(request):
    """The programme manager: every course's evaluations, per run, with the open answers."""
    return render(
        request,
        "evaluation/results.html",
        {
            "results": selectors.list_all_results(),
            "provider": None,
            "minimum": settings.EVALUATION_MIN_ANSWERS,
        },
    )


@college_view
def provider_results(request, provider):
    """A college's own courses: only runs with enough answers show scores and open answers."""
    return render(
        request,
        "evaluation/results.html",
        {
            "results": selectors.list_provider_results(provider=provider),
            "provider": provider,
            "minimum": settings.EVALUATION_MIN_ANSWERS,
        },
    )
