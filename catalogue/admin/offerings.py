"""Admin for offerings (offerings) and their meetings: what the programme manager sees and edits.

The offering actions (cancel, move participants, duplicate, remind, export) and their confirmation
pages are in :mod:`.offering_actions` and :mod:`.offering_participants`, shifting a whole
offering in :mod:`.offering_shift`, the buttons on a run's own page in :mod:`.run_page`, the
list's filters in :mod:`.offering_filters`; the forms in :mod:`.offering_forms`. A change the
offering's people must hear of (meetings, place) is confirmed on the change page and announced
to them once per save (``MeetingFormSet``); raising the capacity moves the waiting list up in
the same transaction.
"""

import hashlib
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies.demand import services as demand
from companies.models import Proposal
from companies.proposals import publishing
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from technohub.admin import AuditHistoryMixin, ReadOnlyAdminMixin
from technohub.errors import DomainError

from ..models import Meeting, Offering
from ..selectors import offerings_for_staff
from .meeting_forms import MeetingForm, ScheduleChecksFormSetMixin
from .offering_actions import OfferingActionsMixin
from .offering_filters import (
    BelowMinimumFilter,
    PeriodFilter,
    enrolment_count,
    first_meeting_start,
    upcoming_first,
)
from .offering_forms import OfferingWithNeedsForm, status_editable
from .offering_shift import OfferingShiftMixin


def announce_if_published(request, form, *, needs_added: bool = False) -> None:
    """Mail whoever asked for the offering's course (``demand.announce_offering``) when the offering
    was just opened, or when needs were linked to an offering that is open already; and, once
    an open offering made from a proposal has a published course, its pledging companies."""
    offering = form.instance
    if offering.status != Offering.Status.OPEN:
        return
    if Proposal.objects.filter(offering=offering, status=Proposal.Status.ACCEPTED).exists():
        # After the admin's transaction commits: publishing takes the offering's lock in a
        # durable transaction of its own (the seats protocol).
        transaction.on_commit(lambda: _publish_to_pledgers(request, offering.pk))
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


def _publish_to_pledgers(request, offering_id: int) -> None:
    """Publish the offering to the companies that pledged to its proposal, and say what it did:
    "3 bedrijven kregen bericht; 9 plaatsen gereserveerd"."""
    try:
        result = publishing.publish_to_pledgers(offering_id=offering_id, actor=request.user)
    except DomainError as refused:
        messages.warning(
            request,
            gettext(
                "De bedrijven die toezegden, hebben nog geen bericht: %(reason)s Sla de "
                "uitvoering opnieuw op om het nog eens te proberen."
            )
            % {"reason": refused.message},
        )
        return
    if result.course_unpublished:
        messages.warning(
            request,
            gettext(
                "Deze uitvoering komt uit een voorstel. Publiceer ook de cursus; dan krijgen de "
                "bedrijven die toezegden bericht en worden hun plaatsen gereserveerd."
            ),
        )
        return
    if not result.proposals:
        return
    companies = ngettext(
        "%(count)s bedrijf kreeg bericht",
        "%(count)s bedrijven kregen bericht",
        result.companies_mailed,
    ) % {"count": result.companies_mailed}
    seats = ngettext(
        "%(count)s plaats gereserveerd",
        "%(count)s plaatsen gereserveerd",
        result.seats_held,
    ) % {"count": result.seats_held}
    messages.success(request, f"{companies}; {seats}.")
    for short in result.shortfalls:
        messages.warning(
            request,
            gettext(
                "%(company)s vroeg %(pledged)s plaatsen; gereserveerd: %(held)s (meer waren "
                "er niet vrij)."
            )
            % {"company": short.company, "pledged": short.pledged, "held": short.held},
        )


CLOSED = (Offering.Status.CANCELLED, Offering.Status.COMPLETED)


def is_closed(offering: Offering | None) -> bool:
    """A cancelled or completed offering is history: nothing about it changes any more."""
    return offering is not None and offering.status in CLOSED


def has_people(offering: Offering) -> bool:
    """Whether anyone is in the offering (a seat, the waiting list or a request); asked once
    per page."""
    if not hasattr(offering, "_has_people"):
        offering._has_people = Enrolment.objects.filter(
            offering_id=offering.pk, status__in=Enrolment.ACTIVE_STATUSES
        ).exists()
    return offering._has_people


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "D j F Y H:i")


