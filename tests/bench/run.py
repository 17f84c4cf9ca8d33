"""``make bench``: build a hub with many partners, serve it production-like, load it, report.

1. A fresh database (SQLite in a temporary folder; with ``DATABASE_URL`` set to PostgreSQL, a
   separate ``<name>_bench`` database that is dropped afterwards), migrated; static files
   collected into the temporary folder and served by WhiteNoise as in production.
2. The demo hub (``seed_demo``), counted in-process with its dozen partners and twenty projects,
   then topped up to ``--partners`` approved partners with logos and ``--projects`` projects with
   pictures (one of them with a 20-picture gallery and 50 progress updates) and counted again: the
   SQL query count of every page at both sizes shows whether it grows with the data.
3. uvicorn on ``hub.asgi:application`` with ``tests.bench.settings`` (production settings, DEBUG
   off), loaded target by target by ``tests.bench.load`` from this process, on the loopback.
4. A table on stdout and in docs/benchmarks.md; with ``--profile``, cProfile of the pages.

Environment variables are set before Django starts, so Django is imported inside functions.
"""

import argparse
import contextlib
import cProfile
import datetime
import io
import math
import os
import platform
import pstats
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench import load

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DOCS = BASE_DIR / "docs" / "benchmarks.md"
RESULTS_START = "<!-- bench:results:start -->"
RESULTS_END = "<!-- bench:results:end -->"
SERVER_START_SECONDS = 60
TARGET_RATIO = 3.0
# The pages the target applies to; the others are measured for comparison.
DIRECTORY_TARGETS = ("directory", "directory_filtered")
# Pages whose query count must not grow with the data (the projects issue: at most 15 queries).
PROJECT_TARGETS = ("projects", "projects_filtered", "projects_every_filter", "project")
PROJECT_QUERY_LIMIT = 15
# Found in the summary of every project the benchmark seeds.
SEARCH_WORD = "ytelsesmåling"


@dataclass
class Target:
    key: str
    label: str
    path: str
    status_small: int = 0
    queries_small: int | None = None
    status: int = 0
    queries: int | None = None
    size: int = 0
    result: load.LoadResult | None = None


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="dugnad-bench-"))
    drop_database = None
    started = time.monotonic()
    try:
        database_url, drop_database = _database(workdir)
        os.environ.update(_environment(workdir, database_url))
        import django

        django.setup()
        _step("Migrating and collecting static files")
        _prepare()
        targets, hub, small_count, every_page, project_counts = _seed_and_count(args)
        if args.profile:
            _profile(targets, args.profile_requests)
        from django.db import connections

        connections.close_all()
        server = _Server(workdir, workers=args.workers)
        _step(f"Starting uvicorn ({args.workers} worker{'s' if args.workers > 1 else ''})")
        server.start()
        try:
            for target in targets:
                if target.status != 200:
                    print(f"  {target.label}: HTTP {target.status} in-process, not loaded", flush=True)
                    continue
                _step(f"Loading {target.label} ({target.path}), {args.connections} connections, {args.seconds:g} s")
                target.result = load.run(
                    port=server.port,
                    path=target.path,
                    server_pid=server.pid,
                    connections=args.connections,
                    warmup_seconds=args.warmup,
                    seconds=args.seconds,
                    max_requests=args.max_requests,
                )
        finally:
            server.stop()
        partners = load_partner_count(hub)
        report = _report(
            targets,
            args=args,
            partners=partners,
            small_count=small_count,
            every_page=every_page,
            project_counts=project_counts,
        )
        print()
        print(report)
        if not args.no_docs:
            _write_docs(report)
            print(f"Results written to {DOCS.relative_to(BASE_DIR)}.")
        print(f"({time.monotonic() - started:.0f} s in all)")
        return 0 if all(t.result is None or not t.result.errors for t in targets) else 1
    finally:
        if drop_database is not None:
            from django.db import connections

            connections.close_all()
            drop_database()
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=1000, help="approved partners in the hub (default 1000)")
    parser.add_argument("--projects", type=int, default=5000, help="live projects in the hub (default 5000)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (16)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (1: see docs)")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per page (8)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first (2)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop a page's run after this many")
    parser.add_argument("--profile", action="store_true", help="also cProfile each page in-process")
    parser.add_argument("--profile-requests", type=int, default=30, help="requests per page when profiling")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    return parser.parse_args(argv)


