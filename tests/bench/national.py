"""``python -m tests.bench --national``: search and the projects API at 100,000 projects.

1. The database of ``DATABASE_URL`` as it is (PostgreSQL, a database of its own: it is migrated,
   seeded and kept, so a second run measures without seeding again); without it, SQLite in a
   temporary folder. Static files are collected into a temporary folder.
2. The demo (``seed_demo``), ``--partners`` approved partners, then projects in bulk
   (``tests.bench.seed_national``) until the demo hub's list has ``--projects``, indexed for search.
3. In-process: the SQL queries of ``/api/v1/projects`` at ``limit`` 10, 50 and 100 (first page, a
   filtered one, a deep cursor) and of each search, each asked once before it is counted.
4. uvicorn on ``hub.asgi:application`` with ``tests.bench.settings`` (production, DEBUG off), in its
   own process; the load generator (``tests.bench.load``, this process) with 1 and with 8
   keep-alive connections per address. By default the anonymous page cache and the API's response
   cache are off, so every request is computed (what a first visitor after a change gets);
   ``--cached`` leaves them on (what a steady stream of identical requests gets).
"""

import argparse
import datetime
import os
import shutil
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench import load
from tests.bench.common import write_results
from tests.bench.run import BASE_DIR, DOCS, _machine, _prepare, _Server, _step
from tests.bench.run import _environment as _bench_environment

START = "<!-- bench:national:start -->"
END = "<!-- bench:national:end -->"


@dataclass
class Target:
    key: str
    label: str
    path: str
    queries: dict[int, int] = field(default_factory=dict)  # by page size (API) or {0: n}
    status: int = 0
    size: int = 0
    results: dict[int, load.LoadResult] = field(default_factory=dict)  # by connections


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="dugnad-bench-national-"))
    started = time.monotonic()
    try:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
        os.environ.update(_environment(workdir, url, cached=args.cached))
        import django

        django.setup()
        _step("Migrating and collecting static files")
        _prepare()
        hub, seconds = _seed(args)
        if args.seed_only:
            return 0
        targets = _targets(hub)
        _count(targets)
        from django.db import connections

        connections.close_all()
        server = _Server(workdir, workers=1)
        _step("Starting uvicorn (1 worker)")
        server.start()
        try:
            for target in targets:
                for connections_ in args.connections:
                    _step(f"Loading {target.label}, {connections_} connection(s), {args.seconds:g} s")
                    target.results[connections_] = load.run(
                        port=server.port,
                        path=target.path,
                        server_pid=server.pid,
                        connections=connections_,
                        warmup_seconds=args.warmup,
                        seconds=args.seconds,
                        max_requests=50_000,
                    )
        finally:
            server.stop()
        report = _report(targets, args=args, seed_seconds=seconds)
        print()
        print(report)
        if not args.no_docs:
            _write_docs(report)
            print(f"Results written to {DOCS.relative_to(BASE_DIR)}.")
        print(f"({time.monotonic() - started:.0f} s in all)")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --national", description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000, help="live projects in the hub (100000)")
    parser.add_argument("--partners", type=int, default=1000, help="approved partners in the hub (1000)")
    parser.add_argument("--connections", type=lambda text: [int(n) for n in text.split(",")], default=[1, 8])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per target (8)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of unmeasured load first (1)")
    parser.add_argument("--cached", action="store_true", help="leave the page cache and API cache on")
    parser.add_argument("--seed-only", action="store_true", help="seed (and keep) the database, measure nothing")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    return parser.parse_args(argv)


def _environment(workdir: Path, database_url: str, *, cached: bool) -> dict[str, str]:
    """The benchmarks' environment, with the page and API caches on only when asked."""
    return _bench_environment(workdir, database_url) | {
        "DUGNAD_PAGE_CACHE": "true" if cached else "false",
        "API_RESPONSE_CACHE": "true" if cached else "false",
        "CACHE_KEY_PREFIX": f"dugnad-bench-national-{os.getpid()}",
    }


