"""The learning offer: who teaches, where, what, and when."""

from datetime import time
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from technohub.constraints import ExplainedConstraintsMixin
from technohub.models import TimeStampedModel


class TranslatedFieldsMixin:
    """Read ``<field>_en`` in English when it is filled in, else the Dutch ``<field>``."""

    def localized(self, field: str) -> str:
        if (get_language() or "nl").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)


class Provider(ExplainedConstraintsMixin, TimeStampedModel):
    """A college or company that teaches courses at the hub."""

    class Kind(models.TextChoices):
        COLLEGE = "college", _("onderwijsinstelling")
        COMPANY = "company", _("bedrijf")
        OTHER = "other", _("anders")

    constraint_messages = {
        "provider_kind_valid": ("kind", _("Kies een soort aanbieder uit de lijst.")),
    }

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("omschrijving"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["college", "company", "other"]), name="provider_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(ExplainedConstraintsMixin, TranslatedFieldsMixin, TimeStampedModel):
    """Where training happens: a physical hub, the mobile hub, or online."""

    class Kind(models.TextChoices):
        HUB = "hub", _("hub")
        MOBILE = "mobile", _("mobiele hub")
        ONLINE = "online", _("online")

    constraint_messages = {
        "location_kind_valid": ("kind", _("Kies een soort locatie uit de lijst.")),
    }

    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    description = models.TextField(_("omschrijving"), blank=True, max_length=5000)
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True, max_length=5000)
    accessibility = models.TextField(_("toegankelijkheid"), blank=True, max_length=2000)
    accessibility_en = models.TextField(_("toegankelijkheid (Engels)"), blank=True, max_length=2000)
    parking = models.TextField(_("parkeren"), blank=True, max_length=2000)
    parking_en = models.TextField(_("parkeren (Engels)"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["hub", "mobile", "online"]), name="location_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(TranslatedFieldsMixin, models.Model):
    """A subject area such as welding, CNC or precision farming."""

    name = models.CharField(_("naam"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Qualification(ExplainedConstraintsMixin, TranslatedFieldsMixin, models.Model):
    """A qualification a course grants, such as VCA or NEN 3140, valid for a period.

    A person holds one after completing a course that grants it, or because HR entered one
    earned elsewhere (``enrolment.HeldQualification``). ``validity_months`` empty: it never
    expires. ``refresher_courses`` renew it; the expiry mails list their next runs (the courses
    that grant it when none is linked).
    """

    constraint_messages = {
        "qualification_validity_gte_1": (
            "validity_months",
            _("Een geldigheid is ten minste 1 maand; laat het veld leeg als ze niet verloopt."),
        ),
    }

    name = models.CharField(_("naam"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    validity_months = models.PositiveSmallIntegerField(
        _("geldigheid (maanden)"),
        null=True,
        blank=True,
        help_text=_("Bijvoorbeeld 120 voor VCA (10 jaar). Leeg: verloopt niet."),
    )
    refresher_courses = models.ManyToManyField(
        "Course",
        verbose_name=_("herhalingscursussen"),
        related_name="refreshes",
        blank=True,
        help_text=_("Cursussen die de kwalificatie verlengen."),
    )

    class Meta:
        verbose_name = _("kwalificatie")
        verbose_name_plural = _("kwalificaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity_months__isnull=True) | Q(validity_months__gte=1),
                name="qualification_validity_gte_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolTargetGroup(models.TextChoices):
    """The school levels an activity for schools is made for (*doelgroepen*)."""

    PO_5_8 = "po_5_8", _("po groep 5–8")
    VMBO_1_2 = "vmbo_1_2", _("vmbo 1–2")
    VMBO_3_4 = "vmbo_3_4", _("vmbo 3–4")
    HAVO_VWO = "havo_vwo", _("havo/vwo")
    MBO = "mbo", _("mbo")


def _school_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class SchoolActivity(ExplainedConstraintsMixin, TranslatedFieldsMixin, TimeStampedModel):
    """What a school class can come and do (*Techniek beleven*): a company's assignment at a hub,
    a guest lesson, or the mobile hub at the school.

    A day offers ``places_per_day`` visits (a morning and an afternoon group: 2), each of at most
    ``max_pupils`` pupils with one supervisor per ``pupils_per_supervisor``. ``host`` is the
    company that hosts it and ``host_contact`` the person who confirms each visit from a mailed
    link; without a host contact the hub confirms itself. The host receives groups on
    ``weekdays`` (0 = Monday).
    """

    class Kind(models.TextChoices):
        AT_HUB = "hub", _("opdracht in de hub")
        AT_COMPANY = "company", _("bij het bedrijf")
        GUEST_LESSON = "guest_lesson", _("gastles op school")
        MOBILE_HUB = "mobile_hub", _("mobiele hub op school")

    constraint_messages = {
        "school_activity_kind_valid": ("kind", _("Kies een soort activiteit uit de lijst.")),
        "school_activity_has_target_group": ("target_groups", _("Kies ten minste één doelgroep.")),
        "school_activity_duration_range": (
            "duration_minutes",
            _("Een activiteit duurt tussen 30 minuten en 8 uur."),
        ),
        "school_activity_max_pupils_gte_1": (
            "max_pupils",
            _("Er kan ten minste 1 leerling mee."),
        ),
        "school_activity_ratio_gte_1": (
            "pupils_per_supervisor",
            _("Vul in op hoeveel leerlingen één begeleider komt (ten minste 1)."),
        ),
        "school_activity_places_gte_1": (
            "places_per_day",
            _("Er is ten minste 1 plaats per dag."),
        ),
        "school_activity_has_weekday": ("weekdays", _("Kies ten minste één dag van de week.")),
        "school_activity_cost_not_negative": ("cost_excl_vat", _("De kosten zijn niet negatief.")),
    }

    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    summary = models.CharField(_("samenvatting"), max_length=300)
    summary_en = models.CharField(_("samenvatting (Engels)"), max_length=300, blank=True)
    what_pupils_do = models.TextField(_("wat leerlingen doen"), max_length=3000)
    what_pupils_do_en = models.TextField(
        _("wat leerlingen doen (Engels)"), blank=True, max_length=3000
    )
    target_groups = ArrayField(
        models.CharField(max_length=16, choices=SchoolTargetGroup.choices),
        verbose_name=_("doelgroepen"),
        default=list,
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duur (minuten)"), help_text=_("Inclusief ontvangst en afsluiting.")
    )
    max_pupils = models.PositiveSmallIntegerField(
        _("maximum aantal leerlingen"), help_text=_("Per bezoek, alle groepen samen.")
    )
    pupils_per_supervisor = models.PositiveSmallIntegerField(
        _("leerlingen per begeleider"),
        default=8,
        help_text=_("Bijvoorbeeld 8: per 8 leerlingen komt één begeleider van de school mee."),
    )
    places_per_day = models.PositiveSmallIntegerField(
        _("plaatsen per dag"),
        default=1,
        help_text=_("Hoeveel bezoeken de activiteit op één dag kan ontvangen."),
    )
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("dagen van de week"),
        default=_school_weekdays,
        help_text=_("De dagen waarop het gastbedrijf groepen ontvangt (0 = maandag)."),
    )
    start_time = models.TimeField(_("begintijd"), default=time(9, 0))
    locations = models.ManyToManyField(
        Location,
        verbose_name=_("plaatsen"),
        related_name="school_activities",
        blank=True,
        help_text=_("Waar de activiteit kan plaatsvinden; leeg voor een activiteit op school."),
    )
    host = models.ForeignKey(
        "companies.Company",
        verbose_name=_("gastbedrijf"),
        on_delete=models.SET_NULL,
        related_name="school_activities",
        null=True,
        blank=True,
    )
    host_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contactpersoon gastbedrijf"),
        on_delete=models.SET_NULL,
        related_name="hosted_school_activities",
        null=True,
        blank=True,
        help_text=_("Bevestigt of weigert elk bezoek via een link in de mail."),
    )
    safety_rules = models.TextField(
        _("veiligheidsregels"), blank=True, max_length=2000, help_text=_("Eén regel per regel.")
    )
    safety_rules_en = models.TextField(_("veiligheidsregels (Engels)"), blank=True, max_length=2000)
    what_to_bring = models.TextField(_("meenemen"), blank=True, max_length=1000)
    what_to_bring_en = models.TextField(_("meenemen (Engels)"), blank=True, max_length=1000)
    preparation = models.TextField(_("voorbereiding in de klas"), blank=True, max_length=3000)
    preparation_en = models.TextField(
        _("voorbereiding in de klas (Engels)"), blank=True, max_length=3000
    )
    follow_up = models.TextField(_("verwerking na afloop"), blank=True, max_length=3000)
    follow_up_en = models.TextField(_("verwerking na afloop (Engels)"), blank=True, max_length=3000)
    cost_excl_vat = models.DecimalField(
        _("kosten excl. btw"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    cost_terms = models.CharField(
        _("toelichting kosten"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: per groep; gratis voor scholen in de Noordoostpolder."),
    )
    cost_terms_en = models.CharField(_("toelichting kosten (Engels)"), max_length=200, blank=True)
    is_published = models.BooleanField(_("gepubliceerd"), default=False)

    class Meta:
        verbose_name = _("activiteit voor scholen")
        verbose_name_plural = _("activiteiten voor scholen")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["hub", "company", "guest_lesson", "mobile_hub"]),
                name="school_activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_groups__len__gte=1), name="school_activity_has_target_group"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=30, duration_minutes__lte=480),
                name="school_activity_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(max_pupils__gte=1), name="school_activity_max_pupils_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(pupils_per_supervisor__gte=1), name="school_activity_ratio_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(places_per_day__gte=1), name="school_activity_places_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(weekdays__len__gte=1), name="school_activity_has_weekday"
            ),
            models.CheckConstraint(
                condition=Q(cost_excl_vat__gte=0), name="school_activity_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def at_school(self) -> bool:
        """A guest lesson and the mobile hub happen at the school, not at a place of the hub."""
        return self.kind in (self.Kind.GUEST_LESSON, self.Kind.MOBILE_HUB)


class SchoolMaterial(TranslatedFieldsMixin, models.Model):
    """A file a teacher uses before or after a visit: a worksheet, a manual, a slide deck."""

    class Use(models.TextChoices):
        PREPARATION = "preparation", _("voorbereiding")
        FOLLOW_UP = "follow_up", _("verwerking")

    activity = models.ForeignKey(
        SchoolActivity,
        verbose_name=_("activiteit"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    use = models.CharField(_("gebruik"), max_length=16, choices=Use.choices)
    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    file = models.FileField(_("bestand"), upload_to="schools/materials/")

    class Meta:
        verbose_name = _("lesmateriaal")
        verbose_name_plural = _("lesmateriaal")
        ordering = ["use", "title"]

    def __str__(self) -> str:
        return self.title


class Sector(models.TextChoices):
    METAL = "metal", _("metaal")
    AGRI = "agri", _("agro")
    BOTH = "both", _("metaal en agro")


class Course(ExplainedConstraintsMixin, TranslatedFieldsMixin, TimeStampedModel):
    """A course as offered in the catalogue; with the offerings it is scheduled in."""

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("kennismaking")
        BASIC = "basic", _("basis")
        ADVANCED = "advanced", _("gevorderd")
        SPECIALIST = "specialist", _("specialist")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("op locatie")
        ONLINE = "online", _("online")
        BLENDED = "blended", _("blended")
        MOBILE = "mobile", _("mobiele hub")

    constraint_messages = {
        "course_price_gte_0": ("price_excl_vat", _("De prijs kan niet negatief zijn.")),
        "course_vat_rate_range": (
            "vat_rate",
            _("Het btw-tarief ligt tussen 0 en 100 procent."),
        ),
        "course_study_hours_gt_0": (
            "study_hours",
            _("Een cursus heeft meer dan 0 studie-uren."),
        ),
        "course_attendance_threshold_range": (
            "attendance_threshold",
            _("De aanwezigheidsdrempel is hoogstens 100 procent."),
        ),
        "course_sector_valid": ("sector", _("Kies een sector uit de lijst.")),
        "course_mode_valid": ("mode", _("Kies een vorm uit de lijst.")),
    }

    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("samenvatting"), max_length=300)
    summary_en = models.CharField(_("samenvatting (Engels)"), max_length=300, blank=True)
    description = models.TextField(_("omschrijving"), max_length=10000)
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True, max_length=10000)
    learning_outcomes = models.TextField(
        _("leerdoelen"), blank=True, max_length=5000, help_text=_("Eén leerdoel per regel.")
    )
    learning_outcomes_en = models.TextField(_("leerdoelen (Engels)"), blank=True, max_length=5000)
    audience = models.TextField(_("voor wie"), blank=True, max_length=2000)
    audience_en = models.TextField(_("voor wie (Engels)"), blank=True, max_length=2000)
    level = models.CharField(
        _("niveau-indicatie"),
        max_length=16,
        choices=Level.choices,
        default=Level.BASIC,
        help_text=_("Een indicatie van het instapniveau; geen NLQF-niveau."),
    )
    sector = models.CharField(_("sector"), max_length=8, choices=Sector.choices)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), related_name="courses", blank=True
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="courses"
    )
    mode = models.CharField(_("vorm"), max_length=16, choices=Mode.choices, default=Mode.ON_SITE)
    study_hours = models.DecimalField(
        _("studie-uren"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    price_excl_vat = models.DecimalField(
        _("prijs per deelnemer excl. btw"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    vat_rate = models.DecimalField(
        _("btw-tarief (%)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("21.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    funding_eligible = models.BooleanField(_("subsidiabel"), default=False)
    funding_note = models.TextField(_("toelichting financiering"), blank=True, max_length=2000)
    funding_note_en = models.TextField(
        _("toelichting financiering (Engels)"), blank=True, max_length=2000
    )
    ozone_url = models.URLField(_("link naar oZone"), blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("aanwezigheidsdrempel (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Vanaf dit aanwezigheidspercentage is de cursus afgerond."),
    )
    qualification = models.ForeignKey(
        Qualification,
        verbose_name=_("kwalificatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="granted_by",
        help_text=_("De kwalificatie die wie de cursus afrondt behaalt, zoals VCA."),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=False)
    # Weighted full-text document (title > summary > description > themes), Dutch and English;
    # kept current by catalogue.services.refresh_search_vectors.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("cursus")
        verbose_name_plural = _("cursussen")
        ordering = ["title"]
        indexes = [GinIndex(fields=["search_vector"], name="course_search_vector_gin")]
        constraints = [
            models.CheckConstraint(condition=Q(price_excl_vat__gte=0), name="course_price_gte_0"),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="course_vat_rate_range"
            ),
            models.CheckConstraint(condition=Q(study_hours__gt=0), name="course_study_hours_gt_0"),
            models.CheckConstraint(
                condition=Q(attendance_threshold__lte=100), name="course_attendance_threshold_range"
            ),
            models.CheckConstraint(
                condition=Q(sector__in=["metal", "agri", "both"]), name="course_sector_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["on_site", "online", "blended", "mobile"]),
                name="course_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def vat_amount(self) -> Decimal:
        return (self.price_excl_vat * self.vat_rate / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def price_incl_vat(self) -> Decimal:
        return self.price_excl_vat + self.vat_amount


class OfferingQuerySet(models.QuerySet):
    def public(self) -> "OfferingQuerySet":
        """Open runs for everyone: not closed to a few companies (``private_for`` empty)."""
        return self.exclude(
            models.Exists(
                Offering.private_for.through.objects.filter(offering_id=models.OuterRef("pk"))
            )
        )

    def visible_to(self, user) -> "OfferingQuerySet":
        """The public runs plus the closed runs for a company ``user`` works at (any role)."""
        if user is None or not user.is_authenticated:
            return self.public()
        through = Offering.private_for.through.objects.filter(offering_id=models.OuterRef("pk"))
        return self.exclude(
            models.Exists(through) & ~models.Exists(through.filter(company__memberships__user=user))
        )

    def for_company(self, company) -> "OfferingQuerySet":
        """The public runs plus the closed runs for ``company`` (what its HR may book)."""
        through = Offering.private_for.through.objects.filter(offering_id=models.OuterRef("pk"))
        return self.exclude(
            models.Exists(through) & ~models.Exists(through.filter(company_id=company.pk))
        )

    def private(self) -> "OfferingQuerySet":
        """Closed runs only (*besloten uitvoeringen*)."""
        return self.filter(
            models.Exists(
                Offering.private_for.through.objects.filter(offering_id=models.OuterRef("pk"))
            )
        )


class Offering(ExplainedConstraintsMixin, TimeStampedModel):
    """One scheduled offering of a course (Dutch: *uitvoering*).

    ``confirmed_count`` counts confirmed enrolments and ``reserved_count`` the seats companies
    hold without names yet (``enrolment.SeatReservation``); together they never exceed the
    capacity. Services change them with ``F()`` under a row lock; the check constraint makes
    overbooking impossible even if a service were wrong.
    """

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        OPEN = "open", _("open")
        CANCELLED = "cancelled", _("geannuleerd")
        COMPLETED = "completed", _("afgerond")

    constraint_messages = {
        "offering_capacity_gte_1": ("capacity", _("Een uitvoering heeft ten minste 1 plaats.")),
        "offering_min_lte_capacity": (
            "min_participants",
            _("Het minimum aantal deelnemers kan niet hoger zijn dan de capaciteit."),
        ),
        "offering_seats_lte_capacity": (
            "capacity",
            _("Er zijn meer plaatsen bevestigd of gereserveerd dan deze capaciteit."),
        ),
        "offering_enrolment_window_ordered": (
            "enrolment_closes_at",
            _("De inschrijving moet sluiten nadat ze opengaat."),
        ),
        "offering_status_valid": ("status", _("Kies een status uit de lijst.")),
    }

    course = models.ForeignKey(
        Course, verbose_name=_("cursus"), on_delete=models.PROTECT, related_name="offerings"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.PROTECT, related_name="offerings"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CONCEPT
    )
    capacity = models.PositiveIntegerField(_("capaciteit"), validators=[MinValueValidator(1)])
    min_participants = models.PositiveIntegerField(_("minimum aantal deelnemers"), default=1)
    confirmed_count = models.PositiveIntegerField(
        _("bevestigde plaatsen"), default=0, editable=False
    )
    reserved_count = models.PositiveIntegerField(
        _("gereserveerde plaatsen"), default=0, editable=False
    )
    enrolment_opens_at = models.DateTimeField(_("inschrijving open vanaf"), null=True, blank=True)
    enrolment_closes_at = models.DateTimeField(_("inschrijving sluit op"), null=True, blank=True)
    cancellation_deadline = models.DateTimeField(
        _("annuleren kan tot"),
        null=True,
        blank=True,
        help_text=_("Leeg: 7 dagen voor de eerste bijeenkomst."),
    )
    reservation_deadline = models.DateTimeField(
        _("namen doorgeven tot"),
        null=True,
        blank=True,
        help_text=_(
            "Tot wanneer bedrijven namen doorgeven voor gereserveerde plaatsen; daarna komen "
            "plaatsen zonder naam vrij. Leeg: de annuleringstermijn."
        ),
    )
    # A closed run (*besloten uitvoering*): only these companies' employees and HR see it and
    # enrol in it, at the price agreed with them; it is never in the public catalogue.
    private_for = models.ManyToManyField(
        "companies.Company",
        verbose_name=_("besloten voor"),
        blank=True,
        related_name="private_offerings",
        help_text=_(
            "Leeg: een open uitvoering in de catalogus. Anders alleen voor deze bedrijven."
        ),
    )
    agreed_price_excl_vat = models.DecimalField(
        _("afgesproken prijs per deelnemer (excl. btw)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leeg: de prijs van de cursus."),
    )
    instructor = models.CharField(_("docent"), max_length=200, blank=True)
    notes = models.TextField(_("opmerkingen"), blank=True, max_length=2000)
    cancellation_reason = models.TextField(_("reden van annulering"), blank=True, max_length=2000)
    # The go/no-go decision for a run below its minimum: once taken, it leaves the start page.
    go_decided_at = models.DateTimeField(
        _("besloten door te gaan op"), null=True, blank=True, editable=False
    )
    go_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door te gaan door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitvoering")
        verbose_name_plural = _("uitvoeringen")
        ordering = ["course__title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="offering_capacity_gte_1"),
            models.CheckConstraint(
                condition=Q(min_participants__lte=F("capacity")),
                name="offering_min_lte_capacity",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity") - F("reserved_count")),
                name="offering_seats_lte_capacity",
            ),
            models.CheckConstraint(
                condition=Q(enrolment_opens_at__isnull=True)
                | Q(enrolment_closes_at__isnull=True)
                | Q(enrolment_closes_at__gt=F("enrolment_opens_at")),
                name="offering_enrolment_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["concept", "open", "cancelled", "completed"]),
                name="offering_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "course"])]

    def __str__(self) -> str:
        return f"{self.course} – {self.location}"

    @property
    def price_excl_vat(self):
        """What one seat in this run costs, excl. VAT: the price agreed for a closed run, else the
        course's price. Every amount computed for the run starts here (``enrolment.pricing``)."""
        if self.agreed_price_excl_vat is not None:
            return self.agreed_price_excl_vat
        return self.course.price_excl_vat

    @property
    def vat_amount(self) -> Decimal:
        return (self.price_excl_vat * self.course.vat_rate / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def price_incl_vat(self) -> Decimal:
        return self.price_excl_vat + self.vat_amount

    @property
    def seats_left(self) -> int:
        """Seats nobody holds: neither a confirmed enrolment nor a company's reservation."""
        return self.capacity - self.confirmed_count - self.reserved_count

    @property
    def seats_open(self) -> int:
        """Seats a newcomer would get: none while anyone waits, for the line goes first (a seat
        freed after the cancellation deadline stays free). Needs ``anyone_waiting``, annotated
        by the selectors that show offerings to the public (``with_waiting``)."""
        waiting = getattr(self, "anyone_waiting", None)
        if waiting is None:  # not annotated: ask (one query)
            waiting = self.enrolments.filter(status="waitlisted").exists()
        return 0 if waiting else max(self.seats_left, 0)


class Meeting(ExplainedConstraintsMixin, TranslatedFieldsMixin, models.Model):
    """One dated session of an offering (Dutch: *bijeenkomst*); attendance is per meeting."""

    constraint_messages = {
        "meeting_ends_after_start": (
            "ends_at",
            _("Een bijeenkomst eindigt na het begin: kies een latere eindtijd."),
        ),
    }

    offering = models.ForeignKey(
        Offering, verbose_name=_("uitvoering"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    topic = models.CharField(_("onderwerp"), max_length=200, blank=True)
    topic_en = models.CharField(_("onderwerp (Engels)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["offering", "starts_at"])]

    def __str__(self) -> str:
        # In the site's time zone (Europe/Amsterdam), as everywhere people read a time.
        return f"{self.offering.course} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
