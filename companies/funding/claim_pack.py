"""The claim pack (*claimpakket*): everything HR uploads to a sector fund's web form, as one ZIP.

The hub prepares; it never submits (neither A+O Metalektro nor OOM has an API or an import
format). Per employee or per company and period, for the enrolments the company may claim for —
confirmed or completed enrolments it pays for, in a run that one of its fund's schemes covers
(``companies.funding.rules.estimate``) — the pack holds:

- per participant a folder ``Achternaam-Voornaam/`` with, per run, the *bewijs van deelname*
  (the certificate's PDF; a run not completed yet has none, and the summary and the read-me say
  so), an attendance statement PDF (``enrolment.attendance_pdf``) and the cost lines excl. VAT
  (XLSX: price, VAT rate and VAT apart, "btw niet subsidiabel" where the scheme does not cover
  VAT, the purchase order number and cost centre);
- for a scheme that asks for a POP (OOM) a stub of the personal training plan per participant,
  to complete and sign;
- ``overzicht.xlsx``, one row per enrolment in the order the funds' forms ask, under a header
  (company, KvK number, fund, scheme, period, date made);
- ``LEESMIJ.txt``: what is in the pack and what is missing.

The spreadsheets are written by ``claim_pack_sheets``. Texts and file names are in the active
language (the HR user's). The data is read with a fixed number of queries however many
participants (:func:`list_pack_rows`); the PDFs are CPU only.
Only the company's own enrolments, never a BSN (the hub has none).
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Meeting
from companies.names import dutch_name_order
from enrolment.attendance_pdf import AttendanceStatement, MeetingLine, render_attendance_pdf
from enrolment.certificates_pdf import read_certificate_pdf
from enrolment.models import Enrolment
from technohub import audit
from technohub.spreadsheets import Cell

from ..models import Company, FundingClaim, FundingScheme, User
from . import claim_selectors, rules
from .claim_pack_sheets import cost_lines_xlsx, pop_xlsx, summary_xlsx
from .report import vat_amount

# The enrolments a company may claim for: the seat is booked (confirmed) or the run is done and
# the participant completed it. Not completed and no-show earn no proof of participation.

AUDIT_ACTION = "funding.claim_pack_downloaded"


@dataclass
class PackRow:
    """One enrolment in the pack, with its estimate and its meetings as attended."""

    enrolment: Enrolment
    estimate: rules.Estimate
    start: date
    end: date
    meetings: list[MeetingLine]
    claim: FundingClaim | None

    @property
    def learner(self) -> User:
        return self.enrolment.learner

    @property
    def last_name(self) -> str:
        # An erased participant still counts for the claim, without a name.
        learner = self.learner
        return str(learner) if learner.erased_at else learner.last_name

    @property
    def first_name(self) -> str:
        return "" if self.learner.erased_at else self.learner.first_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def course(self) -> str:
        return self.enrolment.offering.course.localized("title")

    @property
    def provider(self) -> str:
        return self.enrolment.offering.course.provider.name

    @property
    def scheme(self) -> FundingScheme:
        return self.estimate.scheme

    @property
    def certificate(self):
        return getattr(self.enrolment, "certificate", None)

    @property
    def hours_attended(self) -> Decimal:
        return sum((line.hours for line in self.meetings), Decimal("0.00"))

    @property
    def price_excl_vat(self) -> Decimal:
        return self.enrolment.price_excl_vat

    @property
    def vat(self) -> Decimal:
        return vat_amount(self.enrolment.price_excl_vat, self.enrolment.vat_rate)

    @property
    def base(self) -> Decimal:
        """What the scheme counts of the seat's price (VAT only when the scheme covers it)."""
        return rules.claimable_base(
            self.scheme,
            price_excl_vat=self.enrolment.price_excl_vat,
            vat_rate=self.enrolment.vat_rate,
        )

    @property
    def claim_status(self) -> str:
        if self.claim is None:
            return str(FundingClaim.Status.NOT_APPLIED.label)
        return self.claim.get_status_display()

    @property
    def missing(self) -> list[str]:
        """What the pack lacks for this enrolment, in the active language."""
        if self.certificate is not None:
            return []
        if self.enrolment.status == Enrolment.Status.CONFIRMED:
            return [_("bewijs van deelname: volgt als de uitvoering is afgerond")]
        return [_("bewijs van deelname: nog niet uitgegeven")]


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _claimable_enrolments(company: Company):
    return (
        Enrolment.objects.filter(company=company, status__in=rules.CLAIMABLE_STATUSES)
        .annotate(
            first_starts_at=claim_selectors.first_starts_at(),
            last_ends_at=claim_selectors.last_ends_at(),
        )
        .filter(first_starts_at__isnull=False)
        .select_related("learner", "offering__course__provider", "certificate", "funding_claim")
        .prefetch_related("offering__course__themes")
        .order_by(*dutch_name_order("learner"), "first_starts_at", "pk")
    )


