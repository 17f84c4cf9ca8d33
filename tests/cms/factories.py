"""Helpers that put cms pages in the tree the way Wagtail expects (add_child, then publish)."""

import itertools

import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Collection, Page, Site
from wagtail.rich_text import RichText

from cms.models import HomePage, HubPage, NewsIndexPage, NewsPage, StandardPage
from cms.services import hub_coordinators_group_ensure

_sequence = itertools.count(1)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home_page_create(*, title: str = "Dugnad", make_default_site: bool = True, **fields) -> HomePage:
    """A HomePage under the tree root; by default the default Site's root, like seed_demo does."""
    number = next(_sequence)
    home = _publish(Page.get_first_root_node(), HomePage(title=title, slug=f"home-{number}", **fields))
    if make_default_site:
        site = Site.objects.get(is_default_site=True)
        site.root_page = home
        site.save()
    return home


def hub_page_create(*, parent: Page, title: str | None = None, ensure_group: bool = True, **fields) -> HubPage:
    number = next(_sequence)
    fields.setdefault("municipality", f"Kommune {number} (fiktiv)")
    fields.setdefault("default_language", "nb")
    hub = _publish(parent, HubPage(title=title or f"Hub {number}", slug=f"hub-{number}", **fields))
    if ensure_group:
        hub_coordinators_group_ensure(hub=hub)
    return hub


def standard_page_create(*, parent: Page, title: str | None = None, **fields) -> StandardPage:
    number = next(_sequence)
    return _publish(parent, StandardPage(title=title or f"Page {number}", slug=f"page-{number}", **fields))


def news_index_create(*, hub: HubPage) -> NewsIndexPage:
    return _publish(hub, NewsIndexPage(title="News", slug=f"news-{next(_sequence)}"))


def news_page_create(*, index: NewsIndexPage, date, title: str | None = None) -> NewsPage:
    number = next(_sequence)
    return _publish(
        index,
        NewsPage(title=title or f"News {number}", slug=f"news-item-{number}", date=date, intro=RichText("<p>x</p>")),
    )


def image_create(**fields):
    """A real (tiny) image file in the root collection, so renditions can be made."""
    fields.setdefault("collection", Collection.get_first_root_node())
    return wagtail_factories.ImageFactory(**fields)


def user_create(*, email: str | None = None, **fields):
    email = email or f"user{next(_sequence)}@example.test"
    return get_user_model().objects.create_user(email=email, password="a-long-test-password", **fields)
