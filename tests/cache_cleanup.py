"""Empty what one test run keeps in the cache, and nothing else: the Redis database may be shared
(another session's tests, a developer's server), so ``cache.clear()``, which flushes the whole
database, is never used on Redis."""

import re

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy

SCAN_BATCH = 1000


def _glob_escaped(text: str) -> str:
    return re.sub(r"([\\*?\[\]])", r"\\\1", text)


def key_patterns(cache_prefix: str, channel_prefix: str | None) -> list[str]:
    """``SCAN`` patterns of the keys under the cache's key prefix and the channel layer's prefix."""
    prefixes = {f"{cache_prefix}:"} if cache_prefix else set()
    if channel_prefix:
        prefixes.add(channel_prefix)
    return sorted(_glob_escaped(prefix) + "*" for prefix in prefixes)


def run_key_patterns() -> list[str]:
    """The patterns of this run's keys (``CACHE_KEY_PREFIX`` is per test worker, hub/settings/test.py)."""
    layer_prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix")
    return key_patterns(settings.CACHES["default"].get("KEY_PREFIX", ""), layer_prefix)


def delete_run_keys(cache, patterns: list[str]) -> int:
    """Delete the keys matching ``patterns`` (``SCAN`` + ``UNLINK``) from a Redis cache, or clear a
    cache that is the run's own (local memory, files); the number of Redis keys deleted."""
    if isinstance(cache, ConnectionProxy):  # ``django.core.cache.cache`` stands for the real backend
        cache = cache._connections[cache._alias]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return 0
    if not patterns:
        raise ValueError("A Redis cache without a key prefix cannot be emptied for one run only.")
    client = cache._cache.get_client(write=True)
    deleted = 0
    for pattern in patterns:
        batch = []
        for key in client.scan_iter(match=pattern, count=SCAN_BATCH):
            batch.append(key)
            if len(batch) >= SCAN_BATCH:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
    return deleted