def list_pack_rows(
    *,
    company: Company,
    learner: User | None = None,
    start: date | None = None,
    end: date | None = None,
    scheme: FundingScheme | None = None,
    with_meetings: bool = True,
) -> list[PackRow]:
    """The company's claimable enrolments, by participant (Dutch order) and start.

    ``learner`` narrows to one employee; ``start``/``end`` (local dates, both included) to runs
    whose first meeting falls in them; ``scheme`` to the runs that scheme covers. A claim
    already recorded keeps its scheme. ``with_meetings=False`` leaves out the meetings and
    attendance (for choosing people). A fixed number of queries.
    """
    schemes = rules.schemes_for(company)
    if scheme is not None:
        schemes = [candidate for candidate in schemes if candidate.pk == scheme.pk]
    if not schemes:
        return []
    by_pk = {candidate.pk: candidate for candidate in schemes}
    enrolments = _claimable_enrolments(company)
    if learner is not None:
        enrolments = enrolments.filter(learner=learner)
    if start is not None:
        enrolments = enrolments.filter(first_starts_at__gte=_local_day_start(start))
    if end is not None:
        enrolments = enrolments.filter(
            first_starts_at__lt=_local_day_start(end + timedelta(days=1))
        )
    if with_meetings:
        enrolments = enrolments.prefetch_related(
            Prefetch("offering__meetings", queryset=Meeting.objects.order_by("starts_at")),
            "attendance",
        )
    rows = []
    for enrolment in enrolments:
        claim = getattr(enrolment, "funding_claim", None)
        candidates = schemes
        if claim is not None:
            if claim.scheme_id not in by_pk:
                continue
            candidates = [by_pk[claim.scheme_id]]
        found = rules.estimate_for_enrolment(candidates, enrolment)
        if found is None:
            continue
        rows.append(
            PackRow(
                enrolment=enrolment,
                estimate=found,
                start=timezone.localdate(enrolment.first_starts_at),
                end=timezone.localdate(enrolment.last_ends_at),
                meetings=_meeting_lines(enrolment) if with_meetings else [],
                claim=claim,
            )
        )
    return rows


def _meeting_lines(enrolment: Enrolment) -> list[MeetingLine]:
    attended = {record.meeting_id: record for record in enrolment.attendance.all()}
    lines = []
    for meeting in enrolment.offering.meetings.all():
        record = attended.get(meeting.pk)
        lines.append(
            MeetingLine(
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                state=record.state if record else None,
                hours=record.hours if record else Decimal("0"),
            )
        )
    return lines


def list_claimable_people(*, company: Company) -> list[User]:
    """The company's people with at least one claimable enrolment, in Dutch order."""
    people: dict[int, User] = {}
    for row in list_pack_rows(company=company, with_meetings=False):
        people.setdefault(row.learner.pk, row.learner)
    return list(people.values())


# --- What the pack is about ------------------------------------------------------------------


@dataclass(frozen=True)
class PackHeader:
    """Whose pack, which fund and schemes, which period or employee, made when."""

    company: Company
    schemes: list[str]
    start: date
    end: date
    made_on: date
    employee: str = ""
    fund: str = ""

    def lines(self) -> list[list[Cell]]:
        lines: list[list[Cell]] = [
            [_("Claimpakket")],
            [_("Bedrijf"), self.company.name],
            [_("KvK-nummer"), self.company.kvk_number],
            [_("Sectorfonds"), self.fund],
            [_("Regeling"), "; ".join(self.schemes)],
        ]
        if self.employee:
            lines.append([_("Medewerker"), self.employee])
        lines += [[_("Periode"), self.start, self.end], [_("Gemaakt op"), self.made_on]]
        return lines


def get_header(
    *,
    company: Company,
    rows: Sequence[PackRow],
    start: date | None = None,
    end: date | None = None,
    employee: User | None = None,
    today: date | None = None,
) -> PackHeader:
    """The pack's header; without a period, the first and last day of the rows' runs."""
    schemes: list[str] = []
    for row in rows:
        name = row.scheme.localized("name")
        if name not in schemes:
            schemes.append(name)
    return PackHeader(
        company=company,
        schemes=schemes,
        start=start or min(row.start for row in rows),
        end=end or max(row.end for row in rows),
        made_on=today or timezone.localdate(),
        employee=rows[0].full_name if employee is not None and rows else "",
        fund=company.get_sector_fund_display(),
    )


# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "\u0131": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss"}
    | {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"}
)


def ascii_name(text: str, *, limit: int = 60, fallback: str = "x") -> str:
    """``text`` as a safe ASCII file or folder name: accents folded, anything else a hyphen;
    ``fallback`` when nothing is left (a name in Arabic or Cyrillic script)."""
    folded = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    folded = folded.encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")[:limit].strip("-")
    return name or fallback


def _folders(rows: Sequence[PackRow]) -> dict[int, str]:
    """``Achternaam-Voornaam`` per participant; a second person of that name gets ``-2``."""
    folders: dict[int, str] = {}
    taken: set[str] = set()
    for row in rows:
        if row.learner.pk in folders:
            continue
        base = "" if row.learner.erased_at else ascii_name(row.last_name, fallback="")
        if base and row.first_name:
            base = ascii_name(f"{row.last_name}-{row.first_name}")
        base = base or ascii_name(_("deelnemer") + f"-{row.learner.pk}")
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name.lower())
        folders[row.learner.pk] = name
    return folders


