"""The deploy files at work: Debian's nginx with deploy/nginx/dugnad.conf in front of two uvicorn
processes on Unix sockets, started with deploy/systemd/dugnad-web@.service's command, and the task
worker with dugnad-worker@.service's, against the test database.

Only the placeholders of the deploy files change (tests/deploy/rendering.py): the TLS snippet is
replaced by a plain listen on a free port, so everything else nginx does here is what it does in
production. A browser and websocket clients go through nginx: pages, hashed static files with their
cache headers, an upload served back from disk, confidential paths refused, and a comment posted to
each process reaching every socket, wherever nginx placed it.
"""

import http.client
import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect
from websockets.sync.client import connect

from notifications import services as notifications
from notifications.models import Notification
from tests.accounts.images import picture_bytes
from tests.deploy.rendering import SYSTEMD_DIR, nginx_main, nginx_site
from tests.discussions.factories import commenter_create, thread_scene_create
from tests.discussions.live_client import session_cookie
from tests.e2e.harness import AXE_SOURCE, BASE_DIR, assert_accessible, database_url_for_tests
from tests.polling import poll_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NGINX = "/usr/sbin/nginx"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/5"
WORKER_ID = "e2e-nginx-worker"
TIMEOUT = 15
START_SECONDS = 60
HASHED = re.compile(r"/static/.+\.[0-9a-f]{12}\.(css|js)$")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url() -> str | None:
    url = settings.REDIS_URL or LOCAL_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


def _exec_start(unit: str) -> list[str]:
    """A unit's command as systemd would split it."""
    line = next(line for line in (SYSTEMD_DIR / unit).read_text().splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP straight to one web process's socket, bypassing nginx."""

    def __init__(self, path: Path, timeout: float = TIMEOUT):
        super().__init__("127.0.0.1", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(str(self.path))


def _wait_until(condition, what: str, seconds: float = START_SECONDS):
    return poll_until(condition, seconds, f"Timed out waiting for {what}", interval=0.1)


def _healthy(path: Path) -> bool:
    connection = UnixHTTPConnection(path, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    finally:
        connection.close()


class Deployment:
    """nginx, two web processes and the worker, as the deploy files run them."""

    def __init__(self, root: Path, media: Path):
        self.root = root
        self.run = root / "run"
        self.data = root / "srv"
        self.port = _free_port()
        self.redirect_port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.sockets = [self.run / "web-1.sock", self.run / "web-2.sock"]
        self.processes: dict[str, subprocess.Popen] = {}
        for path in (self.run, self.data, root / "outbox", root / "logs"):
            path.mkdir(parents=True, exist_ok=True)
        (self.data / "media").symlink_to(media)
        self.environment = self._environment()

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"}}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.e2e.nginx_settings",
                "DATABASE_URL": database_url_for_tests(),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.root / "outbox"),
                "MEDIA_ROOT": str(self.data / "media"),
                "STATIC_ROOT": str(self.data / "static"),
                "SITE_URL": self.url,
                "DISCUSSIONS_COMMENT_INTERVAL_SECONDS": "0",
                "DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS": "0",
                "LOG_LEVEL": "WARNING",
            }
        )
        url = _redis_url()
        if url:
            # The tests' own cache prefix: the per-test cleanup (which deletes only this prefix's
            # keys) then also empties what these processes cached from the previous test's data.
            env.update({"REDIS_URL": url, "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX})
        else:
            if os.environ.get("CI"):
                pytest.fail(f"Needs Redis in CI: REDIS_URL is not set and nothing answers at {LOCAL_REDIS_URL}")
            env.pop("REDIS_URL", None)
            env["DUGNAD_FILE_CACHE_DIR"] = str(self.root / "cache")
        return env

    def _spawn(self, name: str, command: list[str]) -> None:
        log = (self.root / "logs" / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.environment, stdout=log, stderr=subprocess.STDOUT
        )

    def start(self) -> None:
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=BASE_DIR, env=self.environment, check=True, timeout=START_SECONDS * 3)

        web = _exec_start("dugnad-web@.service")
        assert web[0].endswith("/.venv/bin/uvicorn")
        for instance in range(1, len(self.sockets) + 1):
            arguments = [arg.replace("/run/dugnad/", f"{self.run}/").replace("%i", str(instance)) for arg in web[1:]]
            self._spawn(f"web-{instance}", [sys.executable, "-m", "uvicorn", *arguments])
        worker = _exec_start("dugnad-worker@.service")
        assert worker[1:] == ["manage.py", "db_worker"]
        self._spawn("worker", [sys.executable, *worker[1:], "--no-reload", "--worker-id", WORKER_ID])

        site = self.root / "site.conf"
        listen = self.root / "listen.conf"
        listen.write_text(f"listen 127.0.0.1:{self.port};\n")
        site.write_text(
            nginx_site(data_root=self.data, run_dir=self.run, redirect_port=self.redirect_port, listen_snippet=listen)
        )
        main = self.root / "nginx.conf"
        main.write_text(nginx_main(self.root, site))
        self._spawn("nginx", [NGINX, "-p", str(self.root), "-c", str(main), "-e", str(self.root / "error.log")])

        for path in self.sockets:
            _wait_until(lambda path=path: self.alive() and _healthy(path), f"{path.name} /healthz\n{self.logs()}")
        _wait_until(lambda: self.alive() and self.get("/healthz")[0] == 200, f"nginx\n{self.logs()}")

    def alive(self) -> bool:
        dead = {name: process.returncode for name, process in self.processes.items() if process.poll() is not None}
        assert not dead, f"Exited: {dead}\n{self.logs()}"
        return True

    def get(self, path: str, port: int | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=TIMEOUT)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.root.rglob("*.log"))

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, tmp_path_factory, e2e_media_dir):
    started = time.monotonic()
    deployment = Deployment(tmp_path_factory.mktemp("nginx"), e2e_media_dir)
    try:
        with django_db_blocker.unblock():
            deployment.start()
        print(f"nginx, two web processes and the worker ready in {time.monotonic() - started:.1f} s")
        yield deployment
    finally:
        deployment.stop()
    for name in ("web-1", "web-2", "worker"):
        log = (deployment.root / "logs" / f"{name}.log").read_text(errors="replace")
        assert "Traceback" not in log, log


