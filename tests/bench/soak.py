"""``python -m tests.bench --soak --minutes 10``: everything at once for a while; errors, latencies, memory.

1. A fresh database as for the page benchmark (``tests.bench.run``; PostgreSQL ``<name>_bench`` with
   ``DATABASE_URL``), migrated, static files collected; the demo hub (``seed_demo``); a project's
   thread with a few comments, ``--commenters`` verified month-old accounts that post,
   ``--uploaders`` accounts that upload profile pictures, and ``--followers`` accounts that follow
   the thread and want an e-mail for every comment at once.
2. Production-like processes: two uvicorn processes on two ports (``tests.bench.settings``:
   production settings, DEBUG off; the anonymous page cache and the channel layer on Redis;
   ``LOG_FORMAT=json``, ``ACCESS_LOG=true`` into a log file; ``PROMETHEUS_MULTIPROC_DIR``), the task
   worker (``manage.py db_worker``) sending e-mail over SMTP to a sink in this process. The soak
   starts once the worker has worked off what seeding queued.
3. For ``--minutes``, at once, from this process (one asyncio loop, on the loopback):
   anonymous readers (keep-alive connections reading the hub, the project, the lists, a goal and a
   search, with a pause between requests), logged-in commenters (each reads the project page and
   posts a comment every ``--comment-interval`` seconds), uploaders (a new profile picture every
   ``--upload-interval`` seconds), and ``--sockets`` websocket clients on the thread, half on each
   process, each reconnecting after one to three minutes with ``?after=`` its last number, as a
   browser that moves on does; ``/metrics`` is scraped every 15 s.
4. Every 5 s the resident memory (VmRSS) of each process. At the end: errors by kind (the target is
   none), p50/p95/p99 latencies by kind, every comment's delivery to every socket that was listening
   (lost, duplicated), e-mails received, the task queue's longest wait, the page-cache hit ratio from
   ``/metrics``, and memory at the start (after the first minute's warm-up), the middle and the end
   with the least-squares slope (the target: flat).

It needs Redis (``REDIS_URL``, else ``redis://127.0.0.1:6379/15``); its keys carry their own prefix
and are deleted at the end.
"""

import argparse
import asyncio
import contextlib
import datetime
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench import load, run
from tests.bench.common import percentile, write_results

BASE_DIR = run.BASE_DIR
DOCS = run.DOCS
RESULTS_START = "<!-- bench:soak:start -->"
RESULTS_END = "<!-- bench:soak:end -->"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
SERVER_START_SECONDS = 90
SAMPLE_SECONDS = 5.0
SCRAPE_SECONDS = 15.0
WARMUP_SECONDS = 60.0
METRICS_TOKEN = secrets.token_urlsafe(32)
SEARCH_WORD = "klima"
SEQ = re.compile(r'"seq":\s*(\d+)')


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    _require_redis(redis_url)
    workdir = Path(tempfile.mkdtemp(prefix="dugnad-bench-soak-"))
    drop_database = None
    processes: list[_Process] = []
    started = time.monotonic()
    try:
        database_url, drop_database = run._database(workdir)
        sink = _SmtpSink()
        sink.port = _free_port()
        env = run._environment(workdir, database_url)
        env.update(
            {
                "REDIS_URL": redis_url,
                "DISCUSSIONS_COMMENT_INTERVAL_SECONDS": "1",
                "DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.port),
                "LOG_FORMAT": "json",
                "ACCESS_LOG": "true",
                "LOG_LEVEL": "INFO",
                "METRICS_TOKEN": METRICS_TOKEN,
                "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics"),
            }
        )
        os.environ.update(env)
        import django

        django.setup()
        run._step("Migrating, collecting static files, seeding the demo hub, the thread and the accounts")
        run._prepare()
        scene = _seed(args)
        from django.db import connections

        connections.close_all()
        run._step("Starting two uvicorn processes and the task worker")
        web = [_Process.uvicorn(workdir, name) for name in ("web-1", "web-2")]
        worker = _Process.worker(workdir)
        processes = [*web, worker]
        for process in web:
            process.wait_ready()
        run._step(f"Soaking for {args.minutes:g} minutes")
        soak = _Soak(args, scene, web, worker, sink)
        _run_loop(soak.run())
        report = _report(args, soak, database_url)
        print()
        print(report)
        if not args.no_docs:
            write_results(
                report,
                start=RESULTS_START,
                end=RESULTS_END,
                heading='## Soak: everything at once (`make bench BENCH_ARGS="--soak --minutes 10"`)',
                intro=__doc__.split("\n\n", 1)[1],
            )
            print(f"Results written to {DOCS.relative_to(BASE_DIR)}.")
        print(f"({time.monotonic() - started:.0f} s in all)")
        return 0 if not soak.total_errors() else 1
    finally:
        for process in processes:
            process.stop()
        _forget_cache_keys(redis_url)
        if drop_database is not None:
            from django.db import connections

            connections.close_all()
            drop_database()
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to soak (10)")
    parser.add_argument("--readers", type=int, default=8, help="anonymous keep-alive readers (8)")
    parser.add_argument("--reader-pause", type=float, default=0.1, help="seconds between a reader's requests (0.1)")
    parser.add_argument("--commenters", type=int, default=4, help="logged-in commenters (4)")
    parser.add_argument("--comment-interval", type=float, default=4.0, help="seconds between a commenter's posts (4)")
    parser.add_argument("--uploaders", type=int, default=2, help="accounts uploading profile pictures (2)")
    parser.add_argument("--upload-interval", type=float, default=6.0, help="seconds between an uploader's posts (6)")
    parser.add_argument("--sockets", type=int, default=100, help="websocket clients on the thread (100)")
    parser.add_argument("--followers", type=int, default=3, help="followers e-mailed for every comment (3)")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database files)")
    return parser.parse_args(argv)


