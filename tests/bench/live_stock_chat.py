"""A minimal stock Channels chat, the yardstick for Dugnad's websocket delivery (``--live``).

Written the way the Channels tutorial writes a chat room: one ``AsyncWebsocketConsumer`` per
socket, ``group_add`` on connect, and one ``group_send`` per message, which the channel layer
hands to every consumer in the group, each of which encodes the message and sends it. The
websocket stack is the tutorial's (``AllowedHostsOriginValidator(AuthMiddlewareStack(...))``) and
the channel layer is the one Dugnad uses with Redis (``RedisPubSubChannelLayer``).

Messages come in over HTTP (``POST /send/`` with the JSON ``{"seq": n, "message": "..."}``, what
a tutorial client would send over its own socket), so that the benchmark posts to both servers
the same way. It needs no database. Served by uvicorn as
``tests.bench.live_stock_chat:application``, with ``REDIS_URL`` and ``CACHE_KEY_PREFIX`` set.
"""

import json
import os

import django
from django.conf import settings

GROUP = "bench-chat"

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("SECRET_KEY") or "stock-chat-" + "x" * 50,
        ALLOWED_HOSTS=["127.0.0.1"],
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "channels",
        ],
        # No database: sockets come without a session cookie, so the auth middleware finds
        # an anonymous user without a query, as it would for the tutorial's visitors.
        DATABASES={},
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {
                    "hosts": [os.environ["REDIS_URL"]],
                    "prefix": f"{os.environ.get('CACHE_KEY_PREFIX', 'dugnad-bench')}:stock",
                },
            }
        },
        USE_TZ=True,
    )
    django.setup()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402


class ChatConsumer(AsyncWebsocketConsumer):
    """The tutorial's room consumer, for one room."""

    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, close_code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        data = json.loads(text_data)
        await self.channel_layer.group_send(
            GROUP, {"type": "chat.message", "seq": data["seq"], "message": data["message"]}
        )

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"seq": event["seq"], "message": event["message"]}))


async def http(scope, receive, send):
    """``POST /send/`` publishes one message to the room; ``GET /healthz`` answers ok."""
    body = b""
    while True:
        event = await receive()
        body += event.get("body", b"")
        if not event.get("more_body"):
            break
    status, answer = 404, {"error": "not found"}
    if scope["path"] == "/healthz":
        status, answer = 200, {"ok": True}
    elif scope["path"] == "/send/" and scope["method"] == "POST":
        data = json.loads(body)
        message = {"type": "chat.message", "seq": data["seq"], "message": data["message"]}
        await get_channel_layer().group_send(GROUP, message)
        status, answer = 201, {"seq": data["seq"]}
    payload = json.dumps(answer).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


application = ProtocolTypeRouter(
    {
        "http": http,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([path("ws/chat/", ChatConsumer.as_asgi())]))
        ),
    }
)
