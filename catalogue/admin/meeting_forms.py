"""The meetings of a run as the programme manager enters them: a date, a start and an end time.

- Times are in the site's time zone (Europe/Amsterdam), whatever the browser's.
- "Zelfde tijden": a new meeting without times takes those of the meeting above it, so a
  three-day course is three dates under one row with times (``static/js/meetings.js`` fills
  them in as soon as a row is added; without JavaScript the save does).
- "Herhaal wekelijks x N": the meeting is copied N weeks on, one a week, when the run is saved.
- A run that cannot be right is refused before saving (:class:`ScheduleChecksFormSetMixin`):
  an open run without meetings, a new or moved meeting in the past in an open run (or any past
  meeting in a run being opened), overlapping meetings, an enrolment window that opens after
  the run starts or closes after it ends.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..models import Meeting, Offering

MAX_REPEAT_WEEKS = 52


def at(day: date, clock: time) -> datetime:
    """The moment ``clock`` on ``day`` in the site's time zone (summer time included)."""
    return timezone.make_aware(datetime.combine(day, clock))


def shown(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


class TimeInput(forms.TimeInput):
    """The browser's time picker (``<input type="time">``), which wants 24-hour times."""

    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeetingForm(forms.ModelForm):
    """One meeting: its date, start and end time in Europe/Amsterdam, and what it is about."""

    date = forms.DateField(label=_("datum"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("begintijd"),
        required=False,
        widget=TimeInput(attrs={"class": "meeting-start"}),
        help_text=_("Leeg bij een nieuwe bijeenkomst: dezelfde tijden als de bijeenkomst erboven."),
    )
    end_time = forms.TimeField(
        label=_("eindtijd"),
        required=False,
        widget=TimeInput(attrs={"class": "meeting-end"}),
        help_text=_("Leeg bij een nieuwe bijeenkomst: dezelfde tijden als de bijeenkomst erboven."),
    )
    repeat_weeks = forms.IntegerField(
        label=_("herhaal wekelijks (aantal weken)"),
        required=False,
        min_value=0,
        max_value=MAX_REPEAT_WEEKS,
        widget=forms.NumberInput(attrs={"class": "meeting-repeat"}),
        help_text=_(
            "Zoveel kopieën van deze bijeenkomst, elk een week later, komen erbij bij het opslaan."
        ),
    )

    class Meta:
        model = Meeting
        fields = ("topic", "topic_en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The model's own times too, for whoever compares a row with what it was.
            self.initial.setdefault("starts_at", self.instance.starts_at)
            self.initial.setdefault("ends_at", self.instance.ends_at)
            starts = timezone.localtime(self.instance.starts_at)
            ends = timezone.localtime(self.instance.ends_at)
            self.initial.setdefault("date", starts.date())
            self.initial.setdefault("start_time", starts.time().replace(second=0, microsecond=0))
            self.initial.setdefault("end_time", ends.time().replace(second=0, microsecond=0))

    @property
    def times_given(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return data.get("start_time") is not None and data.get("end_time") is not None

    @property
    def moved(self) -> bool:
        """New, or its date or times changed."""
        return self.instance.pk is None or bool(
            {"date", "start_time", "end_time"} & set(self.changed_data)
        )

    def clean(self):
        cleaned_data = super().clean()
        day = cleaned_data.get("date")
        start, end = cleaned_data.get("start_time"), cleaned_data.get("end_time")
        if self.instance.pk and not self.moved:
            # Unchanged: keeps its exact times (a meeting made elsewhere may have seconds).
            cleaned_data["starts_at"] = self.instance.starts_at
            cleaned_data["ends_at"] = self.instance.ends_at
            return cleaned_data
        if self.instance.pk and day and (start is None or end is None):
            # Only a new meeting takes the times of the one above it.
            for name in ("start_time", "end_time"):
                if cleaned_data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Vul een tijd in."))
            return cleaned_data
        if day and (start is None) != (end is None):
            missing = "start_time" if start is None else "end_time"
            self.add_error(missing, _("Vul beide tijden in, of laat ze allebei leeg."))
        elif day and start is not None and end is not None:
            self.set_times(day, start, end)
        return cleaned_data

    def set_times(self, day: date, start: time, end: time) -> None:
        if end <= start:
            self.add_error(
                "end_time",
                _("Een bijeenkomst eindigt na het begin: kies een latere eindtijd."),
            )
            return
        self.cleaned_data["start_time"], self.cleaned_data["end_time"] = start, end
        self.cleaned_data["starts_at"] = self.instance.starts_at = at(day, start)
        self.cleaned_data["ends_at"] = self.instance.ends_at = at(day, end)

    def repeats(self) -> list[tuple[datetime, datetime]]:
        """The weekly copies this row asks for, as (start, end)."""
        weeks = self.cleaned_data.get("repeat_weeks") or 0
        day = self.cleaned_data["date"]
        start, end = self.cleaned_data["start_time"], self.cleaned_data["end_time"]
        return [
            (at(day + timedelta(weeks=week), start), at(day + timedelta(weeks=week), end))
            for week in range(1, weeks + 1)
        ]

    def save(self, commit=True):
        meeting = super().save(commit=commit)
        if commit:
            self.save_repeats()
        return meeting

    def save_repeats(self) -> list[Meeting]:
        """Writes the weekly copies (inside the admin's save transaction)."""
        return Meeting.objects.bulk_create(
            Meeting(
                offering_id=self.instance.offering_id,
                starts_at=starts,
                ends_at=ends,
                topic=self.instance.topic,
                topic_en=self.instance.topic_en,
            )
            for starts, ends in self.repeats()
        )

    class Media:
        js = ("js/meetings.js",)


@dataclass
class Slot:
    """A meeting as the run will have it after saving: from a row, a row's copy, or unchanged."""

    starts_at: datetime
    ends_at: datetime
    form: MeetingForm | None = None
    new: bool = False


class ScheduleChecksFormSetMixin:
    """For the meetings' inline formset: fills in "zelfde tijden" and refuses runs that cannot be
    right. ``self.instance`` is the run with the values of its own form (the admin builds the
    formsets after the run's form)."""

    def clean(self):
        super().clean()
        rows = [
            form
            for form in self.forms
            if form.is_valid()
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]
        self._fill_same_times(rows)
        if any(form.errors for form in self.forms):
            return
        self._check_schedule(self._slots(rows))

    def _fill_same_times(self, rows: list[MeetingForm]) -> None:
        previous = None
        for form in rows:
            if form.times_given:
                previous = form
                continue
            if previous is None:
                form.add_error(
                    "start_time",
                    _("Vul de tijden in van de eerste bijeenkomst; de volgende nemen ze over."),
                )
                continue
            form.set_times(
                form.cleaned_data["date"],
                previous.cleaned_data["start_time"],
                previous.cleaned_data["end_time"],
            )
            if form.times_given:
                previous = form

    def _slots(self, rows: list[MeetingForm]) -> list[Slot]:
        slots = []
        in_rows = {form.instance.pk for form in self.forms if form.instance.pk}
        if self.instance.pk:
            slots += [
                Slot(meeting.starts_at, meeting.ends_at)
                for meeting in Meeting.objects.filter(offering=self.instance.pk).exclude(
                    pk__in=in_rows
                )
            ]
        for form in rows:
            slots.append(
                Slot(
                    form.cleaned_data["starts_at"],
                    form.cleaned_data["ends_at"],
                    form,
                    new=form.moved,
                )
            )
            slots += [Slot(starts, ends, form, new=True) for starts, ends in form.repeats()]
        return sorted(slots, key=lambda slot: slot.starts_at)

    def _refuse(self, slot: Slot, field: str, message) -> None:
        if slot.form is not None:
            slot.form.add_error(field, message)
        else:
            self._non_form_errors.append(message)

    def _check_schedule(self, slots: list[Slot]) -> None:
        offering: Offering = self.instance
        opening = offering.status == Offering.Status.OPEN and (
            offering.pk is None
            or not Offering.objects.filter(pk=offering.pk, status=Offering.Status.OPEN).exists()
        )
        errors = []
        if offering.status == Offering.Status.OPEN and not slots:
            errors.append(
                _(
                    "Een open uitvoering heeft ten minste één bijeenkomst. Voeg een bijeenkomst "
                    "toe, of laat de status op concept staan."
                )
            )
        for earlier, later in pairwise(slots):
            if later.starts_at < earlier.ends_at:
                target = later if later.form is not None else earlier
                self._refuse(
                    target,
                    "start_time",
                    _("Deze bijeenkomst overlapt met die van %(when)s.")
                    % {"when": shown(earlier.starts_at if target is later else later.starts_at)},
                )
        if offering.status == Offering.Status.OPEN:
            now = timezone.now()
            for slot in slots:
                if slot.starts_at < now and (slot.new or opening):
                    self._refuse(
                        slot,
                        "date",
                        _(
                            "Deze bijeenkomst (%(when)s) ligt in het verleden. Een open "
                            "uitvoering krijgt geen nieuwe bijeenkomsten in het verleden."
                        )
                        % {"when": shown(slot.starts_at)},
                    )
        if slots:
            first, last = slots[0].starts_at, max(slot.ends_at for slot in slots)
            if offering.enrolment_opens_at and offering.enrolment_opens_at >= first:
                errors.append(
                    _(
                        "De inschrijving gaat open (%(opens)s) nadat de eerste bijeenkomst "
                        "begint (%(first)s). Kies bij “inschrijving open vanaf” een eerder "
                        "moment."
                    )
                    % {"opens": shown(offering.enrolment_opens_at), "first": shown(first)}
                )
            if offering.enrolment_closes_at and offering.enrolment_closes_at > last:
                errors.append(
                    _(
                        "De inschrijving sluit (%(closes)s) na de laatste bijeenkomst "
                        "(%(last)s). Kies bij “inschrijving sluit op” een eerder moment."
                    )
                    % {"closes": shown(offering.enrolment_closes_at), "last": shown(last)}
                )
        self._non_form_errors.extend(errors)
