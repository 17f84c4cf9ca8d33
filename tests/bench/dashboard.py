"""``python -m tests.bench --dashboard``: a hub's impact dashboard (``<hub>/dashboard/``) with a lot of data.

1. A fresh database as for the page benchmark (``tests.bench.run``), migrated, and the demo hub.
2. The hub topped up to ``--partners`` approved partners (200) and ``--projects`` projects (5,000,
   ``tests.bench.seed_projects``); threads for every project and ``--comments`` comments (100,000)
   spread over them and over the last 30 months; a progress update with an outcome and its
   measurement for every second project; ``--indicators`` municipal indicators (50), each with a
   municipal and a reference series of ``--years`` yearly values (20). Bulk inserts throughout.
3. ``--requests`` (30) GETs of the dashboard with Django's test client in this process and the
   production settings (DEBUG off), logged in (so the anonymous page cache does not answer):
   *warm*, with the figures in the versioned cache; *cold*, with the content version replaced
   before every request (as after any write), so every figure is computed again. Median and 95th
   percentile wall time per request, and the SQL queries of one request of each kind.
"""

import argparse
import datetime
import os
import statistics
import time

from tests.bench.common import bench_site, percentile, publish, write_results
from tests.bench.run import DOCS, _step

RESULTS_START = "<!-- bench:dashboard:start -->"
RESULTS_END = "<!-- bench:dashboard:end -->"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.monotonic()
    with bench_site("dashboard"):
        _step("Seeding the demo hub")
        from tests.bench.seed import seed_partners, seed_site

        hub = seed_site().hub
        _step(f"Topping up to {args.partners} partners and {args.projects} projects")
        seed_partners(hub, total=args.partners)
        from projects.models import ProjectIndexPage
        from tests.bench.seed_projects import seed_projects

        seed_projects(ProjectIndexPage.objects.child_of(hub).get(), total=args.projects)
        _step(f"{args.comments} comments, progress updates and outcomes, {args.indicators} indicators")
        counts = _seed(hub, comments=args.comments, indicators=args.indicators, years=args.years)
        _step(f"{args.requests} warm and {args.requests} cold requests of {hub.url}dashboard/")
        timings, queries = _measure(hub, args.requests)
        report = _report(args, counts, timings, queries, time.monotonic() - started)
        publish(report, write=None if args.no_docs else _write_docs)
    return 0


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --dashboard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=200, help="approved partners in the hub (200)")
    parser.add_argument("--projects", type=int, default=5000, help="live projects in the hub (5000)")
    parser.add_argument("--comments", type=int, default=100_000, help="comments on the projects (100000)")
    parser.add_argument("--indicators", type=int, default=50, help="municipal indicators (50)")
    parser.add_argument("--years", type=int, default=20, help="yearly values per series (20)")
    parser.add_argument("--requests", type=int, default=30, help="requests of each kind (30)")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    return parser.parse_args(argv)