def _span(starts_at, ends_at) -> str:
    end = timezone.localtime(ends_at)
    same_day = timezone.localtime(starts_at).date() == end.date()
    if same_day:
        return f"{_when(starts_at)}–{end:%H:%M}"
    return f"{_when(starts_at)} – {_when(ends_at)}"


def _to_the_second(moment):
    # The admin's form keeps whole seconds: a meeting saved unchanged loses only microseconds.
    return moment.replace(microsecond=0) if moment else moment


@dataclass
class Announcement:
    """What a save changes that the offering's people must hear of, and how many hear it."""

    changes: list[str] = field(default_factory=list)
    removed: list[Meeting] = field(default_factory=list)
    people: int = 0

    @property
    def key(self) -> str:
        """Names exactly this announcement: a confirmation is for what was shown, nothing else."""
        text = "\n".join([*self.changes, str(self.people)])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def message(self) -> str:
        return ngettext(
            "%(count)s deelnemer krijgt een wijzigingsbericht.",
            "%(count)s deelnemers krijgen een wijzigingsbericht.",
            self.people,
        ) % {"count": self.people}


def _announcement_html(announcement: Announcement, field_name: str) -> str:
    return format_html(
        '<p><strong>{}</strong> {}</p><ul>{}</ul><p><input type="checkbox" name="{}" '
        'value="{}" id="id_{}"> <label class="vCheckboxLabel" for="id_{}">{}</label></p>',
        announcement.message,
        gettext(
            "Wie een plaats heeft, krijgt een agendabestand dat de bijeenkomsten in zijn agenda "
            "bijwerkt; wie wacht, hoort de nieuwe data."
        ),
        format_html_join("", "<li>{}</li>", ((change,) for change in announcement.changes)),
        field_name,
        announcement.key,
        field_name,
        field_name,
        gettext("Ja, sla de wijzigingen op en verstuur het wijzigingsbericht"),
    )


class MeetingFormSet(ScheduleChecksFormSetMixin, BaseInlineFormSet):
    """The offering's meetings, checked as a schedule first (``ScheduleChecksFormSetMixin``). A
    change its people must hear of (a meeting moved, added or
    removed, or the offering's location changed) is saved only once the programme manager has
    confirmed the announcement shown for it (``announce_changes`` carries its key); the admin
    then mails everyone once (``OfferingAdmin.save_related``)."""

    CONFIRM_FIELD = "announce_changes"

    announcement: Announcement | None = None
    pending: bool = False

    def clean(self):
        super().clean()
        self.announcement, self.pending = None, False
        offering = self.instance
        if offering.pk is None or any(self.errors) or self._non_form_errors:
            return
        saved = Offering.objects.filter(pk=offering.pk).select_related("location").first()
        if saved is None or not enrolment_services.changes_reach_people(saved, now=timezone.now()):
            return
        announcement = Announcement()
        if offering.location_id != saved.location_id:
            announcement.changes.append(
                gettext("Locatie: %(old)s → %(new)s")
                % {"old": saved.location, "new": offering.location}
            )
        self._meeting_changes(announcement)
        if not announcement.changes:
            return
        announcement.people = enrolment_services.people_to_tell(saved).count()
        if not announcement.people:
            return
        self.announcement = announcement
        if self.data.get(self.CONFIRM_FIELD) != announcement.key:
            self.pending = True
            raise forms.ValidationError(
                gettext("Bevestig eerst bovenaan de pagina het wijzigingsbericht: %(message)s")
                % {"message": announcement.message},
                code="announce",
            )

    def _meeting_changes(self, announcement: Announcement) -> None:
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            starts_at = form.cleaned_data.get("starts_at")
            ends_at = form.cleaned_data.get("ends_at")
            if form.cleaned_data.get("repeat_weeks") and not self._should_delete_form(form):
                announcement.changes += [
                    gettext("Nieuwe bijeenkomst: %(when)s") % {"when": _span(*repeat)}
                    for repeat in form.repeats()
                ]
            if form.instance.pk is None or form.initial.get("starts_at") is None:
                if form.has_changed() and not self._should_delete_form(form) and starts_at:
                    announcement.changes.append(
                        gettext("Nieuwe bijeenkomst: %(when)s")
                        % {"when": _span(starts_at, ends_at)}
                    )
                continue
            was = (form.initial["starts_at"], form.initial["ends_at"])
            if self._should_delete_form(form):
                announcement.removed.append(
                    Meeting(pk=form.instance.pk, starts_at=was[0], ends_at=was[1])
                )
                announcement.changes.append(gettext("Vervalt: %(when)s") % {"when": _span(*was)})
            elif (_to_the_second(starts_at), _to_the_second(ends_at)) != (
                _to_the_second(was[0]),
                _to_the_second(was[1]),
            ):
                announcement.changes.append(
                    gettext("Verplaatst: %(old)s → %(new)s")
                    % {"old": _span(*was), "new": _span(starts_at, ends_at)}
                )


