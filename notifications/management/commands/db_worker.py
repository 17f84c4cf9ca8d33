"""``manage.py db_worker``: django-tasks' database worker, which also runs again the tasks that a
dead worker left "running".

django_tasks_db's worker marks a task running (committed) before it runs it; a worker killed then
(SIGKILL, out of memory, power loss) leaves it running for ever, and nothing else would run it. This
command (found before django_tasks_db's own, as notifications comes first in INSTALLED_APPS; same
options) puts such a task back in the queue when it has been running longer than
``TASKS_ABANDONED_AFTER_SECONDS``: at start, then every quarter of that time (at most every minute)
from a thread of its own. The task runs again under the same id; the e-mail tasks use it to send
only what was not sent yet (``notifications.emails``, "Each e-mail is sent once").
"""

import logging
import os
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

SWEEP_MAX_INTERVAL_SECONDS = 60


def abandoned_tasks_requeue(backend_name: str) -> int:
    """Put back in the queue the tasks of ``backend_name`` running longer than TASKS_ABANDONED_AFTER_SECONDS."""
    cutoff = timezone.now() - timedelta(seconds=settings.TASKS_ABANDONED_AFTER_SECONDS)
    count = DBTaskResult.objects.filter(
        backend_name=backend_name, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY)
    if count:
        logger.warning("Put back in the queue %s task(s) left running by a worker that stopped", count)
    return count


class Worker(db_worker.Worker):
    def run(self) -> None:
        abandoned_tasks_requeue(self.backend_name)
        if self.batch:
            return super().run()
        stop = threading.Event()
        sweeper = threading.Thread(target=self._sweep, args=(stop,), name="abandoned-tasks", daemon=True)
        sweeper.start()
        try:
            return super().run()
        finally:
            stop.set()

    def _sweep(self, stop: threading.Event) -> None:
        interval = min(SWEEP_MAX_INTERVAL_SECONDS, max(0.5, settings.TASKS_ABANDONED_AFTER_SECONDS / 4))
        while not stop.wait(interval):
            try:
                abandoned_tasks_requeue(self.backend_name)
            except DatabaseError:
                logger.warning("Could not look for abandoned tasks: the database did not answer", exc_info=True)
            finally:
                connections.close_all()


class Command(db_worker.Command):
    help = db_worker.Command.help + "; tasks left running by a worker that stopped are run again"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        **options,
    ):
        # django_tasks_db's handle with this module's Worker.
        self.configure_logging(verbosity)
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
