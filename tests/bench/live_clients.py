"""A load-generator process for the websocket benchmark: many listening sockets, timed receipts.

``python -m tests.bench.live_clients`` reads one JSON line of instructions from stdin
(``{"urls": [...], "deflate": true}``: one URL per socket, each sent with its server's origin) and opens every socket
at once (the burst of a popular thread's readers arriving together), then prints one JSON line
about the connects. Every frame received afterwards is stamped with ``time.monotonic()`` (the
system-wide ``CLOCK_MONOTONIC``, which the benchmark's poster reads too) the moment the
``websockets`` library hands it over, and only its ``seq`` is picked out (a full JSON parse would
add the load generator's own CPU to the latency it measures).

With ``"ordinary": true`` it is instead the client an outsider would write: asyncio's own event
loop (no uvloop), ``websockets.connect`` with the library's defaults (permessage-deflate, pings,
a 10 s open timeout), and every frame parsed with ``json.loads``; the posts then come from this
same thread too (``post`` below), so the sockets, the posts and the receipts share one core.

Then it obeys commands, one JSON line each:

- ``{"wait": SEQ, "timeout": S}``: answer when every open socket has received a frame with a seq
  of at least SEQ, or after S seconds, with how many have not;
- ``{"dump": PATH}``: write every socket's receipts (``[[seq, time, bytes], ...]``) and how it
  ended to PATH as JSON, and answer;
- ``{"post": [{"port": P, "path": "/...", "headers": {...}, "body": "..."}, ...], "interval": S}``:
  POST each body over HTTP/1.1 (a keep-alive connection per port, from this event loop), one every
  S seconds, and answer with ``[[seq, started, ms], ...]`` (``seq`` from the JSON answer);
- ``{"quit": true}``: close every socket and exit.

Answers are JSON lines on stdout. It speaks only to the loopback.
"""

import asyncio
import json
import re
import resource
import sys
import time
from urllib.parse import urlsplit

from websockets.asyncio.client import connect

SEQ = re.compile(r'"seq":\s*(\d+)')
OPEN_TIMEOUT = 120


class Listener:
    __slots__ = ("url", "started", "opened", "error", "frames", "max_seq", "closed", "socket")

    def __init__(self, url: str):
        self.url = url
        self.started = self.opened = 0.0
        self.error = ""
        self.frames: list[tuple[int, float, int]] = []
        self.max_seq = -1
        self.closed = ""
        self.socket = None


async def _listen(listener: Listener, deflate: bool, opened: asyncio.Event, ordinary: bool = False) -> None:
    listener.started = time.monotonic()
    # The page's own origin, as a browser sends it.
    origin = "http://" + urlsplit(listener.url).netloc
    if ordinary:
        # The library's defaults, as a script written against its documentation would connect.
        options = {"compression": "deflate" if deflate else None}
    else:
        options = {
            "compression": "deflate" if deflate else None,
            "open_timeout": OPEN_TIMEOUT,
            "ping_interval": None,
            "max_queue": None,
            "max_size": None,
        }
    try:
        listener.socket = await connect(listener.url, origin=origin, proxy=None, **options)
    except Exception as error:  # every kind of failure is a result here, not a crash
        listener.error = f"{type(error).__name__}: {error}"[:200]
        opened.set()
        return
    listener.opened = time.monotonic()
    opened.set()
    try:
        async for message in listener.socket:
            received = time.monotonic()
            if ordinary:
                seq = json.loads(message).get("seq", -1)
            else:
                match = SEQ.search(message, 0, 200)
                seq = int(match.group(1)) if match else -1
            listener.frames.append((seq, received, len(message)))
            if seq > listener.max_seq:
                listener.max_seq = seq
    except Exception as error:
        listener.closed = f"{type(error).__name__}: {error}"[:200]
        return
    listener.closed = f"closed by the server: {listener.socket.close_code}"