def _step(text: str) -> None:
    print(f"- {text}", flush=True)


# --- Set-up ---------------------------------------------------------------------------------------


def _database(workdir: Path):
    """The database URL to use, and a function that drops it afterwards (None for SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}", None
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("DATABASE_URL must be PostgreSQL, or unset for SQLite.")
    import psycopg
    from psycopg import sql

    name = f"{parts.path.lstrip('/') or 'dugnad'}_bench"
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def execute(statement: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))

    execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    execute("CREATE DATABASE {}")
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def _environment(workdir: Path, database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DUGNAD_VAR_DIR": str(workdir),
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        # Every benchmark client connects from 127.0.0.1.
        "WEBSOCKET_MAX_PER_ADDRESS": "0",
        # A shared Redis cache must not mix the benchmark's keys with anyone else's.
        "CACHE_KEY_PREFIX": f"dugnad-bench-{os.getpid()}",
    }


def _prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _seed_and_count(args) -> tuple[list[Target], object, int, str, dict]:
    from django.core.management import call_command

    from projects.models import ProjectIndexPage, ProjectPage
    from tests.bench.seed import approved_count, seed_partners, seed_site
    from tests.bench.seed_projects import heavy_project_fill, live_project_count, seed_projects

    _step("Seeding the demo hub")
    seeded = seed_site()
    hub, index = seeded.hub, seeded.index
    small_count = approved_count(hub)
    targets = [
        Target("bare", "bare view (20 KB template)", "/bench/bare/"),
        Target("hub", "hub page", hub.url),
        Target("directory", "partner directory, page 1", index.url),
        Target("directory_filtered", "directory, ?kind=business", f"{index.url}?kind=business"),
        Target("partner", "partner page", ""),
    ]
    project_index = ProjectIndexPage.objects.child_of(hub).get()
    goal_13 = f"{project_index.url}?goal=13&status=active&sort=updated"
    targets += [
        Target("projects", "project index, page 1", project_index.url),
        Target("projects_filtered", "projects, ?goal=13&status=active&sort=updated", goal_13),
        Target("projects_every_filter", "projects, every filter", ""),
        Target("project", "project page (20 pictures, 50 updates)", ""),
        # The read-only API: 50 projects with goals, targets, partners and outcomes per response.
        Target("api_projects", "API /api/v1/projects, 50 per page", f"/api/v1/projects?hub={hub.pk}"),
        Target("api_projects_goal", "API projects, ?goal=13&status=active", "/api/v1/projects?goal=13&status=active"),
        # Site search: a word in every benchmark project's summary (every project matches, the
        # worst case for facets), and the same narrowed to the hub's active projects.
        Target("search", f"search, ?q={SEARCH_WORD}", f"/search/?q={urllib.parse.quote(SEARCH_WORD)}"),
        Target(
            "search_filtered",
            "search, + hub, type and status",
            f"/search/?q={urllib.parse.quote(SEARCH_WORD)}&hub={hub.pk}&type=project&status=active",
        ),
    ]
    client = _client()
    small_projects = live_project_count(project_index)
    for target in targets:
        if target.path:
            target.status_small, target.queries_small, _size = _count_queries(client, target.path)

    _step(f"Adding partners up to {args.partners} approved, with logos and renditions")
    seed_partners(hub, total=args.partners)
    partner_target = next(t for t in targets if t.key == "partner")
    partner_target.path = _partner_path(index)

    _step(f"Adding projects up to {args.projects} live, with pictures and card renditions")
    seeding_started = time.monotonic()
    seed_projects(project_index, total=args.projects)
    seeding_seconds = time.monotonic() - seeding_started
    print(f"  {live_project_count(project_index)} projects in {seeding_seconds:.0f} s", flush=True)
    every_filter = next(t for t in targets if t.key == "projects_every_filter")
    every_filter.path = _every_filter_path(project_index)
    heavy = next(t for t in targets if t.key == "project")
    project = ProjectPage.objects.child_of(project_index).live().filter(slug__startswith="bench-").order_by("pk")
    project = project[project.count() // 2]
    heavy.path = project.url
    heavy_project_fill(project, gallery=1, updates=1)
    heavy.status_small, heavy.queries_small, _size = _count_queries(client, heavy.path)
    heavy_project_fill(project)
    _step("Indexing for search (manage.py update_index: seeding leaves the index out)")
    indexing_started = time.monotonic()
    call_command("update_index", verbosity=0)
    print(f"  indexed in {time.monotonic() - indexing_started:.0f} s", flush=True)
    _step("Rendering every directory page once in-process (renditions, query counts)")
    pages = max(1, math.ceil(approved_count(hub) / 24))
    page_queries = {_count_queries(client, f"{index.url}?page={number}")[1] for number in range(1, pages + 1)}
    counts = " or ".join(str(count) for count in sorted(page_queries))
    every_page = f"{pages} pages, {counts} SQL queries each"
    print(f"  directory: {every_page}", flush=True)
    for target in targets:
        target.status, target.queries, target.size = _count_queries(client, target.path)
    project_counts = {"small": small_projects, "large": live_project_count(project_index)}
    return targets, hub, small_count, every_page, project_counts


def _every_filter_path(project_index) -> str:
    """The index with every filter at once (goal, target, status, partner, text, sort), chosen so
    that at least one project matches."""
    from projects.models import ProjectPage

    project = (
        ProjectPage.objects.child_of(project_index)
        .live()
        .filter(slug__startswith="bench-", targets__isnull=False, lead_partner__isnull=False)
        .order_by("pk")
        .first()
    )
    target = project.targets.first()
    query = project.title.split()[0]
    return (
        f"{project_index.url}?goal={project.primary_goal.number}&target={target.code}&status={project.status}"
        f"&partner={project.lead_partner_id}&q={urllib.parse.quote(query)}&sort=updated"
    )


def load_partner_count(hub) -> int:
    from tests.bench.seed import approved_count

    return approved_count(hub)


def _client():
    from django.test import Client

    return Client()


def _count_queries(client, path: str) -> tuple[int, int, int]:
    """Status, SQL queries and size of a page, asked twice so that the count excludes first-time work.

    Counted with the anonymous page cache (``hub.page_cache``) off: the count is what rendering the
    page costs, which a cache hit would hide (a hit runs no query at all).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(DUGNAD_PAGE_CACHE=False):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    return response.status_code, len(queries), len(response.content)