def _seed(hub, *, comments: int, indicators: int, years: int) -> dict[str, int]:
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from discussions.models import ChangeType, Comment, Thread
    from goals.models import Goal
    from indicators.models import Indicator, Series, Value
    from partners.models import Partner, PartnershipStatus
    from projects.models import Outcome, OutcomeMeasurement, ProgressUpdate, ProjectPage

    today = timezone.localdate()
    projects = list(ProjectPage.objects.descendant_of(hub).live().order_by("pk").values_list("pk", "lead_partner_id"))
    partner_id = (
        Partner.objects.filter(partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    goals = list(Goal.objects.order_by("number"))
    author = get_user_model().objects.create(email="bench-commenter@example.org", display_name="Kari", password="!")
    with transaction.atomic():
        have = set(Thread.objects.filter(project_id__isnull=False).values_list("project_id", flat=True))
        Thread.objects.bulk_create(
            [Thread(hub=hub, project_id=pk, title=f"Prosjekt {pk}") for pk, _lead in projects if pk not in have],
            batch_size=2000,
        )
        threads = list(Thread.objects.filter(hub=hub, project_id__isnull=False).values_list("pk", flat=True))
        seqs = dict.fromkeys(threads, 0)
        batch = []
        for number in range(comments):
            thread = threads[number % len(threads)]
            seqs[thread] += 1
            batch.append(
                Comment(
                    thread_id=thread,
                    author=author,
                    body=f"Kommentar {number}",
                    html=f"<p>Kommentar {number}</p>",
                    seq=seqs[thread],
                    last_change=ChangeType.COMMENT_CREATED,
                    hidden_at=timezone.now() if number % 50 == 0 else None,
                )
            )
            if len(batch) == 5000:
                Comment.objects.bulk_create(batch)
                batch = []
        Comment.objects.bulk_create(batch)
        Thread.objects.bulk_update(
            [Thread(pk=pk, last_seq=seq) for pk, seq in seqs.items()], ["last_seq"], batch_size=2000
        )
        # created_at is auto_now_add: spread the comments over 30 months in one statement.
        if connection.vendor == "sqlite":
            sql = "UPDATE discussions_comment SET created_at = datetime('now', '-' || (id % 900) || ' days')"
        else:
            sql = "UPDATE discussions_comment SET created_at = now() - (id % 900) * interval '1 day'"
        with connection.cursor() as cursor:
            cursor.execute(sql)
        updates = ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    project_id=pk,
                    partner_id=lead or partner_id,
                    reported_on=today - datetime.timedelta(days=(pk * 13) % 700),
                    text="<p>Fiktiv rapport.</p>",
                )
                for pk, lead in projects[::2]
            ],
            batch_size=2000,
        )
        outcomes = Outcome.objects.bulk_create(
            [
                Outcome(
                    project_id=pk,
                    title="Deltakere (fiktive)",
                    unit="personer",
                    baseline=Decimal(0),
                    target_value=Decimal(100),
                    target_date=today + datetime.timedelta(days=365),
                    sort_order=0,
                )
                for pk, _lead in projects
            ],
            batch_size=2000,
        )
        OutcomeMeasurement.objects.bulk_create(
            [
                OutcomeMeasurement(
                    outcome=outcome, update=update, value=Decimal(update.pk % 100), measured_on=update.reported_on
                )
                for outcome, update in zip(outcomes[::2], updates, strict=False)
            ],
            batch_size=2000,
        )
        made = Indicator.objects.bulk_create(
            [
                Indicator(hub=hub, code=f"BENCH{n:03d}", name=f"Indikator {n} (fiktiv)", fictional=True)
                for n in range(indicators)
            ]
        )
        made = list(Indicator.objects.filter(hub=hub, code__startswith="BENCH").order_by("code"))
        Indicator.goals.through.objects.bulk_create(
            [
                Indicator.goals.through(indicator_id=ind.pk, goal_id=goals[n % len(goals)].pk)
                for n, ind in enumerate(made)
            ]
        )
        series = Series.objects.bulk_create(
            [
                Series(indicator=ind, region_code=code, is_reference=code == "0")
                for ind in made
                for code in ("1507", "0")
            ]
        )
        series = list(Series.objects.filter(indicator__in=made))
        Value.objects.bulk_create(
            [
                Value(series=s, year=today.year - years + y, value=Decimal(y * 3 + s.pk % 7))
                for s in series
                for y in range(years)
            ],
            batch_size=5000,
        )
    return {
        "projects": len(projects),
        "comments": Comment.objects.count(),
        "updates": ProgressUpdate.objects.count(),
        "outcomes": Outcome.objects.count(),
        "indicators": Indicator.objects.count(),
        "values": Value.objects.count(),
    }


def _measure(hub, requests: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.dependency import everything_changed

    user = get_user_model().objects.create(email="bench-reader@example.org", display_name="Ola", password="!")
    client = Client()
    client.force_login(user)
    url = hub.url + "dashboard/"
    timings: dict[str, list[float]] = {"warm": [], "cold": []}
    queries: dict[str, int] = {}
    for kind in ("cold", "warm"):
        if kind == "cold":
            everything_changed()
        else:
            client.get(url)  # fills the cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        queries[kind] = len(captured)
    for _number in range(requests):
        for kind in ("warm", "cold"):
            if kind == "cold":
                everything_changed()
            started = time.perf_counter()
            client.get(url)
            timings[kind].append(time.perf_counter() - started)
    return timings, queries


def _report(args, counts: dict[str, int], timings, queries, seconds: float) -> str:
    import platform

    import django
    from django.db import connection

    database = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"Run of {date} on {platform.machine()} Linux, {os.cpu_count()} cores (shared with other work; load average "
        f"{os.getloadavg()[0]:.1f}), Python {platform.python_version()}, Django {django.get_version()}, {database}, "
        f"tests.bench.settings (production, DEBUG off), in-process test client, logged in. Data: "
        f"{counts['projects']} projects, {counts['comments']} comments, {counts['updates']} progress updates, "
        f"{counts['outcomes']} outcomes, {counts['indicators']} indicators with {counts['values']} yearly values. "
        f"{seconds:.0f} s in all.",
        "",
        "| dashboard | median ms | p95 ms | SQL queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind, label in (("warm", "warm (figures cached)"), ("cold", "cold (content version replaced first)")):
        median, p95 = 1000 * statistics.median(timings[kind]), 1000 * percentile(timings[kind], 0.95)
        lines.append(f"| {label} | {median:.1f} | {p95:.1f} | {queries[kind]} |")
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    write_results(
        report,
        start=RESULTS_START,
        end=RESULTS_END,
        heading="## The hub dashboard (`make bench BENCH_ARGS=--dashboard`)",
        intro=__doc__.split("\n\n", 1)[1],
    )
