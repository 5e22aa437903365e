"""Reads for the privacy pages."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, Q
from django.utils import timezone

from companies.models import User
from enrolment.models import Certificate, Enrolment


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing an account will do, for the person to read first."""

    cancelled: list[Enrolment]  # active enrolments in offerings that have not started
    kept: int  # enrolments kept nameless for the employer's records
    certificates: int  # certificates that stay verifiable without a name


def enrolments_not_started(*, user: User, now: datetime | None = None):
    """The person's active enrolments in offerings that have not begun: erasure cancels these."""
    return (
        Enrolment.objects.filter(learner=user, status__in=Enrolment.ACTIVE_STATUSES)
        .annotate(first_starts_at=Min("offering__meetings__starts_at"))
        .filter(Q(first_starts_at__gt=now or timezone.now()) | Q(first_starts_at__isnull=True))
    )


def erasure_preview(*, user: User) -> ErasurePreview:
    cancelled = list(
        enrolments_not_started(user=user)
        .select_related("offering__course", "offering__location")
        .order_by("first_starts_at", "pk")
    )
    return ErasurePreview(
        cancelled=cancelled,
        kept=Enrolment.objects.filter(learner=user)
        .exclude(pk__in=[enrolment.pk for enrolment in cancelled])
        .exclude(status__in=(Enrolment.Status.CANCELLED, Enrolment.Status.REJECTED))
        .count(),
        certificates=Certificate.objects.filter(enrolment__learner=user).count(),
    )
