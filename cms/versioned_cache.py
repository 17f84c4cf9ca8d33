"""Work that every page repeats (the site, its menus and footer, a page's hub, the goal catalogue),
kept in the shared cache under the content version (``cms.page_cache``), so it is never stale.

An entry is stored together with the content version that was current *before* its value was
read from the database, and is served only while that version is still current: any committed
change to public content replaces the version (``content_changed()``), and with it every entry at
once, just like the anonymous page cache. One cache round trip reads both the version and the
entry. Unlike the page cache this serves logged-in visitors too: what is kept here is the same for
everyone.

Values are pickled, so keep them to model instances and plain data; a value that can no longer be
read (a deploy changed a model) counts as missing.
"""

import logging
import pickle
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from cms.page_cache import CONTENT_VERSION_KEY, content_version_reset

logger = logging.getLogger(__name__)

KEY_PREFIX = "dugnad:v:"
# Bounds memory only: a new content version makes an entry unusable at once.
TIMEOUT = 60 * 60

T = TypeVar("T")


def versioned(name: str, compute: Callable[[], T], *, depends_on=(), timeout: int = TIMEOUT) -> T:
    """``compute()``'s value, from the cache while the content version is unchanged.

    ``name`` must say everything the value depends on besides public content (the site, the
    page, ...). ``compute`` must not depend on the visitor: everyone gets the same value.
    ``depends_on`` names the content it shows ("hub:<id>", "goal:<n>", ...); not read yet.
    """
    key = KEY_PREFIX + name
    try:
        found = _read(key)
        version = found.get(CONTENT_VERSION_KEY) or content_version_reset()
    except Exception:  # a cache outage must not take the pages down with it
        logger.exception("Versioned cache unavailable")
        return compute()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    try:
        cache.set(key, (version, value), timeout)
    except Exception:
        logger.exception("Versioned cache unavailable")
    return value


def _read(key: str) -> dict:
    try:
        return cache.get_many([CONTENT_VERSION_KEY, key])
    except (pickle.UnpicklingError, AttributeError, ImportError, LookupError, TypeError, ValueError, EOFError):
        # Pickled by older code (a model or class that has changed since): drop it and go on.
        logger.warning("Versioned cache entry %s could not be read; dropped", key, exc_info=True)
        cache.delete(key)
        return {CONTENT_VERSION_KEY: cache.get(CONTENT_VERSION_KEY)}
