"""HR's qualification matrix as a workbook: one row per person and qualification held."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.models import Company, Membership
from technohub import spreadsheets
from technohub.spreadsheets import Column

from ..models import HeldQualification
from . import selectors

COLUMNS = [
    Column(gettext_lazy("Naam"), 28),
    Column(gettext_lazy("E-mailadres"), 30),
    Column(gettext_lazy("Personeelsnummer"), 16),
    Column(gettext_lazy("Afdeling"), 20),
    Column(gettext_lazy("Kwalificatie"), 24),
    Column(gettext_lazy("Behaald op"), 12, "DD-MM-YYYY"),
    Column(gettext_lazy("Geldig tot"), 12, "DD-MM-YYYY"),
    Column(gettext_lazy("Status"), 18),
    Column(gettext_lazy("Bron"), 40),
]


def status_label(status: str) -> str:
    return {
        selectors.VALID: _("geldig"),
        selectors.EXPIRING: _("verloopt binnenkort"),
        selectors.EXPIRED: _("verlopen"),
        selectors.NEVER: _("verloopt niet"),
    }[status]


def source(held: HeldQualification) -> str:
    """Where it was earned: the hub's course, or the issuer and document number HR entered."""
    if held.enrolment_id is not None:
        return _("Technohub NOP: %(course)s") % {
            "course": held.enrolment.offering.course.localized("title")
        }
    if held.document_reference:
        return f"{held.issuer} ({held.document_reference})"
    return held.issuer


def row(membership: Membership, held: HeldQualification, *, today: date) -> list:
    user = membership.user
    return [
        user.get_full_name(),
        user.email,
        membership.personnel_number,
        membership.department,
        held.qualification.localized("name"),
        held.obtained_on,
        held.expires_on,
        status_label(selectors.status_of(held.expires_on, today=today)),
        source(held),
    ]


def to_xlsx(rows: list[tuple[Membership, HeldQualification]], *, today: date) -> bytes:
    return spreadsheets.to_xlsx(
        COLUMNS,
        [row(membership, held, today=today) for membership, held in rows],
        sheet_title=_("Kwalificaties"),
    )


def filename(*, company: Company, today: date) -> str:
    """``kwalificaties-<company-slug>-<YYYY-MM-DD>.xlsx``."""
    return f"kwalificaties-{company.slug}-{today.isoformat()}.xlsx"
