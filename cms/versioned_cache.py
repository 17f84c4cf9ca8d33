"""Work that every page repeats (the site, its menus and footer, a page's hub, the goal catalogue),
kept in the shared cache under the versions of what it depends on (``cms.dependency``), so it is
never stale.

An entry is stored with the versions of its dependencies read *before* its value was read from the
database, and is served only while every one of them is still current: a committed write replaces
the versions of the keys it touches, and with them exactly the entries that depend on those. One
cache round trip reads the entry and the versions. Unlike the page cache this serves logged-in
visitors too: what is kept here is the same for everyone. A page being rendered for the page cache
learns the dependencies of every entry it uses (``dependency.uses``).

Values are pickled, so keep them to model instances and plain data; a value that can no longer be
read (a deploy changed a model) or was stored in another ``FORMAT`` counts as missing.
"""

import logging
import pickle
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache

from cms import dependency

logger = logging.getLogger(__name__)

# The layout of an entry; change it with the layout, and old entries become misses.
FORMAT = 2
KEY_PREFIX = f"dugnad:v:{FORMAT}:"
# Bounds memory only: a new version of a dependency makes an entry unusable at once.
TIMEOUT = 60 * 60

T = TypeVar("T")

_UNREADABLE = (pickle.UnpicklingError, AttributeError, ImportError, LookupError, TypeError, ValueError, EOFError)


# Dependencies of recently used entries beyond those their callers name (what ``compute`` itself
# used), so that the lookup reads their versions with the entry.
HINTS_LIMIT = 10_000
_hints: dict[str, frozenset[str]] = {}


def versioned(name: str, compute: Callable[[], T], *, depends_on: Iterable[str] = (), timeout: int = TIMEOUT) -> T:
    """``compute()``'s value, from the cache while none of ``depends_on`` has changed.

    ``depends_on`` are dependency keys (``cms.dependency.hub(pk)``, ``SITE``, ...); without them
    the value depends on every write (``any``). What ``compute`` itself uses from the versioned
    cache is added to them. ``name`` must say everything else the value depends on (the site, the
    page, the language, ...). ``compute`` must not depend on the visitor: everyone gets the same
    value.
    """
    dependencies = frozenset(depends_on) or frozenset({dependency.ANY})
    key = KEY_PREFIX + name
    try:
        entry, versions = _read(key, dependencies | _hints.get(key, frozenset()) | {dependency.ANY})
        if entry is not None and not entry["versions"].keys() <= versions.keys():
            versions = dependency.current_versions(versions, entry["versions"])
        if entry is not None and dependency.is_current(entry["versions"], versions):
            dependency.uses(*entry["versions"])
            return entry["value"]
        versions = dependency.current_versions(versions)
    except Exception:  # a cache outage must not take the pages down with it
        logger.exception("Versioned cache unavailable")
        dependency.uses(*dependencies)
        return compute()
    collected, token = dependency.collect()
    try:
        value = compute()
    finally:
        dependency.stop_collecting(token)
    used = dependencies | collected.keys | {dependency.EVERYTHING}
    dependency.uses(*used)
    try:
        stored = dependency.versions_after(versions, used)
        if len(_hints) >= HINTS_LIMIT:
            _hints.clear()
        _hints[key] = frozenset(used - dependencies)
        cache.set(key, {"format": FORMAT, "versions": stored, "value": value}, timeout)
    except Exception:
        logger.exception("Versioned cache unavailable")
    return value


def _read(key: str, dependencies: frozenset[str]) -> tuple[dict | None, dict]:
    try:
        entry, versions = dependency.read(key, dependencies)
    except _UNREADABLE:
        # Pickled by older code (a model or class that has changed since): drop it and go on.
        logger.warning("Versioned cache entry %s could not be read; dropped", key, exc_info=True)
        cache.delete(key)
        entry, versions = dependency.read(key, dependencies)
    if not (isinstance(entry, dict) and entry.get("format") == FORMAT and isinstance(entry.get("versions"), dict)):
        entry = None
    return entry, versions
