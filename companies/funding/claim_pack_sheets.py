"""The claim pack's spreadsheets: the summary (``overzicht.xlsx``), one enrolment's cost lines,
and the stub of a personal training plan (POP) for a fund that asks for one.

Written with ``technohub.spreadsheets``, which neutralises every text cell against formula
injection; in the active language. See ``companies.funding.claim_pack`` for the pack itself.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from technohub import spreadsheets
from technohub.spreadsheets import EUROS, Cell, Column

from ..models import Company

# The rows and the header are ``claim_pack.PackRow`` and ``claim_pack.PackHeader``; that module
# imports this one, so they are not named here (no import cycle, not even for type checking).
PackRow = Any
PackHeader = Any

SUMMARY_COLUMNS = [
    Column(gettext_lazy("Achternaam"), 22),
    Column(gettext_lazy("Voornaam"), 16),
    Column(gettext_lazy("Cursus"), 36),
    Column(gettext_lazy("Aanbieder"), 24),
    Column(gettext_lazy("Startdatum"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Einddatum"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Studie-uren"), 10, "0.0"),
    Column(gettext_lazy("Aanwezige uren"), 12, "0.00"),
    Column(gettext_lazy("Certificaatnummer"), 18),
    Column(gettext_lazy("Kosten excl. btw"), 14, EUROS),
    Column(gettext_lazy("Subsidiabele kosten"), 14, EUROS),
    Column(gettext_lazy("Percentage"), 10, "0.00"),
    Column(gettext_lazy("Geschatte bijdrage"), 14, EUROS),
    Column(gettext_lazy("Aanvragen uiterlijk"), 14, "yyyy-mm-dd"),
    Column(gettext_lazy("Status aanvraag"), 16),
    Column(gettext_lazy("Kenmerk aanvraag"), 18),
    Column(gettext_lazy("Inkoopordernummer"), 18),
    Column(gettext_lazy("Regeling"), 30),
    Column(gettext_lazy("Ontbreekt"), 40),
]


def summary_cells(row: PackRow) -> list[Cell]:
    """One line of ``overzicht.xlsx``, in the order of :data:`SUMMARY_COLUMNS`."""
    certificate = row.certificate
    return [
        row.last_name,
        row.first_name,
        row.course,
        row.provider,
        row.start,
        row.end,
        row.enrolment.offering.course.study_hours,
        row.hours_attended,
        certificate.number if certificate else "",
        row.price_excl_vat,
        row.base,
        row.scheme.percentage,
        row.estimate.amount,
        row.estimate.deadline,
        row.claim_status,
        row.claim.reference if row.claim else "",
        row.enrolment.po_number,
        row.scheme.localized("name"),
        "; ".join(row.missing),
    ]


def summary_xlsx(rows: Sequence[PackRow], *, header: PackHeader) -> bytes:
    """``overzicht.xlsx``: the header, a line per enrolment, the totals of costs and amounts."""
    totals: list[Cell] = [None] * len(SUMMARY_COLUMNS)
    totals[0] = _("Totaal")
    totals[9] = sum((row.price_excl_vat for row in rows), Decimal("0.00"))
    totals[10] = sum((row.base for row in rows), Decimal("0.00"))
    totals[12] = sum((row.estimate.amount for row in rows), Decimal("0.00"))
    return spreadsheets.to_xlsx(
        SUMMARY_COLUMNS,
        [summary_cells(row) for row in rows],
        sheet_title=_("Overzicht"),
        preamble=header.lines(),
        totals=totals,
    )


COST_COLUMNS = [
    Column(gettext_lazy("Kostensoort"), 28),
    Column(gettext_lazy("Bedrag excl. btw"), 16, EUROS),
    Column(gettext_lazy("Btw-tarief"), 10, "0.00"),
    Column(gettext_lazy("Btw"), 12, EUROS),
    Column(gettext_lazy("Subsidiabel bedrag"), 16, EUROS),
    Column(gettext_lazy("Toelichting"), 40),
]


def cost_lines(row: PackRow) -> list[list[Cell]]:
    """The seat's costs: the course fee excl. VAT, the VAT apart and what the scheme counts."""
    note = "" if row.scheme.vat_claimable else _("btw niet subsidiabel")
    return [
        [
            _("Cursusgeld: %(course)s") % {"course": row.course},
            row.price_excl_vat,
            row.enrolment.vat_rate,
            row.vat,
            row.base,
            note,
        ]
    ]


def cost_lines_xlsx(row: PackRow) -> bytes:
    """One enrolment's cost lines with who, what, the scheme and the booking's references."""
    preamble: list[list[Cell]] = [
        [_("Kosten")],
        [_("Deelnemer"), row.full_name],
        [_("Cursus"), row.course],
        [_("Periode"), row.start, row.end],
        [_("Regeling"), row.scheme.localized("name")],
        [_("Percentage"), row.scheme.percentage],
        [_("Geschatte bijdrage"), row.estimate.amount],
        [_("Inkoopordernummer"), row.enrolment.po_number],
        [_("Kostenplaats"), row.enrolment.cost_centre],
    ]
    return spreadsheets.to_xlsx(
        COST_COLUMNS, cost_lines(row), sheet_title=_("Kosten"), preamble=preamble
    )


def pop_xlsx(rows: Sequence[PackRow], *, company: Company) -> bytes:
    """A stub of one participant's personal training plan (POP) for HR and the employee to
    complete and sign: who, the planned courses at the hub, empty rows for goals and
    agreements, and the signatures."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("POP"))[:31]
    bold = Font(bold=True)

    def line(*cells: Cell, strong: bool = False) -> None:
        sheet.append([spreadsheets.neutralise(cell) for cell in cells])
        if strong:
            for cell in sheet[sheet.max_row]:
                cell.font = bold

    line(_("Persoonlijk ontwikkelplan (POP)"), strong=True)
    line(_("Opzet van Technohub NOP: vul het samen aan en onderteken het."))
    line()
    line(_("Medewerker"), rows[0].full_name)
    line(_("Werkgever"), company.name)
    line(_("Functie"), "")
    line(_("Opgesteld op"), "")
    line()
    line(_("Geplande opleidingen"), strong=True)
    line(
        _("Cursus"), _("Aanbieder"), _("Startdatum"), _("Einddatum"), _("Studie-uren"), strong=True
    )
    for row in rows:
        line(
            row.course, row.provider, row.start, row.end, row.enrolment.offering.course.study_hours
        )
        sheet.cell(sheet.max_row, 3).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, 4).number_format = "yyyy-mm-dd"
    line()
    line(_("Doelen: wat wil de medewerker leren, en waarom?"), strong=True)
    for number in range(1, 4):
        line(f"{number}.", "")
    line()
    line(_("Afspraken: tijd, begeleiding, toepassing in het werk"), strong=True)
    for number in range(1, 4):
        line(f"{number}.", "")
    line()
    line(_("Ondertekening"), strong=True)
    line("", _("Naam"), _("Datum"), _("Handtekening"), strong=True)
    line(_("Medewerker"), rows[0].full_name, "", "")
    line(_("Leidinggevende of HR"), "", "", "")
    for letter, width in zip("ABCDE", (40, 28, 14, 24, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
