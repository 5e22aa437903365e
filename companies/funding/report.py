"""The funding report: what a sector fund asks when a company claims a training subsidy.

Per company and period, one row per enrolment the company pays for (confirmed, completed, not
completed or no-show) whose offering's first meeting falls in the period: participant, course,
provider, dates, study hours, attendance, the hours attended (the sum of the hours recorded
present, see ``enrolment.services.record_attendance``), certificate number, the amounts from the
enrolment's price snapshot, the company's fund (A+O Metalektro, OOM, ...) and the company's
purchase order number and cost centre for the booking. Above the rows a header (company, KvK
number, fund, period, date made), under them the totals (hours attended, amounts excl. VAT, VAT and
incl. VAT). Read with one query; shown on screen or written as CSV or XLSX by
``technohub.spreadsheets``, which neutralises every text cell against formula injection.

No BSN, anywhere: the hub never stores one (data minimisation, see the privacy page).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Meeting
from companies.names import dutch_name_order
from companies.portal.selectors import BILLABLE
from enrolment.models import Attendance, Enrolment
from technohub import spreadsheets
from technohub.spreadsheets import EUROS, Cell, Column

from ..models import Company

CENT = Decimal("0.01")

COLUMNS = [
    Column(gettext_lazy("Achternaam"), 22),
    Column(gettext_lazy("Voornaam"), 16),
    Column(gettext_lazy("Cursus"), 36),
    Column(gettext_lazy("Aanbieder"), 24),
    Column(gettext_lazy("Startdatum"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Einddatum"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("Studie-uren"), 10, "0.0"),
    Column(gettext_lazy("Aanwezigheid"), 16),
    Column(gettext_lazy("Aanwezige uren"), 12, "0.00"),
    Column(gettext_lazy("Status"), 16),
    Column(gettext_lazy("Certificaatnummer"), 18),
    Column(gettext_lazy("Prijs excl. btw"), 14, EUROS),
    Column(gettext_lazy("Btw-tarief"), 10, "0.00"),
    Column(gettext_lazy("Btw"), 12, EUROS),
    Column(gettext_lazy("Prijs incl. btw"), 14, EUROS),
    Column(gettext_lazy("Sectorfonds"), 18),
    Column(gettext_lazy("Inkoopordernummer"), 18),
    Column(gettext_lazy("Kostenplaats"), 16),
]


class _Count(Subquery):
    """``(SELECT count(*) FROM (<subquery>))``: a per-row count without GROUP BY or joins."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


@dataclass
class FundingRow:
    """One line of the report, with typed values (dates, Decimals) for the writers."""

    last_name: str
    first_name: str
    course: str
    provider: str
    start: date | None
    end: date | None
    study_hours: Decimal
    meetings: int
    present: int
    hours_attended: Decimal
    status: str
    certificate_number: str
    price_excl_vat: Decimal
    vat_rate: Decimal
    vat: Decimal
    price_incl_vat: Decimal
    fund: str
    po_number: str = ""
    cost_centre: str = ""

    @property
    def attendance(self) -> str:
        """``3/4 (75 %)``, the percentage rounded half up; empty for a run without meetings."""
        if not self.meetings:
            return ""
        percent = (Decimal(self.present * 100) / self.meetings).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )
        return _("%(present)s/%(total)s (%(percent)s %%)") % {
            "present": self.present,
            "total": self.meetings,
            "percent": percent,
        }

    def cells(self) -> list[Cell]:
        """The row in the order of ``COLUMNS``."""
        return [
            self.last_name,
            self.first_name,
            self.course,
            self.provider,
            self.start,
            self.end,
            self.study_hours,
            self.attendance,
            self.hours_attended,
            self.status,
            self.certificate_number,
            self.price_excl_vat,
            self.vat_rate,
            self.vat,
            self.price_incl_vat,
            self.fund,
            self.po_number,
            self.cost_centre,
        ]


