"""Faults of the live protocol: real processes, broken on purpose.

Two uvicorn processes share a database and a Redis of the module's own (a private
``redis-server`` on a free port, because one scenario stops it). 200 websocket clients on one
thread, all in one asyncio thread of this process, behave like the site's script
(``static/js/live-socket.js`` and ``discussion.js``): apply each event once, in order, ignore a
number already applied, and after a close reconnect with exponential backoff and full jitter to the
other process (as a load balancer would send them), resuming with ``after`` = the last number
applied. A poster comments every 0.2 s over HTTP, logged in, with CSRF, as the page's script does;
a refused connection goes to the other process, as the load balancer's next upstream.

Each scenario then breaks something and ends when the database, the truth, has every comment and
every client holds every one of them exactly once, in order:

1. one web process killed with SIGKILL;
2. a graceful restart of each web process in turn (SIGTERM), as a deploy does;
3. Redis stopped for 5 s and started again (empty, as after a restart without persistence).

The processes are started once for the module; a scenario that stops one starts it again on the
same port before it ends.
"""

import asyncio
import contextlib
import json
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from discussions.models import Comment, Thread
from tests.discussions.factories import thread_scene_create
from tests.discussions.live_client import session_cookie
from tests.e2e.harness import BASE_DIR, SERVER_START_SECONDS, LiveServer, comment_post_http
from tests.polling import poll_until, state_changed
from tests.redis_server import PrivateRedis

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLIENTS = 200
POST_INTERVAL_SECONDS = 0.2
REDIS_AWAY_SECONDS = 5.0
# The script's backoff (live-socket.js): full jitter under 1 s × 2^attempt, at most 30 s; a
# connection that stayed up 5 s was healthy and the next failure starts afresh.
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0
STABLE_SECONDS = 5.0
FINAL_CLOSE_CODES = {4400, 4401, 4403, 4404, 4409}
CLOSE_SERVICE_RESTART = 1012
# Deadlines, not waits: each is how long a condition may take at worst on a busy machine.
CONNECT_DEADLINE = 60
CATCH_UP_DEADLINE = 60
STOP_DEADLINE = 20
GRACEFUL_SHUTDOWN_SECONDS = 10


# --- Processes --------------------------------------------------------------------------------------


class WebProcess(LiveServer):
    """One uvicorn process, started as the README says (its own listening socket, so that a
    process that is shutting down refuses new connections), restartable on the same port."""

    def __init__(self, *args, redis_url: str, key_prefix: str, **kwargs):
        super().__init__(*args, **kwargs)
        # uvicorn binds the port itself: a socket handed over with --fd stays open in the process
        # while it drains, and connections would wait in its backlog instead of being refused.
        self.socket.close()
        self.redis_url = redis_url
        self.key_prefix = key_prefix

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env.pop("DUGNAD_FILE_CACHE_DIR", None)
        env.update(
            {
                "REDIS_URL": self.redis_url,
                "CACHE_KEY_PREFIX": self.key_prefix,
                # The poster comments every 0.2 s; 200 clients come from one address.
                "DISCUSSIONS_COMMENT_INTERVAL_SECONDS": "0",
                "DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS": "0",
                "WEBSOCKET_MAX_PER_ADDRESS": "0",
            }
        )
        return env

    def start(self) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        self.media.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "uvicorn", "hub.asgi:application", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-level", "warning", "--ws-per-message-deflate", "false"]
        command += ["--timeout-graceful-shutdown", str(GRACEFUL_SHUTDOWN_SECONDS)]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.environment(), stdout=log, stderr=log)

        def ready() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"The server exited with {self.process.returncode}:\n{self.log()[-5000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        poll_until(
            ready, SERVER_START_SECONDS, lambda: f"The server did not become healthy:\n{self.log()[-5000:]}", 0.1
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(STOP_DEADLINE)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def healthz(self) -> int | None:
        """/healthz's status code, or None if nothing answered."""
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def refuses_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2):
                return False
        except ConnectionRefusedError:
            return True


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory):
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def web(django_db_setup, django_db_blocker, tmp_path_factory, e2e_media_dir, private_redis):
    root = tmp_path_factory.mktemp("faults")
    prefix = f"dugnad-faults-{uuid.uuid4().hex[:8]}"
    processes = [
        WebProcess(outbox=root / name / "outbox", media=e2e_media_dir, redis_url=private_redis.url, key_prefix=prefix)
        for name in ("a", "b")
    ]
    try:
        with django_db_blocker.unblock():
            for process in processes:
                process.start()
        yield processes
    finally:
        for process in processes:
            process.stop()


