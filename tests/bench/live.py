"""``python -m tests.bench --live``: websocket delivery to many readers of one thread.

1. A fresh database (as ``make bench``: with ``DATABASE_URL`` on PostgreSQL, ``<name>_bench``,
   dropped afterwards), migrated; the demo hub (``seed_demo``); one published project's thread
   with 20 earlier comments, and a verified, month-old account that posts.
2. For each client count and each server: two uvicorn processes on two ports
   (``tests.bench.live_server``), production settings, Redis pub/sub channel layer. The server is
   Dugnad (``hub.asgi:application``, sockets on ``/ws/threads/<id>/?after=<seq>``) or a minimal
   stock Channels chat (``tests.bench.live_stock_chat``, tutorial-style consumers).
3. Calibration: a few posts with nobody listening, to cost one post on each server.
   The readers: ``tests.bench.live_clients`` processes, each opening its share of the sockets at
   once, half to each server process, with an allowed Origin. One warm-up message reaches every
   socket; then 50 messages, one every ``--interval`` seconds, each posted over HTTP to one server
   process or the other (Dugnad: ``POST /threads/<id>/comments/`` with ``Accept:
   application/json`` as the logged-in account; the chat: ``POST /send/``).
4. Latency of a delivery = when a reader's socket handed over the frame − when its post began
   (both ``time.monotonic()``, one clock for every process), matched by ``seq``. Each server
   process's CPU time and memory come from ``/proc``. A table on stdout and in
   docs/benchmarks.md.

It needs Redis (``REDIS_URL``); the benchmark's channel names and cache keys carry their own
prefix, and its cache keys are deleted at the end. docs/benchmarks.md ("Websocket delivery")
explains the columns.
"""

import argparse
import contextlib
import datetime
import http.client
import io
import json
import os
import platform
import pstats
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench import load, run

BASE_DIR = run.BASE_DIR
DOCS = run.DOCS
RESULTS_START = "<!-- bench:live:start -->"
RESULTS_END = "<!-- bench:live:end -->"
SERVER_START_SECONDS = 60
SERVERS = {
    "stock": ("stock Channels chat", "tests.bench.live_stock_chat:application"),
    "dugnad": ("Dugnad", "hub.asgi:application"),
}
# Targets from the discussions issue: p99 ms at a number of clients, and at most this many
# seconds to connect 1,000.
TARGET_P99_MS = {1000: 100, 2000: 200}
TARGET_CONNECT_SECONDS = 5.0
# --connections: how Dugnad's server processes reach PostgreSQL (the environment they get).
CONNECTIONS = {
    "setting": ("the settings' default", {}),
    "0": ("CONN_MAX_AGE 0", {"DATABASE_POOL": "false", "DATABASE_CONN_MAX_AGE": "0"}),
    "60": ("CONN_MAX_AGE 60", {"DATABASE_POOL": "false", "DATABASE_CONN_MAX_AGE": "60"}),
    "pool": ("psycopg pool", {"DATABASE_POOL": "true", "DATABASE_CONN_MAX_AGE": "0"}),
}
EARLIER_COMMENTS = 20
# A comment of a few sentences with a link and emphasis, about 500 characters.
BODY = (
    "Vi har testet **ny belysning** langs kaia i to uker nå, og det ser ut til at færre sykler i mørket. "
    "Målingene fra tellepunktet ligger på [prosjektsiden](https://example.org/maling), og vi tar gjerne "
    "imot innspill på hvor neste stolpe bør stå.\n\n"
    "Dugnaden på lørdag starter klokka ti. Ta med hansker og gode sko; kommunen stiller med "
    "containere og kaffe. Kommentar nummer {n} i benchmarken."
)


@dataclass
class ProcessUsage:
    """One server process: CPU seconds per phase and memory, from /proc."""

    pid: int
    connect_cpu: float = 0.0
    delivery_cpu: float = 0.0
    rss_idle_mb: float = 0.0
    rss_connected_mb: float = 0.0
    rss_peak_mb: float = 0.0
    port: int = 0
    sockets: int = 0
    delivered: int = 0
    posts: int = 0
    cpu_per_post: float = 0.0

    @property
    def fanout_us_per_delivery(self) -> float:
        """Delivery-phase CPU less what its posts cost by the calibration, per delivery."""
        if not self.delivered:
            return float("nan")
        return 1e6 * (self.delivery_cpu - self.posts * self.cpu_per_post) / self.delivered


