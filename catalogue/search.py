"""Full-text search over the catalogue on PostgreSQL, forgiving about how people type.

How a search works (see also "Search" in ``docs/ARCHITECTURE.md``):

1. **Reading the query** (``read_query``). Words that name a filter (a hub's town, a sector, a
   level, a format, a day part or a month, Dutch or English: ``FILTER_WORDS``) are taken out and
   become that filter, shown as a removable chip; "lassen in Emmeloord" searches "lassen" at
   the hubs in Emmeloord. A word that is also a word of a course title stays a search word.
2. **Matching** (``build_query``). Every word left must match, as a prefix, in Dutch, English or
   unstemmed (``simple``). A code typed with ``/``, ``-``, ``.`` or ``+`` matches by its parts
   ("MIG/MAG" → ``mig`` and ``mag``) or joined ("migmag"); letters run into digits are also
   tried apart ("nen3140" → ``nen`` and ``3140``). A word of ``SYNONYMS`` also matches the other
   words of its group ("welding" finds "lassen").
3. **The document** (``search_document``) holds title (A) > summary (B) > description and
   learning outcomes (C) > themes (D), with codes split into their parts, stemmed in Dutch and
   in English, and once more unstemmed with codes both split and joined: the text and the query
   are normalised the same way.
4. **Nothing found** (``suggest``, ``closest_courses``): a "did you mean" from the catalogue's
   own words (difflib's edit similarity; PostgreSQL here has no ``pg_trgm``), and the courses
   whose words come closest.
"""

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Func, OuterRef, Subquery, TextField, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Concat

from .models import Course, Sector, Theme

# One typed word: letters and digits, maybe joined by / - . + into a code (MIG/MAG-lassen, S7-1200).
CHUNK = re.compile(r"[^\W_]+(?:[/.+\-][^\W_]+)*")
PART = re.compile(r"[^\W_]+")
# "nen3140": letters run into digits, tried apart too (at least two of each, so "s7" stays).
LETTERS_THEN_DIGITS = re.compile(r"^([^\W\d_]{2,})(\d{2,})$")
WORD = PART
MAX_WORDS = 8
SUGGESTION_CUTOFF = 0.75
CONFIGS = ("dutch", "english", "simple")

# Small words that never narrow a search; the ones before a filter word ("lassen in Emmeloord")
# go with it when its chip is removed.
CONNECTORS = frozenset({"in", "bij", "te", "op", "at", "near", "on", "around", "rond", "rondom"})
STOPWORDS = CONNECTORS | frozenset(
    {"de", "het", "een", "en", "of", "van", "voor", "met", "the", "a", "an", "and", "or", "for",
     "with", "cursus", "cursussen", "course", "courses", "training", "opleiding"}
)  # fmt: skip

# Themes in both languages: a word of a group also finds the other words of the group. Add a
# group (lower case; several words make a phrase that must all match) to teach search a term.
SYNONYMS = (
    ("lassen", "welding", "weld", "welder", "lasser", "laswerk"),
    ("hydrauliek", "hydraulics", "hydraulic", "hydraulisch", "hydraulica"),
    ("drones", "drone", "uav", "dronebewijs"),
    ("plc", "plcs", "automatisering", "automation", "besturing"),
    ("elektrotechniek", "elektrotechnisch", "elektrisch", "electrical", "electric", "elektro",
     "elektricien", "electrician", "nen 3140"),
    ("veiligheid", "veilig", "safety", "safe", "vca"),
    ("onderhoud", "maintenance", "maintaining", "servicing"),
    ("robot", "robots", "robotica", "robotics", "cobot"),
    ("cnc", "verspanen", "machining"),
    ("draaien", "turning"),
    ("frezen", "milling"),
    ("precisielandbouw", "precision farming"),
    ("trekker", "trekkers", "tractor", "tractors"),
    ("melkrobot", "milking robot"),
    ("kas", "kassen", "greenhouse", "glastuinbouw"),
    ("tekeninglezen", "tekening", "drawing", "drawings"),
    ("3d printen", "3d printing"),
    ("communicatie", "communiceren", "communication", "communicating"),
    ("leidinggevende", "leidinggeven", "supervisor", "leadership"),
    ("storingzoeken", "storingen", "troubleshooting", "faults"),
    ("digitale vaardigheden", "digital skills", "computer", "ict"),
    ("cyber", "cyberveilig", "cybersecurity", "phishing"),
    ("excel", "spreadsheet", "spreadsheets", "rekenblad"),
    ("akkerbouw", "arable"),
)  # fmt: skip

