"""The offering admin's forms: the offering's own edit form, and those of the actions' confirmation
pages."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from companies.demand import services as demand
from companies.models import TrainingNeed
from enrolment.models import Enrolment
from enrolment.seats import OfferingBusy, lock_offering
from enrolment.services.offerings import (
    MAX_DUPLICATE_WEEKS,
    MESSAGE_BODY_MAX,
    MESSAGE_SUBJECT_MAX,
)

from ..models import Offering

# --- The offering's edit form ---------------------------------------------------------------------


def status_editable(offering: Offering) -> bool:
    """Only a concept offering's status is edited by hand (to open it); the rest goes via
    actions."""
    return offering.status == Offering.Status.CONCEPT


class OfferingForm(forms.ModelForm):
    """Checks a new capacity against the seats confirmed right now, not when the page loaded.

    Once an offering is past concept its status is fixed here (the course page's inline too):
    cancelling goes through the "Annuleren met reden" action, which mails everyone.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and self.instance.pk and not status_editable(self.instance):
            status.disabled = True

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            if cleaned_data.get("status") in (Offering.Status.CANCELLED, Offering.Status.COMPLETED):
                self.add_error(
                    "status",
                    _(
                        "Een nieuwe uitvoering begint als concept of open. Annuleren en afronden "
                        "gaan met de knoppen van een bestaande uitvoering."
                    ),
                )
            return cleaned_data
        # The admin saves inside one transaction. Locking the offering here (seats protocol) keeps
        # an enrolment from slipping in between this check and the save, and the full save
        # that follows then writes back the current seat counter, not the page's.
        try:
            locked = lock_offering(self.instance.pk)
        except OfferingBusy as busy:
            raise forms.ValidationError(busy.message) from busy
        self.instance.confirmed_count = locked.confirmed_count
        self.instance.reserved_count = locked.reserved_count
        capacity = cleaned_data.get("capacity")
        if capacity is not None and capacity < locked.confirmed_count + locked.reserved_count:
            self.add_error(
                "capacity",
                _(
                    "Bevestigde plaatsen: %(confirmed)s, gereserveerd: %(reserved)s. "
                    "De capaciteit kan niet lager zijn."
                )
                % {"confirmed": locked.confirmed_count, "reserved": locked.reserved_count},
            )
        return cleaned_data


class CourseOfferingForm(OfferingForm):
    """The course page's row of a run: that row has no meetings, so it cannot open a run that
    has none (the run's own page can, with its meetings)."""

    def clean(self):
        cleaned_data = super().clean()
        opening = cleaned_data.get("status") == Offering.Status.OPEN and (
            self.instance.pk is None or "status" in self.changed_data
        )
        if opening and (self.instance.pk is None or not self.instance.meetings.exists()):
            self.add_error(
                "status",
                _(
                    "Een open uitvoering heeft ten minste één bijeenkomst. Sla de uitvoering op "
                    "als concept en open haar op haar eigen pagina, met de bijeenkomsten."
                ),
            )
        return cleaned_data


class OfferingWithNeedsForm(OfferingForm):
    """The offering's own admin page also links the companies' training needs it meets.

    The demand board opens a new offering with ``?training_needs=1,2,3`` to fill this in.
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
        # A need its company withdrew no longer asks for anything: it is not offered, nor shown.
        linked = (
            Q(offering=self.instance) & ~Q(status=TrainingNeed.Status.WITHDRAWN)
            if self.instance.pk
            else Q(pk__in=[])
        )
        self.fields["training_needs"].queryset = (
            TrainingNeed.objects.filter(
                linked | Q(offering__isnull=True, status__in=demand.OPEN_NEED_STATUSES)
            )
            .select_related("company")
            .order_by("company__name", "title")
        )
        if self.instance.pk:
            self.initial.setdefault(
                "training_needs",
                list(self.instance.training_needs.exclude(status=TrainingNeed.Status.WITHDRAWN)),
            )


# --- Forms of the offering actions' confirmation pages --------------------------------------------


class CancelOfferingsForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Deze reden staat in de e-mail aan alle deelnemers."),
    )


class DuplicateOfferingsForm(forms.Form):
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


class TargetOfferingChoiceField(forms.ModelChoiceField):
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
    target = TargetOfferingChoiceField(
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


class ConfirmForm(forms.Form):
    """Nothing to fill in: the page says what will happen, the button confirms it."""


class MailParticipantsForm(forms.Form):
    """The programme manager's own message to a run's participants."""

    CONFIRMED, WITH_WAITLIST = "confirmed", "waitlist"

    audience = forms.ChoiceField(label=_("Aan wie"), widget=forms.RadioSelect, initial=CONFIRMED)
    subject = forms.CharField(label=_("Onderwerp"), max_length=MESSAGE_SUBJECT_MAX)
    body = forms.CharField(
        label=_("Bericht"),
        max_length=MESSAGE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Je tekst komt zoals je hem typt in een e-mail van de hub, met de gegevens van de "
            "cursus en de bijeenkomsten in de taal van elke ontvanger."
        ),
    )

    def __init__(self, *args, confirmed: int, waiting: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (
                self.CONFIRMED,
                ngettext(
                    "Bevestigde deelnemers: %(count)s persoon",
                    "Bevestigde deelnemers: %(count)s personen",
                    confirmed,
                )
                % {"count": confirmed},
            ),
            (
                self.WITH_WAITLIST,
                ngettext(
                    "Bevestigde deelnemers en de wachtlijst: %(count)s persoon",
                    "Bevestigde deelnemers en de wachtlijst: %(count)s personen",
                    confirmed + waiting,
                )
                % {"count": confirmed + waiting},
            ),
        ]


class EnrolByEmailForm(forms.Form):
    """Who to enrol: an address, and for a new account a name and the language of its mail."""

    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=100,
        required=False,
        help_text=_("Alleen nodig als er nog geen account met dit adres is."),
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        required=False,
        help_text=_("Alleen nodig als er nog geen account met dit adres is."),
    )
    language = forms.ChoiceField(
        label=_("Taal van de e-mails"),
        choices=settings.LANGUAGES,
        initial="nl",
        help_text=_("Voor een nieuw account; een bestaand account houdt zijn eigen taal."),
    )