def build(*, company: Company, rows: Sequence[PackRow], header: PackHeader) -> bytes:
    """The ZIP of ``rows`` (from :func:`list_pack_rows`, at least one) in the active language.

    Reads stored certificate PDFs (or renders the missing ones) and renders the attendance
    statements: slow, so never inside a transaction. No queries.
    """
    folders = _folders(rows)
    # The first word of each file's name, in the reader's language (ASCII, no spaces).
    words = {
        "certificate": _("bewijs-van-deelname"),
        "attendance": _("aanwezigheid"),
        "costs": _("kosten"),
        "pop": _("pop"),
    }
    contents: list[tuple[str, str]] = []
    pop_rows: dict[int, list[PackRow]] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, data: bytes, description: str) -> None:
            archive.writestr(path, data)
            contents.append((path, description))

        add(
            _("overzicht") + ".xlsx",
            summary_xlsx(rows, header=header),
            _("een regel per inschrijving, in de volgorde van het aanvraagformulier"),
        )
        for row in rows:
            folder = folders[row.learner.pk]
            course = ascii_name(row.course, limit=40, fallback="")
            tag = f"{course or row.enrolment.offering.course.slug[:40]}-{row.start.isoformat()}"
            certificate = row.certificate
            if certificate is not None:
                # The run's dates are already known: the certificate need not ask for them.
                certificate.first_starts_at = row.enrolment.first_starts_at
                certificate.last_ends_at = row.enrolment.last_ends_at
                add(
                    f"{folder}/{words['certificate']}-{tag}.pdf",
                    read_certificate_pdf(certificate),
                    _("bewijs van deelname (certificaat %(number)s)")
                    % {"number": certificate.number},
                )
            add(
                f"{folder}/{words['attendance']}-{tag}.pdf",
                render_attendance_pdf(_statement(row, company=company, today=header.made_on)),
                _("aanwezigheidsverklaring per bijeenkomst"),
            )
            add(
                f"{folder}/{words['costs']}-{tag}.xlsx",
                cost_lines_xlsx(row),
                _("kosten excl. btw, btw apart, inkoopordernummer en kostenplaats"),
            )
            if FundingScheme.Proof.POP in row.scheme.proof_required:
                pop_rows.setdefault(row.learner.pk, []).append(row)
        for learner_pk, person_rows in pop_rows.items():
            folder = folders[learner_pk]
            add(
                f"{folder}/{words['pop']}-{folder}.xlsx",
                pop_xlsx(person_rows, company=company),
                _("opzet van het persoonlijk ontwikkelplan (POP): aanvullen en ondertekenen"),
            )
        readme = render_to_string(
            "funding/claim_pack_readme.txt",
            {
                "header": header,
                "rows": rows,
                "contents": contents,
                "schemes": _schemes(rows),
                "missing": [(row, row.missing) for row in rows if row.missing],
            },
        )
        archive.writestr(_("LEESMIJ") + ".txt", readme.encode("utf-8"))
    return buffer.getvalue()


@dataclass(frozen=True)
class _SchemeNote:
    name: str
    url: str
    asks_invoice: bool
    asks_pop: bool
    before_start: bool


def _schemes(rows: Sequence[PackRow]) -> list[_SchemeNote]:
    notes: dict[int, _SchemeNote] = {}
    for row in rows:
        scheme = row.scheme
        notes.setdefault(
            scheme.pk,
            _SchemeNote(
                name=scheme.localized("name"),
                url=scheme.url,
                asks_invoice=FundingScheme.Proof.INVOICE in scheme.proof_required,
                asks_pop=FundingScheme.Proof.POP in scheme.proof_required,
                before_start=row.estimate.applies_before_start,
            ),
        )
    return list(notes.values())


def _statement(row: PackRow, *, company: Company, today: date) -> AttendanceStatement:
    return AttendanceStatement(
        participant=row.full_name,
        company=company.name,
        course=row.course,
        provider=row.provider,
        meetings=row.meetings,
        made_on=today,
    )


def filename(
    *,
    company: Company,
    start: date | None = None,
    end: date | None = None,
    employee: User | None = None,
) -> str:
    """``claimpakket-<company>-<from>-<to>.zip``, or ``claimpakket-<company>-<name>.zip`` for one
    employee; ASCII only."""
    prefix = _("claimpakket") + f"-{ascii_name(company.slug)}"
    if employee is not None:
        name = f"{employee.last_name}-{employee.first_name}"
        if employee.erased_at:
            name = str(employee)
        return f"{prefix}-{ascii_name(name).lower()}.zip"
    return f"{prefix}-{start.isoformat()}-{end.isoformat()}.zip"


def record_download(*, company: Company, actor: User, rows: Sequence[PackRow]) -> None:
    """Audit that ``actor`` downloaded a claim pack of ``company``: how many enrolments and
    participants, no names."""
    with transaction.atomic(durable=True):
        audit.record(
            action=AUDIT_ACTION,
            target=company,
            actor=actor,
            enrolments=len(rows),
            participants=len({row.learner.pk for row in rows}),
        )
