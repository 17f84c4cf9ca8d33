"""Model-level rules of partners: what ``full_clean`` and the database refuse on their own."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from partners.models import (
    PARTNERSHIP_TRANSITIONS,
    Partner,
    PartnerKind,
    Partnership,
    PartnershipStatus,
)
from tests.partners.factories import hub_create, partner_create, partnership_create, valid_organisation_number


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the messages' English wording; the site's default language is Bokmål."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def _partner(**fields):
    fields.setdefault("name", "Sunnmøre Sol AS")
    fields.setdefault("slug", "sunnmore-sol")
    fields.setdefault("kind", PartnerKind.BUSINESS)
    fields.setdefault("organisation_number", "923609016")
    return Partner(**fields)


def test_a_complete_partner_is_valid():
    _partner(latitude=Decimal("62.47225"), longitude=Decimal("6.15492")).full_clean()


@pytest.mark.parametrize("kind", [k for k in PartnerKind.values if k != PartnerKind.CITIZEN_INITIATIVE])
def test_organisation_number_is_required_except_for_citizen_initiatives(kind):
    with pytest.raises(ValidationError) as caught:
        _partner(kind=kind, organisation_number="").full_clean()
    assert "organisation_number" in caught.value.message_dict


def test_a_citizen_initiative_needs_no_organisation_number():
    _partner(kind=PartnerKind.CITIZEN_INITIATIVE, organisation_number="").full_clean()


def test_the_five_kinds_of_organisation():
    assert set(PartnerKind.values) == {"business", "public_sector", "research_education", "ngo", "citizen_initiative"}


def test_a_wrong_check_digit_is_refused_by_the_model():
    with pytest.raises(ValidationError) as caught:
        _partner(organisation_number="923609017").full_clean()
    assert caught.value.error_dict["organisation_number"][0].code == "organisation_number_check_digit"


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(Decimal("62.5"), None), (None, Decimal("6.1"))],
    ids=["only-latitude", "only-longitude"],
)
def test_coordinates_come_in_pairs(latitude, longitude):
    with pytest.raises(ValidationError, match="both latitude and longitude"):
        _partner(latitude=latitude, longitude=longitude).full_clean()


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", Decimal("90.00001")), ("latitude", Decimal("-90.5")), ("longitude", Decimal("180.1"))],
)
def test_coordinates_must_be_on_earth(field, value):
    other = "longitude" if field == "latitude" else "latitude"
    with pytest.raises(ValidationError) as caught:
        _partner(**{field: value, other: Decimal("0")}).full_clean()
    assert field in caught.value.message_dict


def test_a_duplicate_organisation_number_is_refused_by_full_clean_with_a_clear_message():
    partner_create(organisation_number="923609016")
    with pytest.raises(ValidationError, match="already registered"):
        _partner(slug="another").full_clean()


def test_the_database_refuses_a_duplicate_organisation_number_too():
    partner_create(organisation_number="923609016")
    with pytest.raises(IntegrityError):
        _partner(slug="another").save()


def test_several_citizen_initiatives_may_have_no_organisation_number():
    partner_create(kind=PartnerKind.CITIZEN_INITIATIVE)
    partner_create(kind=PartnerKind.CITIZEN_INITIATIVE)
    assert Partner.objects.filter(organisation_number="").count() == 2


def test_one_partnership_per_partner_and_hub():
    hub = hub_create()
    partner = partner_create(organisation_number=valid_organisation_number(1))
    partnership_create(partner=partner, hub=hub)
    with pytest.raises(IntegrityError):
        partnership_create(partner=partner, hub=hub)


@pytest.mark.parametrize("status", PartnershipStatus.values)
def test_only_an_approved_partnership_is_public(status):
    assert Partnership(status=status).is_public is (status == PartnershipStatus.APPROVED)


def test_the_transition_table_is_the_issue_s_state_machine():
    S = PartnershipStatus
    assert {
        S.APPLIED: {S.APPROVED, S.REJECTED},
        S.APPROVED: {S.SUSPENDED, S.ENDED},
        S.SUSPENDED: {S.APPROVED, S.ENDED},
        S.REJECTED: {S.APPLIED},
        S.ENDED: {S.APPLIED},
    } == PARTNERSHIP_TRANSITIONS
