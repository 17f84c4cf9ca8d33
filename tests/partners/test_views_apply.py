"""Applying to become a partner (`<hub>/partners/apply/`): a new organisation, or one you administer."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.images import get_image_model

from goals.models import Goal
from partners import services
from partners.models import Partner, PartnerKind, PartnerMember, PartnerRole, Partnership, PartnershipStatus
from tests.accounts.factories import UserFactory
from tests.accounts.images import SVG, picture_bytes, upload
from tests.partners.factories import (
    hub_create,
    partner_create,
    partner_index_create,
    partner_terms_create,
    partnership_create,
    valid_organisation_number,
)

pytestmark = pytest.mark.django_db

NUMBER = valid_organisation_number(4242)


@pytest.fixture
def hub():
    # English, so that the assertions can name the messages by their msgids.
    return hub_create(title="Ålesund framtidslab", default_language="en")


@pytest.fixture
def index(hub):
    return partner_index_create(hub)


@pytest.fixture
def terms(hub):
    return partner_terms_create(hub, text="<p>Vi deler det vi lærer med de andre partnerne.</p>")


@pytest.fixture
def user(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    return user


def _apply_url(index):
    return f"{index.url}apply/"


def _new(terms=None, **overrides):
    data = {
        "action": "new",
        "name": "Havkraft AS",
        "kind": PartnerKind.BUSINESS,
        "organisation_number": f"{NUMBER[:3]} {NUMBER[3:6]} {NUMBER[6:]}",
        "municipality": "Giske",
        "description": "Vi lager strøm av bølger.\n\nOg vi deler det vi lærer.",
        "website": "havkraft.example",
        "public_email": "post@havkraft.example",
        "goals": [str(goal.pk) for goal in Goal.objects.filter(number__in=[7, 14])],
        "focus_themes": "bølgekraft, hav ,  , Hav",
    }
    if terms is not None:
        data.update({"accept_terms": "on", "terms_version": str(terms.pk)})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_visitors_are_sent_to_log_in_and_back(client, index):
    response = client.get(_apply_url(index))

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={_apply_url(index)}"


def test_the_form_shows_the_terms_and_goals_in_groups(client, index, terms, user):
    html = client.get(_apply_url(index)).content.decode()

    assert "Vi deler det vi lærer med de andre partnerne." in html
    assert 'name="accept_terms"' in html and f'name="terms_version" value="{terms.pk}"' in html
    assert html.count('name="goals"') == 17
    assert html.count('class="ds-fieldset goal-group"') == 5
    assert 'id="apply-existing"' not in html  # administers nothing yet
    assert 'enctype="multipart/form-data"' in html


def test_registering_a_new_organisation_applies_with_it(
    client, hub, index, terms, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_apply_url(index), _new(terms))

    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response.url == f"/partners/mine/{partner.slug}/"
    assert partner.organisation_number == NUMBER
    assert partner.website == "https://havkraft.example"
    assert partner.description == "<p>Vi lager strøm av bølger.</p>\n<p>Og vi deler det vi lærer.</p>"
    assert sorted(partner.goals.values_list("number", flat=True)) == [7, 14]
    assert sorted(partner.focus_themes.names()) == ["bølgekraft", "hav"]
    assert PartnerMember.objects.get(partner=partner).user == user
    assert PartnerMember.objects.get(partner=partner).role == PartnerRole.ADMINISTRATOR
    partnership = Partnership.objects.get(partner=partner, hub=hub)
    assert partnership.status == PartnershipStatus.APPLIED
    assert partnership.terms == terms and partnership.terms_accepted_at is not None

    page = client.get(response.url).content.decode()
    assert "Ålesund framtidslab" in page and "Søkt" in page or "Applied" in page


def test_a_logo_is_stored_and_the_description_is_markdown_with_html_shown_as_text(client, index, user):
    data = _new(description='**Bølgekraft** for [Giske](https://giske.example)\n\n<h1 style="color:red">Hei</h1>')
    data["logo"] = upload(picture_bytes(size=(400, 200)), name="logo.png")

    response = client.post(_apply_url(index), data)

    partner = Partner.objects.get()
    assert response.status_code == 302
    assert partner.logo is not None and partner.logo.width == 400
    assert partner.description.startswith('<p><strong>Bølgekraft</strong> for <a href="https://giske.example"')
    assert partner.description.endswith('>Giske</a></p>\n<p>&lt;h1 style="color:red"&gt;Hei&lt;/h1&gt;</p>')


def test_after_applying_the_description_comes_back_as_markdown_not_html(client, index, user):
    text = "Vi lager **strøm** av bølger:\n\n- bølgekraft\n- [kurs](https://havkraft.example/kurs)"
    client.post(_apply_url(index), _new(description=text))
    partner = Partner.objects.get()
    assert "<strong>strøm</strong>" in partner.description

    html = client.get(f"/partners/mine/{partner.slug}/").content.decode()

    box = re.search(r'<textarea name="description"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "&lt;" not in box and "<p>" not in box
    assert unescape(box).strip() == text


def test_preview_shows_the_rendered_description_and_saves_nothing(client, index, user):
    data = _new(description="Vi lager **strøm**.", name="", preview="description")

    response = client.post(_apply_url(index), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="ds-card markdown-field__preview"' in html and "<strong>strøm</strong>" in html
    # What was typed stays in the box, and a preview is not a failed save: no errors shown.
    assert "Vi lager **strøm**." in html and "ds-error-summary" not in html
    assert not Partner.objects.exists()


def test_a_script_in_the_description_is_text_never_markup(client, index, user):
    client.post(_apply_url(index), _new(description='<p>Hei</p><script>alert("x")</script>'))

    partner = Partner.objects.get()
    assert "<script" not in partner.description and "&lt;script&gt;" in partner.description


def test_a_citizen_initiative_needs_no_organisation_number(client, index, user):
    response = client.post(
        _apply_url(index), _new(kind=PartnerKind.CITIZEN_INITIATIVE, organisation_number="", name="Strandryddarane")
    )

    assert response.status_code == 302
    assert Partner.objects.get().organisation_number == ""


def _errors(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation_number": NUMBER[:8] + str((int(NUMBER[8]) + 1) % 10)}, "the check digit does not match"),
        ({"organisation_number": "12345"}, "nine digits"),
        ({"organisation_number": ""}, "An organisation number is required, except for citizen initiatives."),
        ({"name": ""}, "This field is required"),
        ({"kind": "spaceship"}, "Select a valid choice"),
        ({"public_email": "not-an-address"}, "Enter a valid email address"),
        ({"latitude": "62.47"}, "Give both latitude and longitude, or neither."),
        ({"focus_themes": ", ".join(f"tema {n}" for n in range(25))}, "at most 20 focus themes"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, index, user, overrides, message):
    html = _errors(client.post(_apply_url(index), _new(**overrides)))

    assert message in html
    assert 'class="ds-error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert not Partner.objects.exists() and not Partnership.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused_at_the_logo_field(client, index, user):
    data = _new()
    data["logo"] = upload(SVG, name="logo.svg", content_type="image/svg+xml")

    html = _errors(client.post(_apply_url(index), data))

    assert "This file is not a supported picture" in html
    assert 'id="id_logo_error"' in html
    assert not Partner.objects.exists()
    assert not get_image_model().objects.exists()


def test_the_terms_must_be_accepted(client, index, terms, user):
    html = _errors(client.post(_apply_url(index), _new(terms, accept_terms=None)))

    assert "You must accept the partner terms to apply." in html
    assert not Partner.objects.exists()


def test_terms_changed_since_the_page_was_opened_must_be_read_again(client, hub, index, terms, user):
    newer = partner_terms_create(hub, text="<p>Nye vilkår.</p>")

    html = _errors(client.post(_apply_url(index), _new(terms)))

    assert "The partner terms have changed" in html
    assert "Nye vilkår." in html and f'name="terms_version" value="{newer.pk}"' in html
    assert not Partner.objects.exists()


def test_a_failed_application_leaves_no_organisation_behind(client, index, user, monkeypatch, settings):
    def refuse(**kwargs):
        raise ValidationError("The hub is not taking applications.")

    monkeypatch.setattr(services, "partnership_apply", refuse)

    data = _new()
    data["logo"] = upload(picture_bytes(size=(40, 20)), name="logo.png")

    html = _errors(client.post(_apply_url(index), data))

    assert "The hub is not taking applications." in html
    assert not Partner.objects.exists() and not PartnerMember.objects.exists()
    assert not get_image_model().objects.exists()
    assert not [path for path in (settings.MEDIA_ROOT).rglob("*") if path.is_file()]  # nor the logo's file


def test_a_registered_organisation_number_is_not_registered_twice(client, index, user):
    partner_create(name="Hemmelig Søker AS", organisation_number=NUMBER)

    html = _errors(client.post(_apply_url(index), _new()))

    assert "An organisation with this organisation number is already registered." in html
    assert "Ask its administrators to invite you" in html
    assert "Hemmelig Søker AS" not in html  # not public: its name is not told
    assert Partner.objects.count() == 1


def test_a_public_organisation_is_named_when_it_is_already_registered(client, hub, index, user):
    existing = partner_create(name="Kjent Kraft AS", organisation_number=NUMBER)
    partnership_create(partner=existing, hub=hub_create(home=hub.get_parent().specific))

    html = _errors(client.post(_apply_url(index), _new()))

    assert "already registered as Kjent Kraft AS" in html
    assert Partner.objects.count() == 1


def test_an_organisation_you_administer_is_offered_instead(client, index, user):
    mine = partner_create(name="Min Kraft AS", organisation_number=NUMBER, administrator=user)

    html = _errors(client.post(_apply_url(index), _new()))

    assert "you are one of its administrators" in html
    assert 'href="#apply-existing"' in html
    assert f'value="{mine.pk}" class="ds-input" id="id_existing-partner_0" required checked' in html
    assert Partner.objects.count() == 1


def test_applying_with_an_organisation_you_administer(client, hub, index, terms, user):
    mine = partner_create(name="Min Kraft AS", administrator=user)

    response = client.post(
        _apply_url(index),
        {
            "action": "existing",
            "existing-partner": mine.pk,
            "existing-accept_terms": "on",
            "existing-terms_version": terms.pk,
        },
    )

    assert response.status_code == 302
    partnership = Partnership.objects.get(partner=mine, hub=hub)
    assert partnership.status == PartnershipStatus.APPLIED and partnership.terms == terms


def test_an_organisation_already_in_the_hub_is_shown_but_not_offered(client, hub, index, user):
    approved = partner_create(name="Min Kraft AS", administrator=user)
    partnership_create(partner=approved, hub=hub)
    rejected = partner_create(name="Avvist AS", administrator=user)
    partnership_create(partner=rejected, hub=hub, status=PartnershipStatus.REJECTED, reason="Ikke nå.")

    page = client.get(_apply_url(index)).content.decode()
    html = _errors(client.post(_apply_url(index), {"action": "existing", "existing-partner": approved.pk}))

    assert "Already in this hub:" in page and "Min Kraft AS</a> (approved)" in page
    assert f'name="existing-partner" value="{approved.pk}"' not in page
    assert "Avvist AS (earlier application rejected)" in page  # may apply again
    assert "Select a valid choice" in html
    assert Partnership.objects.get(partner=approved).status == PartnershipStatus.APPROVED


def test_a_rejected_organisation_applies_again(client, hub, index, user):
    rejected = partner_create(name="Avvist AS", administrator=user)
    partnership_create(partner=rejected, hub=hub, status=PartnershipStatus.REJECTED, reason="Ikke nå.")

    response = client.post(_apply_url(index), {"action": "existing", "existing-partner": rejected.pk})

    assert response.status_code == 302
    assert Partnership.objects.get(partner=rejected).status == PartnershipStatus.APPLIED


def test_only_organisations_you_administer_can_be_chosen(client, hub, index, user):
    other = partner_create(name="Andres AS")
    PartnerMember.objects.create(partner=other, user=user, role=PartnerRole.MEMBER)

    html = _errors(client.post(_apply_url(index), {"action": "existing", "existing-partner": other.pk}))

    assert "Select a valid choice" in html or "Velg et gyldig" in html
    assert not Partnership.objects.exists()


def test_the_application_is_protected_against_cross_site_requests(index):
    user = UserFactory(verified=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(_apply_url(index), _new())

    assert response.status_code == 403
    assert not Partner.objects.exists()


def test_a_burst_of_applications_is_refused_per_person_and_keeps_what_was_typed(client, index, user, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "partner-application": (2, 100, 3600)}
    for number in (1, 2):
        data = _new(name=f"Havkraft {number} AS", organisation_number=valid_organisation_number(4242 + number))
        assert client.post(_apply_url(index), data).status_code == 302

    response = client.post(_apply_url(index), _new(name="Havkraft 3 AS"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert "many times in a short while" in html
    assert 'value="Havkraft 3 AS"' in html, "what was typed is kept"
    assert Partner.objects.count() == 2


def test_a_burst_of_applications_from_one_address_is_refused_whoever_sends_them(index, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "partner-application": (100, 2, 3600)}
    statuses = []
    for number, address in [(1, "203.0.113.9"), (2, "203.0.113.9"), (3, "203.0.113.9"), (4, "198.51.100.7")]:
        client = Client(REMOTE_ADDR=address)
        client.force_login(UserFactory(verified=True))
        data = _new(name=f"Havkraft {number} AS", organisation_number=valid_organisation_number(4242 + number))
        statuses.append(client.post(_apply_url(index), data).status_code)

    assert statuses == [302, 302, 429, 302], "another address is not affected"


def test_enter_in_a_one_line_field_saves_rather_than_previews(client, index, user):
    html = client.get(_apply_url(index)).content.decode()
    form = html[html.index('<input type="hidden" name="action" value="new">') :]

    # Implicit submission (Enter) uses the form's first submit button: a nameless one, like "Register and apply".
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'type="submit"' in first_button and "name=" not in first_button
    assert form.index('name="preview"') > form.index(first_button)