def _seed(args):
    from cms.models import HubPage
    from projects.models import ProjectIndexPage
    from tests.bench.seed import seed_partners, seed_site
    from tests.bench.seed_national import bulk_projects
    from tests.bench.seed_projects import live_project_count

    started = time.monotonic()
    if not HubPage.objects.filter(slug="fjordvik-framtidslab").exists():
        _step("Seeding the demo hub")
        seed_site()
    hub = HubPage.objects.get(slug="fjordvik-framtidslab")
    _step(f"Partners up to {args.partners}")
    seed_partners(hub, total=args.partners)
    index = ProjectIndexPage.objects.child_of(hub).get()
    missing = args.projects - live_project_count(index)
    _step(f"Projects up to {args.projects}: {max(0, missing)} to add in bulk, indexed")
    bulk_projects(index, count=missing, log=lambda text: print(text, flush=True))
    seconds = time.monotonic() - started
    print(f"  {live_project_count(index)} live projects in the hub ({seconds:.0f} s)", flush=True)
    return hub, seconds


def _targets(hub) -> list[Target]:
    from api import selectors
    from api.pagination import Cursor, time_key
    from tests.bench.seed_national import COMMON_WORD, RARE_WORD, STEMMED_WORD

    tree = selectors.public_tree()
    ordered = selectors.projects_filtered(tree).order_by("updated_at", "pk")
    total = ordered.count()
    deep = ordered[max(0, total * 9 // 10)]
    cursor = Cursor(time_key(deep["updated_at"]), deep["pk"])

    def search(word):
        return f"/search/?q={urllib.parse.quote(word)}"

    return [
        Target("search_common", f"search, common word ({COMMON_WORD}: every project)", search(COMMON_WORD)),
        Target("search_rare", f"search, rare word ({RARE_WORD})", search(RARE_WORD)),
        Target("search_stemmed", f"search, inflected form ({STEMMED_WORD})", search(STEMMED_WORD)),
        Target("api_first", "API projects, first page", "/api/v1/projects"),
        Target("api_filtered", "API projects, ?goal=13&status=active", "/api/v1/projects?goal=13&status=active"),
        Target("api_deep", f"API projects, cursor at 90 % ({total} projects)", f"/api/v1/projects?cursor={cursor}"),
    ]


def _count(targets: list[Target]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    _step("Counting SQL queries in-process")
    client = Client()
    for target in targets:
        sizes = (10, 50, 100) if target.key.startswith("api") else (0,)
        for size in sizes:
            path = target.path
            if size:
                path += ("&" if "?" in path else "?") + f"limit={size}"
            # Counted computed, with the page cache and the API's response cache off (a hit runs none).
            with override_settings(DUGNAD_PAGE_CACHE=False, API_RESPONSE_CACHE=False):
                client.get(path)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
            target.queries[size] = len(queries)
            target.status = response.status_code
            if size in (0, 50):
                target.size = len(response.content)
            if response.status_code != 200:
                print(f"  {path}: HTTP {response.status_code}", flush=True)
        if target.key.startswith("api"):
            target.path += ("&" if "?" in target.path else "?") + "limit=50"
        print(f"  {target.label}: {target.queries}", flush=True)


def _report(targets: list[Target], *, args, seed_seconds: float) -> str:
    from django.conf import settings

    from projects.models import ProjectPage

    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    projects = ProjectPage.objects.live().count()
    rows = [("Data", f"{projects} live projects; seeding (or checking) took {seed_seconds:.0f} s")]
    rows += _machine()
    caching = "on" if args.cached else "off (every request computed)"
    rows.append(("Page cache / API response cache", caching))
    rows.append(("Search candidates", f"at most {settings.SEARCH_MAX_CANDIDATES} per kind, ranked by the backend"))
    lines = [f"Run of {date}.", "", "| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    lines += [
        "",
        "| Target | SQL queries (API: limit 10 / 50 / 100) | KB | connections | req/s | server CPU ms/req "
        "| p50 ms | p95 ms | other processes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in targets:
        queries = " / ".join(str(count) for count in target.queries.values())
        for connections_, result in target.results.items():
            errors = f" ({result.errors} errors)" if result.errors else ""
            statuses = "" if set(result.statuses) <= {200} else f" statuses {result.statuses}"
            lines.append(
                f"| {target.label}{errors}{statuses} | {queries} | {target.size / 1024:.0f} | {connections_} "
                f"| {result.requests_per_second:.1f} | {result.server_cpu_ms_per_request:.1f} "
                f"| {result.percentile_ms(0.5):.0f} | {result.percentile_ms(0.95):.0f} "
                f"| {result.other_cores:.2f} core |"
            )
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    write_results(report, start=START, end=END, heading="### Latest national-scale results")