@pytest.fixture
def nginx_page(browser, deployment):
    context = browser.new_context(base_url=deployment.url, locale="nb-NO")
    context.add_init_script(path=str(AXE_SOURCE))
    context.set_default_timeout(TIMEOUT * 1000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"The browser reported errors: {errors}"


def test_pages_hashed_static_files_and_an_upload_go_through_nginx(nginx_page, deployment):
    page = nginx_page
    person = commenter_create(display_name="Nora Nginx")
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(person), "url": deployment.url}]
    )
    static_responses = []
    page.on("response", lambda response: static_responses.append(response) if "/static/" in response.url else None)

    response = page.goto("/accounts/profile/")
    assert response.status == 200
    assert_accessible(page)
    hashed = [r for r in static_responses if HASHED.search(urllib.parse.urlsplit(r.url).path)]
    assert hashed, [r.url for r in static_responses]
    for static in hashed:
        assert static.status == 200, static.url
        # nginx's header (WhiteNoise's would read "max-age=315360000, public, immutable").
        assert static.headers["cache-control"] == "public, max-age=31536000, immutable", static.url
    stylesheet = next(r for r in hashed if r.url.endswith(".css"))
    status, headers, _ = deployment.get(urllib.parse.urlsplit(stylesheet.url).path, headers={"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")  # WhiteNoise's .gz, sent by gzip_static
    status, headers, _ = deployment.get("/static/css/dugnad.css")
    assert (status, headers["Cache-Control"]) == (200, "public, max-age=3600")

    # An upload through nginx (multipart POST with its CSRF token), stored, then served from disk.
    page.set_input_files(
        "input[name=avatar]",
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": picture_bytes(size=(300, 300))}],
    )
    page.locator("form.account-form button[type=submit]").click()
    avatar = page.locator("img.account-avatar__image")
    expect(avatar).to_be_visible()
    expect(avatar).to_have_js_property("complete", True)
    assert avatar.evaluate("image => image.naturalWidth") > 0
    person.refresh_from_db()
    assert avatar.get_attribute("src") == person.avatar.url
    status, headers, body = deployment.get(person.avatar.url)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert body == (Path(settings.MEDIA_ROOT) / person.avatar.name).read_bytes()
    # Served by nginx (the application serves no media here), with its sandbox for uploads.
    assert "sandbox" in headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"


def test_nginx_refuses_confidential_files_big_bodies_and_plain_http(deployment):
    secret = Path(settings.MEDIA_ROOT) / "challenges" / "submissions" / secrets.token_hex(16) / "tilbud.pdf"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"%PDF-1.4 confidential")
    relative = secret.relative_to(settings.MEDIA_ROOT).as_posix()
    assert deployment.get(f"/media/{relative}")[0] == 403
    assert deployment.get("/media/" + relative.replace("submissions", "%73ubmissions"))[0] == 403
    assert deployment.get("/media/challenges//submissions/" + relative.split("/", 2)[2])[0] == 403
    document = Path(settings.MEDIA_ROOT) / "documents" / "privat.pdf"
    document.parent.mkdir(exist_ok=True)
    document.write_bytes(b"%PDF-1.4 private")
    assert deployment.get("/media/documents/privat.pdf")[0] == 403

    # A body over REQUEST_MAX_BYTES is refused by nginx from its length alone.
    connection = http.client.HTTPConnection("127.0.0.1", deployment.port, timeout=TIMEOUT)
    connection.putrequest("POST", "/threads/1/comments/")
    connection.putheader("Content-Length", str(settings.REQUEST_MAX_BYTES + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert (response.status, b"<center>nginx</center>" in response.read()) == (413, True)
    connection.close()

    status, headers, _ = deployment.get("/om/?a=1", port=deployment.redirect_port)
    assert (status, headers["Location"]) == (301, "https://127.0.0.1/om/?a=1")


def _post_comment(path: Path, port: int, thread_id: int, user, body: str) -> dict:
    """POST a comment straight to one web process, as the browser's script does through nginx on ``port``."""
    csrf = secrets.token_hex(16)
    connection = UnixHTTPConnection(path)
    try:
        connection.request(
            "POST",
            f"/threads/{thread_id}/comments/",
            body=urllib.parse.urlencode({"body": body}),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie(user)}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "X-Forwarded-Port": str(port),
            },
        )
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    assert response.status == 201, content[:2000]
    return json.loads(content)


