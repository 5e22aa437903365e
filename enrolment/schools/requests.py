"""A teacher's side of a school visit: asking for an activity, moving the dates, cancelling.

The teacher names the school (by BRIN code), the groups as counts (level, year, pupils: never a
pupil), the supervisors and when the class can come. :func:`submit` checks it against the
activity (target groups, maximum pupils, one supervisor per ``pupils_per_supervisor``, the days
the host receives groups) and tells the teacher and the coordinators. :func:`cancel_by_teacher`
and :func:`reschedule` work until ``rules.change_deadline`` of a planned visit (always while
nothing is planned), under the request's row lock, so they never cross the coordinator's
allocation or the host's answer: whoever locks first wins, the other sees the new state.

The ``check_*`` functions raise :class:`RequestRefused` naming the field; the forms call them
to put the message next to that field, and the services call them again before writing.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.models import SchoolActivity, SchoolTargetGroup
from companies.models import User
from technohub import audit
from technohub.errors import DomainError, busy_after

from .. import outbox
from ..models import School, SchoolGroup, SchoolRequest, SchoolVisit
from . import rules, teacher_selectors

LOCK_TIMEOUT = "3s"
# A teacher asks for a handful of visits a year; more than this in a day is a script.
SUBMISSIONS_PER_DAY = 10
MAX_GROUPS = 4
# How far ahead a teacher may ask: about a school year.
LATEST_DAYS_AHEAD = 366
BRIN_PATTERN = re.compile(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$")
OPEN_STATUSES = (
    SchoolRequest.Status.REQUESTED,
    SchoolRequest.Status.PLANNED,
    SchoolRequest.Status.CONFIRMED,
)

RECEIVED_MAIL = "school_request_received"
NEW_MAIL = "school_request_new"
CANCELLED_MAIL = "school_request_cancelled"
RESCHEDULED_MAIL = "school_request_rescheduled"


class RequestRefused(DomainError):
    """The request, or the change to it, breaks a rule; ``field`` names the form field."""


# A group as the form gives it: (level, year, pupils, label).
Group = tuple[str, int, int, str]


def normalise_brin(value: str) -> str:
    """``value`` as a BRIN code is stored: upper case, without spaces."""
    return re.sub(r"\s+", "", value or "").upper()


def check_brin(brin: str) -> str:
    """The normalised BRIN code; raises RequestRefused when it has the wrong shape."""
    normalised = normalise_brin(brin)
    if not BRIN_PATTERN.match(normalised):
        raise RequestRefused(
            _(
                "Een BRIN-code is 2 cijfers en 2 letters, eventueel gevolgd door 2 cijfers "
                "(zoals 12AB of 12AB01)."
            ),
            field="brin",
        )
    return normalised


def describe_group(level: str, year: int, label: str = "") -> str:
    """A group as people name it: "3B (vmbo 3)", or "vmbo 3" without a label."""
    level_name = {
        SchoolGroup.Level.PO: _("groep %(year)s"),
        SchoolGroup.Level.VMBO: _("vmbo %(year)s"),
        SchoolGroup.Level.HAVO_VWO: _("havo/vwo %(year)s"),
        SchoolGroup.Level.MBO: _("mbo %(year)s"),
    }.get(level, "%(year)s") % {"year": year}
    return f"{label} ({level_name})" if label else level_name


def check_groups(*, activity: SchoolActivity, groups: Sequence[Group]) -> int:
    """The total number of pupils; raises RequestRefused (field ``groups``) for no or too many
    groups, a group the activity is not made for, or more pupils than one visit takes."""
    if not 1 <= len(groups) <= MAX_GROUPS:
        raise RequestRefused(
            _("Geef 1 tot %(max)s groepen op.") % {"max": MAX_GROUPS}, field="groups"
        )
    for level, year, _pupils, label in groups:
        if rules.unsuited_groups([(level, year)], activity.target_groups):
            suited = ", ".join(
                str(SchoolTargetGroup(value).label)
                for value in SchoolTargetGroup.values
                if value in activity.target_groups
            )
            raise RequestRefused(
                _("%(group)s past niet bij deze activiteit. Die is voor: %(suited)s.")
                % {"group": describe_group(level, year, label), "suited": suited},
                field="groups",
            )
    total = sum(pupils for _level, _year, pupils, _label in groups)
    if total > activity.max_pupils:
        raise RequestRefused(
            _(
                "Deze activiteit ontvangt ten hoogste %(max)s leerlingen per bezoek; jullie "
                "groepen hebben er samen %(total)s. Kom met minder leerlingen, of verdeel de "
                "groepen over twee aanvragen."
            )
            % {"max": activity.max_pupils, "total": total},
            field="groups",
        )
    return total


def check_supervisors(*, activity: SchoolActivity, pupils: int, supervisors: int) -> None:
    """Raises RequestRefused (field ``supervisors``) when fewer come than the activity asks."""
    needed = rules.supervisors_needed(pupils, activity.pupils_per_supervisor)
    if supervisors < max(needed, 1):
        raise RequestRefused(
            ngettext(
                "Voor %(pupils)s leerling is ten minste %(needed)s begeleider nodig "
                "(1 per %(ratio)s).",
                "Voor %(pupils)s leerlingen zijn ten minste %(needed)s begeleiders nodig "
                "(1 per %(ratio)s).",
                pupils,
            )
            % {"pupils": pupils, "needed": max(needed, 1), "ratio": activity.pupils_per_supervisor},
            field="supervisors",
        )


def check_transport(*, activity: SchoolActivity, transport: str) -> None:
    """The mobile hub comes only for an activity that happens at the school."""
    if transport == SchoolRequest.Transport.MOBILE_HUB and not activity.at_school:
        raise RequestRefused(
            _(
                "Deze activiteit is niet op school: kies eigen vervoer of geef aan dat jullie "
                "een bus nodig hebben."
            ),
            field="transport",
        )


def earliest_day(today: date) -> date:
    """The first day a teacher may ask for: the change deadline's distance from today."""
    return today + timedelta(days=settings.SCHOOL_RESCHEDULE_DAYS)


