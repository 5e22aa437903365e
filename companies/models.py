"""People and companies: users, clusters, member companies, memberships and training needs."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import TranslatedFieldsMixin
from technohub.constraints import ExplainedConstraintsMixin
from technohub.models import TimeStampedModel

from .names import KEY_MAX_LENGTH, dutch_name_order, name_sort_key


class UserQuerySet(models.QuerySet):
    def in_dutch_order(self):
        """These users as a Dutch list files them (``companies.names``)."""
        return self.order_by(*dutch_name_order())

    def programme_managers(self):
        """The active, not erased users of the group Programmamanager: they hear what the hub
        must decide (a college's draft, a new proposal or offer)."""
        return self.filter(
            groups__name="Programmamanager", is_active=True, erased_at__isnull=True
        ).distinct()

    def school_coordinators(self):
        """The active, not erased users who plan school visits (the groups Coördinator
        techniekpromotie and Programmamanager): they hear of new requests and a host's no."""
        return self.filter(
            groups__permissions__codename="plan_school_visits",
            is_active=True,
            erased_at__isnull=True,
        ).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str):
        """Log-in finds the account whatever the case of the address typed (``Jan@X.nl``)."""
        return self.annotate(email_lower=Lower("email")).get(
            email_lower=self.normalize_email(username or "").strip().lower()
        )

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        # Staff log in only with a confirmed address; whoever runs createsuperuser vouches for it.
        extra_fields.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra_fields)


class User(ExplainedConstraintsMixin, AbstractBaseUser, PermissionsMixin):
    """A person with an account: learner, HR staff or programme manager."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("voorkeurstaal"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    email_verified_at = models.DateTimeField(_("e-mailadres bevestigd op"), null=True, blank=True)
    is_staff = models.BooleanField(
        _("medewerker hub"),
        default=False,
        help_text=_("Mag inloggen in het beheer."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    provider = models.ForeignKey(
        "catalogue.Provider",
        verbose_name=_("werkt voor aanbieder"),
        on_delete=models.SET_NULL,
        related_name="staff",
        null=True,
        blank=True,
        help_text=_(
            "Voor opleiders: de school of het bedrijf waarvan ze de uitvoeringen verzorgen. "
            "Zonder de permissie voor alle uitvoeringen zien ze alleen die van deze aanbieder."
        ),
    )
    date_joined = models.DateTimeField(_("lid sinds"), default=timezone.now)
    # Set when the person's data was erased: the row stays, nameless, for what must be kept.
    erased_at = models.DateTimeField(_("gegevens verwijderd op"), null=True, blank=True)
    # Derived from the name on every save (``companies.names``); the C collation makes every
    # PostgreSQL sort it the same way, byte by byte.
    name_sort_key = models.CharField(
        max_length=KEY_MAX_LENGTH, blank=True, editable=False, db_collation="C", db_index=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    constraint_messages = {
        "user_email_ci_unique": (
            "email",
            _("Er is al een account met dit e-mailadres (hoofdletters tellen niet mee)."),
        ),
        "user_language_valid": ("preferred_language", _("Kies Nederlands of Engels.")),
    }

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["name_sort_key", "email"]
        # The hub's own permissions for the staff pages outside the admin, given through the
        # groups Programmamanager, Opleider and Alleen lezen (see ``StaffPermission``).
        permissions = [
            ("view_staff_dashboard", _("Mag het dashboard van de hub zien")),
            ("view_demand_board", _("Mag het vraagbord zien")),
            ("view_funding_report", _("Mag het subsidieoverzicht per bedrijf downloaden")),
            ("take_attendance", _("Mag aanwezigheid registreren")),
            ("complete_offering", _("Mag uitvoeringen afronden")),
            ("manage_any_provider", _("Mag de uitvoeringen van elke aanbieder beheren")),
            ("use_any_company_portal", _("Mag het portaal van elk bedrijf gebruiken")),
            ("export_personal_data", _("Mag persoonsgegevens exporteren")),
            ("view_processing_register", _("Mag het verwerkingsregister zien")),
            ("use_college_pages", _("Mag de pagina's van de eigen aanbieder gebruiken")),
            ("manage_proposals", _("Mag voorstellen en offertes beheren")),
            ("view_all_evaluations", _("Mag de evaluaties van alle cursussen zien")),
            ("plan_school_visits", _("Mag schoolbezoeken plannen")),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(preferred_language__in=["nl", "en"]), name="user_language_valid"
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return str(_("verwijderd account"))
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # The sort key follows the name whoever saves it; a save of some fields that include
        # a name (a profile edit, an erasure) writes the key with them.
        self.name_sort_key = name_sort_key(
            first_name=self.first_name, last_name=self.last_name, email=self.email
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_sort_key"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class StaffPermission:
    """The names of the hub's staff permissions (``User.Meta.permissions``), for ``has_perm``."""

    DASHBOARD = "companies.view_staff_dashboard"
    DEMAND_BOARD = "companies.view_demand_board"
    FUNDING_REPORT = "companies.view_funding_report"
    ATTENDANCE = "companies.take_attendance"
    COMPLETE_OFFERING = "companies.complete_offering"
    ANY_PROVIDER = "companies.manage_any_provider"
    ANY_COMPANY_PORTAL = "companies.use_any_company_portal"
    EXPORT_PERSONAL_DATA = "companies.export_personal_data"
    PROCESSING_REGISTER = "companies.view_processing_register"
    COLLEGE_PAGES = "companies.use_college_pages"
    MANAGE_PROPOSALS = "companies.manage_proposals"
    ALL_EVALUATIONS = "companies.view_all_evaluations"
    SCHOOL_PLANNING = "companies.plan_school_visits"


