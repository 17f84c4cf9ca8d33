"""Reads for the site pages: which hub a page belongs to, what a page lists.

Every selector returns a fixed number of queries whatever the amount of data, so list pages stay
flat (tests/cms/test_query_counts.py guards that). Which pages are private comes from the
versioned cache (``cms.restrictions.public_q``) rather than a query per list.
"""

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms import dependency
from cms.models import HomePage, HubPage, NewsIndexPage, NewsPage, StatementKind, StatementPage
from cms.restrictions import public_q
from cms.routing import routed_ancestors
from cms.versioned_cache import versioned

LATEST_NEWS_COUNT = 3


def hub_for_page(page: Page) -> HubPage | None:
    """The nearest HubPage at or above ``page`` (the page itself if it is a hub), or None.

    From the versioned cache (every page below a hub asks, on every request), else one query: the
    ancestors' tree paths are prefixes of the page's own path. The hub's StreamField is left
    deferred: pages show their hub's title, contact details and settings, not its body.
    """
    if isinstance(page, HubPage):
        return page
    steplen = Page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return versioned(
        f"hub-of:{page.path}",
        lambda: HubPage.objects.filter(path__in=paths).defer_streamfields().order_by("-depth").first(),
        depends_on=[dependency.SITE],
    )


def _with_hero_images(queryset: QuerySet) -> QuerySet:
    # Renditions are prefetched so that a card's {% image %} costs no query per hub.
    image_model = get_image_model()
    return queryset.prefetch_related(
        Prefetch("hero_image", queryset=image_model.objects.prefetch_related("renditions"))
    )


def hubs_for_home(home: HomePage) -> QuerySet[HubPage]:
    """The live, public hubs below a home page, in alphabetical order, for the front page's list."""
    return _with_hero_images(HubPage.objects.descendant_of(home).live().filter(public_q()).order_by("title"))


def hub_child_pages(hub: HubPage) -> QuerySet[Page]:
    """The hub's own live pages that are meant for menus, in the editors' order."""
    return hub.get_children().live().filter(public_q()).in_menu().order_by("path")


def hub_latest_news(hub: HubPage | HomePage, *, limit: int = LATEST_NEWS_COUNT) -> list[NewsPage]:
    """The newest live news items published anywhere below the hub (or the front page: every hub's)."""
    return list(NewsPage.objects.descendant_of(hub).live().filter(public_q()).order_by("-date", "-pk")[:limit])


def latest_news_with_hubs(home: HomePage, hubs: list[HubPage], *, limit: int = LATEST_NEWS_COUNT) -> list[NewsPage]:
    """The newest live news items below the front page, each with ``news_hub``: the one of ``hubs``
    it belongs to (None for news outside them), found by tree path without a query per item."""
    items = hub_latest_news(home, limit=limit)
    for item in items:
        item.news_hub = next((hub for hub in hubs if item.path.startswith(hub.path)), None)
    return items


def news_for_index(index: NewsIndexPage) -> QuerySet[NewsPage]:
    """Every live news item under a news index, newest first."""
    return NewsPage.objects.child_of(index).live().filter(public_q()).order_by("-date", "-pk")


def page_breadcrumbs(page: Page, site: Site | None) -> list[Page]:
    """The pages from the site's root page down to ``page``'s parent; empty on the site's root.

    Pages above the site's root (the tree root, or a shared home page above a hub that has a site
    of its own) are not part of what a visitor can navigate, so they are left out.
    """
    root_page_id = site.root_page_id if site is not None else None
    routed = routed_ancestors(page, root_page_id)
    if routed is not None:
        return routed
    ancestors = list(Page.objects.ancestor_of(page).filter(depth__gt=1).order_by("depth"))
    for position, ancestor in enumerate(ancestors):
        if ancestor.pk == root_page_id:
            return ancestors[position:]
    if page.pk == root_page_id:
        return []
    return ancestors


def statement_links() -> list[dict]:
    """The live privacy and accessibility statements as ``{"kind", "title", "url"}``, privacy first.

    Every footer shows them, so they come from the versioned cache.
    """

    def compute():
        order = list(StatementKind.values)
        pages = StatementPage.objects.live().filter(public_q()).defer_streamfields()
        links = [{"kind": page.kind, "title": page.title, "url": page.get_url()} for page in pages]
        return sorted((link for link in links if link["url"]), key=lambda link: order.index(link["kind"]))

    return versioned("statement-links", compute, depends_on=[dependency.SITE])
