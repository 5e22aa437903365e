"""After a school visit: the request is done and the teacher is asked three questions.

The daily task calls :func:`finish_visits`: every confirmed visit whose day has passed makes its
request done, once, and mails the teacher a link to the evaluation page. :func:`evaluate`
stores the teacher's answers, once per request.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technohub import audit
from technohub.errors import DomainError

from .. import outbox
from ..models import SchoolEvaluation, SchoolRequest, SchoolVisit

TEMPLATE = "school_evaluation_request"


class EvaluationRefused(DomainError):
    """The request cannot be evaluated (now): not done yet, or answered already."""


def finish_visits(*, today: date | None = None) -> int:
    """Mark done the requests whose confirmed visit took place before ``today`` (default: the
    local date) and queue the teacher's ``school_evaluation_request`` mail. Each request is
    handled in its own transaction under its row lock and only while it is still confirmed,
    so a second run (or a second worker) does nothing. Returns how many requests became done."""
    today = today or timezone.localdate()
    pks = list(
        SchoolVisit.objects.filter(
            status=SchoolVisit.Status.CONFIRMED,
            date__lt=today,
            request__status=SchoolRequest.Status.CONFIRMED,
        )
        .order_by("date", "pk")
        .values_list("request_id", flat=True)
    )
    finished = 0
    for pk in pks:
        # The request's row lock: two workers never both finish it (nor mail twice).
        with transaction.atomic(durable=True):
            school_request = (
                SchoolRequest.objects.select_for_update(no_key=True, of=("self",))
                .select_related("teacher")
                .filter(pk=pk, status=SchoolRequest.Status.CONFIRMED)
                .first()
            )
            if school_request is None:
                continue
            school_request.status = SchoolRequest.Status.DONE
            school_request.save(update_fields=["status", "updated_at"])
            audit.record(action="school_request.done", target=school_request)
            if school_request.teacher is not None:
                outbox.queue_once_for(
                    school_request.teacher,
                    template=TEMPLATE,
                    dedupe_key=f"school-evaluation:{school_request.pk}",
                    context={"school_request_id": school_request.pk},
                )
        finished += 1
    return finished


def evaluate(
    *,
    school_request: SchoolRequest,
    teacher,
    engagement: int,
    fit: int,
    improvement: str = "",
    today: date | None = None,
) -> SchoolEvaluation:
    """Store the teacher's evaluation of a done request.

    Raises :class:`EvaluationRefused` when ``teacher`` is not the request's teacher, the
    request is not done, or it was evaluated already. The request's row lock makes two
    answers at once one answer and one refusal.
    """
    # The request's row lock: two answers sent at once are checked one after the other.
    with transaction.atomic(durable=True):
        locked = SchoolRequest.objects.select_for_update(no_key=True).get(pk=school_request.pk)
        if locked.teacher_id is None or locked.teacher_id != teacher.pk:
            raise EvaluationRefused(_("Deze aanvraag is niet van jou."))
        if locked.status != SchoolRequest.Status.DONE:
            raise EvaluationRefused(_("Je kunt het bezoek evalueren als het is geweest."))
        if SchoolEvaluation.objects.filter(request=locked).exists():
            raise EvaluationRefused(_("Je hebt dit bezoek al geëvalueerd. Dank je wel!"))
        evaluation = SchoolEvaluation.objects.create(
            request=locked,
            engagement=engagement,
            fit=fit,
            improvement=improvement.strip(),
            answered_on=today or timezone.localdate(),
        )
        audit.record(
            action="school_request.evaluated",
            target=locked,
            actor=teacher,
            engagement=engagement,
            fit=fit,
        )
    return evaluation
