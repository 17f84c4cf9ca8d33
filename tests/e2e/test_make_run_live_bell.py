"""The bell under `make run`'s settings: the web server and the task worker as two processes with
``hub.settings.dev`` (no Redis: the relayed in-memory channel layer, the database task queue, a
file cache both share), against the test database.

A person has the notification centre open. Someone else comments in a thread they follow, over
HTTP to the web server; the notification is written by the task worker, in its own process, and
the person's bell counts it without a reload. A reload then renders the same count (the cache
the worker updated is the one the server reads).
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from notifications import services as notifications
from notifications.models import Notification
from tests.discussions.factories import commenter_create, forum_create, topic_create
from tests.discussions.live_client import session_cookie
from tests.e2e.harness import AXE_SOURCE, BASE_DIR, LiveServer, assert_accessible, comment_post_http
from tests.e2e.test_notification_journey import _home, nb, nb_js
from tests.partners.factories import hub_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKER_ID = "e2e-make-run-worker"
TIMEOUT = 15


class MakeRunServer(LiveServer):
    """uvicorn with `make run`'s settings (hub.settings.dev) on the test database, and no Redis."""

    def __init__(self, *args, var_dir, **kwargs):
        super().__init__(*args, **kwargs)
        self.var_dir = var_dir

    def environment(self) -> dict[str, str]:
        env = super().environment()
        for name in ("REDIS_URL", "DUGNAD_FILE_CACHE_DIR", "DEBUG", "EMAIL_BACKEND", "EMAIL_FILE_PATH"):
            env.pop(name, None)
        env.update({"DJANGO_SETTINGS_MODULE": "hub.settings.dev", "DUGNAD_VAR_DIR": str(self.var_dir)})
        return env


@pytest.fixture(scope="module")
def make_run(django_db_setup, django_db_blocker, tmp_path_factory, e2e_media_dir):
    """The web server and `manage.py db_worker`, as `make run` starts them (the worker without
    reloading, so that stopping it stops everything)."""
    root = tmp_path_factory.mktemp("make-run")
    server = MakeRunServer(outbox=root / "outbox", media=e2e_media_dir, var_dir=root / "var")
    server.worker_log_path = root / "worker.log"
    worker_log = server.worker_log_path.open("wb")
    worker = None
    try:
        with django_db_blocker.unblock():
            server.start()
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--worker-id", WORKER_ID]
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=server.environment(), stdout=worker_log, stderr=worker_log)
        yield server
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        worker_log.close()
        server.stop()


def _post_comment(server: LiveServer, thread_id: int, session: str, body: str) -> dict:
    """POST /threads/<id>/comments/ as the browser's script does (JSON answer)."""
    status, content = comment_post_http(server.url, thread_id, session, body, timeout=TIMEOUT)
    assert status == 201, f"{status}: {content[:2000]!r}\n{server.log()}"
    return json.loads(content)


def test_a_notification_written_by_the_worker_rings_the_bell_of_a_page_served_by_the_web_process(browser, make_run):
    hub = hub_create(home=_home(), title="Fjordvik")
    forum_create(hub)
    thread = topic_create(hub, title="Sykkelveier")
    reader = commenter_create(display_name="Rita Leser")
    writer = commenter_create(display_name="Vilde Skriver")
    notifications.follow(user=reader, target=thread)

    context = browser.new_context(base_url=make_run.url, locale="nb-NO")
    errors: list[str] = []
    try:
        context.add_init_script(path=str(AXE_SOURCE))
        context.set_default_timeout(TIMEOUT * 1000)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(reader), "url": make_run.url}]
        )
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto("/notifications/")
        bell = page.locator("#notification-bell")
        badge = page.locator("#notification-bell-badge")
        expect(bell).to_have_attribute("data-connection", "live")
        expect(bell).to_have_attribute("data-unread", "0")
        expect(badge).to_be_hidden()
        assert_accessible(page)
        page.evaluate("() => { window.__notReloaded = true; }")  # gone if the page reloads

        posted = _post_comment(make_run, thread.pk, session_cookie(writer), "Kan vi male sykkelfeltene røde?")

        # The worker polls its queue every second, the relay every quarter second: allow for both.
        expect(badge).to_have_text("1", timeout=TIMEOUT * 1000)
        expect(bell).to_have_attribute("data-unread", "1")
        expect(bell).to_have_accessible_name(nb_js("Notifications, 1 unread"))
        comment_text = nb("%(actor)s commented in “%(thread)s”", actor="Vilde Skriver", thread="Sykkelveier")
        expect(page.locator("#notification-live")).to_have_text(nb_js("New notification: %(text)s", text=comment_text))
        assert page.evaluate("() => window.__notReloaded") is True
        # The worker wrote it (not the web server running the task itself).
        notification = Notification.objects.get(recipient=reader)
        assert notification.comment_id == posted["id"]
        finished = DBTaskResult.objects.filter(task_path__startswith="notifications.", status="SUCCESSFUL")
        assert any(WORKER_ID in result.worker_ids for result in finished), list(finished.values("task_path"))

        # The page as the server renders it now counts the notification too.
        html = page.request.get("/notifications/").text()
        assert 'data-unread="1"' in html
        page.reload()
        expect(bell).to_have_attribute("data-connection", "live")
        expect(badge).to_have_text("1")
        assert_accessible(page)
    finally:
        context.close()
    assert not errors, f"The browser reported errors: {errors}"
    # Neither process logged a failure (a publish that fails is logged, never raised).
    for log in (make_run.log(), make_run.worker_log_path.read_text(errors="replace")):
        assert "Traceback" not in log and " ERROR " not in log, log
