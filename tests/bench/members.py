"""``python -m tests.bench --members``: every page type rendered for logged-in members, as × the bare view.

Members are never served from the anonymous page cache, so this is what a citizen, a partner or a
coordinator costs the server on each kind of page.

1. A fresh database as for the page benchmark (``tests.bench.run``), migrated, static files
   collected; the demo hub topped up to ``--partners`` approved partners and ``--projects`` projects.
2. Two members with real sessions (``Client.force_login``, so a session row and a signed cookie):
   the demo citizen, who follows the hub, a goal, a partner, a project and a forum topic, and the
   demo coordinator of the hub.
3. The SQL queries of each page for each member (in-process, the second of two requests), then
   uvicorn with the production settings, loaded page by page with each member's session cookie
   (``tests.bench.load``). The bare view is loaded without a cookie and with the citizen's.
4. A table of server CPU per request and its ratio to the bare view (without a cookie), on stdout
   and in docs/benchmarks.md; with ``--profile``, each page under cProfile in-process as the citizen.
"""

import argparse
import datetime
import os
import time
from dataclasses import dataclass, field

from tests.bench import load
from tests.bench.common import bench_site, publish, write_results
from tests.bench.run import DOCS, TARGET_RATIO, Target, _machine, _partner_path, _profile, _Server, _step

RESULTS_START = "<!-- bench:members:start -->"
RESULTS_END = "<!-- bench:members:end -->"
ROLES = ("citizen", "coordinator")


@dataclass
class Member:
    role: str
    user: object
    client: object
    cookie: str = ""
    queries: dict[str, int] = field(default_factory=dict)
    results: dict[str, load.LoadResult] = field(default_factory=dict)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.monotonic()
    with bench_site("members") as workdir:
        targets, members = _seed(args)
        for member in members:
            for target in targets:
                member.queries[target.key] = _count(member.client, target.path)
        if args.profile:
            _profile(targets, args.profile_requests, client=members[0].client)
        from django.db import connections

        connections.close_all()
        server = _Server(workdir, workers=1)
        _step("Starting uvicorn (1 worker)")
        server.start()
        bare, bare_member = None, None
        try:
            options = {
                "port": server.port,
                "server_pid": server.pid,
                "connections": args.connections,
                "warmup_seconds": args.warmup,
                "seconds": args.seconds,
                "max_requests": 50_000,
            }
            _step("Loading the bare view, without a cookie and as the citizen")
            bare = load.run(path="/bench/bare/", **options)
            bare_member = load.run(path="/bench/bare/", cookie=members[0].cookie, **options)
            for target in targets:
                for member in members:
                    _step(f"Loading {target.label} ({target.path}) as the {member.role}")
                    member.results[target.key] = load.run(path=target.path, cookie=member.cookie, **options)
        finally:
            server.stop()
        report = _report(args, targets, members, bare, bare_member, time.monotonic() - started)
        publish(report, write=None if args.no_docs else _write_docs)
    return 0


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --members", description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=1000, help="approved partners in the hub (1000)")
    parser.add_argument("--projects", type=int, default=1000, help="live projects in the hub (1000)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent keep-alive connections (8)")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per page and member (5)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of unmeasured load first (1)")
    parser.add_argument("--profile", action="store_true", help="also cProfile each page in-process as the citizen")
    parser.add_argument("--profile-requests", type=int, default=30, help="requests per page when profiling")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    return parser.parse_args(argv)


