"""A person's own data, as a download: everything the inventory says the site holds about them.

:func:`collect` reads it, one section per :data:`~technohub.privacy.inventory.HOLDINGS` entry
(keyed by the holding's model label), as plain JSON: ISO timestamps, codes with a readable
label beside them. :func:`build_zip` packs that JSON, a standalone HTML overview in the
person's language and their certificate PDFs. :func:`export_personal_data` is what the
profile's download button calls: it limits how often, and writes the audit row.

What is never in it: the password hash, other people's personal data (whoever else acted is
named by role, e.g. "HR van Kampstaal"), secrets in mailed links, and staff-only notes.
"""

import io
import json
import zipfile
from datetime import datetime, timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.models import User
from enrolment import certificates_pdf
from enrolment.models import Certificate
from technohub import audit
from technohub.errors import DomainError, busy_after
from technohub.models import AuditLog

from ..inventory import HOLDINGS
from .holdings import certificate_file, read_records
from .overview import overview_sections

EXPORTED_ACTION = "privacy.exported"
# Building the file reads every holding: a person may do it this often per hour.
EXPORTS_PER_HOUR = 5
LOCK_TIMEOUT = "3s"
FORMAT = "technohub-personal-data/1"


class ExportRefused(DomainError):
    """The download cannot be built now (too often, or busy); ``message`` says so."""


def collect(*, user: User, now: datetime | None = None) -> dict:
    """Everything the inventory says the site holds about ``user``, as plain JSON-able data.

    Texts (labels, categories) are in the active language; call it inside
    ``translation.override`` for another. One query per holding, whatever the person has.
    """
    return _collect(user=user, now=now or timezone.now())[0]


def _collect(*, user: User, now: datetime) -> tuple[dict, list[Certificate]]:
    records, certificates = read_records(user=user, now=now)
    data = {
        "format": FORMAT,
        "generated_at": now.isoformat(),
        "language": translation.get_language(),
        "sections": {
            holding.model: {
                "category": str(holding.category),
                "purpose": str(holding.purpose),
                "retention": str(holding.retention),
                "recipients": str(holding.recipients),
                "records": records.get(holding.model, []),
            }
            for holding in HOLDINGS
        },
    }
    return data, certificates


def build_zip(*, user: User, now: datetime | None = None) -> bytes:
    """The download: JSON, a standalone HTML overview and the certificate PDFs, in the person's
    language. Reads only; see :func:`export_personal_data` for the limit and the audit row."""
    now = now or timezone.now()
    with translation.override(user.preferred_language):
        data, certificates = _collect(user=user, now=now)
        names = {"json": _("gegevens.json"), "html": _("overzicht.html")}
        overview = render_to_string(
            "privacy/export_overview.html",
            {
                "person": user,
                "generated_at": now,
                "sections": overview_sections(data),
                "json_name": names["json"],
                "language": user.preferred_language,
            },
        )
        files = [(certificate_file(certificate), certificate) for certificate in certificates]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(names["json"], json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(names["html"], overview)
        for name, certificate in files:
            archive.writestr(name, certificates_pdf.read_certificate_pdf(certificate))
    return buffer.getvalue()


def export_personal_data(*, user: User, now: datetime | None = None) -> bytes:
    """Build :func:`build_zip` for ``user`` and record that they downloaded it.

    At most ``EXPORTS_PER_HOUR`` per person in any hour, counted from the audit log. Raises
    ExportRefused past that, or when another download of theirs holds the lock too long.
    The audit row commits before the file is built, so a failed build still counts.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        _lock_person(user)
        recent = AuditLog.objects.filter(
            action=EXPORTED_ACTION, actor=user, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= EXPORTS_PER_HOUR:
            raise ExportRefused(
                _(
                    "Je hebt je gegevens het afgelopen uur al %(count)s keer gedownload. "
                    "Probeer het over een uur opnieuw."
                )
                % {"count": recent}
            )
        audit.record(action=EXPORTED_ACTION, target=user, actor=user)
    return build_zip(user=user, now=now)


def _lock_person(user: User) -> None:
    # Two downloads at once are counted one after the other, so the hourly limit holds.
    with busy_after(LOCK_TIMEOUT, refusal=ExportRefused):
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk").get()
