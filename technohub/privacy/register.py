"""The processing register (*verwerkingsregister*, AVG article 30) as a staff page.

Rendered from the inventory (:data:`technohub.privacy.inventory.HOLDINGS`) in the active
language, so the register says exactly what the code does: each holding's category, purpose,
fields by their human names, retention from the settings, recipients and what erasure does.
Only the programme manager holds the permission to read it.
"""

from dataclasses import dataclass

from django.apps import apps
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from companies.models import StaffPermission
from technohub.permissions import staff_permission_required

from .inventory import HOLDINGS, Erasure, Holding

CONTROLLER = {
    "name": "Technohub NOP",
    "city": "Emmeloord",
    "email": "privacy@technohub-nop.nl",
}

ERASURE_LABELS = {
    Erasure.DELETE: pgettext_lazy("wissen", "Verwijderd"),
    Erasure.SCRUB: _("Gegevens over de persoon gewist, de regel blijft"),
    Erasure.PSEUDONYMISE: _("Naamloos bewaard (wettelijke plicht)"),
}

# Who receives personal data from the hub, and what; the holdings name them per place.
RECIPIENTS = (
    (
        _("Scholen die de cursus geven"),
        _(
            "Firda, Aeres MBO, Aeres Hogeschool en Opleidingsbedrijf Metaal: de deelnemerslijst "
            "en de aanwezigheid van hun eigen cursussen, niets van andere scholen."
        ),
    ),
    (
        _("Werkgevers (HR)"),
        _(
            "De inschrijvingen, kosten en aanwezigheid van hun eigen medewerkers, en daarna "
            "alleen wat het bedrijf betaalde. Exports worden niet op de server bewaard."
        ),
    ),
    (
        _("Opleidingsfondsen"),
        _(
            "A+O Metalektro, OOM en andere sectorfondsen krijgen het subsidieoverzicht via de "
            "werkgever, die de aanvraag doet; de hub levert niet rechtstreeks aan een fonds."
        ),
    ),
    (
        _("Mailserver"),
        _("Bezorgt de e-mails van de site; ontvangt adres en inhoud van elk bericht."),
    ),
)

SECURITY_MEASURES = (
    _("Verbindingen alleen via HTTPS, met HSTS; cookies alleen over HTTPS."),
    _(
        "Wachtwoorden alleen als hash; na vijf foute wachtwoorden wordt inloggen vanaf dat "
        "adres een kwartier geblokkeerd."
    ),
    _(
        "Medewerkers van de hub werken met rollen (Programmamanager, Opleider, Alleen lezen) en "
        "benoemde rechten; alleen wie het nodig heeft ziet of exporteert persoonsgegevens."
    ),
    _("Scholen zien alleen hun eigen cursussen, HR alleen het eigen bedrijf."),
    _(
        "Exports worden in het geheugen gemaakt, nooit op de server opgeslagen en met "
        "'no-store' verstuurd."
    ),
    _("Elke wijziging aan een inschrijving staat met de uitvoerder in het logboek."),
    _("Nooit een BSN; alleen de gegevens die voor de cursus nodig zijn."),
)


@dataclass(frozen=True)
class RegisterEntry:
    """One holding as the register shows it, in the active language."""

    holding: Holding
    name: str
    fields: list[str]
    erasure: str
    erasure_note: str  # empty where it would only repeat ``erasure``


def _field_names(holding: Holding) -> tuple[str, list[str]]:
    model = apps.get_model(holding.model)
    names = [
        # A relation seen from the other side has no verbose name: its field name will do.
        capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))
        for name in holding.fields
    ]
    return capfirst(str(model._meta.verbose_name_plural)), names


def list_register_entries() -> list[RegisterEntry]:
    """Every holding of the inventory with its model's and fields' human names, in order."""
    entries = []
    for holding in HOLDINGS:
        name, fields = _field_names(holding)
        note = str(holding.erasure_note)
        entries.append(
            RegisterEntry(
                holding=holding,
                name=name,
                fields=fields,
                erasure=str(ERASURE_LABELS[holding.erasure]),
                erasure_note="" if note == gettext("Verwijderd.") else note,
            )
        )
    return entries


@staff_permission_required(StaffPermission.PROCESSING_REGISTER)
@require_GET
def processing_register(request):
    """The register, readable and printable; no personal data of anyone is on it."""
    return render(
        request,
        "privacy/register.html",
        {
            "controller": CONTROLLER,
            "entries": list_register_entries(),
            "recipients": RECIPIENTS,
            "security_measures": SECURITY_MEASURES,
            "now": timezone.now(),
        },
    )
