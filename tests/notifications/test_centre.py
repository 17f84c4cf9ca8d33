"""The notification centre (/notifications/) and the header bell: newest first, unread marked, texts
in the reader's language, mark one or all as read, nothing shown whose content the reader can no
longer see, and a query count that does not grow with the notifications."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions import services as discussions
from notifications import services
from notifications.models import EventKind, Notification
from tests.discussions.factories import comment_create
from tests.notifications.factories import citizen_create
from tests.projects.factories import project_create

pytestmark = pytest.mark.django_db

CENTRE = "/notifications/"


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """Write notifications through the real service and run what it does after the commit (the
    live publish, which also moves the bell's cache on)."""

    def write(recipient, kind=EventKind.COMMENT, *, actor=None, **about) -> Notification:
        with django_capture_on_commit_callbacks(execute=True):
            (notification,) = services.notify(
                kind=kind,
                recipient_ids=[recipient.pk],
                actor_id=actor.pk if actor else None,
                **about,
            )
        return Notification.objects.get(pk=notification.pk)

    return write


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _item_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="notification[^"]*" id="notification-(\d+)"', html)]


def _unread_ids(html: str) -> list[int]:
    unread = r'<li class="notification notification--unread" id="notification-(\d+)"'
    return [int(pk) for pk in re.findall(unread, html)]


def _bell_label(html: str) -> str:
    return re.search(r'id="notification-bell-label">([^<]*)<', html).group(1)


def _comment_about(scene, comment):
    return {
        "hub_id": scene.hub.pk,
        "thread_id": comment.thread_id,
        "comment_id": comment.pk,
        "project_id": comment.thread.project_id,
        "url": f"{scene.project.url}#comment-{comment.pk}",
    }


def test_the_centre_lists_newest_first_with_texts_links_and_unread_marks(scene, notify):
    carol = citizen_create()
    comment = comment_create(scene.thread, author=scene.alice, body="Flott prosjekt!")
    first = notify(carol, EventKind.COMMENT, actor=scene.alice, **_comment_about(scene, comment))
    second = notify(
        carol,
        EventKind.PROJECT_STATUS,
        hub_id=scene.hub.pk,
        project_id=scene.project.pk,
        data={"status": "completed", "previous_status": "active"},
        url=scene.project.url,
    )
    third = notify(
        carol,
        EventKind.DECISION,
        hub_id=scene.hub.pk,
        project_id=scene.project.pk,
        data={"subject": "proposal", "decision": "approved", "comment": ""},
        url=scene.project.url,
    )
    Notification.objects.filter(pk=second.pk).update(read_at=first.created_at)
    someone_elses = notify(scene.bob, EventKind.COMMENT, actor=scene.alice, **_comment_about(scene, comment))

    html = _client(carol).get(CENTRE).content.decode()

    assert _item_ids(html) == [third.pk, second.pk, first.pk]
    assert _unread_ids(html) == [third.pk, first.pk]
    assert someone_elses.pk not in _item_ids(html)
    assert "Alice Berg commented in “Grønn havn”" in html
    assert "Flott prosjekt!" in html  # the comment's start
    assert "Your proposal “Grønn havn” was approved" in html
    assert f'href="{reverse("notifications:open", args=[first.pk])}"' in html
    # Only unread items have a Mark as read button, named after their text.
    assert html.count('class="notification__read-form"') == 2
    assert f'action="{reverse("notifications:mark_read", args=[third.pk])}"' in html
    assert f'action="{reverse("notifications:mark_read", args=[second.pk])}"' not in html
    assert 'id="notification-mark-all"' in html and 'action="/notifications/read/"' in html


def test_following_the_link_marks_it_read_and_goes_where_it_leads(scene, notify):
    carol = citizen_create()
    comment = comment_create(scene.thread, author=scene.alice)
    notification = notify(carol, actor=scene.alice, **_comment_about(scene, comment))
    client = _client(carol)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{scene.project.url}#comment-{comment.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None
    # Someone else's notification is not theirs to open.
    assert _client(scene.bob).get(reverse("notifications:open", args=[notification.pk])).status_code == 404


def test_mark_one_as_read_without_javascript_and_with(scene, notify, django_capture_on_commit_callbacks):
    carol = citizen_create()
    topic = scene.topic
    items = [notify(carol, actor=scene.alice, hub_id=scene.hub.pk, thread_id=topic.pk, url="/x/") for _ in range(3)]
    client = _client(carol)
    assert _bell_label(client.get(CENTRE).content.decode()) == "Notifications, 3 unread"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:mark_read", args=[items[0].pk]))
    assert (response.status_code, response["Location"]) == (303, CENTRE)
    html = client.get(CENTRE).content.decode()
    assert _unread_ids(html) == [items[2].pk, items[1].pk]
    assert _bell_label(html) == "Notifications, 2 unread"
    assert re.search(r'id="notification-bell-badge" aria-hidden="true">2<', html)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:mark_read", args=[items[1].pk]), HTTP_ACCEPT="application/json")
    assert response.json() == {"unread": 1}
    assert _bell_label(client.get(CENTRE).content.decode()) == "Notifications, 1 unread"

    # Someone else's id changes nothing.
    _client(scene.bob).post(reverse("notifications:mark_read", args=[items[2].pk]))
    assert Notification.objects.get(pk=items[2].pk).read_at is None


