"""The shared cache on Redis, degraded to a miss while Redis is away instead of failing requests.

Everything Dugnad keeps in the cache can be computed again (pages, fragments, counts) or is a limit
that may fail open for a few seconds (rate limits). So while Redis cannot be reached, a read is a
miss, a write is a no-op, and the request carries on from the database: posting a comment, for one,
must not fail because Redis restarts (docs/live-protocol.md, "Faults").

- After a failure the cache does not ask Redis again for ``RETRY_SECONDS``: during an outage a
  process pays for one failed connection per second, not one per cache call.
- The first failure of an outage and the recovery are logged once each, not every call.
- A key whose write or deletion was lost might still hold an older value in Redis (a network
  outage rather than a restart): once Redis answers again those keys are deleted, so they are
  misses rather than stale. The dependency versions (``cms.dependency``) are such keys: every page
  cached before the outage is then out of date, as it must be.
"""

import logging
import threading
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long the cache leaves Redis alone after a failure.
RETRY_SECONDS = 1.0
# How long a connection attempt or a command may take before it counts as a failure.
SOCKET_TIMEOUT_SECONDS = 0.5
# Lost writes remembered for deletion on recovery; beyond this many the outage is only logged.
LOST_KEYS_LIMIT = 10_000

_MISSING = object()


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, that treats Redis errors as misses (reads) and no-ops (writes)."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        params["OPTIONS"].setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        params["OPTIONS"].setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._away_until = 0.0
        self._away = False
        self._lost_keys: set[str] = set()

    # --- The outage's bookkeeping ------------------------------------------------------------------

    def _call(self, operation: str, call, *, default, lost_keys=()):
        """``call()``, or ``default`` if Redis is away (now, or failed less than RETRY_SECONDS ago).
        ``lost_keys``: the (already made) keys a failed write leaves possibly stale."""
        if self._away and time.monotonic() < self._away_until:
            self._remember_lost(lost_keys)
            return default
        try:
            result = call()
        except RedisError as error:
            with self._lock:
                first = not self._away
                self._away = True
                self._away_until = time.monotonic() + RETRY_SECONDS
            if first:
                logger.warning("The cache is away (%s failed: %s); serving without it", operation, error)
            self._remember_lost(lost_keys)
            return default
        if self._away:
            self._recovered()
        return result

    def _remember_lost(self, keys) -> None:
        if not keys:
            return
        with self._lock:
            room = LOST_KEYS_LIMIT - len(self._lost_keys)
            if room < len(keys):
                logger.warning("The cache lost more than %s writes while away; some may be stale", LOST_KEYS_LIMIT)
            self._lost_keys.update(list(keys)[: max(room, 0)])

    def _recovered(self) -> None:
        with self._lock:
            if not self._away:
                return
            self._away = False
            lost, self._lost_keys = self._lost_keys, set()
        logger.warning("The cache is back; forgetting %s keys written while it was away", len(lost))
        if lost:
            try:
                self._cache.delete_many(list(lost))
            except RedisError:
                logger.exception("Could not forget the keys written while the cache was away")

    def _keys(self, keys, version) -> list[str]:
        return [self.make_and_validate_key(key, version=version) for key in keys]

    # --- Django's cache API, each call through _call ---------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", partial(super().add, key, value, timeout, version), default=False)

    def get(self, key, default=None, version=None):
        return self._call("get", partial(super().get, key, default, version), default=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        lost = self._keys([key], version)
        self._call("set", partial(super().set, key, value, timeout, version), default=None, lost_keys=lost)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", partial(super().touch, key, timeout, version), default=False)

    def delete(self, key, version=None):
        lost = self._keys([key], version)
        return self._call("delete", partial(super().delete, key, version), default=False, lost_keys=lost)

    def get_many(self, keys, version=None):
        return self._call("get_many", partial(super().get_many, keys, version), default={})

    def has_key(self, key, version=None):
        return self._call("has_key", partial(super().has_key, key, version), default=False)

    def incr(self, key, delta=1, version=None):
        lost = self._keys([key], version)
        result = self._call("incr", partial(super().incr, key, delta, version), default=_MISSING, lost_keys=lost)
        if result is _MISSING:
            # As for a key that is not there: callers start the count afresh (cms.rate_limits).
            raise ValueError(f"Key '{key}' not found (the cache is away).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        lost = self._keys(data, version)
        failed = self._call(
            "set_many", partial(super().set_many, data, timeout, version), default=list(data), lost_keys=lost
        )
        return failed

    def delete_many(self, keys, version=None):
        lost = self._keys(keys, version)
        self._call("delete_many", partial(super().delete_many, keys, version), default=None, lost_keys=lost)

    def clear(self):
        return self._call("clear", super().clear, default=False)