def latest_day(today: date) -> date:
    return today + timedelta(days=LATEST_DAYS_AHEAD)


def check_dates(
    *,
    activity: SchoolActivity,
    preferred_dates: Sequence[date],
    window_from: date | None,
    window_to: date | None,
    blackout_dates: Sequence[date],
    today: date,
) -> None:
    """Raises RequestRefused naming the field for dates a visit cannot be planned on: no
    preferred date and no full window, more than three preferred dates or too many blackout
    dates, a date sooner than ``SCHOOL_RESCHEDULE_DAYS`` or further than a year ahead, a
    preferred date on a day the host receives no groups or among the dates that cannot, a
    window that ends before it begins or holds no day the host receives and the school can."""
    first, last = earliest_day(today), latest_day(today)
    first_text, last_text = _day(first), _day(last)
    if len(preferred_dates) > rules.MAX_PREFERRED_DATES:
        raise RequestRefused(
            _("Geef ten hoogste %(max)s voorkeursdatums.") % {"max": rules.MAX_PREFERRED_DATES},
            field="preferred_dates",
        )
    if len(blackout_dates) > rules.MAX_BLACKOUT_DATES:
        raise RequestRefused(
            _("Geef ten hoogste %(max)s datums die niet kunnen.")
            % {"max": rules.MAX_BLACKOUT_DATES},
            field="blackout_dates",
        )
    if (window_from is None) != (window_to is None):
        raise RequestRefused(
            _("Geef voor een periode zowel het begin als het eind."),
            field="window_to" if window_to is None else "window_from",
        )
    if not preferred_dates and window_from is None:
        raise RequestRefused(
            _("Geef tot drie voorkeursdatums, of een periode met een begin en een eind."),
            field="preferred_dates",
        )
    blackouts = set(blackout_dates)
    out_of_range = _(
        "Kies datums van %(first)s tot en met %(last)s: de hub plant ten minste %(days)s dagen "
        "vooruit en tot een jaar vooruit."
    ) % {"first": first_text, "last": last_text, "days": settings.SCHOOL_RESCHEDULE_DAYS}
    if len(set(preferred_dates)) != len(preferred_dates):
        raise RequestRefused(_("Geef elke voorkeursdatum één keer."), field="preferred_dates")
    for day in preferred_dates:
        if not first <= day <= last:
            raise RequestRefused(out_of_range, field="preferred_dates")
        if not rules.host_receives_on(day, activity.weekdays):
            raise RequestRefused(
                _("Op %(day)s ontvangt deze activiteit geen groepen. Dat kan op: %(days)s.")
                % {"day": _day(day), "days": weekday_names(activity.weekdays)},
                field="preferred_dates",
            )
        if day in blackouts:
            raise RequestRefused(
                _("%(day)s staat ook bij de datums die niet kunnen.") % {"day": _day(day)},
                field="preferred_dates",
            )
    if window_from is not None and window_to is not None:
        if window_to < window_from:
            raise RequestRefused(_("Het eind van de periode ligt na het begin."), field="window_to")
        if window_from < first or window_to > last:
            raise RequestRefused(out_of_range, field="window_from")
        days = (window_from + timedelta(days=n) for n in range((window_to - window_from).days + 1))
        if not any(
            day not in blackouts and rules.host_receives_on(day, activity.weekdays) for day in days
        ):
            raise RequestRefused(
                _(
                    "In deze periode is geen dag die jullie kunnen en waarop de activiteit "
                    "groepen ontvangt (%(days)s). Kies een ruimere periode."
                )
                % {"days": weekday_names(activity.weekdays)},
                field="window_to",
            )


