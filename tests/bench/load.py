"""A small HTTP/1.1 load generator on asyncio streams, and the server's CPU time from /proc.

Each of N connections sends a GET, reads the whole response, and sends the next one on the same
keep-alive connection (a closed loop: the offered load is whatever the server can take with N
requests in flight). After a warm-up, the requests completed in a fixed window are counted and
timed, and the server's CPU time over the same window is read from /proc. It speaks only to the
loopback and stops by itself after the window (or ``max_requests``).
"""

import asyncio
import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree_cpu_seconds(root_pid: int) -> float:
    """User plus system CPU time of a process and all its descendants (the server and its workers)."""
    children: dict[int, list[int]] = {}
    times: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # The command name may contain spaces and parentheses: split after its closing one.
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        times[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    total, pending = 0, [root_pid]
    while pending:
        pid = pending.pop()
        total += times.get(pid, 0)
        pending.extend(children.get(pid, []))
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time spent by every process on the machine (all cores), from the first line of /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class LoadResult:
    path: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    # The page cache's X-Dugnad-Cache answers (hit, miss; "" when absent), counted like statuses.
    cache: dict[str, int] = field(default_factory=dict)
    response_bytes: int = 0
    server_cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0
    machine_cpu_seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / self.requests if self.requests else float("nan")

    @property
    def client_core_share(self) -> float:
        """How much of one core the load generator used: near 1.0 means it, not the server, was the limit."""
        return self.client_cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def other_cores(self) -> float:
        """Cores' worth of CPU that other processes took during the window: the noise in the numbers."""
        other = self.machine_cpu_seconds - self.server_cpu_seconds - self.client_cpu_seconds
        return max(0.0, other / self.seconds) if self.seconds else 0.0

    def percentile_ms(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class _Window:
    """Whether completed requests count yet, and when to stop."""

    def __init__(self, max_requests: int):
        self.recording = False
        self.stopped = False
        self.max_requests = max_requests


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool, str]:
    """Read one response; returns its status, body length, whether the server will close, and its
    X-Dugnad-Cache header ("" without one)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    closing = headers.get("connection", "").lower() == "close"
    cache = headers.get("x-dugnad-cache", "")
    if headers.get("transfer-encoding", "").lower() == "chunked":
        length = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            length += size
            if size == 0:
                break
        return status, length, closing, cache
    length = int(headers.get("content-length", "0"))
    await reader.readexactly(length)
    return status, length, closing, cache


async def _connection(port: int, request: bytes, window: _Window, result: LoadResult) -> None:
    reader = writer = None
    while not window.stopped:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            started = time.perf_counter()
            writer.write(request)
            status, length, closing, cache = await _read_response(reader)
            elapsed = time.perf_counter() - started
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            if window.recording:
                result.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)  # back off rather than spin while the server refuses
            continue
        if window.recording and not window.stopped:
            result.latencies.append(elapsed)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.cache[cache] = result.cache.get(cache, 0) + 1
            result.response_bytes += length
            if result.requests >= window.max_requests:
                window.stopped = True
        if closing:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def drive(
    *,
    port: int,
    path: str,
    server_pid: int,
    connections: int,
    warmup_seconds: float,
    seconds: float,
    max_requests: int,
    cookie: str = "",
) -> LoadResult:
    """Load ``path`` with ``connections`` keep-alive connections; measure after the warm-up.

    ``cookie`` (a ``Cookie`` header's value, such as a logged-in member's session) is sent with every request.
    """
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: dugnad-bench\r\n"
        f"Accept: text/html\r\n{extra}Connection: keep-alive\r\n\r\n"
    ).encode("ascii")
    result = LoadResult(path=path, seconds=0.0)
    window = _Window(max_requests)
    tasks = [asyncio.create_task(_connection(port, request, window, result)) for _ in range(connections)]
    await asyncio.sleep(warmup_seconds)  # the warm-up is a stretch of load, not a wait for a condition

    server_before, client_before = process_tree_cpu_seconds(server_pid), own_cpu_seconds()
    machine_before, started = machine_busy_seconds(), time.perf_counter()
    window.recording = True
    deadline = started + seconds
    while not window.stopped and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    window.stopped = True
    result.seconds = time.perf_counter() - started
    result.server_cpu_seconds = process_tree_cpu_seconds(server_pid) - server_before
    result.client_cpu_seconds = own_cpu_seconds() - client_before
    result.machine_cpu_seconds = machine_busy_seconds() - machine_before

    # Requests still in flight finish (uncounted) or are cut off; the connections then close.
    _done, pending = await asyncio.wait(tasks, timeout=10)
    for task in pending:
        task.cancel()
    return result


def run(**kwargs) -> LoadResult:
    """``drive`` on a fresh event loop (uvloop when installed, as the server uses)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        return asyncio.run(drive(**kwargs))
    return uvloop.run(drive(**kwargs))
