"""A load-generator process for the websocket benchmark: many listening sockets, timed receipts.

``python -m tests.bench.live_clients`` reads one JSON line of instructions from stdin
(``{"urls": [...], "deflate": true}``: one URL per socket, each sent with its server's origin) and opens every socket
at once (the burst of a popular thread's readers arriving together), then prints one JSON line
about the connects. Every frame received afterwards is stamped with ``time.monotonic()`` (the
system-wide ``CLOCK_MONOTONIC``, which the benchmark's poster reads too) the moment the
``websockets`` library hands it over, and only its ``seq`` is picked out (a full JSON parse would
add the load generator's own CPU to the latency it measures).

Then it obeys commands, one JSON line each:

- ``{"wait": SEQ, "timeout": S}``: answer when every open socket has received a frame with a seq
  of at least SEQ, or after S seconds, with how many have not;
- ``{"dump": PATH}``: write every socket's receipts (``[[seq, time, bytes], ...]``) and how it
  ended to PATH as JSON, and answer;
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


async def _listen(listener: Listener, deflate: bool, opened: asyncio.Event) -> None:
    listener.started = time.monotonic()
    try:
        listener.socket = await connect(
            listener.url,
            # The page's own origin, as a browser sends it.
            origin="http://" + urlsplit(listener.url).netloc,
            compression="deflate" if deflate else None,
            proxy=None,
            open_timeout=OPEN_TIMEOUT,
            ping_interval=None,
            max_queue=None,
            max_size=None,
        )
    except Exception as error:  # every kind of failure is a result here, not a crash
        listener.error = f"{type(error).__name__}: {error}"[:200]
        opened.set()
        return
    listener.opened = time.monotonic()
    opened.set()
    try:
        async for message in listener.socket:
            received = time.monotonic()
            match = SEQ.search(message, 0, 200)
            seq = int(match.group(1)) if match else -1
            listener.frames.append((seq, received, len(message)))
            if seq > listener.max_seq:
                listener.max_seq = seq
    except Exception as error:
        listener.closed = f"{type(error).__name__}: {error}"[:200]
        return
    listener.closed = f"closed by the server: {listener.socket.close_code}"


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
    listeners = [Listener(url) for url in setup["urls"]]
    events = [asyncio.Event() for _ in listeners]
    started = time.monotonic()
    tasks = [
        asyncio.create_task(_listen(listener, setup.get("deflate", True), event))
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
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        asyncio.run(_main())
    else:
        uvloop.run(_main())


if __name__ == "__main__":
    main()