def test_comments_posted_to_each_process_reach_every_socket_through_nginx(nginx_page, deployment):
    scene = thread_scene_create()
    thread = scene.thread
    notifications.follow(user=scene.alice, target=thread)
    page = nginx_page
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(scene.alice), "url": deployment.url}]
    )
    page.goto(scene.project.url)
    expect(page.locator("section#discussion")).to_have_attribute("data-connection", "live")

    with ExitStack() as stack:
        # Two more sockets through nginx; its round robin puts consecutive connections on each process.
        sockets = []
        for _ in range(2):
            client = stack.enter_context(
                connect(
                    f"ws://127.0.0.1:{deployment.port}/ws/threads/{thread.pk}/?after={thread.last_seq}",
                    origin=deployment.url,
                    additional_headers={"Cookie": f"{settings.LANGUAGE_COOKIE_NAME}=en"},
                    open_timeout=TIMEOUT,
                )
            )
            client.send(json.dumps({"type": "ping"}))
            assert json.loads(client.recv(timeout=TIMEOUT)) == {"type": "pong"}
            sockets.append(client)

        # One comment through each process: every socket, wherever nginx placed it, gets both.
        posted = [
            _post_comment(path, deployment.port, thread.pk, author, f"Hilsen fra prosess {number}")
            for number, (path, author) in enumerate(
                zip(deployment.sockets, (scene.bob, scene.coordinator), strict=True), start=1
            )
        ]
        for client in sockets:
            frames = [json.loads(client.recv(timeout=TIMEOUT)) for _ in posted]
            assert [(f["type"], f["id"], f["seq"]) for f in frames] == [
                ("comment.created", p["id"], p["seq"]) for p in posted
            ]
        for number in (1, 2):
            expect(
                page.locator("article.comment .comment__body", has_text=f"Hilsen fra prosess {number}")
            ).to_be_visible()

    # The worker process ran the notification tasks the comments queued.
    def notified():
        return Notification.objects.filter(recipient=scene.alice).count() == 2

    _wait_until(notified, f"the worker's notifications\n{deployment.logs()}", seconds=TIMEOUT * 2)
    finished = DBTaskResult.objects.filter(task_path__startswith="notifications.", status="SUCCESSFUL")
    assert any(WORKER_ID in result.worker_ids for result in finished)
