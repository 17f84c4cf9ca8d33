"""The browser tests' settings with tasks waiting in the database for ``manage.py db_worker``, for
the task worker processes that tests start and kill (tests/e2e/test_faults_worker.py)."""

from hub.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
