"""Logs and metrics of real server processes: two uvicorn processes in Prometheus' multiprocess mode
(one ``PROMETHEUS_MULTIPROC_DIR``), JSON logs with the access log on.

Whichever process answers ``/metrics`` reports the requests both have served and a websocket open
on the other; each process's log lines are JSON carrying the request's id.
"""

import json
import urllib.error
import urllib.request
from contextlib import ExitStack

import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.sync.client import connect

from tests.e2e.harness import LiveServer
from tests.polling import poll_until

TOKEN = "e2e-metrics-token-0123456789"
TIMEOUT = 10

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class ObservedServer(LiveServer):
    def __init__(self, *args, metrics_dir, **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics_dir = metrics_dir

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env.update(
            {
                "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir),
                "METRICS_TOKEN": TOKEN,
                "LOG_FORMAT": "json",
                "ACCESS_LOG": "true",
                "LOG_LEVEL": "INFO",
            }
        )
        return env


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, tmp_path_factory, e2e_media_dir):
    root = tmp_path_factory.mktemp("observability")
    metrics_dir = root / "metrics"
    metrics_dir.mkdir()
    servers = [
        ObservedServer(outbox=root / name / "outbox", media=e2e_media_dir, metrics_dir=metrics_dir) for name in "ab"
    ]
    try:
        with django_db_blocker.unblock():
            for server in servers:
                server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def _get(server: LiveServer, path: str, headers: dict | None = None):
    request = urllib.request.Request(server.url + path, headers=headers or {})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.status, dict(response.headers), response.read()


def _metrics(server: LiveServer) -> dict[tuple[str, tuple], float]:
    status, _headers, body = _get(server, "/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


HEALTHZ = ("dugnad_http_requests_total", (("method", "GET"), ("route", "healthz"), ("status", "200")))
PING_SOCKETS = ("dugnad_websockets_open", (("route", "ws/ping/"),))


def test_metrics_add_up_both_processes_and_count_an_open_websocket(two_servers):
    a, b = two_servers
    before = _metrics(a).get(HEALTHZ, 0)

    for _ in range(3):
        _get(a, "/healthz")
    for _ in range(2):
        _get(b, "/healthz")
    with ExitStack() as stack:
        socket = stack.enter_context(connect(f"ws://127.0.0.1:{b.port}/ws/ping/", origin=b.url, open_timeout=TIMEOUT))
        socket.send(json.dumps({"type": "ping"}))
        assert json.loads(socket.recv(timeout=TIMEOUT))["type"] == "pong"
        # Asked of A: the socket is on B.
        during = _metrics(a)

    assert during[HEALTHZ] == before + 5
    assert during[PING_SOCKETS] == 1
    # B's consumer ends a moment after the client's close: ask A's /metrics until it has.
    poll_until(lambda: _metrics(a).get(PING_SOCKETS) == 0, TIMEOUT, "the closed socket is still counted")


def test_each_process_writes_json_lines_with_the_request_id(two_servers):
    for server, request_id in zip(two_servers, ("proxy-id-for-a-0001", "proxy-id-for-b-0002"), strict=True):
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(server, "/no-such-page/", {"X-Request-ID": request_id})
        assert refused.value.code == 404
        assert refused.value.headers["X-Request-ID"] == request_id
        # Both lines are written (and flushed) before the response is sent.
        lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
        mine = [line for line in lines if line["request_id"] == request_id]
        assert {line["logger"] for line in mine} >= {"dugnad.access", "django.request"}, server.log()[-3000:]
        access = next(line for line in mine if line["logger"] == "dugnad.access")
        assert (access["method"], access["path"], access["status"]) == ("GET", "/no-such-page/", 404)
