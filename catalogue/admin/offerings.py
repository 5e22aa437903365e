"""Admin for offerings (offerings) and their meetings: what the programme manager sees and edits.

The offering actions (cancel, move participants, duplicate, remind, export) and their confirmation
pages are in :mod:`.offering_actions` and :mod:`.offering_participants`, the buttons on a run's own
page in :mod:`.run_page`, the list's filters in :mod:`.offering_filters`; the forms in
:mod:`.offering_forms`.
"""

from django.contrib import admin, messages
from django.db.models import F
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies.demand import services as demand
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from technohub.admin import AuditHistoryMixin, ReadOnlyAdminMixin

from ..models import Meeting, Offering
from ..selectors import offerings_for_staff
from .offering_actions import OfferingActionsMixin
from .offering_filters import (
    BelowMinimumFilter,
    PeriodFilter,
    enrolment_count,
    first_meeting_start,
    upcoming_first,
)
from .offering_forms import OfferingWithNeedsForm, status_editable


def announce_if_published(request, form, *, needs_added: bool = False) -> None:
    """Mail whoever asked for the offering's course (``demand.announce_offering``) when the offering
    was just opened, or when needs were linked to an offering that is open already."""
    offering = form.instance
    if offering.status != Offering.Status.OPEN:
        return
    if "status" not in form.changed_data and not needs_added:
        return
    mailed = demand.announce_offering(offering_id=offering.pk, actor=request.user)
    if mailed:
        messages.info(
            request,
            ngettext(
                "%(count)s persoon die om deze cursus vroeg, krijgt een e-mail met een link "
                "om in te schrijven.",
                "%(count)s mensen die om deze cursus vroegen, krijgen een e-mail met een link "
                "om in te schrijven.",
                mailed,
            )
            % {"count": mailed},
        )


def _meeting_times(offering_id: int) -> dict[int, Meeting]:
    return {meeting.pk: meeting for meeting in Meeting.objects.filter(offering_id=offering_id)}


def _to_the_second(meeting: Meeting) -> tuple:
    # The admin's form keeps whole seconds: a meeting saved unchanged loses only microseconds.
    return (meeting.starts_at.replace(microsecond=0), meeting.ends_at.replace(microsecond=0))


def announce_meeting_changes(request, offering_id: int, before: dict[int, Meeting]) -> None:
    """Mail the seated learners when meetings were moved, added or removed
    (``enrolment.services.announce_meeting_changes``), so their calendars follow."""
    after = _meeting_times(offering_id)
    moved = any(
        _to_the_second(meeting) != _to_the_second(before[pk])
        for pk, meeting in after.items()
        if pk in before
    )
    removed = [meeting for pk, meeting in before.items() if pk not in after]
    if not (moved or removed or set(after) - set(before)):
        return
    mailed = enrolment_services.announce_meeting_changes(
        offering_id=offering_id, actor=request.user, removed=removed
    )
    if mailed:
        messages.info(
            request,
            ngettext(
                "%(count)s deelnemer krijgt een e-mail met de gewijzigde bijeenkomsten.",
                "%(count)s deelnemers krijgen een e-mail met de gewijzigde bijeenkomsten.",
                mailed,
            )
            % {"count": mailed},
        )


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ("starts_at", "ends_at", "topic", "topic_en")
    extra = 0


class EnrolmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The offering's participants at a glance; changes go through the enrolment pages."""

    model = Enrolment
    fields = ("learner", "status", "waitlist_position", "company")
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("learner", "company", "offering__course", "offering__location")
        )


@admin.register(Offering)
class OfferingAdmin(OfferingActionsMixin, AuditHistoryMixin, admin.ModelAdmin):
    form = OfferingWithNeedsForm
    # Within 1280 px: what the programme manager decides on, upcoming runs first.
    list_display = ("course", "first_meeting", "location", "status", "seats", "waiting")
    list_filter = (PeriodFilter, "status", BelowMinimumFilter, "location", "course__sector")
    search_fields = ("course__title", "location__name", "instructor")
    autocomplete_fields = ("course", "location")
    readonly_fields = ("confirmed_count", "reserved_count", "seats_left", "audit_history")
    inlines = (MeetingInline, EnrolmentInline)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "training_needs" in initial:
            initial["training_needs"] = initial["training_needs"].split(",")
        return initial

    def save_related(self, request, form, formsets, change):
        before = _meeting_times(form.instance.pk) if change else None
        super().save_related(request, form, formsets, change)
        if before is not None:
            announce_meeting_changes(request, form.instance.pk, before)
        added = demand.link_needs(
            offering=form.instance, needs=form.cleaned_data["training_needs"], actor=request.user
        )
        announce_if_published(request, form, needs_added=bool(added))

    def get_queryset(self, request):
        # Also used by autocomplete, whose labels (str) need the course and location.
        # A college's trainer sees only their own provider's offerings, here and in every action.
        return (
            offerings_for_staff(user=request.user, offerings=super().get_queryset(request))
            .select_related("course", "location")
            # Subqueries, not a join: counting enrolments next to them stays true.
            .annotate(
                first_meeting=first_meeting_start(),
                waitlisted_count=enrolment_count(Enrolment.Status.WAITLISTED),
            )
        )

    def get_ordering(self, request):
        return upcoming_first()

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            # A view-only page (a college's trainer) shows model fields; the needs link is a form's.
            return [name for name in fields if name != "training_needs"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not status_editable(obj):
            # Cancelling by editing the status would skip the mail to every participant.
            return (*readonly, "status")
        return readonly

    @admin.display(description=_("start"), ordering="first_meeting")
    def first_meeting(self, obj: Offering) -> str:
        if obj.first_meeting is None:
            return "–"
        return formats.date_format(timezone.localtime(obj.first_meeting), "D j M Y H:i")

    @admin.display(description=_("bezet"), ordering="confirmed_count")
    def seats(self, obj: Offering) -> str:
        text = f"{obj.confirmed_count}/{obj.capacity}"
        if obj.reserved_count:
            text += " " + gettext("(+%(count)s gereserveerd)") % {"count": obj.reserved_count}
        minimum = gettext("min. %(count)s") % {"count": obj.min_participants}
        if obj.status == Offering.Status.OPEN and obj.confirmed_count < obj.min_participants:
            return format_html("{} · <strong>{}</strong>", text, minimum)
        return f"{text} · {minimum}"

    @admin.display(description=_("wachtlijst"), ordering="waitlisted_count")
    def waiting(self, obj: Offering) -> int:
        return obj.waitlisted_count

    @admin.display(
        description=_("plaatsen vrij"),
        ordering=F("capacity") - F("confirmed_count") - F("reserved_count"),
    )
    def seats_left(self, obj: Offering) -> int | None:
        return obj.seats_left if obj.pk else None  # a new offering has no capacity yet


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("offering", "starts_at", "ends_at", "topic")
    list_filter = ("offering__location", "offering__course__sector")
    search_fields = ("offering__course__title", "topic", "topic_en")
    list_select_related = ("offering__course", "offering__location")
    autocomplete_fields = ("offering",)
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        offerings = offerings_for_staff(user=request.user)
        return super().get_queryset(request).filter(offering__in=offerings)

    def save_model(self, request, obj, form, change):
        before = _meeting_times(obj.offering_id)
        super().save_model(request, obj, form, change)
        if not (change and "offering" in form.changed_data):
            announce_meeting_changes(request, obj.offering_id, before)

    def delete_model(self, request, obj):
        before = _meeting_times(obj.offering_id)
        super().delete_model(request, obj)
        announce_meeting_changes(request, obj.offering_id, before)
