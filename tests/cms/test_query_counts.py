import datetime

import pytest

from cms.hub_routes import hub_sections
from tests.cms.factories import (
    hub_page_create,
    image_create,
    news_index_create,
    news_page_create,
    standard_page_create,
)
from tests.cms.page_queries import warmed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def _add_hubs(home, count):
    return [hub_page_create(parent=home, hero_image=image_create()) for _ in range(count)]


def test_the_home_page_query_count_does_not_grow_with_hubs(client, home, django_assert_max_num_queries):
    _add_hubs(home, 1)
    baseline, _ = warmed_queries(client, home.url)
    # The site, its root page, menus and footer come from the versioned cache; the hubs' numbers,
    # the latest projects and news take a fixed number more (tests/cms/test_front_pages.py).
    assert baseline <= 14
    _add_hubs(home, 4)
    client.get(home.url)

    with django_assert_max_num_queries(baseline):
        response = client.get(home.url)

    assert response.status_code == 200
    assert response.content.decode().count('class="ds-card dg-card hub-card"') == 5


def _fill_hub(hub, news_index, count):
    for number in range(count):
        standard_page_create(parent=hub, show_in_menus=True)
        news_page_create(index=news_index, date=datetime.date(2026, 1, 1 + number))


def test_the_hub_page_query_count_does_not_grow_with_pages_and_news(client, home, django_assert_max_num_queries):
    hub = hub_page_create(parent=home, hero_image=image_create())
    news_index = news_index_create(hub=hub)
    _fill_hub(hub, news_index, 1)
    baseline, _ = warmed_queries(client, hub.url)
    # Routing takes two; site, menus, footer and restrictions come from the cache; the hub's numbers,
    # projects, partners, events, forum and news a fixed number more.
    assert baseline <= 20
    _fill_hub(hub, news_index, 4)
    client.get(hub.url)

    with django_assert_max_num_queries(baseline):
        response = client.get(hub.url)

    assert response.status_code == 200
    html = response.content.decode()
    sections = html[html.index('class="hub-sections"') :].split("</nav>", 1)[0]
    assert sections.count("<li>") == 5 + len(hub_sections()), "every page meant for menus, then the apps' sections"
    assert html.count('class="ds-card dg-card news-card"') == 3, "the latest three news items"
