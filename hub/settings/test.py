"""Tests: fast hashing, immediate tasks, files and e-mail under a temporary folder."""

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
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
SERVE_MEDIA = True

# Tasks run in the request that enqueues them (after its commit); tests of the queue itself use
# the database backend explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if not REDIS_URL:  # noqa: F405
    # Tasks run in the process that enqueues them, so nothing needs to cross processes; the relay
    # layer (hub.relay) has tests of its own, and the browser test of `make run` uses it.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