@pytest.fixture
def running(web, private_redis):
    """Both processes and Redis up, whatever an earlier scenario left behind when it failed."""
    if private_redis.process.poll() is not None:
        private_redis.start()
    for process in web:
        if process.process.poll() is not None:
            process.start()
    return web


# --- Clients ----------------------------------------------------------------------------------------


@dataclass
class Client:
    """One browser tab following the thread, as live-socket.js and discussion.js do."""

    index: int
    server: int
    last: int
    applied: list[int] = field(default_factory=list)
    held: set[int] = field(default_factory=set)
    ignored: int = 0
    twice: int = 0
    closes: list[tuple[int, int]] = field(default_factory=list)
    opened_at: list[tuple[int, float]] = field(default_factory=list)
    live: bool = False
    stopped: bool = False

    def apply(self, text: str) -> None:
        self._apply(text)
        state_changed()

    def _apply(self, text: str) -> None:
        frame = json.loads(text)
        if frame.get("type") == "pong":
            self.live = True
            return
        seq = frame.get("seq")
        if not isinstance(seq, int):
            return
        if seq <= self.last:
            self.ignored += 1
            return
        self.last = seq
        if frame["type"] == "comment.created":
            if frame["id"] in self.held:
                self.twice += 1
            self.held.add(frame["id"])
            self.applied.append(frame["id"])


class Clients:
    """``CLIENTS`` clients of ``processes`` (alternately) on one asyncio loop in a thread of its own."""

    def __init__(self, processes: list[WebProcess], thread_id: int, after: int):
        self.processes = processes
        self.thread_id = thread_id
        self.clients = [Client(index=i, server=i % len(processes), last=after) for i in range(CLIENTS)]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="live-clients", daemon=True)
        self.tasks: list[asyncio.Future] = []
        self.random = random.Random(18)

    def __enter__(self) -> "Clients":
        self.thread.start()
        self.stopping = asyncio.run_coroutine_threadsafe(self._make_event(), self.loop).result()
        for client in self.clients:
            self.tasks.append(asyncio.run_coroutine_threadsafe(self._follow(client), self.loop))
        return self

    def __exit__(self, *exc_info) -> None:
        self.loop.call_soon_threadsafe(self.stopping.set)
        for task in self.tasks:
            # How a client's last socket ended is not what the scenario checks.
            with contextlib.suppress(Exception):
                task.result(STOP_DEADLINE)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(STOP_DEADLINE)
        self.loop.close()

    async def _make_event(self) -> asyncio.Event:
        return asyncio.Event()

    async def _follow(self, client: Client) -> None:
        attempt = 0
        while not self.stopping.is_set() and not client.stopped:
            process = self.processes[client.server]
            url = f"ws://127.0.0.1:{process.port}/ws/threads/{self.thread_id}/?after={client.last}"
            opened = None
            code = 1006
            try:
                async with connect(
                    url, origin=process.url, open_timeout=10, ping_interval=None, compression=None, proxy=None
                ) as socket_:
                    opened = time.monotonic()
                    client.opened_at.append((client.server, opened))
                    # A socket's frames come in order: the pong says it has caught up and is live.
                    await socket_.send(json.dumps({"type": "ping"}))
                    stop = asyncio.ensure_future(self.stopping.wait())
                    try:
                        while True:
                            receive = asyncio.ensure_future(socket_.recv())
                            done, _pending = await asyncio.wait({receive, stop}, return_when=asyncio.FIRST_COMPLETED)
                            if receive not in done:
                                receive.cancel()
                                return
                            client.apply(receive.result())
                    except ConnectionClosed:
                        code = socket_.close_code or 1006
                    finally:
                        stop.cancel()
            except (OSError, InvalidHandshake, TimeoutError):
                code = 1006
            client.live = False
            client.closes.append((client.server, code))
            state_changed()
            if code in FINAL_CLOSE_CODES:
                client.stopped = True
                return
            if opened is not None and time.monotonic() - opened >= STABLE_SECONDS:
                attempt = 0
            ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)
            attempt += 1
            # The load balancer sends the reconnect to the other process.
            client.server = (client.server + 1) % len(self.processes)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), self.random.uniform(0, ceiling))

    def all_live(self) -> bool:
        return all(client.live for client in self.clients)

    def behind(self, seq: int) -> list[Client]:
        return [client for client in self.clients if client.last < seq]


# --- Poster -----------------------------------------------------------------------------------------


@dataclass
class Post:
    server: int
    status: int | None
    body: str
    error: str = ""
    seq: int | None = None
    id: int | None = None


