"""The fanout's heartbeat: a change whose message never came, and a layer that went away, are
brought from the database; a publish that cannot get through does not hold up the request."""

import logging
import socket
import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer

from discussions import fanout, live
from discussions.fanout import fanout_for_running_loop
from tests.discussions.factories import comment_create, thread_scene_create
from tests.discussions.live_client import frames_until_pong, open_socket, receive

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def scene(settings, monkeypatch):
    settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS = 0
    # The tests beat by hand: the background heartbeat must not beat them to it.
    monkeypatch.setattr(fanout, "HEARTBEAT_SECONDS", 3600)
    return thread_scene_create()


class SwitchableChannelLayer(InMemoryChannelLayer):
    """The in-memory layer, with Redis's failure when ``away``: every send fails at once."""

    away = False

    async def send(self, channel, message):
        if self.away:
            raise ConnectionError("Redis is away")
        return await super().send(channel, message)

    async def group_send(self, group, message):
        if self.away:
            raise ConnectionError("Redis is away")
        return await super().group_send(group, message)


def test_a_change_whose_message_never_came_is_read_from_the_database_one_beat_later(scene, caplog):
    async def listen():
        socket_ = await open_socket(scene.thread.pk, after=0)
        assert await frames_until_pong(socket_) == []
        # Committed, but its publisher died before publishing: no message will come.
        comment = await database_sync_to_async(comment_create)(scene.thread, author=scene.alice, body="Tapt")
        heart = fanout_for_running_loop()
        await heart.beat()
        # Seen missing once: its message may be on its way, so nothing is read yet.
        held_back = await frames_until_pong(socket_)
        await heart.beat()
        frame = await receive(socket_)
        await socket_.disconnect()
        return comment, held_back, frame

    with caplog.at_level(logging.WARNING, logger="discussions.fanout"):
        comment, held_back, frame = async_to_sync(listen)()
    assert held_back == []
    assert (frame["type"], frame["seq"], frame["id"]) == ("comment.created", 1, comment.pk)
    assert any("never came through the layer" in record.getMessage() for record in caplog.records)


def test_while_the_layer_is_away_the_room_follows_the_database_and_healthz_says_so(scene, settings, caplog):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.SwitchableChannelLayer"}}
    SwitchableChannelLayer.away = False

    async def listen():
        socket_ = await open_socket(scene.thread.pk, after=0)
        assert await frames_until_pong(socket_) == []
        heart = fanout_for_running_loop()
        SwitchableChannelLayer.away = True
        first = await database_sync_to_async(comment_create)(scene.thread, author=scene.alice, body="En")
        await heart.beat()  # one beat is enough while the layer is away
        frames = [await receive(socket_)]
        answering_while_away = heart.layer_answering
        SwitchableChannelLayer.away = False
        second = await database_sync_to_async(comment_create)(scene.thread, author=scene.bob, body="To")
        await heart.beat()  # and when it is back
        frames.append(await receive(socket_))
        frames += await frames_until_pong(socket_)
        await socket_.disconnect()
        return [first, second], frames, answering_while_away, heart.layer_answering

    with caplog.at_level(logging.WARNING, logger="discussions.fanout"):
        comments, frames, answering_while_away, answering_after = async_to_sync(listen)()
    assert [(frame["seq"], frame["id"]) for frame in frames] == [(1, comments[0].pk), (2, comments[1].pk)]
    assert (answering_while_away, answering_after) == (False, True)
    messages = [record.getMessage() for record in caplog.records]
    assert "The channel layer is away; following threads from the database" in messages
    assert "The channel layer answers again; catching up from the database" in messages


def test_a_publish_that_cannot_get_through_gives_up_after_its_timeout(scene, settings, caplog):
    # A "Redis" that takes the connection and never answers (the kernel accepts into the backlog).
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{silent.getsockname()[1]}/0"]},
        }
    }
    comment = comment_create(scene.thread, author=scene.alice, body="Hei")
    started = time.monotonic()
    try:
        with caplog.at_level(logging.ERROR, logger="discussions.live"):
            live.publish_comment_change(comment)
    finally:
        silent.close()
    assert time.monotonic() - started < live.PUBLISH_TIMEOUT_SECONDS + 2
    assert any("Could not publish change 1" in record.getMessage() for record in caplog.records)
