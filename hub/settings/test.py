"""Tests: fast hashing, immediate tasks, files and e-mail under a temporary folder."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from hub.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that the browser tests' server process sees the same database.
    # (Under pytest-xdist, pytest-django gives every worker its own copy: test.sqlite3_gw0, ...)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
SERVE_MEDIA = True

# Tasks run in the request that enqueues them (after its commit); tests of the queue itself use
# the database backend explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if not REDIS_URL:  # noqa: F405
    # Tasks run in the process that enqueues them, so nothing needs to cross processes; the relay
    # layer (hub.relay) has tests of its own, and the browser test of `make run` uses it.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Under pytest-xdist (`pytest -n 2`) each worker (gw0, gw1, ...) has its own test database
# (pytest-django adds the suffix) and its own temporary folders; here it also gets its own Redis
# database and its own key prefix, whose keys alone the tests delete between tests (tests/cache_cleanup.py).
# The browser tests' server processes are handed these values as they are (tests/e2e/harness.py).
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and REDIS_URL:  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = int(_url.path.strip("/") or 0) + 1 + int(XDIST_WORKER.removeprefix("gw"))
    if _db > 15:
        raise ImproperlyConfigured(f"Redis has databases 0-15: too many test workers for {REDIS_URL}")  # noqa: F405
    REDIS_URL = _url._replace(path=f"/{_db}").geturl()
    CACHE_KEY_PREFIX = f"{CACHE_KEY_PREFIX}-{XDIST_WORKER}"  # noqa: F405
    CACHES["default"].update({"LOCATION": REDIS_URL, "KEY_PREFIX": CACHE_KEY_PREFIX})  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"].update({"hosts": [REDIS_URL], "prefix": f"{CACHE_KEY_PREFIX}:channels"})
