"""Shifting whole offerings ("Uitvoering verschuiven") from the admin: all meetings, the
enrolment window and the deadlines N days earlier or later, after a confirmation page that
says how many people get a change mail."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from enrolment import services as enrolment_services
from technohub.errors import DomainError


class ShiftOfferingsForm(forms.Form):
    direction = forms.TypedChoiceField(
        label=_("Richting"),
        choices=((1, _("later")), (-1, _("eerder"))),
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("Aantal dagen"),
        min_value=1,
        max_value=enrolment_services.MAX_SHIFT_DAYS,
        initial=7,
        help_text=_(
            "Elke bijeenkomst schuift zoveel dagen op (zelfde tijd van de dag), net als de "
            "inschrijfperiode, de annuleringstermijn en de termijn voor namen."
        ),
    )

    @property
    def shift_days(self) -> int:
        return self.cleaned_data["direction"] * self.cleaned_data["days"]


class OfferingShiftMixin:
    """The "Uitvoering verschuiven" action, its URL (``admin:catalogue_offering_shift``, taking
    ``?ids=`` and ``?next=``) and its confirmation page, for ``OfferingAdmin``. Builds on
    ``OfferingActionsMixin`` (selection, pages, messages)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "acties/verschuiven/",
                self.admin_site.admin_view(self.shift_view),
                name="{}_{}_shift".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            actions["shift_offerings"] = self.get_action("shift_offerings")
        return actions

    @admin.action(description=_("Uitvoering verschuiven (N dagen)"), permissions=["change"])
    def shift_offerings(self, request, queryset):
        return self._action_url("shift", queryset)

    def shift_view(self, request) -> TemplateResponse | HttpResponseRedirect:
        """Shift the selected offerings N days; everyone in them is mailed once."""
        offerings = self._offerings_for_action(request, allowed=self.has_change_permission(request))
        if not offerings:
            return self._changelist(request)
        form = ShiftOfferingsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            shifted = mailed = 0
            for offering in offerings:
                try:
                    mailed += enrolment_services.shift_offering(
                        offering_id=offering.pk, days=form.shift_days, actor=request.user
                    )
                except DomainError as error:
                    self._refuse(request, offering, error)
                    continue
                shifted += 1
            if shifted:
                self.message_user(
                    request,
                    ngettext(
                        "%(offerings)s uitvoering verschoven.",
                        "%(offerings)s uitvoeringen verschoven.",
                        shifted,
                    )
                    % {"offerings": shifted}
                    + " "
                    + ngettext(
                        "%(people)s deelnemer krijgt een wijzigingsbericht.",
                        "%(people)s deelnemers krijgen een wijzigingsbericht.",
                        mailed,
                    )
                    % {"people": mailed},
                    messages.SUCCESS,
                )
            return self._changelist(request, offerings)
        # Counted as the service will mail them: one message per active enrolment.
        counts = enrolment_services.count_people_to_tell(offerings=offerings, now=timezone.now())
        for offering in offerings:
            offering.people_to_mail = counts[offering.pk]
        return self._page(
            request,
            "shift_offerings.html",
            title=gettext("Uitvoeringen verschuiven"),
            form=form,
            offerings=offerings,
            people=sum(offering.people_to_mail for offering in offerings),
        )
