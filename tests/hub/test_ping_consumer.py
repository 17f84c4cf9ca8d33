import json

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from hub.asgi import application

# Channels closes stale connections around every consumer event, so the database must be reachable.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def _exchange(frames: list[str], origin: bytes = b"http://127.0.0.1") -> tuple[bool, list[dict]]:
    """Connect to /ws/ping/, send each frame, and collect one answer per frame."""
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", origin), (b"host", b"127.0.0.1")]
    )
    connected, _ = await communicator.connect()
    answers = []
    if connected:
        for frame in frames:
            await communicator.send_to(text_data=frame)
            answers.append(json.loads(await communicator.receive_from(timeout=5)))
    await communicator.disconnect()
    return connected, answers


def test_ping_gets_pong():
    connected, answers = async_to_sync(_exchange)([json.dumps({"type": "ping", "echo": 7})])

    assert connected
    assert answers == [{"type": "pong", "authenticated": False, "echo": 7}]


def test_malformed_frames_get_an_error_frame_and_the_socket_keeps_serving():
    connected, answers = async_to_sync(_exchange)(["not json", json.dumps([1, 2]), json.dumps({"type": "ping"})])

    assert connected
    assert [answer["type"] for answer in answers] == ["error", "error", "pong"]


def test_a_cross_origin_handshake_is_refused():
    connected, answers = async_to_sync(_exchange)([], origin=b"https://evil.example")

    assert not connected
