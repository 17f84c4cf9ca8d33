"""Request ids in logs, the JSON log format, the access log and /metrics (hub.logs, hub.observability,
hub.metrics)."""

import datetime
import io
import json
import logging
import re

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.urls import resolve
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.parser import text_string_to_metric_families

from hub import logs
from hub.asgi import application
from hub.observability import WebsocketObservability
from tests.cms.factories import home_page_create

TOKEN = "s3cret-metrics-token-for-tests"
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """Every record logged while the test runs, formatted as the JSON format writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _metrics(client, token=TOKEN) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_json_line_of_a_request_carries_its_id_and_the_access_line_its_fields(settings, log_lines):
    settings.ACCESS_LOG = True
    home_page_create()

    # Through the ASGI application, as uvicorn calls it.
    communicator = HttpCommunicator(
        application,
        "GET",
        "/no-such-page/",
        headers=[(b"host", b"127.0.0.1"), (b"x-request-id", b"edge-7f3a9c2e-0001")],
    )
    response = async_to_sync(communicator.get_response)()

    assert response["status"] == 404
    assert dict(response["headers"])[b"X-Request-ID"] == b"edge-7f3a9c2e-0001"
    lines = log_lines()
    # Django's own warning, written deep inside the request, and the access line.
    not_found = next(line for line in lines if line["logger"] == "django.request")
    access = next(line for line in lines if line["logger"] == "dugnad.access")
    assert not_found["request_id"] == access["request_id"] == "edge-7f3a9c2e-0001"
    assert not_found["level"] == "WARNING" and "Not Found" in not_found["message"]
    assert set(access) == {"time", "level", "logger", "message", "request_id"} | {
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert (access["method"], access["path"], access["status"]) == ("GET", "/no-such-page/", 404)
    assert access["duration_ms"] >= 0
    assert datetime.datetime.fromisoformat(access["time"]).tzinfo is not None


@pytest.mark.django_db
def test_the_access_line_names_a_logged_in_user_and_is_off_by_default(client, settings, log_lines, django_user_model):
    user = django_user_model.objects.create_user(email="kari@example.org", password="a-long-password-1")
    client.force_login(user)
    home_page_create()

    client.get("/healthz")
    assert not [line for line in log_lines() if line["logger"] == "dugnad.access"]

    settings.ACCESS_LOG = True
    client.get("/accounts/profile/")
    access = [line for line in log_lines() if line["logger"] == "dugnad.access"]
    assert [(line["path"], line.get("user_id")) for line in access] == [("/accounts/profile/", user.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given",
    ["short", "has space in it", "evil\u2028line-separator", "x" * 200, "-starts-with-a-dash", '{"json":1}'],
)
def test_a_malformed_request_id_from_outside_is_replaced(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


@pytest.mark.django_db
def test_each_request_without_an_id_gets_a_new_one(client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]

    assert GENERATED_ID.fullmatch(first) and GENERATED_ID.fullmatch(second) and first != second


def test_a_log_record_outside_any_request_has_no_id(log_lines):
    logging.getLogger("dugnad.test").warning("between requests")

    assert [line["request_id"] for line in log_lines() if line["logger"] == "dugnad.test"] == [None]


def test_plain_text_stays_the_default_and_json_is_chosen_by_name():
    assert logs.logging_config(log_format="plain", level="INFO")["handlers"]["console"]["formatter"] == "plain"
    assert logs.logging_config(log_format="json", level="INFO")["handlers"]["console"]["formatter"] == "json"


def test_a_websocket_consumer_logs_under_the_id_of_its_handshake(log_lines):
    async def consumer(scope, receive, send):
        await receive()
        logging.getLogger("dugnad.test").info("inside the consumer")
        await send({"type": "websocket.accept"})
        await receive()

    async def exchange():
        app = WebsocketObservability(consumer, routes=["ws/test/"])
        communicator = WebsocketCommunicator(app, "/ws/test/", headers=[(b"x-request-id", b"nginx-0123456789abcdef")])
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert async_to_sync(exchange)()
    assert [line["request_id"] for line in log_lines() if line["logger"] == "dugnad.test"] == ["nginx-0123456789abcdef"]


# --- /metrics ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_do_not_exist_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization", [None, "", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer"]
)
def test_metrics_refuse_a_wrong_or_missing_token(client, settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = client.get("/metrics", **headers)

    assert response.status_code == 403
    assert b"dugnad_" not in response.content


@pytest.mark.django_db
def test_metrics_count_requests_by_route_and_status_and_are_never_cached(client, settings):
    settings.METRICS_TOKEN = TOKEN
    home_page_create()
    key = ("dugnad_http_requests_total", (("method", "GET"), ("route", "healthz"), ("status", "200")))
    before = _metrics(client).get(key, 0)

    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page/")
    after = _metrics(client)

    assert after[key] == before + 3
    assert any(name == "dugnad_http_requests_total" and ("status", "404") in labels for name, labels in after)
    assert after[("dugnad_http_request_duration_seconds_count", (("method", "GET"),))] >= 4
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert "no-store" in response["Cache-Control"]
    assert "X-Dugnad-Cache" not in response


@pytest.mark.django_db
def test_page_cache_hits_and_misses_are_counted_under_the_page_route(client, settings):
    settings.METRICS_TOKEN = TOKEN
    home_page_create()
    before = _metrics(client)

    assert client.get("/")["X-Dugnad-Cache"] == "miss"
    assert client.get("/")["X-Dugnad-Cache"] == "hit"
    after = _metrics(client)

    for result in ("hit", "miss"):
        key = ("dugnad_page_cache_responses_total", (("result", result),))
        assert after[key] == before.get(key, 0) + 1
    # Wagtail's catch-all pattern, for the miss that reached it and the hit that did not.
    home = ("dugnad_http_requests_total", (("method", "GET"), ("route", resolve("/").route), ("status", "200")))
    assert after[home] - before.get(home, 0) == 2


@pytest.mark.django_db
def test_metrics_report_the_task_queue_length_and_the_oldest_wait(client, settings):
    settings.METRICS_TOKEN = TOKEN
    fields = {"args_kwargs": {"args": [], "kwargs": {}}, "task_path": "x.y", "backend_name": "default"}
    empty = _metrics(client)
    assert empty[("dugnad_tasks_waiting", (("queue", "default"),))] == 0
    assert empty[("dugnad_tasks_oldest_waiting_seconds", (("queue", "default"),))] == 0

    now = timezone.now()
    queued = DBTaskResult.objects.create(queue_name="default", run_after=get_date_max(), **fields)
    DBTaskResult.objects.filter(pk=queued.pk).update(enqueued_at=now - datetime.timedelta(minutes=3))
    DBTaskResult.objects.create(queue_name="default", run_after=now - datetime.timedelta(seconds=30), **fields)
    # Held back for later, and already finished: neither waits.
    DBTaskResult.objects.create(queue_name="default", run_after=now + datetime.timedelta(hours=1), **fields)
    DBTaskResult.objects.create(queue_name="default", run_after=get_date_max(), status="SUCCESSFUL", **fields)
    found = _metrics(client)

    assert found[("dugnad_tasks_waiting", (("queue", "default"),))] == 2
    assert 180 <= found[("dugnad_tasks_oldest_waiting_seconds", (("queue", "default"),))] < 240


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_metrics_count_an_open_websocket_while_it_is_open(client, settings):
    settings.METRICS_TOKEN = TOKEN
    key = ("dugnad_websockets_open", (("route", "ws/ping/"),))
    before = _metrics(client).get(key, 0)

    async def open_count_close():
        communicator = WebsocketCommunicator(
            application, "/ws/ping/", headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
        )
        connected, _ = await communicator.connect()
        during = (await sync_to_async(_metrics)(client))[key]
        await communicator.disconnect()
        return connected, during

    connected, during = async_to_sync(open_count_close)()

    assert connected
    assert during == before + 1
    assert _metrics(client)[key] == before


@pytest.mark.django_db
def test_metrics_are_not_in_the_sitemap(client, settings):
    settings.METRICS_TOKEN = TOKEN
    home_page_create()

    sitemap = client.get("/sitemap.xml")

    assert sitemap.status_code == 200
    assert b"<loc>" in sitemap.content and b"metrics" not in sitemap.content
