"""The shape of every live event, as a browser on the thread's websocket receives it.

Each change is made by the real service (its on-commit publish runs: these tests commit), and
the frame is read from a socket that was already live when it happened.
"""

import re

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from discussions import live, services
from discussions.models import ChangeType, Comment, Thread
from tests.discussions.factories import thread_scene_create
from tests.discussions.live_client import frames_until_pong, open_socket, receive

# Committed for real: the consumer reads the database from another thread. Serialized rollback brings
# back what the migrations made (the page tree root) after each test flushes the tables.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COMMENT_KEYS = {"type", "seq", "id", "parent", "html"}
THREAD_KEYS = {"type", "seq", "id", "html"}


@pytest.fixture
def scene(settings):
    settings.DISCUSSIONS_COMMENT_INTERVAL_SECONDS = 0
    return thread_scene_create()


def _post(scene, body="Hei *alle*", reply_to=None):
    return services.comment_post(actor=scene.alice, thread=scene.thread, body=body, reply_to=reply_to)


# Each event type: what happens before the socket connects, and the change made while it listens.
# Both return the comment or thread the event is about.
SCENARIOS = {
    ChangeType.COMMENT_CREATED: (lambda scene: None, lambda scene, _: _post(scene)),
    "comment.created (reply)": (
        lambda scene: _post(scene, "Først"),
        lambda scene, first: services.comment_post(actor=scene.bob, thread=scene.thread, body="Svar", reply_to=first),
    ),
    ChangeType.COMMENT_EDITED: (
        lambda scene: _post(scene),
        lambda scene, comment: services.comment_edit(actor=scene.alice, comment=comment, body="Rettet *tekst*"),
    ),
    ChangeType.COMMENT_DELETED: (
        lambda scene: _post(scene),
        lambda scene, comment: services.comment_delete(actor=scene.alice, comment=comment),
    ),
    ChangeType.COMMENT_HIDDEN: (
        lambda scene: _post(scene),
        lambda scene, comment: services.comment_hide(actor=scene.coordinator, comment=comment, reason="Hets"),
    ),
    ChangeType.COMMENT_UNHIDDEN: (
        lambda scene: services.comment_hide(actor=scene.coordinator, comment=_post(scene), reason="Hets"),
        lambda scene, comment: services.comment_unhide(actor=scene.coordinator, comment=comment, reason="Greit"),
    ),
    ChangeType.THREAD_LOCKED: (
        lambda scene: None,
        lambda scene, _: services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Ferdig"),
    ),
    ChangeType.THREAD_UNLOCKED: (
        lambda scene: services.thread_lock(actor=scene.coordinator, thread=scene.thread, reason="Ferdig"),
        lambda scene, _: services.thread_unlock(actor=scene.coordinator, thread=scene.thread),
    ),
}


def _live_frame(scene, name):
    before, change = SCENARIOS[name]
    prepared = before(scene)

    async def listen():
        socket = await open_socket(scene.thread.pk, language="en")
        assert await frames_until_pong(socket) == []
        subject = await database_sync_to_async(change)(scene, prepared)
        frame = await receive(socket)
        # Exactly one frame per change.
        assert await frames_until_pong(socket) == []
        await socket.disconnect()
        return subject, frame

    return async_to_sync(listen)()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_event_type_has_its_shape(scene, name):
    subject, frame = _live_frame(scene, name)
    thread = Thread.objects.get(pk=scene.thread.pk)
    assert frame["seq"] == thread.last_seq
    if isinstance(subject, Thread):
        assert set(frame) == THREAD_KEYS
        assert frame["type"] == name
        assert frame["id"] == thread.pk
        assert frame["seq"] == thread.lock_seq
        locked = name == ChangeType.THREAD_LOCKED
        assert f'data-locked="{"true" if locked else "false"}"' in frame["html"]
        assert ("This thread is locked" in frame["html"]) is locked
        assert live.encode(frame) == live.event_frame(thread, "en")
        return

    comment = Comment.objects.select_related("author", "reply_to__author", "thread").get(pk=subject.pk)
    assert set(frame) == COMMENT_KEYS
    assert frame["type"] == name.split(" ")[0] == comment.last_change
    assert frame["id"] == comment.pk
    assert frame["seq"] == comment.seq
    assert frame["parent"] == comment.reply_to_id
    # The html is the whole comment in its current state, rendered once for every reader.
    html = frame["html"]
    assert re.search(rf'<article class="comment[^"]*" id="comment-{comment.pk}"', html)
    assert f'data-seq="{comment.seq}"' in html
    state = "deleted" if comment.is_deleted else "hidden" if comment.is_hidden else "visible"
    assert f'data-state="{state}"' in html
    assert (comment.html in html) is (state == "visible")
    assert ('class="comment__edited"' in html) is (name == ChangeType.COMMENT_EDITED)
    # Per-viewer controls are all switched off: the browser reveals the viewer's own.
    assert re.search(r'<ul class="comment__actions"[^>]* hidden>', html)
    assert live.encode(frame) == live.event_frame(comment, "en")


def test_a_reply_names_its_parent(scene):
    subject, frame = _live_frame(scene, "comment.created (reply)")
    assert frame["parent"] == subject.reply_to_id is not None
    assert f'data-quote-of="{subject.reply_to_id}"' in frame["html"]


def test_one_event_reaches_each_socket_in_its_language(scene):
    """The language cookie wins over the hub's default language; an unknown cookie is ignored."""
    scene.hub.default_language = "nn"
    scene.hub.save(update_fields=["default_language"])
    cookies = {None: "nn", "en": "en", "nb": "nb", "xx": "nn"}

    async def listen():
        sockets = {cookie: await open_socket(scene.thread.pk, language=cookie) for cookie in cookies}
        for socket in sockets.values():
            assert await frames_until_pong(socket) == []
        comment = await database_sync_to_async(_post)(scene)
        frames = {cookie: await receive(socket) for cookie, socket in sockets.items()}
        for socket in sockets.values():
            await socket.disconnect()
        return comment, frames

    comment, frames = async_to_sync(listen)()
    comment = Comment.objects.select_related("author", "reply_to__author", "thread").get(pk=comment.pk)
    renderings = {code: live.event_frame(comment, code) for code in ("nb", "nn", "en")}
    # The languages render differently (dates at least), so the comparison below tells them apart.
    assert len(set(renderings.values())) == 3
    assert {cookie: live.encode(frame) for cookie, frame in frames.items()} == {
        cookie: renderings[expected] for cookie, expected in cookies.items()
    }