def test_mark_all_as_read(scene, notify, django_capture_on_commit_callbacks):
    carol = citizen_create()
    for _ in range(3):
        notify(carol, actor=scene.alice, hub_id=scene.hub.pk, thread_id=scene.topic.pk)
    bobs = notify(scene.bob, actor=scene.alice, hub_id=scene.hub.pk, thread_id=scene.topic.pk)
    client = _client(carol)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:mark_all_read"))
    assert (response.status_code, response["Location"]) == (303, CENTRE)

    html = client.get(CENTRE).content.decode()
    assert len(_item_ids(html)) == 3 and _unread_ids(html) == []
    assert "All your notifications are marked as read." in html
    assert _bell_label(html) == "Notifications"
    assert re.search(r'id="notification-bell-badge" aria-hidden="true" hidden>', html)
    assert re.search(r'id="notification-mark-all"[^>]* hidden>', html)
    assert Notification.objects.get(pk=bobs.pk).read_at is None


def test_content_the_reader_can_no_longer_see_is_not_shown_nor_counted(scene, notify, settings):
    settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS = 0
    carol = citizen_create()
    hidden = discussions.comment_post(actor=scene.alice, thread=scene.thread, body="Stygt.")
    kept = discussions.comment_post(actor=scene.bob, thread=scene.thread, body="Hyggelig.")
    about_hidden = notify(carol, actor=scene.alice, **_comment_about(scene, hidden))
    about_kept = notify(carol, actor=scene.bob, **_comment_about(scene, kept))
    report = notify(
        scene.coordinator,
        EventKind.WAITING,
        actor=scene.bob,
        data={"subject": "report", "reason": "abuse"},
        **_comment_about(scene, hidden),
    )
    other = project_create(scene.index, title="Snart borte")
    update = notify(carol, EventKind.PROJECT_UPDATE, hub_id=scene.hub.pk, project_id=other.pk, url=other.url)
    draft = project_create(scene.index, title="Mitt forslag", live=False, proposed_by=carol)
    decision = notify(
        carol,
        EventKind.DECISION,
        hub_id=scene.hub.pk,
        project_id=draft.pk,
        data={"subject": "proposal", "decision": "changes_requested"},
    )
    client = _client(carol)
    html = client.get(CENTRE).content.decode()
    assert _item_ids(html) == [decision.pk, update.pk, about_kept.pk, about_hidden.pk]
    assert _bell_label(html) == "Notifications, 4 unread"

    discussions.comment_hide(actor=scene.coordinator, comment=hidden, reason="Hets")
    other.unpublish()

    html = client.get(CENTRE).content.decode()
    assert _item_ids(html) == [decision.pk, about_kept.pk]
    assert "Stygt" not in html and "Snart borte" not in html
    assert _bell_label(html) == "Notifications, 2 unread"
    assert client.get(reverse("notifications:open", args=[about_hidden.pk])).status_code == 404
    # The report about the hidden comment still waits for the coordinator.
    assert _item_ids(_client(scene.coordinator).get(CENTRE).content.decode()) == [report.pk]


def test_the_centre_is_paginated(scene, notify):
    carol = citizen_create()
    written = [notify(carol, actor=scene.alice, hub_id=scene.hub.pk, thread_id=scene.topic.pk) for _ in range(23)]
    client = _client(carol)

    first = _item_ids(client.get(CENTRE).content.decode())
    second_html = client.get(CENTRE + "?page=2").content.decode()
    assert first == [n.pk for n in reversed(written)][:20]
    assert _item_ids(second_html) == [n.pk for n in reversed(written)][20:]
    assert 'data-live-insert="false"' in second_html


def test_the_centre_and_the_bell_are_for_logged_in_people(scene, client):
    response = client.get(CENTRE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert 'id="notification-bell"' not in client.get(scene.hub.url).content.decode()

    html = _client(citizen_create()).get(scene.hub.url).content.decode()
    assert 'id="notification-bell"' in html
    assert _bell_label(html) == "Notifications"
    assert "You have no notifications yet." in _client(citizen_create()).get(CENTRE).content.decode()


@pytest.mark.usefixtures("page_cache_off")
def test_the_centre_costs_the_same_queries_for_5_and_50_notifications(scene, notify, django_assert_max_num_queries):
    carol = citizen_create()
    client = _client(carol)
    comments = [comment_create(scene.thread, author=scene.alice, body=f"Kommentar {n}") for n in range(3)]

    def write(count):
        for n in range(count):
            kind = (EventKind.COMMENT, EventKind.PROJECT_UPDATE, EventKind.DECISION)[n % 3]
            if kind == EventKind.COMMENT:
                notify(carol, kind, actor=scene.bob, **_comment_about(scene, comments[n % 3]))
            else:
                notify(carol, kind, actor=scene.bob, hub_id=scene.hub.pk, project_id=scene.project.pk)

    def count() -> int:
        client.get(CENTRE)  # warm the per-version caches
        with django_assert_max_num_queries(25) as captured:
            assert client.get(CENTRE).status_code == 200
        return len(captured)

    write(5)
    few = count()
    write(45)
    assert count() == few


def test_the_bell_costs_no_query_while_nothing_changed(scene, notify, django_capture_on_commit_callbacks):
    carol = citizen_create()
    notify(carol, actor=scene.alice, hub_id=scene.hub.pk, thread_id=scene.topic.pk)
    client = _client(carol)
    url = scene.hub.url
    client.get(url)

    def notification_queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        table = Notification._meta.db_table
        return sum(table in query["sql"] for query in captured.captured_queries), _bell_label(html)

    assert notification_queries() == (0, "Notifications, 1 unread")
    notify(carol, actor=scene.alice, hub_id=scene.hub.pk, thread_id=scene.topic.pk)
    assert notification_queries() == (1, "Notifications, 2 unread")
    assert notification_queries() == (0, "Notifications, 2 unread")
