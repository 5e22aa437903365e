"""The period of the staff's reports (the funding report, the school visits' report for the
funder): two dates within the years the hub's records can hold, a file format, and the
downloads' content types."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .widgets import DateInput

# The hub's records start long after the first date and end long before the last date
# PostgreSQL and Python can hold; a report outside these years has nothing to show.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def out_of_range(day: date) -> str | None:
    """The error for a day outside the years a report can cover, or None."""
    if EARLIEST <= day <= LATEST:
        return None
    return _("Kies een datum tussen %(earliest)s en %(latest)s.") % {
        "earliest": EARLIEST.isoformat(),
        "latest": LATEST.isoformat(),
    }


class PeriodReportForm(forms.Form):
    """From, to and a format (on screen, XLSX, CSV). Shape only; ``start_help_text`` says which
    rows the period selects."""

    start_help_text = ""

    start = forms.DateField(label=_("Van"), widget=DateInput())
    end = forms.DateField(label=_("Tot en met"), widget=DateInput())
    format = forms.ChoiceField(
        label=_("Bestandsformaat"),
        choices=[
            ("screen", _("Op het scherm")),
            ("xlsx", _("Excel (.xlsx)")),
            ("csv", _("CSV (.csv)")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].help_text = self.start_help_text

    def clean(self):
        cleaned_data = super().clean()
        for name in ("start", "end"):
            day = cleaned_data.get(name)
            error = day and out_of_range(day)
            if error:
                self.add_error(name, error)
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and end < start:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return cleaned_data
