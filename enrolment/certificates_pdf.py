"""The certificate of participation as a PDF, drawn with fpdf2 (pure Python, no system libraries).

Slow enough that it never runs inside a transaction: the ``generate_certificate_pdf`` task
calls it after the certificate has committed, and the download view calls it only when the
stored file is not there yet.

Fonts: fpdf2 ships no Unicode font and no installed package does either, and a system font
would make the PDF depend on the machine. So the PDF uses the PDF core fonts (Helvetica),
which every reader has built in, with the Windows-1252 character set. That covers Dutch and
the other Western European names (Zoë, Çelik, Łukasz not quite — see :func:`pdf_text`).
"""

import logging
import unicodedata
from datetime import date

from django.conf import settings
from django.db.models import Max, Min
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import Certificate

logger = logging.getLogger(__name__)

HUB_NAME = "Technohub NOP"
# The encoding of fpdf2's core fonts as written into the PDF (/WinAnsiEncoding).
CORE_FONT_ENCODING = "windows-1252"
HUB_COLOUR = (11, 79, 108)  # #0b4f6c, the site's and the mails' header colour
TEXT_COLOUR = (31, 41, 51)
MUTED_COLOUR = (82, 96, 109)


# Latin letters with a stroke have no decomposition to strip; their plain letter reads well.
_STROKED = str.maketrans("ŁłĐđĦħıĿŀŦŧ", "LlDdHhiLlTt")


def pdf_text(text: str) -> str:
    """``text`` reduced to what the core fonts can draw (Windows-1252).

    A character outside that set becomes its plain letter when there is an obvious one ("ş"
    becomes "s", "ő" becomes "o", "Ł" becomes "L"); whatever is left (other scripts) becomes
    "?". The PDF stays readable and rendering never fails on an unusual name.
    """
    result = []
    for char in unicodedata.normalize("NFC", text):
        if _encodable(char):
            result.append(char)
            continue
        char = char.translate(_STROKED)
        base = "".join(
            part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
        )
        result.append(base if base and _encodable(base) else "?")
    return "".join(result)


