"""Views that belong to the installation rather than to a domain app."""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static

logger = logging.getLogger(__name__)

CHANNEL_LAYER_TIMEOUT_SECONDS = 2.0


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database did not answer")
        return False


async def _channel_layer_answers() -> bool:
    """Send a message to a fresh channel of our own and read it back."""
    layer = get_channel_layer()
    try:
        channel = await layer.new_channel()
        await asyncio.wait_for(layer.send(channel, {"type": "health.ping"}), CHANNEL_LAYER_TIMEOUT_SECONDS)
        message = await asyncio.wait_for(layer.receive(channel), CHANNEL_LAYER_TIMEOUT_SECONDS)
        return message.get("type") == "health.ping"
    except Exception:
        logger.exception("Health check: the channel layer did not answer")
        return False


async def healthz(request):
    """200 with JSON when the database and the channel layer answer; 503 naming what failed."""
    checks = {
        "database": await sync_to_async(_database_answers, thread_sensitive=True)(),
        "channel_layer": await _channel_layer_answers(),
    }
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: "ok" if passed else "failing" for name, passed in checks.items()},
        "failing": [name for name, passed in checks.items() if not passed],
    }
    return JsonResponse(body, status=200 if healthy else 503, headers={"Cache-Control": "no-store"})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the real icon."""
    return redirect(static("img/favicon.svg"))