class Poster:
    """Posts a comment every 0.2 s, alternately to each process; a refused connection goes to the
    other process, as a load balancer's next upstream does."""

    def __init__(self, processes: list[WebProcess], thread_id: int, session: str):
        self.processes = processes
        self.thread_id = thread_id
        self.session = session
        self.posts: list[Post] = []
        self.resets: list[Post] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="poster", daemon=True)

    def __enter__(self) -> "Poster":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(STOP_DEADLINE)

    def _run(self) -> None:
        next_at = time.monotonic()
        number = 0
        while not self.stopping.is_set():
            number += 1
            self.posts.append(self._post(number))
            state_changed()
            next_at += POST_INTERVAL_SECONDS
            # The scenario's rhythm: one comment every 0.2 s, however long the last one took.
            self.stopping.wait(max(0.0, next_at - time.monotonic()))

    def _post(self, number: int) -> Post:
        body = f"Kommentar {number}"
        first = number % len(self.processes)
        for server in (first, (first + 1) % len(self.processes)):
            try:
                status, content = comment_post_http(self.processes[server].url, self.thread_id, self.session, body)
            except urllib.error.URLError as error:
                if isinstance(error.reason, ConnectionRefusedError):
                    continue
                if isinstance(error.reason, ConnectionResetError):
                    self.resets.append(Post(server=server, status=None, body=body, error=repr(error)))
                    continue
                return Post(server=server, status=None, body=body, error=repr(error))
            except ConnectionResetError as error:
                # Accepted into the backlog of a process that then closed its listening socket: the
                # application never read it. nginx does not repeat a POST it has sent (a 502 for
                # that visitor); counted, so the scenario can say how often, and sent to the other.
                self.resets.append(Post(server=server, status=None, body=body, error=repr(error)))
                continue
            except OSError as error:
                return Post(server=server, status=None, body=body, error=repr(error))
            post = Post(server=server, status=status, body=body)
            if status == 201:
                answer = json.loads(content)
                post.seq, post.id = answer["seq"], answer["id"]
            else:
                post.error = content[:500].decode(errors="replace")
            return post
        return Post(server=first, status=None, body=body, error="both processes refused the connection")

    def succeeded(self) -> list[Post]:
        return [post for post in self.posts if post.status == 201]

    def failed(self) -> list[Post]:
        return [post for post in self.posts if post.status != 201]


# --- The scenario -----------------------------------------------------------------------------------


@dataclass
class Scene:
    thread: Thread
    clients: Clients
    poster: Poster


def _wait_for_posts(poster: Poster, count: int) -> None:
    poll_until(lambda: len(poster.succeeded()) >= count, CATCH_UP_DEADLINE, lambda: f"Posting stalled: {poster.posts}")


def _assert_everyone_holds_everything(scene: Scene, processes: list[WebProcess]) -> None:
    """Stop posting, then wait until every client has caught up with the database and compare."""
    scene.poster.stop()
    thread = Thread.objects.get(pk=scene.thread.pk)
    truth = list(Comment.objects.filter(thread=thread).order_by("seq").values_list("id", flat=True))
    posted = {post.id for post in scene.poster.succeeded()}
    # Every comment the poster was told about is in the database (nothing acknowledged was lost).
    assert posted <= set(truth)
    poll_until(
        lambda: not scene.clients.behind(thread.last_seq),
        CATCH_UP_DEADLINE,
        lambda: (
            f"{len(scene.clients.behind(thread.last_seq))} clients behind seq {thread.last_seq}, e.g. "
            f"{[(c.last, c.server, c.closes[-3:]) for c in scene.clients.behind(thread.last_seq)[:5]]}\n"
            + "\n".join(process.log()[-3000:] for process in processes)
        ),
    )
    for client in scene.clients.clients:
        assert client.twice == 0, f"client {client.index} was sent a comment twice"
        assert client.applied == truth, (
            f"client {client.index} holds {len(client.applied)} comments, the thread has {len(truth)}; "
            f"missing {sorted(set(truth) - set(client.applied))[:10]}"
        )
    # The server never sends a number the client said it had (``after``), nor one twice.
    assert sum(client.ignored for client in scene.clients.clients) == 0