class MeetingInline(admin.TabularInline):
    """Meetings as a date, a start and an end time (Europe/Amsterdam), with "herhaal wekelijks"
    and "zelfde tijden"; the run's schedule is checked before saving (``meeting_forms``)."""

    model = Meeting
    form = MeetingForm
    formset = MeetingFormSet
    fields = ("date", "start_time", "end_time", "topic", "topic_en", "repeat_weeks")
    extra = 0

    # A cancelled or completed offering's meetings are history, like the offering itself.
    def has_add_permission(self, request, obj=None):
        return not is_closed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_closed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_closed(obj) and super().has_delete_permission(request, obj)


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
class OfferingAdmin(OfferingShiftMixin, OfferingActionsMixin, AuditHistoryMixin, admin.ModelAdmin):
    form = OfferingWithNeedsForm
    # Within 1280 px: what the programme manager decides on, upcoming runs first.
    list_display = (
        "course",
        "first_meeting",
        "location",
        "status",
        "closed_run",
        "seats",
        "waiting",
    )
    list_filter = (PeriodFilter, "status", BelowMinimumFilter, "location", "course__sector")
    search_fields = ("course__title", "location__name", "instructor")
    autocomplete_fields = ("course", "location", "private_for")
    readonly_fields = ("confirmed_count", "reserved_count", "seats_left", "audit_history")
    inlines = (MeetingInline, EnrolmentInline)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "training_needs" in initial:
            initial["training_needs"] = initial["training_needs"].split(",")
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            self._announce_changes(request, form.instance, formsets)
            if "capacity" in form.changed_data and form.instance.capacity > (
                form.initial.get("capacity") or 0
            ):
                self._fill_added_seats(request, form.instance)
        added = demand.link_needs(
            offering=form.instance, needs=form.cleaned_data["training_needs"], actor=request.user
        )
        announce_if_published(request, form, needs_added=bool(added))

    def _announce_changes(self, request, offering: Offering, formsets) -> None:
        """Mail everyone in the offering once about the changes they confirmed on this page."""
        for formset in formsets:
            announcement = getattr(formset, "announcement", None)
            if announcement is None:
                continue
            mailed = enrolment_services.announce_meeting_changes(
                offering_id=offering.pk, actor=request.user, removed=announcement.removed
            )
            if mailed:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s deelnemer krijgt een wijzigingsbericht met de bijeenkomsten "
                        "zoals ze nu zijn.",
                        "%(count)s deelnemers krijgen een wijzigingsbericht met de bijeenkomsten "
                        "zoals ze nu zijn.",
                        mailed,
                    )
                    % {"count": mailed},
                )

    def _fill_added_seats(self, request, offering: Offering) -> None:
        """New seats go to the waiting list first, in the same transaction as the capacity."""
        promoted = enrolment_services.fill_added_seats(offering_id=offering.pk, actor=request.user)
        if promoted:
            names = ", ".join(
                enrolment.learner.get_full_name() or enrolment.learner.email
                for enrolment in promoted
            )
            messages.info(
                request,
                ngettext(
                    "Van de wachtlijst naar een plaats (krijgt een e-mail): %(names)s",
                    "Van de wachtlijst naar een plaats (krijgen een e-mail): %(names)s",
                    len(promoted),
                )
                % {"names": names},
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # An unconfirmed announcement goes first on the page: what changes, who hears of it,
        # and the box that confirms exactly this (its key).
        for inline in context.get("inline_admin_formsets", ()):
            formset = inline.formset
            if getattr(formset, "pending", False):
                context["adminform"].fieldsets.insert(
                    0,
                    (
                        gettext("Wijzigingsbericht"),
                        {
                            "fields": (),
                            "classes": ("announcement",),
                            "description": _announcement_html(
                                formset.announcement, formset.CONFIRM_FIELD
                            ),
                        },
                    ),
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            offering = self.get_object(request, object_id)
            if is_closed(offering):
                messages.info(
                    request,
                    gettext(
                        "Deze uitvoering is %(status)s en alleen nog te bekijken: wat er "
                        "gebeurd is, blijft zoals het was."
                    )
                    % {"status": offering.get_status_display()},
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        # A cancelled or completed offering is history: its page is for reading only.
        return not is_closed(obj) and super().has_change_permission(request, obj)

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
                is_closed_run=Exists(
                    Offering.private_for.through.objects.filter(offering_id=OuterRef("pk"))
                ),
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
            readonly = (*readonly, "status")
        if obj is not None and has_people(obj):
            # People enrolled for this course; another course would be another agreement.
            readonly = (*readonly, "course")
        return readonly

    @admin.display(description=_("start"), ordering="first_meeting")
    def first_meeting(self, obj: Offering) -> str:
        if obj.first_meeting is None:
            return "–"
        return formats.date_format(timezone.localtime(obj.first_meeting), "D j N Y H:i")

    @admin.display(description=_("bezet"), ordering="confirmed_count")
    def seats(self, obj: Offering) -> str:
        text = f"{obj.confirmed_count}/{obj.capacity}"
        if obj.reserved_count:
            text += " " + gettext("(+%(count)s gereserveerd)") % {"count": obj.reserved_count}
        minimum = gettext("min. %(count)s") % {"count": obj.min_participants}
        if obj.status == Offering.Status.OPEN and obj.confirmed_count < obj.min_participants:
            return format_html("{} · <strong>{}</strong>", text, minimum)
        return f"{text} · {minimum}"

    @admin.display(description=_("toegang"), ordering="is_closed_run")
    def closed_run(self, obj: Offering) -> str:
        """A closed run (*besloten uitvoering*) is marked; an open run shows nothing."""
        return gettext("besloten") if obj.is_closed_run else ""

    @admin.display(description=_("wachtlijst"), ordering="waitlisted_count")
    def waiting(self, obj: Offering) -> int:
        return obj.waitlisted_count

    @admin.display(
        description=_("plaatsen vrij"),
        ordering=F("capacity") - F("confirmed_count") - F("reserved_count"),
    )
    def seats_left(self, obj: Offering) -> int | None:
        return obj.seats_left if obj.pk else None  # a new offering has no capacity yet


def _meeting_is_fixed_here(offering: Offering) -> bool:
    """Whether a meeting of ``offering`` is changed only on the offering's own page: there
    the change is confirmed and announced to the people in it (or the offering is history)."""
    return is_closed(offering) or has_people(offering)


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ("offering", "starts_at", "ends_at", "topic", "topic_en")

    def clean_offering(self):
        offering = self.cleaned_data["offering"]
        if offering is not None and _meeting_is_fixed_here(offering):
            raise forms.ValidationError(
                gettext(
                    "Deze uitvoering heeft deelnemers of is afgesloten. Wijzig haar "
                    "bijeenkomsten op de pagina van de uitvoering: daar krijgen de deelnemers "
                    "bericht van de wijziging."
                ),
                code="announce_on_offering",
            )
        return offering


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Meetings one by one, for offerings nobody is in yet. Once people are enrolled, meetings
    change on the offering's page, which confirms the change and mails them."""

    form = MeetingAdminForm
    list_display = ("offering", "starts_at", "ends_at", "topic")
    list_filter = ("offering__location", "offering__course__sector")
    search_fields = ("offering__course__title", "topic", "topic_en")
    list_select_related = ("offering__course", "offering__location")
    autocomplete_fields = ("offering",)
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        offerings = offerings_for_staff(user=request.user)
        return super().get_queryset(request).filter(offering__in=offerings)

    def has_change_permission(self, request, obj=None):
        if obj is not None and _meeting_is_fixed_here(obj.offering):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _meeting_is_fixed_here(obj.offering):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Deleting a selection would pass by the per-meeting check above, and so by the mail
        # to the people in the run: meetings are deleted one by one, or on the run's page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, object_id)
        if request.method == "GET" and meeting and _meeting_is_fixed_here(meeting.offering):
            messages.info(
                request,
                gettext(
                    "Deze bijeenkomst wijzig je op de pagina van de uitvoering: daar krijgen de "
                    "deelnemers bericht van de wijziging."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)
