"""The thread websocket and the process's fanout: resume, order, no duplicates, access, bad frames,
sockets that are slow or gone, one layer subscription per process."""

import asyncio
import json
import logging

import pytest
import redis
from asgiref.sync import async_to_sync
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.urls import path

from discussions import consumers, fanout, live, services
from discussions.consumers import ThreadConsumer
from discussions.fanout import fanout_for_running_loop
from discussions.models import ChangeType, Comment, Thread, thread_group_name
from tests.discussions.factories import comment_create, commenter_create, thread_scene_create
from tests.discussions.live_client import (
    TIMEOUT,
    frames_until_pong,
    open_socket,
    receive,
    refusal,
    session_cookie,
    thread_socket,
)
from tests.projects.factories import project_create

# Committed for real: the consumer reads the database from another thread. Serialized rollback brings
# back what the migrations made (the page tree root) after each test flushes the tables.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def scene(settings):
    settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS = 0
    return thread_scene_create()


def _post(scene, body="Hei", *, actor=None, reply_to=None):
    return services.comment_post(actor=actor or scene.alice, thread=scene.thread, body=body, reply_to=reply_to)


post = database_sync_to_async(_post)


def _summary(frames):
    return [(frame["type"], frame["seq"], frame["id"]) for frame in frames]


# --- Resume and order ----------------------------------------------------------------------------


def _history(scene):
    """Seven changes: 1 first, 2 second, 3 reply to first, 4 first edited, 5 second deleted,
    6 thread locked, 7 reply hidden."""
    first = _post(scene, "Første")
    second = _post(scene, "Andre", actor=scene.bob)
    reply = _post(scene, "Svar", actor=scene.bob, reply_to=first)
    services.comment_edit(actor=scene.alice, comment=first, body="Første, rettet")
    services.comment_delete(actor=scene.bob, comment=second)
    services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Pause")
    services.comment_hide(actor=scene.coordinator, comment=reply, reason="Hets")
    return first, second, reply


def test_resume_after_a_gap_sends_the_current_state_of_each_change_in_order(scene):
    first, second, reply = _history(scene)
    thread = scene.thread
    current = [
        (ChangeType.COMMENT_EDITED, 4, first.pk),
        (ChangeType.COMMENT_DELETED, 5, second.pk),
        (ChangeType.THREAD_LOCKED, 6, thread.pk),
        (ChangeType.COMMENT_HIDDEN, 7, reply.pk),
    ]

    async def resume(after):
        socket = await open_socket(thread.pk, after=after)
        frames = await frames_until_pong(socket)
        await socket.disconnect()
        return frames

    # Whatever the browser missed, it gets each changed comment once, as it is now.
    for after in (0, 1, 3):
        assert _summary(async_to_sync(resume)(after)) == current, after
    assert _summary(async_to_sync(resume)(5)) == current[2:]
    assert async_to_sync(resume)(7) == []
    frames = async_to_sync(resume)(4)
    second = Comment.objects.select_related("author", "reply_to__author", "thread").get(pk=second.pk)
    assert frames[0]["html"] == json.loads(live.event_frame(second, "en"))["html"]
    assert 'data-state="deleted"' in frames[0]["html"]


def test_without_after_the_socket_starts_from_now(scene):
    _post(scene, "Gammel")

    async def listen():
        socket = await open_socket(scene.thread.pk)
        before = await frames_until_pong(socket)
        comment = await post(scene, "Ny")
        frame = await receive(socket)
        await socket.disconnect()
        return before, comment, frame

    before, comment, frame = async_to_sync(listen)()
    assert before == []
    assert (frame["type"], frame["seq"], frame["id"]) == (ChangeType.COMMENT_CREATED, 2, comment.pk)


def test_after_beyond_the_thread_or_too_far_behind_asks_for_a_reload(scene, monkeypatch):
    for body in ("En", "To", "Tre"):
        _post(scene, body)
    monkeypatch.setattr(consumers, "REPLAY_LIMIT", 2)

    async def connect(after):
        socket = thread_socket(scene.thread.pk, after=after)
        assert (await socket.connect())[0]
        return await refusal(socket)

    for after in (9, 0):
        frame, code = async_to_sync(connect)(after)
        assert (frame["type"], frame["code"], code) == ("error", "resync", 4409)
        assert frame["message"]

    async def within_limit():
        socket = await open_socket(scene.thread.pk, after=1)
        frames = await frames_until_pong(socket)
        await socket.disconnect()
        return frames

    assert [frame["seq"] for frame in async_to_sync(within_limit)()] == [2, 3]