def _seed(args) -> tuple[list[Target], list[Member]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from cms.demo_logins import COORDINATOR_EMAIL, RESIDENT_EMAIL
    from discussions.models import Comment, Thread
    from goals.models import Goal
    from notifications.services import follow
    from partners.models import Partner
    from projects.models import ProjectIndexPage, ProjectPage
    from tests.bench.seed import seed_partners, seed_site
    from tests.bench.seed_projects import seed_projects

    _step("Seeding the demo hub")
    seeded = seed_site()
    hub, index = seeded.hub, seeded.index
    _step(f"Topping up to {args.partners} partners and {args.projects} projects")
    seed_partners(hub, total=args.partners)
    project_index = ProjectIndexPage.objects.child_of(hub).get()
    seed_projects(project_index, total=args.projects)

    # The demo project with the longest discussion, and the forum topic with the most comments.
    busiest = Comment.objects.filter(thread__project__isnull=False).values("thread__project").order_by()
    busiest = busiest.annotate(comments=Count("pk")).order_by("-comments")
    project_id = busiest.values_list("thread__project", flat=True).first()
    project = ProjectPage.objects.get(pk=project_id)
    client = Client()
    topics = Thread.objects.filter(hub=hub, project__isnull=True).annotate(comment_count=Count("comments"))
    addresses = (client.get(f"/threads/{topic.pk}/")["Location"] for topic in topics.order_by("-comment_count"))
    topic_path = next(address for address in addresses if "/forum/" in address)
    topic = Thread.objects.get(pk=int(topic_path.rstrip("/").split("/")[-1]))

    targets = [
        Target("home", "home page", "/"),
        Target("goals", "goals index", "/goals/"),
        Target("goal", "goal page (13)", "/goals/13/"),
        Target("hub", "hub page", hub.url),
        Target("directory", "partner directory, page 1", index.url),
        Target("partner", "partner page", _partner_path(index)),
        Target("projects", "project list, page 1", project_index.url),
        Target("project", "project page with its discussion", project.url),
        Target("thread", "forum topic", topic_path),
        Target("events", "events list", f"{hub.url}events/"),
        Target("dashboard", "hub dashboard", f"{hub.url}dashboard/"),
    ]

    users = get_user_model().objects
    citizen = users.get(email=RESIDENT_EMAIL)
    for target in (
        hub,
        Goal.objects.get(number=13),
        Partner.objects.filter(slug__startswith="bench-").order_by("name")[args.partners // 2],
        project,
        topic,
    ):
        follow(user=citizen, target=target)
    members = []
    for role, user in zip(ROLES, (citizen, users.get(email=COORDINATOR_EMAIL)), strict=True):
        member_client = Client()
        member_client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={member_client.cookies[settings.SESSION_COOKIE_NAME].value}"
        members.append(Member(role, user, member_client, cookie))
    return targets, members


def _count(client, path: str) -> int:
    """SQL queries of the second of two requests (the first fills the versioned cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code} for a logged-in member")
    return len(queries)


def _report(args, targets, members, bare, bare_member, seconds: float) -> str:
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_average = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [f"Run of {date}, {seconds:.0f} s in all; load average at the end {load_average} (1 / 5 / 15 min).", ""]
    lines += ["| | |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in _machine()]
    lines += [
        f"| Data | the demo hub with {args.partners} approved partners and {args.projects} live projects |",
        f"| Load | {args.connections} keep-alive connections, one uvicorn worker; {args.warmup:g} s warm-up, "
        f"then {args.seconds:g} s measured per page and member |",
        "",
        f"Bare view: {bare.server_cpu_ms_per_request:.1f} ms of server CPU per request without a cookie, "
        f"{bare_member.server_cpu_ms_per_request:.1f} ms with the citizen's session "
        f"({bare_member.server_cpu_ms_per_request / bare.server_cpu_ms_per_request:.1f}×). "
        "The ratios below are to the bare view without a cookie.",
        "",
        "| Page | SQL queries (citizen / coordinator) | citizen: CPU ms/req | citizen: × bare "
        "| coordinator: CPU ms/req | coordinator: × bare | other processes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    worst = 0.0
    for target in targets:
        cells = [target.label, " / ".join(str(member.queries[target.key]) for member in members)]
        others = []
        for member in members:
            result = member.results[target.key]
            ratio = result.server_cpu_ms_per_request / bare.server_cpu_ms_per_request
            worst = max(worst, ratio)
            errors = f" ({result.errors} errors)" if result.errors else ""
            statuses = "" if set(result.statuses) <= {200} else f" (HTTP {sorted(result.statuses)})"
            cells += [f"{result.server_cpu_ms_per_request:.1f}{errors}{statuses}", f"{ratio:.1f}"]
            others.append(f"{result.other_cores:.2f}")
        cells.append(" / ".join(others) + " core")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"- The most expensive page costs {worst:.1f}× the bare view; the target is {TARGET_RATIO:g}×."]
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    write_results(
        report,
        start=RESULTS_START,
        end=RESULTS_END,
        heading="## Logged-in members (`make bench BENCH_ARGS=--members`)",
    )