def weekday_names(weekdays: Iterable[int]) -> str:
    """The days of the week, in words: "maandag, dinsdag"."""
    names = [
        _("maandag"),
        _("dinsdag"),
        _("woensdag"),
        _("donderdag"),
        _("vrijdag"),
        _("zaterdag"),
        _("zondag"),
    ]
    return ", ".join(str(names[day]) for day in sorted(set(weekdays)) if 0 <= day <= 6)


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def submit(
    *,
    teacher: User,
    activity: SchoolActivity,
    school_name: str,
    brin: str,
    groups: Sequence[Group],
    supervisors: int,
    transport: str,
    city: str = "",
    accessibility: str = "",
    contact_phone: str = "",
    question: str = "",
    preferred_dates: Sequence[date] = (),
    window_from: date | None = None,
    window_to: date | None = None,
    blackout_dates: Sequence[date] = (),
    today: date | None = None,
) -> SchoolRequest:
    """A teacher asks for ``activity`` for ``groups`` (counts only: level, year, pupils, an
    optional class label such as "3B").

    Preconditions: the teacher's address is confirmed and the activity is published. The school
    with the BRIN code is reused (its name kept), or created. Writes the request and its groups,
    an audit row ``school_request.submitted`` and mails: the teacher ``school_request_received``,
    every coordinator ``school_request_new``, each in their own language.
    Raises RequestRefused (with the field) for any broken rule, and for more than
    ``SUBMISSIONS_PER_DAY`` requests of one teacher in 24 hours.
    """
    today = today or timezone.localdate()
    if teacher.email_verified_at is None:
        raise RequestRefused(_("Bevestig eerst je e-mailadres."))
    if not activity.is_published:
        raise RequestRefused(_("Deze activiteit is niet meer aan te vragen."))
    brin = check_brin(brin)
    pupils = check_groups(activity=activity, groups=groups)
    check_supervisors(activity=activity, pupils=pupils, supervisors=supervisors)
    check_transport(activity=activity, transport=transport)
    check_dates(
        activity=activity,
        preferred_dates=preferred_dates,
        window_from=window_from,
        window_to=window_to,
        blackout_dates=blackout_dates,
        today=today,
    )
    with transaction.atomic(durable=True):
        # The teacher's row serialises their own submissions, so the daily limit holds when
        # a form is posted many times at once.
        with busy_after(LOCK_TIMEOUT, refusal=RequestRefused):
            User.objects.select_for_update(no_key=True).filter(pk=teacher.pk).first()
        since = timezone.now() - timedelta(days=1)
        if (
            SchoolRequest.objects.filter(teacher=teacher, created_at__gte=since).count()
            >= SUBMISSIONS_PER_DAY
        ):
            raise RequestRefused(
                _(
                    "Je hebt vandaag al %(count)s aanvragen gedaan. Probeer het morgen opnieuw, "
                    "of mail de hub op %(email)s."
                )
                % {"count": SUBMISSIONS_PER_DAY, "email": settings.HUB_CONTACT_EMAIL}
            )
        # get_or_create retries the read when another request created the school meanwhile.
        school, _created = School.objects.get_or_create(
            brin=brin, defaults={"name": school_name.strip(), "city": city.strip()}
        )
        school_request = SchoolRequest.objects.create(
            activity=activity,
            school=school,
            teacher=teacher,
            contact_phone=contact_phone.strip(),
            supervisors=supervisors,
            accessibility=accessibility.strip(),
            preferred_dates=sorted(preferred_dates),
            window_from=window_from,
            window_to=window_to,
            blackout_dates=sorted(set(blackout_dates)),
            transport=transport,
            question=question.strip(),
        )
        SchoolGroup.objects.bulk_create(
            SchoolGroup(request=school_request, level=level, year=year, pupils=count, label=label)
            for level, year, count, label in groups
        )
        audit.record(
            action="school_request.submitted",
            target=school_request,
            actor=teacher,
            groups=len(groups),
            pupils=pupils,
        )
        teacher_selectors.forget_has_school_requests(teacher.pk)
        context = {"school_request_id": school_request.pk}
        outbox.queue_for(teacher, template=RECEIVED_MAIL, context=context)
        for coordinator in User.objects.school_coordinators().order_by("pk"):
            outbox.queue_for(coordinator, template=NEW_MAIL, context=context)
    return school_request


