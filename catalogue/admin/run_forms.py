"""Forms of the run actions' confirmation pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from enrolment.models import Enrolment
from enrolment.services.runs import MAX_DUPLICATE_WEEKS

from ..models import Offering

# --- Forms of the run actions' confirmation pages ---------------------------------------------


class CancelRunsForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Deze reden staat in de e-mail aan alle deelnemers."),
    )


class DuplicateRunsForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Aantal weken later"),
        min_value=1,
        max_value=MAX_DUPLICATE_WEEKS,
        initial=1,
        help_text=_(
            "Elke bijeenkomst schuift zoveel weken op, net als de inschrijfperiode en de "
            "annuleringstermijn. De kopie krijgt de status concept en geen deelnemers."
        ),
    )


class SendRemindersForm(forms.Form):
    """Nothing to fill in: the page is the confirmation."""


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return obj.learner.get_full_name() or obj.learner.email


class TargetRunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Offering) -> str:
        first = timezone.localtime(obj.first_meeting).strftime("%Y-%m-%d %H:%M")
        free = ngettext("%(count)s plaats vrij", "%(count)s plaatsen vrij", obj.seats_left) % {
            "count": obj.seats_left
        }
        return f"{obj.location} – {first} ({free})"


class MoveParticipantsForm(forms.Form):
    enrolments = ParticipantChoiceField(
        label=_("Deelnemers"),
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één deelnemer.")},
    )
    target = TargetRunChoiceField(
        label=_("Naar uitvoering"),
        queryset=Offering.objects.none(),
        empty_label=_("— kies een uitvoering —"),
        help_text=_(
            "Wie verplaatst wordt, krijgt een vrije plek of komt achteraan op de wachtlijst "
            "van deze uitvoering, en krijgt een e-mail."
        ),
    )

    def __init__(self, *args, participants, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = participants
        self.fields["target"].queryset = targets
