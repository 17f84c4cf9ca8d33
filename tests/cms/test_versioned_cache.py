"""What every page repeats (site, menus, footer, hub, view restrictions) is read once per content
version and never served stale; routing a path costs one query for all its levels."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from cms import dependency, versioned_cache
from cms.dependency import everything_changed
from cms.models import FooterSettings, NavigationSettings
from cms.selectors import hub_for_page, hub_latest_news
from tests.cms.factories import (
    hub_page_create,
    news_index_create,
    news_page_create,
    standard_page_create,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _sql_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_warm_page_reads_no_site_settings_or_hub_and_routes_in_one_query(english, home):
    hub = hub_page_create(parent=home, title="Fjordvik lab")
    page = standard_page_create(parent=standard_page_create(parent=hub, title="About"), title="Team")
    english.get(page.url)

    queries = _sql_of(english, page.url)

    tables = ("wagtailcore_site", "cms_navigationsettings", "cms_footersettings", "cms_hubpage", "pageviewrestriction")
    assert not [sql for sql in queries if any(table in sql for table in tables)]
    page_lookups = [sql for sql in queries if 'FROM "wagtailcore_page"' in sql]
    assert len(page_lookups) == 1, "the hub, the about page and the team page in one query"
    html = english.get(page.url).content.decode()
    assert ">Fjordvik lab</a>" in html and ">About</a>" in html, "breadcrumbs from the routed pages"


def test_menu_and_footer_changes_show_at_once_to_logged_in_visitors_too(english, home, django_user_model):
    english.force_login(django_user_model.objects.create_user(email="kari@example.org", password="x" * 12))
    site = Site.objects.get(is_default_site=True)
    hub = hub_page_create(parent=home)
    navigation = NavigationSettings.for_site(site)
    navigation.links = [("link", {"label": "First label", "page": hub, "url": ""})]
    navigation.save()
    assert "First label" in english.get(home.url).content.decode()

    navigation.links = [("link", {"label": "Second label", "page": hub, "url": ""})]
    navigation.save()
    footer = FooterSettings.for_site(site)
    footer.text = "A new footer."
    footer.save()

    html = english.get(home.url).content.decode()
    assert "Second label" in html and "First label" not in html
    assert "A new footer." in html


def test_a_menu_link_follows_its_page_when_the_page_moves(english, home):
    hub = hub_page_create(parent=home)
    about = standard_page_create(parent=hub, title="About")
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    navigation.links = [("link", {"label": "About us", "page": about, "url": ""})]
    navigation.save()
    assert f'href="{about.url}"' in english.get(home.url).content.decode()

    about.slug = "om-oss"
    about.save_revision().publish()
    about.refresh_from_db()

    html = english.get(home.url).content.decode()
    assert f'<a class="ds-link" href="{about.url}">About us</a>' in html
    assert about.url.endswith("/om-oss/")


def test_the_hub_of_a_page_follows_a_renamed_hub(home):
    hub = hub_page_create(parent=home, title="Gammelt navn")
    page = standard_page_create(parent=hub)
    assert hub_for_page(Page.objects.get(pk=page.pk).specific).title == "Gammelt navn"

    hub.title = "Nytt navn"
    hub.save_revision().publish()

    assert hub_for_page(Page.objects.get(pk=page.pk).specific).title == "Nytt navn"


def test_a_view_restriction_added_later_applies_at_once(client, home):
    hub = hub_page_create(parent=home)
    index = news_index_create(hub=hub)
    news = news_page_create(index=index, date=datetime.date(2026, 1, 1), title="Hemmelig")
    assert client.get(news.url).status_code == 200
    assert [item.title for item in hub_latest_news(hub)] == ["Hemmelig"]

    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(news.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert hub_latest_news(hub) == []
    assert client.get(hub.url).status_code == 200, "the hub itself stays public"


def test_routing_finds_new_pages_and_forgets_unpublished_ones(client, home):
    hub = hub_page_create(parent=home)
    client.get(hub.url)
    page = standard_page_create(parent=hub, title="Ny side")
    assert client.get(page.url).status_code == 200

    page.unpublish()

    assert client.get(page.url).status_code == 404
    assert client.get(f"{hub.url}finnes-ikke/").status_code == 404
    assert client.get(f"{page.url}under/").status_code == 404


def test_a_new_site_for_a_host_is_used_at_once(client, home):
    hub = hub_page_create(parent=home, title="Egen vert")
    assert client.get("/", HTTP_HOST="127.0.0.1").context["page"].pk == home.pk

    Site.objects.create(hostname="127.0.0.1", port=80, root_page=hub, site_name="Egen vert")

    response = client.get("/", HTTP_HOST="127.0.0.1")
    assert response.context["page"].pk == hub.pk
    assert client.get("/").context["page"].pk == home.pk, "other hosts keep the default site"


def test_versioned_values_are_kept_until_content_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert versioned_cache.versioned("test:counter", compute) == 1
    assert versioned_cache.versioned("test:counter", compute) == 1
    everything_changed()
    assert versioned_cache.versioned("test:counter", compute) == 2


class Gone:
    """Stands for a class that a deploy removed while a pickled copy of it was still cached."""


def test_an_unreadable_cached_value_is_dropped_and_computed_again(monkeypatch):
    versioned_cache.versioned("test:gone", Gone)
    monkeypatch.delattr(f"{__name__}.Gone")

    assert versioned_cache.versioned("test:gone", lambda: "fresh") == "fresh"
    assert cache.get(versioned_cache.KEY_PREFIX + "test:gone")["value"] == "fresh"


@pytest.mark.parametrize("old_entry", [("a-content-version", "gammal"), {"format": 1, "value": "gammal"}])
def test_an_entry_of_another_format_is_computed_again(old_entry):
    cache.set(versioned_cache.KEY_PREFIX + "test:format", old_entry)

    assert versioned_cache.versioned("test:format", lambda: "fersk") == "fersk"
    assert versioned_cache.versioned("test:format", lambda: "again") == "fersk"


def test_a_value_is_kept_until_one_of_its_own_dependencies_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def hubs_list():
        return versioned_cache.versioned("test:hub", compute, depends_on=[dependency.hub(1)])

    assert hubs_list() == 1
    dependency.changed(dependency.hub(2), dependency.page(3), dependency.thread(4))
    assert hubs_list() == 1
    dependency.changed(dependency.hub(1))
    assert hubs_list() == 2


def test_a_value_depends_on_what_its_computation_took_from_the_versioned_cache():
    def inner():
        return versioned_cache.versioned("test:inner", lambda: "inner", depends_on=[dependency.goal(7)])

    calls = []

    def outer():
        calls.append(1)
        return versioned_cache.versioned("test:outer", lambda: inner() + str(len(calls)), depends_on=[dependency.SITE])

    first = outer()
    assert outer() == first
    dependency.changed(dependency.goal(7))
    assert outer() != first
