"""Searching: from the header on a hub's page, narrowing by a facet, opening a result; at 1280 and
375 px, with axe on every page passed. No JavaScript is needed (GET forms and links)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import assert_accessible
from tests.sitesearch.factories import search_world_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCROLL_WIDTH_JS = "() => document.documentElement.scrollWidth"


@pytest.mark.parametrize("width", [1280, 375])
def test_search_from_the_header_filter_and_open_a_result(page, live_asgi_server, width):
    world = search_world_create()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_asgi_server.url}{world.page.url}")
    assert_accessible(page)

    search_box = page.get_by_role("searchbox", name="Søk i Ålesund")
    if width < 768:
        # On a phone the search box is part of the menu.
        expect(search_box).to_be_hidden()
        page.locator("summary.site-menu__toggle").click()
    expect(search_box).to_be_visible()
    search_box.fill("grønne bærekraftig")
    search_box.press("Enter")

    # Only the hub's results, in the hub's header and breadcrumbs.
    expect(page.get_by_role("heading", level=1)).to_have_text("Søk i Ålesund")
    expect(page.get_by_role("status")).to_have_text("1 treff")
    expect(page.locator(".search-hit mark").first).to_have_text("Grønne")
    assert page.evaluate(SCROLL_WIDTH_JS) <= width
    assert_accessible(page)

    page.get_by_role("searchbox", name="Ord å søke etter").fill("bærekraft")
    page.get_by_role("button", name="Søk", exact=True).last.click()
    expect(page.get_by_role("status")).to_have_text("4 treff")
    page.get_by_role("link", name="Prosjekter (1)").click()
    expect(page.get_by_role("status")).to_have_text("1 treff")
    expect(page.get_by_role("link", name="Prosjekter (1)")).to_have_attribute("aria-current", "true")
    assert_accessible(page)

    page.locator(".search-hit__title a").first.click()
    expect(page).to_have_url(f"{live_asgi_server.url}{world.project.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.project.title)
    assert_accessible(page)
