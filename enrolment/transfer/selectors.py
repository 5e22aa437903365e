"""Reads of HR's application questions: the company's own, with names; the hub's, counts only."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery

from catalogue.models import Course, Meeting
from companies.models import Company
from companies.names import dutch_name_order

from ..models import TransferCheck

ANSWERS = [value for value, _label in TransferCheck.Answer.choices]


def answer_columns() -> list[tuple[str, str]]:
    """(value, label) of each answer, in the order a results table shows them."""
    return list(TransferCheck.Answer.choices)


def _last_ends_at():
    return Subquery(
        Meeting.objects.filter(offering=OuterRef("enrolment__offering"))
        .order_by("-ends_at")
        .values("ends_at")[:1]
    )


def company_transfer_checks(*, company: Company) -> QuerySet[TransferCheck]:
    """The questions about the company's participants (the enrolments it paid for)."""
    return TransferCheck.objects.filter(enrolment__company=company)


def count_open_transfer_checks(*, company: Company) -> int:
    """How many of the company's questions wait for an answer."""
    return company_transfer_checks(company=company).filter(answer="").count()


def list_transfer_checks(*, company: Company) -> list[TransferCheck]:
    """The company's questions, open ones first, then by the run's end (latest first) and the
    participant's name in Dutch order; each with ``last_ends_at`` (one query)."""
    return list(
        company_transfer_checks(company=company)
        .select_related("enrolment__learner", "enrolment__offering__course")
        .annotate(last_ends_at=_last_ends_at())
        .annotate(is_open=ExpressionWrapper(Q(answer=""), output_field=BooleanField()))
        .order_by("-is_open", "-last_ends_at", *dutch_name_order("enrolment__learner"))
    )


@dataclass
class TransferCounts:
    """How HR answered for one course: a count per answer and the questions still open."""

    course_id: int
    counts: dict[str, int] = field(default_factory=dict)
    open: int = 0

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def count(self, answer: str) -> int:
        return self.counts.get(answer, 0)

    def in_order(self) -> list[int]:
        """The count of each answer, in the order of ``answer_columns``."""
        return [self.counts.get(answer, 0) for answer in ANSWERS]


def transfer_summary(course_ids) -> dict[int, TransferCounts]:
    """Per course of ``course_ids``: how many questions got each answer, and how many are open.
    Counts only, never who (a college's results may show them as they are). One query."""
    rows = (
        TransferCheck.objects.filter(enrolment__offering__course_id__in=list(course_ids))
        .values("enrolment__offering__course_id", "answer")
        .annotate(number=Count("pk"))
        .order_by()
    )
    summary: dict[int, TransferCounts] = {}
    for row in rows:
        course_id = row["enrolment__offering__course_id"]
        counts = summary.setdefault(course_id, TransferCounts(course_id=course_id))
        if row["answer"]:
            counts.counts[row["answer"]] = row["number"]
        else:
            counts.open = row["number"]
    return summary


@dataclass
class CourseTransfer:
    course: Course
    counts: TransferCounts


def list_transfer_results() -> list[CourseTransfer]:
    """Every course with questions asked, by title, with its counts (two queries)."""
    courses = list(
        Course.objects.filter(pk__in=TransferCheck.objects.values("enrolment__offering__course_id"))
        .select_related("provider")
        .order_by("title", "pk")
    )
    summary = transfer_summary([course.pk for course in courses])
    return [
        CourseTransfer(course=course, counts=summary.get(course.pk, TransferCounts(course.pk)))
        for course in courses
    ]
