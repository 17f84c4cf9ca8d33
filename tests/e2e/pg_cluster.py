"""A private PostgreSQL cluster for tests that stop, start or restore a database.

Debian's ``initdb``/``pg_ctl`` in a temporary directory, listening on a free loopback port with
trust authentication, so a test may shut it down under a running server without touching the
machine's shared PostgreSQL. PostgreSQL refuses to run as root: as root, the commands run as the
``postgres`` user, and the directory is made in the system's temporary folder (pytest's own is
private to root).
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

START_SECONDS = 60


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateCluster:
    """``init()`` once, then ``start()``/``stop()`` as often as a test needs; ``remove()`` at the end."""

    def __init__(self):
        self.as_postgres = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="dugnad-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = _free_port()
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, *command: str) -> None:
        if self.as_postgres:
            command = ("runuser", "-u", "postgres", "--", *command)
        completed = subprocess.run(command, capture_output=True, text=True, timeout=START_SECONDS)
        if completed.returncode != 0:
            output = f"{completed.stdout}\n{completed.stderr}\n{self.log_text()}"
            raise RuntimeError(f"{' '.join(command)} failed:\n{output}")

    def init(self) -> None:
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        """Start and wait until it accepts connections (pg_ctl -w)."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        """Shut down now: open connections are terminated, as in a restart of the service."""
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str, *, template: str = "") -> None:
        command = [_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        if template:
            command += ["-T", template]
        self._run(*command, name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


TEMPLATE = "dugnad_migrated"


def migrated_cluster(base_dir: Path) -> PrivateCluster:
    """A started private cluster holding ``TEMPLATE``, a database with every migration applied, for
    ``create_database(name, template=TEMPLATE)`` (a copy in a second instead of a minute of migrations)."""
    cluster = PrivateCluster()
    try:
        cluster.init()
        cluster.start()
        cluster.create_database(TEMPLATE)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hub.settings.test",
            "DATABASE_URL": cluster.url(TEMPLATE),
            "REDIS_URL": "",
        }
        command = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        completed = subprocess.run(command, cwd=base_dir, env=env, capture_output=True, text=True, timeout=600)
        if completed.returncode != 0:
            raise RuntimeError(f"migrate failed:\n{completed.stdout}\n{completed.stderr}")
    except BaseException:
        cluster.remove()
        raise
    return cluster
