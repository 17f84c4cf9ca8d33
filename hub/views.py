"""Views that belong to the installation rather than to a domain app."""

import logging
import sys

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import escape_leading_slashes
from django.views import defaults

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
    headers = {"Cache-Control": "no-store"}
    if not healthy:
        headers["Retry-After"] = str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    return JsonResponse(body, status=200 if healthy else 503, headers=headers)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the real icon."""
    return redirect(static("img/favicon.svg"))


# --- The database is away --------------------------------------------------------------------------

# What a database that is restarting, unreachable or refusing connections raises (Django's wrappers
# of the driver's errors); anything else is a bug and stays a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
API_PREFIX = "/api/"


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from, says the database cannot be reached."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request) -> HttpResponse:
    """503 with ``Retry-After``: JSON under /api/, else a page in the reader's language that needs
    nothing from the database (no site settings, menus or user: the request may have failed
    before any middleware loaded them)."""
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER
    headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store"}
    if request.path.startswith(API_PREFIX):
        body = {
            "error": {
                "code": "unavailable",
                "message": f"The service is briefly unavailable: try again in {retry_after} seconds",
                "details": [],
            }
        }
        return JsonResponse(body, status=503, headers=headers)
    with translation.override(translation.get_language_from_request(request)):
        # "//host/…" would link to another site: the page's own address, leading slashes escaped.
        path = escape_leading_slashes(request.get_full_path())
        html = render_to_string("503.html", {"retry_after": retry_after, "path": path})
    return HttpResponse(html, status=503, headers=headers)


def server_error(request):
    """``handler500``: a database that does not answer is a 503 the reader may retry (it recovers
    by itself: each request opens or health-checks its connection); any other error is Django's 500."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request)
