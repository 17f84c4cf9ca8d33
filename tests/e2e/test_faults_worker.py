"""A fault production must survive: the task worker killed while sending e-mails.

Thirty immediate e-mails in one task; a real SMTP server (tests/e2e/smtp_sink.py) holds its answer
to the tenth, and the worker is killed with SIGKILL right then: nine delivered, the tenth never
accepted, the task left "running". A new worker puts the task back in the queue once it has been
running for ``TASKS_ABANDONED_AFTER_SECONDS`` and runs it again: every e-mail arrives exactly once.
"""

import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from notifications import services
from notifications.models import EventKind, Notification
from tests.e2e.harness import database_url_for_tests
from tests.e2e.smtp_sink import SmtpSink
from tests.notifications.mail_helpers import users_bulk_create
from tests.polling import poll_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAILS = 30
KILLED_AT = 10
DEADLINE_SECONDS = 60
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _worker(sink: SmtpSink, log) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.e2e.worker_settings",
            "DATABASE_URL": database_url_for_tests(),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "TASKS_ABANDONED_AFTER_SECONDS": "2",
        }
    )
    if settings.REDIS_URL:
        env.update({"REDIS_URL": settings.REDIS_URL, "CACHE_KEY_PREFIX": settings.CACHE_KEY_PREFIX})
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2", "--no-reload"]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)


def _wait_for(condition, what: str, log_path) -> None:
    poll_until(
        condition, DEADLINE_SECONDS, lambda: f"timed out waiting for {what}:\n{log_path.read_text(errors='replace')}"
    )


def test_a_worker_killed_mid_batch_leaves_every_email_sent_exactly_once(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    people = users_bulk_create(EMAILS, prefix="reader")
    written = services.notify(kind=EventKind.REPLY, recipient_ids=[p.pk for p in people], url="/")
    assert len(written) == EMAILS
    [task] = DBTaskResult.objects.all()  # one task sends the thirty (IMMEDIATE_TASK_SIZE is 100)

    sink = SmtpSink(stall_at=KILLED_AT).start()
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        first = _worker(sink, log)
        try:
            assert sink.stalled.wait(DEADLINE_SECONDS), log_path.read_text(errors="replace")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
        assert len(sink.recorded()) == KILLED_AT - 1
        task.refresh_from_db()
        assert task.status == "RUNNING", "the killed worker left its task running"

        second = _worker(sink, log)
        try:
            _wait_for(lambda: DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL", "the task", log_path)
        finally:
            second.terminate()
            second.wait(timeout=10)
    sink.stop()

    messages = sink.recorded()
    recipients = Counter(message["To"] for message in messages)
    assert set(recipients) == {p.email for p in people}
    assert max(recipients.values()) == 1, [address for address, count in recipients.items() if count > 1]
    assert len({message["Message-ID"] for message in messages}) == EMAILS
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert len(DBTaskResult.objects.get(pk=task.pk).worker_ids) == 2, "run by the killed worker, then the new one"
