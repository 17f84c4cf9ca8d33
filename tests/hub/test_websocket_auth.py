"""A websocket handshake without a session cookie is anonymous at once; with one, the user is resolved."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from hub.asgi import application

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def _pong(cookie: str = "") -> dict:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    answer = json.loads(await communicator.receive_from(timeout=5))
    await communicator.disconnect()
    return answer


def _session_cookie() -> str:
    user = get_user_model().objects.create_user("kari@example.org", password="x" * 20)
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_a_logged_in_session_is_resolved_to_its_user():
    cookie = _session_cookie()

    assert async_to_sync(_pong)(cookie)["authenticated"] is True


def test_no_session_cookie_is_anonymous_without_a_database_hop(monkeypatch):
    hops = []
    original = database_sync_to_async.__call__

    def counting(self, *args, **kwargs):
        hops.append(getattr(self.func, "__name__", "?"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(database_sync_to_async, "__call__", counting)

    answer = async_to_sync(_pong)("django_language=nn")

    assert answer["authenticated"] is False
    assert "get_user" not in hops
