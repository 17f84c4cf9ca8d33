"""Waiting for state that changes elsewhere: in this process's threads, or in another process.

``poll_until`` checks a condition and, while it is false, waits on one shared
``threading.Condition``. Code in the test process that moves the state a test waits for (a live
client applying a frame, a poster getting an answer) calls ``state_changed()``, so the wait ends
the moment that happens. Another process's state (a server healthy, a port refusing, a row written
by a worker) sends no event: there the wait ends after ``interval`` at the latest and the condition
asks the process again. Where a test can be told directly (a pipe, a socket), block on that instead.
"""

import threading
import time

import pytest

INTERVAL_SECONDS = 0.05

_changed = threading.Condition()
# Counts state_changed() calls, so that a change made while a condition is being checked is not
# missed by the wait that follows.
_changes = 0


def state_changed() -> None:
    """Wake every ``poll_until`` to check its condition now."""
    global _changes
    with _changed:
        _changes += 1
        _changed.notify_all()


def poll_until(condition, seconds: float, message, interval: float = INTERVAL_SECONDS):
    """``condition()``'s first true value, checked whenever ``state_changed()`` is called and at least
    every ``interval``, for at most ``seconds``; else the test fails with ``message`` (a string, or a
    function making one from the state at the end). An ``OSError`` (nothing listens yet, a
    connection reset) counts as "not yet"."""
    deadline = time.monotonic() + seconds
    while True:
        with _changed:
            seen = _changes
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(message() if callable(message) else message)
        with _changed:
            _changed.wait_for(lambda: _changes != seen, min(interval, remaining))  # noqa: B023
