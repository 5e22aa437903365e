"""What a college writes on its own pages: drafts of courses and runs, for the programme
manager to publish.

A college never publishes: a drafted course is saved unpublished, a drafted run as a concept,
and the programme manager hears of each by mail and publishes it in the admin.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from companies.models import User
from enrolment import outbox
from technohub import audit
from technohub.errors import DomainError

from ..models import Course, Location, Meeting, Offering, Provider, Theme
from ..services import refresh_search_vectors
from .selectors import COURSE_DRAFTED, OFFERING_DRAFTED

# What a college fills in of a course; the rest (VAT, funding, oZone) is the hub's to add.
COURSE_DRAFT_FIELDS = (
    "title",
    "summary",
    "description",
    "learning_outcomes",
    "audience",
    "level",
    "sector",
    "mode",
    "study_hours",
    "price_excl_vat",
)
MAX_MEETINGS = 6


class DraftRefused(DomainError):
    """A draft that a college may not write (a published course, a meeting in the past)."""


@dataclass(frozen=True)
class MeetingSlot:
    starts_at: datetime
    ends_at: datetime


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "cursus"
    taken = set(Course.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _tell_programme_managers(
    *, kind: str, title: str, provider: Provider, actor: User, admin_view: str, pk: int
) -> int:
    """Queue the mail ``college_draft`` to every programme manager, in their language."""
    written = 0
    for manager in User.objects.programme_managers().order_by("pk"):
        with translation.override(manager.preferred_language):
            url = settings.SITE_URL + reverse(admin_view, args=[pk])
        outbox.queue_for(
            manager,
            template="college_draft",
            context={
                "kind": kind,
                "title": title,
                "provider": provider.name,
                "drafted_by": actor.get_full_name() or actor.email,
                "admin_url": url,
            },
        )
        written += 1
    return written


def draft_course(*, provider: Provider, actor: User, values: dict, themes: list[Theme]) -> Course:
    """Save a college's new course for ``provider`` as a concept (unpublished).

    ``values`` holds the fields of :data:`COURSE_DRAFT_FIELDS` (already shaped by a form).
    Audits ``course.drafted`` and mails every programme manager (``college_draft``) in the
    same transaction. Returns the course.
    """
    with transaction.atomic(durable=True):
        course = Course.objects.create(
            provider=provider,
            slug=_unique_slug(values["title"]),
            is_published=False,
            **{name: values[name] for name in COURSE_DRAFT_FIELDS if name in values},
        )
        course.themes.set(themes)
        refresh_search_vectors(course_ids=[course.pk])
        audit.record(action=COURSE_DRAFTED, target=course, actor=actor, provider=provider.pk)
        _tell_programme_managers(
            kind="course",
            title=course.title,
            provider=provider,
            actor=actor,
            admin_view="admin:catalogue_course_change",
            pk=course.pk,
        )
        return course


def update_draft_course(
    *, provider: Provider, course_id: int, actor: User, values: dict, themes: list[Theme]
) -> Course:
    """Change a college's course while it is a concept.

    Raises DraftRefused once it is published (the programme manager changes it then), and
    Course.DoesNotExist for another provider's course. Audits ``course.draft_changed``.
    """
    with transaction.atomic(durable=True):
        # The lock stops a publication in the admin from slipping in between check and save.
        course = Course.objects.select_for_update().get(pk=course_id, provider=provider)
        if course.is_published:
            raise DraftRefused(
                _("Deze cursus is gepubliceerd; wijzigingen lopen nu via de programmamanager.")
            )
        changed = []
        for name in COURSE_DRAFT_FIELDS:
            if name in values and getattr(course, name) != values[name]:
                setattr(course, name, values[name])
                changed.append(name)
        if changed:
            course.save(update_fields=[*changed, "updated_at"])
        course.themes.set(themes)
        refresh_search_vectors(course_ids=[course.pk])
        audit.record(action="course.draft_changed", target=course, actor=actor, fields=changed)
        return course


def draft_offering(
    *,
    provider: Provider,
    course_id: int,
    actor: User,
    location: Location,
    capacity: int,
    min_participants: int,
    instructor: str,
    meetings: list[MeetingSlot],
    now: datetime | None = None,
) -> Offering:
    """Save a college's new run of one of ``provider``'s courses as a concept, with its
    meetings (at most :data:`MAX_MEETINGS`, none in the past).

    Audits ``offering.drafted`` and mails every programme manager (``college_draft``) in the
    same transaction. Raises Course.DoesNotExist for another provider's course and
    DraftRefused for meetings in the past or too many of them. Returns the run.
    """
    now = now or timezone.now()
    if len(meetings) > MAX_MEETINGS:
        raise DraftRefused(
            _("Een uitvoering krijgt hier hoogstens %(count)s bijeenkomsten.")
            % {"count": MAX_MEETINGS}
        )
    if any(slot.starts_at < now for slot in meetings):
        raise DraftRefused(_("Een bijeenkomst ligt in het verleden: kies een latere datum."))
    if min_participants > capacity:
        raise DraftRefused(
            _("Het minimum aantal deelnemers kan niet hoger zijn dan de capaciteit."),
            field="min_participants",
        )
    with transaction.atomic(durable=True):
        course = Course.objects.get(pk=course_id, provider=provider)
        offering = Offering.objects.create(
            course=course,
            location=location,
            status=Offering.Status.CONCEPT,
            capacity=capacity,
            min_participants=min_participants,
            instructor=instructor,
        )
        Meeting.objects.bulk_create(
            Meeting(offering=offering, starts_at=slot.starts_at, ends_at=slot.ends_at)
            for slot in sorted(meetings, key=lambda slot: slot.starts_at)
        )
        audit.record(
            action=OFFERING_DRAFTED,
            target=offering,
            actor=actor,
            provider=provider.pk,
            meetings=len(meetings),
        )
        _tell_programme_managers(
            kind="offering",
            title=course.title,
            provider=provider,
            actor=actor,
            admin_view="admin:catalogue_offering_change",
            pk=offering.pk,
        )
        return offering