@dataclass
class RunResult:
    server: str
    clients: int
    opened: int = 0
    failed: int = 0
    connect_errors: dict = field(default_factory=dict)
    connect_seconds: float = float("nan")
    connect_p50: float = float("nan")
    ready_seconds: float = float("nan")
    messages: int = 0
    expected: int = 0
    delivered: int = 0
    lost: int = 0
    duplicates: int = 0
    reordered: int = 0
    closed: int = 0
    latencies: list[float] = field(default_factory=list)
    spreads: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    frame_bytes: float = 0.0
    usage: list[ProcessUsage] = field(default_factory=list)
    client_cpu: float = 0.0
    connect_client_cpu: float = 0.0
    delivery_seconds: float = 0.0
    machine_cpu: float = 0.0
    notes: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)

    def percentile_ms(self, values: list[float], fraction: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return 1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def cpu_per_delivery_ms(self) -> float:
        cpu = sum(usage.delivery_cpu for usage in self.usage)
        return 1000 * cpu / self.delivered if self.delivered else float("nan")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not os.environ.get("REDIS_URL"):
        raise SystemExit(
            "The websocket benchmark needs Redis: set REDIS_URL (and DATABASE_URL for PostgreSQL), e.g.\n"
            "  REDIS_URL=redis://127.0.0.1:6379/0 make bench BENCH_ARGS=--live"
        )
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    workdir = Path(tempfile.mkdtemp(prefix="dugnad-bench-live-"))
    drop_database = None
    started = time.monotonic()
    try:
        database_url, drop_database = run._database(workdir)
        os.environ.update(run._environment(workdir, database_url))
        os.environ.update(
            {
                # The account posts 50 comments in seconds; production waits 5 s between them.
                "DISCUSSIONS_COMMENT_INTERVAL_SECONDS": "0",
                "DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS": "0",
            }
        )
        import django

        django.setup()
        scene = None
        if "dugnad" in args.servers:
            run._step("Migrating, collecting static files, seeding the demo hub and a thread")
            run._prepare()
            scene = _seed()
            print(f"  thread {scene.thread_id} at seq {scene.seq()} ({scene.path})", flush=True)
            from django.db import connections

            connections.close_all()
        results = []
        for clients in args.clients:
            for server in args.servers:
                for connections in args.connections if server == "dugnad" else [None]:
                    label = SERVERS[server][0] + (f" ({CONNECTIONS[connections][0]})" if connections else "")
                    run._step(f"{label}: {clients} clients, {args.messages} messages")
                    result = _run_one(server, clients, args=args, scene=scene, workdir=workdir, connections=connections)
                    _print_result(result)
                    results.append(result)
        report = _report(results, args=args, database_url=database_url)
        print()
        print(report)
        if not args.no_docs:
            _write_docs(report)
            print(f"Results written to {DOCS.relative_to(BASE_DIR)}.")
        print(f"({time.monotonic() - started:.0f} s in all)")
        return 0
    finally:
        _forget_cache_keys()
        if drop_database is not None:
            from django.db import connections

            connections.close_all()
            drop_database()
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _forget_cache_keys() -> None:
    """Delete what the servers cached in Redis under this run's own prefix."""
    prefix = os.environ.get("CACHE_KEY_PREFIX", "")
    if not prefix.startswith("dugnad-bench-"):
        return
    import redis

    with contextlib.suppress(redis.RedisError), redis.Redis.from_url(os.environ["REDIS_URL"]) as client:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def _arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench --live",
        description="Websocket delivery: many readers on one thread, Dugnad against a stock Channels chat.",
    )
    parser.add_argument(
        "--clients", default="1000,2000", help="comma-separated numbers of listening sockets (1000,2000)"
    )
    parser.add_argument("--servers", default="stock,dugnad", help="which servers, in order: stock,dugnad")
    parser.add_argument("--messages", type=int, default=50, help="measured messages per run (50)")
    parser.add_argument("--interval", type=float, default=0.15, help="seconds from one post to the next (0.15)")
    parser.add_argument("--client-processes", type=int, default=2, help="load-generator processes (2)")
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="clients do not offer permessage-deflate (browsers do, and uvicorn accepts it by default)",
    )
    parser.add_argument(
        "--server-deflate",
        choices=("on", "off"),
        help="whether the servers accept permessage-deflate (default: on; with --independent, off, as the "
        "production unit deploy/systemd/dugnad-web@.service runs uvicorn)",
    )
    parser.add_argument(
        "--stock-bytes",
        type=int,
        default=2100,
        help="length of the stock chat's message text (2100: frames as large as Dugnad's)",
    )
    parser.add_argument(
        "--post", choices=("auto", "http", "service"), default="auto", help="how Dugnad's comments are posted"
    )
    parser.add_argument(
        "--calibration", type=int, default=20, help="posts with nobody listening first, to cost a post (20)"
    )
    parser.add_argument(
        "--independent",
        action="store_true",
        help="measure as an outsider's client would: ONE process and thread (asyncio, no uvloop) holds every "
        "socket (websockets' defaults, permessage-deflate) and POSTs the comments itself, 1000 clients, "
        "a post every 0.25 s",
    )
    parser.add_argument(
        "--connections",
        default="",
        help="run Dugnad once per way of reaching PostgreSQL, comma-separated: "
        + ", ".join(f"{key} ({what})" for key, (what, _env) in CONNECTIONS.items())
        + "; default: the settings' own",
    )
    parser.add_argument("--profile", action="store_true", help="run the server processes under cProfile")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, receipts)")
    args = parser.parse_args(argv)
    if args.independent:
        given = set(argv if argv is not None else sys.argv[1:])
        if not any(option.startswith("--clients") for option in given):
            args.clients = "1000"
        if not any(option.startswith("--interval") for option in given):
            args.interval = 0.25
        args.client_processes = 1
    if args.server_deflate is None:
        args.server_deflate = "off" if args.independent else "on"
    args.clients = [int(value) for value in args.clients.split(",") if value]
    args.connections = [value for value in args.connections.split(",") if value] or [None]
    if set(args.connections) - {None} - set(CONNECTIONS):
        parser.error(f"--connections: one or more of {', '.join(CONNECTIONS)}")
    args.servers = [value for value in args.servers.split(",") if value]
    unknown = set(args.servers) - set(SERVERS)
    if unknown:
        parser.error(f"unknown server(s): {', '.join(sorted(unknown))}")
    return args


