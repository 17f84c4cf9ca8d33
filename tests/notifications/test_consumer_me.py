"""The person's own websocket, ``ws/me/?after=<inbox seq>``: event shapes, resume after a gap, no
duplicates, refusals and bad frames."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.utils import timezone

from discussions import services as discussions
from hub.asgi import application
from notifications import consumers, live, services
from notifications.models import EventKind, Notification
from tests.discussions.factories import comment_create
from tests.discussions.live_client import ORIGIN, TIMEOUT, frames_until_pong, receive, refusal, session_cookie
from tests.notifications.factories import citizen_create

# Committed for real: the consumer reads the database from another thread.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def me_socket(*, after=None, session=None, language="en") -> WebsocketCommunicator:
    path = "/ws/me/" + (f"?after={after}" if after is not None else "")
    cookies = []
    if session:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    if language:
        cookies.append(f"{settings.LANGUAGE_COOKIE_NAME}={language}")
    headers = [(b"origin", ORIGIN), (b"host", b"127.0.0.1")]
    if cookies:
        headers.append((b"cookie", "; ".join(cookies).encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def open_me(user, **options) -> WebsocketCommunicator:
    socket = me_socket(session=await database_sync_to_async(session_cookie)(user), **options)
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    return socket


def _notify(scene, recipient, **about) -> Notification:
    about.setdefault("thread_id", scene.topic.pk)
    (notification,) = services.notify(
        kind=EventKind.COMMENT, recipient_ids=[recipient.pk], actor_id=scene.alice.pk, hub_id=scene.hub.pk, **about
    )
    return notification


notify = database_sync_to_async(_notify)
mark_read = database_sync_to_async(services.mark_read)


def _summary(frames):
    return [(frame["type"], frame["seq"], frame.get("id"), frame["unread"]) for frame in frames]


def test_a_new_notification_arrives_as_the_centre_shows_it(scene):
    carol = citizen_create()

    async def listen():
        socket = await open_me(carol, after=0)
        assert await frames_until_pong(socket) == []
        notification = await notify(scene, carol)
        frame = await receive(socket)
        await socket.disconnect()
        return notification, frame

    notification, frame = async_to_sync(listen)()

    assert set(frame) == {"type", "seq", "id", "html", "unread"}
    assert (frame["type"], frame["seq"], frame["id"], frame["unread"]) == (
        "notification.created",
        1,
        notification.pk,
        1,
    )
    html = frame["html"]
    assert html.startswith(f'<li class="notification notification--unread" id="notification-{notification.pk}"')
    assert 'data-seq="1"' in html
    assert "Alice Berg commented in “Sykkelveier”" in html  # the socket's language (the cookie)
    assert f'href="/notifications/{notification.pk}/"' in html
    assert "Mark as read" in html
    assert "csrfmiddlewaretoken" not in html  # the page adds its own


def test_marking_as_read_arrives_as_a_read_event(scene):
    carol = citizen_create()
    first = _notify(scene, carol)
    _notify(scene, carol)

    async def listen():
        socket = await open_me(carol, after=2)
        assert await frames_until_pong(socket) == []
        await mark_read(user=carol, notification_ids=[first.pk])
        one = await receive(socket)
        await mark_read(user=carol)
        everything = await receive(socket)
        await socket.disconnect()
        return one, everything

    one, everything = async_to_sync(listen)()
    assert one == {"type": "notifications.read", "seq": 3, "unread": 1}
    assert everything == {"type": "notifications.read", "seq": 4, "unread": 0}


def test_resume_after_a_gap_sends_what_was_missed_once_in_order(scene):
    carol = citizen_create()
    hidden = comment_create(scene.topic, author=scene.alice, body="Stygt.")
    one = _notify(scene, carol)  # 1
    two = _notify(scene, carol, comment_id=hidden.pk)  # 2: its comment is hidden below
    three = _notify(scene, carol)  # 3
    services.mark_read(user=carol, notification_ids=[one.pk])  # 4
    five = _notify(scene, carol)  # 5
    discussions.comment_hide(actor=scene.coordinator, comment=hidden, reason="Hets")
    Notification.objects.filter(pk=three.pk).update(read_at=timezone.now())  # read, without an event

    async def resume(after):
        socket = await open_me(carol, after=after)
        frames = await frames_until_pong(socket)
        await socket.disconnect()
        return frames

    # Every event carries today's unread count: five only (three was read, two is not shown).
    assert _summary(async_to_sync(resume)(0)) == [
        ("notification.created", 1, one.pk, 1),
        ("notification.created", 3, three.pk, 1),
        ("notifications.read", 4, None, 1),
        ("notification.created", 5, five.pk, 1),
    ]
    frames = async_to_sync(resume)(1)
    assert _summary(frames) == [
        ("notification.created", 3, three.pk, 1),
        ("notifications.read", 4, None, 1),
        ("notification.created", 5, five.pk, 1),
    ]
    # Each as it is now: three shows as read.
    assert 'data-unread="false"' in frames[0]["html"] and "Mark as read" not in frames[0]["html"]
    assert two.pk not in [frame.get("id") for frame in frames]
    assert _summary(async_to_sync(resume)(4)) == [("notification.created", 5, five.pk, 1)]
    assert async_to_sync(resume)(5) == []


def test_without_after_the_socket_starts_from_now_and_sends_nothing_twice(scene):
    carol = citizen_create()
    _notify(scene, carol)

    async def listen():
        socket = await open_me(carol)
        before = await frames_until_pong(socket)
        notification = await notify(scene, carol)
        frame = await receive(socket)
        # The same doorbell again (a duplicate publish): nothing new to send.
        await database_sync_to_async(live.publish_inbox_changes)([(carol.pk, notification.seq)])
        after = await frames_until_pong(socket)
        await socket.disconnect()
        return before, notification, frame, after

    before, notification, frame, after = async_to_sync(listen)()
    assert before == []
    assert (frame["type"], frame["seq"], frame["id"]) == ("notification.created", 2, notification.pk)
    assert after == []


def test_only_the_persons_own_notifications_reach_their_socket(scene):
    carol = citizen_create()

    async def listen():
        socket = await open_me(carol, after=0)
        await notify(scene, scene.bob)
        await notify(scene, scene.bob)
        mine = await notify(scene, carol)
        frames = [await receive(socket)]
        frames += await frames_until_pong(socket)
        await socket.disconnect()
        return mine, frames

    mine, frames = async_to_sync(listen)()
    assert [(frame["id"], frame["seq"]) for frame in frames] == [(mine.pk, 1)]


def test_anonymous_visitors_are_refused_with_4401(scene):
    async def connect():
        socket = me_socket(after=0)
        assert (await socket.connect(timeout=TIMEOUT))[0]
        return await refusal(socket)

    frame, code = async_to_sync(connect)()
    assert (frame["type"], frame["code"], code) == ("error", "unauthorized", 4401)
    assert frame["message"] == "Log in to see your notifications."


def test_a_bad_after_and_an_after_beyond_the_inbox_are_refused(scene, monkeypatch):
    carol = citizen_create()
    for _ in range(3):
        _notify(scene, carol)

    async def connect(after):
        socket = me_socket(after=after, session=await database_sync_to_async(session_cookie)(carol))
        assert (await socket.connect(timeout=TIMEOUT))[0]
        return await refusal(socket)

    frame, code = async_to_sync(connect)("x1")
    assert (frame["code"], code) == ("bad_request", 4400)
    frame, code = async_to_sync(connect)(9)
    assert (frame["code"], code) == ("resync", 4409)
    monkeypatch.setattr(consumers, "REPLAY_LIMIT", 2)
    frame, code = async_to_sync(connect)(0)
    assert (frame["code"], code) == ("resync", 4409)


def test_malformed_frames_get_an_error_frame_and_the_socket_stays_open(scene):
    carol = citizen_create()

    async def talk():
        socket = await open_me(carol, after=0)
        answers = []
        for text in ("not json", json.dumps([1, 2]), json.dumps({"type": 5}), json.dumps({"type": "shout"})):
            await socket.send_to(text_data=text)
            answers.append(await receive(socket))
        await socket.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 2000}))
        answers.append(await receive(socket))
        await socket.send_to(bytes_data=b"\x00\x01")
        answers.append(await receive(socket))
        # Still open, and still live.
        await socket.send_to(text_data=json.dumps({"type": "ping"}))
        pong = await receive(socket)
        notification = await notify(scene, carol)
        frame = await receive(socket)
        await socket.disconnect()
        return answers, pong, notification, frame

    answers, pong, notification, frame = async_to_sync(talk)()
    assert [(a["type"], a["code"]) for a in answers] == [
        ("error", "bad_frame"),
        ("error", "bad_frame"),
        ("error", "bad_frame"),
        ("error", "unknown_type"),
        ("error", "too_large"),
        ("error", "bad_frame"),
    ]
    assert all(a["message"] for a in answers)
    assert pong == {"type": "pong"}
    assert frame["id"] == notification.pk
