"""Asking HR the application question and saving their answers."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation

from companies.models import Company, Membership
from technohub import audit
from technohub.errors import DomainError

from .. import outbox
from ..models import Enrolment, TransferCheck

# A run whose question was not asked on its day (the task did not run) is still asked within
# this many days; runs that ended longer ago (before the question existed) are left alone.
ASK_WINDOW_DAYS = 14


class TransferAnswerRefused(DomainError):
    """An answer that cannot be saved; the message says why."""


def _due_enrolments(*, now: datetime):
    """Completed enrolments paid by a company, without a question yet, whose run's last meeting
    ended ``TRANSFER_CHECK_AFTER_DAYS`` ago (up to ``ASK_WINDOW_DAYS`` more)."""
    due_before = now - timedelta(days=settings.TRANSFER_CHECK_AFTER_DAYS)
    too_old = due_before - timedelta(days=ASK_WINDOW_DAYS)
    return (
        Enrolment.objects.filter(
            status=Enrolment.Status.COMPLETED,
            company__isnull=False,
            transfer_check__isnull=True,
        )
        .annotate(last_ends_at=Max("offering__meetings__ends_at"))
        .filter(last_ends_at__lte=due_before, last_ends_at__gt=too_old)
    )


def ask_transfer_checks(*, now: datetime) -> int:
    """Ask HR, per participant, whether what was learned is put to use: a ``TransferCheck``
    (``asked_at`` = ``now``) for every completed enrolment with a company whose run ended
    ``TRANSFER_CHECK_AFTER_DAYS`` ago, and one mail per company and HR member per day
    (``transfer_checks``, in their language) listing those participants and linking to the
    portal page. Enrolments without a company (nobody to ask) are skipped.

    Safe to repeat: an enrolment is asked once (its question exists), and a second mail to the
    same HR member about the same company on the same day is refused by its dedupe key. Two
    runs at once: one runs, the other finds the lock taken and does nothing.
    Returns how many questions were asked.
    """
    with transaction.atomic(durable=True):
        # One run at a time, or two redelivered tasks would both ask about the same people.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", ["transfer-checks"])
            if not cursor.fetchone()[0]:
                return 0
        enrolments = list(
            _due_enrolments(now=now)
            .select_related("learner", "offering__course", "company")
            .order_by("company_id", "pk")
        )
        if not enrolments:
            return 0
        TransferCheck.objects.bulk_create(
            [TransferCheck(enrolment=enrolment, asked_at=now) for enrolment in enrolments]
        )
        by_company: dict[int, list[Enrolment]] = {}
        for enrolment in enrolments:
            by_company.setdefault(enrolment.company_id, []).append(enrolment)
        hr_members = Membership.objects.hr_to_mail(by_company)
        day = timezone.localdate(now).isoformat()
        for membership in hr_members:
            _mail_hr(membership, by_company[membership.company_id], day=day)
        for asked in by_company.values():
            audit.record(
                action="transfer_checks.asked",
                target=asked[0].company,
                count=len(asked),
            )
        return len(enrolments)


def _mail_hr(membership: Membership, enrolments: list[Enrolment], *, day: str) -> bool:
    hr, company = membership.user, membership.company
    with translation.override(hr.preferred_language):
        participants = [
            {
                "name": str(enrolment.learner),
                "course": enrolment.offering.course.localized("title"),
                "ended": formats.date_format(timezone.localtime(enrolment.last_ends_at), "j F Y"),
            }
            for enrolment in enrolments
        ]
        checks_url = settings.SITE_URL + reverse("portal:transfer_checks", args=[company.slug])
    return outbox.queue_once_for(
        hr,
        template="transfer_checks",
        dedupe_key=f"transfer-checks:{company.pk}:{hr.pk}:{day}",
        context={"company": company.name, "participants": participants, "checks_url": checks_url},
    )


def answer_transfer_checks(
    *, company: Company, hr_user, answers: dict[int, str], now: datetime | None = None
) -> list[TransferCheck]:
    """Save HR's answers (question id → ``TransferCheck.Answer`` value) to the company's
    questions, all together; an answer may be changed later. Empty answers and unchanged ones
    are left as they are. Each change records ``answered_at``/``answered_by`` and an audit row.
    Raises TransferAnswerRefused for an unknown answer or a question of another company
    (nothing is saved then). Returns the questions changed.
    """
    now = now or timezone.now()
    valid = {value for value, _label in TransferCheck.Answer.choices}
    wanted = {pk: answer for pk, answer in answers.items() if answer}
    if any(answer not in valid for answer in wanted.values()):
        raise TransferAnswerRefused(translation.gettext("Kies een antwoord uit de lijst."))
    with transaction.atomic(durable=True):
        # Row locks: two HR members saving at once each see the other's answer before theirs.
        checks = {
            check.pk: check
            for check in TransferCheck.objects.select_for_update()
            .filter(pk__in=list(wanted), enrolment__company=company)
            .order_by("pk")
        }
        if set(wanted) - set(checks):
            raise TransferAnswerRefused(
                translation.gettext("Deze vraag hoort niet bij je bedrijf.")
            )
        changed = []
        for pk, answer in wanted.items():
            check = checks[pk]
            if check.answer == answer:
                continue
            previous = check.answer
            check.answer, check.answered_at, check.answered_by = answer, now, hr_user
            check.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
            audit.record(
                action="transfer_check.answered",
                target=check,
                actor=hr_user,
                answer=answer,
                previous=previous,
            )
            changed.append(check)
        return changed
