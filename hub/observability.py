"""Request ids, the application's access log and the request metrics, for HTTP and websockets.

``RequestIdMiddleware`` is first in ``MIDDLEWARE``: it takes the proxy's ``X-Request-ID`` when it is
well formed (``hub.logs.well_formed_request_id``) or makes one, puts it in the context for every log
record of the request (``hub.logs.request_id``), sends it back as ``X-Request-ID``, counts the
request in ``hub.metrics`` and, with ``ACCESS_LOG`` on, writes one line to the ``dugnad.access``
logger (method, path without the query string, status, duration, the user's id if logged in).
Production runs uvicorn with ``--no-access-log``: this is the access log, with the request id.
Under ASGI, ``RequestIdASGI`` (around Django in ``hub/asgi.py``) chooses the id first, so that what
Django logs after the middleware has returned (its "Not Found" warnings) carries it too.

``WebsocketObservability`` does the same for websockets at the ASGI level: the id (from the
handshake's ``X-Request-ID`` or new) is in the context of everything the consumer does, and the
socket is counted open from its handshake until its consumer ends.
"""

import logging
import time

from django.conf import settings
from django.urls import Resolver404, resolve

from hub import logs, metrics

access_logger = logging.getLogger("dugnad.access")

HEADER = "X-Request-ID"
_HEADER_META = "HTTP_X_REQUEST_ID"


def _route(request) -> str:
    """The URL pattern that served the request (never the path itself: label values stay few).

    Pages answered by the page cache were never resolved; they are resolved here so that a hit and
    a miss of one page count under the same route."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return metrics.UNMATCHED
    return match.route or match.view_name or metrics.UNMATCHED


def _user_id(request):
    # Only a user the request already loaded: asking now could cost a session and a user query.
    user = request.__dict__.get("_cached_user")
    return user.pk if user is not None and user.is_authenticated else None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Under ASGI, RequestIdASGI has chosen the id already (Django logs a 4xx after the
        # middleware has returned); under WSGI and the test client, this is where it is chosen.
        request_id = logs.request_id.get()
        if request_id is None:
            given = request.META.get(_HEADER_META)
            request_id = given if logs.well_formed_request_id(given) else logs.new_request_id()
        request.request_id = request_id
        token = logs.request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            self._record(request, response.status_code, time.perf_counter() - started, response)
            return response
        finally:
            logs.request_id.reset(token)

    def _record(self, request, status: int, seconds: float, response) -> None:
        method = request.method if request.method in metrics.KNOWN_METHODS else "other"
        metrics.REQUESTS.labels(method, _route(request), str(status)).inc()
        metrics.LATENCY.labels(method).observe(seconds)
        cached = response.get("X-Dugnad-Cache")
        if cached in ("hit", "miss"):
            metrics.PAGE_CACHE.labels(cached).inc()
        if settings.ACCESS_LOG:
            duration_ms = round(1000 * seconds, 1)
            access_logger.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                status,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )


def _id_from_scope(scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = value.decode("latin-1")
            return given if logs.well_formed_request_id(given) else logs.new_request_id()
    return logs.new_request_id()


class RequestIdASGI:
    """ASGI middleware for the HTTP side: the request id in the context of all the request's work,
    Django's own logging after the middleware included, and on every response (a 413 that never
    reached Django too)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = _id_from_scope(scope)
        header = (b"x-request-id", request_id.encode())
        token = logs.request_id.set(request_id)

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if not any(name.lower() == b"x-request-id" for name, _value in headers):
                    message = {**message, "headers": [*headers, header]}
            await send(message)

        try:
            return await self.app(scope, receive, send_with_id)
        finally:
            logs.request_id.reset(token)


def _websocket_route(path: str, prefixes: tuple[str, ...]) -> str:
    """``/ws/threads/42/`` → ``ws/threads/``: the kind of socket, not which thread (and never a
    made-up path, so a client cannot invent label values)."""
    path = path.lstrip("/")
    for prefix in prefixes:
        if path.startswith(prefix):
            return prefix
    return metrics.UNMATCHED


class WebsocketObservability:
    """ASGI middleware for the websocket side: a request id in the context, the socket counted."""

    def __init__(self, app, *, routes: list[str]):
        """``routes``: the websocket URL patterns (``ws/threads/<int:thread_id>/``); each is counted
        under its part before the first converter, longest first."""
        self.app = app
        self.prefixes = tuple(sorted({route.split("<", 1)[0] for route in routes}, key=len, reverse=True))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        token = logs.request_id.set(_id_from_scope(scope))
        route = _websocket_route(scope.get("path", ""), self.prefixes)
        gauge = metrics.OPEN_WEBSOCKETS.labels(route)
        # Counted from the handshake to the consumer's end, not from its accept: wrapping ``send``
        # would cost every frame of the fanout a call (a refused socket ends within milliseconds).
        metrics.WEBSOCKETS.labels(route).inc()
        gauge.inc()
        try:
            return await self.app(scope, receive, send)
        finally:
            gauge.dec()
            logs.request_id.reset(token)
