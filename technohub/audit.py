"""Writing the audit log. Services call :func:`record` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditLog


def record(*, action: str, target: models.Model, actor=None, **data) -> AuditLog:
    """Write one audit row for ``target``; ``action`` is dotted, e.g. ``enrolment.cancelled``."""
    return AuditLog.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        data=data,
    )


# What each audit action means, for the start page and the timelines people read. An action
# missing here shows its dotted code, which is still better than nothing.
ACTION_LABELS = {
    "attendance.recorded": _("aanwezigheid vastgelegd"),
    "certificate.issued": _("certificaat uitgegeven"),
    "course.draft_changed": _("conceptcursus gewijzigd door de aanbieder"),
    "course.drafted": _("cursus als concept opgeslagen door de aanbieder"),
    "enrolment.cancelled": _("inschrijving geannuleerd"),
    "enrolment.completed": _("inschrijving afgerond"),
    "enrolment.confirmed": _("inschrijving bevestigd"),
    "enrolment.moved": _("verplaatst naar een andere uitvoering"),
    "enrolment.no_show": _("niet verschenen"),
    "enrolment.not_completed": _("niet afgerond"),
    "enrolment.promoted": _("van de wachtlijst geplaatst"),
    "enrolment.rejected": _("aanvraag afgewezen"),
    "enrolment.requested": _("aanvraag ingediend"),
    "enrolment.waitlisted": _("op de wachtlijst gezet"),
    "evaluation.answered": _("evaluatie ingevuld"),
    "funding.claim_pack_downloaded": _("claimpakket gedownload"),
    "interest.registered": _("interesse geregistreerd"),
    "invitation.resent": _("uitnodiging opnieuw verstuurd"),
    "invitation.sent": _("uitnodiging verstuurd"),
    "invitation.withdrawn": _("uitnodiging ingetrokken"),
    "membership.imported": _("medewerker geïmporteerd"),
    "membership.joined": _("medewerker aangesloten"),
    "membership.removed": _("medewerker verwijderd"),
    "membership.request_mail_set": _("keuze voor e-mail over aanvragen gewijzigd"),
    "need.changed": _("opleidingsbehoefte gewijzigd"),
    "need.linked": _("opleidingsbehoefte gekoppeld aan een uitvoering"),
    "need.planned": _("opleidingsbehoefte ingepland"),
    "need.submitted": _("opleidingsbehoefte ingediend"),
    "need.withdrawn": _("opleidingsbehoefte ingetrokken"),
    "notification.resent": _("e-mail opnieuw verstuurd"),
    "offer.accepted": _("offerte geaccepteerd"),
    "offer.changed": _("offerte gewijzigd"),
    "offer.declined": _("offerte niet gekozen"),
    "offer.submitted": _("offerte ingediend"),
    "offer.withdrawn": _("offerte ingetrokken"),
    "offering.cancelled": _("uitvoering geannuleerd"),
    "offering.completed": _("uitvoering afgerond"),
    "offering.drafted": _("uitvoering als concept opgeslagen door de aanbieder"),
    "offering.duplicated": _("uitvoering gedupliceerd"),
    "offering.go_decided": _("besloten: uitvoering gaat door"),
    "offering.meetings_changed": _("bijeenkomsten gewijzigd"),
    "offering.messaged": _("deelnemers gemaild"),
    "offering.moved": _("uitvoering verplaatst"),
    "offering.reminded": _("herinnering verstuurd"),
    "offering.shifted": _("uitvoering verschoven"),
    "offering.waitlist_promoted": _("wachtlijst doorgeschoven"),
    "privacy.erased": _("gegevens verwijderd"),
    "proposal.accepted": _("offerte geaccepteerd"),
    "proposal.closed": _("voorstel gesloten"),
    "proposal.created": _("voorstel gedaan"),
    "proposal.pledge_changed": _("toezegging gewijzigd"),
    "proposal.pledge_withdrawn": _("toezegging ingetrokken"),
    "proposal.pledged": _("meegedaan met het voorstel"),
    "proposal.published": _("uitvoering gepubliceerd"),
    "reservation.made": _("plaatsen gereserveerd"),
    "reservation.released": _("gereserveerde plaatsen vrijgegeven"),
    "school_request.cancelled": _("schoolaanvraag geannuleerd"),
    "school_visit.allocated": _("schoolbezoek ingepland"),
    "school_visit.confirmed": _("schoolbezoek bevestigd"),
    "school_visit.declined": _("schoolbezoek geweigerd door het gastbedrijf"),
    "funding_claim.updated": _("subsidieaanvraag bijgewerkt"),
    "funding_claims.alarmed": _("HR herinnerd aan de subsidietermijn"),
    "qualification.changed": _("kwalificatie gewijzigd door HR"),
    "qualification.entered": _("kwalificatie van elders ingevoerd door HR"),
    "qualification.granted": _("kwalificatie behaald met een certificaat"),
    "qualification.removed": _("kwalificatie verwijderd door HR"),
    "school_report.downloaded": _("verantwoording schoolbezoeken gedownload"),
    "school_request.done": _("schoolbezoek geweest"),
    "school_request.evaluated": _("schoolbezoek geëvalueerd"),
    "school_visit.reminded": _("docent herinnerd aan het schoolbezoek"),
    "transfer_check.answered": _("toepassingsvraag beantwoord"),
    "transfer_checks.asked": _("toepassingsvragen gesteld"),
    "user.created_by_staff": _("account aangemaakt door de hub"),
    "user.email_confirmed": _("e-mailadres bevestigd"),
    "user.password_changed": _("wachtwoord gewijzigd"),
    "user.profile_updated": _("profiel gewijzigd"),
    "user.registered": _("account aangemaakt"),
    "school_request.rescheduled": _("nieuwe datums voor een schoolaanvraag"),
    "school_request.submitted": _("schoolaanvraag ingediend"),
}


def action_label(action: str) -> str:
    """What ``action`` means, in the active language (its code when unknown)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
