"""Who takes part in which run: enrolments, attendance, certificates and the mail outbox."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from technohub.constraints import ExplainedConstraintsMixin
from technohub.models import TimeStampedModel

# Long enough for the purchase order numbers and cost centres of common bookkeeping systems.
PO_NUMBER_MAX_LENGTH = 35
COST_CENTRE_MAX_LENGTH = 35
# A few sentences: why the employee asks for the course, for HR to read before deciding.
MOTIVATION_MAX_LENGTH = 1000


class Enrolment(ExplainedConstraintsMixin, TimeStampedModel):
    """A learner's place in an offering: requested, confirmed, on the waiting list, or ended.

    At most one *active* (requested, confirmed, waitlisted) enrolment per learner and offering;
    waiting-list positions are 1..n per offering, unique, and set only while waitlisted.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd")
        CONFIRMED = "confirmed", _("bevestigd")
        WAITLISTED = "waitlisted", _("wachtlijst")
        REJECTED = "rejected", _("afgewezen")
        CANCELLED = "cancelled", _("geannuleerd")
        COMPLETED = "completed", _("afgerond")
        # Came (or was excused), but attended less than the course's threshold.
        NOT_COMPLETED = "not_completed", _("niet afgerond")
        # Attended no meeting and was not excused for any either.
        NO_SHOW = "no_show", _("niet verschenen")

    ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED, Status.WAITLISTED)
    # What completing an offering decides for a confirmed participant.
    OUTCOME_STATUSES = (Status.COMPLETED, Status.NOT_COMPLETED, Status.NO_SHOW)

    offering = models.ForeignKey(
        "catalogue.Offering",
        verbose_name=_("uitvoering"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deelnemer"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingeschreven door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("betalend bedrijf"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    waitlist_position = models.PositiveIntegerField(
        _("plaats op wachtlijst"), null=True, blank=True
    )
    price_excl_vat = models.DecimalField(
        _("prijs excl. btw"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    vat_rate = models.DecimalField(
        _("btw-tarief (%)"), max_digits=4, decimal_places=2, default=Decimal("21.00")
    )
    # The company's own references for its invoice, as HR typed them when booking.
    po_number = models.CharField(
        _("inkoopordernummer"), max_length=PO_NUMBER_MAX_LENGTH, blank=True
    )
    cost_centre = models.CharField(_("kostenplaats"), max_length=COST_CENTRE_MAX_LENGTH, blank=True)
    status_changed_at = models.DateTimeField(_("status gewijzigd op"), auto_now_add=True)
    reason = models.TextField(_("reden"), blank=True, max_length=2000)
    motivation = models.TextField(
        _("motivatie"),
        blank=True,
        max_length=MOTIVATION_MAX_LENGTH,
        help_text=_("Waarom de medewerker de cursus aanvraagt; HR leest dit bij de aanvraag."),
    )
    # When the hourly bundle for HR took this request in (each request goes in one bundle).
    bundled_at = models.DateTimeField(_("in de bundel voor HR op"), null=True, blank=True)
    reservation = models.ForeignKey(
        "SeatReservation",
        verbose_name=_("reservering"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
        help_text=_("De gereserveerde plaats die deze inschrijving kreeg."),
    )

    constraint_messages = {
        "enrolment_one_active_per_learner": (
            "learner",
            _("Deze persoon is al ingeschreven voor deze uitvoering of staat op de wachtlijst."),
        ),
        "enrolment_waitlist_position_unique": (
            "waitlist_position",
            _("Deze plaats op de wachtlijst is al bezet."),
        ),
        "enrolment_status_valid": ("status", _("Kies een status uit de lijst.")),
        "enrolment_waitlist_position_iff_waitlisted": (
            "waitlist_position",
            _("Alleen wie op de wachtlijst staat, heeft een plaats op de wachtlijst (1 of hoger)."),
        ),
        "enrolment_price_gte_0": ("price_excl_vat", _("De prijs kan niet negatief zijn.")),
    }

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["offering", "status", "waitlist_position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "offering"],
                condition=Q(status__in=["requested", "confirmed", "waitlisted"]),
                name="enrolment_one_active_per_learner",
            ),
            # Deferred, so positions can be renumbered by one UPDATE inside a transaction.
            models.UniqueConstraint(
                fields=["offering", "waitlist_position"],
                name="enrolment_waitlist_position_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "requested",
                        "confirmed",
                        "waitlisted",
                        "rejected",
                        "cancelled",
                        "completed",
                        "not_completed",
                        "no_show",
                    ]
                ),
                name="enrolment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status="waitlisted", waitlist_position__isnull=False, waitlist_position__gte=1
                )
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="enrolment_waitlist_position_iff_waitlisted",
            ),
            models.CheckConstraint(
                condition=Q(price_excl_vat__gte=0), name="enrolment_price_gte_0"
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "status"]),
            models.Index(fields=["company", "status"]),
            models.Index(fields=["offering", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.offering} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class SeatReservation(ExplainedConstraintsMixin, TimeStampedModel):
    """Seats a company's HR holds in an offering and names people for later.

    ``seats`` is how many it holds still without a name; each person named takes one of them as
    a confirmed enrolment. Unnamed seats go back to the offering when HR releases them, at the
    offering's reservation deadline, or when the offering is cancelled (``released_at``).
    The offering's ``reserved_count`` is the sum of ``seats`` over its reservations.
    """

    offering = models.ForeignKey(
        "catalogue.Offering",
        verbose_name=_("uitvoering"),
        on_delete=models.PROTECT,
        related_name="reservations",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("bedrijf"),
        on_delete=models.PROTECT,
        related_name="reservations",
    )
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gereserveerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reserved_seats = models.PositiveIntegerField(_("gereserveerde plaatsen"))
    seats = models.PositiveIntegerField(_("plaatsen zonder naam"))
    price_excl_vat = models.DecimalField(
        _("prijs per plaats excl. btw"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    vat_rate = models.DecimalField(
        _("btw-tarief (%)"), max_digits=4, decimal_places=2, default=Decimal("21.00")
    )
    released_at = models.DateTimeField(
        _("plaatsen zonder naam vrijgegeven op"), null=True, blank=True
    )
    # Copied onto the enrolment of each person named, like a team enrolment's.
    po_number = models.CharField(
        _("inkoopordernummer"), max_length=PO_NUMBER_MAX_LENGTH, blank=True
    )
    cost_centre = models.CharField(_("kostenplaats"), max_length=COST_CENTRE_MAX_LENGTH, blank=True)

    constraint_messages = {
        "reservation_reserved_seats_gte_1": (
            "reserved_seats",
            _("Een reservering houdt ten minste 1 plaats vast."),
        ),
        "reservation_seats_lte_reserved": (
            "seats",
            _("Er kunnen niet meer plaatsen zonder naam zijn dan er gereserveerd zijn."),
        ),
        "reservation_released_holds_none": (
            "seats",
            _("Een vrijgegeven reservering houdt geen plaatsen meer vast."),
        ),
    }

    class Meta:
        verbose_name = _("reservering")
        verbose_name_plural = _("reserveringen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved_seats__gte=1), name="reservation_reserved_seats_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(seats__lte=F("reserved_seats")), name="reservation_seats_lte_reserved"
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(seats=0),
                name="reservation_released_holds_none",
            ),
        ]
        indexes = [models.Index(fields=["company", "offering"])]

    def __str__(self) -> str:
        return f"{self.company} – {self.offering} ({self.seats}/{self.reserved_seats})"


class Attendance(ExplainedConstraintsMixin, models.Model):
    """How a learner attended one meeting: present (with the hours attended), absent, or excused.

    ``hours`` is what the funding report adds up: the meeting's length for someone present the
    whole time, less for someone who left early, 0 for anyone absent or excused. The upper bound
    (the meeting's length) lives in ``enrolment.services.attendance``; the database keeps the
    rest.
    """

    class State(models.TextChoices):
        PRESENT = "present", _("aanwezig")
        ABSENT = "absent", _("afwezig")
        EXCUSED = "excused", _("afgemeld")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("inschrijving"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    meeting = models.ForeignKey(
        "catalogue.Meeting",
        verbose_name=_("bijeenkomst"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    state = models.CharField(_("aanwezigheid"), max_length=8, choices=State.choices)
    hours = models.DecimalField(
        _("aanwezige uren"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("geregistreerd op"), auto_now=True)

    constraint_messages = {
        "attendance_enrolment_meeting_unique": (
            None,
            _("De aanwezigheid van deze deelnemer bij deze bijeenkomst is al vastgelegd."),
        ),
        "attendance_state_valid": ("state", _("Kies aanwezig, afwezig of afgemeld.")),
        "attendance_hours_only_when_present": (
            "hours",
            _("Alleen wie aanwezig was, heeft aanwezige uren (0 of meer)."),
        ),
    }

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "meeting"], name="attendance_enrolment_meeting_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["present", "absent", "excused"]),
                name="attendance_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & (Q(state="present") | Q(hours=0)),
                name="attendance_hours_only_when_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.learner} @ {self.meeting}: {self.get_state_display()}"

    @property
    def present(self) -> bool:
        return self.state == self.State.PRESENT


class Certificate(models.Model):
    """Proof of participation for a completed enrolment."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("inschrijving"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    number = models.CharField(_("certificaatnummer"), max_length=32, unique=True)
    verification_code = models.CharField(_("verificatiecode"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("uitgegeven op"))
    pdf = models.FileField(_("pdf"), upload_to="certificates/", blank=True)

    class Meta:
        verbose_name = _("certificaat")
        verbose_name_plural = _("certificaten")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number


class Notification(ExplainedConstraintsMixin, models.Model):
    """The outbox: one row per email the system owes someone, sent or not.

    Written in the same transaction as the change that causes it; a Celery task sends it after
    commit and marks it sent with a compare-and-set, so a retried task never sends it twice.
    ``dedupe_key`` (when set) makes a mail that must go out once per event, such as a reminder,
    impossible to queue twice.
    """

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ontvanger"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    to_email = models.EmailField(_("e-mailadres"))
    language = models.CharField(_("taal"), max_length=8, default="nl")
    template = models.CharField(_("sjabloon"), max_length=64)
    context = models.JSONField(_("gegevens"), default=dict, blank=True)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("inschrijving"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    dedupe_key = models.CharField(_("uniek kenmerk"), max_length=128, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    # A sender holds the row until this moment; a crashed sender's claim simply expires.
    claimed_until = models.DateTimeField(_("in behandeling tot"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True, max_length=2000)
    failed_at = models.DateTimeField(_("mislukt op"), null=True, blank=True)

    constraint_messages = {
        "notification_dedupe_key_unique": (
            "dedupe_key",
            _("Een bericht met dit kenmerk bestaat al; het wordt niet nog eens verstuurd."),
        ),
    }

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten (outbox)")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe_key_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_unsent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_email}"


# The evaluation's scale: 1 (poor) to 5 (excellent).
RATING_CHOICES = [(score, str(score)) for score in range(1, 6)]


class EvaluationRequest(TimeStampedModel):
    """That a participant was asked to evaluate their run, reminded, and answered.

    It says *whether* someone answered, never *what*: the answer (:class:`EvaluationAnswer`) has
    no link back to the person, so that the college, and the hub, never see who said what.
    ``answered_at`` makes the answer once-only.
    """

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("inschrijving"),
        on_delete=models.CASCADE,
        related_name="evaluation_request",
    )
    sent_at = models.DateTimeField(_("gevraagd op"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("herinnerd op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluatieverzoek")
        verbose_name_plural = _("evaluatieverzoeken")

    def __str__(self) -> str:
        return str(self.enrolment)


class EvaluationAnswer(ExplainedConstraintsMixin, models.Model):
    """One anonymous evaluation of a run: three scores from 1 to 5 and one open answer.

    Deliberately without a person, an enrolment or a time of day: only the offering and the date.
    """

    constraint_messages = {
        "evaluation_content_1_to_5": ("content", _("Kies een cijfer van 1 tot en met 5.")),
        "evaluation_trainer_1_to_5": ("trainer", _("Kies een cijfer van 1 tot en met 5.")),
        "evaluation_practical_1_to_5": ("practical", _("Kies een cijfer van 1 tot en met 5.")),
    }

    offering = models.ForeignKey(
        "catalogue.Offering",
        verbose_name=_("uitvoering"),
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
    )
    content = models.PositiveSmallIntegerField(_("inhoud van de cursus"), choices=RATING_CHOICES)
    trainer = models.PositiveSmallIntegerField(_("docent"), choices=RATING_CHOICES)
    practical = models.PositiveSmallIntegerField(
        _("bruikbaarheid in het werk"), choices=RATING_CHOICES
    )
    comment = models.TextField(_("opmerking"), blank=True, max_length=2000)
    answered_on = models.DateField(_("beantwoord op"))

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-answered_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content__gte=1, content__lte=5), name="evaluation_content_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(trainer__gte=1, trainer__lte=5), name="evaluation_trainer_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(practical__gte=1, practical__lte=5),
                name="evaluation_practical_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} ({self.answered_on})"


class TransferCheck(ExplainedConstraintsMixin, TimeStampedModel):
    """HR's answer, three months after a run, to "wordt het geleerde toegepast?" for one
    participant."""

    class Answer(models.TextChoices):
        YES = "yes", _("ja")
        PARTLY = "partly", _("gedeeltelijk")
        NO = "no", _("nee")
        UNKNOWN = "unknown", _("weet ik niet")

    constraint_messages = {
        "transfer_check_answer_valid": ("answer", _("Kies een antwoord uit de lijst.")),
    }

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("inschrijving"),
        on_delete=models.CASCADE,
        related_name="transfer_check",
    )
    asked_at = models.DateTimeField(_("gevraagd op"))
    answer = models.CharField(_("antwoord"), max_length=8, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("toepassingsvraag")
        verbose_name_plural = _("toepassingsvragen")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__in=["", "yes", "partly", "no", "unknown"]),
                name="transfer_check_answer_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.enrolment)


class HeldQualification(ExplainedConstraintsMixin, TimeStampedModel):
    """A qualification (``catalogue.Qualification``) a person holds, from ``obtained_on`` to
    ``expires_on`` (empty: it does not expire).

    Earned here: ``enrolment`` is the completed enrolment whose certificate granted it. Earned
    elsewhere: HR entered it (``entered_by``) with the document's date, its issuer and reference.
    A newer row for the same person and qualification supersedes an older one; the matrix and
    the expiry mails read the latest. ``alarms_sent`` holds the days-before values already
    mailed (90, 30), so each mail goes once.
    """

    constraint_messages = {
        "held_qualification_source": (
            "issuer",
            _("Vul in wie het document uitgaf, of koppel een afgeronde inschrijving."),
        ),
        "held_qualification_expires_after_obtained": (
            "expires_on",
            _("De vervaldatum ligt na de datum van behalen."),
        ),
        "held_qualification_enrolment_unique": (
            None,
            _("Deze inschrijving heeft de kwalificatie al toegekend."),
        ),
    }

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="held_qualifications",
    )
    qualification = models.ForeignKey(
        "catalogue.Qualification",
        verbose_name=_("kwalificatie"),
        on_delete=models.PROTECT,
        related_name="held",
    )
    obtained_on = models.DateField(_("behaald op"))
    expires_on = models.DateField(_("geldig tot"), null=True, blank=True)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("inschrijving"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qualifications",
    )
    issuer = models.CharField(_("uitgegeven door"), max_length=200, blank=True)
    document_reference = models.CharField(_("nummer van het document"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    alarms_sent = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("herinneringen verstuurd (dagen voor de vervaldatum)"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("behaalde kwalificatie")
        verbose_name_plural = _("behaalde kwalificaties")
        ordering = ["person", "qualification", "-obtained_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolment__isnull=False) | ~Q(issuer=""),
                name="held_qualification_source",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("obtained_on")),
                name="held_qualification_expires_after_obtained",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "qualification"],
                condition=Q(enrolment__isnull=False),
                name="held_qualification_enrolment_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["qualification", "expires_on"]),
            models.Index(fields=["person", "qualification", "-obtained_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.qualification}"


class School(ExplainedConstraintsMixin, TimeStampedModel):
    """A school that brings classes to the hub, known by its BRIN code (``12AB``, or ``12AB01``
    for one of its locations). The hub holds no data about its pupils, only group sizes."""

    constraint_messages = {
        "school_brin_unique": ("brin", _("Er is al een school met deze BRIN-code.")),
        "school_brin_format": (
            "brin",
            _("Een BRIN-code is 2 cijfers en 2 letters, eventueel gevolgd door 2 cijfers."),
        ),
    }

    name = models.CharField(_("naam van de school"), max_length=200)
    brin = models.CharField(
        _("BRIN-code"),
        max_length=6,
        help_text=_("2 cijfers en 2 letters, zoals 12AB; voor een vestiging met 2 cijfers erna."),
    )
    city = models.CharField(_("plaats"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["brin"], name="school_brin_unique"),
            models.CheckConstraint(
                condition=Q(brin__regex=r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$"),
                name="school_brin_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.brin})"


class SchoolRequest(ExplainedConstraintsMixin, TimeStampedModel):
    """A teacher's request for an activity (``catalogue.SchoolActivity``) for one or more groups.

    Requested, then planned (a visit is allocated and waits for the host), confirmed (the host
    said yes), done (the day passed) or cancelled (by the teacher, the hub or the host, with a
    reason). A host who declines sends it back to requested. The teacher says when: up to three
    preferred dates, or a window, and days that cannot. No pupil is named anywhere: groups are
    counts (:class:`SchoolGroup`).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd")
        PLANNED = "planned", _("ingepland")
        CONFIRMED = "confirmed", _("bevestigd")
        DONE = "done", _("geweest")
        CANCELLED = "cancelled", _("geannuleerd")

    class Transport(models.TextChoices):
        OWN = "own", _("eigen vervoer")
        BUS = "bus", _("bus nodig")
        MOBILE_HUB = "mobile_hub", _("mobiele hub op school")

    class Party(models.TextChoices):
        TEACHER = "teacher", _("de school")
        HUB = "hub", _("de hub")
        HOST = "host", _("het gastbedrijf")

    constraint_messages = {
        "school_request_status_valid": ("status", _("Kies een status uit de lijst.")),
        "school_request_transport_valid": ("transport", _("Kies een vorm van vervoer.")),
        "school_request_supervisors_gte_1": (
            "supervisors",
            _("Er komt ten minste één begeleider mee."),
        ),
        "school_request_has_dates": (
            "preferred_dates",
            _("Geef tot drie voorkeursdatums, of een periode met een begin en een eind."),
        ),
        "school_request_window_order": (
            "window_to",
            _("Het eind van de periode ligt na het begin."),
        ),
        "school_request_cancelled_has_moment": (
            "cancelled_at",
            _("Een geannuleerde aanvraag heeft een moment van annuleren."),
        ),
    }

    activity = models.ForeignKey(
        "catalogue.SchoolActivity",
        verbose_name=_("activiteit"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="requests"
    )
    # Emptied when the teacher's data is no longer kept: the counts stay for the funder.
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("docent"),
        on_delete=models.SET_NULL,
        related_name="school_requests",
        null=True,
        blank=True,
    )
    contact_phone = models.CharField(
        _("telefoon op de dag"),
        max_length=30,
        blank=True,
        help_text=_("Waarop de hub en het gastbedrijf je op de dag zelf bereiken."),
    )
    supervisors = models.PositiveSmallIntegerField(_("begeleiders"))
    accessibility = models.TextField(
        _("toegankelijkheid"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Wat de groep nodig heeft, zoals een rolstoelroute of prikkelarme ruimte. "
            "Noem geen namen van leerlingen."
        ),
    )
    preferred_dates = ArrayField(
        models.DateField(), verbose_name=_("voorkeursdatums"), size=3, default=list, blank=True
    )
    window_from = models.DateField(_("periode van"), null=True, blank=True)
    window_to = models.DateField(_("periode tot en met"), null=True, blank=True)
    blackout_dates = ArrayField(
        models.DateField(), verbose_name=_("datums die niet kunnen"), default=list, blank=True
    )
    transport = models.CharField(_("vervoer"), max_length=16, choices=Transport.choices)
    question = models.TextField(_("vraag of opmerking"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("geannuleerd door"), max_length=16, choices=Party.choices, blank=True
    )
    cancel_reason = models.CharField(_("reden van annuleren"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("schoolaanvraag")
        verbose_name_plural = _("schoolaanvragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["requested", "planned", "confirmed", "done", "cancelled"]),
                name="school_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(transport__in=["own", "bus", "mobile_hub"]),
                name="school_request_transport_valid",
            ),
            models.CheckConstraint(
                condition=Q(supervisors__gte=1), name="school_request_supervisors_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(preferred_dates__len__gte=1)
                | Q(window_from__isnull=False, window_to__isnull=False),
                name="school_request_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(window_from__isnull=True)
                | Q(window_to__isnull=True)
                | Q(window_to__gte=F("window_from")),
                name="school_request_window_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="school_request_cancelled_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["status", "activity"])]

    def __str__(self) -> str:
        return f"{self.school} – {self.activity}"


class SchoolGroup(ExplainedConstraintsMixin, models.Model):
    """One class in a request: its level, year and number of pupils (never who they are)."""

    class Level(models.TextChoices):
        PO = "po", _("basisonderwijs (groep)")
        VMBO = "vmbo", _("vmbo (leerjaar)")
        HAVO_VWO = "havo_vwo", _("havo/vwo (leerjaar)")
        MBO = "mbo", _("mbo (leerjaar)")

    constraint_messages = {
        "school_group_level_valid": ("level", _("Kies een niveau uit de lijst.")),
        "school_group_pupils_range": ("pupils", _("Een groep heeft 1 tot 40 leerlingen.")),
        "school_group_year_range": (
            "year",
            _("Kies een jaar dat bij het niveau past: groep 1–8, vmbo 1–4, havo/vwo 1–6, mbo 1–4."),
        ),
    }

    request = models.ForeignKey(
        SchoolRequest, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="groups"
    )
    label = models.CharField(_("klas"), max_length=30, blank=True, help_text=_("Bijvoorbeeld 3B."))
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("groep of leerjaar"))
    pupils = models.PositiveSmallIntegerField(_("aantal leerlingen"))

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["po", "vmbo", "havo_vwo", "mbo"]),
                name="school_group_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(pupils__gte=1, pupils__lte=40), name="school_group_pupils_range"
            ),
            models.CheckConstraint(
                condition=Q(level="po", year__gte=1, year__lte=8)
                | Q(level__in=["vmbo", "mbo"], year__gte=1, year__lte=4)
                | Q(level="havo_vwo", year__gte=1, year__lte=6),
                name="school_group_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level_and_year}: {self.pupils}"

    @property
    def level_and_year(self) -> str:
        """The group's year as a school says it: "groep 7", "vmbo 3", "havo/vwo 4"."""
        if self.level == self.Level.PO:
            return _("groep %(year)s") % {"year": self.year}
        return f"{self.level.replace('_', '/')} {self.year}"


class SchoolVisit(ExplainedConstraintsMixin, TimeStampedModel):
    """A slot the hub allocated to a request: the activity on a day, at a place (none: at the
    school), for the request's pupils.

    Planned until the host answers from the mailed link (``host_token_hash`` is the SHA-256 of
    the link's token; ``host_answered_at`` makes it single use, ``host_link_expires_at`` ends
    it), then confirmed or declined; cancelled by either side. A request has at most one live
    (planned or confirmed) visit; earlier ones stay as its history. ``reminders_sent`` holds the
    days-before values already mailed (14, 2).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("wacht op het gastbedrijf")
        CONFIRMED = "confirmed", _("bevestigd")
        DECLINED = "declined", _("geweigerd door het gastbedrijf")
        CANCELLED = "cancelled", _("geannuleerd")

    LIVE_STATUSES = (Status.PLANNED, Status.CONFIRMED)

    constraint_messages = {
        "school_visit_status_valid": ("status", _("Kies een status uit de lijst.")),
        "school_visit_one_live_per_request": (
            None,
            _("Deze aanvraag is al ingepland; annuleer dat bezoek eerst."),
        ),
        "school_visit_ends_after_start": ("ends_at", _("Het bezoek eindigt na het begin.")),
        "school_visit_pupils_gte_1": ("pupils", _("Er komt ten minste één leerling.")),
    }

    request = models.ForeignKey(
        SchoolRequest, verbose_name=_("aanvraag"), on_delete=models.CASCADE, related_name="visits"
    )
    activity = models.ForeignKey(
        "catalogue.SchoolActivity",
        verbose_name=_("activiteit"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    location = models.ForeignKey(
        "catalogue.Location",
        verbose_name=_("plaats"),
        on_delete=models.PROTECT,
        related_name="school_visits",
        null=True,
        blank=True,
        help_text=_("Leeg: op de school."),
    )
    date = models.DateField(_("datum"))
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    pupils = models.PositiveSmallIntegerField(_("leerlingen"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingepland door"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    host_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    host_link_expires_at = models.DateTimeField(_("link gastbedrijf verloopt op"), null=True)
    host_answered_at = models.DateTimeField(_("gastbedrijf antwoordde op"), null=True, blank=True)
    host_decline_reason = models.CharField(_("reden van weigeren"), max_length=500, blank=True)
    reminders_sent = ArrayField(
        models.PositiveSmallIntegerField(), verbose_name=_("herinneringen"), default=list
    )
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("schoolbezoek")
        verbose_name_plural = _("schoolbezoeken")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "confirmed", "declined", "cancelled"]),
                name="school_visit_status_valid",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["planned", "confirmed"]),
                name="school_visit_one_live_per_request",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="school_visit_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(pupils__gte=1), name="school_visit_pupils_gte_1"),
        ]
        indexes = [models.Index(fields=["activity", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.request} – {self.date}"


class SchoolEvaluation(ExplainedConstraintsMixin, models.Model):
    """The teacher's three answers after a visit: how engaged the pupils were, how well it fit
    the lessons (1–5 each), and what could be better."""

    constraint_messages = {
        "school_evaluation_engagement_1_to_5": (
            "engagement",
            _("Kies een cijfer van 1 tot en met 5."),
        ),
        "school_evaluation_fit_1_to_5": ("fit", _("Kies een cijfer van 1 tot en met 5.")),
    }

    request = models.OneToOneField(
        SchoolRequest,
        verbose_name=_("aanvraag"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    engagement = models.PositiveSmallIntegerField(
        _("Hoe enthousiast waren je leerlingen?"), choices=RATING_CHOICES
    )
    fit = models.PositiveSmallIntegerField(
        _("Hoe goed sloot de activiteit aan bij je lessen?"), choices=RATING_CHOICES
    )
    improvement = models.TextField(_("Wat kan er beter?"), blank=True, max_length=1000)
    answered_on = models.DateField(_("beantwoord op"))

    class Meta:
        verbose_name = _("evaluatie van een schoolbezoek")
        verbose_name_plural = _("evaluaties van schoolbezoeken")
        ordering = ["-answered_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement__gte=1, engagement__lte=5),
                name="school_evaluation_engagement_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(fit__gte=1, fit__lte=5), name="school_evaluation_fit_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return str(self.request)