def _require_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise SystemExit(f"The soak needs Redis at {url} (set REDIS_URL): {error}") from None


def _forget_cache_keys(url: str) -> None:
    prefix = os.environ.get("CACHE_KEY_PREFIX", "")
    if not prefix.startswith("dugnad-bench-"):
        return
    import redis

    with contextlib.suppress(redis.RedisError), redis.Redis.from_url(url) as client:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_loop(coroutine):
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


# --- Set-up ---------------------------------------------------------------------------------------


@dataclass
class Account:
    user_id: int
    session: str


@dataclass
class Scene:
    thread_id: int
    project_path: str
    hub_path: str
    reader_paths: list[str]
    commenters: list[Account]
    uploaders: list[Account]
    followers: int


def _seed(args) -> Scene:
    from django.conf import settings
    from django.test import Client

    from discussions.services import project_thread_ensure
    from notifications.models import EmailFrequency, EmailPreference, EventKind, Follow
    from projects.models import ProjectIndexPage, ProjectPage
    from tests.bench.seed import seed_site
    from tests.discussions.factories import comment_create, commenter_create

    seeded = seed_site()
    hub = seeded.hub
    project = ProjectPage.objects.live().descendant_of(hub).order_by("pk").first()
    thread = project_thread_ensure(project)
    earlier = commenter_create(display_name="Tidlig leser")
    for number in range(5):
        comment_create(thread, author=earlier, body=f"En tidligere kommentar, nummer {number}.")
    for number in range(args.followers):
        follower = commenter_create(display_name=f"Følger {number}", email=f"folger-{number}@example.org")
        Follow.objects.create(user=follower, thread=thread)
        EmailPreference.objects.create(user=follower, kind=EventKind.COMMENT, frequency=EmailFrequency.IMMEDIATELY)

    def accounts(prefix: str, count: int) -> list[Account]:
        found = []
        for number in range(count):
            user = commenter_create(display_name=f"{prefix} {number}", email=f"{prefix.lower()}-{number}@example.org")
            client = Client()
            client.force_login(user)
            found.append(Account(user.pk, client.cookies[settings.SESSION_COOKIE_NAME].value))
        return found

    project_index = ProjectIndexPage.objects.child_of(hub).get()
    reader_paths = [
        hub.url,
        project.url,
        project_index.url,
        seeded.index.url,
        "/goals/13/",
        f"/search/?q={urllib.parse.quote(SEARCH_WORD)}",
    ]
    return Scene(
        thread_id=thread.pk,
        project_path=project.url,
        hub_path=hub.url,
        reader_paths=reader_paths,
        commenters=accounts("Kommentator", args.commenters),
        uploaders=accounts("Opplaster", args.uploaders),
        followers=args.followers,
    )


# --- Processes ------------------------------------------------------------------------------------