# Words that name a filter, by filter and value (lower case; a phrase of up to three words).
# A hub's town comes from the locations and needs no entry.
FILTER_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "sector": {
        Sector.METAL: ("metaal", "metal", "metaaltechniek", "metalektro", "metalworking"),
        Sector.AGRI: ("agro", "agri", "landbouw", "agrarisch", "agrarische", "agriculture",
                      "agricultural", "farm", "farms"),
    },
    "level": {
        Course.Level.INTRODUCTORY: ("kennismaking", "introductie", "introductory", "beginner",
                                    "beginners", "starter", "starters"),
        Course.Level.BASIC: ("basis", "basic"),
        Course.Level.ADVANCED: ("gevorderd", "gevorderden", "advanced"),
        Course.Level.SPECIALIST: ("specialist", "specialisten", "expert", "experts"),
    },
    "mode": {
        Course.Mode.ONLINE: ("online", "op afstand", "remote", "e-learning", "elearning"),
        Course.Mode.MOBILE: ("mobiele hub", "mobile hub", "mobiel", "mobile", "bij je bedrijf",
                             "at your company"),
        Course.Mode.ON_SITE: ("op locatie", "on site", "on-site", "onsite", "hub", "klassikaal",
                              "in person"),
        Course.Mode.BLENDED: ("blended", "hybride", "hybrid"),
    },
    "daypart": {
        "day": ("overdag", "dag", "daytime", "day", "dagcursus"),
        "evening": ("avond", "avonds", "s avonds", "'s avonds", "avondcursus", "evening",
                    "evenings", "night"),
    },
}  # fmt: skip
MONTH_WORDS = {
    1: ("januari", "january", "jan"),
    2: ("februari", "february", "feb"),
    3: ("maart", "march", "mrt"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("augustus", "august", "aug"),
    9: ("september", "sep", "sept"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nov"),
    12: ("december", "dec"),
}
MAX_PHRASE = 3
# The CatalogueFilters fields a word may set.
FILTER_NAMES = ("place", "sector", "level", "mode", "daypart", "month")


def _synonym_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in SYNONYMS:
        for word in group:
            index.setdefault(word, ())
            index[word] += tuple(other for other in group if other != word)
    return index


SYNONYM_INDEX = _synonym_index()


def query_words(text: str) -> list[str]:
    """The words of a search box entry, lower-cased; punctuation and operators are dropped."""
    return [word.lower() for word in WORD.findall(text)][:MAX_WORDS]


def chunks(text: str) -> list[str]:
    """The typed words of ``text``, codes kept whole ("MIG/MAG-lassen"), as typed."""
    return CHUNK.findall(text)[: MAX_WORDS * 2]


# --- Reading filters out of the query --------------------------------------------------------


@dataclass(frozen=True)
class ReadFilter:
    """A filter read from the query: which filter, its value, and the query without its words."""

    name: str
    value: str
    remove_q: str


@dataclass
class ReadQuery:
    """A query split into the words to search for and the filters its other words name."""

    text: str
    filters: list[ReadFilter] = field(default_factory=list)


def _month_value(month: int, now: datetime) -> str:
    """The next month of that name, this one included: "januari" in December is next year's."""
    year = now.year if month >= now.month else now.year + 1
    return f"{year}-{month:02d}"


def _filter_lookup(towns: dict[str, str], now: datetime) -> dict[str, tuple[str, str]]:
    """Every filter phrase (words joined by one space) with its filter and value."""
    lookup = {}
    for name, values in FILTER_WORDS.items():
        for value, phrases in values.items():
            for phrase in phrases:
                lookup[" ".join(query_words(phrase))] = (name, str(value))
    for month, names in MONTH_WORDS.items():
        for month_name in names:
            lookup[month_name] = ("month", _month_value(month, now))
    for town, value in towns.items():
        lookup[" ".join(query_words(town))] = ("place", value)
    return lookup


def read_query(
    text: str,
    *,
    towns: dict[str, str],
    now: datetime,
    title_words: Callable[[], set[str]],
    taken: Iterable[str] = (),
) -> ReadQuery:
    """Take the words that name a filter out of ``text``.

    ``towns`` maps a hub's town, as typed, to its place filter value. A filter named in
    ``taken`` is set by the visitor already: its words are dropped without a chip. A word that
    is also a word of a course title (``title_words``, called only when needed) is searched
    for. The first word naming a filter wins; a later one for the same filter is searched for.
    """
    words = [word for chunk in chunks(text) for word in PART.findall(chunk)]
    lowered = [word.lower() for word in words]
    lookup = _filter_lookup(towns, now)
    taken = set(taken)
    found: list[tuple[int, int, str, str]] = []  # (first word, past last word, filter, value)
    seen: set[str] = set()
    titles: set[str] | None = None
    position = 0
    while position < len(words):
        for size in range(MAX_PHRASE, 0, -1):
            phrase = " ".join(lowered[position : position + size])
            if size > len(words) - position or phrase not in lookup:
                continue
            name, value = lookup[phrase]
            if size == 1:
                titles = title_words() if titles is None else titles
                if phrase in titles:
                    continue
            end = position + size
            if name == "month" and end < len(words) and re.fullmatch(r"20\d\d", words[end]):
                value = f"{words[end]}-{value[5:]}"
                end += 1
            if name in taken or name in seen:
                if name in taken:
                    found.append((position, end, "", ""))
                    position = end - 1
                break
            seen.add(name)
            found.append((position, end, name, value))
            position = end - 1
            break
        position += 1

    spans = {}
    for start, end, name, value in found:
        span = set(range(start, end))
        if start > 0 and lowered[start - 1] in CONNECTORS:
            span.add(start - 1)
        spans[(start, name, value)] = span
    every = set().union(*spans.values()) if spans else set()
    filters = [
        ReadFilter(
            name=name,
            value=value,
            remove_q=_without_words(text, spans[(start, name, value)]),
        )
        for start, _end, name, value in found
        if name
    ]
    return ReadQuery(text=_without_words(text, every), filters=filters)


def _without_words(text: str, skipped: set[int]) -> str:
    """``text`` as typed (codes and all) without the words at the ``skipped`` positions."""
    kept = []
    index = 0
    for chunk in chunks(text):
        parts = PART.findall(chunk)
        positions = set(range(index, index + len(parts)))
        index += len(parts)
        if not positions & skipped:
            kept.append(chunk)
    return " ".join(kept)


# --- Matching ----------------------------------------------------------------------------------


def _alternatives(chunk: str) -> list[str]:
    """The raw tsquery forms a typed word may match: its parts, joined, letters from digits."""
    parts = [part.lower() for part in PART.findall(chunk)]
    if not parts:
        return []
    forms = [" & ".join(f"{part}:*" for part in parts)]
    joined = "".join(parts)
    if len(parts) > 1:
        forms.append(f"{joined}:*")
    apart = LETTERS_THEN_DIGITS.match(joined)
    if apart:
        forms.append(f"{apart[1]}:* & {apart[2]}:*")
    return forms


class WordsQuery(SearchQuery):
    """The tsquery of ``build_query``, written as one SQL expression.

    Every word: the OR of its forms, each parsed in every configuration; the words ANDed. One
    expression instead of a tree of SearchQuery objects, which Django took longer to compile
    than PostgreSQL took to answer.
    """

    def __init__(self, terms: list[list[str]]) -> None:
        self.terms = terms
        super().__init__("", search_type="raw")

    def as_sql(self, compiler, connection, **extra_context):
        words, params = [], []
        for forms in self.terms:
            alternatives = []
            for raw in forms:
                for config in CONFIGS:
                    alternatives.append(f"to_tsquery('{config}'::regconfig, %s)")
                    params.append(raw)
            words.append(f"({' || '.join(alternatives)})")
        return f"({' && '.join(words)})", params


def search_terms(text: str) -> list[list[str]]:
    """For every searched word of ``text``, the raw tsquery forms that may match it."""
    terms = []
    for chunk in chunks(text):
        key = " ".join(query_words(chunk))
        if key in STOPWORDS:
            continue
        forms = _alternatives(chunk)
        for synonym in SYNONYM_INDEX.get(key, ()):
            forms.append(
                " & ".join(f"({' | '.join(_alternatives(word))})" for word in synonym.split())
            )
        if forms:
            terms.append(forms)
    return terms[:MAX_WORDS]


def title_score(text: str, titles: list[str]) -> float:
    """How well the searched words of ``text`` name a course with these titles: 1 when every
    word starts a title word, 1 more when the words run together occur in a title
    ("vol vca" in "VOL-VCA")."""
    searched = [
        word
        for chunk in chunks(text)
        if " ".join(query_words(chunk)) not in STOPWORDS
        for word in query_words(chunk)
    ]
    if not searched:
        return 0.0
    title_words = {word for title in titles for word in query_words(title or "")}
    score = sum(
        any(title_word.startswith(word) for title_word in title_words) for word in searched
    ) / len(searched)
    joined = "".join(searched)
    if len(joined) > 3 and any(joined in "".join(query_words(title or "")) for title in titles):
        score += 1
    return score


def build_query(text: str) -> SearchQuery | None:
    """Every searched word must match in one of its forms; None when nothing is searchable."""
    terms = search_terms(text)
    return WordsQuery(terms) if terms else None


# --- The indexed document ----------------------------------------------------------------------


def _theme_names() -> Coalesce:
    """The Dutch and English names of a course's themes, as one text."""
    names = (
        Theme.objects.filter(courses=OuterRef("pk"))
        .order_by()
        .values("courses")
        .annotate(
            names=StringAgg(
                Concat("name", Value(" "), "name_en", output_field=TextField()), delimiter=" "
            )
        )
        .values("names")
    )
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def _codes_apart(expression) -> Func:
    """Every run of letters and digits on its own: "MIG/MAG-lassen" → "MIG MAG lassen"."""
    return Func(
        expression,
        Value("[^[:alnum:]]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _codes_joined(expression) -> Func:
    """Codes without their inner punctuation: "MIG/MAG-lassen" → "MIGMAGlassen"."""
    return Func(
        expression,
        Value("(?<=[[:alnum:]])[/.+-](?=[[:alnum:]])"),
        Value(""),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def search_document() -> CombinedExpression:
    """The weighted tsvector of a course, for ``Course.objects.update(search_vector=...)``."""
    parts = [
        ("title", "title_en", "A"),
        ("summary", "summary_en", "B"),
        ("description", "description_en", "C"),
        ("learning_outcomes", "learning_outcomes_en", "C"),
    ]
    themes = _theme_names()
    document = SearchVector(_codes_apart(themes), config="dutch", weight="D") + SearchVector(
        _codes_apart(themes), config="simple", weight="D"
    )
    for dutch, english, weight in parts:
        both = Concat(dutch, Value(" "), english, output_field=TextField())
        document = (
            SearchVector(_codes_apart(dutch), config="dutch", weight=weight)
            + SearchVector(_codes_apart(english), config="english", weight=weight)
            + SearchVector(_codes_apart(both), config="simple", weight=weight)
            + SearchVector(_codes_joined(both), config="simple", weight=weight)
            + document
        )
    return document


# --- When nothing is found --------------------------------------------------------------------


def suggest(text: str, vocabulary: set[str], *, keep: Iterable[str] = ()) -> str | None:
    """A "did you mean" for ``text`` from the catalogue's own words, or None.

    Words in ``keep`` (those read as filters) stay as they are.
    """
    words = query_words(text)
    keep = {word.lower() for word in keep}
    suggested = []
    for word in words:
        if word in vocabulary or word in keep or word in STOPWORDS:
            suggested.append(word)
            continue
        match = difflib.get_close_matches(word, vocabulary, n=1, cutoff=SUGGESTION_CUTOFF)
        suggested.append(match[0] if match else word)
    return " ".join(suggested) if suggested != words else None


@dataclass
class CourseWords:
    """The words of one course's titles, and of its summaries and themes."""

    title: set[str] = field(default_factory=set)
    other: set[str] = field(default_factory=set)


def course_words() -> dict[int, CourseWords]:
    """The words of every published course (one query)."""
    words: dict[int, CourseWords] = {}
    rows = Course.objects.filter(is_published=True).values_list(
        "pk", "title", "title_en", "summary", "summary_en", "themes__name", "themes__name_en"
    )
    for pk, title, title_en, *others in rows:
        entry = words.setdefault(pk, CourseWords())
        entry.title.update(query_words(f"{title} {title_en}"))
        for text in others:
            entry.other.update(word for word in query_words(text or "") if len(word) > 2)
    return words


def vocabulary(words: dict[int, CourseWords]) -> set[str]:
    """Every word of the published catalogue's titles, summaries and themes."""
    found: set[str] = set()
    for entry in words.values():
        found |= {word for word in entry.title if len(word) > 2} | entry.other
    return found


def _likeness(word: str, candidates: set[str]) -> float:
    """How close ``word`` comes to its nearest candidate: 1 for a prefix, else edit similarity."""
    best = 0.0
    matcher = difflib.SequenceMatcher(b=word)
    for candidate in candidates:
        if len(word) > 2 and candidate.startswith(word):
            return 1.0
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


def closest_courses(text: str, words: dict[int, CourseWords], *, limit: int) -> list[int]:
    """The ids of the ``limit`` courses whose words come closest to those of ``text``."""
    searched = [word for word in query_words(text) if word not in STOPWORDS]
    if not searched:
        return []
    scores = {
        pk: sum(
            max(_likeness(word, entry.title), 0.8 * _likeness(word, entry.other))
            for word in searched
        )
        for pk, entry in words.items()
    }
    return sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
