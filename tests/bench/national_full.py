"""``python -m tests.bench --national-full``: every page type at the national data set's size.

1. The database of ``DATABASE_URL`` as it is (PostgreSQL, a database of its own: migrated, seeded
   and kept, so a second run measures without seeding again); ``REDIS_URL``, when set, is the cache
   (as in production), under a key prefix of this run's own. Static files go to a temporary folder.
2. ``tests.bench.seed_national.build_country``: 356 hubs, 20,000 partners, 100,000 projects,
   200,000 people with follows, 2,000,000 comments (``--scale`` multiplies every count).
3. In-process: the SQL queries of every page type on the largest hub, for an anonymous visitor
   (page cache off) and a logged-in member, next to the same page types on a fresh demo site (built
   in a throw-away database by a child process: ``--demo-counts``).
4. uvicorn on ``hub.asgi:application`` (one worker, ``tests.bench.settings``): server CPU per
   request of each page type for an anonymous visitor served from the page cache (a hit), an
   anonymous visitor whose page is computed (a second server with the page cache off: what a miss
   costs, without the cache write), and a logged-in member, each next to the bare view.
5. The anonymous hit rate: the quiet hub's pages loaded round and round for ``--hit-seconds``
   while a comment is POSTed over HTTP every second, as logged-in people, to a random thread of
   another hub.
"""

import argparse
import asyncio
import datetime
import json
import math
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench import load
from tests.bench.common import write_results
from tests.bench.run import BASE_DIR, DOCS, _database, _machine, _prepare, _Server, _step
from tests.bench.run import _environment as _bench_environment

START = "<!-- bench:national-full:start -->"
END = "<!-- bench:national-full:end -->"
DEMO_HUB_SLUG = "fjordvik-framtidslab"
COUNTRY_HUB = "kommune-001"
POSTERS = 40
THREAD_COMMENTS = 50


@dataclass
class Target:
    key: str
    label: str
    path: str = ""
    queries: int | None = None
    member_queries: int | None = None
    status: int = 0
    size: int = 0
    results: dict[str, load.LoadResult] = field(default_factory=dict)  # by mode: hit, miss, member


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="dugnad-bench-national-full-"))
    try:
        if args.demo_counts:
            return _demo_counts(workdir, Path(args.demo_counts))
        return _measure(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --national-full", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count of the data set (1.0)")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per page and mode (5)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of unmeasured load first (1)")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections per page (4)")
    parser.add_argument("--hit-seconds", type=float, default=60.0, help="length of the hit-rate run (60)")
    parser.add_argument("--seed-only", action="store_true", help="build (and keep) the data set, measure nothing")
    parser.add_argument("--no-demo", action="store_true", help="do not count the demo's queries (saves 3 minutes)")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    parser.add_argument("--demo-counts", help=argparse.SUPPRESS)  # the child process: write the demo's counts here
    return parser.parse_args(argv)


def _environment(workdir: Path, database_url: str, *, page_cache: bool = True) -> dict[str, str]:
    return _bench_environment(workdir, database_url) | {
        "DUGNAD_PAGE_CACHE": "true" if page_cache else "false",
        "CACHE_KEY_PREFIX": f"dugnad-bench-national-full-{os.getpid()}-{secrets.token_hex(3)}",
        # The poster's people comment every few seconds each; the defaults (5 s) hold.
        "DISCUSSIONS_NEW_ACCOUNT_HOURS": "0",
    }


# --- The run --------------------------------------------------------------------------------------


def _measure(args, workdir: Path) -> int:
    started = time.monotonic()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    environment = _environment(workdir, url)
    os.environ.update(environment)
    demo = None if args.no_demo or args.seed_only else _start_demo_counts(workdir)
    import django

    django.setup()
    _step("Migrating and collecting static files")
    _prepare()
    _step(f"Building the national data set (scale {args.scale:g}; steps already done are skipped)")
    seeding = _seed(args.scale)
    if args.seed_only:
        return 0
    targets = _targets(COUNTRY_HUB)
    member_cookie = _count(targets)
    demo_counts = _finish_demo_counts(demo)

    from django.db import connections

    connections.close_all()
    for mode, cached in (("hit", True), ("miss", False), ("member", True)):
        os.environ["DUGNAD_PAGE_CACHE"] = "true" if cached else "false"
        server = _Server(workdir, workers=1)
        _step(f"uvicorn (1 worker), page cache {'on' if cached else 'off'}: {mode}")
        server.start()
        try:
            for target in targets:
                if target.status != 200:
                    continue
                cookie = member_cookie if mode == "member" and target.key != "bare" else ""
                target.results[mode] = load.run(
                    port=server.port,
                    path=target.path,
                    server_pid=server.pid,
                    connections=args.connections,
                    warmup_seconds=args.warmup,
                    seconds=args.seconds,
                    max_requests=20_000,
                    cookie=cookie,
                )
                print(f"  {target.label}: {_cpu(target.results[mode])} ms/req {target.results[mode].cache}", flush=True)
        finally:
            server.stop()

    os.environ["DUGNAD_PAGE_CACHE"] = "true"
    server = _Server(workdir, workers=1)
    _step(f"Hit rate on {COUNTRY_HUB}'s pages for {args.hit_seconds:g} s, a comment a second elsewhere")
    server.start()
    try:
        hits = _hit_rate(server, targets, seconds=args.hit_seconds)
    finally:
        server.stop()
    report = _report(targets, demo_counts=demo_counts, hits=hits, seeding=seeding, args=args)
    print()
    print(report)
    if not args.no_docs:
        write_results(report, start=START, end=END, heading="### Latest national data set results")
        print(f"Results written to {DOCS.relative_to(BASE_DIR)}.")
    print(f"({time.monotonic() - started:.0f} s in all)")
    return 0


