"""A ``redis-server`` of a test's own on a free port, for tests that stop or pause Redis.

Without persistence: stopped and started again it comes back empty, as a restarted Redis without a
dump does. ``start()`` returns once Redis says it accepts connections (read from its log on a pipe),
so nobody polls it.
"""

import os
import select
import socket
import subprocess
import time
from pathlib import Path

READY = b"Ready to accept connections"
START_SECONDS = 30
STOP_SECONDS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.root), "--loglevel", "notice", "--logfile", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        _wait_for_output(self.process, READY, START_SECONDS)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_SECONDS)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()


def _wait_for_output(process: subprocess.Popen, text: bytes, seconds: float) -> None:
    """Block until ``process`` writes ``text`` (waiting on its pipe, at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    output = b""
    while text not in output:
        readable, _, _ = select.select([process.stdout], [], [], max(deadline - time.monotonic(), 0))
        if not readable:
            raise AssertionError(f"redis-server did not say it was ready:\n{output.decode(errors='replace')}")
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            raise AssertionError(f"redis-server stopped:\n{output.decode(errors='replace')}")
        output += chunk
