"""Reading and checking a CSV file of employees for HR's roster import. Nothing here writes.

The file comes from a spreadsheet, most often Dutch Excel, which saves "CSV (puntkomma-
gescheiden)" as Windows-1252 with semicolons; "CSV UTF-8" is UTF-8 with a byte-order mark and
commas. The first line names the columns, in Dutch or English. :func:`parse_file` turns the
bytes into rows with normalised fields; :func:`check_rows` finds each row's problems against the
company's roster. Both are linear in the number of rows, and the checks take one query however
long the file is. The import service runs :func:`check_rows` again inside its transaction.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from technohub.errors import DomainError

from ..models import Company, Invitation, Membership, User
from ..names import dutch_name_order

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024

FIRST_NAME_MAX = User._meta.get_field("first_name").max_length
LAST_NAME_MAX = User._meta.get_field("last_name").max_length
EMAIL_MAX = User._meta.get_field("email").max_length

# Column names after lower-casing and dropping spaces, hyphens, underscores and dots.
COLUMNS = {
    "voornaam": "first_name",
    "roepnaam": "first_name",
    "firstname": "first_name",
    "givenname": "first_name",
    "tussenvoegsel": "infix",
    "tussenvoegsels": "infix",
    "achternaam": "last_name",
    "familienaam": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "email": "email",
    "emailadres": "email",
    "emailaddress": "email",
    "afdeling": "department",
    "department": "department",
    "functie": "job_title",
    "functietitel": "job_title",
    "function": "job_title",
    "jobtitle": "job_title",
    "personeelsnummer": "personnel_number",
    "personeelsnr": "personnel_number",
    "personnelnumber": "personnel_number",
    "employeenumber": "personnel_number",
    "employeeid": "personnel_number",
    "taal": "language",
    "voorkeurstaal": "language",
    "language": "language",
}
REQUIRED = ("first_name", "last_name", "email")
# Optional columns a sync keeps up to date on the membership; a column the file lacks is
# left alone, an empty cell in a column the file has empties the field.
SYNCED = ("department", "job_title", "personnel_number")
SYNCED_MAX = {name: Membership._meta.get_field(name).max_length for name in SYNCED}
LANGUAGES = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "engels": "en",
    "english": "en",
}
DELIMITERS = (";", ",", "\t")


class RosterFileError(DomainError):
    """The file as a whole cannot be read (encoding, header, size); the message says why."""


@dataclass
class RowCheck:
    """One employee line of the file, its normalised fields and what is wrong with it.

    ``errors`` are translated messages; a row without errors can be imported. ``account`` is
    the existing user with this address, if there is one: for the service only, never shown
    to HR (who must not learn who has an account here).
    """

    line: int
    first_name: str
    last_name: str
    email: str
    # None: the file has no such column (leave the field alone).
    department: str | None = None
    job_title: str | None = None
    personnel_number: str | None = None
    language: str = ""  # "nl", "en", or "" when the file does not say
    errors: list[str] = field(default_factory=list)
    account: User | None = None
    # What saving the row does: NEW (invite or add), INVITED (a pending invitation exists:
    # nothing), UPDATE (a member whose department, function or number changes), UNCHANGED.
    action: str = ""
    membership: Membership | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)

    NEW = "new"
    INVITED = "invited"
    UPDATE = "update"
    UNCHANGED = "unchanged"

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def fields(self) -> list:
        """The row's own values, to keep between the preview and the confirmation."""
        return [
            self.line,
            self.first_name,
            self.last_name,
            self.email,
            self.department,
            self.job_title,
            self.personnel_number,
            self.language,
        ]

    @classmethod
    def from_fields(cls, values: list) -> "RowCheck":
        return cls(*values)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    if b"\x00" in data:
        # UTF-16 text, or a spreadsheet (.xlsx, .xls) renamed to .csv.
        raise RosterFileError(
            _(
                "Dit is geen CSV-bestand. Kies in Excel 'Opslaan als' en dan "
                "'CSV (puntkomma-gescheiden)' of 'CSV UTF-8'."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise RosterFileError(
            _("De tekens in dit bestand zijn niet te lezen. Sla het op als 'CSV UTF-8'.")
        ) from error


def _column_key(name: str) -> str:
    return "".join(name.lower().split()).replace("-", "").replace("_", "").replace(".", "")


def _delimiter(first_line: str) -> str:
    """The separator the header line uses most: semicolon, comma or tab."""
    return max(DELIMITERS, key=first_line.count)


def _clean(value: str) -> str:
    """Trim the value and collapse runs of spaces (Excel keeps stray ones)."""
    return " ".join(value.split())


def parse_file(data: bytes) -> list[RowCheck]:
    """The rows of an uploaded file, in file order, with fields normalised but not checked.

    The email address is lower-cased; a ``tussenvoegsel`` column is joined into the last
    name ("van der" + "Veen"). Completely empty lines are skipped. Raises RosterFileError when
    the file is too big, has too many rows, cannot be decoded, or lacks a recognisable header.
    """
    if len(data) > MAX_BYTES:
        raise RosterFileError(
            _("Het bestand is te groot (%(size)s). Het mag maximaal %(max)s zijn.")
            % {"size": filesizeformat(len(data)), "max": filesizeformat(MAX_BYTES)}
        )
    text = decode(data)
    first_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    # Excel understands a first line "sep=;" naming the separator; the header comes after it.
    hint = first_line.strip()
    has_hint = len(hint) == 5 and hint.lower().startswith("sep=")
    delimiter = hint[4] if has_hint else _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    positions: dict[str, int] | None = None
    rows: list[RowCheck] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if has_hint:
                has_hint = False
            elif positions is None:
                positions = _header_positions(cells)
            elif len(rows) == MAX_ROWS:
                raise RosterFileError(
                    _(
                        "Het bestand heeft meer dan %(max)s medewerkers. "
                        "Verdeel ze over meerdere bestanden."
                    )
                    % {"max": number_format(MAX_ROWS, force_grouping=True)}
                )
            else:
                rows.append(_row(cells, positions, line=reader.line_num))
    except csv.Error as error:
        raise RosterFileError(
            _("Regel %(line)s van het bestand is niet te lezen.") % {"line": reader.line_num}
        ) from error
    if positions is None:
        raise RosterFileError(_("Het bestand is leeg."))
    if not rows:
        raise RosterFileError(_("Er staan geen medewerkers in het bestand, alleen kolomnamen."))
    return rows


def _header_positions(header: list[str]) -> dict[str, int]:
    """Which cell holds which field; RosterFileError when a required column is missing."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = COLUMNS.get(_column_key(name))
        if key is not None:
            positions.setdefault(key, index)
    missing = [key for key in REQUIRED if key not in positions]
    if missing:
        labels = {
            "first_name": _("voornaam"),
            "last_name": _("achternaam"),
            "email": _("e-mailadres"),
        }
        raise RosterFileError(
            _(
                "De eerste regel moet de kolomnamen bevatten: voornaam, achternaam en "
                "e-mailadres (tussenvoegsel mag ook). Niet gevonden: %(missing)s."
            )
            % {"missing": ", ".join(str(labels[key]) for key in missing)}
        )
    return positions


def _row(cells: list[str], positions: dict[str, int], *, line: int) -> RowCheck:
    def cell(key: str) -> str:
        index = positions.get(key)
        return _clean(cells[index]) if index is not None and index < len(cells) else ""

    def optional(key: str) -> str | None:
        return cell(key) if key in positions else None

    last_name = " ".join(part for part in (cell("infix"), cell("last_name")) if part)
    return RowCheck(
        line=line,
        first_name=cell("first_name"),
        last_name=last_name,
        email=cell("email").lower(),
        department=optional("department"),
        job_title=optional("job_title"),
        personnel_number=optional("personnel_number"),
        language=cell("language").lower(),
    )


def check_rows(*, company: Company, rows: Iterable[RowCheck]) -> list[RowCheck]:
    """Fresh checks of ``rows`` (their fields only) against each other and the roster, and
    what saving each would do (``RowCheck.action``).

    Errors: a missing or invalid address, a missing or too long name or field, an unknown
    language, an address used on an earlier line. A member of ``company`` is no error: their
    row updates their department, function and personnel number (or changes nothing); an
    address with a pending invitation is left alone (it is not mailed again). Existing
    accounts are noted. Three queries, whatever the number of rows.
    """
    checked = [RowCheck.from_fields(row.fields()) for row in rows]
    first_line: dict[str, int] = {}
    for row in checked:
        _check_fields(row)
        if row.errors or not row.email:
            continue
        if row.email in first_line:
            row.errors.append(
                _("Dit e-mailadres staat ook op regel %(line)s.") % {"line": first_line[row.email]}
            )
        else:
            first_line[row.email] = row.line
    members = _members(company=company)
    invited = set(
        Invitation.objects.pending()
        .filter(company=company, email__in=list(first_line))
        .values_list("email", flat=True)
    )
    accounts = _accounts(emails=[email for email in first_line if email not in members])
    labels = _synced_labels()
    for row in checked:
        if not row.is_valid:
            continue
        membership = members.get(row.email)
        if membership is not None:
            row.membership = membership
            row.changes = [
                (labels[name], getattr(membership, name), getattr(row, name))
                for name in SYNCED
                if getattr(row, name) is not None
                and getattr(row, name) != getattr(membership, name)
            ]
            row.action = RowCheck.UPDATE if row.changes else RowCheck.UNCHANGED
        elif row.email in invited:
            row.action = RowCheck.INVITED
        else:
            row.account = accounts.get(row.email)
            row.action = RowCheck.NEW
    return checked


def find_leavers(*, company: Company, rows: Iterable[RowCheck]) -> list[Membership]:
    """The company's employees whose address is not in the file, in Dutch order: a sync offers
    them for removal (HR is never offered: a company must not lose its HR by a file)."""
    emails = {row.email for row in rows if row.email}
    return [
        membership
        for membership in Membership.objects.filter(company=company, role=Membership.Role.EMPLOYEE)
        .select_related("user")
        .order_by(*dutch_name_order("user"))
        if membership.user.email.lower() not in emails
    ]


def _synced_labels() -> dict[str, str]:
    return {
        "department": _("afdeling"),
        "job_title": _("functie"),
        "personnel_number": _("personeelsnummer"),
    }


def _check_fields(row: RowCheck) -> None:
    if not row.email:
        row.errors.append(_("Het e-mailadres ontbreekt."))
    else:
        try:
            if len(row.email) > EMAIL_MAX:
                raise ValidationError("too long")
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("Het e-mailadres is niet geldig."))
    if not row.first_name:
        row.errors.append(_("De voornaam ontbreekt."))
    elif len(row.first_name) > FIRST_NAME_MAX:
        row.errors.append(
            _("De voornaam is te lang (meer dan %(max)s tekens).") % {"max": FIRST_NAME_MAX}
        )
    if not row.last_name:
        row.errors.append(_("De achternaam ontbreekt."))
    elif len(row.last_name) > LAST_NAME_MAX:
        row.errors.append(
            _("De achternaam is te lang (meer dan %(max)s tekens).") % {"max": LAST_NAME_MAX}
        )
    labels = _synced_labels()
    for name in SYNCED:
        value = getattr(row, name)
        if value is not None and len(value) > SYNCED_MAX[name]:
            row.errors.append(
                _("%(field)s: te lang (meer dan %(max)s tekens).")
                % {"field": capfirst(labels[name]), "max": SYNCED_MAX[name]}
            )
    if row.language:
        if row.language in LANGUAGES:
            row.language = LANGUAGES[row.language]
        else:
            row.errors.append(_("De taal moet nl of en zijn."))


def _members(*, company: Company) -> dict[str, Membership]:
    """The company's memberships by lower-cased address."""
    return {
        membership.user.email.lower(): membership
        for membership in Membership.objects.filter(company=company).select_related("user")
    }


def _accounts(*, emails: list[str]) -> dict[str, User]:
    """Existing users with these addresses (case-insensitively)."""
    if not emails:
        return {}
    users = (
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .only("pk", "email", "first_name", "last_name", "preferred_language")
    )
    return {user.email_lower: user for user in users}


def check_file(*, company: Company, data: bytes) -> list[RowCheck]:
    """:func:`parse_file` and then :func:`check_rows`: the preview of an uploaded file."""
    return check_rows(company=company, rows=parse_file(data))
