"""Live updates across server processes: two uvicorn processes share a channel layer; a comment
posted over HTTP to one reaches websocket clients connected to either.

The layer is Redis, as in production: REDIS_URL (CI sets it), else a Redis answering on
127.0.0.1:6379. Without Redis (a developer's machine) it is the embedded defaults' database relay
(``hub.relay``), so the test always runs; in CI a missing Redis is a fault and fails it.
"""

import json
import os
import uuid
from contextlib import ExitStack

import pytest
import redis
from django.conf import settings
from websockets.sync.client import connect

from discussions.models import Thread
from tests.discussions.factories import thread_scene_create
from tests.discussions.live_client import session_cookie
from tests.e2e.harness import LiveServer, comment_post_http

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/5"
TIMEOUT = 10

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _redis_url() -> str | None:
    url = settings.REDIS_URL or LOCAL_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


class RedisLiveServer(LiveServer):
    """A server process using Redis for its channel layer (and cache), whatever this process uses."""

    def __init__(self, *args, redis_url: str, key_prefix: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.redis_url = redis_url
        self.key_prefix = key_prefix

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env.update({"REDIS_URL": self.redis_url, "CACHE_KEY_PREFIX": self.key_prefix})
        env.pop("DUGNAD_FILE_CACHE_DIR", None)
        return env


class RelayLiveServer(LiveServer):
    """A server process whose channel layer is the database relay (no Redis)."""

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env["DJANGO_SETTINGS_MODULE"] = "tests.e2e.relay_settings"
        env.pop("REDIS_URL", None)
        return env


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, tmp_path_factory, e2e_media_dir):
    url = _redis_url()
    if url is None and os.environ.get("CI"):
        # CI always starts Redis (.ci/run): its absence there is a fault.
        pytest.fail(f"Needs Redis in CI: REDIS_URL is not set and nothing answers at {LOCAL_REDIS_URL}")
    root = tmp_path_factory.mktemp("two-processes")
    # Both processes share one key prefix (so one channel layer), and no other test run's.
    prefix = f"dugnad-two-processes-{uuid.uuid4().hex[:8]}"
    servers = [
        RedisLiveServer(outbox=root / name / "outbox", media=e2e_media_dir, redis_url=url, key_prefix=prefix)
        if url
        else RelayLiveServer(outbox=root / name / "outbox", media=e2e_media_dir)
        for name in ("a", "b")
    ]
    try:
        with django_db_blocker.unblock():
            for server in servers:
                server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def _post_comment(server: LiveServer, thread: Thread, session: str, body: str) -> dict:
    """POST /threads/<id>/comments/ as the browser's script does (JSON answer)."""
    status, content = comment_post_http(server.url, thread.pk, session, body, timeout=TIMEOUT)
    assert status == 201, f"{status}: {content[:2000]!r}\n{server.log()}"
    return json.loads(content)


def _listen(stack: ExitStack, server: LiveServer, thread: Thread):
    """A websocket client on ``server`` that is live (it answered a ping, so it has caught up)."""
    socket = stack.enter_context(
        connect(
            f"ws://127.0.0.1:{server.port}/ws/threads/{thread.pk}/?after={thread.last_seq}",
            origin=server.url,
            additional_headers={"Cookie": f"{settings.LANGUAGE_COOKIE_NAME}=en"},
            open_timeout=TIMEOUT,
        )
    )
    socket.send(json.dumps({"type": "ping"}))
    assert json.loads(socket.recv(timeout=TIMEOUT)) == {"type": "pong"}
    return socket


def test_a_comment_posted_through_one_process_reaches_clients_of_the_other(two_servers):
    scene = thread_scene_create()
    thread = scene.thread
    a, b = two_servers
    alice, bob = session_cookie(scene.alice), session_cookie(scene.bob)

    with ExitStack() as stack:
        on_a, on_b = _listen(stack, a, thread), _listen(stack, b, thread)
        posted = _post_comment(a, thread, alice, "Hei fra *A*")
        from_a = on_a.recv(timeout=TIMEOUT)
        from_b = on_b.recv(timeout=TIMEOUT)
        # Rendered and encoded once, in the process that committed it; B relays the very same text.
        assert from_b == from_a
        frame = json.loads(from_b)
        assert (frame["type"], frame["id"], frame["seq"]) == ("comment.created", posted["id"], posted["seq"])
        assert "Hei fra <em>A</em>" in frame["html"]

        posted = _post_comment(b, thread, bob, "Og fra B")
        frames = [json.loads(socket.recv(timeout=TIMEOUT)) for socket in (on_a, on_b)]
        assert [(frame["id"], frame["seq"]) for frame in frames] == [(posted["id"], posted["seq"])] * 2
