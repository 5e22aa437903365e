"""Admin for runs (offerings) and their meetings, with the programme manager's run actions.

The programme manager runs the hub from here. The run actions (cancel with a reason, move
participants, duplicate, remind now) each lead to a confirmation page of their own: GET shows
a small form, POST calls one service per run and reports the result as admin messages.
The participant-list exports download straight away.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Min, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies import demand
from companies.models import TrainingNeed
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from enrolment.seats import OfferingBusy, lock_run
from technohub import spreadsheets
from technohub.admin import AuditHistoryMixin, ReadOnlyAdminMixin
from technohub.errors import DomainError

from ..models import Meeting, Offering
from ..selectors import offerings_for_staff
from .participant_list import LIST_ORDER, participant_list
from .run_forms import CancelRunsForm, DuplicateRunsForm, MoveParticipantsForm, SendRemindersForm


class OfferingForm(forms.ModelForm):
    """Checks a new capacity against the seats confirmed right now, not when the page loaded.

    Once a run is past concept its status is fixed here (the course page's inline too):
    cancelling goes through the "Annuleren met reden" action, which mails everyone.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and self.instance.pk and not _status_editable(self.instance):
            status.disabled = True

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        # The admin saves inside one transaction. Locking the run here (seats protocol) keeps
        # an enrolment from slipping in between this check and the save, and the full save
        # that follows then writes back the current seat counter, not the page's.
        try:
            confirmed = lock_run(self.instance.pk).confirmed_count
        except OfferingBusy as busy:
            raise forms.ValidationError(busy.message) from busy
        self.instance.confirmed_count = confirmed
        capacity = cleaned_data.get("capacity")
        if capacity is not None and capacity < confirmed:
            self.add_error(
                "capacity",
                _("Bevestigde plaatsen: %(count)s. De capaciteit kan niet lager zijn.")
                % {"count": confirmed},
            )
        return cleaned_data


class OfferingWithNeedsForm(OfferingForm):
    """The run's own admin page also links the companies' training needs it meets.

    The demand board opens a new run with ``?training_needs=1,2,3`` to fill this in.
    """

    training_needs = forms.ModelMultipleChoiceField(
        label=_("Opleidingsbehoeften"),
        queryset=TrainingNeed.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De behoeften van bedrijven die deze uitvoering invult. Wordt de uitvoering open "
            "gezet, dan krijgen hun HR-medewerkers een e-mail en zien ze de behoefte als gepland."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        linked = Q(offering=self.instance) if self.instance.pk else Q(pk__in=[])
        self.fields["training_needs"].queryset = (
            TrainingNeed.objects.filter(
                linked | Q(offering__isnull=True, status__in=demand.OPEN_NEED_STATUSES)
            )
            .select_related("company")
            .order_by("company__name", "title")
        )
        if self.instance.pk:
            self.initial.setdefault("training_needs", list(self.instance.training_needs.all()))


def announce_if_published(request, form, *, needs_added: bool = False) -> None:
    """Mail whoever asked for the run's course (``demand.announce_run``) when the run was just
    opened, or when needs were linked to a run that is open already."""
    offering = form.instance
    if offering.status != Offering.Status.OPEN:
        return
    if "status" not in form.changed_data and not needs_added:
        return
    mailed = demand.announce_run(offering_id=offering.pk, actor=request.user)
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


def _status_editable(offering: Offering) -> bool:
    """Only a concept run's status is edited by hand (to open it); the rest goes via actions."""
    return offering.status == Offering.Status.CONCEPT


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ("starts_at", "ends_at", "topic")
    extra = 0


class EnrolmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The run's participants at a glance; changes go through the enrolment pages."""

    model = Enrolment
    fields = ("learner", "status", "waitlist_position", "company")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("learner", "company")


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file to save, not to show; personal data, so no cache may keep a copy."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def _export_filename(offerings: list[Offering], extension: str) -> str:
    today = timezone.localdate().isoformat()
    if len(offerings) == 1:
        return f"deelnemers-{offerings[0].course.slug}-{offerings[0].pk}-{today}.{extension}"
    return f"deelnemers-{today}.{extension}"


@admin.register(Offering)
class OfferingAdmin(AuditHistoryMixin, admin.ModelAdmin):
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
    readonly_fields = ("confirmed_count", "seats_left", "audit_history")
    inlines = (MeetingInline, EnrolmentInline)
    actions = (
        "cancel_runs",
        "move_participants",
        "duplicate_runs",
        "send_reminders",
        "export_participants_csv",
        "export_participants_xlsx",
    )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "training_needs" in initial:
            initial["training_needs"] = initial["training_needs"].split(",")
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        added = demand.link_needs(
            offering=form.instance, needs=form.cleaned_data["training_needs"], actor=request.user
        )
        announce_if_published(request, form, needs_added=bool(added))

    def get_queryset(self, request):
        # Also used by autocomplete, whose labels (str) need the course and location.
        # A college's trainer sees only their own provider's runs, here and in every action.
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
        if obj is not None and not _status_editable(obj):
            # Cancelling by editing the status would skip the mail to every participant.
            return (*readonly, "status")
        return readonly

    @admin.display(description=_("eerste bijeenkomst"), ordering="first_meeting")
    def first_meeting(self, obj: Offering):
        return obj.first_meeting

    @admin.display(description=_("plaatsen vrij"), ordering=F("capacity") - F("confirmed_count"))
    def seats_left(self, obj: Offering) -> int | None:
        return obj.seats_left if obj.pk else None  # a new run has no capacity yet

    # --- Actions: thin, they send the selection to a confirmation page or download a file ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("acties/annuleren/", view(self.cancel_view), name="{}_{}_cancel".format(*info)),
            path(
                "<int:object_id>/deelnemers-verplaatsen/",
                view(self.move_view),
                name="{}_{}_move".format(*info),
            ),
            path(
                "acties/dupliceren/",
                view(self.duplicate_view),
                name="{}_{}_duplicate".format(*info),
            ),
            path("acties/herinneren/", view(self.remind_view), name="{}_{}_remind".format(*info)),
            *super().get_urls(),
        ]

    def _action_url(self, name: str, queryset) -> HttpResponseRedirect:
        ids = ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True))
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")
        return HttpResponseRedirect(f"{url}?ids={ids}")

    @admin.action(description=_("Annuleren met reden"), permissions=["change"])
    def cancel_runs(self, request, queryset):
        return self._action_url("cancel", queryset)

    @admin.action(
        description=_("Deelnemers verplaatsen naar een andere uitvoering"), permissions=["change"]
    )
    def move_participants(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request,
                gettext("Kies precies één uitvoering om deelnemers uit te verplaatsen."),
                messages.ERROR,
            )
            return None
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_move", args=[queryset.get().pk]
        )
        return HttpResponseRedirect(url)

    @admin.action(description=_("Dupliceren, N weken later"), permissions=["add"])
    def duplicate_runs(self, request, queryset):
        return self._action_url("duplicate", queryset)

    @admin.action(description=_("Herinnering nu versturen"), permissions=["change"])
    def send_reminders(self, request, queryset):
        return self._action_url("remind", queryset)

    @admin.action(description=_("Deelnemerslijst exporteren (CSV)"), permissions=["view"])
    def export_participants_csv(self, request, queryset):
        offerings = list(queryset.order_by("course__title", "pk"))
        columns, rows = participant_list(offerings)
        return _download(
            spreadsheets.to_csv(columns, rows),
            content_type="text/csv; charset=utf-8",
            filename=_export_filename(offerings, "csv"),
        )

    @admin.action(description=_("Deelnemerslijst exporteren (XLSX)"), permissions=["view"])
    def export_participants_xlsx(self, request, queryset):
        offerings = list(queryset.order_by("course__title", "pk"))
        columns, rows = participant_list(offerings)
        return _download(
            spreadsheets.to_xlsx(columns, rows, sheet_title=gettext("Deelnemers")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=_export_filename(offerings, "xlsx"),
        )

    # --- Confirmation pages: GET shows the form, POST performs through the services ---

    def _changelist(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    def _selected(self, request) -> list[Offering]:
        """The runs named by ``ids`` (comma-separated in the URL, hidden fields on POST)."""
        source = request.POST if request.method == "POST" else request.GET
        raw = ",".join(source.getlist("ids")).split(",")
        ids = {int(value) for value in raw if value.strip().isdigit()}
        return list(
            self.get_queryset(request)
            .filter(pk__in=ids)
            .annotate(
                confirmed_learners=Count(
                    "enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED)
                ),
                active_learners=Count(
                    "enrolments", filter=Q(enrolments__status__in=Enrolment.ACTIVE_STATUSES)
                ),
            )
            .order_by("course__title", "pk")
        )

    def _page(self, request, template: str, *, title: str, form, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"admin/catalogue/offering/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "form": form,
                "media": self.media + form.media,
                **context,
            },
        )

    def _runs_for_action(self, request, *, allowed: bool) -> list[Offering]:
        """The runs an action page works on; empty (with a message) when none were chosen."""
        if not allowed:
            raise PermissionDenied
        offerings = self._selected(request)
        if not offerings:
            self.message_user(
                request, gettext("Kies eerst een of meer uitvoeringen."), messages.ERROR
            )
        return offerings

    def _refuse(self, request, offering: Offering, error: DomainError) -> None:
        self.message_user(request, f"{offering}: {error.message}", messages.ERROR)

    def cancel_view(self, request):
        """Cancel the selected runs with one reason; everyone active in them is mailed."""
        offerings = self._runs_for_action(request, allowed=self.has_change_permission(request))
        if not offerings:
            return self._changelist()
        form = CancelRunsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            cancelled = mailed = 0
            for offering in offerings:
                try:
                    mailed += enrolment_services.cancel_offering(
                        offering_id=offering.pk,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except DomainError as error:
                    self._refuse(request, offering, error)
                    continue
                cancelled += 1
            if cancelled:
                self.message_user(
                    request,
                    ngettext(
                        "%(runs)s uitvoering geannuleerd.",
                        "%(runs)s uitvoeringen geannuleerd.",
                        cancelled,
                    )
                    % {"runs": cancelled}
                    + " "
                    + ngettext(
                        "%(people)s deelnemer krijgt een e-mail.",
                        "%(people)s deelnemers krijgen een e-mail.",
                        mailed,
                    )
                    % {"people": mailed},
                    messages.SUCCESS,
                )
            return self._changelist()
        return self._page(
            request,
            "cancel_runs.html",
            title=gettext("Uitvoeringen annuleren"),
            form=form,
            offerings=offerings,
            people=sum(offering.active_learners for offering in offerings),
        )

    def move_view(self, request, object_id: int):
        """Move chosen participants of one run to another open run of the same course."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        source = get_object_or_404(self.get_queryset(request), pk=object_id)
        participants = (
            Enrolment.objects.filter(offering=source, status__in=Enrolment.ACTIVE_STATUSES)
            .select_related("learner", "company")
            .annotate(list_order=LIST_ORDER)
            .order_by("list_order", "waitlist_position", "learner__last_name", "pk")
        )
        targets = (
            Offering.objects.filter(course_id=source.course_id, status=Offering.Status.OPEN)
            .exclude(pk=source.pk)
            .annotate(first_meeting=Min("meetings__starts_at"))
            .filter(first_meeting__gt=timezone.now())
            .select_related("location")
            .order_by("first_meeting", "pk")
        )
        form = MoveParticipantsForm(
            request.POST if request.method == "POST" else None,
            participants=participants,
            targets=targets,
        )
        if request.method == "POST" and form.is_valid():
            try:
                result = enrolment_services.move_enrolments(
                    enrolment_ids=[enrolment.pk for enrolment in form.cleaned_data["enrolments"]],
                    to_offering_id=form.cleaned_data["target"].pk,
                    actor=request.user,
                )
            except DomainError as error:
                self._refuse(request, source, error)
            else:
                self._report_move(request, result)
                return self._changelist()
        return self._page(
            request,
            "move_participants.html",
            title=gettext("Deelnemers verplaatsen"),
            form=form,
            offering=source,
            has_targets=targets.exists(),
        )

    def _report_move(self, request, result: enrolment_services.MoveResult) -> None:
        if not result.moved and not result.already_enrolled:
            self.message_user(
                request,
                gettext("Niemand verplaatst: de gekozen inschrijvingen waren al beëindigd."),
                messages.WARNING,
            )
        if result.moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)s deelnemer verplaatst",
                    "%(count)s deelnemers verplaatst",
                    len(result.moved),
                )
                % {"count": len(result.moved)}
                + gettext(
                    " (met plek: %(confirmed)s, op de wachtlijst: %(waitlisted)s, "
                    "aanvraag bij HR: %(requested)s). Iedereen krijgt een e-mail."
                )
                % {
                    "confirmed": len(result.confirmed),
                    "waitlisted": len(result.waitlisted),
                    "requested": len(result.requested),
                },
                messages.SUCCESS,
            )
        if result.promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)s persoon van de wachtlijst van de oude uitvoering kreeg een plek.",
                    "%(count)s personen van de wachtlijst van de oude uitvoering kregen een plek.",
                    len(result.promoted),
                )
                % {"count": len(result.promoted)},
                messages.INFO,
            )
        if result.already_enrolled:
            names = ", ".join(
                enrolment.learner.get_full_name() or enrolment.learner.email
                for enrolment in result.already_enrolled
            )
            self.message_user(
                request,
                gettext("Al ingeschreven voor de gekozen uitvoering, niet verplaatst: %(names)s")
                % {"names": names},
                messages.WARNING,
            )

    def duplicate_view(self, request):
        """Copy the selected runs as concept runs, N weeks later."""
        offerings = self._runs_for_action(request, allowed=self.has_add_permission(request))
        if not offerings:
            return self._changelist()
        form = DuplicateRunsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            copies = []
            for offering in offerings:
                try:
                    copies.append(
                        enrolment_services.duplicate_offering(
                            offering_id=offering.pk,
                            weeks=form.cleaned_data["weeks"],
                            actor=request.user,
                        )
                    )
                except DomainError as error:
                    self._refuse(request, offering, error)
            if copies:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s concept-uitvoering aangemaakt. Zet de status op open "
                        "om de inschrijving te openen.",
                        "%(count)s concept-uitvoeringen aangemaakt. Zet de status op open "
                        "om de inschrijving te openen.",
                        len(copies),
                    )
                    % {"count": len(copies)},
                    messages.SUCCESS,
                )
            if len(copies) == 1:
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                        args=[copies[0].pk],
                    )
                )
            return self._changelist()
        return self._page(
            request,
            "duplicate_runs.html",
            title=gettext("Uitvoeringen dupliceren"),
            form=form,
            offerings=offerings,
        )

    def remind_view(self, request):
        """Mail the reminder to every confirmed learner of the selected runs now."""
        offerings = self._runs_for_action(request, allowed=self.has_change_permission(request))
        if not offerings:
            return self._changelist()
        form = SendRemindersForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            sent = 0
            for offering in offerings:
                try:
                    sent += enrolment_services.send_reminder_now(
                        offering_id=offering.pk, actor=request.user
                    )
                except DomainError as error:
                    self._refuse(request, offering, error)
            self.message_user(
                request,
                ngettext(
                    "%(count)s herinnering verstuurd.",
                    "%(count)s herinneringen verstuurd.",
                    sent,
                )
                % {"count": sent}
                + (
                    ""
                    if sent
                    else " "
                    + gettext("Wie vandaag al een herinnering kreeg, krijgt er geen tweede.")
                ),
                messages.SUCCESS if sent else messages.WARNING,
            )
            return self._changelist()
        return self._page(
            request,
            "send_reminders.html",
            title=gettext("Herinnering nu versturen"),
            form=form,
            offerings=offerings,
            people=sum(offering.confirmed_learners for offering in offerings),
        )


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("offering", "starts_at", "ends_at", "topic")
    list_filter = ("offering__location", "offering__course__sector")
    search_fields = ("offering__course__title", "topic")
    list_select_related = ("offering__course", "offering__location")
    autocomplete_fields = ("offering",)
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        runs = offerings_for_staff(user=request.user)
        return super().get_queryset(request).filter(offering__in=runs)