class Cluster(models.Model):
    """A group of companies working together, such as the Agrofoodcluster."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("omschrijving"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Company(ExplainedConstraintsMixin, TimeStampedModel):
    """A member company whose employees train at the hub."""

    class Fund(models.TextChoices):
        AOM = "aom", _("A+O Metalektro")
        OOM = "oom", _("OOM")
        OTHER = "other", _("ander fonds")
        NONE = "none", _("geen")

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kvk_number = models.CharField(
        _("KvK-nummer"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{8}$", _("Een KvK-nummer bestaat uit 8 cijfers."))],
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.PROTECT,
        related_name="companies",
        null=True,
        blank=True,
    )
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    sector_fund = models.CharField(
        _("sectorfonds"), max_length=8, choices=Fund.choices, default=Fund.NONE
    )
    requires_approval = models.BooleanField(
        _("aanmeldingen vragen goedkeuring van HR"), default=False
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="companies"
    )

    constraint_messages = {
        "company_kvk_8_digits": ("kvk_number", _("Een KvK-nummer bestaat uit 8 cijfers.")),
        "company_sector_fund_valid": ("sector_fund", _("Kies een sectorfonds uit de lijst.")),
    }

    class Meta:
        verbose_name = _("bedrijf")
        verbose_name_plural = _("bedrijven")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="company_kvk_8_digits"
            ),
            models.CheckConstraint(
                condition=Q(sector_fund__in=["aom", "oom", "other", "none"]),
                name="company_sector_fund_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def hr_to_mail(self, company_ids) -> "MembershipQuerySet":
        """The HR members of these companies who can be mailed (account active, not erased),
        with their users and companies, by company."""
        return (
            self.filter(
                company_id__in=list(company_ids),
                role=Membership.Role.HR,
                user__is_active=True,
                user__erased_at__isnull=True,
            )
            .select_related("user", "company")
            .order_by("company_id", "pk")
        )


class Membership(ExplainedConstraintsMixin, TimeStampedModel):
    """A user belongs to a company, as an employee or as HR staff."""

    class Role(models.TextChoices):
        EMPLOYEE = "employee", _("medewerker")
        HR = "hr", _("HR")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("bedrijf"), on_delete=models.CASCADE, related_name="memberships"
    )

    objects = MembershipQuerySet.as_manager()

    class RequestMail(models.TextChoices):
        EACH = "each", _("Meteen, een e-mail per aanvraag")
        HOURLY = "hourly", _("Gebundeld, hoogstens één e-mail per uur")

    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    # What HR keeps about their people to find them in a roster of thousands; all optional,
    # and kept up to date by the roster import.
    department = models.CharField(_("afdeling"), max_length=100, blank=True)
    job_title = models.CharField(_("functie"), max_length=100, blank=True)
    personnel_number = models.CharField(_("personeelsnummer"), max_length=30, blank=True)
    # How an HR member hears of employees' requests waiting for approval.
    request_mail = models.CharField(
        _("e-mail over aanvragen"),
        max_length=8,
        choices=RequestMail.choices,
        default=RequestMail.EACH,
    )

    constraint_messages = {
        "membership_user_company_unique": (
            "user",
            _("Deze persoon hoort al bij dit bedrijf."),
        ),
        "membership_role_valid": ("role", _("Kies een rol uit de lijst.")),
        "membership_request_mail_valid": ("request_mail", _("Kies een keuze uit de lijst.")),
    }

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["company__name", "user__name_sort_key"]
        indexes = [
            models.Index(fields=["company", "department"], name="membership_department_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="membership_user_company_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["employee", "hr"]), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(request_mail__in=["each", "hourly"]),
                name="membership_request_mail_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.get_role_display()})"


class TrainingNeed(ExplainedConstraintsMixin, TimeStampedModel):
    """What a company tells the hub its people need to learn."""

    class Status(models.TextChoices):
        NEW = "new", _("nieuw")
        IN_PROGRESS = "in_progress", _("in behandeling")
        PLANNED = "planned", _("gepland")
        FULFILLED = "fulfilled", _("vervuld")
        REJECTED = "rejected", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    class Urgency(models.TextChoices):
        LOW = "low", _("kan wachten")
        NORMAL = "normal", _("normaal")
        HIGH = "high", _("dringend")

    company = models.ForeignKey(
        Company, verbose_name=_("bedrijf"), on_delete=models.CASCADE, related_name="training_needs"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    theme = models.ForeignKey(
        "catalogue.Theme",
        verbose_name=_("thema"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_needs",
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True, max_length=2000)
    headcount = models.PositiveIntegerField(
        _("aantal medewerkers"), validators=[MinValueValidator(1)]
    )
    preferred_locations = models.ManyToManyField(
        "catalogue.Location",
        verbose_name=_("voorkeurslocaties"),
        blank=True,
        related_name="training_needs",
    )
    period_start = models.DateField(_("gewenst vanaf"), null=True, blank=True)
    period_end = models.DateField(_("gewenst tot"), null=True, blank=True)
    urgency = models.CharField(
        _("urgentie"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    course = models.ForeignKey(
        "catalogue.Course",
        verbose_name=_("cursus"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_needs",
    )
    offering = models.ForeignKey(
        "catalogue.Offering",
        verbose_name=_("uitvoering"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_needs",
    )

    constraint_messages = {
        "need_headcount_gte_1": ("headcount", _("Het aantal mensen is ten minste 1.")),
        "need_period_ordered": (
            "period_end",
            _("De gewenste periode eindigt niet voor ze begint."),
        ),
        "need_status_valid": ("status", _("Kies een status uit de lijst.")),
        "need_urgency_valid": ("urgency", _("Kies een urgentie uit de lijst.")),
    }

    class Meta:
        verbose_name = _("opleidingsbehoefte")
        verbose_name_plural = _("opleidingsbehoeften")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="need_headcount_gte_1"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="need_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "new",
                        "in_progress",
                        "planned",
                        "fulfilled",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="need_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=["low", "normal", "high"]), name="need_urgency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.company})"


class Interest(ExplainedConstraintsMixin, TimeStampedModel):
    """ "Houd me op de hoogte": someone wants a course that has no offering with a seat for them
    yet.

    Either a learner asks for themselves (``learner`` set, ``headcount`` 1) or HR asks for a
    number of unnamed employees (``learner`` empty, ``company`` and ``headcount`` set). It is
    open until an offering is published that meets it; then ``notified_at`` and ``offering`` record
    the offering that was announced to whoever asked.
    """

    course = models.ForeignKey(
        "catalogue.Course",
        verbose_name=_("cursus"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    location = models.ForeignKey(
        "catalogue.Location",
        verbose_name=_("locatie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interests",
        help_text=_("Leeg: elke locatie is goed."),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deelnemer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interests",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("bedrijf"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interests",
    )
    headcount = models.PositiveIntegerField(
        _("aantal medewerkers"), default=1, validators=[MinValueValidator(1)]
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("doorgegeven door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("bericht verstuurd op"), null=True, blank=True)
    offering = models.ForeignKey(
        "catalogue.Offering",
        verbose_name=_("aangekondigde uitvoering"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    constraint_messages = {
        "interest_headcount_gte_1": ("headcount", _("Het aantal mensen is ten minste 1.")),
        "interest_has_learner_or_company": (
            None,
            _("Kies een persoon of een bedrijf: van wie is deze interesse?"),
        ),
        "interest_learner_counts_one": (
            "headcount",
            _("De interesse van één persoon telt voor 1."),
        ),
        "interest_open_once_per_learner": (
            None,
            _("Deze persoon heeft al interesse in deze cursus op deze locatie."),
        ),
        "interest_open_once_per_company_group": (
            None,
            _("Dit bedrijf heeft al interesse in deze cursus op deze locatie."),
        ),
    }

    class Meta:
        verbose_name = _("interesse")
        verbose_name_plural = _("interesse")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="interest_headcount_gte_1"),
            models.CheckConstraint(
                condition=Q(learner__isnull=False) | Q(company__isnull=False),
                name="interest_has_learner_or_company",
            ),
            models.CheckConstraint(
                condition=Q(learner__isnull=True) | Q(headcount=1),
                name="interest_learner_counts_one",
            ),
            # One open interest per learner (or per company's unnamed group) per course and place.
            models.UniqueConstraint(
                fields=["learner", "course", "location"],
                condition=Q(notified_at__isnull=True, learner__isnull=False),
                nulls_distinct=False,
                name="interest_open_once_per_learner",
            ),
            models.UniqueConstraint(
                fields=["company", "course", "location"],
                condition=Q(notified_at__isnull=True, learner__isnull=True),
                nulls_distinct=False,
                name="interest_open_once_per_company_group",
            ),
        ]
        indexes = [
            models.Index(
                fields=["course"], condition=Q(notified_at__isnull=True), name="interest_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.learner or self.company})"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor withdrawn (expired ones included: they can be sent again)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(ExplainedConstraintsMixin, TimeStampedModel):
    """HR invites someone by email to join the company; the mailed link expires.

    One pending invitation per company and address: sending it again gives the same row a new
    link (``token``) and expiry; withdrawing it ends it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("openstaand")
        ACCEPTED = "accepted", _("geaccepteerd")
        EXPIRED = "expired", _("verlopen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    company = models.ForeignKey(
        Company, verbose_name=_("bedrijf"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mailadres"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgenodigd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("verloopt op"))
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geaccepteerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    # The language of the mail, kept so that sending it again speaks the same language.
    language = models.CharField(_("taal"), max_length=8, choices=settings.LANGUAGES, default="nl")
    sent_count = models.PositiveSmallIntegerField(_("aantal keer verstuurd"), default=1)

    objects = InvitationQuerySet.as_manager()

    constraint_messages = {
        "invitation_pending_once_per_address": (
            "email",
            _("Dit adres heeft al een openstaande uitnodiging van dit bedrijf."),
        ),
        "invitation_language_valid": ("language", _("Kies Nederlands of Engels.")),
    }

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        constraints = [
            # Inviting someone twice never mails two links: the second finds the first.
            models.UniqueConstraint(
                "company",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_pending_once_per_address",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["nl", "en"]), name="invitation_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    def status_at(self, now) -> str:
        """Pending, accepted, expired or withdrawn (``Invitation.Status``) at ``now``."""
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.withdrawn_at is not None:
            return self.Status.WITHDRAWN
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.PENDING


class Proposal(ExplainedConstraintsMixin, TimeStampedModel):
    """A proposal (*voorstel*): from a need to a course, with companies and colleges at the table.

    It starts from a group on the demand board, from a company's HR ("wij zoeken een training …")
    or from a college ("wij kunnen dit aanbieden"). Companies pledge head counts
    (:class:`Pledge`), colleges answer with offers (:class:`Offer`); the programme manager accepts
    one offer, which makes a concept course or run (``course``, ``offering``), and publishing that
    run turns the pledges into mails to HR and, where HR chose so, reserved seats.
    """

    class Origin(models.TextChoices):
        DEMAND = "demand", _("vraagbord")
        COMPANY = "company", _("bedrijf")
        COLLEGE = "college", _("aanbieder")

    class Status(models.TextChoices):
        OPEN = "open", _("open voor toezeggingen en offertes")
        ACCEPTED = "accepted", _("offerte geaccepteerd")
        PUBLISHED = "published", _("uitvoering gepubliceerd")
        CLOSED = "closed", _("gesloten")

    constraint_messages = {
        "proposal_origin_valid": ("origin", _("Kies een herkomst uit de lijst.")),
        "proposal_status_valid": ("status", _("Kies een status uit de lijst.")),
        "proposal_headcount_gte_1": (
            "expected_headcount",
            _("Verwacht ten minste één deelnemer."),
        ),
        "proposal_period_ordered": (
            "period_end",
            _("Het einde van de periode ligt niet voor het begin."),
        ),
        "proposal_company_origin_has_company": (
            None,
            _("Een voorstel van een bedrijf hoort bij dat bedrijf."),
        ),
        "proposal_college_origin_has_provider": (
            None,
            _("Een voorstel van een aanbieder hoort bij die aanbieder."),
        ),
    }

    origin = models.CharField(_("herkomst"), max_length=16, choices=Origin.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True, max_length=5000)
    target_group = models.TextField(_("doelgroep"), blank=True, max_length=2000)
    learning_outcomes = models.TextField(_("leerdoelen"), blank=True, max_length=5000)
    expected_headcount = models.PositiveIntegerField(_("verwacht aantal deelnemers"), default=1)
    locations = models.ManyToManyField(
        "catalogue.Location",
        verbose_name=_("locaties"),
        blank=True,
        related_name="proposals",
        help_text=_("Leeg: elke locatie."),
    )
    period_start = models.DateField(_("periode vanaf"), null=True, blank=True)
    period_end = models.DateField(_("periode tot en met"), null=True, blank=True)
    theme = models.ForeignKey(
        "catalogue.Theme",
        verbose_name=_("thema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # Who it came from: a company's HR (origin company) or a college (origin college).
    company = models.ForeignKey(
        Company,
        verbose_name=_("bedrijf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    provider = models.ForeignKey(
        "catalogue.Provider",
        verbose_name=_("aanbieder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_proposals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The colleges asked to answer; none: every college may.
    providers = models.ManyToManyField(
        "catalogue.Provider",
        verbose_name=_("gericht aan"),
        blank=True,
        related_name="proposals",
        help_text=_("Leeg: elke aanbieder mag een offerte sturen."),
    )
    # The demand board's needs this proposal answers (origin demand).
    training_needs = models.ManyToManyField(
        TrainingNeed, verbose_name=_("opleidingsbehoeften"), blank=True, related_name="proposals"
    )
    # An existing course it is about, and what accepting an offer made.
    course = models.ForeignKey(
        "catalogue.Course",
        verbose_name=_("cursus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    offering = models.ForeignKey(
        "catalogue.Offering",
        verbose_name=_("uitvoering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    closed_reason = models.TextField(_("reden van sluiten"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("voorstel")
        verbose_name_plural = _("voorstellen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin__in=["demand", "company", "college"]),
                name="proposal_origin_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "published", "closed"]),
                name="proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(expected_headcount__gte=1), name="proposal_headcount_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="proposal_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(origin="company") | Q(company__isnull=False),
                name="proposal_company_origin_has_company",
            ),
            models.CheckConstraint(
                condition=~Q(origin="college") | Q(provider__isnull=False),
                name="proposal_college_origin_has_provider",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Pledge(ExplainedConstraintsMixin, TimeStampedModel):
    """A company's promise to take part in a proposal: "wij doen mee met 4".

    Other companies' HR see only the proposal's total. With ``reserve_seats`` the head count
    becomes a seat reservation (``reservation``) when the run is published.
    """

    constraint_messages = {
        "pledge_headcount_gte_1": ("headcount", _("Doe mee met ten minste één deelnemer.")),
        "pledge_one_per_company": (
            None,
            _("Jullie bedrijf doet al mee met dit voorstel; pas die toezegging aan."),
        ),
    }

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("voorstel"), on_delete=models.CASCADE, related_name="pledges"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("bedrijf"), on_delete=models.PROTECT, related_name="pledges"
    )
    headcount = models.PositiveIntegerField(_("aantal deelnemers"))
    reserve_seats = models.BooleanField(
        _("plaatsen reserveren zodra de uitvoering open is"), default=False
    )
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegezegd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reservation = models.OneToOneField(
        "enrolment.SeatReservation",
        verbose_name=_("reservering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledge",
    )

    class Meta:
        verbose_name = _("toezegging")
        verbose_name_plural = _("toezeggingen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="pledge_headcount_gte_1"),
            models.UniqueConstraint(fields=["proposal", "company"], name="pledge_one_per_company"),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.headcount}"


class Offer(ExplainedConstraintsMixin, TimeStampedModel):
    """A college's answer to a proposal (*offerte*): price, numbers, hours, dates and places.

    The programme manager accepts at most one offer per proposal; the others are then declined.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("ingediend")
        ACCEPTED = "accepted", _("geaccepteerd")
        DECLINED = "declined", _("niet gekozen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    constraint_messages = {
        "offer_status_valid": ("status", _("Kies een status uit de lijst.")),
        "offer_min_lte_max": (
            "min_participants",
            _("Het minimum aantal deelnemers kan niet hoger zijn dan het maximum."),
        ),
        "offer_min_gte_1": ("min_participants", _("Het minimum is ten minste 1 deelnemer.")),
        "offer_price_gte_0": ("price_excl_vat", _("Een prijs is niet negatief.")),
        "offer_hours_gt_0": ("hours", _("Een cursus duurt langer dan 0 uur.")),
        "offer_one_accepted_per_proposal": (
            None,
            _("Er is al een offerte voor dit voorstel geaccepteerd."),
        ),
        "offer_one_active_per_provider": (
            None,
            _("Jullie organisatie heeft al een offerte voor dit voorstel; pas die aan."),
        ),
    }

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("voorstel"), on_delete=models.CASCADE, related_name="offers"
    )
    provider = models.ForeignKey(
        "catalogue.Provider",
        verbose_name=_("aanbieder"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    price_excl_vat = models.DecimalField(
        _("prijs per deelnemer (excl. btw)"), max_digits=8, decimal_places=2
    )
    min_participants = models.PositiveIntegerField(_("minimum aantal deelnemers"))
    max_participants = models.PositiveIntegerField(_("maximum aantal deelnemers"))
    hours = models.DecimalField(_("uren"), max_digits=6, decimal_places=1)
    locations = models.ManyToManyField(
        "catalogue.Location", verbose_name=_("locaties"), blank=True, related_name="offers"
    )
    at_company = models.BooleanField(_("kan bij een bedrijf (mobiele hub)"), default=False)
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("offerte")
        verbose_name_plural = _("offertes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "declined", "withdrawn"]),
                name="offer_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(min_participants__lte=F("max_participants")),
                name="offer_min_lte_max",
            ),
            models.CheckConstraint(condition=Q(min_participants__gte=1), name="offer_min_gte_1"),
            models.CheckConstraint(condition=Q(price_excl_vat__gte=0), name="offer_price_gte_0"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="offer_hours_gt_0"),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(status="accepted"),
                name="offer_one_accepted_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["proposal", "provider"],
                condition=Q(status__in=["submitted", "accepted"]),
                name="offer_one_active_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} — {self.proposal}"


class OfferMeeting(ExplainedConstraintsMixin, models.Model):
    """One proposed meeting of an offer: accepting the offer copies these into the run."""

    constraint_messages = {
        "offer_meeting_ends_after_start": ("ends_at", _("Een bijeenkomst eindigt na het begin.")),
    }

    offer = models.ForeignKey(
        Offer, verbose_name=_("offerte"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))

    class Meta:
        verbose_name = _("voorgestelde bijeenkomst")
        verbose_name_plural = _("voorgestelde bijeenkomsten")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="offer_meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return str(timezone.localtime(self.starts_at))


class FundingScheme(ExplainedConstraintsMixin, TranslatedFieldsMixin, TimeStampedModel):
    """A sector fund's scheme (*regeling*) for one cao period, as data the programme manager edits.

    ``valid_from`` .. ``valid_to`` is the cao period the rules hold for: a run starting in it
    falls under this row, and "once per employee per activity" counts within it. When the fund
    changes its rules, the manager ends this row and adds a new one. The arithmetic and the
    deadlines live in ``companies.funding.rules``.
    """

    class CostType(models.TextChoices):
        COURSE_FEE = "course_fee", _("cursusgeld")
        EXAM_FEE = "exam_fee", _("examenkosten")
        MATERIALS = "materials", _("lesmateriaal")
        TRAVEL = "travel", _("reiskosten")
        WAGES = "wages", _("loonkosten")

    class Window(models.TextChoices):
        BEFORE_START = "before_start", _("vóór de start")
        AFTER_START = "after_start", _("binnen een aantal maanden na de start")

    class Proof(models.TextChoices):
        CERTIFICATE = "certificate", _("bewijs van deelname")
        ATTENDANCE = "attendance", _("aanwezigheidsverklaring")
        INVOICE = "invoice", _("factuur")
        POP = "pop", _("persoonlijk ontwikkelplan (POP)")

    constraint_messages = {
        "funding_scheme_fund_valid": ("fund", _("Kies een fonds uit de lijst.")),
        "funding_scheme_percentage_range": (
            "percentage",
            _("Het percentage ligt tussen 0 en 100 (0 niet meegerekend)."),
        ),
        "funding_scheme_max_amount_gt_0": (
            "max_amount",
            _("Het maximum is meer dan € 0; laat het veld leeg als er geen maximum is."),
        ),
        "funding_scheme_window_valid": ("window", _("Kies een aanvraagtermijn uit de lijst.")),
        "funding_scheme_window_months": (
            "window_months",
            _("Vul het aantal maanden in als je na de start aanvraagt, en alleen dan (1 of meer)."),
        ),
        "funding_scheme_max_duration_gte_1": (
            "max_duration_months",
            _("De maximale duur is ten minste 1 maand; laat het veld leeg als er geen is."),
        ),
        "funding_scheme_valid_period": (
            "valid_to",
            _("De einddatum ligt op of na de begindatum."),
        ),
    }

    fund = models.CharField(
        _("fonds"),
        max_length=8,
        choices=[(value, label) for value, label in Company.Fund.choices if value != "none"],
    )
    name = models.CharField(_("naam van de regeling"), max_length=200)
    name_en = models.CharField(_("naam van de regeling (Engels)"), max_length=200, blank=True)
    percentage = models.DecimalField(
        _("vergoeding (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Het deel van de subsidiabele kosten dat het fonds vergoedt."),
    )
    max_amount = models.DecimalField(
        _("maximum per aanvraag (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leeg: geen maximum."),
    )
    eligible_costs = ArrayField(
        models.CharField(max_length=16, choices=CostType.choices),
        verbose_name=_("subsidiabele kosten"),
        default=list,
        blank=True,
    )
    vat_claimable = models.BooleanField(_("btw subsidiabel"), default=False)
    window = models.CharField(_("aanvraagtermijn"), max_length=16, choices=Window.choices)
    window_months = models.PositiveSmallIntegerField(
        _("maanden na de start"),
        null=True,
        blank=True,
        help_text=_("Alleen bij aanvragen na de start: binnen hoeveel maanden."),
    )
    max_duration_months = models.PositiveSmallIntegerField(
        _("maximale duur van de cursus (maanden)"),
        null=True,
        blank=True,
        help_text=_("Leeg: geen maximum."),
    )
    proof_required = ArrayField(
        models.CharField(max_length=16, choices=Proof.choices),
        verbose_name=_("gevraagde bewijsstukken"),
        default=list,
        blank=True,
    )
    once_per_activity = models.BooleanField(
        _("eenmaal per medewerker per activiteit per cao-periode"), default=True
    )
    themes = models.ManyToManyField(
        "catalogue.Theme",
        verbose_name=_("thema's"),
        related_name="funding_schemes",
        blank=True,
        help_text=_("Leeg: elke subsidiabele cursus. Anders alleen cursussen met een van deze."),
    )
    conditions = models.TextField(
        _("voorwaarden"),
        blank=True,
        max_length=2000,
        help_text=_("Eén voorwaarde per regel; HR ziet ze bij de inschatting."),
    )
    conditions_en = models.TextField(_("voorwaarden (Engels)"), blank=True, max_length=2000)
    url = models.URLField(_("pagina van het fonds"), blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_to = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("subsidieregeling")
        verbose_name_plural = _("subsidieregelingen")
        ordering = ["fund", "name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fund__in=["aom", "oom", "other"]), name="funding_scheme_fund_valid"
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0, percentage__lte=100),
                name="funding_scheme_percentage_range",
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gt=0),
                name="funding_scheme_max_amount_gt_0",
            ),
            models.CheckConstraint(
                condition=Q(window__in=["before_start", "after_start"]),
                name="funding_scheme_window_valid",
            ),
            models.CheckConstraint(
                condition=Q(window="after_start", window_months__isnull=False, window_months__gte=1)
                | Q(window="before_start", window_months__isnull=True),
                name="funding_scheme_window_months",
            ),
            models.CheckConstraint(
                condition=Q(max_duration_months__isnull=True) | Q(max_duration_months__gte=1),
                name="funding_scheme_max_duration_gte_1",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="funding_scheme_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_fund_display()}: {self.name}"


class FundingClaim(ExplainedConstraintsMixin, TimeStampedModel):
    """Where a company's claim for one enrolment stands with a fund.

    There is at most one per enrolment (no double funding). A row exists once HR recorded a step
    or the site sent an alarm about the deadline (``alarms_sent``: the days-before values already
    mailed); without one, the enrolment's claim is *niet aangevraagd*. ``learner``, ``course``
    and ``once_per_activity`` are copied from the enrolment and the scheme so the database itself
    refuses a second live claim for the same employee, activity and cao period (scheme row).
    """

    class Status(models.TextChoices):
        NOT_APPLIED = "not_applied", _("niet aangevraagd")
        APPLIED = "applied", _("aangevraagd")
        GRANTED = "granted", _("toegekend")
        REJECTED = "rejected", _("afgewezen")
        PAID = "paid", _("uitbetaald")

    # The statuses in which the claim counts as made: a second one for the same activity is refused.
    LIVE_STATUSES = (Status.APPLIED, Status.GRANTED, Status.PAID)

    constraint_messages = {
        "funding_claim_status_valid": ("status", _("Kies een status uit de lijst.")),
        "funding_claim_once_per_activity": (
            None,
            _(
                "Voor deze medewerker is deze cursus in deze cao-periode al aangevraagd bij "
                "deze regeling."
            ),
        ),
        "funding_claim_applied_on": (
            "applied_on",
            _("Vul de datum van de aanvraag in."),
        ),
        "funding_claim_amount_gte_0": ("amount", _("Het bedrag kan niet negatief zijn.")),
    }

    enrolment = models.OneToOneField(
        "enrolment.Enrolment",
        verbose_name=_("inschrijving"),
        on_delete=models.PROTECT,
        related_name="funding_claim",
    )
    scheme = models.ForeignKey(
        FundingScheme,
        verbose_name=_("regeling"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("bedrijf"), on_delete=models.PROTECT, related_name="funding_claims"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deelnemer"),
        on_delete=models.PROTECT,
        related_name="funding_claims",
    )
    course = models.ForeignKey(
        "catalogue.Course",
        verbose_name=_("cursus"),
        on_delete=models.PROTECT,
        related_name="funding_claims",
    )
    once_per_activity = models.BooleanField(
        _("eenmaal per medewerker per activiteit per cao-periode"), default=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_APPLIED
    )
    applied_on = models.DateField(_("aangevraagd op"), null=True, blank=True)
    reference = models.CharField(_("kenmerk van de aanvraag"), max_length=50, blank=True)
    amount = models.DecimalField(
        _("aangevraagd bedrag"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Het bedrag dat bij het fonds is aangevraagd; leeg: de inschatting."),
    )
    decided_on = models.DateField(_("besloten of uitbetaald op"), null=True, blank=True)
    note = models.TextField(_("notitie"), blank=True, max_length=500)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bijgewerkt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    alarms_sent = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("herinneringen verstuurd (dagen voor de termijn)"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("subsidieaanvraag")
        verbose_name_plural = _("subsidieaanvragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["not_applied", "applied", "granted", "rejected", "paid"]),
                name="funding_claim_status_valid",
            ),
            models.UniqueConstraint(
                fields=["scheme", "learner", "course"],
                condition=Q(once_per_activity=True, status__in=["applied", "granted", "paid"]),
                name="funding_claim_once_per_activity",
            ),
            models.CheckConstraint(
                condition=Q(status="not_applied") | Q(applied_on__isnull=False),
                name="funding_claim_applied_on",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funding_claim_amount_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["company", "status"])]

    def __str__(self) -> str:
        return f"{self.scheme} – {self.enrolment_id} ({self.get_status_display()})"
