"""The thread block and the forum list cost the same number of queries whatever their length."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discussions.models import Thread
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create, topic_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def _fill(thread, count: int, authors) -> None:
    """``count`` comments by several people: every third a reply, some edited, deleted or hidden."""
    authors = itertools.cycle(authors)
    parent = None
    for number in range(count):
        fields = {}
        if number % 3 == 2 and parent is not None:
            fields["reply_to"] = parent
        if number % 7 == 3:
            fields["edited_at"] = timezone.now()
        if number % 11 == 5:
            fields["deleted_at"] = timezone.now()
        if number % 13 == 6:
            fields["hidden_at"] = timezone.now()
        comment = comment_create(thread, author=next(authors), body=f"Kommentar {number}", **fields)
        if "reply_to" not in fields:
            parent = comment


def _queries(client, url: str) -> int:
    client.get(url)  # warm Wagtail's site and hub caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _thread_page_queries(client, scene, thread, url, count) -> int:
    Thread.objects.filter(pk=thread.pk).update(last_seq=0)
    thread.comments.all().delete()
    authors = [scene.alice, scene.bob, scene.coordinator, *(commenter_create() for _ in range(3))]
    _fill(thread, count, authors)
    return _queries(client, url)


@pytest.mark.parametrize("viewer", ["anonymous", "alice", "coordinator"])
def test_a_project_thread_costs_the_same_at_5_and_50_comments(client, viewer):
    scene = thread_scene_create()
    if viewer != "anonymous":
        client.force_login(getattr(scene, viewer))
    url = scene.project.url
    small = _thread_page_queries(client, scene, scene.thread, url, 5)
    large = _thread_page_queries(client, scene, scene.thread, url, 50)
    assert large == small
    html = client.get(url).content.decode()
    assert html.count('<article class="comment') == 50


@pytest.mark.parametrize("viewer", ["anonymous", "alice"])
def test_a_forum_topic_costs_the_same_at_5_and_50_comments(client, viewer):
    scene = thread_scene_create()
    if viewer != "anonymous":
        client.force_login(getattr(scene, viewer))
    url = f"{scene.forum.url}{scene.topic.pk}/"
    small = _thread_page_queries(client, scene, scene.topic, url, 5)
    large = _thread_page_queries(client, scene, scene.topic, url, 50)
    assert large == small


def test_the_forum_list_costs_the_same_at_5_and_50_topics(client):
    scene = thread_scene_create()
    client.force_login(scene.alice)
    authors = itertools.cycle([scene.alice, scene.bob, None])

    def fill(count):
        Thread.objects.filter(project__isnull=True).delete()
        for number in range(count):
            topic = topic_create(scene.hub, title=f"Tema {number}", author=next(authors), pinned=number % 9 == 0)
            Thread.objects.filter(pk=topic.pk).update(last_activity_at=timezone.now() - timedelta(minutes=number))
            if number % 2:
                comment_create(topic, author=scene.bob)

    fill(5)
    small = _queries(client, scene.forum.url)
    fill(50)
    large = _queries(client, scene.forum.url)
    assert large == small
