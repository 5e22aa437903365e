"""The certificate of participation as a PDF, drawn with fpdf2 (pure Python, no system libraries).

Slow enough that it never runs inside a transaction: the ``generate_certificate_pdf`` task
calls it after the certificate has committed, and the download view calls it only when the
stored file is not there yet.

Fonts: learners here write their names in many scripts (Łucja, Søren, Ayşe, İlkay, Дмитрий,
Γιώργος, محمد), so the PDF embeds FiraGO, a sans-serif that covers Latin with its diacritics,
Cyrillic, Greek, Arabic and Hebrew, with Noto Sans Symbols as fallback for signs. The fonts come
from the ``pymupdf-fonts`` package (SIL Open Font License), never from the machine, so every
server draws the same PDF. fpdf2 shapes the text with HarfBuzz (``uharfbuzz``): Arabic letters
join and right-to-left names read the right way. Characters none of the fonts has (most emoji,
Chinese) are left out of the drawing.
"""

import importlib
import logging
import os
import tempfile
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path

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
HUB_COLOUR = (11, 79, 108)  # #0b4f6c, the site's and the mails' header colour
TEXT_COLOUR = (31, 41, 51)
MUTED_COLOUR = (82, 96, 109)

FONT = "FiraGO"
# (family, style, module of pymupdf_fonts that holds the font file's bytes)
FONT_FILES = (
    (FONT, "", "FiraGO_Regular"),
    (FONT, "B", "FiraGO_Bold"),
    ("NotoSansSymbols2", "", "NotoSansSymbols2_Regular"),
    ("NotoSansSymbols", "", "NotoSansSymbols_Regular"),
)
FALLBACK_FONTS = ("NotoSansSymbols2", "NotoSansSymbols")


@cache
def font_paths() -> dict[tuple[str, str], Path]:
    """The font files as files (fpdf2 reads fonts from a path), unpacked once per process.

    ``pymupdf-fonts`` ships each font compressed inside a Python module. It is unpacked into a
    folder of its own under the system's temporary folder, named by the package's version,
    and written under a temporary name first, so that processes unpacking at the same time
    never read half a file.
    """
    folder = Path(tempfile.gettempdir()) / f"technohub-fonts-{metadata.version('pymupdf-fonts')}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for family, style, module in FONT_FILES:
        path = folder / f"{module}.ttf"
        if not path.exists():
            content = importlib.import_module(f"pymupdf_fonts.{module}").fontbuffer
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        paths[(family, style)] = path
    return paths


# OpenType layout tables: HarfBuzz shapes the text from the font files, and fpdf2 leaves these
# tables out of the fonts it embeds, but fontTools would read them in full while making each
# embedded subset: three quarters of a certificate's time.
_LAYOUT_TABLES = ("GDEF", "GPOS", "GSUB")


def new_pdf(*, orientation: str = "landscape") -> FPDF:
    """An A4 document (landscape: the certificate) with the hub's fonts and text shaping on.

    The attendance statement (``enrolment.attendance_pdf``) draws on it in portrait.
    """
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    for (family, style), path in font_paths().items():
        pdf.add_font(family, style, str(path))
    for font in pdf.fonts.values():
        for table in _LAYOUT_TABLES:
            if table in font.ttfont:
                del font.ttfont[table]
    pdf.set_fallback_fonts(list(FALLBACK_FONTS), exact_match=False)
    pdf.set_text_shaping(True)
    return pdf


def letterhead(pdf: FPDF, *, subtitle: str) -> None:
    """The top of the hub's portrait documents: its name and ``subtitle`` over a rule in its
    colour."""
    width = pdf.epw
    pdf.set_text_color(*HUB_COLOUR)
    pdf.set_font(FONT, "B", 16)
    pdf.cell(width, 8, HUB_NAME, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*MUTED_COLOUR)
    pdf.set_font(FONT, "", 9)
    pdf.cell(width, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*HUB_COLOUR)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)


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

    pdf = new_pdf()
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
    pdf.set_font(FONT, "B", 18)
    pdf.cell(width, 9, HUB_NAME, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*MUTED_COLOUR)
    pdf.set_font(FONT, "", 10)
    pdf.cell(width, 6, lines["tagline"], align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(10)
    pdf.set_text_color(*HUB_COLOUR)
    pdf.set_font(FONT, "B", 30)
    pdf.cell(width, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(6)
    pdf.set_text_color(*TEXT_COLOUR)
    pdf.set_font(FONT, "", 13)
    pdf.cell(width, 7, lines["declares"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 24)
    name = learner.get_full_name() or learner.email
    pdf.multi_cell(width, 12, name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 13)
    pdf.cell(width, 7, lines["took_part"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(width, 9, course.localized("title"), align="C", new_x="LMARGIN", new_y="NEXT")

    # The facts as a small two-column table, centred.
    pdf.ln(6)
    label_width, value_width = 45, 120
    left = pdf.l_margin + (width - label_width - value_width) / 2
    for label, value in facts:
        pdf.set_x(left)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(label_width, 7, label)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(value_width, 7, value, new_x="LMARGIN", new_y="NEXT")

    # Number, issue date and where to check it, at the foot of the page.
    pdf.set_y(pdf.h - 48)
    pdf.set_draw_color(*HUB_COLOUR)
    pdf.line(pdf.l_margin + 40, pdf.get_y(), pdf.w - pdf.r_margin - 40, pdf.get_y())
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    pdf.cell(
        width,
        6,
        f"{lines['number']}: {certificate.number}   ·   {lines['issued']}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*MUTED_COLOUR)
    pdf.set_font(FONT, "", 10)
    pdf.cell(width, 6, f"{lines['verify']}:", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*HUB_COLOUR)
    pdf.set_font(FONT, "U", 10)
    pdf.cell(width, 6, url, align="C", link=url, new_x="LMARGIN", new_y="NEXT")
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
