"""The programme manager's offering actions in the admin, apart from the offering's configuration.

Each action (cancel with a reason, move participants, duplicate, remind now) leads to a
confirmation page of its own: GET shows a small form, POST calls one service per offering and
reports the result as admin messages. The participant-list exports download straight away.
``OfferingActionsMixin`` gives ``OfferingAdmin`` these actions, their URLs and their pages, and
puts a button for each that applies on the run's own page (``run_page``); started there
(``back=run``), a page returns to the run, else to the list. The counts a page shows are
subqueries (``offering_filters.enrolment_count``), so a run's meetings never multiply them.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies.models import StaffPermission
from companies.names import dutch_name_order
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from technohub import spreadsheets
from technohub.errors import DomainError

from ..models import Offering
from .offering_filters import enrolment_count
from .offering_forms import (
    CancelOfferingsForm,
    DuplicateOfferingsForm,
    MoveParticipantsForm,
    SendRemindersForm,
)
from .offering_participants import OfferingParticipantsMixin
from .participant_list import LIST_ORDER, participant_list
from .run_page import run_page_context


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


def _from_run_page(request) -> bool:
    """Whether the action was started from the run's own page (``back=run``), to return there."""
    return request.POST.get("back", request.GET.get("back")) == "run"


def _export(offerings: list[Offering], kind: str) -> HttpResponse:
    """The participant list of ``offerings`` as a CSV or XLSX file to save."""
    columns, rows = participant_list(offerings)
    if kind == "csv":
        return _download(
            spreadsheets.to_csv(columns, rows),
            content_type="text/csv; charset=utf-8",
            filename=_export_filename(offerings, "csv"),
        )
    return _download(
        spreadsheets.to_xlsx(columns, rows, sheet_title=gettext("Deelnemers")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=_export_filename(offerings, "xlsx"),
    )


class OfferingActionsMixin(OfferingParticipantsMixin):
    """The offering actions and their confirmation pages, and the run page's buttons for them
    (with those of ``OfferingParticipantsMixin``), for ``OfferingAdmin``."""

    actions = (
        "cancel_offerings",
        "move_participants",
        "duplicate_offerings",
        "send_reminders",
        "export_participants_csv",
        "export_participants_xlsx",
    )

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
            path(
                "<int:object_id>/deelnemerslijst.<str:kind>",
                view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def _action_url(self, name: str, queryset) -> HttpResponseRedirect:
        ids = ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True))
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")
        return HttpResponseRedirect(f"{url}?ids={ids}")

    @admin.action(description=_("Annuleren met reden"), permissions=["change"])
    def cancel_offerings(self, request, queryset):
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
    def duplicate_offerings(self, request, queryset):
        return self._action_url("duplicate", queryset)

    @admin.action(description=_("Herinnering nu versturen"), permissions=["change"])
    def send_reminders(self, request, queryset):
        return self._action_url("remind", queryset)

    @admin.action(description=_("Deelnemerslijst exporteren (CSV)"), permissions=["view"])
    def export_participants_csv(self, request, queryset):
        return _export(list(queryset.order_by("course__title", "pk")), "csv")

    @admin.action(description=_("Deelnemerslijst exporteren (XLSX)"), permissions=["view"])
    def export_participants_xlsx(self, request, queryset):
        return _export(list(queryset.order_by("course__title", "pk")), "xlsx")

    def export_view(self, request, object_id: int, kind: str):
        """The participant list of one run, from its page: personal data, so only for staff who
        may export it."""
        if kind not in ("csv", "xlsx"):
            raise Http404
        if not (
            self.has_view_permission(request)
            and request.user.has_perm(StaffPermission.EXPORT_PERSONAL_DATA)
        ):
            raise PermissionDenied
        return _export([get_object_or_404(self.get_queryset(request), pk=object_id)], kind)

    # --- The run's own page: every action that applies, as a button ---

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(run_page_context(self, request, obj))
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    # --- Confirmation pages: GET shows the form, POST performs through the services ---

    def _changelist(self, request=None, offerings=()) -> HttpResponseRedirect:
        """Back where the action was started: the run's own page, or the list of runs."""
        return HttpResponseRedirect(self._back_url(request, offerings))

    def _back_url(self, request, offerings) -> str:
        """A ``next`` path on this site (such as the start page) when the page was given one,
        else the run's own page when the action started there, else the list of runs."""
        wanted = (request.POST.get("next") or request.GET.get("next", "")) if request else ""
        if wanted.startswith("/") and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return wanted
        if request is not None and _from_run_page(request) and len(offerings) == 1:
            return self._change_url(offerings[0].pk)
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def _change_url(self, offering_id: int) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[offering_id]
        )

    def _selected(self, request) -> list[Offering]:
        """The offerings named by ``ids`` (comma-separated in the URL, hidden fields on POST)."""
        source = request.POST if request.method == "POST" else request.GET
        raw = ",".join(source.getlist("ids")).split(",")
        ids = {int(value) for value in raw if value.strip().isdigit()}
        return list(
            self.get_queryset(request)
            .filter(pk__in=ids)
            .annotate(
                # Subqueries, not a Count over the join: the queryset's other annotations must
                # not multiply the people by the meetings.
                confirmed_learners=enrolment_count(Enrolment.Status.CONFIRMED),
                active_learners=enrolment_count(*Enrolment.ACTIVE_STATUSES),
            )
            .order_by("course__title", "pk")
        )

    def _page(self, request, template: str, *, title: str, form, **context) -> TemplateResponse:
        offerings = context.get("offerings") or [context["offering"]]
        return TemplateResponse(
            request,
            f"admin/catalogue/offering/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "form": form,
                "media": self.media + form.media,
                "from_run": _from_run_page(request) and len(offerings) == 1,
                "back_url": self._back_url(request, offerings),
                **context,
            },
        )

    def _offerings_for_action(self, request, *, allowed: bool) -> list[Offering]:
        """The offerings an action page works on; empty (with a message) when none were chosen."""
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
        """Cancel the selected offerings with one reason; everyone active in them is mailed."""
        offerings = self._offerings_for_action(request, allowed=self.has_change_permission(request))
        if not offerings:
            return self._changelist()
        form = CancelOfferingsForm(request.POST if request.method == "POST" else None)
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
                        "%(offerings)s uitvoering geannuleerd.",
                        "%(offerings)s uitvoeringen geannuleerd.",
                        cancelled,
                    )
                    % {"offerings": cancelled}
                    + " "
                    + ngettext(
                        "%(people)s deelnemer krijgt een e-mail.",
                        "%(people)s deelnemers krijgen een e-mail.",
                        mailed,
                    )
                    % {"people": mailed},
                    messages.SUCCESS,
                )
            return self._changelist(request, offerings)
        return self._page(
            request,
            "cancel_offerings.html",
            title=gettext("Uitvoeringen annuleren"),
            form=form,
            offerings=offerings,
            people=sum(offering.active_learners for offering in offerings),
        )

    def move_view(self, request, object_id: int):
        """Move chosen participants of one offering to another open offering of the same course."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        source = get_object_or_404(self.get_queryset(request), pk=object_id)
        participants = (
            Enrolment.objects.filter(offering=source, status__in=Enrolment.ACTIVE_STATUSES)
            .select_related("learner", "company")
            .annotate(list_order=LIST_ORDER)
            .order_by("list_order", "waitlist_position", *dutch_name_order("learner"))
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
                return self._changelist(request, [source])
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
        """Copy the selected offerings as concept offerings, N weeks later."""
        offerings = self._offerings_for_action(request, allowed=self.has_add_permission(request))
        if not offerings:
            return self._changelist()
        form = DuplicateOfferingsForm(request.POST if request.method == "POST" else None)
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
            return self._changelist(request, offerings)
        return self._page(
            request,
            "duplicate_offerings.html",
            title=gettext("Uitvoeringen dupliceren"),
            form=form,
            offerings=offerings,
        )

    def remind_view(self, request):
        """Mail the reminder to every confirmed learner of the selected offerings now."""
        offerings = self._offerings_for_action(request, allowed=self.has_change_permission(request))
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
            return self._changelist(request, offerings)
        return self._page(
            request,
            "send_reminders.html",
            title=gettext("Herinnering nu versturen"),
            form=form,
            offerings=offerings,
            people=sum(offering.confirmed_learners for offering in offerings),
        )
