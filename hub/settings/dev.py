"""Development: the embedded defaults (SQLite, in-memory layers, e-mail on the console)."""

import os

os.environ.setdefault("DEBUG", "true")

from hub.settings.base import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
