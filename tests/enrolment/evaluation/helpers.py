"""A run that ended yesterday with participants who attended, and answers for it."""

from datetime import date, timedelta

from django.utils import timezone

from enrolment.models import Attendance, EvaluationAnswer
from tests.factories import EnrolmentFactory, MeetingFactory, OfferingFactory, UserFactory


def ended_offering(*, days_ago: int = 1, **fields):
    """An open run whose only meeting ended ``days_ago`` days ago."""
    offering = OfferingFactory(**fields)
    starts_at = timezone.now() - timedelta(days=days_ago, hours=8)
    MeetingFactory(offering=offering, starts_at=starts_at, ends_at=starts_at + timedelta(hours=7))
    return offering


def participant(offering, *, state: str | None = "present", status: str = "confirmed", **user):
    """An enrolment in ``offering`` with attendance ``state`` at its meeting (None: none)."""
    enrolment = EnrolmentFactory(offering=offering, learner=UserFactory(**user), status=status)
    if state is not None:
        Attendance.objects.create(enrolment=enrolment, meeting=offering.meetings.get(), state=state)
    return enrolment


def answers(offering, count: int, *, scores=(4, 5, 3), comment: str = "") -> None:
    content, trainer, practical = scores
    for _ in range(count):
        EvaluationAnswer.objects.create(
            offering=offering,
            content=content,
            trainer=trainer,
            practical=practical,
            comment=comment,
            answered_on=date(2026, 11, 17),
        )