def _seed(scale: float) -> dict:
    from tests.bench import seed_national as seed

    def scaled(count: int) -> int:
        return max(1, round(count * scale))

    started = time.monotonic()
    country = seed.build_country(
        hubs=max(3, scaled(seed.HUBS)),
        partners=scaled(seed.PARTNERS),
        projects=scaled(seed.PROJECTS),
        people=scaled(seed.PEOPLE),
        comments=scaled(seed.COMMENTS),
        forum_topics=scaled(seed.FORUM_TOPICS),
    )
    return {"seconds": time.monotonic() - started, "steps": country.seconds}


# --- Targets and query counts --------------------------------------------------------------------


def _targets(hub_slug: str) -> list[Target]:
    """Every page type, on ``hub_slug`` where the page belongs to a hub: the busiest thread of the
    hub's forum, a project with a discussion, a partner in the middle of the directory."""
    from cms.models import HubPage
    from discussions.models import ForumIndexPage, Thread
    from partners.models import PartnerIndexPage, Partnership, PartnershipStatus
    from projects.models import ProjectIndexPage, ProjectPage

    hub = HubPage.objects.get(slug=hub_slug)
    directory = PartnerIndexPage.objects.child_of(hub).get()
    projects = ProjectIndexPage.objects.child_of(hub).get()
    forum = ForumIndexPage.objects.child_of(hub).get()
    partnerships = Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).order_by("partner__name")
    partner = partnerships[partnerships.count() // 2].partner
    project = (
        ProjectPage.objects.child_of(projects).live().filter(discussion__last_seq__gt=0).order_by("-pk").first()
        or ProjectPage.objects.child_of(projects).live().order_by("-pk").first()
    )
    # A busy topic of at most THREAD_COMMENTS comments: a thread page shows every comment, so the
    # busiest of the country (a few hundred) measures its length rather than the page type.
    topics = Thread.objects.filter(hub=hub, project__isnull=True).order_by("-last_seq", "pk")
    topic = topics.filter(last_seq__lte=THREAD_COMMENTS).first() or topics.first()
    goal = project.primary_goal.number if project and project.primary_goal_id else 13
    topic_path = f"{forum.url}{topic.pk}/" if topic else ""
    partner_path = directory.url + directory.reverse_subpage("partner", kwargs={"slug": partner.slug})
    targets = [
        Target("bare", "bare view (20 KB template)", "/bench/bare/"),
        Target("home", "home page", "/"),
        Target("goals", "goals index", "/goals/"),
        Target("goal", f"goal page ({goal})", f"/goals/{goal}/"),
        Target("hub", "hub page", hub.url),
        Target("directory", "partner directory", directory.url),
        Target("partner", "partner page", partner_path),
        Target("projects", "project list", projects.url),
        Target("project", "project page", project.url if project else ""),
        Target("forum", "forum", forum.url),
        Target("thread", f"forum topic ({topic.last_seq if topic else 0} comments)", topic_path),
        Target("events", "events", f"{hub.url}events/"),
    ]
    return [target for target in targets if target.path]


def _member():
    """A logged-in member: a person with a verified address who follows the hub."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        email="bench-member@folk.example", defaults={"display_name": "Medlem (fiktiv)"}
    )
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _count(targets: list[Target]) -> str:
    """Count each target's queries, anonymous and as the member; returns the member's cookie."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    _step("Counting SQL queries in-process (anonymous with the page cache off, and a member)")
    anonymous, member = Client(), Client()
    member.force_login(_member())
    for target in targets:
        for client, attribute in ((anonymous, "queries"), (member, "member_queries")):
            with override_settings(DUGNAD_PAGE_CACHE=False):
                client.get(target.path)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(target.path)
            setattr(target, attribute, len(queries))
            if client is anonymous:
                target.status, target.size = response.status_code, len(response.content)
        counted = f"{target.queries} / {target.member_queries}"
        print(f"  {target.label} {target.path}: {counted} (HTTP {target.status})", flush=True)
    return f"{settings.SESSION_COOKIE_NAME}={member.cookies[settings.SESSION_COOKIE_NAME].value}"


def _start_demo_counts(workdir: Path):
    """A child process counting the same page types on a fresh demo site in a throw-away database."""
    output = workdir / "demo-counts.json"
    command = [sys.executable, "-m", "tests.bench", "--national-full", "--demo-counts", str(output)]
    log = (workdir / "demo-counts.log").open("wb")
    process = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), stdout=log, stderr=log)
    return process, output, workdir / "demo-counts.log"


