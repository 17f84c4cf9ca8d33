"""Views that belong to the installation rather than to a domain app."""

import logging

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static

from discussions.fanout import RoomUnavailable, fanout_for_running_loop

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
    """Send a message through the layer to the process's live fanout and hear it come back: the
    layer takes messages and the process still receives them (after Redis restarts, only once its
    subscription is back). The fanout's one channel serves every check: no subscription per request."""
    try:
        answered = await fanout_for_running_loop().layer_answers(CHANNEL_LAYER_TIMEOUT_SECONDS)
    except RoomUnavailable:
        answered = False
    if not answered:
        logger.warning("Health check: the channel layer did not answer")
    return answered


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
