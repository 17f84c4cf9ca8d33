"""poll_until wakes on state_changed() rather than at its next interval."""

import threading
import time

import pytest

from tests.polling import poll_until, state_changed


def test_a_change_in_another_thread_ends_the_wait_at_once():
    done = threading.Event()
    started = []

    def finished() -> bool:
        seen = done.is_set()
        if not started:
            # The change happens after the first check has read the state and before it returns:
            # the wait that follows must end at once, not at the next interval.
            started.append(threading.Thread(target=lambda: (done.set(), state_changed())))
            started[0].start()
            started[0].join()
        return seen

    began = time.monotonic()
    assert poll_until(finished, seconds=60, message="never changed", interval=60)
    assert time.monotonic() - began < 30, "woken by the change, not by the 60 s interval"


def test_the_deadline_fails_the_test_with_the_state_at_the_end():
    with pytest.raises(pytest.fail.Exception, match="still 0"):
        poll_until(lambda: False, seconds=0.2, message=lambda: "still 0", interval=0.05)
