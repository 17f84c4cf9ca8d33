"""Between tests only this run's keys are deleted: a shared Redis database keeps everyone else's."""

import pytest
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy

from tests.cache_cleanup import delete_run_keys, key_patterns, run_key_patterns
from tests.redis_server import PrivateRedis


@pytest.fixture
def redis_url(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server.url
    server.stop()


def test_only_keys_under_the_runs_prefixes_are_deleted(redis_url):
    ours = RedisCache(redis_url, {"KEY_PREFIX": "run-a*[x]"})
    theirs = RedisCache(redis_url, {"KEY_PREFIX": "run-b"})
    raw = ours._cache.get_client(write=True)
    for number in range(1500):  # more than one SCAN batch
        ours.set(f"page:{number}", number)
    raw.set("run-a*[x]:channels:group:thread-1", "1")
    theirs.set("page:1", "kept")
    raw.set("run-ab:1:page:1", "kept")  # a prefix that only starts like ours
    raw.set("unprefixed", "kept")

    # Given as ``django.core.cache.cache`` is: a proxy, which must not fall back to clear() (FLUSHDB).
    proxy = ConnectionProxy({"default": ours}, "default")
    deleted = delete_run_keys(proxy, key_patterns("run-a*[x]", "run-a*[x]:channels"))

    assert deleted == 1501
    assert ours.get("page:1") is None and ours.get("page:1499") is None
    assert raw.get("run-a*[x]:channels:group:thread-1") is None
    assert theirs.get("page:1") == "kept"
    assert raw.get("run-ab:1:page:1") == b"kept"
    assert raw.get("unprefixed") == b"kept"


def test_the_runs_patterns_are_its_cache_and_channel_prefixes(settings):
    settings.CHANNEL_LAYERS = {"default": {"CONFIG": {"prefix": "dugnad-gw1:channels"}}}
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")

    patterns = run_key_patterns()

    assert "dugnad-gw1:channels*" in patterns
    assert (f"{prefix}:*" in patterns) == bool(prefix)