def test_an_event_that_arrives_during_the_replay_is_sent_once(scene):
    """The socket has joined the fanout when the comment is published, so the live message is held
    while the replay from the database sends the same change; the held copy is dropped."""
    _post(scene, "Før")
    seen = {}

    class PostsDuringReplay(ThreadConsumer):
        async def catch_up(self, after):
            seen["comment"] = await post(scene, "Under")
            await asyncio.wait_for(self.subscriber.held_event().wait(), TIMEOUT)
            seen["held"] = [seq for seq, _message in self.subscriber._held]
            await super().catch_up(after)

    application = AllowedHostsOriginValidator(
        AuthMiddlewareStack(URLRouter([path("ws/threads/<int:thread_id>/", PostsDuringReplay.as_asgi())]))
    )

    async def listen():
        socket = await open_socket(scene.thread.pk, after=0, application=application)
        frames = await frames_until_pong(socket)
        later = await post(scene, "Etter")
        frames.append(await receive(socket))
        frames += await frames_until_pong(socket)
        await socket.disconnect()
        return frames, later

    frames, later = async_to_sync(listen)()
    assert seen["held"] == [2]
    assert [(frame["seq"], frame["id"]) for frame in frames] == [
        (1, frames[0]["id"]),
        (2, seen["comment"].pk),
        (3, later.pk),
    ]


def test_changes_published_out_of_order_are_delivered_in_order(scene):
    """Two processes commit seq 1 and 2 close together and publish 2 first: the fanout fills 1 from
    the database before 2, and drops the late 1."""

    async def listen():
        socket = await open_socket(scene.thread.pk, after=0)
        assert await frames_until_pong(socket) == []
        first = await database_sync_to_async(comment_create)(scene.thread, author=scene.alice, body="En")
        second = await database_sync_to_async(comment_create)(scene.thread, author=scene.bob, body="To")
        await database_sync_to_async(live.publish_comment_change)(second)
        frames = [await receive(socket), await receive(socket)]
        await database_sync_to_async(live.publish_comment_change)(first)
        third = await post(scene, "Tre")
        frames.append(await receive(socket))
        frames += await frames_until_pong(socket)
        await socket.disconnect()
        return [first, second, third], frames

    comments, frames = async_to_sync(listen)()
    assert [(frame["seq"], frame["id"]) for frame in frames] == [
        (1, comments[0].pk),
        (2, comments[1].pk),
        (3, comments[2].pk),
    ]


# --- Access --------------------------------------------------------------------------------------


def _refused(thread_id, **options):
    async def connect():
        socket = thread_socket(thread_id, **options)
        connected, _ = await socket.connect()
        assert connected
        return await refusal(socket)

    frame, code = async_to_sync(connect)()
    assert frame["type"] == "error" and frame["message"]
    return frame["code"], code


def test_an_unknown_thread_is_refused(scene):
    assert _refused(scene.thread.pk + 1000) == ("not_found", 4404)
    assert _refused(10**30) == ("not_found", 4404)


def test_a_malformed_after_is_refused(scene):
    for after in ["abc", "-1", "1.5", "", "١", "1&after=2"]:
        assert _refused(scene.thread.pk, after=after) == ("bad_request", 4400), after


def test_a_draft_projects_thread_is_refused_to_outsiders(scene):
    draft = project_create(scene.project.get_parent().specific, title="Hemmelig", live=False)
    thread, _created = Thread.objects.get_or_create(project=draft, defaults={"hub": scene.hub, "title": draft.title})
    outsider = commenter_create()

    assert _refused(thread.pk) == ("forbidden", 4403)
    assert _refused(thread.pk, session=session_cookie(outsider)) == ("forbidden", 4403)
    assert _refused(thread.pk, session=session_cookie(scene.other_coordinator)) == ("forbidden", 4403)

    async def as_coordinator(session):
        socket = await open_socket(thread.pk, session=session)
        frames = await frames_until_pong(socket)
        await socket.disconnect()
        return frames

    assert async_to_sync(as_coordinator)(session_cookie(scene.coordinator)) == []


