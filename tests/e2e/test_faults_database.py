"""A fault production must survive: PostgreSQL restarted under a running Dugnad.

While the database is away, pages and the API answer 503 with ``Retry-After`` and no traceback
(an HTML page in the reader's language, JSON under /api/) and /healthz says 503; once it is back,
the same server process serves pages again, with no restart (its kept connection is health-checked
and replaced: ``DATABASE_CONN_MAX_AGE`` is on here, as in production).
"""

import urllib.error
import urllib.request
from email.message import Message

import pytest

from tests.e2e.harness import LiveServer
from tests.e2e.pg_cluster import TEMPLATE

# Each with what it answers when all is well; every one reads the database (API lists that are
# empty may be answered from the process's versioned cache alone, a project by id may not).
PAGES = {"/": 200, "/goals/": 200, "/goals/13/": 200, "/api/v1/projects/1": 404}


class PrivateDatabaseServer(LiveServer):
    """The harness's uvicorn, on a database of the private cluster; the page and API caches off, so
    every request needs the database (with Redis they would keep serving what they hold)."""

    def __init__(self, database_url: str, **kwargs):
        super().__init__(**kwargs)
        self.database_url = database_url

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env.update(
            {
                "DATABASE_URL": self.database_url,
                "DATABASE_CONN_MAX_AGE": "60",
                "DUGNAD_PAGE_CACHE": "false",
                "API_RESPONSE_CACHE": "false",
                "REDIS_URL": "",
                "SERVICE_UNAVAILABLE_RETRY_AFTER": "7",
            }
        )
        env.pop("DUGNAD_FILE_CACHE_DIR", None)
        return env


def fetch(url: str, language: str = "nn") -> tuple[int, Message, str]:
    """Status, headers (case-insensitive) and body of a GET."""
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="surrogateescape")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="surrogateescape")


@pytest.fixture
def server(private_postgres, tmp_path):
    private_postgres.create_database("faults", template=TEMPLATE)
    live = PrivateDatabaseServer(private_postgres.url("faults"), outbox=tmp_path / "outbox", media=tmp_path / "media")
    live.start()
    yield live
    live.stop()


def test_pages_answer_503_while_postgresql_is_away_and_recover_without_a_restart(server, private_postgres):
    for path, expected in PAGES.items():
        assert fetch(server.url + path)[0] == expected, path
    pid = server.process.pid

    private_postgres.stop()
    try:
        for path in PAGES:
            status, headers, body = fetch(server.url + path)
            assert status == 503, (path, status, body[:500])
            assert headers["Retry-After"] == "7", path
            assert "Traceback" not in body and "OperationalError" not in body and "psycopg" not in body
            if path.startswith("/api/"):
                assert headers["Content-Type"] == "application/json"
                assert '"code": "unavailable"' in body.replace('":"', '": "')
            else:
                assert headers["Content-Type"].startswith("text/html")
                assert '<html lang="nn"' in body
        status, headers, body = fetch(server.url + "/healthz")
        assert status == 503 and headers["Retry-After"] == "7" and '"database"' in body
    finally:
        private_postgres.start()

    # pg_ctl -w has returned: PostgreSQL accepts connections, so the very next request is served.
    assert fetch(server.url + "/healthz")[0] == 200, "the server did not recover:\n" + server.log()
    for path, expected in PAGES.items():
        assert fetch(server.url + path)[0] == expected, path
    assert server.process.poll() is None and server.process.pid == pid, "the same process, never restarted"