def _partner_path(index) -> str:
    """A bench partner in the middle of the alphabet, with a logo, goals and themes."""
    from django.urls import NoReverseMatch

    from partners.models import Partner

    partner = Partner.objects.filter(slug__startswith="bench-", logo__isnull=False).order_by("name")
    partner = partner[partner.count() // 2]
    try:
        return index.url + index.reverse_subpage("partner", kwargs={"slug": partner.slug})
    except NoReverseMatch:
        return f"{index.url}{partner.slug}/"


# --- The server -----------------------------------------------------------------------------------


class _Server:
    def __init__(self, workdir: Path, *, workers: int):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.workers = workers
        self.log_path = workdir / "server.log"
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> None:
        command = [sys.executable, "-m", "uvicorn", "hub.asgi:application", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(self.workers), "--no-access-log"]
        command += ["--log-level", "warning", "--lifespan", "off"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), stdout=log, stderr=log)
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited at start-up:\n{self.log_path.read_text()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.1)  # polling for readiness
        self.stop()
        raise RuntimeError(f"uvicorn did not answer within {SERVER_START_SECONDS} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- Profiling ------------------------------------------------------------------------------------


def _profile(targets: list[Target], requests: int, client=None) -> None:
    """Where each page's time goes, in-process (Django's test client, no server), over ``requests``.

    First uninstrumented, then with SQL and each template's ``render`` timed (a template's time
    includes the templates it includes), then under cProfile. ``client`` may be logged in.
    """
    client = client or _client()
    for target in targets:
        if target.status != 200:
            continue
        client.get(target.path)
        started = time.perf_counter()
        for _ in range(requests):
            client.get(target.path)
        plain_ms = 1000 * (time.perf_counter() - started) / requests
        sql_ms, queries, templates = _breakdown(client, target.path, requests)
        print(f"\n=== {target.label} {target.path}: {plain_ms:.1f} ms per request in-process")
        print(f"SQL: {sql_ms:.1f} ms in {queries} queries. Templates (inclusive ms per request, renders):")
        for name, (ms, count) in sorted(templates.items(), key=lambda item: -item[1][0])[:12]:
            print(f"  {ms:7.2f}  ×{count:<3g} {name}")

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(target.path)
        profiler.disable()
        for order, limit in (("tottime", 20), ("cumulative", 40)):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(limit)
            print(out.getvalue().split("\n\n", 1)[-1].rstrip())


def _breakdown(client, path: str, requests: int) -> tuple[float, int, dict[str, tuple[float, float]]]:
    """SQL time and count, and inclusive time per template name, per request."""
    from django.db import connection
    from django.template.base import Template

    sql_seconds, query_count = 0.0, 0
    template_seconds: dict[str, list[float]] = {}

    def time_query(execute, sql, params, many, context):
        nonlocal sql_seconds, query_count
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds += time.perf_counter() - started
            query_count += 1

    original_render = Template.render

    def timed_render(template, context):
        started = time.perf_counter()
        try:
            return original_render(template, context)
        finally:
            name = template.origin.template_name if template.origin else None
            entry = template_seconds.setdefault(str(name or "(from a string)"), [0.0, 0])
            entry[0] += time.perf_counter() - started
            entry[1] += 1

    Template.render = timed_render
    try:
        with connection.execute_wrapper(time_query):
            for _ in range(requests):
                client.get(path)
    finally:
        Template.render = original_render
    templates = {name: (1000 * total / requests, count / requests) for name, (total, count) in template_seconds.items()}
    return 1000 * sql_seconds / requests, query_count // requests, templates


# --- The report -----------------------------------------------------------------------------------


def _machine() -> list[tuple[str, str]]:
    import django
    import uvicorn
    import wagtail
    from django.conf import settings
    from django.db import connection

    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} (a file, WAL)"
    else:
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    loop = "uvloop" if _importable("uvloop") else "asyncio"
    http = "httptools" if _importable("httptools") else "h11"
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return [
        ("CPU", f"{os.cpu_count()} × {model}"),
        ("Python", platform.python_version()),
        ("Django / Wagtail", f"{django.get_version()} / {wagtail.__version__}"),
        ("Server", f"uvicorn {uvicorn.__version__} ({loop}, {http}), hub.asgi:application"),
        ("Settings", "tests.bench.settings: hub.settings.production (DEBUG off), plain HTTP on 127.0.0.1"),
        ("Database", f"{database}, CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}"),
        ("Cache", cache),
        ("Static files", "collected (CompressedManifestStaticFilesStorage), served by WhiteNoise"),
    ]


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def _report(
    targets: list[Target], *, args, partners: int, small_count: int, every_page: str, project_counts: dict
) -> str:
    bare = next((t.result for t in targets if t.key == "bare" and t.result), None)
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    cores = "the load generator has the other core" if args.workers == 1 else "they share the cores with the load"
    lines = [f"Run of {date}.", ""]
    lines += ["| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in _machine()]
    lines += [
        f"| Load | {args.connections} keep-alive connections from one asyncio process on the same machine; "
        f"{args.warmup:g} s warm-up, then {args.seconds:g} s measured per page |",
        f"| Workers | {args.workers} uvicorn worker(s); {cores} |",
        f"| Data | {partners} approved partners, each with a PNG logo and its `max-240x120` rendition |",
        f"| Projects | {project_counts['large']} live projects, each with one of 24 shared pictures; one of them "
        f"with a 20-picture gallery and 50 progress updates |",
        f"| Every directory page | {every_page} |",
        "",
        f"SQL queries: at {small_count} → {partners} partners and {project_counts['small']} → "
        f"{project_counts['large']} projects; for the project page, at 1 → 20 gallery pictures and "
        "1 → 50 progress updates.",
        "",
        "| Page | SQL queries | KB | req/s | server CPU ms/req "
        "| p50 ms | p95 ms | p99 ms | × bare (req/s) | × bare (CPU) | load generator | other processes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in targets:
        result = target.result
        queries = _queries_text(target)
        if result is None:
            lines.append(f"| {target.label} | {queries} | | not measured: HTTP {target.status} | | | | | | | | |")
            continue
        measured = bare is not None and bare.requests and result.requests
        rps_ratio = bare.requests_per_second / result.requests_per_second if measured else math.nan
        cpu_ratio = result.server_cpu_ms_per_request / bare.server_cpu_ms_per_request if measured else math.nan
        errors = f" ({result.errors} errors)" if result.errors else ""
        lines.append(
            f"| {target.label} | {queries} | {target.size / 1024:.0f} | {result.requests_per_second:.0f}{errors} "
            f"| {result.server_cpu_ms_per_request:.1f} | {result.percentile_ms(0.50):.0f} "
            f"| {result.percentile_ms(0.95):.0f} | {result.percentile_ms(0.99):.0f} | {rps_ratio:.1f} "
            f"| {cpu_ratio:.1f} | {result.client_core_share:.2f} core | {result.other_cores:.2f} core |"
        )
    lines.append("")
    lines += _verdict(targets, bare)
    return "\n".join(lines)


def _queries_text(target: Target) -> str:
    if target.queries_small is None or target.queries_small == target.queries:
        return f"{target.queries}"
    return f"{target.queries_small} → {target.queries}"


def _verdict(targets: list[Target], bare) -> list[str]:
    lines = []
    for target in targets:
        if target.key in PROJECT_TARGETS:
            lines.append(_project_verdict(target, bare))
            continue
        if target.key not in DIRECTORY_TARGETS:
            continue
        if target.result is None or bare is None or not target.result.requests or not bare.requests:
            lines.append(f"- {target.label}: not measured (no request completed in the window).")
            continue
        ratio = bare.requests_per_second / target.result.requests_per_second
        cpu_ratio = target.result.server_cpu_ms_per_request / bare.server_cpu_ms_per_request
        grows = target.queries_small is not None and target.queries != target.queries_small
        met = "meets" if ratio <= TARGET_RATIO else "misses"
        lines.append(
            f"- {target.label}: {ratio:.1f}× the bare view's time per request ({cpu_ratio:.1f}× its server CPU), "
            f"{met} the {TARGET_RATIO:g}× target; the query count "
            f"{'grows' if grows else 'does not grow'} with the number of partners."
        )
    return lines


def _project_verdict(target: Target, bare) -> str:
    grows = target.queries_small is not None and target.queries != target.queries_small
    within = target.queries is not None and target.queries <= PROJECT_QUERY_LIMIT
    speed = ""
    if target.result is not None and bare is not None and target.result.requests and bare.requests:
        ratio = bare.requests_per_second / target.result.requests_per_second
        cpu_ratio = target.result.server_cpu_ms_per_request / bare.server_cpu_ms_per_request
        speed = f"{ratio:.1f}× the bare view's time per request ({cpu_ratio:.1f}× its server CPU); "
    return (
        f"- {target.label}: {speed}{target.queries} SQL queries, "
        f"{'within' if within else 'over'} the limit of {PROJECT_QUERY_LIMIT}; the query count "
        f"{'grows' if grows else 'does not grow'} with the data."
    )


def _write_docs(report: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else f"# Benchmarks\n\n{RESULTS_START}\n{RESULTS_END}\n"
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip() + f"\n\n## Latest results\n\n{RESULTS_START}\n{RESULTS_END}\n"
    before, rest = text.split(RESULTS_START, 1)
    after = rest.split(RESULTS_END, 1)[1]
    DOCS.write_text(f"{before}{RESULTS_START}\n{report}\n{RESULTS_END}{after}")
