"""Readable partner slugs (æ → ae, ø → o, å → a) and old addresses that still answer."""

import importlib

import pytest
from django.apps import apps

from partners import services
from partners.models import Partner, PartnerKind, PartnerOldSlug
from tests.cms.factories import user_create
from tests.partners.factories import (
    hub_create,
    partner_create,
    partner_index_create,
    partnership_create,
    valid_organisation_number,
)

pytestmark = pytest.mark.django_db


def test_a_new_partner_gets_a_slug_with_its_norwegian_letters_written_out():
    partner = services.partner_create(
        actor=user_create(),
        name="Grønn Åker Økologi",
        kind=PartnerKind.BUSINESS,
        organisation_number=valid_organisation_number(901),
    )

    assert partner.slug == "gronn-aker-okologi"


def test_old_slugs_are_reslugged_and_their_addresses_redirect(client):
    hub = hub_create()
    index = partner_index_create(hub)
    old = partner_create(name="Grønn Energi AS", slug="grnn-energi-as")
    chosen = partner_create(name="Blåbær AS", slug="bringebaer")  # chosen by an editor: kept
    partnership_create(partner=old, hub=hub)
    migration = importlib.import_module("partners.migrations.0003_reslug_partners")

    migration.reslug(apps, None)

    old.refresh_from_db()
    chosen.refresh_from_db()
    assert old.slug == "gronn-energi-as" and chosen.slug == "bringebaer"
    assert PartnerOldSlug.objects.get(slug="grnn-energi-as").partner == old
    response = client.get(f"{index.url}grnn-energi-as/")
    assert response.status_code == 301 and response["Location"] == f"{index.url}gronn-energi-as/"
    assert client.get(f"{index.url}gronn-energi-as/").status_code == 200
    assert client.get(f"{index.url}no-such-partner/").status_code == 404
    assert Partner.objects.count() == 2


def test_a_slug_changed_in_the_admin_keeps_its_old_address(client):
    hub = hub_create()
    index = partner_index_create(hub)
    partner = partner_create(name="Fjordvik Energi AS", slug="fjordvik-energi-as")
    partnership_create(partner=partner, hub=hub)
    partner.slug = "fjordvik-energi"

    services.partner_update(actor=user_create(is_superuser=True), partner=partner)

    response = client.get(f"{index.url}fjordvik-energi-as/")
    assert response.status_code == 301 and response["Location"] == f"{index.url}fjordvik-energi/"
