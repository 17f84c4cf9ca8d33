"""One session or one address may hold only so many open websockets per server process."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from hub.asgi import application
from hub.websocket_limits import TOO_MANY_CONNECTIONS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _communicator(*, address: str, session: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if session:
        headers.append((b"cookie", f"sessionid={session}; django_language=nn".encode()))
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
    communicator.scope["client"] = (address, 50000)
    return communicator


async def _open_then_one_more(communicators: list[WebsocketCommunicator], extra: WebsocketCommunicator):
    """Connect all of ``communicators``, then ``extra``; then close one and try a fresh socket."""
    results = [await communicator.connect() for communicator in communicators]
    accepted = await extra.connect()
    closed = await extra.receive_output(timeout=2)
    await communicators[0].disconnect()
    return results, accepted, closed


def _run(settings, *, per_address: int, per_session: int, first, extra, fresh):
    settings.WEBSOCKET_MAX_PER_ADDRESS = per_address
    settings.WEBSOCKET_MAX_PER_SESSION = per_session

    async def scenario():
        results, accepted, closed = await _open_then_one_more(first, extra)
        again = await fresh.connect()
        for communicator in [*first[1:], fresh]:
            await communicator.disconnect()
        return results, accepted, closed, again

    return async_to_sync(scenario)()


def test_one_session_past_its_cap_is_closed_with_a_clear_code(settings):
    first = [_communicator(address=f"192.0.2.{n}", session="abc") for n in range(2)]
    results, accepted, closed, again = _run(
        settings,
        per_address=100,
        per_session=2,
        first=first,
        extra=_communicator(address="192.0.2.9", session="abc"),
        fresh=_communicator(address="192.0.2.10", session="abc"),
    )

    assert all(connected for connected, _ in results)
    assert accepted[0] is True, "accepted, so that the browser sees the close code"
    assert (closed["type"], closed["code"]) == ("websocket.close", TOO_MANY_CONNECTIONS)
    assert again[0] is True, "a socket that closed makes room"


def test_one_address_past_its_cap_is_closed_whatever_the_session(settings):
    first = [_communicator(address="198.51.100.4", session=f"s{n}") for n in range(3)]
    _results, _accepted, closed, again = _run(
        settings,
        per_address=3,
        per_session=20,
        first=first,
        extra=_communicator(address="198.51.100.4"),
        fresh=_communicator(address="198.51.100.5"),
    )

    assert closed["code"] == TOO_MANY_CONNECTIONS
    assert again[0] is True
