"""Development: the embedded defaults (SQLite and a file cache in var/, the channel layer relayed through
the database, e-mail on the console)."""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "true")
if not os.environ.get("REDIS_URL"):
    # `make run`'s web server and task worker share one cache, as they share Redis in production:
    # the bell's count is cached under the inbox number that the worker's notifications advance.
    _var = Path(os.environ.get("DUGNAD_VAR_DIR") or Path(__file__).resolve().parents[2] / "var")
    os.environ.setdefault("DUGNAD_FILE_CACHE_DIR", str(_var / "cache"))

from hub.settings.base import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
