"""A hub's forum: the topic list (pinned first, latest activity, pagination), opening a topic, a topic's page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from discussions import services
from discussions.models import Comment, Thread
from discussions.views.forum import FORUM_PAGE_SIZE
from tests.accounts.factories import UserFactory
from tests.discussions.factories import comment_create, forum_create, thread_scene_create, topic_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    return thread_scene_create()


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="ds-heading" data-size="xs"><a class="ds-link" href="[^"]+">([^<]+)</a></h2>', html)


def _aged(thread: Thread, minutes: int) -> Thread:
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now() - timedelta(minutes=minutes))
    return thread


def test_the_list_shows_pinned_topics_first_then_the_latest_activity(client, scene):
    _aged(scene.topic, 30)  # "Sykkelveier"
    _aged(topic_create(scene.hub, title="Gamle saker"), 600)
    _aged(topic_create(scene.hub, title="Viktig: regler", pinned=True), 900)
    fresh = _aged(topic_create(scene.hub, title="Ny park"), 1)
    comment_create(fresh, author=scene.alice)
    comment_create(fresh, author=scene.bob)
    topic_create(scene.other_hub, title="Fra Molde")
    html = client.get(scene.forum.url).content.decode()
    assert _titles(html) == ["Viktig: regler", "Ny park", "Sykkelveier", "Gamle saker"]
    assert "4 topics" in html and "Pinned" in html
    assert re.search(r"Ny park.*?2 comments", html, re.S)
    # Project threads are not forum topics.
    assert "Grønn havn" not in html


def test_hidden_and_deleted_comments_are_not_counted(client, scene):
    comment_create(scene.topic, author=scene.alice)
    comment_create(scene.topic, author=scene.alice, deleted_at=timezone.now())
    comment_create(scene.topic, author=scene.bob, hidden_at=timezone.now())
    assert "1 comment<" in client.get(scene.forum.url).content.decode()


def test_the_list_has_pages(client, scene):
    _aged(scene.topic, 1000)
    for number in range(FORUM_PAGE_SIZE):
        _aged(topic_create(scene.hub, title=f"Tema {number:02}"), number)
    first = client.get(scene.forum.url).content.decode()
    assert len(_titles(first)) == FORUM_PAGE_SIZE and "page 1 of 2" in first and 'rel="next"' in first
    second = client.get(scene.forum.url + "?page=2").content.decode()
    assert _titles(second) == ["Sykkelveier"]


def test_who_sees_open_a_topic(client, scene):
    html = client.get(scene.forum.url).content.decode()
    assert "Log in to open a topic" in html and 'id="forum-new-topic"' not in html
    assert "csrfmiddlewaretoken" not in html
    client.force_login(UserFactory())  # not verified
    assert 'id="forum-new-topic"' not in client.get(scene.forum.url).content.decode()
    client.force_login(scene.alice)
    assert 'id="forum-new-topic"' in client.get(scene.forum.url).content.decode()


def test_opening_a_topic(client, scene):
    url = scene.forum.url + "new/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(scene.alice)
    assert 'name="title"' in client.get(url).content.decode()
    response = client.post(url, {"title": "Benker i parken", "body": "Vi trenger *flere*."})
    thread = Thread.objects.get(title="Benker i parken")
    assert response.status_code == 303 and response["Location"] == f"{scene.forum.url}{thread.pk}/"
    assert (thread.hub_id, thread.author, thread.project_id) == (scene.hub.pk, scene.alice, None)
    assert Comment.objects.get(thread=thread).html == "<p>Vi trenger <em>flere</em>.</p>"
    page = client.get(response["Location"]).content.decode()
    assert "<h1" in page and "Benker i parken" in page and "Your topic is open." in page
    assert f'data-thread-id="{thread.pk}"' in page and "Vi trenger <em>flere</em>." in page


def test_a_topic_with_errors_keeps_the_text(client, scene):
    client.force_login(scene.alice)
    response = client.post(scene.forum.url + "new/", {"title": "", "body": "Min lange tanke"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the topic a title." in html and ">\nMin lange tanke</textarea>" in html
    assert not Thread.objects.filter(author=scene.alice).exists()


def test_opening_topics_too_fast_is_429(client, scene):
    client.force_login(scene.alice)
    services.comment_post(actor=scene.alice, thread=scene.topic, body="Akkurat nå")
    response = client.post(scene.forum.url + "new/", {"title": "Raskt", "body": "Igjen"})
    assert response.status_code == 429 and response["Retry-After"]
    assert "You are commenting too fast" in response.content.decode()
    assert not Thread.objects.filter(title="Raskt").exists()


def test_unverified_and_suspended_people_cannot_open_topics(client, scene):
    client.force_login(UserFactory())
    response = client.get(scene.forum.url + "new/")
    assert response.status_code == 403 and "Confirm your e-mail address" in response.content.decode()
    services.user_suspend(
        actor=scene.coordinator,
        hub=scene.hub,
        user=scene.bob,
        ends_at=timezone.now() + timedelta(days=1),
        reason="Tone",
    )
    client.force_login(scene.bob)
    response = client.post(scene.forum.url + "new/", {"title": "Hei", "body": "Hei"})
    html = response.content.decode()
    assert response.status_code == 403 and "suspended you from opening topics" in html and "Reason: Tone" in html


def test_a_topic_page_shows_only_its_own_hubs_topics(client, scene):
    comment_create(scene.topic, author=scene.bob, body="Flere sykkelstativ", html="<p>Flere sykkelstativ</p>")
    response = client.get(f"{scene.forum.url}{scene.topic.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Sykkelveier" in html and "Flere sykkelstativ" in html
    assert 'id="discussion"' in html and "Log in to comment" in html
    elsewhere = topic_create(scene.other_hub, title="Fra Molde")
    assert client.get(f"{scene.forum.url}{elsewhere.pk}/").status_code == 404
    assert client.get(f"{scene.forum.url}{scene.thread.pk}/").status_code == 404  # a project's thread
    other_forum = forum_create(scene.other_hub)
    assert client.get(f"{other_forum.url}{elsewhere.pk}/").status_code == 200
