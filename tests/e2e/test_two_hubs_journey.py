"""Two hubs on one installation: each hub's pages link only into that hub (or to site-wide pages)."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import Page

from cms.models import HubPage, StatementPage
from cms.services import hub_create
from tests.e2e.harness import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Pages every page may link to: the front page, the goals, accounts, language, one's own organisations
# and the open data of every hub.
SITE_WIDE = ("/goals/", "/accounts/", "/i18n/", "/partners/mine/", "/notifications/")
SITE_WIDE_PAGES = ("/", "/opendata/")


def _hub_addresses(hub: HubPage) -> tuple[str, ...]:
    """Where a hub's pages may link besides its own tree: its open data and its share / embed page."""
    return (hub.url, f"/opendata/{hub.slug}/", f"/embed/{hub.pk}/")


LINKS_JS = """() => Array.from(document.querySelectorAll(
    'header a[href], nav a[href], footer a[href], main a[href]'), (a) => a.href)"""


@pytest.fixture
def two_hubs(live_asgi_server):
    call_command("seed_demo", "--password", "demo-password-123", verbosity=0)
    first = HubPage.objects.get(slug="fjordvik-framtidslab")
    second = hub_create(
        parent=first.get_parent(),
        title="Nordby bærekraftslab",
        municipality="Nordby (fiktiv)",
        contact_email="post@nordby.example",
        contact_phone="+47 711 11 111",
    )
    return first, second


def _pages_of(hub: HubPage) -> list[str]:
    pages = Page.objects.descendant_of(hub, inclusive=True).live().filter(depth__lte=hub.depth + 1)
    return [page.url for page in pages.order_by("path")]


def test_each_hub_links_only_into_itself_and_shows_its_own_contact(page, live_asgi_server, two_hubs):
    first, second = two_hubs
    assert second.url == "/nordby-baerekraftslab/"
    host = urlsplit(live_asgi_server.url).netloc
    # The privacy and accessibility statements are the installation's, linked from every footer.
    site_wide = (*SITE_WIDE, *(statement.url for statement in StatementPage.objects.live()))
    assert len(site_wide) == len(SITE_WIDE) + 2
    for hub, other in ((first, second), (second, first)):
        urls = _pages_of(hub)
        assert len(urls) >= 4, "the hub, its projects, partners and forum"
        for url in urls:
            page.goto(url)
            assert_accessible(page)
            footer = page.locator("footer")
            expect(footer, url).to_contain_text(hub.contact_email)
            expect(footer, url).not_to_contain_text(other.contact_email)
            for href in page.evaluate(LINKS_JS):
                parts = urlsplit(href)
                if parts.scheme in ("mailto", "tel") or parts.netloc != host:
                    continue
                path = parts.path
                assert not path.startswith(other.url), f"{url} links into the other hub: {href}"
                assert path in SITE_WIDE_PAGES or path.startswith((*_hub_addresses(hub), *site_wide)), f"{url}: {href}"
        # The hub's own menu lists its sections.
        page.goto(hub.url)
        # At least five links: the hub, projects, partners, forum, the goals.
        expect(page.locator("nav.site-nav a").nth(4)).to_be_attached()
