"""Bodies over REQUEST_MAX_BYTES are refused before the application reads them."""

import asyncio

import pytest
from asgiref.sync import async_to_sync

from hub.asgi import application
from hub.request_limits import RequestBodyLimit


def _run(app, *, headers, chunks):
    """Call an ASGI app with the body in ``chunks``; return what it sent and how much was read."""
    sent = []
    pending = list(chunks)
    read = {"bytes": 0}

    async def receive():
        if not pending:
            await asyncio.Future()  # the client stays connected until the response is sent
        chunk = pending.pop(0)
        read["bytes"] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/accounts/login/",
        "raw_path": b"/accounts/login/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    async_to_sync(app)(scope, receive, send)
    return sent, read["bytes"]


def _status(sent):
    return next(message["status"] for message in sent if message["type"] == "http.response.start")


def test_a_declared_length_over_the_limit_is_refused_without_reading(settings):
    settings.REQUEST_MAX_BYTES = 1000
    sent, read = _run(application, headers=[(b"content-length", b"5000")], chunks=[b"x" * 1000] * 5)

    assert _status(sent) == 413
    assert read == 0


def test_a_chunked_body_stops_being_read_at_the_limit():
    calls = []

    async def inner(scope, receive, send):
        while True:
            message = await receive()
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                break
        calls.append(message["type"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    sent, read = _run(RequestBodyLimit(inner, max_bytes=2500), headers=[], chunks=[b"x" * 1000] * 10)

    assert _status(sent) == 413
    assert read == 3000, "reading stops at the first chunk past the limit"
    assert calls == ["http.disconnect"], "the application is told the client went away"
    assert len([m for m in sent if m["type"] == "http.response.start"]) == 1, "the application's answer is dropped"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_body_within_the_limit_reaches_django(settings):
    settings.REQUEST_MAX_BYTES = 10_000
    sent, read = _run(
        application,
        headers=[(b"content-length", b"9"), (b"content-type", b"application/x-www-form-urlencoded")],
        chunks=[b"login=abc"],
    )

    assert _status(sent) == 403, "Django ran (and refused the POST for its missing CSRF token)"
    assert read == 9