# --- Set-up ---------------------------------------------------------------------------------------


@dataclass
class Scene:
    thread_id: int
    user_id: int
    path: str

    def seq(self) -> int:
        from discussions.models import Thread

        return Thread.objects.values_list("last_seq", flat=True).get(pk=self.thread_id)


def _seed() -> Scene:
    from discussions.services import project_thread_ensure
    from projects.models import ProjectPage
    from tests.bench.seed import seed_site
    from tests.discussions.factories import comment_create, commenter_create

    seeded = seed_site()
    project = ProjectPage.objects.live().descendant_of(seeded.hub).order_by("pk").first()
    thread = project_thread_ensure(project)
    others = [commenter_create(display_name=f"Leser {number}") for number in range(5)]
    for number in range(EARLIER_COMMENTS):
        comment_create(thread, author=others[number % len(others)], body=BODY.format(n=-number))
    poster = commenter_create(display_name="Kari Nordmann")
    return Scene(thread_id=thread.pk, user_id=poster.pk, path=project.url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Processes ------------------------------------------------------------------------------------


class _Server:
    """One ``tests.bench.live_server`` process."""

    def __init__(self, app: str, *, workdir: Path, name: str, profile: bool, deflate: bool, env: dict | None = None):
        self.port = _free_port()
        self.log_path = workdir / f"{name}.log"
        self.profile_path = workdir / f"{name}.prof" if profile else None
        command = [sys.executable, "-m", "tests.bench.live_server", app, str(self.port)]
        if self.profile_path:
            command += ["--profile", str(self.profile_path)]
        if not deflate:
            command += ["--no-ws-deflate"]
        env = {**os.environ, **(env or {})}
        if app.startswith("tests.bench.live_stock_chat"):
            env.pop("DJANGO_SETTINGS_MODULE", None)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log)

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited at start-up:\n{self.log_path.read_text()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            time.sleep(0.1)  # polling for readiness
        self.stop()
        raise RuntimeError(f"the server did not answer within {SERVER_START_SECONDS} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / load.CLOCK_TICKS


def _memory_mb(pid: int, key: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class _Clients:
    """One ``tests.bench.live_clients`` process."""

    def __init__(self, urls: list[str], *, deflate: bool, ordinary: bool = False):
        command = [sys.executable, "-m", "tests.bench.live_clients"]
        if ordinary:
            command.append("--asyncio")
        self.process = subprocess.Popen(command, cwd=BASE_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.send({"urls": urls, "deflate": deflate, "ordinary": ordinary})

    def post_paced(self, requests: list[dict], interval: float) -> tuple[dict[int, float], list[float]]:
        """Have this process POST the requests from its own event loop, ``interval`` s apart."""
        self.send({"post": requests, "interval": interval})
        posted = self.answer()["posted"]
        return {seq: started for seq, started, _ms in posted}, [ms for _seq, _started, ms in posted]

    def send(self, command: dict) -> None:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("a client process ended early (see its output above)")
        return json.loads(line)

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self.process.pid)

    def quit(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self.send({"quit": True})
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- Posting --------------------------------------------------------------------------------------


def _request(connection: http.client.HTTPConnection, path: str, body: str, headers: dict):
    """POST on a keep-alive connection, once more on a fresh one if the server had closed it (uvicorn
    closes idle connections after 5 s); returns when the successful attempt began, the response and
    its body."""
    for attempt in (1, 2):
        started = time.monotonic()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return started, response, response.read()
        except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
            connection.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


class _StockPoster:
    def __init__(self, servers: list[_Server], message_bytes: int):
        self.connections = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=30) for server in servers]
        self.ports = [server.port for server in servers]
        self.seq = 0
        self.message_bytes = message_bytes

    def request(self, number: int) -> dict:
        """The request that posts message ``number``, for a client process to send."""
        self.seq += 1
        text = BODY.format(n=number)
        message = (text * (self.message_bytes // len(text) + 1))[: self.message_bytes]
        body = json.dumps({"seq": self.seq, "message": message})
        port = self.ports[number % len(self.ports)]
        return {"port": port, "path": "/send/", "headers": {"Content-Type": "application/json"}, "body": body}

    def post(self, number: int) -> tuple[int, float]:
        """Post one message through one server process or the other; returns its seq and start time."""
        request = self.request(number)
        connection = self.connections[self.ports.index(request["port"])]
        started, response, data = _request(connection, request["path"], request["body"], request["headers"])
        if response.status != 201:
            raise RuntimeError(f"POST /send/ answered {response.status}: {data[:300]!r}")
        return self.seq, started


class _DugnadHttpPoster:
    """Posts as the logged-in account through ``POST /threads/<id>/comments/`` (JSON answers)."""

    def __init__(self, servers: list[_Server], scene: Scene):
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.middleware.csrf import _get_new_csrf_string
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(pk=scene.user_id))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        token = _get_new_csrf_string()
        self.path = f"/threads/{scene.thread_id}/comments/"
        self.servers = servers
        self.connections = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=30) for server in servers]
        self.headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}",
            "X-CSRFToken": token,
        }

    def request(self, number: int) -> dict:
        """The request that posts comment ``number``, for a client process to send."""
        port = self.servers[number % len(self.servers)].port
        headers = {**self.headers, "Origin": f"http://127.0.0.1:{port}"}
        body = urllib.parse.urlencode({"body": BODY.format(n=number)})
        return {"port": port, "path": self.path, "headers": headers, "body": body}

    def post(self, number: int) -> tuple[int, float]:
        request = self.request(number)
        connection = self.connections[number % len(self.connections)]
        started, response, data = _request(connection, self.path, request["body"], request["headers"])
        if response.status != 201:
            raise RuntimeError(f"POST {self.path} answered {response.status}: {data[:300]!r}")
        return json.loads(data)["seq"], started


