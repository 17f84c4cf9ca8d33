"""Organisation numbers: nine digits, modulus-11 check digit with weights 3 2 7 6 5 4 3 2."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partners.validators import (
    normalise_organisation_number,
    organisation_number_check_digit,
    validate_organisation_number,
)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the messages' English wording; the site's default language is Bokmål."""
    with translation.override("en"):
        yield


def _remainder(first_eight: str) -> int:
    return sum(int(digit) * weight for digit, weight in zip(first_eight, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11


@pytest.mark.parametrize(
    "number",
    [
        "923609016",  # Equinor ASA
        "974760673",  # Brønnøysundregistrene
        "910000020",  # remainder 0: the check digit is 0, not 11
        "923 609 016",  # as people type it
        " 974760673 ",
        "974\u00a0760\u00a0673",  # a no-break space pasted from a web page
    ],
)
def test_valid_organisation_numbers_pass(number):
    validate_organisation_number(number)


def test_remainder_zero_gives_check_digit_zero():
    assert _remainder("91000002") == 0
    assert organisation_number_check_digit("91000002") == 0


def test_remainder_one_means_no_valid_number_starts_with_those_digits():
    # 11 - 1 = 10 is not a digit: every number starting with these eight digits is invalid.
    assert _remainder("91000008") == 1
    assert organisation_number_check_digit("91000008") is None
    for last in "0123456789":
        with pytest.raises(ValidationError) as caught:
            validate_organisation_number(f"91000008{last}")
        assert caught.value.code == "organisation_number_check_digit"


@pytest.mark.parametrize("number", ["923609017", "923609015", "974760670", "910000021", "910000029"])
def test_wrong_check_digit_is_refused_with_a_specific_message(number):
    with pytest.raises(ValidationError) as caught:
        validate_organisation_number(number)
    assert caught.value.code == "organisation_number_check_digit"
    assert "check digit" in caught.value.messages[0]


@pytest.mark.parametrize(
    "number",
    [
        "",
        "92360901",  # eight digits
        "9236090160",  # ten digits
        "92360901a",
        "923-609-016",
        "92360901²",  # a Unicode digit that str.isdigit() accepts but int() and the register do not
        "٩٢٣٦٠٩٠١٦",  # Arabic-Indic digits
    ],
)
def test_anything_but_nine_digits_is_refused_as_a_format_error(number):
    with pytest.raises(ValidationError) as caught:
        validate_organisation_number(number)
    assert caught.value.code == "organisation_number_format"
    assert "nine digits" in caught.value.messages[0]


def test_normalise_drops_every_kind_of_space():
    assert normalise_organisation_number(" 923 609\t016\u00a0") == "923609016"
    assert normalise_organisation_number("") == ""


def test_the_test_factory_makes_valid_numbers():
    from tests.partners.factories import valid_organisation_number

    numbers = {valid_organisation_number(seed) for seed in range(1, 200)}
    assert len(numbers) == 199
    for number in numbers:
        validate_organisation_number(number)