class _Process:
    def __init__(self, name: str, command: list[str], workdir: Path, port: int = 0):
        self.name = name
        self.port = port
        self.log_path = workdir / f"{name}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), stdout=log, stderr=log)

    @classmethod
    def uvicorn(cls, workdir: Path, name: str) -> "_Process":
        port = _free_port()
        command = [sys.executable, "-m", "uvicorn", "hub.asgi:application", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--no-access-log", "--log-level", "warning", "--lifespan", "off"]
        command += ["--ws-per-message-deflate", "false"]
        return cls(name, command, workdir, port)

    @classmethod
    def worker(cls, workdir: Path) -> "_Process":
        command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5"]
        return cls("worker", command, workdir)

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self) -> None:
        import urllib.request

        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up:\n{self.log_path.read_text()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.1)  # polling for readiness
        raise RuntimeError(f"{self.name} did not answer within {SERVER_START_SECONDS} s:\n{self.log_path.read_text()}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return float("nan")
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / load.CLOCK_TICKS


# --- The SMTP sink --------------------------------------------------------------------------------


class _SmtpSink:
    """Just enough SMTP to accept every message the worker sends, and count them."""

    def __init__(self):
        self.port = 0
        self.messages = 0
        self.received: list[tuple[str, str, str]] = []  # (to, subject, digest of the rest)
        self.server = None

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", self.port)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(text: str) -> None:
            writer.write(text.encode() + b"\r\n")

        reply("220 dugnad-soak ESMTP")
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                verb = line[:4].upper()
                if verb == b"EHLO":
                    reply("250-dugnad-soak")
                    reply("250 8BITMIME")
                elif verb == b"DATA":
                    reply("354 go ahead")
                    self._keep(await reader.readuntil(b"\r\n.\r\n"))
                    self.messages += 1
                    reply("250 queued")
                elif verb == b"QUIT":
                    reply("221 bye")
                    await writer.drain()
                    break
                else:
                    reply("250 ok")
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def _keep(self, data: bytes) -> None:
        """Who and what, so that an e-mail sent twice shows (its Date and Message-ID differ)."""
        to = subject = ""
        rest = []
        for line in data.decode("utf-8", "replace").split("\r\n"):
            lowered = line.lower()
            if lowered.startswith("to:"):
                to = line[3:].strip()
            elif lowered.startswith("subject:"):
                subject = line[8:].strip()
            elif not lowered.startswith(("date:", "message-id:")):
                rest.append(line)
        self.received.append((to, subject, hashlib.sha256("\n".join(rest).encode()).hexdigest()))

    def duplicates(self) -> int:
        return len(self.received) - len(set(self.received))

    def recipients(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for to, _subject, _digest in self.received:
            found[to] = found.get(to, 0) + 1
        return found


# --- HTTP -----------------------------------------------------------------------------------------


class _Connection:
    """One keep-alive HTTP/1.1 connection to a server, reopened when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, dict, bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: keep-alive"]
            head += [f"{name}: {value}" for name, value in headers.items()]
            if body or method == "POST":
                head.append(f"Content-Length: {len(body)}")
            try:
                self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
                return await self._response()
            except (OSError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, dict, bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append((await self.reader.readexactly(size + 2))[:-2])
                if size == 0:
                    break
            body = b"".join(chunks)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _png(seed: int) -> bytes:
    """A small, valid PNG (96 × 96, a gradient that differs with ``seed``)."""
    width = height = 96
    rows = b"".join(
        b"\x00" + b"".join(bytes(((x * 2 + seed) % 256, (y * 2) % 256, (seed * 7) % 256)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# --- The soak -------------------------------------------------------------------------------------


@dataclass
class Kind:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    examples: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.examples) < 5:
            self.examples.append(text[:200])


@dataclass
class Sample:
    at: float
    rss: dict[str, float]


class _Soak:
    def __init__(self, args, scene: Scene, web: list[_Process], worker: _Process, sink: _SmtpSink):
        self.args = args
        self.scene = scene
        self.web = web
        self.worker = worker
        self.sink = sink
        self.kinds: dict[str, Kind] = {}
        self.samples: list[Sample] = []
        self.posted: dict[int, float] = {}  # seq → when its POST began (time.monotonic)
        self.receipts: list[dict] = []  # per socket connection: url, after, frames [(seq, t)], ended
        self.scrapes: list[dict] = []
        self.cpu_start: dict[str, float] = {}
        self.cpu_end: dict[str, float] = {}
        self.cache_results: dict[str, int] = {"hit": 0, "miss": 0}
        self.started = 0.0
        self.deadline = 0.0
        self.final_metrics = ""

    def kind(self, name: str) -> Kind:
        return self.kinds.setdefault(name, Kind())

    def total_errors(self) -> int:
        return sum(kind.errors for kind in self.kinds.values())

    def processes(self) -> dict[str, int]:
        return {**{process.name: process.pid for process in self.web}, "worker": self.worker.pid, "load": os.getpid()}

    async def run(self) -> None:
        await self.sink.start()
        # Seeding queued search-index and notification tasks: the worker works them off first, so
        # that the queue's figures and the e-mails counted are the soak's own.
        await self._queue_drained(timeout=600)
        self.sink.messages = 0
        self.sink.received.clear()
        self.kinds.clear()
        self.started = time.monotonic()
        self.deadline = self.started + 60 * self.args.minutes
        self.cpu_start = {name: _cpu_seconds(pid) for name, pid in self.processes().items()}
        tasks = [asyncio.create_task(self._sample())]
        tasks += [asyncio.create_task(self._scrape())]
        tasks += [asyncio.create_task(self._reader(number)) for number in range(self.args.readers)]
        tasks += [
            asyncio.create_task(self._commenter(number, account))
            for number, account in enumerate(self.scene.commenters)
        ]
        tasks += [
            asyncio.create_task(self._uploader(number, account)) for number, account in enumerate(self.scene.uploaders)
        ]
        tasks += [asyncio.create_task(self._socket(number)) for number in range(self.args.sockets)]
        await asyncio.gather(*tasks)
        self.cpu_end = {name: _cpu_seconds(pid) for name, pid in self.processes().items()}
        # The last comments' e-mails: wait (bounded) for the worker to empty the queue.
        await self._queue_drained(timeout=60)
        self.final_metrics = await self._metrics_text()
        self.sink.server.close()

    def _running(self) -> bool:
        return time.monotonic() < self.deadline

    def _port(self, number: int) -> int:
        return self.web[number % len(self.web)].port

    async def _timed(self, kind: str, connection: _Connection, method: str, path: str, headers: dict, body=b""):
        started = time.perf_counter()
        try:
            status, response_headers, content = await connection.request(method, path, headers, body)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.kind(kind).error(f"{method} {path}: {type(error).__name__}: {error}")
            connection.close()
            return None
        self.kind(kind).latencies.append(time.perf_counter() - started)
        return status, response_headers, content

    async def _reader(self, number: int) -> None:
        connection = _Connection(self._port(number))
        paths = self.scene.reader_paths
        index = number
        headers = {"Accept": "text/html", "User-Agent": "dugnad-soak"}
        while self._running():
            path = paths[index % len(paths)]
            index += 1
            found = await self._timed("reader", connection, "GET", path, headers)
            if found is not None:
                status, response_headers, _content = found
                if status != 200:
                    self.kind("reader").error(f"GET {path}: HTTP {status}")
                cached = response_headers.get("x-dugnad-cache")
                if cached in self.cache_results:
                    self.cache_results[cached] += 1
            await asyncio.sleep(self.args.reader_pause)  # a reader's pause between pages
        connection.close()

    def _session_headers(self, account: Account, port: int) -> dict:
        from django.conf import settings

        csrf = secrets.token_hex(16)
        return {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={account.session}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
            "Origin": f"http://127.0.0.1:{port}",
            "User-Agent": "dugnad-soak",
        }

    async def _commenter(self, number: int, account: Account) -> None:
        port = self._port(number)
        connection = _Connection(port)
        headers = self._session_headers(account, port)
        # Spread the commenters over the interval.
        await asyncio.sleep(self.args.comment_interval * number / max(1, self.args.commenters))
        count = 0
        while self._running():
            cycle = time.monotonic()
            found = await self._timed("page, logged in", connection, "GET", self.scene.project_path, headers)
            if found is not None and found[0] != 200:
                self.kind("page, logged in").error(f"GET {self.scene.project_path}: HTTP {found[0]}")
            count += 1
            body = urllib.parse.urlencode({"body": f"Kommentar {count} fra kommentator {number} i soak-testen."})
            post_headers = {
                **headers,
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            began = time.monotonic()
            path = f"/threads/{self.scene.thread_id}/comments/"
            found = await self._timed("comment POST", connection, "POST", path, post_headers, body.encode())
            if found is not None:
                status, _headers, content = found
                if status == 201:
                    self.posted[json.loads(content)["seq"]] = began
                else:
                    self.kind("comment POST").error(f"POST {path}: HTTP {status} {content[:120]!r}")
            await asyncio.sleep(max(0.0, self.args.comment_interval - (time.monotonic() - cycle)))
        connection.close()

    async def _uploader(self, number: int, account: Account) -> None:
        port = self._port(number + 1)
        connection = _Connection(port)
        headers = self._session_headers(account, port)
        await asyncio.sleep(self.args.upload_interval * number / max(1, self.args.uploaders))
        count = 0
        while self._running():
            cycle = time.monotonic()
            count += 1
            boundary = secrets.token_hex(12)
            parts = [
                ("csrfmiddlewaretoken", None, headers["X-CSRFToken"].encode()),
                ("display_name", None, f"Opplaster {number}".encode()),
                ("preferred_language", None, b""),
                ("avatar", f"bilde-{count}.png", _png(count + 100 * number)),
            ]
            body = b""
            for name, filename, value in parts:
                body += f"--{boundary}\r\n".encode()
                if filename:
                    body += (
                        f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                        "Content-Type: image/png\r\n\r\n"
                    ).encode()
                else:
                    body += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                body += value + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            post_headers = {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}
            found = await self._timed("upload POST", connection, "POST", "/accounts/profile/", post_headers, body)
            if found is not None and found[0] != 302:
                self.kind("upload POST").error(f"POST /accounts/profile/: HTTP {found[0]} {found[2][:120]!r}")
            await asyncio.sleep(max(0.0, self.args.upload_interval - (time.monotonic() - cycle)))
        connection.close()

    async def _socket(self, number: int) -> None:
        """One reader's browser tab: connected, then after one to three minutes reconnecting with
        ``?after=`` the last number it applied."""
        from websockets.asyncio.client import connect

        generator = random.Random(number)
        port = self._port(number)
        after = None
        # The sockets arrive over the first ten seconds.
        await asyncio.sleep(10 * number / max(1, self.args.sockets))
        while self._running():
            lifetime = generator.uniform(60, 180)
            query = "" if after is None else f"?after={after}"
            url = f"ws://127.0.0.1:{port}/ws/threads/{self.scene.thread_id}/{query}"
            receipt = {"after": after, "opened": None, "frames": [], "ended": None, "url": url}
            self.receipts.append(receipt)
            began = time.perf_counter()
            try:
                async with connect(
                    url, origin=f"http://127.0.0.1:{port}", compression=None, proxy=None, open_timeout=30
                ) as ws:
                    self.kind("websocket connect").latencies.append(time.perf_counter() - began)
                    receipt["opened"] = time.monotonic()
                    end = min(self.deadline, time.monotonic() + lifetime)
                    next_ping = time.monotonic() + 25
                    while time.monotonic() < end:
                        try:
                            message = await asyncio.wait_for(ws.recv(), timeout=min(1.0, end - time.monotonic()))
                        except TimeoutError:
                            message = None
                        if message is not None:
                            match = SEQ.search(message, 0, 200)
                            if match:
                                seq = int(match.group(1))
                                receipt["frames"].append((seq, time.monotonic()))
                                after = max(after or 0, seq)
                            elif '"pong"' not in message:
                                self.kind("websocket").error(f"unexpected frame {message[:120]}")
                        if time.monotonic() >= next_ping:
                            await ws.send('{"type": "ping"}')
                            next_ping = time.monotonic() + 25
                    receipt["ended"] = time.monotonic()
            except Exception as error:  # every failure is a result here
                self.kind("websocket").error(f"{type(error).__name__}: {error}")
                receipt["ended"] = time.monotonic()
                await asyncio.sleep(1)  # a browser's back-off before reconnecting

    async def _sample(self) -> None:
        while self._running():
            rss = {name: _rss_mb(pid) for name, pid in self.processes().items()}
            self.samples.append(Sample(time.monotonic() - self.started, rss))
            for process in [*self.web, self.worker]:
                if not process.alive():
                    self.kind("processes").error(f"{process.name} exited with {process.process.returncode}")
            await asyncio.sleep(SAMPLE_SECONDS)  # the sampling period, not a wait for a condition
        self.samples.append(
            Sample(time.monotonic() - self.started, {name: _rss_mb(pid) for name, pid in self.processes().items()})
        )

    async def _metrics_text(self) -> str:
        connection = _Connection(self.web[0].port)
        found = await self._timed(
            "metrics scrape", connection, "GET", "/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        connection.close()
        if found is None or found[0] != 200:
            if found is not None:
                self.kind("metrics scrape").error(f"GET /metrics: HTTP {found[0]}")
            return ""
        return found[2].decode()

    async def _scrape(self) -> None:
        while self._running():
            text = await self._metrics_text()
            values = _parse_metrics(text)
            self.scrapes.append(
                {
                    "at": time.monotonic() - self.started,
                    "waiting": _sum(values, "dugnad_tasks_waiting"),
                    "oldest": _sum(values, "dugnad_tasks_oldest_waiting_seconds"),
                    "sockets": _sum(values, "dugnad_websockets_open"),
                }
            )
            await asyncio.sleep(SCRAPE_SECONDS)  # Prometheus' usual scrape period, shortened

    async def _queue_drained(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            values = _parse_metrics(await self._metrics_text())
            if _sum(values, "dugnad_tasks_waiting") == 0:
                return
            await asyncio.sleep(0.5)  # polling the queue


def _parse_metrics(text: str) -> list[tuple[str, dict, float]]:
    from prometheus_client.parser import text_string_to_metric_families

    if not text:
        return []
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    ]


def _sum(values, name: str, **labels) -> float:
    return sum(
        value
        for sample, found, value in values
        if sample == name and all(found.get(key) == wanted for key, wanted in labels.items())
    )


# --- The report -----------------------------------------------------------------------------------


def _deliveries(soak: _Soak) -> dict:
    """Per socket connection: every comment posted while it was open (after it opened, and above
    the number it resumed from) must arrive once. Latency: post start → receipt."""
    expected = delivered = lost = duplicates = 0
    latencies = []
    posted = sorted(soak.posted.items())
    for receipt in soak.receipts:
        if receipt["opened"] is None or receipt["ended"] is None:
            continue
        seen: dict[int, int] = {}
        for seq, at in receipt["frames"]:
            seen[seq] = seen.get(seq, 0) + 1
            if seen[seq] == 1 and seq in soak.posted:
                latencies.append(at - soak.posted[seq])
        duplicates += sum(count - 1 for count in seen.values())
        # Posts that began after the socket opened and whose frame had 2 s to arrive before it closed.
        due = [seq for seq, began in posted if receipt["opened"] < began < receipt["ended"] - 2]
        if receipt["after"] is not None:
            due = [seq for seq in due if seq > receipt["after"]]
        expected += len(due)
        delivered += sum(1 for seq in due if seq in seen)
        lost += sum(1 for seq in due if seq not in seen)
    return {
        "connections": sum(1 for receipt in soak.receipts if receipt["opened"] is not None),
        "expected": expected,
        "delivered": delivered,
        "lost": lost,
        "duplicates": duplicates,
        "latencies": latencies,
    }


def _slope_mb_per_minute(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if not spread:
        return float("nan")
    return 60 * sum((t - mean_t) * (v - mean_v) for t, v in points) / spread


def _ms(values: list[float], share: float) -> str:
    return f"{1000 * percentile(values, share):.0f}" if values else "–"


def _report(args, soak: _Soak, database_url: str) -> str:
    import django
    import uvicorn

    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.0f} GiB"
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite (a file)"
    minutes = args.minutes
    load_average = os.getloadavg()
    deliveries = _deliveries(soak)
    lines = [
        f"Run of {date}, {minutes:g} minutes.",
        "",
        "| | |",
        "| --- | --- |",
        f"| Machine | {os.cpu_count()} × {model}, {memory}; load average at the end {load_average[0]:.1f} / "
        f"{load_average[1]:.1f} / {load_average[2]:.1f} (1 / 5 / 15 min) |",
        f"| Software | Python {sys.version.split()[0]}, Django {django.get_version()}, uvicorn {uvicorn.__version__}, "
        f"{database}, Redis (cache, page cache, channel layer) |",
        "| Processes | 2 uvicorn processes (one port each, no proxy), `manage.py db_worker`, this load generator "
        "(one asyncio process, which also is the SMTP sink) |",
        f"| Load | {args.readers} anonymous readers (a page, then {args.reader_pause:g} s pause), "
        f"{args.commenters} commenters (the project page logged in + a comment every {args.comment_interval:g} s), "
        f"{args.uploaders} uploaders (a profile picture every {args.upload_interval:g} s), {args.sockets} "
        f"websockets on the thread (reconnecting after 1–3 min), {args.followers} followers e-mailed at once "
        "for every comment, `/metrics` every 15 s |",
        "",
        "| Kind | requests | errors | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    order = ["reader", "page, logged in", "comment POST", "upload POST", "websocket connect", "metrics scrape"]
    for name in order + sorted(set(soak.kinds) - set(order)):
        kind = soak.kinds.get(name)
        if kind is None:
            continue
        values = kind.latencies
        lines.append(
            f"| {name} | {len(values)} | {kind.errors} "
            f"| {_ms(values, 0.5)} | {_ms(values, 0.95)} | {_ms(values, 0.99)} |"
        )
    delivery = deliveries["latencies"]
    lines.append(
        f"| live delivery (post → socket) | {len(delivery)} | {deliveries['lost'] + deliveries['duplicates']} "
        f"| {_ms(delivery, 0.5)} | {_ms(delivery, 0.95)} | {_ms(delivery, 0.99)} |"
    )
    values = _parse_metrics(soak.final_metrics)
    hits, misses = soak.cache_results["hit"], soak.cache_results["miss"]
    oldest = max((scrape["oldest"] for scrape in soak.scrapes), default=float("nan"))
    most_waiting = max((scrape["waiting"] for scrape in soak.scrapes), default=float("nan"))
    comments = len(soak.posted)
    lines += [
        "",
        f"- Comments posted: {comments}; websocket connections: {deliveries['connections']}; deliveries due "
        f"{deliveries['expected']}, delivered {deliveries['delivered']}, lost {deliveries['lost']}, "
        f"duplicated {deliveries['duplicates']}.",
        f"- E-mails received by the SMTP sink: {soak.sink.messages}, {soak.sink.duplicates()} of them twice "
        f"(expected {comments * args.followers}: {args.followers} followers × {comments} comments; by recipient: "
        f"{', '.join(f'{to} {count}' for to, count in sorted(soak.sink.recipients().items()))}); "
        "the task queue's longest wait seen at a scrape "
        f"{oldest:.1f} s, at most {most_waiting:.0f} tasks waiting.",
        f"- Anonymous page cache (readers' `X-Dugnad-Cache`): {hits} hits, {misses} misses "
        f"({100 * hits / max(1, hits + misses):.1f} % hits); `/metrics` across both processes: "
        f"{_sum(values, 'dugnad_page_cache_responses_total', result='hit'):.0f} hits, "
        f"{_sum(values, 'dugnad_page_cache_responses_total', result='miss'):.0f} misses, "
        f"{_sum(values, 'dugnad_http_requests_total'):.0f} requests, "
        f"{_sum(values, 'dugnad_fanout_deliveries_total'):.0f} fan-out deliveries.",
        "",
        "Memory (VmRSS, MB) every 5 s; start is the first sample after the first minute (warm-up); the slope is "
        "the least-squares line through every sample after it. CPU: seconds used during the soak.",
        "",
        "| Process | at 0 s | start | middle | end | peak | slope MB/min | CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    warm = [sample for sample in soak.samples if sample.at >= min(WARMUP_SECONDS, 60 * minutes / 3)]
    for name in soak.processes():
        series = [(sample.at, sample.rss.get(name, float("nan"))) for sample in warm]
        series = [(t, v) for t, v in series if v == v]
        if not series:
            continue
        first = soak.samples[0].rss.get(name, float("nan"))
        middle = series[len(series) // 2][1]
        cpu = soak.cpu_end.get(name, float("nan")) - soak.cpu_start.get(name, float("nan"))
        lines.append(
            f"| {name} | {first:.0f} | {series[0][1]:.0f} | {middle:.0f} | {series[-1][1]:.0f} "
            f"| {max(v for _, v in series):.0f} | {_slope_mb_per_minute(series):+.2f} | {cpu:.0f} |"
        )
    examples = [f"- {name}: {example}" for name, kind in soak.kinds.items() for example in kind.examples]
    if examples:
        lines += ["", "Errors (first few of each kind):", "", *examples]
    return "\n".join(lines)
