"""Admin for offerings (offerings) and their meetings: what the programme manager sees and edits.

The offering actions (cancel, move participants, duplicate, remind, export) and their confirmation
pages are in :mod:`.run_actions`; the forms in :mod:`.run_forms`.
"""

from django.contrib import admin, messages
from django.db.models import F, Min
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from companies.demand import services as demand
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from technohub.admin import AuditHistoryMixin, ReadOnlyAdminMixin

from ..models import Meeting, Offering
from ..selectors import offerings_for_staff
from .meeting_forms import MeetingForm, MeetingFormSet
from .offering_actions import OfferingActionsMixin
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
    """Meetings as a date, a start and an end time (Europe/Amsterdam), with "herhaal wekelijks"
    and "zelfde tijden"; the run's schedule is checked before saving (``meeting_forms``)."""

    model = Meeting
    form = MeetingForm
    formset = MeetingFormSet
    fields = ("date", "start_time", "end_time", "topic", "topic_en", "repeat_weeks")
    extra = 0


class EnrolmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The offering's participants at a glance; changes go through the enrolment pages."""

    model = Enrolment
    fields = ("learner", "status", "waitlist_position", "company")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("learner", "company")


@admin.register(Offering)
class OfferingAdmin(OfferingActionsMixin, AuditHistoryMixin, admin.ModelAdmin):
    form = OfferingWithNeedsForm
    list_display = (
        "course",
        "location",
        "first_meeting",
        "status",
        "capacity",
        "confirmed_count",
        "seats_left",
    )
    list_filter = ("status", "location", "course__sector")
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
            .annotate(first_meeting=Min("meetings__starts_at"))
        )

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

    @admin.display(description=_("eerste bijeenkomst"), ordering="first_meeting")
    def first_meeting(self, obj: Offering):
        return obj.first_meeting

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
