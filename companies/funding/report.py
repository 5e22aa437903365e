"""The funding report: what a sector fund asks when a company claims a training subsidy.

Per company and period, one row per enrolment the company pays for (confirmed, completed or
no-show) whose offering's first meeting falls in the period: participant, course, provider, dates,
study hours, attendance, certificate number, the amounts from the enrolment's price snapshot,
the company's fund (A+O Metalektro, OOM, ...) and the company's purchase order number and
cost centre for the booking. Read with one query; written as CSV or XLSX
by ``technohub.spreadsheets``, which neutralises every text cell against formula injection.

No BSN, anywhere: the hub never stores one (data minimisation, see the privacy page).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import IntegerField, OuterRef, Subquery
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
                    present=True,
                ).values("pk")
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


def headers() -> list[str]:
    """The column headers in the active language."""
    return spreadsheets.headers(COLUMNS)


def to_csv(rows: Iterable[FundingRow]) -> bytes:
    """The rows as CSV for a spreadsheet program in the active language (see
    ``technohub.spreadsheets.to_csv``)."""
    return spreadsheets.to_csv(COLUMNS, [row.cells() for row in rows])


def to_xlsx(rows: Iterable[FundingRow]) -> bytes:
    """The rows as an Excel workbook (see ``technohub.spreadsheets.to_xlsx``)."""
    return spreadsheets.to_xlsx(
        COLUMNS, [row.cells() for row in rows], sheet_title=_("Subsidieoverzicht")
    )


def filename(*, company: Company, start: date, end: date, extension: str) -> str:
    """``subsidie-<company-slug>-<from>-<to>.<extension>``, dates ISO."""
    return f"subsidie-{company.slug}-{start.isoformat()}-{end.isoformat()}.{extension}"
