"""Full-text search over the catalogue on PostgreSQL.

Documents are weighted title (A) > summary (B) > description and learning outcomes (C) > themes
(D), in Dutch with the ``dutch`` configuration and in English with ``english``. Every word of a
query matches as a prefix, so ``las`` finds ``lassen`` and ``lasrobot``.
"""

import difflib
import re

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Concat

from .models import Course, Theme

WORD = re.compile(r"\w+", re.UNICODE)
SUGGESTION_CUTOFF = 0.75


def query_words(text: str) -> list[str]:
    """The words of a search box entry, lower-cased; punctuation and operators are dropped."""
    return [word.lower() for word in WORD.findall(text)][:8]


def build_query(text: str) -> SearchQuery | None:
    """A prefix query for every word, in Dutch or in English; None when nothing is searchable."""
    words = query_words(text)
    if not words:
        return None
    raw = " & ".join(f"{word}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config="dutch") | SearchQuery(
        raw, search_type="raw", config="english"
    )


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


def search_document() -> CombinedExpression:
    """The weighted tsvector of a course, for ``Course.objects.update(search_vector=...)``."""
    parts = [
        ("title", "title_en", "A"),
        ("summary", "summary_en", "B"),
        ("description", "description_en", "C"),
        ("learning_outcomes", "learning_outcomes_en", "C"),
    ]
    document = SearchVector(_theme_names(), config="dutch", weight="D")
    for dutch, english, weight in parts:
        document = (
            SearchVector(dutch, config="dutch", weight=weight)
            + SearchVector(english, config="english", weight=weight)
            + document
        )
    return document


def suggest(text: str, vocabulary: set[str]) -> str | None:
    """A "did you mean" for ``text`` from the catalogue's own words, or None."""
    words = query_words(text)
    suggested = []
    for word in words:
        if word in vocabulary:
            suggested.append(word)
            continue
        match = difflib.get_close_matches(word, vocabulary, n=1, cutoff=SUGGESTION_CUTOFF)
        suggested.append(match[0] if match else word)
    return " ".join(suggested) if suggested != words else None


def vocabulary() -> set[str]:
    """Every word of the published catalogue's titles, summaries and themes (one query)."""
    words: set[str] = set()
    rows = Course.objects.filter(is_published=True).values_list(
        "title", "title_en", "summary", "summary_en", "themes__name", "themes__name_en"
    )
    for row in rows:
        for text in row:
            words.update(word for word in query_words(text or "") if len(word) > 2)
    return words
