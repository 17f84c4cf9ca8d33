"""``python -m tests.bench --comment-post``: does a thread's follower count slow the comment POST?

1. A fresh database as for the page benchmark (``tests.bench.run``), migrated, and the demo hub.
2. Two forum topics in the hub: one nobody follows, one with ``--followers`` (10,000) followers.
3. ``--posts`` comments (30) into each, alternately, through ``POST /threads/<id>/comments/`` with
   ``Accept: application/json``, by a verified account a month old, with Django's test client in
   this process and the production settings (DEBUG off; tasks queued in the database, as
   production queues them for ``db_worker``). Median and 90th percentile wall time per POST.
4. The queued work, run by ``manage.py db_worker --batch`` afterwards: how long the fan-out of the
   comments takes, and how many notifications it wrote.

The issue's target: the comment's notifications are written in one bulk write, in the background,
and the POST's median time is the same with 0 and with 10,000 followers.
"""

import argparse
import datetime
import os
import statistics
import time

from tests.bench.common import bench_site, publish, write_results
from tests.bench.run import DOCS, _step

RESULTS_START = "<!-- bench:comment-post:start -->"
RESULTS_END = "<!-- bench:comment-post:end -->"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    with bench_site("comment-post", DISCUSSIONS_COMMENT_INTERVAL_SECONDS="0"):
        _step("Seeding the demo hub")
        from tests.bench.seed import seed_site

        hub = seed_site().hub
        _step(f"Two topics, one with {args.followers} followers")
        quiet, followed, poster = _seed(hub, args.followers)
        _step(f"{args.posts} comments into each, alternately")
        timings = _post(poster, quiet, followed, args.posts)
        _step("Running the queued fan-out (db_worker --batch)")
        fanout_seconds, notifications = _work_off_queue()
        report = _report(args, timings, fanout_seconds, notifications)
        publish(report, write=None if args.no_docs else _write_docs)
    return 0


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --comment-post", description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=10_000, help="followers of the busy topic (10000)")
    parser.add_argument("--posts", type=int, default=30, help="comments posted into each topic (30)")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    return parser.parse_args(argv)


def _seed(hub, followers: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from discussions.models import Thread
    from notifications.models import Follow

    User = get_user_model()
    month_ago = timezone.now() - datetime.timedelta(days=30)
    poster = User.objects.create(
        email="bench-poster@example.org", display_name="Kari Nordmann", password="!", date_joined=month_ago
    )
    EmailAddress.objects.create(user=poster, email=poster.email, verified=True, primary=True)
    quiet = Thread.objects.create(hub=hub, title="Et stille tema")
    followed = Thread.objects.create(hub=hub, title="Et populært tema")
    with transaction.atomic():
        people = User.objects.bulk_create(
            [
                User(email=f"bench-follower-{n}@example.org", display_name=f"Følger {n}", password="!")
                for n in range(followers)
            ],
            batch_size=2000,
        )
        Follow.objects.bulk_create([Follow(user=person, thread=followed) for person in people], batch_size=5000)
    return quiet, followed, poster


def _post(poster, quiet, followed, posts: int) -> dict[str, list[float]]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(poster)
    timings: dict[str, list[float]] = {"0 followers": [], "followed": []}
    for number in range(posts):
        for label, thread in (("0 followers", quiet), ("followed", followed)):
            url = reverse("discussions:comment_create", args=[thread.pk])
            started = time.perf_counter()
            response = client.post(url, {"body": f"Kommentar nummer {number}."}, HTTP_ACCEPT="application/json")
            timings[label].append(time.perf_counter() - started)
            if response.status_code != 201:
                raise SystemExit(f"POST {url} answered {response.status_code}: {response.content[:300]!r}")
    return timings


def _work_off_queue() -> tuple[float, int]:
    from django.core.management import call_command

    from notifications.models import Notification

    started = time.monotonic()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    return time.monotonic() - started, Notification.objects.count()


def _report(args, timings: dict[str, list[float]], fanout_seconds: float, notifications: int) -> str:
    import django
    from django.db import connection

    database = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"Run of {date}: {args.posts} comments into each topic, {os.cpu_count()} cores, Django {django.get_version()}, "
        f"{database}, tests.bench.settings (production, DEBUG off, tasks queued in the database); "
        f"machine load average {os.getloadavg()[0]:.1f}.",
        "",
        "| topic | POST median ms | POST p90 ms |",
        "| --- | ---: | ---: |",
    ]
    for label, values in timings.items():
        name = f"{args.followers} followers" if label == "followed" else label
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        lines.append(f"| {name} | {1000 * statistics.median(values):.1f} | {1000 * p90:.1f} |")
    lines += [
        "",
        f"Afterwards `db_worker --batch` worked off the queued fan-out of all {2 * args.posts} comments in "
        f"{fanout_seconds:.1f} s, writing {notifications} notifications.",
    ]
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    write_results(
        report,
        start=RESULTS_START,
        end=RESULTS_END,
        heading="## A comment's followers and its POST (`make bench BENCH_ARGS=--comment-post`)",
        intro=__doc__.split("\n\n", 1)[1],
    )
