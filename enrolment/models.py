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
