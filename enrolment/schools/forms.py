"""The teacher's forms: a request for an activity (school, groups, supervisors, dates,
transport) and new dates for one. Nothing here asks about a pupil: groups are counts.

The rules themselves live in ``requests`` (``check_*``); the forms call them to put each
message next to its field, in the user's language.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import SchoolActivity
from companies.accounts import phone
from technohub.widgets import DateInput

from ..models import School, SchoolGroup, SchoolRequest
from . import requests, rules

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
BLACKOUT_MAX_LENGTH = 1000
YEAR_CHOICES = [("", "—"), *((year, str(year)) for year in range(1, 9))]
YEAR_RANGE = {"po": (1, 8), "vmbo": (1, 4), "mbo": (1, 4), "havo_vwo": (1, 6)}
NO_PUPIL_NAMES = _("Noem geen namen van leerlingen.")


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"invalid": _("Typ een datum als 15-03-2027.")},
    )


def parse_dates(text: str) -> list[date]:
    """Dates from a list separated by commas, semicolons, spaces or lines, each as 15-03-2027,
    15/03/2027 or 2027-03-15. Raises ValidationError naming what is not a date."""
    dates = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        for pattern in DATE_INPUT_FORMATS:
            try:
                dates.append(datetime.strptime(part, pattern).date())
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("“%(text)s” is geen datum. Typ datums als 15-03-2027, gescheiden door komma's."),
                code="invalid_date",
                params={"text": part[:20]},
            )
    return sorted(set(dates))


class DatesForm(forms.Form):
    """When the class can come: up to three preferred dates or a window, and dates that cannot.
    Checked against the activity (the days its host receives groups) and today."""

    preferred_date_1 = _date_field(_("Voorkeursdatum 1"))
    preferred_date_2 = _date_field(_("Voorkeursdatum 2"))
    preferred_date_3 = _date_field(_("Voorkeursdatum 3"))
    window_from = _date_field(_("Of een periode: van"))
    window_to = _date_field(_("tot en met"))
    blackout_dates = forms.CharField(
        label=_("Datums die niet kunnen (optioneel)"),
        required=False,
        max_length=BLACKOUT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Bijvoorbeeld toetsweken of studiedagen: datums als 15-03-2027, gescheiden door "
            "komma's of op een eigen regel."
        ),
    )

    # Which field a message of ``requests.check_dates`` belongs to.
    DATE_FIELDS = {"preferred_dates": "preferred_date_1"}

    def __init__(self, *args, activity: SchoolActivity, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.today = today or timezone.localdate()
        first, last = requests.earliest_day(self.today), requests.latest_day(self.today)
        bounds = {"min": first.isoformat(), "max": last.isoformat()}
        for name in ("preferred_date_1", "preferred_date_2", "preferred_date_3"):
            self.fields[name].widget.attrs.update(bounds)
        for name in ("window_from", "window_to"):
            self.fields[name].widget.attrs.update(bounds)
        self.fields["preferred_date_1"].help_text = _(
            "Op %(days)s, vanaf %(first)s. Geef tot drie datums, of hieronder een periode."
        ) % {
            "days": requests.weekday_names(activity.weekdays),
            "first": requests._day(first),
        }

    def clean_blackout_dates(self) -> list[date]:
        dates = parse_dates(self.cleaned_data["blackout_dates"])
        if len(dates) > rules.MAX_BLACKOUT_DATES:
            raise ValidationError(
                _("Geef ten hoogste %(max)s datums die niet kunnen."),
                code="too_many",
                params={"max": rules.MAX_BLACKOUT_DATES},
            )
        return dates

    def dates(self) -> dict:
        """The cleaned dates as the services take them."""
        data = self.cleaned_data
        return {
            "preferred_dates": sorted(
                {
                    data[name]
                    for name in ("preferred_date_1", "preferred_date_2", "preferred_date_3")
                    if data.get(name)
                }
            ),
            "window_from": data.get("window_from"),
            "window_to": data.get("window_to"),
            "blackout_dates": data.get("blackout_dates") or [],
        }

    def clean(self):
        cleaned = super().clean()
        date_names = [*self.DATE_FIELDS.values(), "window_from", "window_to", "blackout_dates"]
        if any(name in self.errors for name in date_names):
            return cleaned
        typed = [
            cleaned[name]
            for name in ("preferred_date_1", "preferred_date_2", "preferred_date_3")
            if cleaned.get(name)
        ]
        if len(set(typed)) != len(typed):
            self.add_error("preferred_date_2", _("Geef elke voorkeursdatum één keer."))
            return cleaned
        try:
            requests.check_dates(activity=self.activity, today=self.today, **self.dates())
        except requests.RequestRefused as refused:
            self.add_error(self.DATE_FIELDS.get(refused.field, refused.field), refused.message)
        return cleaned


class GroupForm(forms.Form):
    """One class: its label (optional), level, year and number of pupils."""

    label = forms.CharField(
        label=_("Klas (optioneel)"),
        required=False,
        max_length=SchoolGroup._meta.get_field("label").max_length,
        help_text=_("Bijvoorbeeld 3B."),
    )
    level = forms.ChoiceField(label=_("Niveau"), choices=[("", "—"), *SchoolGroup.Level.choices])
    year = forms.TypedChoiceField(
        label=_("Groep of leerjaar"), choices=YEAR_CHOICES, coerce=int, empty_value=None
    )
    pupils = forms.IntegerField(
        label=_("Aantal leerlingen"),
        min_value=1,
        max_value=40,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        level, year = cleaned.get("level"), cleaned.get("year")
        if level in YEAR_RANGE and year is not None:
            low, high = YEAR_RANGE[level]
            if not low <= year <= high:
                self.add_error(
                    "year",
                    _(
                        "Kies een jaar dat bij het niveau past: groep 1–8, vmbo 1–4, "
                        "havo/vwo 1–6, mbo 1–4."
                    ),
                )
        return cleaned


class BaseGroupFormSet(forms.BaseFormSet):
    def groups(self) -> list[requests.Group]:
        return [
            (
                form.cleaned_data["level"],
                form.cleaned_data["year"],
                form.cleaned_data["pupils"],
                form.cleaned_data.get("label", "").strip(),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


GroupFormSet = forms.formset_factory(
    GroupForm,
    formset=BaseGroupFormSet,
    extra=requests.MAX_GROUPS - 1,
    min_num=1,
    max_num=requests.MAX_GROUPS,
    absolute_max=requests.MAX_GROUPS,
    validate_min=True,
    validate_max=True,
)


class SchoolRequestForm(DatesForm):
    """The whole request; its groups are the formset ``self.groups`` (prefix ``groups``)."""

    school_name = forms.CharField(
        label=_("Naam van de school"),
        max_length=School._meta.get_field("name").max_length,
    )
    brin = forms.CharField(
        label=_("BRIN-code"),
        max_length=10,
        help_text=_("2 cijfers en 2 letters, zoals 12AB; voor een vestiging met 2 cijfers erna."),
    )
    city = forms.CharField(
        label=_("Plaats"),
        max_length=School._meta.get_field("city").max_length,
        required=False,
    )
    supervisors = forms.IntegerField(
        label=_("Aantal begeleiders"),
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    accessibility = forms.CharField(
        label=_("Toegankelijkheid (optioneel)"),
        required=False,
        max_length=SchoolRequest._meta.get_field("accessibility").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transport = forms.ChoiceField(
        label=_("Vervoer"), choices=SchoolRequest.Transport.choices, widget=forms.RadioSelect
    )
    contact_phone = forms.CharField(
        label=_("Telefoon op de dag (optioneel)"),
        required=False,
        max_length=phone.MAX_TYPED_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    question = forms.CharField(
        label=_("Vraag of opmerking (optioneel)"),
        required=False,
        max_length=SchoolRequest._meta.get_field("question").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PUPIL_NAMES,
    )

    field_order = [
        "school_name",
        "brin",
        "city",
        "supervisors",
        "preferred_date_1",
        "preferred_date_2",
        "preferred_date_3",
        "window_from",
        "window_to",
        "blackout_dates",
        "transport",
        "accessibility",
        "contact_phone",
        "question",
    ]

    def __init__(self, *args, activity: SchoolActivity, **kwargs):
        super().__init__(*args, activity=activity, **kwargs)
        self.groups = GroupFormSet(self.data if self.is_bound else None, prefix="groups")
        self.fields["accessibility"].help_text = _(
            "Wat de groep nodig heeft, zoals een rolstoelroute of prikkelarme ruimte. "
            "Noem geen namen van leerlingen."
        )
        self.fields["supervisors"].help_text = _(
            "Eén begeleider per %(ratio)s leerlingen, naar boven afgerond."
        ) % {"ratio": activity.pupils_per_supervisor}
        if not activity.at_school:
            # The mobile hub only drives to the school for an activity that happens there.
            self.fields["transport"].choices = [
                choice
                for choice in SchoolRequest.Transport.choices
                if choice[0] != SchoolRequest.Transport.MOBILE_HUB
            ]
            self.fields["transport"].help_text = _(
                "De mobiele hub komt alleen naar school voor een gastles of de mobiele hub zelf."
            )

    def clean_brin(self) -> str:
        try:
            return requests.check_brin(self.cleaned_data["brin"])
        except requests.RequestRefused as refused:
            raise ValidationError(refused.message, code="invalid_brin") from None

    def clean_contact_phone(self) -> str:
        return phone.clean_typed(self.cleaned_data["contact_phone"])

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not self.groups.is_valid():
            return False
        try:
            pupils = requests.check_groups(activity=self.activity, groups=self.groups.groups())
        except requests.RequestRefused as refused:
            self.groups.non_form_errors().append(refused.message)
            return False
        if "supervisors" in self.cleaned_data:
            try:
                requests.check_supervisors(
                    activity=self.activity,
                    pupils=pupils,
                    supervisors=self.cleaned_data["supervisors"],
                )
            except requests.RequestRefused as refused:
                self.add_error("supervisors", refused.message)
                return False
        return valid

    def submission(self) -> dict:
        """The cleaned request as ``requests.submit`` takes it (without teacher and activity)."""
        data = self.cleaned_data
        return {
            "school_name": data["school_name"],
            "brin": data["brin"],
            "city": data["city"],
            "groups": self.groups.groups(),
            "supervisors": data["supervisors"],
            "transport": data["transport"],
            "accessibility": data["accessibility"],
            "contact_phone": data["contact_phone"],
            "question": data["question"],
            **self.dates(),
        }


class RescheduleForm(DatesForm):
    """New dates for a request, checked as for a new one."""


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom annuleren jullie?"),
        max_length=SchoolRequest._meta.get_field("cancel_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PUPIL_NAMES,
        error_messages={
            "required": _("Schrijf kort waarom, dan kan de hub er rekening mee houden.")
        },
    )
