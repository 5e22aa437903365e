"""Where the site holds personal data, why, for how long, who receives it, and what erasure does.

This is the one list. The privacy statement and the processing register are rendered from it,
the export (``technohub.privacy.export``) collects what it names, erasure
(``technohub.privacy.erasure``) and the retention tasks (``technohub.privacy.retention``) act on
it, and a test fails when a model gains a field that looks personal and is in neither
:data:`HOLDINGS` nor :data:`NOT_PERSONAL`.

Retention periods are settings (``PRIVACY_*`` in ``technohub/settings/base.py``); the texts
here name the setting and render its value, so the statement cannot promise something else.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _days(setting: str) -> str:
    days = getattr(settings, setting)
    return ngettext("%(count)s dag", "%(count)s dagen", days) % {"count": days}


def _years(setting: str) -> str:
    years = getattr(settings, setting)
    return ngettext("%(count)s jaar", "%(count)s jaar", years) % {"count": years}


def _retention(template: str, **settings_by_name) -> str:
    """``template`` with each named period rendered from its setting, in the active language."""
    values = {
        name: (_years if setting.endswith("_YEARS") else _days)(setting)
        for name, setting in settings_by_name.items()
    }
    return str(template) % values


retention_text = lazy(_retention, str)


class Erasure:
    """What erasing a person does to a holding."""

    DELETE = "delete"  # the rows go
    SCRUB = "scrub"  # the row stays for others; the person's values are emptied
    PSEUDONYMISE = "pseudonymise"  # kept for a legal duty, linked only to a nameless account


@dataclass(frozen=True)
class Holding:
    """One place that holds personal data: a model (``app_label.Model``) and its fields."""

    model: str
    fields: tuple[str, ...]
    category: str
    purpose: str
    retention: str
    recipients: str
    erasure: str
    erasure_note: str


HOLDINGS: tuple[Holding, ...] = (
    Holding(
        model="companies.User",
        fields=(
            "email",
            "first_name",
            "last_name",
            "phone",
            "email_verified_at",
            "last_login",
            "erased_at",
            "date_joined",
            "provider",
            "name_sort_key",
        ),
        category=_("Accountgegevens: naam, e-mailadres, telefoonnummer, taal"),
        purpose=_("Inloggen, inschrijven en berichten over je cursussen sturen."),
        retention=retention_text(
            _("Tot het account %(inactive)s niet is gebruikt (geen inschrijving, geen inlog)."),
            inactive="PRIVACY_ACCOUNT_INACTIVE_DAYS",
        ),
        recipients=_("De hub; HR van je werkgever; de school van je cursus (naam)."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_(
            "Naam, adres en telefoonnummer worden gewist; een naamloos account blijft over "
            "zolang inschrijvingen of deelnamebewijzen bewaard moeten blijven."
        ),
    ),
    Holding(
        model="companies.Membership",
        fields=(
            "user",
            "company",
            "role",
            "department",
            "job_title",
            "personnel_number",
            "request_mail",
        ),
        category=_(
            "Werkgever en rol (medewerker of HR); afdeling, functie en personeelsnummer als "
            "je werkgever die opgeeft"
        ),
        purpose=_(
            "Weten wie een cursus betaalt en welke HR-medewerkers je inschrijvingen zien; "
            "HR vindt je daarmee terug in een lange medewerkerslijst."
        ),
        retention=_("Tot je uit het bedrijf wordt gehaald of je account wordt verwijderd."),
        recipients=_("HR van dat bedrijf."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="companies.Invitation",
        fields=("email", "invited_by", "accepted_by", "language"),
        category=_("Uitnodigingen van HR"),
        purpose=_("Je uitnodigen voor het portaal van je werkgever, met je toestemming."),
        retention=retention_text(
            _("Tot %(days)s na het verlopen of aannemen van de uitnodiging."),
            days="PRIVACY_INVITATION_RETENTION_DAYS",
        ),
        recipients=_("HR van dat bedrijf."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="enrolment.Enrolment",
        fields=("learner", "enrolled_by", "company", "reason", "motivation"),
        category=_("Inschrijvingen, wachtlijst, annuleringen en kosten"),
        purpose=_(
            "Plaatsen eerlijk verdelen, de cursus organiseren, factureren en de subsidie "
            "van je werkgever verantwoorden."
        ),
        retention=retention_text(
            _(
                "%(years)s na afloop van de cursus (fiscale bewaarplicht, subsidie); met een "
                "deelnamebewijs zo lang als dat bewaard wordt."
            ),
            years="PRIVACY_RECORDS_RETENTION_YEARS",
        ),
        recipients=_(
            "HR van het bedrijf dat betaalt; de school van de cursus; opleidingsfondsen via "
            "je werkgever (aantallen en uren)."
        ),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_(
            "Toekomstige inschrijvingen worden geannuleerd; gevolgde cursussen blijven "
            "naamloos bewaard voor de subsidie van de werkgever. Redenen en motivaties "
            "worden gewist."
        ),
    ),
    Holding(
        model="enrolment.Attendance",
        fields=("enrolment", "state", "hours", "recorded_by"),
        category=_("Aanwezigheid per bijeenkomst"),
        purpose=_("Vaststellen of je de cursus hebt afgerond; bewijs voor de subsidie."),
        retention=retention_text(
            _("%(years)s na afloop van de cursus."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("HR van het bedrijf dat betaalt; de school van de cursus."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("Blijft naamloos bij de bewaarde inschrijving."),
    ),
    Holding(
        model="enrolment.Certificate",
        fields=("enrolment", "number", "verification_code", "pdf"),
        category=_("Deelnamebewijzen"),
        purpose=_("Laten zien dat je een cursus hebt gevolgd; anderen kunnen het controleren."),
        retention=retention_text(
            _("%(years)s na uitgifte."), years="PRIVACY_CERTIFICATE_RETENTION_YEARS"
        ),
        recipients=_("Iedereen aan wie je de controlecode geeft."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_(
            "Het PDF-bestand met je naam wordt verwijderd; de controlepagina zegt daarna "
            "alleen nog of het bewijs geldig is, zonder naam."
        ),
    ),
    Holding(
        model="enrolment.Notification",
        fields=("recipient", "to_email", "language", "context", "last_error"),
        category=_("E-mails die de site je stuurt"),
        purpose=_(
            "Berichten over je account en je cursussen versturen, en laten zien wat we stuurden."
        ),
        retention=retention_text(
            _("De inhoud %(days)s na verzending."), days="PRIVACY_MAIL_RETENTION_DAYS"
        ),
        recipients=_("De mailserver die de berichten bezorgt."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="companies.TrainingNeed",
        fields=("submitted_by", "title", "description"),
        category=_("Opleidingsbehoeften die HR indient"),
        purpose=_("De hub plant cursussen naar wat bedrijven nodig hebben."),
        retention=_("Zolang het bedrijf klant is van de hub."),
        recipients=_("De hub; scholen die de cursus geven (zonder namen)."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("De behoefte blijft van het bedrijf; wie haar indiende wordt naamloos."),
    ),
    Holding(
        model="enrolment.SeatReservation",
        fields=("reserved_by",),
        category=_("Plaatsen die HR reserveert"),
        purpose=_("Plaatsen vasthouden voor het bedrijf en je herinneren aan de namen."),
        retention=retention_text(
            _("%(years)s na afloop van de cursus."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("HR van het bedrijf; de hub."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("De reservering blijft van het bedrijf; wie haar maakte wordt naamloos."),
    ),
    Holding(
        model="companies.Interest",
        fields=("learner", "registered_by", "company"),
        category=_('"Houd me op de hoogte" bij een cursus'),
        purpose=_("Je laten weten wanneer er een uitvoering komt."),
        retention=_("Tot er een uitvoering is en je bericht hebt gekregen, of je het intrekt."),
        recipients=_("De hub (op het vraagbord alleen als aantal)."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="catalogue.Offering",
        fields=("go_decided_by",),
        category=_("Wie besloot dat een uitvoering doorgaat"),
        purpose=_("Kunnen nagaan wie een uitvoering onder het minimum liet doorgaan."),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("De programmamanager."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("De beslissing blijft; wie haar nam wordt naamloos."),
    ),
    Holding(
        model="companies.Proposal",
        fields=("created_by",),
        category=_("Wie een voorstel voor een training deed"),
        purpose=_("Het voorstel met de juiste mensen bespreken en hen laten weten hoe het loopt."),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("De programmamanager; bij een voorstel van een aanbieder die aanbieder."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("Het voorstel blijft; wie het deed wordt naamloos."),
    ),
    Holding(
        model="companies.Pledge",
        fields=("pledged_by",),
        category=_("Wie namens een bedrijf meedoen toezegde"),
        purpose=_("De toezegging aan het bedrijf koppelen en HR berichten als de cursus er is."),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("HR van het bedrijf; de programmamanager."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("De toezegging blijft van het bedrijf; wie haar deed wordt naamloos."),
    ),
    Holding(
        model="companies.Offer",
        fields=("submitted_by",),
        category=_("Wie namens een aanbieder een offerte stuurde"),
        purpose=_("Vragen over de offerte aan de juiste persoon stellen."),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("De programmamanager; de aanbieder."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("De offerte blijft van de aanbieder; wie haar stuurde wordt naamloos."),
    ),
    Holding(
        model="enrolment.EvaluationRequest",
        fields=("enrolment", "sent_at", "reminded_at", "answered_at"),
        category=_("Of je een cursus evalueerde (niet wat je antwoordde)"),
        purpose=_(
            "Je één keer om een evaluatie vragen, één keer herinneren, en één antwoord aannemen."
        ),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("Niemand; je antwoorden zelf zijn anoniem en niet aan jou gekoppeld."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("Blijft bij je naamloze inschrijving."),
    ),
    Holding(
        model="enrolment.TransferCheck",
        fields=("enrolment", "answer", "answered_at", "answered_by"),
        category=_("Of je het geleerde toepast, volgens HR, drie maanden na de cursus"),
        purpose=_("De hub en de opleiders laten zien of cursussen in het werk helpen."),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("HR van je werkgever; de hub (de aanbieder alleen als aantallen)."),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_("Blijft bij je naamloze inschrijving; wie antwoordde wordt naamloos."),
    ),
    Holding(
        model="companies.FundingClaim",
        fields=(
            "learner",
            "status",
            "applied_on",
            "reference",
            "amount",
            "decided_on",
            "note",
            "updated_by",
            "alarms_sent",
        ),
        category=_("Subsidieaanvragen van je werkgever voor je cursussen"),
        purpose=_(
            "Je werkgever de subsidie van het opleidingsfonds op tijd en met bewijs laten "
            "aanvragen, en een cursus niet twee keer laten aanvragen."
        ),
        retention=retention_text(
            _("%(years)s na afloop van de cursus (het fonds kan bewijs opvragen)."),
            years="PRIVACY_RECORDS_RETENTION_YEARS",
        ),
        recipients=_(
            "HR van je werkgever; het opleidingsfonds als je werkgever aanvraagt (de hub "
            "stuurt zelf niets naar een fonds)."
        ),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_(
            "Blijft naamloos bij de bewaarde inschrijving; de notitie wordt gewist en wie de "
            "stand bijwerkte wordt naamloos."
        ),
    ),
    Holding(
        model="enrolment.HeldQualification",
        fields=(
            "person",
            "qualification",
            "obtained_on",
            "expires_on",
            "enrolment",
            "issuer",
            "document_reference",
            "entered_by",
            "alarms_sent",
        ),
        category=_("Kwalificaties die je hebt, zoals VCA, en tot wanneer ze gelden"),
        purpose=_(
            "Jou en HR op tijd laten weten dat een kwalificatie verloopt, met de volgende "
            "herhalingscursussen; HR ziet wie welke kwalificatie heeft."
        ),
        retention=retention_text(
            _(
                "Zolang je account bestaat; een verlopen kwalificatie tot %(years)s na de "
                "vervaldatum."
            ),
            years="PRIVACY_EXPIRED_QUALIFICATION_RETENTION_YEARS",
        ),
        recipients=_("HR van je werkgever."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="technohub.AuditLog",
        fields=("actor", "data"),
        category=_("Logboek van wijzigingen"),
        purpose=_("Kunnen nagaan wie wat veranderde, bij vragen en fouten."),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("De programmamanager."),
        erasure=Erasure.SCRUB,
        erasure_note=_("Wat er in de regels over jou staat, wordt gewist; wat er gebeurde blijft."),
    ),
    Holding(
        model="enrolment.SchoolRequest",
        fields=("teacher", "contact_phone", "accessibility", "question", "cancel_reason"),
        category=_("Aanvragen van een schoolbezoek, door jou als docent"),
        purpose=_(
            "Het bezoek van je klas plannen, je bevestiging, herinneringen en aankomstinformatie "
            "sturen, en je op de dag bereiken. Over leerlingen houdt de hub alleen aantallen "
            "per groep bij, nooit namen."
        ),
        retention=retention_text(
            _(
                "%(years)s na het bezoek of het einde van de aanvraag; daarna blijven alleen de "
                "school en de aantallen, voor de verantwoording aan de financier."
            ),
            years="PRIVACY_SCHOOL_REQUEST_RETENTION_YEARS",
        ),
        recipients=_(
            "De coördinator techniekpromotie en de programmamanager; het gastbedrijf van de "
            "activiteit krijgt je naam, school en telefoonnummer voor de dag zelf."
        ),
        erasure=Erasure.PSEUDONYMISE,
        erasure_note=_(
            "De aanvraag blijft naamloos staan voor de aantallen; telefoon, toelichtingen en "
            "reden van annuleren worden gewist."
        ),
    ),
    Holding(
        model="enrolment.SchoolEvaluation",
        fields=("improvement",),
        category=_("Je evaluatie van een schoolbezoek"),
        purpose=_("Activiteiten voor scholen beter maken."),
        retention=retention_text(
            _("%(years)s, zoals de aanvraag."), years="PRIVACY_SCHOOL_REQUEST_RETENTION_YEARS"
        ),
        recipients=_("De coördinator techniekpromotie, de programmamanager en het gastbedrijf."),
        erasure=Erasure.SCRUB,
        erasure_note=_("Je toelichting wordt gewist; de cijfers blijven."),
    ),
    Holding(
        model="enrolment.SchoolVisit",
        fields=("planned_by", "host_decline_reason"),
        category=_("Wie een schoolbezoek inplande of weigerde, en waarom"),
        purpose=_("Kunnen nagaan hoe een bezoek tot stand kwam."),
        retention=retention_text(
            _("%(years)s, zoals de aanvraag."), years="PRIVACY_SCHOOL_REQUEST_RETENTION_YEARS"
        ),
        recipients=_("De coördinator techniekpromotie en de programmamanager."),
        erasure=Erasure.SCRUB,
        erasure_note=_("Wie het bezoek inplande wordt naamloos; de reden van weigeren blijft."),
    ),
    Holding(
        model="catalogue.SchoolActivity",
        fields=("host_contact",),
        category=_("Contactpersoon van een gastbedrijf voor schoolbezoeken"),
        purpose=_("Het gastbedrijf elk bezoek laten bevestigen of weigeren."),
        retention=_("Zolang je contactpersoon bent."),
        recipients=_("De coördinator techniekpromotie en de programmamanager."),
        erasure=Erasure.SCRUB,
        erasure_note=_("De activiteit houdt geen contactpersoon meer."),
    ),
    Holding(
        model="admin.LogEntry",
        fields=("user", "object_repr", "change_message"),
        category=_("Logboek van het beheer"),
        purpose=_("Kunnen nagaan wie in het beheer wat veranderde."),
        retention=retention_text(
            _("%(years)s, zoals de inschrijvingen."), years="PRIVACY_RECORDS_RETENTION_YEARS"
        ),
        recipients=_("De programmamanager."),
        erasure=Erasure.DELETE,
        erasure_note=_("Regels door of over jou worden verwijderd."),
    ),
    Holding(
        model="axes.AccessAttempt",
        fields=("username", "ip_address", "user_agent", "get_data", "post_data", "http_accept"),
        category=_("Tellers van mislukte inlogpogingen (blokkering)"),
        purpose=_("Accounts beschermen tegen het raden van wachtwoorden."),
        retention=retention_text(
            _("%(days)s, of korter na een gelukte inlog."), days="PRIVACY_LOGIN_LOG_RETENTION_DAYS"
        ),
        recipients=_("Niemand."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="axes.AccessFailureLog",
        fields=("username", "ip_address", "user_agent", "http_accept"),
        category=_("Mislukte inlogpogingen"),
        purpose=_("Accounts beschermen tegen het raden van wachtwoorden."),
        retention=retention_text(_("%(days)s."), days="PRIVACY_LOGIN_LOG_RETENTION_DAYS"),
        recipients=_("Niemand."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="axes.AccessLog",
        fields=("username", "ip_address", "user_agent", "http_accept", "session_hash"),
        category=_("Inloggeschiedenis"),
        purpose=_("Je eigen verbindingen herkennen, zodat raden vanaf elders je niet vertraagt."),
        retention=retention_text(_("%(days)s."), days="PRIVACY_LOGIN_LOG_RETENTION_DAYS"),
        recipients=_("Niemand."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd."),
    ),
    Holding(
        model="sessions.Session",
        fields=("session_key", "session_data"),
        category=_("Sessie (ingelogd blijven)"),
        purpose=_("Je ingelogd houden."),
        retention=_("Twee weken, of tot je uitlogt."),
        recipients=_("Niemand."),
        erasure=Erasure.DELETE,
        erasure_note=_("Verwijderd: je wordt overal uitgelogd."),
    ),
)


# Fields that look personal by name or type but are not about a person, and why.
NOT_PERSONAL: dict[str, str] = {
    "companies.User.preferred_language": "a display setting",
    "companies.User.password": "a one-way hash, never shown or exported",
    "companies.User.id": "a row's number",
    "companies.User.is_active": "whether the account may log in",
    "companies.User.is_staff": "a role flag",
    "companies.User.is_superuser": "a role flag",
    "companies.User.groups": "staff roles",
    "companies.User.user_permissions": "staff rights",
    "companies.Cluster.name": "a cluster's name",
    "companies.Cluster.description": "catalogue text about a cluster",
    "companies.Company.name": "a company's name",
    "companies.Company.city": "a company's place of business",
    "catalogue.Provider.name": "a college's or company's name",
    "catalogue.Provider.description": "catalogue text",
    "catalogue.Location.name": "a hub's name",
    "catalogue.Location.name_en": "a hub's name",
    "catalogue.Location.street": "a hub's address",
    "catalogue.Location.postal_code": "a hub's address",
    "catalogue.Location.city": "a hub's address",
    "catalogue.Location.description": "catalogue text",
    "catalogue.Location.description_en": "catalogue text",
    "catalogue.Location.accessibility": "catalogue text",
    "catalogue.Location.accessibility_en": "catalogue text",
    "catalogue.Location.parking": "catalogue text",
    "catalogue.Location.parking_en": "catalogue text",
    "catalogue.Theme.name": "a theme's name",
    "catalogue.Theme.name_en": "a theme's name",
    "companies.Proposal.description": "what a training should be about",
    "companies.Proposal.target_group": "who a training is for, as a group",
    "companies.Proposal.learning_outcomes": "what a training should teach",
    "companies.Proposal.closed_reason": "why a proposal was closed",
    "companies.Offer.note": "a college's terms for an offer",
    "catalogue.Qualification.name": "a qualification's name",
    "catalogue.Qualification.name_en": "a qualification's name",
    "companies.FundingScheme.name": "a fund's scheme",
    "companies.FundingScheme.name_en": "a fund's scheme",
    "companies.FundingScheme.conditions": "a fund's published conditions",
    "companies.FundingScheme.conditions_en": "a fund's published conditions",
    "companies.FundingScheme.url": "a fund's web page",
    "enrolment.EvaluationAnswer.comment": "an anonymous answer, linked to no person",
    "catalogue.Course.description": "catalogue text",
    "catalogue.Course.description_en": "catalogue text",
    "catalogue.Course.learning_outcomes": "catalogue text",
    "catalogue.Course.learning_outcomes_en": "catalogue text",
    "catalogue.Course.audience": "catalogue text",
    "catalogue.Course.audience_en": "catalogue text",
    "catalogue.Course.funding_note": "catalogue text",
    "catalogue.Course.funding_note_en": "catalogue text",
    "catalogue.Offering.instructor": "the trainer's name as the college publishes it",
    "catalogue.Offering.notes": "planning notes about the offering, never about a participant",
    "catalogue.Offering.cancellation_reason": "why the hub cancelled an offering",
    "enrolment.Enrolment.po_number": (
        "the company's purchase order number for the booking: bookkeeping, not about the person"
    ),
    "enrolment.Enrolment.cost_centre": (
        "the company's cost centre for the booking: bookkeeping, not about the person"
    ),
    "catalogue.SchoolActivity.what_pupils_do": "catalogue text",
    "catalogue.SchoolActivity.what_pupils_do_en": "catalogue text",
    "catalogue.SchoolActivity.safety_rules": "catalogue text",
    "catalogue.SchoolActivity.safety_rules_en": "catalogue text",
    "catalogue.SchoolActivity.what_to_bring": "catalogue text",
    "catalogue.SchoolActivity.what_to_bring_en": "catalogue text",
    "catalogue.SchoolActivity.preparation": "catalogue text",
    "catalogue.SchoolActivity.preparation_en": "catalogue text",
    "catalogue.SchoolActivity.follow_up": "catalogue text",
    "catalogue.SchoolActivity.follow_up_en": "catalogue text",
    "catalogue.SchoolMaterial.file": "teaching material for a class",
    "enrolment.School.name": "a school's name",
    "enrolment.School.city": "a school's place",
    "auth.Group.name": "a role's name",
    "auth.Permission.name": "a permission's name",
    "admin.LogEntry.object_id": "a row's number",
}


def holding_for(model_label: str) -> Holding | None:
    return next((holding for holding in HOLDINGS if holding.model == model_label), None)


def covered_fields() -> set[str]:
    """Every ``app_label.Model.field`` the inventory names."""
    return {f"{holding.model}.{name}" for holding in HOLDINGS for name in holding.fields}
