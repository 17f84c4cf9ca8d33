"""Driving the thread websocket (``ws/threads/<id>/``) in tests with Channels' communicator.

Tests call these from one ``async def`` run with ``async_to_sync``; services are called through
``database_sync_to_async`` inside it, so their on-commit publish reaches the same event loop.
"""

import json

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from hub.asgi import application as site_application

ORIGIN = b"http://127.0.0.1"
TIMEOUT = 5


def session_cookie(user) -> str:
    """A logged-in session for ``user`` (saved in the database), as the cookie's value."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def thread_socket(
    thread_id: int,
    *,
    after: int | str | None = None,
    session: str | None = None,
    language: str | None = "en",
    origin: bytes = ORIGIN,
    application=site_application,
) -> WebsocketCommunicator:
    path = f"/ws/threads/{thread_id}/"
    if after is not None:
        path += f"?after={after}"
    cookies = []
    if session:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    if language:
        cookies.append(f"{settings.LANGUAGE_COOKIE_NAME}={language}")
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if cookies:
        headers.append((b"cookie", "; ".join(cookies).encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def open_socket(thread_id: int, **options) -> WebsocketCommunicator:
    """A connected socket that has caught up and gone live (it answered a ping)."""
    communicator = thread_socket(thread_id, **options)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def receive(communicator: WebsocketCommunicator) -> dict:
    return json.loads(await communicator.receive_from(timeout=TIMEOUT))


async def frames_until_pong(communicator: WebsocketCommunicator) -> list[dict]:
    """Send a ping and return every frame that came before the pong: a socket's frames are written
    in order, so this is everything the server had sent when it read the ping."""
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    frames = []
    while True:
        frame = await receive(communicator)
        if frame == {"type": "pong"}:
            return frames
        frames.append(frame)


async def refusal(communicator: WebsocketCommunicator) -> tuple[dict, int]:
    """The error frame and the close code of a socket the server refused after accepting it."""
    frame = await receive(communicator)
    closing = await communicator.receive_output(timeout=TIMEOUT)
    assert closing["type"] == "websocket.close", closing
    return frame, closing.get("code")
