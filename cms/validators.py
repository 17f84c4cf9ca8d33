"""Validation of Norwegian organisation numbers (organisasjonsnummer)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Brønnøysundregistrene's modulus-11 weights for the first eight digits.
ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def organisation_number_check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None when no valid number can start with them."""
    weighted = zip(first_eight, ORGANISATION_NUMBER_WEIGHTS, strict=True)
    remainder = sum(int(digit) * weight for digit, weight in weighted) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_organisation_number(value: str) -> str:
    """Drop the spaces people type ("923 609 016") so that one organisation has one spelling."""
    return "".join(value.split())


def validate_organisation_number(value: str) -> None:
    """Nine ASCII digits (spaces ignored) whose last digit is the modulus-11 check digit of the rest."""
    number = normalise_organisation_number(value)
    # isdigit() alone accepts "²" and other Unicode digits that int() and the register do not.
    if len(number) != 9 or not (number.isascii() and number.isdigit()):
        raise ValidationError(
            _("An organisation number has nine digits, for example 923 609 016."), code="organisation_number_format"
        )
    if organisation_number_check_digit(number[:8]) != int(number[8]):
        raise ValidationError(
            _("This is not a valid organisation number: the check digit does not match. Check for typing errors."),
            code="organisation_number_check_digit",
        )
