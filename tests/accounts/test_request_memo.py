"""Permissions asked many times on a page are answered once per request, and never shared between
people: the memo lives on the request's user (accounts.request_memo); cached public fragments
(cms.fragments) leave the per-person parts live."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.permissions import is_hub_coordinator
from discussions.models import Thread
from goals.models import Goal
from notifications.services import follow
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def _queries_on(client, url: str, table: str) -> tuple[int, str]:
    """How many of the second request's queries read ``table``, and the page."""
    client.get(url)  # fills the versioned cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return sum(table in query["sql"] for query in queries.captured_queries), response.content.decode()


def test_a_coordinators_groups_and_address_are_read_once_per_request(client):
    scene = thread_scene_create()
    Thread.objects.filter(pk=scene.topic.pk).update(last_seq=0)
    for number in range(6):
        comment_create(scene.topic, author=scene.alice if number % 2 else scene.bob, body=f"Innlegg {number}")
    client.force_login(scene.coordinator)

    groups_table = type(scene.coordinator).groups.through._meta.db_table
    groups, html = _queries_on(client, f"{scene.forum.url}{scene.topic.pk}/", groups_table)
    addresses, _html = _queries_on(client, f"{scene.forum.url}{scene.topic.pk}/", "account_emailaddress")

    # Every comment asks whether the visitor moderates the thread, may edit, report or reply.
    assert html.count('<article class="comment') == 6
    assert groups == 1
    assert addresses == 1


def test_the_memo_is_per_request(client):
    """A coordinator removed from the hub's group loses the moderation links on the next request."""
    scene = thread_scene_create()
    comment_create(scene.topic, author=scene.alice, body="Innlegg")
    client.force_login(scene.coordinator)
    url = f"{scene.forum.url}{scene.topic.pk}/"
    hide = '<li data-control="hide">'
    assert hide in client.get(url).content.decode()

    scene.coordinator.groups.clear()

    assert hide not in client.get(url).content.decode()


def test_outside_a_request_nothing_is_remembered():
    scene = thread_scene_create()
    assert is_hub_coordinator(scene.coordinator, scene.hub)

    scene.coordinator.groups.clear()

    assert not is_hub_coordinator(scene.coordinator, scene.hub)


@pytest.mark.parametrize("url", ["/goals/13/", "hub"])
def test_cached_fragments_leave_each_persons_follow_state_their_own(client, url):
    scene = thread_scene_create()
    target = scene.hub if url == "hub" else Goal.objects.get(number=13)
    url = scene.hub.url if url == "hub" else url
    follower, other = scene.alice, commenter_create(display_name="Carl Eik")
    follow(user=follower, target=target)

    pages = {}
    for person in (follower, other, follower):
        client.force_login(person)
        pages.setdefault(person.pk, []).append(client.get(url).content.decode())
        client.logout()

    assert all('class="ds-paragraph follow__status"' in html for html in pages[follower.pk])
    assert 'class="ds-paragraph follow__status"' not in pages[other.pk][0]
    assert 'data-variant="primary" data-size="sm"' in pages[other.pk][0]
