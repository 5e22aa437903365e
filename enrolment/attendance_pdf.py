"""The attendance statement (*aanwezigheidsverklaring*) as a PDF, for a sector fund's claim.

Per meeting of one participant's run: the date, the times, present / absent / excused (or not
recorded yet) and the hours attended; under them the total hours attended of the hours
scheduled, as a percentage, with the hub as issuer and the date the statement was made. Drawn
with the certificate's fonts, colours and letterhead (``enrolment.certificates_pdf``), on A4
portrait, in the active language: the caller chooses it (the claim pack: HR's).

Plain values in, bytes out: nothing here reads the database, and nothing here should run inside
a transaction (rendering is slow).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .certificates_pdf import (
    FONT,
    HUB_COLOUR,
    HUB_NAME,
    MUTED_COLOUR,
    TEXT_COLOUR,
    letterhead,
    new_pdf,
)
from .models import Attendance

HOUR = Decimal(3600)


@dataclass(frozen=True)
class MeetingLine:
    """One meeting and how the participant attended it; ``state`` None: not recorded (yet)."""

    starts_at: datetime
    ends_at: datetime
    state: str | None
    hours: Decimal

    @property
    def scheduled_hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / HOUR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def state_label(self) -> str:
        if self.state is None:
            return _("niet geregistreerd")
        return str(Attendance.State(self.state).label)


@dataclass(frozen=True)
class AttendanceStatement:
    """What the statement says about one participant in one run."""

    participant: str
    company: str
    course: str
    provider: str
    meetings: list[MeetingLine]
    made_on: date

    @property
    def scheduled_hours(self) -> Decimal:
        return sum((line.scheduled_hours for line in self.meetings), Decimal("0.00"))

    @property
    def hours_attended(self) -> Decimal:
        return sum((line.hours for line in self.meetings), Decimal("0.00"))

    @property
    def percentage(self) -> Decimal | None:
        """The hours attended as a percentage of the hours scheduled, whole, half up."""
        if not self.scheduled_hours:
            return None
        return (self.hours_attended * 100 / self.scheduled_hours).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )


def _hours(value: Decimal) -> str:
    """``6,5`` or ``8`` (Dutch), ``6.5`` (English): up to two decimals, none when whole."""
    text = format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def render_attendance_pdf(statement: AttendanceStatement, *, compress: bool = True) -> bytes:
    """The statement as an A4 portrait PDF in the active language (one page for a run of up to
    about thirty meetings, more pages after that). ``compress=False`` keeps the text readable
    in the bytes, for tests."""
    title = _("Aanwezigheidsverklaring")
    pdf = new_pdf(orientation="portrait")
    pdf.set_compression(compress)
    pdf.set_title(f"{title} – {statement.participant}")
    pdf.set_subject(f"{statement.course} – {statement.participant}")
    pdf.set_author(HUB_NAME)
    pdf.set_creator(HUB_NAME)
    pdf.set_margins(left=20, top=18, right=20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    width = pdf.epw

    letterhead(pdf, subtitle=_("Leren en ontwikkelen in de Noordoostpolder"))
    pdf.ln(8)

    pdf.set_text_color(*HUB_COLOUR)
    pdf.set_font(FONT, "B", 20)
    pdf.cell(width, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    facts = [
        (_("Deelnemer"), statement.participant),
        (_("Werkgever"), statement.company),
        (_("Cursus"), statement.course),
        (_("Aanbieder"), statement.provider),
    ]
    pdf.set_text_color(*TEXT_COLOUR)
    for label, value in facts:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(35, 6, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(width - 35, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    # The meetings as a table.
    columns = (
        (_("Datum"), 45, "L"),
        (_("Tijd"), 35, "L"),
        (_("Aanwezigheid"), 50, "L"),
        (_("Uren"), width - 130, "R"),
    )
    pdf.set_font(FONT, "B", 10)
    pdf.set_fill_color(232, 240, 244)
    for label, column_width, align in columns:
        pdf.cell(column_width, 7, label, border="B", align=align, fill=True)
    pdf.ln()
    pdf.set_font(FONT, "", 10)
    for line in statement.meetings:
        starts_at = timezone.localtime(line.starts_at)
        ends_at = timezone.localtime(line.ends_at)
        cells = (
            formats.date_format(starts_at.date(), "D j F Y"),
            f"{starts_at:%H:%M}–{ends_at:%H:%M}",
            line.state_label,
            _("%(hours)s van %(scheduled)s")
            % {"hours": _hours(line.hours), "scheduled": _hours(line.scheduled_hours)},
        )
        for (_label, column_width, align), text in zip(columns, cells, strict=True):
            pdf.cell(column_width, 6.5, text, border="B", align=align)
        pdf.ln()
    if not statement.meetings:
        pdf.cell(width, 6.5, _("Deze uitvoering heeft geen bijeenkomsten."), new_x="LMARGIN")
        pdf.ln()

    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    total = _("Totaal aanwezig: %(hours)s van %(scheduled)s uur") % {
        "hours": _hours(statement.hours_attended),
        "scheduled": _hours(statement.scheduled_hours),
    }
    if statement.percentage is not None:
        total += f" ({statement.percentage} %)"
    pdf.multi_cell(width, 7, total, new_x="LMARGIN", new_y="NEXT")

    pdf.ln(8)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        width,
        6,
        _(
            "%(hub)s verklaart dat deze gegevens overeenkomen met de aanwezigheid die de "
            "docent per bijeenkomst heeft geregistreerd."
        )
        % {"hub": HUB_NAME},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_text_color(*MUTED_COLOUR)
    pdf.cell(
        width,
        6,
        _("Opgemaakt door %(hub)s op %(date)s")
        % {"hub": HUB_NAME, "date": formats.date_format(statement.made_on, "j F Y")},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