def _encodable(text: str) -> bool:
    try:
        text.encode(CORE_FONT_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def verification_url(certificate: Certificate) -> str:
    """The public page that confirms the certificate, as an absolute URL (active language)."""
    path = reverse("enrolment:verify_certificate", kwargs={"code": certificate.verification_code})
    return settings.SITE_URL + path


def period(certificate: Certificate) -> tuple[date | None, date | None]:
    """The offering's first and last meeting day (local dates); ``None`` if it has no meetings.

    Uses ``first_starts_at``/``last_ends_at`` when the selector annotated them, else asks.
    """
    if hasattr(certificate, "first_starts_at"):
        first, last = certificate.first_starts_at, certificate.last_ends_at
    else:
        dates = certificate.enrolment.offering.meetings.aggregate(
            first=Min("starts_at"), last=Max("ends_at")
        )
        first, last = dates["first"], dates["last"]
    return (
        timezone.localdate(first) if first else None,
        timezone.localdate(last) if last else None,
    )


def format_period(first: date | None, last: date | None) -> str:
    """``12 maart 2026`` or ``12 maart 2026 – 2 april 2026`` in the active language."""
    if first is None:
        return "–"
    start = formats.date_format(first, "j F Y")
    if last is None or last == first:
        return start
    return f"{start} – {formats.date_format(last, 'j F Y')}"


def filename(certificate: Certificate) -> str:
    """``certificaat-TH-2026-000123.pdf`` (the first word in the active language)."""
    return f"{_('certificaat')}-{certificate.number}.pdf"


def render_certificate_pdf(certificate: Certificate, *, compress: bool = True) -> bytes:
    """The certificate as a one-page A4 landscape PDF, in the learner's language.

    ``certificate`` should come from an enrolment selector (learner, course and provider
    loaded). ``compress=False`` leaves the page text readable in the bytes, for tests.
    """
    enrolment = certificate.enrolment
    learner = enrolment.learner
    course = enrolment.offering.course
    language = learner.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        first, last = period(certificate)
        title = _("Certificaat van deelname")
        facts = [
            (_("Aanbieder"), course.provider.name),
            (_("Datum") if first == last else _("Periode"), format_period(first, last)),
            (_("Studie-uren"), floatformat(course.study_hours, "-1")),
        ]
        lines = {
            "declares": _("%(hub)s verklaart dat") % {"hub": HUB_NAME},
            "took_part": _("heeft deelgenomen aan"),
            "number": _("Certificaatnummer"),
            "issued": _("Uitgegeven op %(date)s")
            % {"date": formats.date_format(timezone.localdate(certificate.issued_at), "j F Y")},
            "verify": _("Controleer de echtheid van dit certificaat op"),
            "tagline": _("Leren en ontwikkelen in de Noordoostpolder"),
        }
        url = verification_url(certificate)

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.core_fonts_encoding = CORE_FONT_ENCODING
    pdf.set_compression(compress)
    pdf.set_title(f"{title} {certificate.number}")
    pdf.set_subject(f"{course.localized('title')} – {learner.get_full_name()}")
    pdf.set_author(HUB_NAME)
    pdf.set_creator(HUB_NAME)
    pdf.set_lang(language)
    pdf.set_creation_date(certificate.issued_at)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(left=25, top=20, right=25)
    pdf.add_page()
    width = pdf.epw

    # A frame and the hub's name as a letterhead.
    pdf.set_draw_color(*HUB_COLOUR)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)
    pdf.set_y(22)
    pdf.set_text_color(*HUB_COLOUR)
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(width, 9, HUB_NAME, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*MUTED_COLOUR)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(width, 6, pdf_text(lines["tagline"]), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(10)
    pdf.set_text_color(*HUB_COLOUR)
    pdf.set_font("Helvetica", "B", 30)
    pdf.cell(width, 14, pdf_text(title), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(6)
    pdf.set_text_color(*TEXT_COLOUR)
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(width, 7, pdf_text(lines["declares"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 24)
    name = learner.get_full_name() or learner.email
    pdf.multi_cell(width, 12, pdf_text(name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(width, 7, pdf_text(lines["took_part"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(
        width, 9, pdf_text(course.localized("title")), align="C", new_x="LMARGIN", new_y="NEXT"
    )

    # The facts as a small two-column table, centred.
    pdf.ln(6)
    label_width, value_width = 45, 120
    left = pdf.l_margin + (width - label_width - value_width) / 2
    for label, value in facts:
        pdf.set_x(left)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(label_width, 7, pdf_text(label))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(value_width, 7, pdf_text(value), new_x="LMARGIN", new_y="NEXT")

    # Number, issue date and where to check it, at the foot of the page.
    pdf.set_y(pdf.h - 48)
    pdf.set_draw_color(*HUB_COLOUR)
    pdf.line(pdf.l_margin + 40, pdf.get_y(), pdf.w - pdf.r_margin - 40, pdf.get_y())
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(
        width,
        6,
        pdf_text(f"{lines['number']}: {certificate.number}   ·   {lines['issued']}"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*MUTED_COLOUR)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(width, 6, pdf_text(f"{lines['verify']}:"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*HUB_COLOUR)
    pdf.set_font("Helvetica", "U", 10)
    pdf.cell(width, 6, pdf_text(url), align="C", link=url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def read_certificate_pdf(certificate: Certificate) -> bytes:
    """The stored PDF; when it is not stored (yet), one rendered now and not stored.

    For the learner's download and the mail attachment, which must not wait for the task.
    """
    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as file:
                return file.read()
        except FileNotFoundError:
            logger.warning("The PDF of certificate %s is missing from storage", certificate.pk)
    return render_certificate_pdf(certificate)