class _DugnadServicePoster:
    """Posts through ``discussions.services.comment_post`` in this process (before the HTTP view
    existed); the event is published after commit exactly as the view would."""

    def __init__(self, scene: Scene):
        self.scene = scene

    def post(self, number: int) -> tuple[int, float]:
        from django.contrib.auth import get_user_model

        from discussions.models import Thread
        from discussions.services import comment_post

        user = get_user_model().objects.get(pk=self.scene.user_id)
        thread = Thread.objects.get(pk=self.scene.thread_id)
        started = time.monotonic()
        comment = comment_post(actor=user, thread=thread, body=BODY.format(n=number))
        return comment.seq, started


def _dugnad_poster(args, servers: list[_Server], scene: Scene):
    how = args.post
    if how == "auto":
        from django.urls import Resolver404, resolve

        try:
            resolve(f"/threads/{scene.thread_id}/comments/")
            how = "http"
        except Resolver404:
            how = "service"
    if how == "http":
        return _DugnadHttpPoster(servers, scene), "HTTP POST /threads/<id>/comments/ (Accept: application/json)"
    return _DugnadServicePoster(scene), "discussions.services.comment_post in the benchmark's process"


# --- One run --------------------------------------------------------------------------------------


def _run_one(
    server_key: str, clients: int, *, args, scene: Scene | None, workdir: Path, connections: str | None = None
) -> RunResult:
    label, app = SERVERS[server_key]
    env = {}
    if connections:
        label = f"{label} ({CONNECTIONS[connections][0]})"
        env = CONNECTIONS[connections][1]
    result = RunResult(server=label, clients=clients)
    deflate = not args.no_deflate
    server_deflate = deflate and args.server_deflate == "on"
    name = f"{server_key}-{connections or 'default'}-{clients}"
    servers = [
        _Server(app, workdir=workdir, name=f"{name}-{index}", profile=args.profile, deflate=server_deflate, env=env)
        for index in range(2)
    ]
    client_processes: list[_Clients] = []
    try:
        for server in servers:
            server.wait_ready()
        if server_key == "dugnad":
            poster, how = _dugnad_poster(args, servers, scene)
            result.notes.append(f"posted through {how}")

            def ws_path() -> str:
                return f"/ws/threads/{scene.thread_id}/?after={scene.seq()}"

        else:
            poster = _StockPoster(servers, args.stock_bytes)

            def ws_path() -> str:
                return "/ws/chat/"

        result.usage = [ProcessUsage(pid=server.pid, port=server.port) for server in servers]
        # Calibration: what a post costs each server with nobody listening, after a few unmeasured
        # posts (templates loaded, connections made: what a server that has run a while has done).
        _post_paced(poster, range(1001, 1005), args.interval)
        calibration = range(1005, 1005 + args.calibration)
        cpu_before = [_cpu_seconds(server.pid) for server in servers]
        _post_paced(poster, calibration, args.interval)
        for index, (usage, before) in enumerate(zip(result.usage, cpu_before, strict=True)):
            handled = sum(1 for number in calibration if number % 2 == index)
            usage.cpu_per_post = (_cpu_seconds(usage.pid) - before) / handled if handled else 0.0
            usage.rss_idle_mb = _memory_mb(usage.pid, "VmRSS")
        path = ws_path()
        cpu_before = [_cpu_seconds(server.pid) for server in servers]

        # Connect: each client process takes every k-th socket; alternate sockets go to each server.
        count = args.client_processes
        for number in range(count):
            indexes = range(number, clients, count)
            urls = [f"ws://127.0.0.1:{servers[(i // count) % 2].port}{path}" for i in indexes]
            client_processes.append(_Clients(urls, deflate=deflate, ordinary=args.independent))
        connected = [process.answer() for process in client_processes]
        # Includes starting Python and importing websockets (about 0.1 s).
        result.connect_client_cpu = sum(process.cpu_seconds() for process in client_processes)
        result.opened = sum(answer["opened"] for answer in connected)
        result.failed = sum(answer["failed"] for answer in connected)
        for answer in connected:
            for error, times in answer["errors"].items():
                result.connect_errors[error] = result.connect_errors.get(error, 0) + times
        if result.connect_errors:
            result.notes.append(f"failed connects: {result.connect_errors}")
        result.connect_seconds = max(a["last_opened"] for a in connected) - min(a["started"] for a in connected)
        result.connect_p50 = max(answer["connect_p50"] for answer in connected)

        # Warm-up: one message that every socket must receive before the measured ones.
        if args.independent:
            warmup_seq = max(client_processes[0].post_paced([poster.request(0)], 0)[0])
        else:
            warmup_seq, _started = poster.post(0)
        _wait_all(client_processes, warmup_seq, timeout=60, result=result, what="the warm-up message")
        cpu_connected = [_cpu_seconds(server.pid) for server in servers]
        for usage, before, after in zip(result.usage, cpu_before, cpu_connected, strict=True):
            usage.connect_cpu = after - before
            usage.rss_connected_mb = _memory_mb(usage.pid, "VmRSS")
        if args.profile:
            for server in servers:
                server.process.send_signal(signal.SIGUSR1)  # the profiles' next phase: the messages

        # The measured messages.
        client_cpu_before = sum(process.cpu_seconds() for process in client_processes)
        machine_before, delivery_started = load.machine_busy_seconds(), time.monotonic()
        if args.independent:
            requests = [poster.request(number) for number in range(1, args.messages + 1)]
            posted, result.post_ms = client_processes[0].post_paced(requests, args.interval)
        else:
            posted, result.post_ms = _post_paced(poster, range(1, args.messages + 1), args.interval)
        _wait_all(client_processes, max(posted), timeout=60, result=result, what="the last message")
        result.delivery_seconds = time.monotonic() - delivery_started
        result.machine_cpu = load.machine_busy_seconds() - machine_before
        result.client_cpu = sum(process.cpu_seconds() for process in client_processes) - client_cpu_before
        for index, (usage, before) in enumerate(zip(result.usage, cpu_connected, strict=True)):
            usage.delivery_cpu = _cpu_seconds(usage.pid) - before
            usage.posts = sum(1 for number in range(1, args.messages + 1) if number % 2 == index)
            usage.rss_peak_mb = _memory_mb(usage.pid, "VmHWM")
        result.messages = len(posted)

        receipts = []
        for number, process in enumerate(client_processes):
            dump = workdir / f"{name}-receipts-{number}.json"
            process.send({"dump": str(dump)})
            process.answer()
            receipts += json.loads(dump.read_text())
        _tally(result, receipts, posted)
        warmup = [received for r in receipts for seq, received, _size in r["frames"] if seq == warmup_seq]
        if len(warmup) >= result.opened:
            result.ready_seconds = max(warmup) - min(answer["started"] for answer in connected)
    finally:
        for process in client_processes:
            process.quit()
        for server in servers:
            server.stop()
    if args.profile:
        for phase, what in enumerate(("start-up, connects and warm-up", f"the {args.messages} messages")):
            for kind, where in (("loop", "event loop"), ("threads", "worker threads")):
                files = [f"{server.profile_path}.{phase}.{kind}" for server in servers]
                files = [file for file in files if Path(file).exists()]
                if files:
                    title = f"{label}, {clients} clients, both processes: {where}, {what}"
                    result.profiles.append(_profile_text(title, files))
    log = "".join(server.log_path.read_text() for server in servers).strip()
    if log:
        result.notes.append(f"server log: {log[:2000]}")
    return result


