"""A visitor finds a hub's open data from the hub page, downloads the filtered project list as CSV,
and the pages pass axe at 1280 and 375 px."""

import csv
import io

import pytest
from playwright.sync_api import expect

from partners.models import PartnershipStatus
from tests.e2e.harness import assert_accessible
from tests.partners.factories import hub_create, partner_create, partner_index_create, partnership_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE = 1280, 375


def _check_at_both_widths(page) -> None:
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, overflow)


def test_open_data_journey(page, live_asgi_server):
    hub = hub_create(title="Fjordvik framtidslab", municipality="Fjordvik kommune", organisation_number="974760673")
    index = project_index_create(hub)
    partner_index_create(hub)
    partner = partner_create(name="Solkraft AS", goals=[goal(7)])
    partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPROVED)
    project_create(index, title="Solceller på skolen", primary_goal=goal(7), lead_partner=partner)
    project_create(index, title="Klimaplan", primary_goal=goal(13), lead_partner=partner)

    page.set_viewport_size({"width": WIDE, "height": 800})
    page.goto(f"/{hub.slug}/")
    page.get_by_role("link", name="Åpne data fra Fjordvik framtidslab").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Åpne data fra Fjordvik framtidslab")
    expect(page.get_by_role("link", name="Prosjekter som CSV")).to_be_visible()
    expect(page.get_by_text("974760673")).to_be_visible()
    _check_at_both_widths(page)

    page.set_viewport_size({"width": WIDE, "height": 800})
    page.goto(f"/{hub.slug}/projects/?goal=13")
    _check_at_both_widths(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned disse treffene som CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"{hub.slug}-projects.csv"
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert [row["title"] for row in rows] == ["Klimaplan"]

    page.goto("/opendata/")
    expect(page.get_by_role("heading", name="Fjordvik framtidslab")).to_be_visible()
    _check_at_both_widths(page)
