"""The front page and the hub page from the demo data, as a visitor sees them in Chromium.

At 1,280 px: the cards in a row are equally tall, the hub page's content is wider than 1,000 px,
every picture has a width and height (no layout shift), axe finds nothing. At 375 px: nothing
scrolls sideways. Each page in Bokmål, Nynorsk and English; a screenshot of each view goes to the
test's temporary directory for a person to look at."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Site

from cms.management.commands.seed_demo import HUB_SLUG
from cms.models import HubPage
from tests.e2e.harness import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ("nb", "nn", "en")
WIDE, PHONE = 1280, 375

# For each card grid: the rows (cards with the same top) whose cards differ in height.
UNEVEN_ROWS = """() => [...document.querySelectorAll('.dg-card-grid')].flatMap(grid => {
  const rows = new Map();
  for (const card of grid.querySelectorAll(':scope > li > .dg-card')) {
    const box = card.getBoundingClientRect();
    const top = Math.round(box.top);
    rows.set(top, [...(rows.get(top) || []), Math.round(box.height)]);
  }
  return [...rows.values()].filter(heights => heights.length > 1 && new Set(heights).size > 1);
})"""
CARDS_IN_A_ROW = """() => Math.max(0, ...[...document.querySelectorAll('.dg-card-grid')].map(grid => {
  const tops = [...grid.querySelectorAll(':scope > li')].map(li => Math.round(li.getBoundingClientRect().top));
  return Math.max(0, ...tops.map(top => tops.filter(t => t === top).length));
}))"""
IMAGES_WITHOUT_SIZE = """() => [...document.images]
  .filter(img => !img.getAttribute('width') || !img.getAttribute('height')).map(img => img.src)"""


@pytest.fixture
def demo_pages(live_asgi_server):
    call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())
    home = Site.objects.get(is_default_site=True).root_page
    hub = HubPage.objects.get(slug=HUB_SLUG)
    return {"home": home.url, "hub": hub.url}


def test_front_and_hub_pages_use_the_screen_and_keep_their_cards_even(
    page, context, live_asgi_server, demo_pages, tmp_path
):
    # One demo site for the three languages: seeding it is most of what a test of its own would cost.
    for language in LANGUAGES:
        context.add_cookies([{"name": "django_language", "value": language, "url": live_asgi_server.url}])
        for name, url in demo_pages.items():
            page.set_viewport_size({"width": WIDE, "height": 800})
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert page.evaluate(CARDS_IN_A_ROW) >= 2, f"{name}: some grid has cards side by side"
            assert page.evaluate(UNEVEN_ROWS) == [], f"{name}: cards in a row differ in height"
            assert page.evaluate(IMAGES_WITHOUT_SIZE) == [], f"{name}: pictures without width and height"
            if name == "hub":
                width = page.locator(".dg-wide-page").bounding_box()["width"]
                assert width > 1000, f"the hub page's content is {width} px wide at {WIDE} px"
            assert_accessible(page)
            page.screenshot(path=tmp_path / f"{name}-{language}-{WIDE}.png", full_page=True)

            page.set_viewport_size({"width": PHONE, "height": 667})
            fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert fits, f"{name} scrolls sideways in {language}"
            page.screenshot(path=tmp_path / f"{name}-{language}-{PHONE}.png", full_page=True)
