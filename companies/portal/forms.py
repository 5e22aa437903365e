"""Forms of the company portal. Choices are limited to the company's own people and requests."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from enrolment.models import COST_CENTRE_MAX_LENGTH, PO_NUMBER_MAX_LENGTH

from ..models import Invitation, Membership
from ..names import dutch_name_order
from .roster_import import MAX_BYTES
from .selectors import RosterQuery


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres van de medewerker"),
        help_text=_("We sturen een link waarmee je collega een account maakt of inlogt."),
    )


class RemoveMemberForm(forms.Form):
    enrolments = forms.ChoiceField(
        label=_("Wat gebeurt er met de inschrijvingen voor komende cursussen?"),
        choices=[
            ("cancel", _("Annuleren (de plaatsen gaan naar de wachtlijst)")),
            ("keep", _("Laten staan (het bedrijf blijft betalen)")),
        ],
        widget=forms.RadioSelect,
    )


class BookingReferenceForm(forms.Form):
    """The optional references a company books under, kept on each enrolment."""

    po_number = forms.CharField(
        label=_("Inkoopordernummer (PO)"),
        max_length=PO_NUMBER_MAX_LENGTH,
        required=False,
        help_text=_("Optioneel. Staat bij elke inschrijving, op de exports en de factuur."),
    )
    cost_centre = forms.CharField(
        label=_("Kostenplaats"),
        max_length=COST_CENTRE_MAX_LENGTH,
        required=False,
        help_text=_("Optioneel."),
    )
    # Which button was pressed: the first one shows the total, "confirm" books, "change" goes
    # back to the form with everything still filled in.
    step = forms.ChoiceField(
        choices=[("review", "review"), ("confirm", "confirm"), ("change", "change")],
        required=False,
        widget=forms.HiddenInput,
    )


class ReserveSeatsForm(BookingReferenceForm):
    seats = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=1,
        max_value=500,
        help_text=_("Namen geef je later door; plaatsen zonder naam komen na de termijn vrij."),
    )
    field_order = ["seats"]


class NameSeatsForm(forms.Form):
    """Who is chosen comes from the people chooser (``chooser.PeopleChooser``); this form only
    says so next to the list."""

    learners = forms.Field(label=_("Medewerkers"), required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, chosen: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen = chosen

    def clean_learners(self) -> list:
        if not self.chosen:
            raise forms.ValidationError(_("Kies minstens één medewerker."))
        return self.chosen


class TeamEnrolForm(NameSeatsForm, BookingReferenceForm):
    """The chosen people, how to place them, and under which references."""

    all_or_nothing = forms.BooleanField(
        label=_("Alleen als iedereen past"),
        required=False,
        help_text=_("Anders krijgen de eersten een plaats en komen de anderen op de wachtlijst."),
    )
    field_order = ["learners", "all_or_nothing"]


TAKEN_CHOICES = [
    ("", _("maakt niet uit")),
    ("yes", _("gevolgd of ingeschreven")),
    ("no", _("nog niet gevolgd of ingeschreven")),
]


class RosterSearchForm(forms.Form):
    """Finding people in the roster: words, department, function, a course taken or not."""

    q = forms.CharField(
        label=_("Zoek op naam, e-mailadres of personeelsnummer"), max_length=100, required=False
    )
    department = forms.ChoiceField(label=_("Afdeling"), required=False)
    job_title = forms.ChoiceField(label=_("Functie"), required=False)
    taken = forms.ChoiceField(label=_("Cursus"), choices=TAKEN_CHOICES, required=False)
    course = forms.TypedChoiceField(
        label=_("Welke cursus"), coerce=int, empty_value=None, required=False
    )
    page = forms.IntegerField(
        min_value=1, max_value=100_000, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, filters, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("alle"))]
        self.fields["department"].choices = everyone + [(d, d) for d in filters.departments]
        self.fields["job_title"].choices = everyone + [(t, t) for t in filters.job_titles]
        self.fields["course"].choices = [("", _("elke cursus")), *filters.courses]

    def query(self) -> RosterQuery:
        """What the form asks for; an invalid form asks for nothing (its errors show)."""
        if not self.is_bound or not self.is_valid():
            return RosterQuery()
        data = self.cleaned_data
        taken = {"yes": True, "no": False}.get(data["taken"])
        return RosterQuery(
            text=data["q"],
            department=data["department"],
            job_title=data["job_title"],
            course=data["course"] if taken is not None else None,
            taken=taken,
        )

    def page_number(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["page"]:
            return self.cleaned_data["page"]
        return 1


class ApproveForm(forms.Form):
    """Choose requests, from ``pending`` (id, label) only, and approve or reject them; a
    rejection needs the one reason every employee chosen is mailed."""

    requests = forms.TypedMultipleChoiceField(
        label=_("Aanvragen"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één aanvraag.")},
    )
    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("reject", "reject")],
        initial="approve",
        required=False,
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reden bij afwijzen"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Elke gekozen medewerker krijgt deze reden per e-mail."),
    )
    # The bulk rejection's second step: the list and the reason were shown, HR confirms.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, pending: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].choices = pending

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Geef een reden: de medewerkers krijgen die per e-mail."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De medewerker krijgt deze reden per e-mail."),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        validators=[FileExtensionValidator(["csv", "txt"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
        help_text=_(
            "Met de kolommen voornaam, achternaam en e-mailadres; tussenvoegsel, afdeling, "
            "functie, personeelsnummer en taal (nl of en) mogen ook. "
            "Maximaal 5.000 medewerkers en 2 MB."
        ),
        error_messages={
            "invalid_extension": _("Kies een CSV-bestand (.csv of .txt)."),
            "empty": _("Het bestand is leeg."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot (%(size)s). Het mag maximaal %(max)s zijn.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_BYTES)}
            )
        return upload


class ImportConfirmForm(forms.Form):
    import_id = forms.RegexField(regex=r"^[0-9a-f]{32}$", max_length=32, widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label=_("Wat wil je opslaan?"),
        choices=[
            ("valid", _("Alle geldige rijen opslaan")),
            ("all", _("Alleen opslaan als alle rijen goed zijn")),
        ],
        initial="valid",
        widget=forms.RadioSelect,
    )
    remove = forms.ModelMultipleChoiceField(
        label=_("Van de lijst halen"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vink aan wie niet meer bij het bedrijf werkt. Wie je niet aanvinkt, blijft."),
    )
    enrolments = forms.ChoiceField(
        label=_("Wat gebeurt er met hun inschrijvingen voor komende cursussen?"),
        choices=RemoveMemberForm.base_fields["enrolments"].choices,
        initial="keep",
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, leavers: list[Membership], **kwargs):
        super().__init__(*args, **kwargs)
        self.leavers = leavers
        field = self.fields["remove"]
        field.queryset = (
            Membership.objects.filter(pk__in=[m.pk for m in leavers])
            .select_related("user")
            .order_by(*dutch_name_order("user"))
        )
        # Each person as HR knows them: name, address, department.
        field.label_from_instance = lambda m: " · ".join(
            part for part in (str(m.user), m.user.email, m.department) if part
        )
        if not leavers:
            del self.fields["remove"]
            del self.fields["enrolments"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove"):
            if not cleaned.get("enrolments"):
                self.add_error("enrolments", _("Kies wat er met de inschrijvingen gebeurt."))
            # In the order shown (Dutch order), whatever order the queryset gives.
            chosen = {m.pk for m in cleaned["remove"]}
            cleaned["remove"] = [m for m in self.leavers if m.pk in chosen]
        else:
            cleaned["remove"] = []
        return cleaned

    def hide_choice(self) -> None:
        """Every row is fine, so there is nothing to choose: keep the field, hide it."""
        self.fields["mode"].widget = forms.HiddenInput()


class ApprovalRuleForm(forms.Form):
    """Whether employees' sign-ups wait for HR's approval."""

    requires_approval = forms.TypedChoiceField(
        label=_("Aanmeldingen van medewerkers"),
        choices=[
            ("yes", _("Eerst door HR laten goedkeuren")),
            ("no", _("Direct inschrijven (of op de wachtlijst), zonder goedkeuring")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    request_mail = forms.ChoiceField(
        label=_("Hoe hoor je van nieuwe aanvragen?"),
        choices=Membership.RequestMail.choices,
        widget=forms.RadioSelect,
        required=False,  # left out: HR's choice stays as it was
        help_text=_(
            "Elke e-mail heeft knoppen om goed te keuren of af te wijzen. Het dagelijkse "
            "overzicht om 7 uur blijft komen."
        ),
    )

    def __init__(self, *args, hr_member: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not hr_member:
            # Staff looking at a company's portal get no mail about its requests.
            del self.fields["request_mail"]


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("alle")), *Invitation.Status.choices],
        required=False,
    )
