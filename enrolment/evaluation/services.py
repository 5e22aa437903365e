"""Writes of the evaluation loop: asking who attended, reminding once, taking one answer.

Every mail goes through the outbox with a dedupe key, so a task that runs twice (or two beat
processes at once) asks and reminds each person once. The answer is taken under the request's
row lock: two submissions of one link at the same moment give one answer.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technohub import audit, page_cache
from technohub.errors import DomainError

from .. import outbox
from ..models import EvaluationAnswer, EvaluationRequest
from . import selectors

logger = logging.getLogger(__name__)

REQUEST_MAIL = "evaluation_request"
REMINDER_MAIL = "evaluation_reminder"


class EvaluationRefused(DomainError):
    """The evaluation was answered already."""


def queue_evaluation_requests(*, now: datetime) -> int:
    """Ask everyone who attended a run that ended (see ``selectors``) to evaluate it: an
    ``EvaluationRequest`` each and one mail in their language with a personal link.

    One transaction per run, so one failing run does not hold back the others. Safe to repeat
    and to run twice at once: the request is one per enrolment (a unique key) and the mail has a
    dedupe key. Returns how many people were asked.
    """
    asked = 0
    for offering_id in selectors.list_offerings_to_evaluate(now=now):
        with transaction.atomic(durable=True):
            for enrolment in selectors.list_enrolments_to_ask(offering_id=offering_id):
                try:
                    # A concurrent run of this task inserted it first: it mails them, not us.
                    with transaction.atomic():
                        request = EvaluationRequest.objects.create(enrolment=enrolment, sent_at=now)
                except IntegrityError:
                    continue
                outbox.queue_once_for(
                    enrolment.learner,
                    template=REQUEST_MAIL,
                    dedupe_key=f"{REQUEST_MAIL}:{request.pk}",
                    enrolment=enrolment,
                    context={"evaluation_request_id": request.pk},
                )
                asked += 1
    return asked


def queue_evaluation_reminders(*, now: datetime) -> int:
    """Remind, once, who was asked ``EVALUATION_REMINDER_DAYS`` ago and has not answered.

    Each reminder is claimed with a compare-and-set on ``reminded_at``, so it is written once
    however often, or however concurrently, this runs. Returns how many were reminded.
    """
    due = list(
        EvaluationRequest.objects.filter(
            answered_at__isnull=True,
            reminded_at__isnull=True,
            sent_at__lte=now - timedelta(days=settings.EVALUATION_REMINDER_DAYS),
            enrolment__learner__is_active=True,
            enrolment__learner__erased_at__isnull=True,
        )
        .select_related("enrolment__learner")
        .order_by("pk")
    )
    reminded = 0
    for request in due:
        with transaction.atomic(durable=True):
            claimed = EvaluationRequest.objects.filter(
                pk=request.pk, reminded_at__isnull=True, answered_at__isnull=True
            ).update(reminded_at=now, updated_at=now)
            if not claimed:
                continue  # answered meanwhile, or another run of the task reminded them
            outbox.queue_once_for(
                request.enrolment.learner,
                template=REMINDER_MAIL,
                dedupe_key=f"{REMINDER_MAIL}:{request.pk}",
                enrolment=request.enrolment,
                context={"evaluation_request_id": request.pk},
            )
            reminded += 1
    return reminded


def answer_evaluation(
    *,
    request_id: int,
    content: int,
    trainer: int,
    practical: int,
    comment: str = "",
    now: datetime | None = None,
) -> EvaluationAnswer:
    """Take the one answer of an evaluation request: an anonymous ``EvaluationAnswer`` (the run
    and the date, nothing about the person) and ``answered_at`` on the request.

    Audit: ``evaluation.answered`` on the request, without the scores. The course page's cache
    is refreshed once the run has enough answers to count. Raises EvaluationRefused when the
    request was answered already, EvaluationRequest.DoesNotExist when it is gone.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # The request's row lock: of two submissions at once, the second waits here and then
        # finds the request answered.
        request = (
            EvaluationRequest.objects.select_for_update(of=("self",))
            .select_related("enrolment")
            .get(pk=request_id)
        )
        if request.answered_at is not None:
            raise EvaluationRefused(_("Je hebt deze cursus al geëvalueerd — bedankt!"))
        offering_id = request.enrolment.offering_id
        answer = EvaluationAnswer.objects.create(
            offering_id=offering_id,
            content=content,
            trainer=trainer,
            practical=practical,
            comment=comment,
            answered_on=timezone.localdate(now),
        )
        request.answered_at = now
        request.save(update_fields=["answered_at", "updated_at"])
        audit.record(action="evaluation.answered", target=request)
        if (
            EvaluationAnswer.objects.filter(offering_id=offering_id).count()
            >= settings.EVALUATION_MIN_ANSWERS
        ):
            page_cache.invalidate()  # the course page's rating changes
        return answer
