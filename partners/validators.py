"""Validation of Norwegian organisation numbers: kept in ``cms.validators`` since hubs (``HubPage``)
have one too and cms may not import partners; re-exported here for the partners code and tests."""

from cms.validators import (
    ORGANISATION_NUMBER_WEIGHTS,
    normalise_organisation_number,
    organisation_number_check_digit,
    validate_organisation_number,
)

__all__ = [
    "ORGANISATION_NUMBER_WEIGHTS",
    "normalise_organisation_number",
    "organisation_number_check_digit",
    "validate_organisation_number",
]