def _post_paced(poster, numbers: range, interval: float) -> tuple[dict[int, float], list[float]]:
    """Post one message every ``interval`` seconds; returns {seq: when its post began} and each
    post's duration in ms."""
    posted: dict[int, float] = {}
    durations: list[float] = []
    first = time.monotonic()
    for index, number in enumerate(numbers):
        delay = first + index * interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # pacing the posts, one every --interval seconds
        seq, started = poster.post(number)
        posted[seq] = started
        durations.append(1000 * (time.monotonic() - started))
    return posted, durations


def _wait_all(processes: list[_Clients], seq: int, *, timeout: float, result: RunResult, what: str) -> None:
    for process in processes:
        process.send({"wait": seq, "timeout": timeout})
    answers = [process.answer() for process in processes]
    behind = sum(answer["behind"] for answer in answers)
    if behind:
        result.notes.append(f"{behind} open sockets had not received {what} after {timeout:g} s")


def _tally(result: RunResult, receipts: list[dict], posted: dict[int, float]) -> None:
    """Latency of each first delivery; what was lost, duplicated or out of order, per socket."""
    total_bytes = frames = 0
    by_seq: dict[int, list[float]] = {seq: [] for seq in posted}
    for receipt in receipts:
        if receipt["error"]:
            continue
        if receipt["closed"]:
            result.closed += 1
        result.expected += len(posted)
        seen: set[int] = set()
        highest = -1
        for seq, received, size in receipt["frames"]:
            if seq not in posted:
                continue
            frames += 1
            total_bytes += size
            if seq in seen:
                result.duplicates += 1
                continue
            if seq < highest:
                result.reordered += 1
            highest = max(highest, seq)
            seen.add(seq)
            latency = received - posted[seq]
            result.latencies.append(latency)
            by_seq[seq].append(latency)
        result.delivered += len(seen)
        port = urllib.parse.urlsplit(receipt["url"]).port
        for usage in result.usage:
            if usage.port == port:
                usage.sockets += 1
                usage.delivered += len(seen)
    result.lost = result.expected - result.delivered
    result.frame_bytes = total_bytes / frames if frames else 0.0
    # From a message's first reader to its last: the fanout's own time, without the post's.
    reached = [values for values in by_seq.values() if values]
    result.spreads = [max(values) - min(values) for values in reached]


