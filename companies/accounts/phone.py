"""Phone numbers as people type them, stored one way (E.164, ``+31612345678``) and shown
the way people read them (``06 12345678`` for a Dutch number, ``+48 601 234 567`` for others)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Numbers without a country code are Dutch: the hub's people dial them that way.
DEFAULT_REGION = "NL"
# A number is at most 15 digits (E.164); with spaces, dashes and a "+" people type more.
MAX_TYPED_LENGTH = 30


def normalise(text: str) -> str:
    """``text`` as an E.164 number; ValueError when it is not a possible, valid number."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError(text) from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(stored: str) -> str:
    """A stored number as people read it: national for a Dutch number, else international.

    Anything that does not parse (a number stored before numbers were checked) is shown as
    it was typed.
    """
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return stored
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def clean_typed(typed: str) -> str:
    """A form's phone field: empty stays empty, a number is stored as E.164; anything else is a
    ValidationError that says how to type one."""
    typed = typed.strip()
    if not typed:
        return ""
    try:
        return normalise(typed)
    except ValueError:
        raise ValidationError(
            _(
                "Dit is geen geldig telefoonnummer. Typ een Nederlands nummer, zoals "
                "06 12345678, of een buitenlands nummer met landcode, zoals +48 601 234 567."
            ),
            code="invalid_phone",
        ) from None
