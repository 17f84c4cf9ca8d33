"""Anonymous visitors' search pages are cached per full URL, and never outlive a change."""

import pytest

from cms import dependency
from tests.partners.factories import hub_create
from tests.sitesearch.factories import search_world_create

pytestmark = pytest.mark.django_db


def test_search_pages_are_cached_per_full_url_and_refreshed_by_changes(client):
    world = search_world_create()
    first = client.get("/search/", {"q": "bærekraft"})
    assert first["X-Dugnad-Cache"] == "miss"
    assert not first.cookies  # nothing per visitor: no CSRF or session cookie
    assert client.get("/search/", {"q": "bærekraft"})["X-Dugnad-Cache"] == "hit"
    other = client.get("/search/", {"q": "bærekraft", "type": "project"})
    assert other["X-Dugnad-Cache"] == "miss"
    assert "Grønne Hender" not in other.content.decode()

    world.partner.name = "Blå Hender"
    world.partner.save()
    again = client.get("/search/", {"q": "bærekraft"})
    assert again["X-Dugnad-Cache"] == "miss"
    assert "Blå Hender" in again.content.decode()


def test_logged_in_visitors_are_never_served_from_the_cache(client):
    search_world_create()
    client.get("/search/", {"q": "bærekraft"})
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(verified=True))
    assert client.get("/search/", {"q": "bærekraft"}).get("X-Dugnad-Cache") != "hit"


def test_the_index_task_replaces_the_search_results_version_and_no_page_of_an_unrelated_hub(
    client, django_capture_on_commit_callbacks
):
    world = search_world_create()
    elsewhere = hub_create(title="Tromsø", home=world.hub.get_parent().specific)
    client.get(elsewhere.url)
    assert client.get(elsewhere.url)["X-Dugnad-Cache"] == "hit"
    before = dependency.version(dependency.SEARCH)

    with django_capture_on_commit_callbacks(execute=True):
        world.partner.name = "Blå Hender"
        world.partner.save()

    assert dependency.version(dependency.SEARCH) != before
    assert client.get(elsewhere.url)["X-Dugnad-Cache"] == "hit"