def _finish_demo_counts(demo) -> dict:
    if demo is None:
        return {}
    process, output, log = demo
    _step("Waiting for the demo's counts")
    if process.wait() != 0 or not output.exists():
        print(f"  the demo count failed:\n{log.read_text()[-2000:]}", flush=True)
        return {}
    return json.loads(output.read_text())


def _demo_counts(workdir: Path, output: Path) -> int:
    """The child process: a fresh database, the demo, its counts as JSON."""
    database_url, drop_database = _database(workdir)
    try:
        os.environ.update(_environment(workdir, database_url))
        import django

        django.setup()
        _prepare()
        from tests.bench.seed import seed_site

        seed_site()
        targets = _targets(DEMO_HUB_SLUG)
        _count(targets)
        output.write_text(
            json.dumps({t.key: {"queries": t.queries, "member": t.member_queries, "path": t.path} for t in targets})
        )
        return 0
    finally:
        if drop_database is not None:
            from django.db import connections

            connections.close_all()
            drop_database()


# --- The hit rate while comments arrive elsewhere --------------------------------------------------


@dataclass
class HitRate:
    seconds: float
    by_path: dict[str, dict[str, int]] = field(default_factory=dict)
    posted: int = 0
    post_failures: dict[str, int] = field(default_factory=dict)

    @property
    def hits(self) -> int:
        return sum(counts.get("hit", 0) for counts in self.by_path.values())

    @property
    def requests(self) -> int:
        return sum(sum(counts.values()) for counts in self.by_path.values())


def _hit_rate(server, targets: list[Target], *, seconds: float) -> HitRate:
    from cms.models import HubPage
    from discussions.models import Thread

    quiet = HubPage.objects.get(slug=COUNTRY_HUB)
    paths = [t.path for t in targets if t.key not in {"bare", "home", "goals", "goal"} and t.status == 200]
    threads = list(
        Thread.objects.exclude(hub=quiet).filter(locked=False).order_by("?").values_list("pk", flat=True)[:5000]
    )
    posters = _poster_cookies(POSTERS)
    from django.db import connections

    connections.close_all()
    return asyncio.run(_drive_hit_rate(server.port, paths, threads, posters, seconds))