class _HttpPoster:
    """POSTs over HTTP/1.1 keep-alive connections from the running event loop, one per port."""

    def __init__(self):
        self.connections: dict[int, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}

    async def post(self, request: dict) -> tuple[int, float, float]:
        """One POST; returns the ``seq`` of its JSON answer, when it began and how long it took (ms).
        Tried once more on a fresh connection if the server had closed the kept-alive one."""
        for attempt in (1, 2):
            started = time.monotonic()
            try:
                status, body = await self._exchange(request)
            except (ConnectionError, asyncio.IncompleteReadError):
                self._forget(request["port"])
                if attempt == 2:
                    raise
                continue
            if status != 201:
                raise RuntimeError(f"POST {request['path']} answered {status}: {body[:300]!r}")
            return json.loads(body)["seq"], started, 1000 * (time.monotonic() - started)
        raise AssertionError("unreachable")

    async def _exchange(self, request: dict) -> tuple[int, bytes]:
        port = request["port"]
        if port not in self.connections:
            self.connections[port] = await asyncio.open_connection("127.0.0.1", port)
        reader, writer = self.connections[port]
        body = request["body"].encode()
        headers = {
            "Host": f"127.0.0.1:{port}",
            "Content-Length": str(len(body)),
            "Connection": "keep-alive",
            **request["headers"],
        }
        head = f"POST {request['path']} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(head.encode("latin-1") + b"\r\n" + body)
        status_line = await reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "connection" and value.strip().lower() == "close":
                close = True
        data = await reader.readexactly(length)
        if close:
            self._forget(port)
        return status, data

    def _forget(self, port: int) -> None:
        connection = self.connections.pop(port, None)
        if connection is not None:
            connection[1].close()


async def _post_paced(poster: _HttpPoster, requests: list[dict], interval: float) -> list[list[float]]:
    posted = []
    first = time.monotonic()
    for index, request in enumerate(requests):
        delay = first + index * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)  # pacing the posts, one every `interval` seconds
        posted.append(list(await poster.post(request)))
    return posted


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    loop = asyncio.get_running_loop()
    read_line = lambda: loop.run_in_executor(None, sys.stdin.readline)  # noqa: E731

    def answer(data: dict) -> None:
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()

    setup = json.loads(await read_line())
    ordinary = setup.get("ordinary", False)
    poster = _HttpPoster()
    listeners = [Listener(url) for url in setup["urls"]]
    events = [asyncio.Event() for _ in listeners]
    started = time.monotonic()
    tasks = [
        asyncio.create_task(_listen(listener, setup.get("deflate", True), event, ordinary))
        for listener, event in zip(listeners, events, strict=True)
    ]
    await asyncio.gather(*(event.wait() for event in events))
    opened = [listener for listener in listeners if listener.opened]
    errors: dict[str, int] = {}
    for listener in listeners:
        if listener.error:
            errors[listener.error] = errors.get(listener.error, 0) + 1
    connect_seconds = [listener.opened - listener.started for listener in opened]
    answer(
        {
            "started": started,
            "last_opened": max((listener.opened for listener in opened), default=started),
            "opened": len(opened),
            "failed": len(listeners) - len(opened),
            "errors": errors,
            "connect_p50": _percentile(connect_seconds, 0.50),
            "connect_max": max(connect_seconds, default=float("nan")),
            "rlimit_nofile": [soft, hard],
        }
    )

    while True:
        line = await read_line()
        if not line:
            break
        command = json.loads(line)
        if "wait" in command:
            deadline = time.monotonic() + command["timeout"]
            while True:
                behind = [listener for listener in opened if listener.max_seq < command["wait"] and not listener.closed]
                if not behind or time.monotonic() >= deadline:
                    break
                await asyncio.sleep(0.02)  # polling the sockets' progress, not a fixed wait
            answer({"behind": len(behind), "closed": sum(1 for listener in opened if listener.closed)})
        elif "dump" in command:
            data = [
                {"url": listener.url, "error": listener.error, "closed": listener.closed, "frames": listener.frames}
                for listener in listeners
            ]
            with open(command["dump"], "w") as out:
                json.dump(data, out)
            answer({"dumped": command["dump"]})
        elif "post" in command:
            answer({"posted": await _post_paced(poster, command["post"], command["interval"])})
        elif command.get("quit"):
            break
    for listener in opened:
        if listener.socket is not None and not listener.closed:
            listener.socket.close_timeout = 2
    await asyncio.gather(
        *(listener.socket.close() for listener in opened if listener.socket is not None), return_exceptions=True
    )
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    answer({"quit": True})


def main() -> None:
    if "--asyncio" in sys.argv:
        asyncio.run(_main())
        return
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        asyncio.run(_main())
    else:
        uvloop.run(_main())


if __name__ == "__main__":
    main()