def _lock_request(*, school_request: SchoolRequest, teacher: User) -> SchoolRequest:
    """The teacher's request, locked for the rest of the transaction, fresh."""
    with busy_after(LOCK_TIMEOUT, refusal=RequestRefused):
        locked = (
            SchoolRequest.objects.select_for_update(of=("self",))
            .select_related("activity__host_contact")
            .get(pk=school_request.pk)
        )
    if locked.teacher_id != teacher.pk:
        raise SchoolRequest.DoesNotExist
    return locked


def _live_visit(school_request: SchoolRequest) -> SchoolVisit | None:
    return (
        SchoolVisit.objects.select_for_update()
        .filter(request=school_request, status__in=SchoolVisit.LIVE_STATUSES)
        .first()
    )


def _check_may_change(
    *, school_request: SchoolRequest, visit: SchoolVisit | None, today: date
) -> None:
    if school_request.status not in OPEN_STATUSES:
        raise RequestRefused(
            _("Deze aanvraag is %(status)s en kan niet meer veranderen.")
            % {"status": school_request.get_status_display()}
        )
    if visit is not None and not rules.may_change(visit.date, today):
        raise RequestRefused(
            _(
                "Het bezoek is te dichtbij om het hier nog te wijzigen of te annuleren. "
                "Mail de hub op %(email)s."
            )
            % {"email": settings.HUB_CONTACT_EMAIL}
        )


def _cancel_visit(visit: SchoolVisit | None) -> None:
    if visit is not None:
        visit.status = SchoolVisit.Status.CANCELLED
        visit.cancelled_at = timezone.now()
        visit.save(update_fields=["status", "cancelled_at", "updated_at"])


