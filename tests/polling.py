"""Waiting for another process's state, which sends no event to wait on.

Tests that start real servers (uvicorn, nginx, a worker) can only learn that one is healthy, has
stopped taking connections or has written a row by asking it again. ``poll_until`` is that one loop,
with its deadline; the short pause between questions is the polling interval, not a wait for time
to pass. Where the test itself can be told (a pipe, a socket, a condition), block on that instead.
"""

import time

import pytest

INTERVAL_SECONDS = 0.05


def poll_until(condition, seconds: float, message, interval: float = INTERVAL_SECONDS):
    """``condition()``'s first true value, asked every ``interval`` for at most ``seconds``; else the
    test fails with ``message`` (a string, or a function making one from the state at the end).
    An ``OSError`` (nothing listens yet, a connection reset) counts as "not yet"."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(message() if callable(message) else message)
        time.sleep(interval)
