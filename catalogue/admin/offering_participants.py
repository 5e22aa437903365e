"""The run page's actions on people: mail the participants, promote from the waiting list,
enrol a person by e-mail address.

Each is a page of one run (``<id>/…/``): GET says exactly what the action will do (how many get
the mail, who moves up, whether the person gets a seat), POST calls one service and returns to
the run's page with a message. They need the permission to change the run; a college's trainer
only ever finds their own provider's runs (``OfferingAdmin.get_queryset``).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext, ngettext

from companies.names import dutch_name_order
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from technohub.errors import DomainError

from ..models import Offering
from .offering_forms import ConfirmForm, EnrolByEmailForm, MailParticipantsForm


def people_counts(offering: Offering) -> dict[str, int]:
    """The number of an offering's enrolments per active status, in one query."""
    counts = dict(
        Enrolment.objects.filter(offering=offering, status__in=Enrolment.ACTIVE_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    return {status: counts.get(status, 0) for status in Enrolment.ACTIVE_STATUSES}


def promotable(offering: Offering, counts: dict[str, int]) -> int:
    """How many on the waiting list a promotion now would give a seat."""
    return max(min(offering.seats_left, counts[Enrolment.Status.WAITLISTED]), 0)


class OfferingParticipantsMixin:
    """Mail, promote and enrol pages of one run, for ``OfferingAdmin`` (with its actions)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/deelnemers-mailen/",
                view(self.mail_view),
                name="{}_{}_mail".format(*info),
            ),
            path(
                "<int:object_id>/wachtlijst-doorschuiven/",
                view(self.promote_view),
                name="{}_{}_promote".format(*info),
            ),
            path(
                "<int:object_id>/inschrijven/",
                view(self.enrol_view),
                name="{}_{}_enrol".format(*info),
            ),
            *super().get_urls(),
        ]

    def _run_for_change(self, request, object_id: int) -> Offering:
        """The run, if the user may change it; 404 for a run outside their scope."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def _to_run(self, offering: Offering) -> HttpResponseRedirect:
        return HttpResponseRedirect(self._change_url(offering.pk))

    def mail_view(self, request, object_id: int):
        """Mail the manager's own message to the confirmed participants (and the waiting list)."""
        offering = self._run_for_change(request, object_id)
        counts = people_counts(offering)
        confirmed = counts[Enrolment.Status.CONFIRMED]
        waiting = counts[Enrolment.Status.WAITLISTED]
        form = MailParticipantsForm(
            request.POST if request.method == "POST" else None,
            confirmed=confirmed,
            waiting=waiting,
        )
        if request.method == "POST" and form.is_valid():
            try:
                mailed = enrolment_services.mail_participants(
                    offering_id=offering.pk,
                    actor=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    include_waitlist=form.cleaned_data["audience"] == form.WITH_WAITLIST,
                )
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s deelnemer krijgt je bericht.",
                        "%(count)s deelnemers krijgen je bericht.",
                        mailed,
                    )
                    % {"count": mailed},
                    messages.SUCCESS if mailed else messages.WARNING,
                )
                return self._to_run(offering)
        return self._page(
            request,
            "mail_participants.html",
            title=gettext("Deelnemers mailen"),
            form=form,
            offering=offering,
            confirmed=confirmed,
            waiting=waiting,
            back_url=self._change_url(offering.pk),
        )

    def promote_view(self, request, object_id: int):
        """Give the free seats to the first on the waiting list now."""
        offering = self._run_for_change(request, object_id)
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                promoted = enrolment_services.promote_from_waitlist(
                    offering_id=offering.pk, actor=request.user
                )
            except DomainError as error:
                self._refuse(request, offering, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s persoon van de wachtlijst kreeg een plek en een e-mail.",
                        "%(count)s personen van de wachtlijst kregen een plek en een e-mail.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                    messages.SUCCESS if promoted else messages.WARNING,
                )
            return self._to_run(offering)
        counts = people_counts(offering)
        moving = promotable(offering, counts)
        first_in_line = list(
            Enrolment.objects.filter(offering=offering, status=Enrolment.Status.WAITLISTED)
            .select_related("learner")
            .order_by("waitlist_position", *dutch_name_order("learner"))[:moving]
        )
        return self._page(
            request,
            "promote_waitlist.html",
            title=gettext("Wachtlijst doorschuiven"),
            form=form,
            offering=offering,
            moving=moving,
            waiting=counts[Enrolment.Status.WAITLISTED],
            first_in_line=first_in_line,
            back_url=self._change_url(offering.pk),
        )

    def enrol_view(self, request, object_id: int):
        """Enrol a person by e-mail address: an account, or an invitation with a new one."""
        offering = self._run_for_change(request, object_id)
        form = EnrolByEmailForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                result = enrolment_services.enrol_by_email(
                    offering_id=offering.pk,
                    actor=request.user,
                    site_url=settings.SITE_URL,
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                self._report_enrolment(request, result)
                return self._to_run(offering)
        counts = people_counts(offering)
        waiting = counts[Enrolment.Status.WAITLISTED]
        return self._page(
            request,
            "enrol_person.html",
            title=gettext("Iemand inschrijven"),
            form=form,
            offering=offering,
            gets_seat=offering.seats_left > 0 and waiting == 0,
            seats_left=max(offering.seats_left, 0),
            waiting=waiting,
            back_url=self._change_url(offering.pk),
        )

    def _report_enrolment(self, request, result: enrolment_services.StaffEnrolment) -> None:
        enrolment = result.enrolment
        # The admin capitalises a message's first letter: it starts with words, not an address.
        name = enrolment.learner.get_full_name()
        who = f"{name} ({enrolment.learner.email})" if name else enrolment.learner.email
        if enrolment.status == Enrolment.Status.CONFIRMED:
            text = gettext("Ingeschreven, met een plek: %(who)s.") % {"who": who}
        else:
            text = gettext("Op de wachtlijst, plaats %(position)s: %(who)s.") % {
                "who": who,
                "position": enrolment.waitlist_position,
            }
        if result.invited:
            text += " " + gettext(
                "Er is een account gemaakt; de uitnodiging om een wachtwoord te kiezen is "
                "verstuurd."
            )
        self.message_user(request, text, messages.SUCCESS)