def vat_amount(price_excl_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """VAT on a price, rounded half up to cents, as ``Course.vat_amount`` does."""
    return (price_excl_vat * vat_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def list_funding_rows(*, company: Company, start: date, end: date) -> list[FundingRow]:
    """The report's rows for ``company``: billable enrolments whose offering's first meeting falls
    on ``start`` .. ``end`` (both included, local dates), by start date and name.

    Names of courses and the fund are in the active language. One query, however many rows.
    """
    meetings = Meeting.objects.filter(offering=OuterRef("offering_id"))
    enrolments = (
        Enrolment.objects.filter(company=company, status__in=BILLABLE)
        .select_related("learner", "offering__course__provider", "certificate")
        .annotate(
            first_starts_at=Subquery(meetings.order_by("starts_at").values("starts_at")[:1]),
            last_ends_at=Subquery(meetings.order_by("-ends_at").values("ends_at")[:1]),
            meeting_count=_Count(meetings.values("pk")),
            present_count=_Count(
                Attendance.objects.filter(
                    enrolment=OuterRef("pk"),
                    meeting__offering=OuterRef("offering_id"),
                    state=Attendance.State.PRESENT,
                ).values("pk")
            ),
            hours_attended=Coalesce(
                Subquery(
                    Attendance.objects.filter(
                        enrolment=OuterRef("pk"),
                        meeting__offering=OuterRef("offering_id"),
                        state=Attendance.State.PRESENT,
                    )
                    .values("enrolment")
                    .annotate(total=Sum("hours"))
                    .values("total")
                ),
                Decimal(0),
                output_field=DecimalField(max_digits=9, decimal_places=2),
            ),
        )
        .filter(
            first_starts_at__gte=_local_day_start(start),
            first_starts_at__lt=_local_day_start(end + timedelta(days=1)),
        )
        .order_by("first_starts_at", *dutch_name_order("learner"))
    )
    fund = company.get_sector_fund_display()
    rows = []
    for enrolment in enrolments:
        learner = enrolment.learner
        course = enrolment.offering.course
        certificate = getattr(enrolment, "certificate", None)
        price = enrolment.price_excl_vat
        vat = vat_amount(price, enrolment.vat_rate)
        rows.append(
            FundingRow(
                # An erased participant still counts for the claim, without a name.
                last_name=str(learner) if learner.erased_at else learner.last_name,
                first_name=learner.first_name,
                course=course.localized("title"),
                provider=course.provider.name,
                start=timezone.localdate(enrolment.first_starts_at),
                end=(
                    timezone.localdate(enrolment.last_ends_at) if enrolment.last_ends_at else None
                ),
                study_hours=course.study_hours,
                meetings=enrolment.meeting_count,
                present=enrolment.present_count,
                hours_attended=enrolment.hours_attended,
                status=enrolment.get_status_display(),
                certificate_number=certificate.number if certificate else "",
                price_excl_vat=price,
                vat_rate=enrolment.vat_rate,
                vat=vat,
                price_incl_vat=price + vat,
                fund=fund,
                po_number=enrolment.po_number,
                cost_centre=enrolment.cost_centre,
            )
        )
    return rows


@dataclass(frozen=True)
class FundingHeader:
    """What the report is about: whose, which fund, which period, made when."""

    company: str
    kvk_number: str
    fund: str
    start: date
    end: date
    made_on: date

    def lines(self) -> list[list[Cell]]:
        """The header as label/value lines above the table of a file."""
        return [
            [_("Subsidieoverzicht")],
            [_("Bedrijf"), self.company],
            [_("KvK-nummer"), self.kvk_number],
            [_("Sectorfonds"), self.fund],
            [_("Periode"), self.start, self.end],
            [_("Gemaakt op"), self.made_on],
        ]


@dataclass(frozen=True)
class FundingTotals:
    """The sums under the rows: hours attended and the amounts."""

    participants: int
    hours_attended: Decimal
    price_excl_vat: Decimal
    vat: Decimal
    price_incl_vat: Decimal

    def cells(self) -> list[Cell]:
        """The totals in the order of ``COLUMNS``, under the columns they add up."""
        cells: list[Cell] = [None] * len(COLUMNS)
        cells[0] = _("Totaal")
        cells[COLUMN_INDEX["hours_attended"]] = self.hours_attended
        cells[COLUMN_INDEX["price_excl_vat"]] = self.price_excl_vat
        cells[COLUMN_INDEX["vat"]] = self.vat
        cells[COLUMN_INDEX["price_incl_vat"]] = self.price_incl_vat
        return cells


# Where the totals go: the positions of these values in ``FundingRow.cells``.
COLUMN_INDEX = {"hours_attended": 8, "price_excl_vat": 11, "vat": 13, "price_incl_vat": 14}


def get_header(*, company: Company, start: date, end: date, today: date | None = None):
    """The report's header for ``company`` and the period, made ``today`` (default: now)."""
    return FundingHeader(
        company=company.name,
        kvk_number=company.kvk_number,
        fund=company.get_sector_fund_display(),
        start=start,
        end=end,
        made_on=today or timezone.localdate(),
    )


def get_totals(rows: Iterable[FundingRow]) -> FundingTotals:
    """The sums of ``rows``: the amounts add the rows' (rounded) amounts, so the totals equal
    what the lines above them say."""
    rows = list(rows)
    return FundingTotals(
        participants=len(rows),
        hours_attended=sum((row.hours_attended for row in rows), Decimal("0.00")),
        price_excl_vat=sum((row.price_excl_vat for row in rows), Decimal("0.00")),
        vat=sum((row.vat for row in rows), Decimal("0.00")),
        price_incl_vat=sum((row.price_incl_vat for row in rows), Decimal("0.00")),
    )


def headers() -> list[str]:
    """The column headers in the active language."""
    return spreadsheets.headers(COLUMNS)


def to_csv(rows: Iterable[FundingRow], *, header: FundingHeader | None = None) -> bytes:
    """The report as CSV for a spreadsheet program in the active language (see
    ``technohub.spreadsheets.to_csv``): the header's lines, the rows, the totals."""
    rows = list(rows)
    return spreadsheets.to_csv(
        COLUMNS,
        [row.cells() for row in rows],
        preamble=header.lines() if header else (),
        totals=get_totals(rows).cells(),
    )


def to_xlsx(rows: Iterable[FundingRow], *, header: FundingHeader | None = None) -> bytes:
    """The report as an Excel workbook (see ``technohub.spreadsheets.to_xlsx``): the header's
    lines, the rows, the totals in bold."""
    rows = list(rows)
    return spreadsheets.to_xlsx(
        COLUMNS,
        [row.cells() for row in rows],
        sheet_title=_("Subsidieoverzicht"),
        preamble=header.lines() if header else (),
        totals=get_totals(rows).cells(),
    )


def filename(*, company: Company, start: date, end: date, extension: str) -> str:
    """``subsidie-<company-slug>-<from>-<to>.<extension>``, dates ISO."""
    return f"subsidie-{company.slug}-{start.isoformat()}-{end.isoformat()}.{extension}"
