"""A trivial websocket consumer that proves the path from browser to server and back."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer


class PingConsumer(AsyncWebsocketConsumer):
    """Answers every ``{"type": "ping"}`` frame with ``{"type": "pong"}``; anything else gets an error frame."""

    async def connect(self):
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        try:
            frame = json.loads(text_data or "")
        except json.JSONDecodeError:
            frame = None
        if not isinstance(frame, dict) or frame.get("type") != "ping":
            await self.send(json.dumps({"type": "error", "error": "expected a JSON object with type 'ping'"}))
            return
        user = self.scope.get("user")
        await self.send(
            json.dumps(
                {"type": "pong", "authenticated": bool(user and user.is_authenticated), "echo": frame.get("echo")}
            )
        )