def _poster_cookies(count: int) -> list[str]:
    """Logged-in sessions of ``count`` national people (each posts every ``count`` seconds at most)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.bench.seed_national import PEOPLE_DOMAIN

    cookies = []
    for user in get_user_model().objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}").order_by("-pk")[:count]:
        client = Client()
        client.force_login(user)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    return cookies


async def _drive_hit_rate(port: int, paths: list[str], threads: list[int], posters: list[str], seconds: float):
    result = HitRate(seconds=seconds)
    for path in paths:  # warm: every page computed once and stored
        await _request(port, "GET", path)
    stop = time.monotonic() + seconds

    async def reader():
        position = 0
        while time.monotonic() < stop:
            path = paths[position % len(paths)]
            position += 1
            status, headers = await _request(port, "GET", path)
            counts = result.by_path.setdefault(path, {})
            answer = headers.get("x-dugnad-cache", "none") if status == 200 else f"HTTP {status}"
            counts[answer] = counts.get(answer, 0) + 1

    async def poster():
        chooser = random.Random(7)
        number = 0
        next_post = time.monotonic()
        while time.monotonic() < stop:
            next_post += 1.0
            csrf = secrets.token_hex(16)
            thread = chooser.choice(threads)
            body = urllib.parse.urlencode({"body": f"Fiktiv kommentar under måling {number}."})
            status, _headers = await _request(
                port,
                "POST",
                f"/threads/{thread}/comments/",
                body=body,
                headers={
                    "Cookie": f"{posters[number % len(posters)]}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
            )
            number += 1
            if status in (200, 201):
                result.posted += 1
            else:
                result.post_failures[str(status)] = result.post_failures.get(str(status), 0) + 1
            await asyncio.sleep(max(0.0, next_post - time.monotonic()))  # the pace: one comment a second

    await asyncio.gather(reader(), reader(), poster())
    return result


async def _request(port: int, method: str, path: str, *, body: str = "", headers: dict | None = None):
    """One request on a new connection; returns the status and the headers (lower-case names)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "User-Agent: dugnad-bench", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    payload = body.encode()
    if method == "POST":
        lines.append(f"Content-Length: {len(payload)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    found = {}
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            found[name.strip().lower()] = value.strip()
    return status, found


# --- The report -----------------------------------------------------------------------------------


def _cpu(result: load.LoadResult | None) -> str:
    """CPU ms per request; "–" when no request completed in the window (with the connection errors)."""
    if result and result.requests:
        return f"{result.server_cpu_ms_per_request:.1f}"
    return f"– ({result.errors} errors)" if result and result.errors else "–"


def _report(targets: list[Target], *, demo_counts: dict, hits: HitRate, seeding: dict, args) -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from cms.models import HubPage
    from discussions.models import Comment
    from notifications.models import Follow
    from partners.models import Partnership, PartnershipStatus
    from projects.models import ProjectPage

    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load1, load5, load15 = os.getloadavg()
    counts = (
        f"{HubPage.objects.count()} hubs, "
        f"{Partnership.objects.filter(status=PartnershipStatus.APPROVED).count()} approved partnerships, "
        f"{ProjectPage.objects.live().count()} live projects, {get_user_model().objects.count()} people, "
        f"{Follow.objects.count()} follows, {Comment.objects.count()} comments"
    )
    steps = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in seeding["steps"].items())
    rows = [("Data", counts), ("Building (this run)", f"{seeding['seconds']:.0f} s: {steps or 'already built'}")]
    rows += _machine()
    rows.append(("Load average at the end", f"{load1:.1f} / {load5:.1f} / {load15:.1f}"))
    rows.append(("Load", f"{args.connections} keep-alive connections, {args.warmup:g} s warm-up, {args.seconds:g} s"))
    lines = [f"Run of {date}.", "", "| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    bare = next(t for t in targets if t.key == "bare")
    bare_ms = {
        mode: result.server_cpu_ms_per_request if (result := bare.results.get(mode)) and result.requests else math.nan
        for mode in ("hit", "miss", "member")
    }
    lines += [
        "",
        f"Largest hub: `{COUNTRY_HUB}`. SQL queries: anonymous (page cache off) / member, at national size and on a "
        "fresh demo site. Server CPU ms per request, and as a multiple of the bare view's on the same server "
        f"({bare_ms['hit']:.2f} / {bare_ms['miss']:.2f} / {bare_ms['member']:.2f} ms).",
        "",
        "| Page | queries national | queries demo | anon hit ms | anon miss ms | member ms | hit × | miss × "
        "| member × | KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    grown = []
    for target in targets:
        demo = demo_counts.get(target.key)
        national = f"{target.queries} / {target.member_queries}"
        demo_text = f"{demo['queries']} / {demo['member']}" if demo else "–"
        if demo and (target.queries > demo["queries"] or target.member_queries > demo["member"]):
            grown.append(target.label)
            national = f"**{national}**"
        ratios = []
        for mode in ("hit", "miss", "member"):
            result = target.results.get(mode)
            ratio = result.server_cpu_ms_per_request / bare_ms[mode] if result and result.requests else math.nan
            ratios.append("–" if math.isnan(ratio) else f"{ratio:.1f}")
        lines.append(
            f"| {target.label} | {national} | {demo_text} | {_cpu(target.results.get('hit'))} "
            f"| {_cpu(target.results.get('miss'))} | {_cpu(target.results.get('member'))} | {' | '.join(ratios)} "
            f"| {target.size / 1024:.0f} |"
        )
    lines.append("")
    if demo_counts:
        grew = f"Query counts that grew from the demo: {', '.join(grown)}." if grown else ""
        lines.append(grew or "No query count grew from the demo.")
    else:
        lines.append("The demo's counts were not taken (--no-demo).")
    rate = 100 * hits.hits / hits.requests if hits.requests else float("nan")
    failures = ", ".join(f"{n} × {status}" for status, n in hits.post_failures.items()) or "none"
    lines += [
        "",
        f"Hit rate on `{COUNTRY_HUB}`'s pages over {hits.seconds:g} s while a comment was POSTed every second to a "
        f"thread of another hub ({hits.posted} posted; failures: {failures}; cache "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}): **{rate:.1f} %** of {hits.requests} requests "
        "(target ≥ 95 %).",
        "",
        "| Page | hit | miss | other |",
        "| --- | ---: | ---: | ---: |",
    ]
    for path, answers in hits.by_path.items():
        other = sum(n for answer, n in answers.items() if answer not in {"hit", "miss"})
        lines.append(f"| `{path}` | {answers.get('hit', 0)} | {answers.get('miss', 0)} | {other} |")
    return "\n".join(lines)