def test_a_cross_origin_handshake_is_refused(scene):
    async def connect():
        socket = thread_socket(scene.thread.pk, origin=b"https://evil.example")
        connected, _ = await socket.connect()
        await socket.disconnect()
        return connected

    assert async_to_sync(connect)() is False


# --- Client frames -------------------------------------------------------------------------------


def test_malformed_frames_get_an_error_frame_and_everyone_keeps_being_served(scene):
    bad = [
        ("not json", "bad_frame"),
        (json.dumps([1, 2]), "bad_frame"),
        (json.dumps({"type": 5}), "bad_frame"),
        (json.dumps({"type": "subscribe", "thread": 2}), "unknown_type"),
        (json.dumps({"type": "ping", "pad": "x" * 2000}), "too_large"),
        (b"\x00\x01", "bad_frame"),
    ]

    async def listen():
        sender = await open_socket(scene.thread.pk)
        other = await open_socket(scene.thread.pk)
        assert await frames_until_pong(other) == []
        errors = []
        for frame, _code in bad:
            if isinstance(frame, bytes):
                await sender.send_to(bytes_data=frame)
            else:
                await sender.send_to(text_data=frame)
            errors.append(await receive(sender))
        comment = await post(scene, "Fortsatt her")
        received = [await receive(other), await receive(sender)]
        assert await frames_until_pong(sender) == []
        await sender.disconnect()
        await other.disconnect()
        return errors, comment, received

    errors, comment, received = async_to_sync(listen)()
    assert [(error["type"], error["code"]) for error in errors] == [("error", code) for _frame, code in bad]
    assert all(error["message"] for error in errors)
    assert [frame["id"] for frame in received] == [comment.pk, comment.pk]


# --- The fanout ----------------------------------------------------------------------------------


