"""The shapes of what a college types: a course draft, a run draft with its meetings, a
message to a run's participants. Each text field is limited to its model's length."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolment.services.offerings import MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX

from ..admin.meeting_forms import MeetingForm, ScheduleChecksFormSetMixin, shown
from ..models import Course, Location, Meeting, Offering, Theme
from .services import COURSE_DRAFT_FIELDS, MAX_MEETINGS, MeetingSlot


class CourseDraftForm(forms.ModelForm):
    """A course as a college proposes it; the hub adds VAT, funding and the English texts."""

    themes = forms.ModelMultipleChoiceField(
        label=_("thema's"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Course
        fields = (*COURSE_DRAFT_FIELDS, "themes")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 4}),
            "audience": forms.Textarea(attrs={"rows": 3}),
        }

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in COURSE_DRAFT_FIELDS}


class OfferingDraftForm(forms.ModelForm):
    """A run's place, size and trainer; the meetings come in their own rows."""

    location = forms.ModelChoiceField(
        label=_("locatie"), queryset=Location.objects.order_by("name")
    )

    class Meta:
        model = Offering
        fields = ("location", "capacity", "min_participants", "instructor")


class MeetingRowForm(MeetingForm):
    """One meeting: a date, a start and an end time (Europe/Amsterdam), as in the admin."""

    repeat_weeks = None

    class Meta(MeetingForm.Meta):
        fields = ()


class MeetingRowsFormSet(ScheduleChecksFormSetMixin, BaseInlineFormSet):
    """The admin's schedule checks (same times as the row above, no overlaps), plus: at least
    one meeting, none in the past."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        rows = self.filled_rows()
        if not rows:
            raise forms.ValidationError(_("Vul ten minste één bijeenkomst in."))
        now = timezone.now()
        for form in rows:
            if form.cleaned_data["starts_at"] < now:
                form.add_error(
                    "date",
                    _("Deze bijeenkomst (%(when)s) ligt in het verleden: kies een latere datum.")
                    % {"when": shown(form.cleaned_data["starts_at"])},
                )

    def filled_rows(self) -> list[MeetingRowForm]:
        return [
            form
            for form in self.forms
            if form.has_changed() and "starts_at" in getattr(form, "cleaned_data", {})
        ]

    def slots(self) -> list[MeetingSlot]:
        return [
            MeetingSlot(form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
            for form in self.filled_rows()
        ]


MeetingRows = inlineformset_factory(
    Offering,
    Meeting,
    form=MeetingRowForm,
    formset=MeetingRowsFormSet,
    fields=(),
    extra=MAX_MEETINGS,
    max_num=MAX_MEETINGS,
    validate_max=True,
    can_delete=False,
)


class MessageForm(forms.Form):
    """A message to a run's confirmed participants, in the hub's mail frame."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=MESSAGE_SUBJECT_MAX)
    body = forms.CharField(
        label=_("Bericht"),
        max_length=MESSAGE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Je tekst komt zoals je hem typt in een e-mail van de hub, met de gegevens van de "
            "cursus en de bijeenkomsten in de taal van elke ontvanger."
        ),
    )
