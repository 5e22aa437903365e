"""The download's readable overview: the collected data as labelled lines in the person's
language (the template is ``privacy/export_overview.html``)."""

import json
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LABELS = {
    "id": gettext_lazy("nummer"),
    "email": gettext_lazy("e-mailadres"),
    "first_name": gettext_lazy("voornaam"),
    "last_name": gettext_lazy("achternaam"),
    "phone": gettext_lazy("telefoonnummer"),
    "preferred_language": gettext_lazy("voorkeurstaal"),
    "email_verified_at": gettext_lazy("e-mailadres bevestigd op"),
    "last_login": gettext_lazy("laatst ingelogd op"),
    "date_joined": gettext_lazy("lid sinds"),
    "is_active": gettext_lazy("account actief"),
    "works_for_provider": gettext_lazy("werkt voor aanbieder"),
    "company": gettext_lazy("bedrijf"),
    "role": gettext_lazy("rol"),
    "department": gettext_lazy("afdeling"),
    "job_title": gettext_lazy("functie"),
    "personnel_number": gettext_lazy("personeelsnummer"),
    "created_at": gettext_lazy("aangemaakt op"),
    "invited_by": gettext_lazy("uitgenodigd door"),
    "expires_at": gettext_lazy("verloopt op"),
    "accepted_at": gettext_lazy("aangenomen op"),
    "accepted_by_you": gettext_lazy("door jou aangenomen"),
    "course": gettext_lazy("cursus"),
    "offering_id": gettext_lazy("nummer van de uitvoering"),
    "location": gettext_lazy("locatie"),
    "starts_at": gettext_lazy("begint op"),
    "ends_at": gettext_lazy("eindigt op"),
    "status": gettext_lazy("status"),
    "waitlist_position": gettext_lazy("plaats op de wachtlijst"),
    "paying_company": gettext_lazy("betalend bedrijf"),
    "enrolled_by": gettext_lazy("ingeschreven door"),
    "price_excl_vat": gettext_lazy("prijs excl. btw (euro)"),
    "vat_rate": gettext_lazy("btw-tarief (%)"),
    "reason": gettext_lazy("reden"),
    "motivation": gettext_lazy("motivatie"),
    "status_changed_at": gettext_lazy("status gewijzigd op"),
    "enrolment_id": gettext_lazy("nummer van de inschrijving"),
    "meeting_starts_at": gettext_lazy("bijeenkomst op"),
    "meeting_topic": gettext_lazy("onderwerp van de bijeenkomst"),
    "state": gettext_lazy("aanwezigheid"),
    "hours": gettext_lazy("aanwezige uren"),
    "recorded_at": gettext_lazy("geregistreerd op"),
    "number": gettext_lazy("certificaatnummer"),
    "verification_code": gettext_lazy("controlecode"),
    "verification_url": gettext_lazy("controlepagina"),
    "issued_at": gettext_lazy("uitgegeven op"),
    "file": gettext_lazy("bestand in deze download"),
    "template": gettext_lazy("soort bericht"),
    "subject": gettext_lazy("onderwerp"),
    "to_email": gettext_lazy("verstuurd aan"),
    "language": gettext_lazy("taal"),
    "sent_at": gettext_lazy("verzonden op"),
    "failed_at": gettext_lazy("mislukt op"),
    "last_error": gettext_lazy("laatste fout"),
    "context": gettext_lazy("gegevens in het bericht"),
    "title": gettext_lazy("onderwerp"),
    "description": gettext_lazy("omschrijving"),
    "theme": gettext_lazy("thema"),
    "headcount": gettext_lazy("aantal medewerkers"),
    "reserved_seats": gettext_lazy("gereserveerde plaatsen"),
    "seats_without_a_name": gettext_lazy("plaatsen zonder naam"),
    "released_at": gettext_lazy("plaatsen zonder naam vrijgegeven op"),
    "go_decided_at": gettext_lazy("besloten door te gaan op"),
    "preferred_locations": gettext_lazy("voorkeurslocaties"),
    "period_start": gettext_lazy("gewenst vanaf"),
    "period_end": gettext_lazy("gewenst tot"),
    "urgency": gettext_lazy("urgentie"),
    "for_you": gettext_lazy("voor jezelf"),
    "registered_by": gettext_lazy("doorgegeven door"),
    "scheme": gettext_lazy("regeling"),
    "applied_on": gettext_lazy("aangevraagd op"),
    "reference": gettext_lazy("kenmerk"),
    "amount": gettext_lazy("bedrag (euro)"),
    "decided_on": gettext_lazy("besloten of uitbetaald op"),
    "note": gettext_lazy("notitie"),
    "updated_by": gettext_lazy("bijgewerkt door"),
    "qualification": gettext_lazy("kwalificatie"),
    "obtained_on": gettext_lazy("behaald op"),
    "expires_on": gettext_lazy("geldig tot"),
    "issuer": gettext_lazy("uitgegeven door"),
    "activity": gettext_lazy("activiteit"),
    "school": gettext_lazy("school"),
    "groups": gettext_lazy("groepen"),
    "supervisors": gettext_lazy("begeleiders"),
    "contact_phone": gettext_lazy("telefoon op de dag"),
    "accessibility": gettext_lazy("toegankelijkheid"),
    "preferred_dates": gettext_lazy("voorkeursdatums"),
    "window_from": gettext_lazy("periode van"),
    "window_to": gettext_lazy("periode tot en met"),
    "blackout_dates": gettext_lazy("datums die niet kunnen"),
    "transport": gettext_lazy("vervoer"),
    "question": gettext_lazy("vraag of opmerking"),
    "cancelled_at": gettext_lazy("geannuleerd op"),
    "cancel_reason": gettext_lazy("reden van annuleren"),
    "engagement": gettext_lazy("enthousiasme van de leerlingen"),
    "fit": gettext_lazy("aansluiting bij de lessen"),
    "improvement": gettext_lazy("wat er beter kan"),
    "date": gettext_lazy("datum"),
    "answered_on": gettext_lazy("beantwoord op"),
    "host_decline_reason": gettext_lazy("reden van weigeren"),
    "document_reference": gettext_lazy("nummer van het document"),
    "entered_by": gettext_lazy("ingevoerd door"),
    "notified_at": gettext_lazy("bericht verstuurd op"),
    "action": gettext_lazy("actie"),
    "object_type": gettext_lazy("soort gegeven"),
    "about_you": gettext_lazy("over jou"),
    "by": gettext_lazy("door"),
    "data": gettext_lazy("vastgelegde gegevens"),
    "action_time": gettext_lazy("tijdstip"),
    "object": gettext_lazy("gegeven"),
    "change_message": gettext_lazy("wijziging"),
    "attempt_time": gettext_lazy("tijdstip"),
    "ip_address": gettext_lazy("IP-adres"),
    "user_agent": gettext_lazy("browser"),
    "http_accept": gettext_lazy("door de browser geaccepteerde formaten"),
    "path": gettext_lazy("pagina"),
    "failures": gettext_lazy("aantal mislukte pogingen"),
    "get_data": gettext_lazy("gegevens in het adres"),
    "post_data": gettext_lazy("verstuurde formuliergegevens (wachtwoord gemaskeerd)"),
    "locked_out": gettext_lazy("geblokkeerd"),
    "logout_time": gettext_lazy("uitgelogd op"),
    "active_sessions": gettext_lazy("aantal plaatsen waar je nu bent ingelogd"),
    "proposal": gettext_lazy("voorstel"),
    "provider": gettext_lazy("aanbieder"),
    "reserve_seats": gettext_lazy("plaatsen reserveren zodra de uitvoering open is"),
    "asked_at": gettext_lazy("gevraagd op"),
    "reminded_at": gettext_lazy("herinnerd op"),
    "answered_at": gettext_lazy("beantwoord op"),
    "answer": gettext_lazy("antwoord"),
    "answered_by": gettext_lazy("beantwoord door"),
}
DATE_KEYS = {"period_start", "period_end", "date", "window_from", "window_to", "answered_on"}
AMOUNT_KEYS = {"price_excl_vat", "vat_rate"}
DATETIME_KEYS = {"last_login", "date_joined"}


def _is_datetime_key(key: str) -> bool:
    return key in DATETIME_KEYS or key.endswith(("_at", "_time"))


def _text(key: str, value) -> str:
    """One stored value as a person reads it, in the active language."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(
            json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, dict):
        return "; ".join(f"{name}: {_text(name, item)}" for name, item in value.items())
    if key in AMOUNT_KEYS:
        return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True)
    if key in DATE_KEYS:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    if _is_datetime_key(key) and isinstance(value, str):
        moment = timezone.localtime(datetime.fromisoformat(value))
        return formats.date_format(moment, "j F Y, H:i")
    return str(value)


def overview_sections(data: dict) -> list[dict]:
    """The sections of :func:`collect`'s data as labelled lines for the HTML overview.

    A code with a ``<key>_label`` beside it shows only the label, under the code's name.
    """
    sections = []
    for key, section in data["sections"].items():
        records = [
            [
                (LABELS.get(name, name), _text(name, record.get(f"{name}_label", value)))
                for name, value in record.items()
                if not name.endswith("_label")
            ]
            for record in section["records"]
        ]
        sections.append({"key": key, **section, "records": records})
    return sections
