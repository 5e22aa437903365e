"""The English catalogue: complete, compiled, placeholders intact, and used by the site.

Dutch is the source language (the msgids); ``locale/en/LC_MESSAGES/django.po`` holds English.
After changing strings run ``make messages`` (makemessages, then compilemessages) and translate
whatever is new; these tests fail until every entry is translated and the .mo is rebuilt.
"""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

from catalogue.models import Course, Offering
from enrolment.models import Enrolment

BASE_DIR = Path(__file__).resolve().parents[2]
CATALOGUE_DIR = BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

# %(name)s / %(name)d, bare %s / %d, and str.format's {name} (or {}). "%%" is a literal percent.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def load_po() -> polib.POFile:
    return polib.pofile(str(PO_FILE))


def describe(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def catalogue(entries) -> dict[tuple[str | None, str, str], str | tuple[str, ...]]:
    """(msgctxt, msgid, msgid_plural) -> msgstr, or all plural forms in order."""
    result = {}
    for entry in entries:
        if not entry.msgid:  # the header
            continue
        key = (entry.msgctxt or None, entry.msgid, entry.msgid_plural or "")
        if entry.msgid_plural:
            result[key] = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        else:
            result[key] = entry.msgstr
    return result


def test_english_catalogue_exists_and_is_not_empty():
    assert PO_FILE.is_file(), f"{PO_FILE} is missing: run `make messages`"
    assert len(load_po()) > 0


def test_every_entry_is_translated():
    po = load_po()
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {describe(entry)}")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != list(range(nplurals)) or not all(forms.values()):
                problems.append(f"plural form missing: {describe(entry)}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {describe(entry)}")
    assert not po.metadata_is_fuzzy, "the catalogue header is marked fuzzy"
    assert not problems, f"{len(problems)} entries need work:\n" + "\n".join(problems)


# The formal Dutch address ("u", "uw") as a word of its own; "uur", "17 u." (the hour) and
# "U-profiel" do not match.
FORMAL_ADDRESS = re.compile(r"(?<![\w.-])(?<!\d )[Uu]w?(?![\w-])")


def test_the_dutch_says_je_not_u():
    """The site speaks to people with "je", "jouw" and "jullie", never with "u" or "uw"."""
    formal = [
        f"{describe(entry)} ({', '.join(path for path, _ in entry.occurrences)})"
        for entry in load_po()
        if entry.msgid and FORMAL_ADDRESS.search(f"{entry.msgid} {entry.msgid_plural}")
    ]
    assert not formal, "say je/jouw/jullie in:\n" + "\n".join(formal)


def test_the_formal_address_check_finds_u_and_uw():
    assert FORMAL_ADDRESS.search("Dank u wel voor uw offerte.")
    assert FORMAL_ADDRESS.search("Uw offerte is verstuurd.")
    assert FORMAL_ADDRESS.search("We horen graag weer van u.")
    assert not FORMAL_ADDRESS.search("Drie uur, tot 17 u. Dank je wel voor jouw U-profiel.")


def test_compiled_catalogue_matches_the_po_file():
    assert MO_FILE.is_file(), f"{MO_FILE} is missing: run `manage.py compilemessages`"
    expected = catalogue(load_po().translated_entries())
    compiled = catalogue(polib.mofile(str(MO_FILE)))

    stale = sorted(
        repr(key[1])
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not stale, (
        "django.mo is out of date with django.po; run `manage.py compilemessages --locale en`. "
        f"Differing entries: {', '.join(stale[:20])}"
    )


def test_translations_keep_every_placeholder():
    problems = []
    for entry in load_po():
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            forms = [
                (placeholders(entry.msgid if n == 0 else entry.msgid_plural), text)
                for n, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            allowed = placeholders(entry.msgid)
            forms = [(allowed, entry.msgstr)]
        for required, text in forms:
            if not text:
                continue  # reported by test_every_entry_is_translated
            found = placeholders(text)
            if missing := required - found:
                problems.append(f"{describe(entry)} lacks {sorted(missing)}")
            if extra := found - allowed:
                problems.append(f"{describe(entry)} adds unknown {sorted(extra)}")
    assert not problems, "\n".join(problems)


def test_strings_from_code_and_templates_are_english_when_english_is_active():
    with translation.override("en"):
        assert translation.gettext("Eerstvolgende cursussen") == "Upcoming courses"
        assert translation.pgettext("main menu", "Home") == "Home"
        assert translation.gettext("Privacyverklaring") == "Privacy statement"
        assert (
            translation.ngettext("nog %(seats)s plek vrij", "nog %(seats)s plekken vrij", 3)
            % {"seats": 3}
            == "3 places left"
        )
        assert str(Offering._meta.verbose_name) == "run"
        assert str(Enrolment.Status.WAITLISTED.label) == "waiting list"
        assert str(Course._meta.get_field("funding_eligible").verbose_name) == (
            "eligible for funding"
        )

    with translation.override("nl"):
        assert str(Offering._meta.verbose_name) == "uitvoering"
        assert translation.gettext("Eerstvolgende cursussen") == "Eerstvolgende cursussen"


@pytest.mark.django_db
def test_home_page_heading_follows_the_url_language(client):
    dutch = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert '<h2 id="upcoming-title">Eerstvolgende cursussen</h2>' in dutch
    assert '<h2 id="upcoming-title">Upcoming courses</h2>' in english
    assert "Eerstvolgende cursussen" not in english
    assert "Skip to content" in english
    assert "Direct naar de inhoud" in dutch


@pytest.mark.django_db
def test_statement_pages_are_english_under_en(client):
    accessibility = client.get("/en/accessibility/").content.decode()
    privacy = client.get("/en/privacy/").content.decode()

    assert "<h1>Accessibility statement</h1>" in accessibility
    # A literal percent sign in a {% translate %} string survives as one sign.
    assert "zoom in to 200% without" in accessibility
    assert "200%%" not in accessibility
    assert "<h1>Privacy statement</h1>" in privacy
    assert "Dutch Data Protection Authority (Autoriteit Persoonsgegevens)" in privacy
    assert 'href="mailto:privacy@technohub-nop.nl">privacy@technohub-nop.nl</a>' in privacy


# The names under which makemessages finds strings: Django's functions and ``_``.
EXTRACTED_NAMES = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def test_translation_functions_keep_names_that_makemessages_finds():
    """A string marked as ``_lazy("…")`` is never extracted, so it stays Dutch in English."""
    problems = []
    for path in sorted(BASE_DIR.rglob("*.py")):
        relative = path.relative_to(BASE_DIR)
        if relative.parts[0] in {".venv", ".data", "tests", "bench"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if alias.name in EXTRACTED_NAMES and bound not in {alias.name, "_"}:
                        problems.append(f"{relative}:{node.lineno} {alias.name} as {bound}")
    assert not problems, problems


def test_enrolment_messages_are_in_the_catalogue():
    with translation.override("en"):
        from enrolment.views import RESULT_MESSAGES

        confirmed = str(RESULT_MESSAGES[Enrolment.Status.CONFIRMED])
    assert confirmed == "You're enrolled. You'll receive a confirmation by email."
