"""Refuse request bodies over ``REQUEST_MAX_BYTES`` before the application reads them.

Django's ASGI handler reads a whole body into a temporary file before any middleware or upload
handler runs, so a limit inside Django comes too late to protect the disk and the worker. This
ASGI wrapper answers 413 at once when ``Content-Length`` is too large, and for bodies sent without
a length (chunked) it counts as they arrive and stops at the limit: the client gets 413 and Django
sees a disconnect, which it handles quietly. A reverse proxy should carry the same limit
(``client_max_body_size`` in nginx) so that most oversized bodies never reach the application.
"""

from django.conf import settings

BODY = (
    b"Request body too large. Files may be at most %d MB; "
    b"Forespurnaden er for stor. Filer kan vere p\xc3\xa5 h\xc3\xb8gst %d MB."
)


def _declared_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send, max_bytes: int) -> None:
    megabytes = max(1, max_bytes // (1024 * 1024))
    body = BODY % (megabytes, megabytes)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestBodyLimit:
    """ASGI middleware for the HTTP side of the application."""

    def __init__(self, app, max_bytes: int | None = None):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        max_bytes = self.max_bytes if self.max_bytes is not None else settings.REQUEST_MAX_BYTES
        if scope["type"] != "http" or not max_bytes:
            return await self.app(scope, receive, send)
        declared = _declared_length(scope)
        if declared is not None and declared > max_bytes:
            return await _refuse(send, max_bytes)

        received = 0
        refused = False

        async def counting_receive():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    refused = True
                    await _refuse(send, max_bytes)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:
                await send(message)

        return await self.app(scope, counting_receive, guarded_send)
