"""The browser-test harness: the real ASGI server in a subprocess, Debian's Chromium, axe-core.

The server runs ``hub.asgi:application`` under uvicorn (HTTP and websockets) against the same test
database that pytest-django created, so data a test writes in a transactional test is what the
browser sees. E-mail goes to files that tests read back.
"""

import email
import json
import os
import secrets
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
AXE_SOURCE = BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERVER_START_SECONDS = 60


def _listening_socket() -> socket.socket:
    """A loopback socket on a free port, already listening, for the server to inherit."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def database_url_for_tests() -> str:
    """The URL of the database pytest-django set up, for the server subprocess."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class LiveServer:
    """One uvicorn process serving the site; ``url`` is its base address."""

    def __init__(self, outbox: Path, media: Path, workers: int = 1, shared_cache_dir: Path | None = None):
        self.socket = _listening_socket()
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.outbox = outbox
        self.media = media
        self.workers = workers
        self.shared_cache_dir = shared_cache_dir
        self.log_path = outbox.parent / f"server-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "hub.settings.test",
                "DATABASE_URL": database_url_for_tests(),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.outbox),
                "MEDIA_ROOT": str(self.media),
                "SITE_URL": self.url,
                # The API fuzzer (test_api_fuzz.py) sends hundreds of requests a minute from one address.
                "API_RATE_LIMIT_PER_MINUTE": "1000000",
            }
        )
        if self.shared_cache_dir is not None:
            env["DUGNAD_FILE_CACHE_DIR"] = str(self.shared_cache_dir)
        if settings.REDIS_URL:
            # The tests' own Redis database and key prefix, which differ per pytest-xdist worker
            # (hub/settings/test.py); the server takes them as they are, not derived once more.
            env.update({"REDIS_URL": settings.REDIS_URL, "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX})
        env.pop("PYTEST_XDIST_WORKER", None)
        return env

    def start(self) -> None:
        """Start uvicorn on a socket we already listen on, then wait for /healthz.

        Connections made before the application is ready wait in the socket's backlog, so one
        blocking request is the readiness check: no polling.
        """
        self.outbox.mkdir(parents=True, exist_ok=True)
        self.media.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "uvicorn", "hub.asgi:application", "--fd", str(self.socket.fileno())]
        command += ["--workers", str(self.workers), "--log-level", "warning"]
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.environment(), stdout=log, stderr=log, pass_fds=(self.socket.fileno(),)
        )
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=SERVER_START_SECONDS) as response:
                if response.status == 200:
                    return
        except OSError as error:
            raise RuntimeError(f"The server did not answer /healthz: {error}\n{self.log()}") from error
        raise RuntimeError(f"The server answered /healthz with {response.status}:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.socket.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def clear_outbox(self) -> None:
        for path in self.outbox.glob("*.log"):
            path.unlink()

    def messages(self) -> list[Message]:
        """Every e-mail the server has sent so far, oldest first."""
        files = sorted(self.outbox.glob("*.log"), key=lambda path: path.stat().st_mtime)
        found = []
        for path in files:
            # The file backend separates messages with a line of 79 dashes.
            for chunk in path.read_bytes().split(b"-" * 79):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk.strip()))
        return found


def message_text(message: Message) -> str:
    """The plain-text part of a message, decoded."""
    parts = message.walk() if message.is_multipart() else [message]
    for part in parts:
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("The message has no plain-text part")


COLOR_SCHEMES = ("dark", "light")
AXE_RUN = "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


# Resolves when the animations and transitions that are about to end have ended: fade-ins and the
# like, running on something visible, with at most a second and a half to go. Longer ones (Wagtail's
# 25-second pulse on a badge, endless spinners) and ones on hidden elements (a closed menu's fade,
# which never advances while nothing is painted) would only hold the check up; 2 s at most.
TRANSITIONS_FINISHED = """() => {
    const ending = document.getAnimations().filter((animation) => {
        const timing = animation.effect?.getComputedTiming();
        const target = animation.effect?.target;
        return animation.playState === 'running' && timing
            && timing.endTime - (timing.localTime ?? 0) <= 1500
            && (!target || target.checkVisibility());
    });
    return Promise.race([
        Promise.all(ending.map((animation) => animation.finished.catch(() => null))),
        new Promise((resolve) => setTimeout(resolve, 2000)),
    ]).then(() => true);
}"""


def assert_accessible(page) -> None:
    """Run axe-core on the current page with the WCAG 2.1 A and AA rules in both colour schemes;
    fail on any violation.

    Pages follow the system's colour scheme (``data-color-scheme="auto"``), so the check switches
    the emulated preference on the loaded page rather than loading it twice. Our pages animate no
    colours, but Wagtail's admin does: the check waits for running transitions to end before axe
    reads the colours. It ends on light, the browser contexts' default.
    """
    found = []
    for scheme in COLOR_SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.evaluate(TRANSITIONS_FINISHED)
        result = page.evaluate(AXE_RUN, WCAG_TAGS)
        found += [
            {
                "scheme": scheme,
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in result["violations"]
        ]
    assert not found, f"axe found accessibility violations on {page.url}:\n{json.dumps(found, indent=2)}"


def comment_post_http(
    base_url: str, thread_id: int, session: str, body: str, *, timeout: float = 30
) -> tuple[int, bytes]:
    """POST a comment to a live server as the browser's script does (JSON); returns (status, body).

    ``session`` is a session cookie value (``tests.discussions.live_client.session_cookie``); the
    CSRF cookie and header are made up here, as a browser would send them.
    """
    csrf = secrets.token_hex(16)
    request = urllib.request.Request(
        f"{base_url}/threads/{thread_id}/comments/",
        data=urllib.parse.urlencode({"body": body}).encode(),
        headers={
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
