"""Account forms: sign-up, log-in, password reset, profile. They check shape, not rules."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from technohub.client import client_address

from ..models import User
from . import lockout, phone

# Far beyond any passphrase, short enough that hashing it costs nothing worth attacking.
MAX_PASSWORD_LENGTH = 4096
PASSWORD_RULES = _("Minstens 8 tekens, niet alleen cijfers en niet te voor de hand liggend.")


def password_field(label, *, new: bool, help_text="", autofocus: bool = False) -> forms.CharField:
    """A password box as every form of the site has it: not stripped, with a length limit, and
    the browser told whether to fill in the saved password or offer a new one."""
    attrs = {"autocomplete": "new-password" if new else "current-password"}
    if autofocus:
        attrs["autofocus"] = True
    return forms.CharField(
        label=label,
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs=attrs),
        help_text=help_text,
    )


class SignupForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Dit is ook je inlognaam. Gebruik bij voorkeur je werkadres."),
    )
    password = password_field(_("Wachtwoord"), new=True, help_text=PASSWORD_RULES)

    def clean_email(self) -> str:
        # Whether the address has an account is not said here: the service handles it.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("password")
        if password:
            candidate = User(
                email=cleaned_data.get("email", ""),
                first_name=cleaned_data.get("first_name", ""),
                last_name=cleaned_data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned_data

    @property
    def preferred_language(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LoginForm(AuthenticationForm):
    """Log in with email and password; an unconfirmed address cannot log in yet."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Dit e-mailadres en wachtwoord horen niet bij elkaar."),
        "unverified": _(
            "Je hebt je e-mailadres nog niet bevestigd. We hebben je een nieuwe link gestuurd."
        ),
        "cooling_down": _(
            "Met dit account is vaak een verkeerd wachtwoord geprobeerd. Probeer het over "
            "%(seconds)s seconden opnieuw, of vraag een nieuw wachtwoord aan."
        ),
    }

    # Longer than any email address is a form error, before it reaches a lookup or a log.
    username = UsernameField(max_length=254, widget=forms.TextInput(attrs={"autofocus": True}))
    password = password_field(_("Wachtwoord"), new=False)

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mailadres")
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        self.unverified_user: User | None = None

    def clean(self):
        # Checked before the password, so that a refused attempt is neither counted nor timed.
        wait = lockout.seconds_to_wait(
            email=self.cleaned_data.get("username"),
            address=client_address(self.request),
            now=timezone.now(),
        )
        if wait:
            raise ValidationError(
                self.error_messages["cooling_down"], code="cooling_down", params={"seconds": wait}
            )
        return super().clean()

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.email_verified_at is None:
            self.unverified_user = user
            raise ValidationError(self.error_messages["unverified"], code="unverified")


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's log-in: staff only, only with a confirmed email address, and with the
    same length limits as the site's log-in."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "unverified": _(
            "Dit account heeft nog geen bevestigd e-mailadres. Bevestig het eerst via de link "
            "in de mail, of vraag een beheerder het adres te bevestigen."
        ),
    }

    username = LoginForm.base_fields["username"]
    password = LoginForm.base_fields["password"]

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.email_verified_at is None:
            raise ValidationError(self.error_messages["unverified"], code="unverified")


class ProfileForm(forms.ModelForm):
    """Name, phone number and language. Names are required here (the model allows blanks for
    erased accounts); the phone number is checked and stored as E.164."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "preferred_language"]
        help_texts = {
            "phone": _(
                "Optioneel. Alleen voor de docent of de hub, als er iets verandert. "
                "Een Nederlands nummer, of een buitenlands met landcode (+48 …)."
            ),
            "preferred_language": _(
                "De taal van de website na het inloggen, en van de e-mails die je van ons krijgt."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["phone"].max_length = phone.MAX_TYPED_LENGTH
        self.fields["phone"].widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel", "maxlength": phone.MAX_TYPED_LENGTH}
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        if not self.is_bound and self.instance.phone:
            self.initial["phone"] = phone.display(self.instance.phone)

    def clean_phone(self) -> str:
        return phone.clean_typed(self.cleaned_data["phone"])


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change (old password, new one twice, the validators), with the
    site's length limit and labels."""

    old_password = password_field(_("Huidig wachtwoord"), new=False, autofocus=True)
    new_password1 = password_field(_("Nieuw wachtwoord"), new=True, help_text=PASSWORD_RULES)
    new_password2 = password_field(_("Nieuw wachtwoord nogmaals"), new=True)

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("Dit is niet je huidige wachtwoord. Probeer het opnieuw."),
        "password_mismatch": _("De twee nieuwe wachtwoorden zijn niet gelijk."),
    }