def _profile_text(title: str, files: list[str]) -> str:
    out = io.StringIO()
    stats = pstats.Stats(*files, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    return f"=== {title}\n{out.getvalue()}"


# --- The report -----------------------------------------------------------------------------------


def _print_result(result: RunResult) -> None:
    print(
        f"  {result.opened}/{result.clients} connected in {result.connect_seconds:.2f} s "
        f"(load generator CPU {result.connect_client_cpu:.1f} s), "
        f"all live in {result.ready_seconds:.2f} s; post p50 {_median(result.post_ms):.0f} ms; "
        f"p50 {result.percentile_ms(result.latencies, 0.5):.0f} ms, "
        f"p99 {result.percentile_ms(result.latencies, 0.99):.0f} ms, "
        f"max {result.percentile_ms(result.latencies, 1.0):.0f} ms; lost {result.lost}, "
        f"duplicates {result.duplicates}, reordered {result.reordered}; "
        f"server CPU {result.cpu_per_delivery_ms * 1000:.0f} µs/delivery, "
        f"{_mean([u.fanout_us_per_delivery for u in result.usage]):.0f} µs less the posts",
        flush=True,
    )
    for note in result.notes:
        print(f"  {note}", flush=True)
    for text in result.profiles:
        print(text, flush=True)


def _machine(database_url: str, args) -> list[tuple[str, str]]:
    import channels
    import channels_redis
    import django
    import redis
    import uvicorn
    import websockets

    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.0f} GiB"
    database = "SQLite (a file)" if database_url.startswith("sqlite") else "PostgreSQL"
    with contextlib.suppress(Exception):
        from django.db import connection

        if connection.vendor == "postgresql":
            version = connection.cursor().connection.info.server_version
            database = f"PostgreSQL {version // 10000}.{version % 10000}"
        pool = connection.settings_dict.get("OPTIONS", {}).get("pool")
        if args.connections != [None]:
            database += "; connections as each row says"
        elif pool:
            size = pool.get("max_size", "?") if isinstance(pool, dict) else "default"
            database += f", psycopg pool (at most {size} connections per process)"
        else:
            database += f", CONN_MAX_AGE {connection.settings_dict['CONN_MAX_AGE']}"
    if args.no_deflate:
        deflate = "not offered"
    elif args.server_deflate == "on":
        deflate = "offered by the clients (as browsers do) and accepted"
    else:
        deflate = "offered by the clients (as browsers and `websockets` do), refused by the servers (as in production)"
    return [
        ("Machine", f"{os.cpu_count()} × {model}, {memory}; servers, Redis and the load generator share the cores"),
        ("Python", platform.python_version()),
        (
            "Packages",
            f"Django {django.get_version()}, Channels {channels.__version__}, channels_redis "
            f"{channels_redis.__version__}, redis-py {redis.__version__}, uvicorn {uvicorn.__version__}, "
            f"websockets {websockets.__version__}",
        ),
        ("Servers", "2 uvicorn processes (uvloop, httptools, websockets-sansio), one port each, no proxy"),
        ("Channel layer", "channels_redis RedisPubSubChannelLayer on one Redis"),
        ("Database", database),
        ("permessage-deflate", deflate),
        (
            "Clients",
            "ONE process and thread, asyncio's own event loop: every socket (`websockets.connect` with the "
            "library's defaults, every frame parsed with `json.loads`) and the posts (HTTP/1.1 from the same loop), "
            "alternate sockets to each server"
            if args.independent
            else f"{args.client_processes} processes of asyncio `websockets` clients, alternate sockets to each server",
        ),
        (
            "Messages",
            f"1 warm-up, then {args.messages}, one every {args.interval * 1000:.0f} ms, alternately to each server",
        ),
    ]


