"""The company's enrolments as a spreadsheet for HR: CSV and XLSX.

Both formats come from the same rows (:func:`export_rows`), read with one query. Writing them,
and neutralising every text cell against formula injection on the way, is
``technohub.spreadsheets``' job, shared with the programme manager's participant lists.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment import pricing
from technohub import spreadsheets
from technohub.spreadsheets import EUROS, Cell, Column, neutralise

from ..models import Company, User
from . import selectors

__all__ = [
    "COLUMNS",
    "about",
    "export_rows",
    "filename",
    "headers",
    "neutralise",
    "to_csv",
    "to_xlsx",
]

# Column headers and, for the XLSX, each column's width (in characters) and number format.
COLUMNS = [
    Column(gettext_lazy("Achternaam"), 22),
    Column(gettext_lazy("Voornaam"), 16),
    Column(gettext_lazy("E-mailadres"), 30),
    Column(gettext_lazy("Cursus"), 36),
    Column(gettext_lazy("Locatie"), 24),
    Column(gettext_lazy("Startdatum"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Einddatum"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Status"), 16),
    Column(gettext_lazy("Plaats op wachtlijst"), 10, "0"),
    Column(gettext_lazy("Prijs excl. btw"), 14, EUROS),
    Column(gettext_lazy("Btw-tarief"), 10, "0.00"),
    Column(gettext_lazy("Btw"), 12, EUROS),
    Column(gettext_lazy("Prijs incl. btw"), 14, EUROS),
    Column(gettext_lazy("Studie-uren"), 10, "0.0"),
    Column(gettext_lazy("Subsidiabel"), 11),
    Column(gettext_lazy("Geboekt op"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Inkoopordernummer"), 18),
    Column(gettext_lazy("Kostenplaats"), 16),
]


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def export_rows(*, company: Company) -> list[list[Cell]]:
    """One row per enrolment the company pays for and HR may see, in the order of the dashboard.

    Of people who no longer work there only what the company paid for is listed, without an
    address (their account's address is theirs now, perhaps a private one). Values keep their
    types (dates, Decimals, ints) so each format can write them properly; course and location
    names are in the active language, text is not yet neutralised. One query.
    """
    rows = []
    for enrolment in selectors.company_enrolments(company=company):
        learner = enrolment.learner
        course = enrolment.offering.course
        cost = pricing.enrolment_cost(enrolment)
        rows.append(
            [
                learner.last_name,
                learner.first_name,
                learner.email if enrolment.is_member else "",
                course.localized("title"),
                enrolment.offering.location.localized("name"),
                _local_date(enrolment.first_starts_at),
                _local_date(enrolment.last_ends_at),
                enrolment.get_status_display(),
                enrolment.waitlist_position,
                cost.excl_vat,
                enrolment.vat_rate,
                cost.vat,
                cost.incl_vat,
                course.study_hours,
                _("ja") if course.funding_eligible else _("nee"),
                timezone.localdate(enrolment.created_at),
                enrolment.po_number,
                enrolment.cost_centre,
            ]
        )
    return rows


def headers() -> list[str]:
    """The column headers in the active language."""
    return spreadsheets.headers(COLUMNS)


def to_csv(rows: Iterable[list[Cell]]) -> bytes:
    """The rows as CSV for a spreadsheet program in the active language (see
    ``technohub.spreadsheets.to_csv``)."""
    return spreadsheets.to_csv(COLUMNS, rows)


def about(*, company: Company, made_by: User, now: datetime | None = None) -> list[str]:
    """What an export holds, who made it and when, and how to treat it, in the active language.

    The XLSX carries these lines on a sheet of their own; the CSV keeps its columns clean for
    other programs, so the portal says the same next to the download links.
    """
    now = timezone.localtime(now or timezone.now())
    return [
        _("Inschrijvingen betaald door %(company)s") % {"company": company.name},
        _("Gemaakt op %(date)s om %(time)s door %(person)s.")
        % {
            "date": formats.date_format(now, "j F Y"),
            "time": formats.time_format(now, "H:i"),
            "person": made_by,
        },
        _(
            "Bevat persoonsgegevens van medewerkers: naam, e-mailadres, cursussen en kosten. "
            "Bewaar het bestand niet langer dan nodig en deel het alleen met wie het nodig heeft."
        ),
        _(
            "Van mensen die niet meer bij het bedrijf horen, staan alleen de inschrijvingen die "
            "het bedrijf betaalde of nog betaalt, zonder e-mailadres."
        ),
        _("Technohub NOP bewaart geen kopie van dit bestand."),
    ]


def to_xlsx(rows: Iterable[list[Cell]], *, about_lines: list[str] | None = None) -> bytes:
    """The rows as an Excel workbook: real numbers and dates, bold frozen header row, and a
    sheet "Over dit bestand" with ``about_lines`` when given."""
    return spreadsheets.to_xlsx(
        COLUMNS,
        rows,
        sheet_title=_("Inschrijvingen"),
        about=(_("Over dit bestand"), about_lines) if about_lines else None,
    )


def filename(*, company: Company, extension: str, today: date | None = None) -> str:
    """``inschrijvingen-<company-slug>-<YYYY-MM-DD>.<extension>``."""
    today = today or timezone.localdate()
    return f"inschrijvingen-{company.slug}-{today.isoformat()}.{extension}"
