"""A cap on open websockets per client, so that one browser or one address cannot exhaust a server.

Counted per server process (each process holds its own sockets): an address may hold
``WEBSOCKET_MAX_PER_ADDRESS`` and a session ``WEBSOCKET_MAX_PER_SESSION`` open sockets in each
process. One more is accepted and closed at once with code 4429 ("too many connections"), which
the browser sees (a refusal before accepting would reach it only as a failed handshake). 0 turns a
cap off.
"""

from collections import Counter
from http.cookies import SimpleCookie

from django.conf import settings

TOO_MANY_CONNECTIONS = 4429


def _session_key(scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            cookie = SimpleCookie()
            cookie.load(value.decode("latin-1"))
            morsel = cookie.get(settings.SESSION_COOKIE_NAME)
            return morsel.value if morsel else ""
    return ""


class WebsocketConnectionCap:
    """ASGI middleware for the websocket side of the application."""

    def __init__(self, app):
        self.app = app
        self.open = Counter()

    def _keys(self, scope) -> list[tuple[str, int]]:
        keys = []
        client = scope.get("client")
        if client and settings.WEBSOCKET_MAX_PER_ADDRESS:
            keys.append((f"address:{client[0]}", settings.WEBSOCKET_MAX_PER_ADDRESS))
        session = _session_key(scope)
        if session and settings.WEBSOCKET_MAX_PER_SESSION:
            keys.append((f"session:{session}", settings.WEBSOCKET_MAX_PER_SESSION))
        return keys

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        keys = self._keys(scope)
        if any(self.open[key] >= cap for key, cap in keys):
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": TOO_MANY_CONNECTIONS, "reason": "too many connections"})
            return None
        for key, _cap in keys:
            self.open[key] += 1
        try:
            return await self.app(scope, receive, send)
        finally:
            for key, _cap in keys:
                self.open[key] -= 1
                if self.open[key] <= 0:
                    del self.open[key]