def _report(results: list[RunResult], *, args, database_url: str) -> str:
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [f"Run of {date}.", "", "| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in _machine(database_url, args)]
    lines += [
        "",
        "Delivery (latency: from the start of the post to a reader's receipt; fanout: from the first "
        "reader's receipt of a message to the last one's):",
        "",
        "| Server | clients | connected (failed) | connect s | ready s | p50 ms | p95 ms | p99 ms | max ms | lost "
        "| dup. | reord. | post ms p50 | fanout ms p50 / max | frame B | load gen. CPU s, connecting "
        "| load gen. cores | other cores |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for r in results:
        server_cpu = sum(u.delivery_cpu for u in r.usage)
        seconds = r.delivery_seconds or float("nan")
        other = max(0.0, r.machine_cpu - server_cpu - r.client_cpu) / seconds
        lines.append(
            f"| {r.server} | {r.clients} | {r.opened} ({r.failed}) | {r.connect_seconds:.2f} "
            f"| {r.ready_seconds:.2f} | {r.percentile_ms(r.latencies, 0.50):.0f} "
            f"| {r.percentile_ms(r.latencies, 0.95):.0f} | {r.percentile_ms(r.latencies, 0.99):.0f} "
            f"| {r.percentile_ms(r.latencies, 1.0):.0f} "
            f"| {r.lost} | {r.duplicates} | {r.reordered} | {_median(r.post_ms):.0f} "
            f"| {r.percentile_ms(r.spreads, 0.5):.0f} / {r.percentile_ms(r.spreads, 1.0):.0f} "
            f"| {r.frame_bytes:.0f} | {r.connect_client_cpu:.1f} | {r.client_cpu / seconds:.2f} | {other:.2f} |"
        )
    lines += [
        "",
        "Server processes (CPU from /proc/<pid>/stat; the 50 messages' CPU includes handling the posts, "
        f"which {args.calibration} posts with nobody listening, before the clients connect, cost per post):",
        "",
        "| Server | clients | process | sockets | CPU s, connecting | CPU s, 50 messages | ms CPU per post "
        "| µs CPU per delivery, all | µs CPU per delivery, less the posts | RSS MB idle → connected | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for number, u in enumerate(r.usage, start=1):
            per_delivery = 1e6 * u.delivery_cpu / u.delivered if u.delivered else float("nan")
            lines.append(
                f"| {r.server} | {r.clients} | {number} | {u.sockets} | {u.connect_cpu:.1f} | {u.delivery_cpu:.1f} "
                f"| {1000 * u.cpu_per_post:.1f} | {per_delivery:.0f} | {u.fanout_us_per_delivery:.0f} "
                f"| {u.rss_idle_mb:.0f} → {u.rss_connected_mb:.0f} | {u.rss_peak_mb:.0f} |"
            )
    lines.append("")
    lines += _verdict(results)
    notes = [f"- {r.server}, {r.clients} clients: {note}" for r in results for note in r.notes]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def _median(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _verdict(results: list[RunResult]) -> list[str]:
    lines = []
    for r in results:
        p99 = r.percentile_ms(r.latencies, 0.99)
        target = TARGET_P99_MS.get(r.clients)
        parts = []
        if target is not None:
            parts.append(f"p99 {p99:.0f} ms {'within' if p99 <= target else 'over'} the {target} ms target")
        faults = r.lost + r.duplicates + r.reordered
        parts.append("no delivery lost, duplicated or reordered" if not faults else f"{faults} faulty deliveries")
        if r.clients == 1000:
            ok = r.failed == 0 and r.connect_seconds <= TARGET_CONNECT_SECONDS
            parts.append(
                f"{r.opened} connected in {r.connect_seconds:.1f} s (all live {r.ready_seconds:.1f} s after the "
                f"first began), {'meets' if ok else 'misses'} the 5 s / no-failure target"
            )
        ratio = ""
        stock_label = SERVERS["stock"][0]
        stock = next((s for s in results if s.clients == r.clients and s.server == stock_label), None)
        if r.server.startswith("Dugnad") and stock is not None and stock.latencies and r.latencies:
            ratio = (
                f"; the stock chat's p99 is {stock.percentile_ms(stock.latencies, 0.99) / p99:.1f}× Dugnad's, "
                f"its server CPU per delivery {stock.cpu_per_delivery_ms / r.cpu_per_delivery_ms:.1f}× "
                f"(less the posts: {_fanout_ratio(stock, r):.1f}×)"
            )
        lines.append(f"- {r.server}, {r.clients} clients: {'; '.join(parts)}{ratio}.")
    return lines


def _fanout_ratio(stock: RunResult, dugnad: RunResult) -> float:
    return _mean([u.fanout_us_per_delivery for u in stock.usage]) / _mean(
        [u.fanout_us_per_delivery for u in dugnad.usage]
    )


def _write_docs(report: str) -> None:
    text = DOCS.read_text()
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip() + f"\n\n## Websocket delivery: latest results\n\n{RESULTS_START}\n{RESULTS_END}\n"
    before, rest = text.split(RESULTS_START, 1)
    after = rest.split(RESULTS_END, 1)[1]
    DOCS.write_text(f"{before}{RESULTS_START}\n{report}\n{RESULTS_END}{after}")
