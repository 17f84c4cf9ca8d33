"""The browser tests' settings as production serves files behind nginx (tests/e2e/test_nginx_deploy.py):
static files collected by the production storage (hashed names), no uploads served by Django, and
background tasks waiting in the database for the worker process."""

from hub.settings.test import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
SERVE_MEDIA = False
# As production.py: the sockets have no port, nginx forwards it.
USE_X_FORWARDED_PORT = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if not REDIS_URL:  # noqa: F405
    CHANNEL_LAYERS = {"default": {"BACKEND": "hub.relay.layers.DatabaseRelayChannelLayer"}}
