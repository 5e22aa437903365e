"""Names in Dutch order, on any PostgreSQL (no ICU collation needed).

Every list of people sorts on ``User.name_sort_key``: a plain-ASCII key the user model keeps
whenever a name is saved (``User.save``), stored with the ``C`` collation and indexed, so the
database sorts it byte by byte, the same on every server. The key is built as a Dutch list
(a phone book, a class list) files names:

- by surname first, then first name;
- a surname's *tussenvoegsels* ("van der", "de", "ten", …) do not count: "van der Berg" is
  filed under B, next to "Berg", and only breaks a tie after the first name;
- case and accents do not count: "Öztürk" files with O (before "Yilmaz", however
  spelled), "Çelik" with C, "Ødegaard" with O; letters without a decomposition are
  spelled out (ø → o, ß → ss, æ → ae, dotless i → i, ł → l);
- IJ counts as the two letters I and J ("IJsselstein" files between "Huisman" and "Jansen");
- spaces, hyphens and apostrophes do not count ("Ten Have-Smit" files as "havesmit").

Someone without a name (an invited account that never filled one in) files by e-mail address.
"""

import re
import unicodedata

# Dutch surname prefixes (tussenvoegsels) and the common foreign ones in Dutch rosters.
SURNAME_PREFIXES = frozenset(
    {
        "van",
        "von",
        "de",
        "der",
        "den",
        "des",
        "du",
        "di",
        "da",
        "del",
        "het",
        "'t",
        "t",
        "ten",
        "ter",
        "te",
        "op",
        "in",
        "aan",
        "bij",
        "uit",
        "la",
        "le",
        "l'",
        "d'",
        "'s",
    }
)

# Letters that Unicode does not decompose into a base letter and an accent.
_SPELLED_OUT = str.maketrans(
    {
        "ø": "o",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "\u0131": "i",  # dotless i, as in Yılmaz  # noqa: RUF003
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ĳ": "ij",
    }
)
_NOT_A_LETTER = re.compile(r"[^a-z0-9]")

# Sorts below every letter and digit of the key, so "Berg" files before "Bergman".
SEPARATOR = ","
KEY_MAX_LENGTH = 300


def fold(text: str) -> str:
    """``text`` without case, accents, spaces or punctuation, in plain ASCII letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLED_OUT))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_A_LETTER.sub("", stripped.translate(_SPELLED_OUT))


def split_surname(last_name: str) -> tuple[str, str]:
    """``(prefixes, main part)`` of a surname: "van der Berg" → ("van der", "Berg")."""
    words = last_name.split()
    prefixes: list[str] = []
    while len(words) > 1 and words[0].casefold() in SURNAME_PREFIXES:
        prefixes.append(words.pop(0))
    return " ".join(prefixes), " ".join(words)


def name_sort_key(*, first_name: str, last_name: str, email: str = "") -> str:
    """The key that files a person in Dutch order (see the module's docstring)."""
    prefixes, surname = split_surname(last_name)
    if not (surname or first_name):
        return fold(email)[:KEY_MAX_LENGTH]
    key = SEPARATOR.join((fold(surname), fold(first_name), fold(prefixes)))
    return key[:KEY_MAX_LENGTH]


def dutch_name_order(person: str = "") -> list[str]:
    """``order_by`` arguments that list people in Dutch order.

    ``person`` is the path to the user from the queried model ("learner", "user"), empty for
    users themselves. E-mail and id break ties, so equal names keep one stable order (and the
    same order on every page of a paged list).
    """
    prefix = f"{person}__" if person else ""
    return [f"{prefix}name_sort_key", f"{prefix}email", f"{prefix}id"]
