"""Reads of the evaluation loop: whom to ask, and the results, each in a fixed number of queries.

Who attended (and so is asked): a participant with at least one meeting ``present``; where
nobody's attendance was taken for the run at all (on paper, or completed by hand), the outcome
stands in for it: ``completed`` or ``not_completed``. Excused only, absent only and no-shows
are not asked. Learners who erased their account or were deactivated are not asked either.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum

from catalogue.models import Course, Offering, Provider

from ..models import Attendance, Enrolment, EvaluationAnswer, EvaluationRequest

ASKED_STATUSES = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
)
OUTCOME_ATTENDED = (Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED)
QUESTIONS = ("content", "trainer", "practical")
TENTH = Decimal("0.1")


# --- Whom to ask -----------------------------------------------------------------------------


def list_offerings_to_evaluate(*, now: datetime) -> list[int]:
    """Ids of runs, not cancelled and not concepts, whose last meeting ended in the last
    ``EVALUATION_ASK_WITHIN_DAYS`` (older runs are never asked about, so that turning the loop
    on does not mail about last year's courses)."""
    since = now - timedelta(days=settings.EVALUATION_ASK_WITHIN_DAYS)
    return list(
        Offering.objects.exclude(status__in=[Offering.Status.CANCELLED, Offering.Status.CONCEPT])
        .annotate(last_ends_at=Max("meetings__ends_at"))
        .filter(last_ends_at__lte=now, last_ends_at__gt=since)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def attended(offering_id: int) -> QuerySet[Enrolment]:
    """The enrolments of a run whose learner attended it (see the module's docstring)."""
    present = Attendance.objects.filter(enrolment=OuterRef("pk"), state=Attendance.State.PRESENT)
    any_taken = Attendance.objects.filter(meeting__offering_id=offering_id)
    return Enrolment.objects.filter(
        offering_id=offering_id,
        status__in=ASKED_STATUSES,
        learner__is_active=True,
        learner__erased_at__isnull=True,
    ).filter(Q(Exists(present)) | (Q(status__in=OUTCOME_ATTENDED) & ~Exists(any_taken)))


def list_enrolments_to_ask(*, offering_id: int) -> list[Enrolment]:
    """Who attended the run and was not asked yet, with their learner."""
    return list(
        attended(offering_id)
        .filter(evaluation_request__isnull=True)
        .select_related("learner")
        .order_by("pk")
    )


def get_request_for_answer(*, request_id: int) -> EvaluationRequest:
    """The request with its run's course and the learner (for the language); DoesNotExist."""
    return EvaluationRequest.objects.select_related(
        "enrolment__offering__course", "enrolment__offering__location", "enrolment__learner"
    ).get(pk=request_id)


# --- Results ---------------------------------------------------------------------------------


@dataclass
class Scores:
    """Count and sums of the three questions; averages to one decimal."""

    count: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(QUESTIONS, 0))

    def add(self, other: "Scores") -> None:
        self.count += other.count
        for question in QUESTIONS:
            self.sums[question] += other.sums[question]

    def average(self, question: str) -> Decimal | None:
        if not self.count:
            return None
        return _tenth(Decimal(self.sums[question]) / self.count)

    @property
    def content(self) -> Decimal | None:
        return self.average("content")

    @property
    def trainer(self) -> Decimal | None:
        return self.average("trainer")

    @property
    def practical(self) -> Decimal | None:
        return self.average("practical")

    @property
    def overall(self) -> Decimal | None:
        """The mean of all three questions over all answers."""
        if not self.count:
            return None
        return _tenth(Decimal(sum(self.sums.values())) / (3 * self.count))


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class Comment:
    text: str
    month: date  # the first of the month: never finer


@dataclass
class RunResult:
    offering: Offering
    scores: Scores
    comments: list[Comment] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.scores.count >= settings.EVALUATION_MIN_ANSWERS


@dataclass
class CourseResult:
    course: Course
    runs: list[RunResult] = field(default_factory=list)
    # What may be shown of the course as a whole: all runs (manager) or only runs with enough
    # answers (college).
    scores: Scores = field(default_factory=Scores)


def _run_scores(offerings: QuerySet[Offering]) -> dict[int, Scores]:
    rows = (
        EvaluationAnswer.objects.filter(offering__in=offerings)
        .values("offering_id")
        .annotate(
            count=Count("pk"),
            content_sum=Sum("content"),
            trainer_sum=Sum("trainer"),
            practical_sum=Sum("practical"),
        )
        .order_by()
    )
    return {
        row["offering_id"]: Scores(
            count=row["count"],
            sums={question: row[f"{question}_sum"] for question in QUESTIONS},
        )
        for row in rows
    }


def _results(offerings: QuerySet[Offering], *, only_enough: bool) -> list[CourseResult]:
    """Per course (by title) its runs that ended and were evaluated or asked about, newest
    first. ``only_enough``: the course's scores add up only runs with enough answers, and
    comments are read only for those runs."""
    scores = _run_scores(offerings)
    asked = set(
        EvaluationRequest.objects.filter(enrolment__offering__in=offerings)
        .values_list("enrolment__offering_id", flat=True)
        .distinct()
    )
    runs = list(
        offerings.filter(pk__in=set(scores) | asked)
        .select_related("course__provider", "location")
        .annotate(first_starts_at=Min("meetings__starts_at"), last_ends_at=Max("meetings__ends_at"))
        .order_by("-last_ends_at", "pk")
    )
    minimum = settings.EVALUATION_MIN_ANSWERS
    shown = [
        run.pk for run in runs if not only_enough or scores.get(run.pk, Scores()).count >= minimum
    ]
    comments: dict[int, list[Comment]] = defaultdict(list)
    # In random order, then by month (a stable sort): no order follows who answered first.
    for offering_id, text, answered_on in sorted(
        EvaluationAnswer.objects.filter(offering_id__in=shown)
        .exclude(comment="")
        .order_by("?")
        .values_list("offering_id", "comment", "answered_on"),
        key=lambda row: row[2].replace(day=1),
        reverse=True,
    ):
        comments[offering_id].append(Comment(text=text, month=answered_on.replace(day=1)))
    courses: dict[int, CourseResult] = {}
    for run in runs:
        result = courses.setdefault(run.course_id, CourseResult(course=run.course))
        run_scores = scores.get(run.pk, Scores())
        result.runs.append(RunResult(offering=run, scores=run_scores, comments=comments[run.pk]))
        if run.pk in shown:
            result.scores.add(run_scores)
    return sorted(courses.values(), key=lambda result: result.course.title.casefold())


def list_all_results() -> list[CourseResult]:
    """Every course's evaluations, for the programme manager: counts and averages per course
    and per run, and the open answers (by month, never by name). Four queries."""
    return _results(Offering.objects.all(), only_enough=False)


def list_provider_results(*, provider: Provider) -> list[CourseResult]:
    """A college's own courses: scores and open answers only of runs with at least
    ``EVALUATION_MIN_ANSWERS`` answers; the course's scores add up only those runs. Four
    queries."""
    return _results(Offering.objects.filter(course__provider=provider), only_enough=True)


@dataclass(frozen=True)
class CourseRating:
    """What a course page shows: the mean of the three questions and the number of answers."""

    average: Decimal
    count: int


def get_course_rating(*, course: Course) -> CourseRating | None:
    """The course's rating over its runs with enough answers; None below the threshold."""
    scores = Scores()
    for run_scores in _run_scores(Offering.objects.filter(course=course)).values():
        if run_scores.count >= settings.EVALUATION_MIN_ANSWERS:
            scores.add(run_scores)
    if not scores.count:
        return None
    return CourseRating(average=scores.overall, count=scores.count)
