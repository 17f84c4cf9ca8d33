"""Prometheus metrics: what each process counts, the task queue read at scrape time, and ``/metrics``.

Each process counts its own HTTP requests (by method, route and status), their latency, its open
websockets (``hub.observability``) and its fan-out deliveries (``discussions.fanout``). With
``PROMETHEUS_MULTIPROC_DIR`` set (several uvicorn processes), ``prometheus_client`` keeps every
value in a memory-mapped file of that directory, one per process, and ``/metrics`` adds them up
across processes, whichever process answers. The directory must exist, be writable by the site and
be emptied when the service starts (not while it runs). Without it, each process reports only its
own numbers.

The task queue (django-tasks' database table) is read when Prometheus scrapes: how many tasks wait
to run now, and how long the oldest of them has waited.

``/metrics`` answers only ``Authorization: Bearer <METRICS_TOKEN>``: with no token configured it
does not exist (404), a wrong or missing token gets 403 (compared in constant time).
"""

import hmac
import os
import re
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

REQUESTS = Counter("dugnad_http_requests", "HTTP requests answered by the application.", ["method", "route", "status"])
LATENCY = Histogram(
    "dugnad_http_request_duration_seconds",
    "Time from the first middleware receiving a request to it returning the response.",
    ["method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE = Counter(
    "dugnad_page_cache_responses", "Pages answered by the anonymous page cache, hit or miss.", ["result"]
)
OPEN_WEBSOCKETS = Gauge(
    "dugnad_websockets_open",
    "Websockets open now, by route.",
    ["route"],
    multiprocess_mode="livesum",
)
WEBSOCKETS = Counter("dugnad_websockets", "Websockets opened, by route.", ["route"])

# Route labels for requests that matched no URL pattern, and methods outside HTTP's usual ones (so
# that a client cannot make up new label values).
UNMATCHED = "<unmatched>"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

_LIVE_GAUGE_FILE = re.compile(r"gauge_live\w+?_(\d+)\.db")


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


class TaskQueueCollector:
    """The django-tasks database queue, per queue: tasks ready to run now, and the age of the oldest."""

    def describe(self):
        return []

    def collect(self):
        from django_tasks_db.models import DBTaskResult, get_date_max

        waiting = GaugeMetricFamily("dugnad_tasks_waiting", "Tasks ready to run, not yet started.", labels=["queue"])
        age = GaugeMetricFamily(
            "dugnad_tasks_oldest_waiting_seconds",
            "How long the oldest task ready to run has waited (0 when none waits).",
            labels=["queue"],
        )
        never = get_date_max()
        now = timezone.now()
        rows = (
            DBTaskResult.objects.ready()
            .values("queue_name")
            .annotate(
                count=Count("pk"),
                # A task waits from when it was queued, or from the time it was held back until.
                queued=Min("enqueued_at", filter=Q(run_after=never)),
                held=Min("run_after", filter=~Q(run_after=never)),
            )
            .order_by()
        )
        found = {row["queue_name"]: row for row in rows}
        for queue in {*found, *settings.TASKS["default"].get("QUEUES", ["default"])}:
            row = found.get(queue, {"count": 0, "queued": None, "held": None})
            since = min((moment for moment in (row["queued"], row["held"]) if moment is not None), default=None)
            waiting.add_metric([queue], row["count"])
            age.add_metric([queue], max(0.0, (now - since).total_seconds()) if since else 0.0)
        yield waiting
        yield age


def _forget_dead_processes(directory: str) -> None:
    """Drop the live gauges (open websockets) of processes that have ended, so that a killed or
    restarted server process does not go on counting its sockets."""
    for path in Path(directory).glob("gauge_live*.db"):
        match = _LIVE_GAUGE_FILE.fullmatch(path.name)
        if match is None:
            continue
        pid = int(match.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            mark_process_dead(pid, directory)
        except PermissionError:
            pass  # alive, run by someone else


def exposition() -> bytes:
    """Every metric in Prometheus' text format: all processes' when multiprocess mode is on."""
    directory = multiprocess_dir()
    if directory:
        _forget_dead_processes(directory)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)
    else:
        registry = CollectorRegistry()
        registry.register(_DefaultRegistry())
    registry.register(TaskQueueCollector())
    return generate_latest(registry)


class _DefaultRegistry:
    """This process's own metrics (the default registry, with Python's and the process's)."""

    def collect(self):
        return REGISTRY.collect()


def _token_matches(request, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return hmac.compare_digest(given.strip().encode(), token.encode()) and scheme.lower() == "bearer"


@never_cache
def metrics(request):
    """``/metrics`` for Prometheus (see the module's docstring for who may read it)."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    if not _token_matches(request, token):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["X-Robots-Tag"] = "noindex"
    return response
