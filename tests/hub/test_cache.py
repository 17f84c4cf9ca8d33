"""The Redis cache while Redis is away (hub.cache.TolerantRedisCache): misses and no-ops, then back.

A private ``redis-server`` of the test's own, so that stopping it (SIGSTOP: it keeps its data but
answers nothing, as behind a broken network) disturbs nobody else.
"""

import logging
import signal
import time

import pytest

from hub import cache as tolerant
from hub.cache import TolerantRedisCache
from tests.redis_server import PrivateRedis, free_port

DEADLINE = 10


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server.process, server.url
    server.process.send_signal(signal.SIGCONT)
    server.stop()


def _cache(url: str) -> TolerantRedisCache:
    return TolerantRedisCache(url, {"KEY_PREFIX": "test"})


def test_while_redis_is_away_reads_miss_and_writes_do_nothing(caplog):
    cache = _cache(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="hub.cache"):
        assert cache.get("a", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("a") is False
        assert cache.add("a", 1) is False
        assert cache.set("a", 1) is None
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete("a") is False
        cache.delete_many(["a", "b"])
        assert cache.touch("a") is False
        with pytest.raises(ValueError):
            cache.incr("a")
    assert time.monotonic() - started < 2
    # One line for the outage, not one per call.
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == ["The cache is away"]


def test_a_key_written_while_redis_was_away_is_a_miss_when_it_is_back(redis_server, monkeypatch, caplog):
    process, url = redis_server
    # No pause after a failure: the first call after Redis resumes reaches it (the pause is tested above).
    monkeypatch.setattr(tolerant, "RETRY_SECONDS", 0)
    cache = _cache(url)
    cache.set("version", "old")
    cache.set("kept", "still here")
    assert cache.get("version") == "old"

    process.send_signal(signal.SIGSTOP)  # Redis keeps its data but answers nothing
    started = time.monotonic()
    cache.set("version", "new")  # lost: Redis still holds "old"
    assert cache.get("version") is None
    assert time.monotonic() - started < 2 * tolerant.SOCKET_TIMEOUT_SECONDS + 1
    process.send_signal(signal.SIGCONT)

    with caplog.at_level(logging.WARNING, logger="hub.cache"):
        assert cache.get("kept") == "still here", "the cache did not come back"
    # Not the stale value from before the outage: the lost write's key is forgotten.
    assert cache.get("version") is None
    assert any("The cache is back" in record.getMessage() for record in caplog.records)
    cache.set("version", "newer")
    assert cache.get("version") == "newer"


def test_incr_keeps_its_meaning_when_redis_answers(redis_server):
    _process, url = redis_server
    cache = _cache(url)
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("count", 1)
    assert cache.incr("count") == 2
