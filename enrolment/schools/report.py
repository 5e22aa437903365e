"""The hub's report on school visits for its funder (*verantwoording*): counts only.

Per period, the confirmed visits whose day falls in it: how many schools, groups and pupils
(pupils per target group, ``rules.target_group``), visits per activity, per host company and
per school, the days the mobile hub was out, the cancellations and declines of the period,
and the averages of the teachers' evaluations. No teacher is named, no pupil exists here:
school and company names are the only names. Shown on screen and written as CSV or XLSX by
``technohub.spreadsheets`` (three columns: part, what, number).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import SchoolActivity, SchoolTargetGroup
from technohub import audit, spreadsheets
from technohub.spreadsheets import Cell, Column

from ..models import SchoolEvaluation, SchoolGroup, SchoolRequest, SchoolVisit
from . import rules

COLUMNS = [
    Column(gettext_lazy("Onderdeel"), 28),
    Column(gettext_lazy("Omschrijving"), 44),
    Column(gettext_lazy("Aantal"), 12),
]
TENTH = Decimal("0.1")
AUDIT_ACTION = "school_report.downloaded"


@dataclass
class Line:
    """One counted thing: its name and number (an average has one decimal)."""

    label: str
    value: int | Decimal


@dataclass
class Part:
    """A part of the report: a heading and its lines."""

    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class SchoolReport:
    start: date
    end: date
    parts: list[Part]

    def rows(self) -> list[list[Cell]]:
        return [[part.title, line.label, line.value] for part in self.parts for line in part.lines]

    def preamble(self) -> list[list[Cell]]:
        return [
            [_("Schoolbezoeken: verantwoording"), "Technohub NOP"],
            [_("Periode"), f"{self.start.isoformat()} – {self.end.isoformat()}"],
            [_("Gemaakt op"), timezone.localdate().isoformat()],
        ]


def _average(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def get_report(*, start: date, end: date) -> SchoolReport:
    """The report of the visits from ``start`` through ``end``, in the active language. Reads
    with a handful of queries, whatever the number of visits."""
    visits = list(
        SchoolVisit.objects.filter(
            status=SchoolVisit.Status.CONFIRMED,
            date__gte=start,
            date__lte=end,
            request__status__in=[SchoolRequest.Status.CONFIRMED, SchoolRequest.Status.DONE],
        )
        .select_related("activity__host", "request__school")
        .order_by("date", "pk")
    )
    request_ids = [visit.request_id for visit in visits]
    groups = list(
        SchoolGroup.objects.filter(request_id__in=request_ids).values_list(
            "level", "year", "pupils"
        )
    )
    pupils_by_group: Counter = Counter()
    for level, year, pupils in groups:
        pupils_by_group[rules.target_group(level, year) or ""] += pupils

    per_activity: Counter = Counter()
    per_host: Counter = Counter()
    per_school: Counter = Counter()
    mobile_days: set[date] = set()
    schools: set[int] = set()
    for visit in visits:
        per_activity[visit.activity.localized("title")] += 1
        per_host[visit.activity.host.name if visit.activity.host else _("de hub zelf")] += 1
        per_school[visit.request.school.name] += 1
        schools.add(visit.request.school_id)
        if visit.activity.kind == SchoolActivity.Kind.MOBILE_HUB:
            mobile_days.add(visit.date)

    cancelled = dict(
        SchoolRequest.objects.filter(
            status=SchoolRequest.Status.CANCELLED,
            cancelled_at__gte=_moment(start),
            cancelled_at__lt=_moment(end + timedelta(days=1)),
        )
        .values_list("cancelled_by")
        .annotate(count=Count("pk"))
        .values_list("cancelled_by", "count")
    )
    declined = SchoolVisit.objects.filter(
        status=SchoolVisit.Status.DECLINED, date__gte=start, date__lte=end
    ).count()
    evaluations = SchoolEvaluation.objects.filter(request_id__in=request_ids).aggregate(
        count=Count("pk"), engagement=Avg("engagement"), fit=Avg("fit")
    )

    totals = Part(
        _("Totaal"),
        [
            Line(_("Scholen"), len(schools)),
            Line(_("Groepen"), len(groups)),
            Line(_("Leerlingen"), sum(visit.pupils for visit in visits)),
            Line(_("Bezoeken"), len(visits)),
            Line(_("Dagen van de mobiele hub"), len(mobile_days)),
        ],
    )
    target_groups = Part(
        _("Leerlingen per doelgroep"),
        [Line(str(label), pupils_by_group[value]) for value, label in SchoolTargetGroup.choices],
    )
    if pupils_by_group[""]:
        target_groups.lines.append(Line(_("overige groepen"), pupils_by_group[""]))
    cancellations = Part(
        _("Annuleringen"),
        [
            Line(
                _("geannuleerd door %(party)s") % {"party": label},
                cancelled.get(value, 0),
            )
            for value, label in SchoolRequest.Party.choices
        ]
        + [Line(_("geweigerd door het gastbedrijf"), declined)],
    )
    evaluation = Part(
        _("Evaluaties"),
        [
            Line(_("Ingevuld"), evaluations["count"]),
            Line(_("Gemiddeld: enthousiasme (1–5)"), _average(evaluations["engagement"])),
            Line(_("Gemiddeld: aansluiting bij de lessen (1–5)"), _average(evaluations["fit"])),
        ],
    )
    return SchoolReport(
        start=start,
        end=end,
        parts=[
            totals,
            target_groups,
            _counted(_("Bezoeken per activiteit"), per_activity),
            _counted(_("Bezoeken per gastbedrijf"), per_host),
            _counted(_("Bezoeken per school"), per_school),
            cancellations,
            evaluation,
        ],
    )


def _counted(title: str, counter: Counter) -> Part:
    return Part(title, [Line(label, counter[label]) for label in sorted(counter, key=str.casefold)])


def to_csv(report: SchoolReport) -> bytes:
    """The report as CSV for a spreadsheet program in the active language."""
    return spreadsheets.to_csv(COLUMNS, report.rows(), preamble=report.preamble())


def to_xlsx(report: SchoolReport) -> bytes:
    """The report as an Excel workbook."""
    return spreadsheets.to_xlsx(
        COLUMNS, report.rows(), sheet_title=_("Verantwoording"), preamble=report.preamble()
    )


def filename(*, start: date, end: date, extension: str) -> str:
    """``schoolbezoeken-<from>-<to>.<extension>``, dates ISO."""
    return f"schoolbezoeken-{start.isoformat()}-{end.isoformat()}.{extension}"


def record_download(*, actor, start: date, end: date, file_format: str) -> None:
    """Write the audit row of a download: who, which period, which format (no names)."""
    with transaction.atomic(durable=True):
        audit.record(
            action=AUDIT_ACTION,
            target=actor,
            actor=actor,
            start=start.isoformat(),
            end=end.isoformat(),
            format=file_format,
        )
