"""A visitor opens a hub's dashboard from the hub page and the comparison of hubs; both pass axe at
1280 and 375 px without sideways scrolling of the page, and the charts need no script."""

import pytest
from playwright.sync_api import expect

from partners.models import PartnershipStatus
from tests.e2e.harness import assert_accessible
from tests.partners.factories import hub_create, partner_create, partnership_create
from tests.projects.factories import goal, outcome_create, project_create, project_index_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE = 1280, 375


def _check_at_both_widths(page) -> None:
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, overflow)


def test_dashboard_journey(page, live_asgi_server):
    hub = hub_create(title="Fjordvik framtidslab", municipality="Fjordvik kommune")
    index = project_index_create(hub)
    partner = partner_create(name="Solkraft AS", goals=[goal(7)])
    partnership_create(partner=partner, hub=hub, status=PartnershipStatus.APPROVED)
    solar = project_create(
        index, title="Solceller på skolen", primary_goal=goal(7), goals=[goal(13)], lead_partner=partner
    )
    project_create(index, title="Klimaplan", primary_goal=goal(13), lead_partner=partner)
    outcome_create(solar, title="Produsert strøm")

    page.set_viewport_size({"width": WIDE, "height": 800})
    page.goto(f"/{hub.slug}/")
    page.locator(f'a[href="/{hub.slug}/dashboard/"]').click()
    expect(page.locator("h1")).to_contain_text("Fjordvik framtidslab")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.locator(".heat-table")).to_be_visible()
    expect(page.get_by_role("link", name="Solceller på skolen")).to_be_visible()
    _check_at_both_widths(page)

    page.set_viewport_size({"width": WIDE, "height": 800})
    page.goto("/dashboard/")
    expect(page.get_by_role("link", name="Fjordvik framtidslab").first).to_be_visible()
    _check_at_both_widths(page)
