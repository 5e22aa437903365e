"""Forms for offers: a college's offer with its proposed meetings, and accepting one."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Location
from companies.models import Offer
from technohub.widgets import DateInput

from .offers import MAX_MEETINGS

MAX_PARTICIPANTS = 500
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
INCOMPLETE_MEETING = _("Vul datum, begintijd en eindtijd in, of geen van drieën.")


class TimeInput(forms.TimeInput):
    """The browser's time picker (``<input type="time">``)."""

    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class OfferForm(forms.ModelForm):
    """A college's offer: price, numbers, hours, places and up to six proposed meetings.

    The meetings are rows of a date with a start and an end time in Europe/Amsterdam; a row
    left empty is no meeting. ``meetings`` (after validation) lists them as (start, end).
    """

    class Meta:
        model = Offer
        fields = (
            "price_excl_vat",
            "min_participants",
            "max_participants",
            "hours",
            "locations",
            "at_company",
            "note",
        )
        # Dutch users type a decimal comma ("450,00"), English ones a point.
        localized_fields = ("price_excl_vat", "hours")
        widgets = {
            "locations": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"locations": _("Plaatsen")}
        help_texts = {
            "locations": _("Waar jullie de cursus kunnen geven; leeg: in overleg."),
            "note": _("Wat de hub en de bedrijven verder moeten weten (ten hoogste 2000 tekens)."),
        }

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["locations"].queryset = Location.objects.order_by("kind", "name")
        self.fields["price_excl_vat"].min_value = 0
        self.fields["min_participants"].max_value = MAX_PARTICIPANTS
        self.fields["max_participants"].max_value = MAX_PARTICIPANTS
        self.fields["hours"].max_value = 9999
        for row in range(1, MAX_MEETINGS + 1):
            self.fields[f"meeting_{row}_date"] = forms.DateField(
                label=_("Bijeenkomst %(row)s: datum") % {"row": row},
                required=False,
                widget=DateInput(),
            )
            self.fields[f"meeting_{row}_start"] = forms.TimeField(
                label=_("Bijeenkomst %(row)s: begint om") % {"row": row},
                required=False,
                widget=TimeInput(),
            )
            self.fields[f"meeting_{row}_end"] = forms.TimeField(
                label=_("Bijeenkomst %(row)s: eindigt om") % {"row": row},
                required=False,
                widget=TimeInput(),
            )
        if self.instance.pk and not self.is_bound:
            for row, meeting in enumerate(self.instance.meetings.all(), start=1):
                starts_at = timezone.localtime(meeting.starts_at, AMSTERDAM)
                ends_at = timezone.localtime(meeting.ends_at, AMSTERDAM)
                self.initial[f"meeting_{row}_date"] = starts_at.date()
                self.initial[f"meeting_{row}_start"] = starts_at.time()
                self.initial[f"meeting_{row}_end"] = ends_at.time()

    def meeting_rows(self):
        """The meeting fields by row, for the template: (row, date, start, end)."""
        return [
            (
                row,
                self[f"meeting_{row}_date"],
                self[f"meeting_{row}_start"],
                self[f"meeting_{row}_end"],
            )
            for row in range(1, MAX_MEETINGS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        meetings = []
        for row in range(1, MAX_MEETINGS + 1):
            names = (f"meeting_{row}_date", f"meeting_{row}_start", f"meeting_{row}_end")
            if any(name in self.errors for name in names):
                continue
            day, start, end = (cleaned.get(name) for name in names)
            if day is None and start is None and end is None:
                continue
            missing = False
            for name, value in zip(names, (day, start, end), strict=True):
                if value is None:
                    self.add_error(
                        name, _("Vul datum, begintijd en eindtijd in, of geen van drieën.")
                    )
                    missing = True
            if missing:
                continue
            starts_at = _aware(day, start)
            ends_at = _aware(day, end)
            if ends_at <= starts_at:
                self.add_error(names[2], _("Een bijeenkomst eindigt na het begin."))
            elif starts_at <= self.now:
                self.add_error(names[0], _("Kies een datum in de toekomst."))
            else:
                meetings.append((starts_at, ends_at))
        self.meetings = sorted(meetings)
        return cleaned


def _aware(day, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=AMSTERDAM)


class AcceptForm(forms.Form):
    """The programme manager's choices when accepting an offer: the run's place, and whether
    the run is closed to the pledging companies (*besloten uitvoering*)."""

    location = forms.ModelChoiceField(
        label=_("Locatie van de uitvoering"), queryset=Location.objects.none(), empty_label=None
    )
    private = forms.BooleanField(
        label=_("Besloten uitvoering: alleen voor de bedrijven die toezegden, tegen deze prijs"),
        required=False,
    )

    def __init__(self, *args, places: list[Location], with_private: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(
            pk__in=[place.pk for place in places]
        ).order_by("kind", "name")
        if places:
            self.fields["location"].initial = places[0].pk
        if not with_private:
            del self.fields["private"]
