"""The forms of a person's own privacy pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.accounts.forms import password_field


class EraseAccountForm(forms.Form):
    """Erasing one's own account asks for the password, so an open laptop is not enough."""

    password = password_field(
        _("Je wachtwoord"), new=False, help_text=_("Ter bevestiging dat jij het bent.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Dit wachtwoord klopt niet."), code="wrong_password")
        return password