def _tell_planners(
    *, template: str, school_request: SchoolRequest, visit: SchoolVisit | None
) -> None:
    """The coordinators, and the host's contact when a visit was planned, in their language."""
    context = (
        {"school_visit_id": visit.pk}
        if visit is not None
        else {"school_request_id": school_request.pk}
    )
    coordinators = list(User.objects.school_coordinators().order_by("pk"))
    for coordinator in coordinators:
        outbox.queue_for(coordinator, template=template, context=context)
    host_contact = school_request.activity.host_contact
    if (
        visit is not None
        and host_contact is not None
        and host_contact.is_active
        and host_contact not in coordinators
    ):
        # The host hears only of a visit it expected; it has no planning page to go to.
        outbox.queue_for(host_contact, template=template, context={**context, "for_host": True})


def cancel_by_teacher(
    *, school_request: SchoolRequest, teacher: User, reason: str, today: date | None = None
) -> SchoolRequest:
    """The teacher cancels their request, with a reason, until the change deadline of a
    planned visit (always while nothing is planned).

    Under the request's row lock: the request becomes cancelled (by the school, now, with the
    reason), its live visit cancelled; an audit row ``school_request.cancelled``; the mail
    ``school_request_cancelled`` to the coordinators and, when a visit was planned or
    confirmed, to the host's contact. Raises RequestRefused when the request is no longer open
    or the deadline passed, SchoolRequest.DoesNotExist when it is not the teacher's.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        school_request = _lock_request(school_request=school_request, teacher=teacher)
        visit = _live_visit(school_request)
        _check_may_change(school_request=school_request, visit=visit, today=today)
        _cancel_visit(visit)
        school_request.status = SchoolRequest.Status.CANCELLED
        school_request.cancelled_at = timezone.now()
        school_request.cancelled_by = SchoolRequest.Party.TEACHER
        school_request.cancel_reason = reason.strip()[:500]
        school_request.save(
            update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"]
        )
        audit.record(
            action="school_request.cancelled",
            target=school_request,
            actor=teacher,
            by=SchoolRequest.Party.TEACHER,
            visit=visit.pk if visit is not None else None,
        )
        _tell_planners(template=CANCELLED_MAIL, school_request=school_request, visit=visit)
    return school_request


def reschedule(
    *,
    school_request: SchoolRequest,
    teacher: User,
    preferred_dates: Sequence[date],
    window_from: date | None,
    window_to: date | None,
    blackout_dates: Sequence[date],
    today: date | None = None,
) -> SchoolRequest:
    """The teacher gives new dates, until the change deadline of a planned visit (always while
    nothing is planned); the dates are checked as for a new request.

    Under the request's row lock: its live visit is cancelled, the request is requested again
    with the new dates; an audit row ``school_request.rescheduled``; the mail
    ``school_request_rescheduled`` to the coordinators and, when a visit was planned or
    confirmed, to the host's contact. Raises RequestRefused (with the field for a date rule),
    SchoolRequest.DoesNotExist when it is not the teacher's.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        school_request = _lock_request(school_request=school_request, teacher=teacher)
        visit = _live_visit(school_request)
        _check_may_change(school_request=school_request, visit=visit, today=today)
        check_dates(
            activity=school_request.activity,
            preferred_dates=preferred_dates,
            window_from=window_from,
            window_to=window_to,
            blackout_dates=blackout_dates,
            today=today,
        )
        _cancel_visit(visit)
        school_request.status = SchoolRequest.Status.REQUESTED
        school_request.preferred_dates = sorted(preferred_dates)
        school_request.window_from = window_from
        school_request.window_to = window_to
        school_request.blackout_dates = sorted(set(blackout_dates))
        school_request.save(
            update_fields=[
                "status",
                "preferred_dates",
                "window_from",
                "window_to",
                "blackout_dates",
                "updated_at",
            ]
        )
        audit.record(
            action="school_request.rescheduled",
            target=school_request,
            actor=teacher,
            visit=visit.pk if visit is not None else None,
        )
        _tell_planners(template=RESCHEDULED_MAIL, school_request=school_request, visit=visit)
    return school_request
