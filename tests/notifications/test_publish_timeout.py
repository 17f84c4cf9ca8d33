"""Ringing inboxes through a channel layer that takes the connection and never answers gives up
after ``SEND_TIMEOUT_SECONDS``: the request or task that made the change is not held up."""

import logging
import socket
import time

from notifications import live


def test_inbox_changes_to_a_redis_that_never_answers_give_up_after_the_timeout(settings, caplog):
    silent = socket.socket()  # the kernel accepts the connection into the backlog; nobody answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{silent.getsockname()[1]}/0"]},
        }
    }
    started = time.monotonic()
    try:
        with caplog.at_level(logging.ERROR, logger="notifications.live"):
            live.publish_inbox_changes([(1, 5), (2, 7)])
    finally:
        silent.close()
    assert time.monotonic() - started < live.SEND_TIMEOUT_SECONDS + 2
    assert any("Could not publish inbox changes to 2 of 2 people" in r.getMessage() for r in caplog.records)