class _Scenario:
    def __init__(self, processes: list[WebProcess]):
        self.processes = processes

    def __enter__(self) -> Scene:
        scene = thread_scene_create()
        thread = scene.thread
        thread.refresh_from_db()
        self.clients = Clients(self.processes, thread.pk, thread.last_seq).__enter__()
        poll_until(
            self.clients.all_live,
            CONNECT_DEADLINE,
            lambda: f"{sum(not c.live for c in self.clients.clients)} of {CLIENTS} clients did not go live",
        )
        self.poster = Poster(self.processes, thread.pk, session_cookie(scene.alice)).__enter__()
        _wait_for_posts(self.poster, 3)
        return Scene(thread=thread, clients=self.clients, poster=self.poster)

    def __exit__(self, *exc_info) -> None:
        self.poster.stop()
        self.clients.__exit__(*exc_info)


def test_a_web_process_killed_its_clients_resume_on_the_other(running):
    web = running
    a, b = web
    with _Scenario(web) as scene:
        on_a = [client for client in scene.clients.clients if client.server == 0]
        a.kill()
        # Every client of A finds B and resumes there, while comments keep coming.
        poll_until(
            lambda: all(client.live and client.server == 1 for client in on_a),
            CATCH_UP_DEADLINE,
            lambda: f"{sum(not (c.live and c.server == 1) for c in on_a)} clients of A did not resume on B",
        )
        posted = len(scene.poster.succeeded())
        _wait_for_posts(scene.poster, posted + 3)
        _assert_everyone_holds_everything(scene, web)
        # Only a post that A was answering when it died may have failed.
        assert all(post.server == 0 for post in scene.poster.failed()), scene.poster.failed()
    a.start()


def test_a_graceful_restart_of_each_process_in_turn_loses_nothing(running):
    web = running
    with _Scenario(web) as scene:
        for index, process in enumerate(web):
            other = web[1 - index]
            on_it = [client for client in scene.clients.clients if client.server == index and client.live]
            assert on_it
            terminated_at = time.monotonic()
            process.process.send_signal(signal.SIGTERM)
            # While it drains and until it has gone, it takes no new connection.
            refused = poll_until(
                process.refuses_connections, STOP_DEADLINE, "A stopping process still took connections"
            )
            assert refused
            process.process.wait(STOP_DEADLINE)
            # uvicorn raises the signal again once it has shut down, so the exit says what stopped it.
            assert process.process.returncode in (0, -signal.SIGTERM), process.log()[-3000:]
            assert "timeout graceful shutdown exceeded" not in process.log()
            # Its sockets were told "service restart" and resumed on the other process.
            poll_until(
                lambda: all(client.live and client.server == 1 - index for client in on_it),  # noqa: B023
                CATCH_UP_DEADLINE,
                f"clients did not resume on {other.url}",
            )
            for client in on_it:
                assert (index, CLOSE_SERVICE_RESTART) in client.closes, client.closes
            restarted_at = time.monotonic()
            process.start()
            # Nobody got in while it was away.
            assert not [
                client
                for client in scene.clients.clients
                for server, at in client.opened_at
                if server == index and terminated_at <= at <= restarted_at
            ]
            posted = len(scene.poster.succeeded())
            _wait_for_posts(scene.poster, posted + 3)
        _assert_everyone_holds_everything(scene, web)
        # Draining finishes the requests in flight: no post failed. A post that raced a process's
        # closing listener (reset before the application read it) went to the other process; that
        # is at most one or two per restart.
        assert scene.poster.failed() == []
        assert len(scene.poster.resets) <= 2 * len(web), scene.poster.resets


def test_redis_away_for_five_seconds_posting_goes_on_and_sockets_resync(running, private_redis):
    web = running
    with _Scenario(web) as scene:
        private_redis.stop()
        away_until = time.monotonic() + REDIS_AWAY_SECONDS
        health_away: list[int | None] = []
        posted_before = len(scene.poster.succeeded())
        seq_before = max(post.seq for post in scene.poster.succeeded())
        followed = False
        # The outage itself lasts 5 s; meanwhile /healthz of each process is asked what it sees,
        # and the clients are watched: their processes follow the thread from the database.
        while time.monotonic() < away_until:
            health_away += [process.healthz() for process in web]
            followed = followed or not scene.clients.behind(seq_before + 3)
        private_redis.start()
        assert 503 in health_away and set(health_away) <= {503}, health_away
        assert followed, "No comment posted while Redis was away reached every client before it came back"
        # Posting went on while Redis was away.
        assert len(scene.poster.succeeded()) > posted_before + 10
        poll_until(lambda: all(process.healthz() == 200 for process in web), CATCH_UP_DEADLINE, "/healthz stayed 503")
        posted = len(scene.poster.succeeded())
        _wait_for_posts(scene.poster, posted + 3)
        _assert_everyone_holds_everything(scene, web)
        assert scene.poster.failed() == []
