"""Numbers written the Norwegian way ("62,47", "1 234,5") are read in every public and admin form."""

from datetime import date
from decimal import Decimal, InvalidOperation

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.forms import LocalizedDecimalField, parse_localized_decimal
from partners.admin.viewsets import PartnerViewSet
from partners.forms import NewPartnerApplicationForm, PartnerProfileForm
from partners.models import Partner
from projects.models import OutcomeMeasurement, ProjectPage
from tests.partners.factories import partner_create
from tests.projects.factories import outcome_create, project_create, scene_create

READABLE = [
    ("62,47", Decimal("62.47")),
    ("62.47", Decimal("62.47")),
    ("1 234,5", Decimal("1234.5")),
    ("1\u00a0234,5", Decimal("1234.5")),
    ("1\u202f234,5", Decimal("1234.5")),
    ("1234.5", Decimal("1234.5")),
    (" -6,15492 ", Decimal("-6.15492")),
    ("\u22126,5", Decimal("-6.5")),
    ("1.234,5", Decimal("1234.5")),
    ("1,234.5", Decimal("1234.5")),
    ("12", Decimal("12")),
    (",5", Decimal("0.5")),
]
JUNK = ["mange", "1,2,3", "62,47,1", "12,3.4", "1.23,4", "1 2a", "NaN", "Infinity", "--1", "1e5", "6 2,4 7x"]


@pytest.mark.parametrize(("text", "number"), READABLE)
def test_norwegian_and_international_formats_are_read(text, number):
    assert parse_localized_decimal(text) == number


@pytest.mark.parametrize("text", JUNK)
def test_junk_is_refused(text):
    with pytest.raises(InvalidOperation):
        parse_localized_decimal(text)


def test_blank_is_no_number():
    assert parse_localized_decimal("  ") is None


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_field_reads_a_decimal_comma_in_every_language(language):
    field = LocalizedDecimalField(max_digits=14, decimal_places=5, required=False)
    with translation.override(language):
        assert field.clean("62,47") == Decimal("62.47")
        assert field.clean("1 234,5") == Decimal("1234.5")
        assert field.clean("1234.5") == Decimal("1234.5")
        assert field.clean("") is None


def test_junk_gets_a_clear_error_in_the_users_language():
    field = LocalizedDecimalField(max_digits=8, decimal_places=5)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.clean("sekstito")
    assert caught.value.code == "invalid"
    assert "62,47" in caught.value.messages[0]


def test_limits_still_apply():
    field = LocalizedDecimalField(max_digits=8, decimal_places=5, min_value=-90, max_value=90)
    with pytest.raises(ValidationError) as caught:
        field.clean("162,47")
    assert [error.code for error in caught.value.error_list] == ["max_value"]


def test_numbers_are_shown_in_the_visitors_language():
    field = LocalizedDecimalField(max_digits=8, decimal_places=5)
    with translation.override("nb"):
        html = field.widget.render("latitude", Decimal("62.47225"))
    assert 'value="62,47225"' in html
    assert 'inputmode="decimal"' in html
    assert 'type="text"' in html


@pytest.mark.django_db
def test_the_partner_forms_accept_a_decimal_comma():
    form = PartnerProfileForm(
        data={
            "name": "Havkraft AS",
            "kind": "company",
            "latitude": "62,47",
            "longitude": "6,15",
        },
        user=None,
        partner=partner_create(name="Havkraft AS"),
    )
    form.is_valid()
    assert "latitude" not in form.errors and "longitude" not in form.errors
    assert form.cleaned_data["latitude"] == Decimal("62.47")
    assert form.cleaned_data["longitude"] == Decimal("6.15")
    assert isinstance(NewPartnerApplicationForm.base_fields["latitude"], LocalizedDecimalField)


@pytest.mark.django_db
def test_the_partner_admin_form_accepts_a_decimal_comma():
    form_class = PartnerViewSet.edit_handler.bind_to_model(Partner).get_form_class()
    assert isinstance(form_class.base_fields["latitude"], LocalizedDecimalField)
    field = form_class.base_fields["latitude"]
    assert field.clean("62,47") == Decimal("62.47")


@pytest.mark.django_db
def test_the_project_admin_form_reads_outcome_values_with_a_decimal_comma():
    form_class = ProjectPage.get_edit_handler().get_form_class()
    outcome_form = form_class.formsets["outcomes"].form
    for name in ("baseline", "target_value"):
        field = outcome_form.base_fields[name]
        assert isinstance(field, LocalizedDecimalField)
        assert field.clean("1 234,5") == Decimal("1234.5")


@pytest.mark.django_db
def test_a_progress_update_value_with_a_decimal_comma_is_saved(client):
    scene = scene_create()
    page = project_create(scene.index, lead_partner=scene.lead, partners=[scene.participant])
    outcome = outcome_create(page)
    client.force_login(scene.participant_member)
    response = client.post(
        f"/projects/{page.pk}/updates/new/",
        {
            "partner": scene.participant.pk,
            "reported_on": date(2025, 3, 1).isoformat(),
            "text": "Bra.",
            f"outcome_{outcome.pk}": "1 234,5",
        },
    )
    assert response.status_code == 302
    assert OutcomeMeasurement.objects.get().value == Decimal("1234.5")
