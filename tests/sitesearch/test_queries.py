"""The search page costs the same number of queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.discussions.factories import comment_create, topic_create
from tests.partners.factories import partner_create, partnership_create
from tests.projects.factories import goal, project_create
from tests.sitesearch.factories import search_world_create

pytestmark = pytest.mark.django_db

URL = "/search/?q=b%C3%A6rekraftig"


def _count(client, url=URL) -> int:
    client.get(url)  # warm the versioned cache (site, menus, restrictions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more(world, n: int):
    index = world.project.get_parent()
    for number in range(n):
        project_create(index, title=f"Bærekraftig tiltak {number}", primary_goal=goal(3), goals=[goal(4)])
        partner = partner_create(name=f"Bærekraftig lag {number}")
        partnership_create(partner=partner, hub=world.hub)
        topic = topic_create(world.hub, title=f"Bærekraftig spørsmål {number}")
        comment_create(topic, body="Bærekraftig svar.")


def test_query_count_does_not_grow_with_the_data(client, page_cache_off):
    world = search_world_create()
    small = _count(client)
    filtered_small = _count(client, URL + f"&hub={world.hub.pk}&type=project")
    _more(world, 12)
    # Each kind of result on the page shown costs one query to read: the small world shows every
    # kind on its one page, so a page of the larger one may cost less, never more.
    assert _count(client) <= small
    assert _count(client, URL + f"&hub={world.hub.pk}&type=project") == filtered_small
    assert _count(client, URL + "&page=2") <= small
    assert small <= 20


def test_cost_does_not_grow_with_the_hits_beyond_the_cap(client, page_cache_off, settings):
    """Beyond ``SEARCH_MAX_CANDIDATES`` matches of a kind, only the best that many are ranked,
    counted and read: the same queries and the same number of hits at 2× and 4× the cap."""
    settings.SEARCH_MAX_CANDIDATES = 5
    world = search_world_create()
    index = world.project.get_parent()
    url = "/search/?q=ytelsesm%C3%A5ling&type=project"

    def add(n):
        for number in range(n):
            project_create(index, title=f"Tiltak {number}", summary="Et prosjekt for ytelsesmåling.")

    add(10)
    queries = _count(client, url)
    response = client.get(url)
    assert response.context["result"].truncated
    assert response.context["result"].paginator.count == 5
    assert b'id="search-truncated"' in response.content
    add(10)
    assert _count(client, url) == queries
    response = client.get(url)
    assert response.context["result"].paginator.count == 5
    facets = {option.value: option.count for option in response.context["result"].facets["type"]}
    assert facets == {"project": 5}


def test_below_the_cap_nothing_is_truncated(client, page_cache_off):
    search_world_create()
    response = client.get(URL)
    assert not response.context["result"].truncated
    assert b'id="search-truncated"' not in response.content
