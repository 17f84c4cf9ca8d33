"""The CSV export of a hub's partners (partners.csv_export)."""

import csv
import io
from decimal import Decimal

import pytest

from goals.models import Goal
from partners.csv_export import CSV_COLUMNS, hub_partners_csv, hub_partners_csv_text
from partners.models import PartnerKind, PartnershipStatus
from tests.partners.factories import hub_create, partner_create, partnership_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return hub_create(title="Ålesund framtidslab")


def test_the_export_has_every_partnership_of_the_hub_with_its_status(hub):
    goals = Goal.objects.filter(number__in=[3, 11])
    approved = partner_create(
        name="Ærlig Øl AS",
        municipality="Ålesund",
        latitude=Decimal("62.47225"),
        longitude=Decimal("6.15492"),
        goals=goals,
    )
    approved.focus_themes.set(["hav", "energi"])
    partnership_create(partner=approved, hub=hub)
    applied = partner_create(name="Byhagen", kind=PartnerKind.CITIZEN_INITIATIVE)
    partnership_create(partner=applied, hub=hub, status=PartnershipStatus.APPLIED)
    partnership_create(partner=partner_create(name="Elsewhere AS"), hub=hub_create(home=hub.get_parent()))

    rows = list(hub_partners_csv(hub))

    assert rows[0] == list(CSV_COLUMNS)
    by_name = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Ærlig Øl AS", "Byhagen"}
    assert by_name["Ærlig Øl AS"]["goals"] == "3;11"
    assert by_name["Ærlig Øl AS"]["focus_themes"] == "energi;hav"
    assert by_name["Ærlig Øl AS"]["latitude"] == "62.47225"
    assert by_name["Ærlig Øl AS"]["partnership_status"] == "approved"
    assert by_name["Byhagen"]["partnership_status"] == "applied"
    assert by_name["Byhagen"]["decided_at"] == ""
    assert by_name["Byhagen"]["organisation_number"] == ""


def test_the_export_text_starts_with_a_byte_order_mark_for_excel(hub):
    partnership_create(partner=partner_create(name="Ålesund Sjømat AS"), hub=hub)

    text = hub_partners_csv_text(hub)

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0] == "Ålesund Sjømat AS"


def test_the_export_defuses_cells_a_spreadsheet_would_run_as_formulas(hub):
    partnership_create(partner=partner_create(name='=HYPERLINK("http://evil")'), hub=hub)

    rows = list(hub_partners_csv(hub))

    assert rows[1][0].startswith("'=")


def test_the_export_costs_the_same_queries_for_more_partners(hub, django_assert_num_queries):
    for _ in range(3):
        partnership_create(partner=partner_create(goals=Goal.objects.filter(number=1)), hub=hub)
    with django_assert_num_queries(3):
        list(hub_partners_csv(hub))