def _group_members(group: str) -> int:
    """How many channels of this process the layer has in ``group`` (call inside the loop)."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return len(layer.groups.get(group, {}))
    loop_layer = layer._get_layer()
    return len(loop_layer.groups.get(loop_layer._get_group_channel_name(group), ()))


def test_one_layer_subscription_per_process_and_thread(scene, monkeypatch):
    monkeypatch.setattr(fanout, "ROOM_LINGER_SECONDS", 0)
    group = thread_group_name(scene.thread.pk)

    async def listen():
        sockets = [await open_socket(scene.thread.pk) for _ in range(3)]
        for socket in sockets:
            await frames_until_pong(socket)
        members = _group_members(group)
        comment = await post(scene)
        frames = [await receive(socket) for socket in sockets]
        for socket in sockets[:2]:
            await socket.disconnect()
        after_two_left = _group_members(group)
        room = fanout_for_running_loop().rooms[scene.thread.pk]
        await sockets[2].disconnect()
        await asyncio.wait_for(room.left_group.wait(), TIMEOUT)
        return members, after_two_left, _group_members(group), comment, frames

    members, after_two_left, after_all_left, comment, frames = async_to_sync(listen)()
    assert members == 1
    assert after_two_left == 1
    assert after_all_left == 0
    # One frame, encoded once: every socket got the very same text.
    assert len({json.dumps(frame) for frame in frames}) == 1 and frames[0]["id"] == comment.pk


def test_the_fanout_leaves_its_groups_when_the_loop_ends(scene):
    group = thread_group_name(scene.thread.pk)

    async def listen_and_go():
        socket = await open_socket(scene.thread.pk)
        await frames_until_pong(socket)
        return _group_members(group), fanout_for_running_loop().channel

    members, channel = async_to_sync(listen_and_go)()
    assert members == 1
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        assert channel not in layer.groups.get(group, {})
    else:
        client = redis.Redis.from_url(settings.REDIS_URL)
        group_channel = f"{settings.CACHE_KEY_PREFIX}:channels__group__{group}"
        assert client.pubsub_numsub(group_channel) == [(group_channel.encode(), 0)]


class _Gate:
    """Wraps the site so that a socket's writes can be held (a client that stops reading) or fail
    (a client that has gone) once it is live."""

    def __init__(self, application):
        self.application = application
        self.hold = False
        self.fail = False
        self.released = asyncio.Event()

    async def __call__(self, scope, receive, send):
        async def gated_send(message):
            if message["type"] == "websocket.send" and self.fail:
                raise OSError("the client has gone")
            if self.hold:
                await self.released.wait()
            await send(message)

        return await self.application(scope, receive, gated_send)


def test_a_slow_or_dead_socket_does_not_hold_up_the_others(scene, monkeypatch):
    monkeypatch.setattr(fanout, "PENDING_LIMIT", 3)
    from hub.asgi import application

    async def listen():
        slow_gate, dead_gate = _Gate(application), _Gate(application)
        fast = await open_socket(scene.thread.pk)
        slow = await open_socket(scene.thread.pk, application=slow_gate)
        dead = await open_socket(scene.thread.pk, application=dead_gate)
        for socket in (fast, slow, dead):
            assert await frames_until_pong(socket) == []
        room = fanout_for_running_loop().rooms[scene.thread.pk]
        assert len(room.subscribers) == 3
        slow_gate.hold = dead_gate.fail = True

        comments = [await post(scene, f"Nr. {number}") for number in range(6)]
        fast_frames = [await receive(fast) for _ in comments]
        # The slow socket is one write in, three queued, and then over the limit: closed.
        stuck = len(room.subscribers)
        slow_gate.released.set()
        slow_frames = [await receive(slow)]
        closing = await slow.receive_output(timeout=5)
        assert await frames_until_pong(fast) == []
        for socket in (fast, slow, dead):
            await socket.disconnect()
        return comments, fast_frames, stuck, slow_frames, closing

    comments, fast_frames, stuck, slow_frames, closing = async_to_sync(listen)()
    assert [frame["id"] for frame in fast_frames] == [comment.pk for comment in comments]
    assert stuck == 1
    assert [frame["id"] for frame in slow_frames] == [comments[0].pk]
    assert closing == {"type": "websocket.close", "code": 1013}


class FlakyChannelLayer(InMemoryChannelLayer):
    """An in-memory layer whose first receive fails, as a Redis connection might."""

    failures = 0

    async def receive(self, channel):
        if FlakyChannelLayer.failures < 2:
            FlakyChannelLayer.failures += 1
            raise ConnectionError("the layer went away")
        return await super().receive(channel)


def test_the_fanout_survives_layer_errors(scene, settings, monkeypatch, caplog):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.FlakyChannelLayer"}}
    monkeypatch.setattr(fanout, "RECEIVE_RETRY_SECONDS", (0.01, 0.02))
    FlakyChannelLayer.failures = 0

    async def listen():
        socket = await open_socket(scene.thread.pk)
        assert await frames_until_pong(socket) == []
        comment = await post(scene)
        frame = await receive(socket)
        await socket.disconnect()
        return comment, frame

    with caplog.at_level(logging.ERROR, logger="discussions.fanout"):
        comment, frame = async_to_sync(listen)()
    assert frame["id"] == comment.pk
    assert FlakyChannelLayer.failures == 2
    assert sum("could not receive" in record.getMessage() for record in caplog.records) == 2


def test_a_client_gone_during_the_replay_leaves_the_fanout(scene):
    from hub.asgi import application

    _post(scene, "En")
    _post(scene, "To")

    async def listen():
        keeper = await open_socket(scene.thread.pk)
        await frames_until_pong(keeper)
        gate = _Gate(application)
        gate.fail = True
        gone = thread_socket(scene.thread.pk, after=0, application=gate)
        assert (await gone.connect())[0]
        with pytest.raises(OSError):
            await gone.wait(timeout=5)
        subscribers = len(fanout_for_running_loop().rooms[scene.thread.pk].subscribers)
        comment = await post(scene, "Tre")
        frame = await receive(keeper)
        await keeper.disconnect()
        return subscribers, comment, frame

    subscribers, comment, frame = async_to_sync(listen)()
    assert subscribers == 1
    assert frame["id"] == comment.pk
