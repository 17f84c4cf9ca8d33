"""``python -m tests.bench --digests``: a week's digests for many people, sent as production sends
them, timed with 1, 2 and more worker processes, with each batch's queries counted.

1. A fresh database as for the page benchmark (``tests.bench.run``: ``<name>_bench`` next to
   ``DATABASE_URL``'s PostgreSQL database, or SQLite in a temporary folder), migrated, and the
   demo hub.
2. ``--people`` accounts (200,000), written in bulk: some with a preferred language, one in ten
   with e-mail preferences of their own (the rest have the defaults: a weekly digest). Each follows
   one to three of the hub's projects and forum topics, three in ten the hub itself. A week's
   activity: two comments and a progress update on each of four projects, two comments in each of
   two topics, a new project in the hub; every follower is told, in the rows
   ``notifications.services.notify`` writes (its bulk writer; the live announcement and immediate
   e-mails are left out). Everyone has 1–10 items waiting: about a million notifications.
3. Query counts: ``send_digests("weekly")`` in this process for the first few thousand people, at
   two batch sizes, counting each batch's SQL queries.
4. The timed runs, once per ``--workers`` count: everything marked unsent again, then
   ``manage.py send_digests weekly`` (what the systemd timer runs: it queues the run, which queues
   one task per batch of people) and that many ``manage.py db_worker`` processes with the
   production settings, sending over SMTP to a real SMTP server in this process
   (``tests/e2e/smtp_sink.py``). Timed from the queueing to the last batch done; each recipient
   must have received exactly one message.

The issue's target: digests for 200,000 people within 10 minutes on this machine.
"""

import argparse
import datetime
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.run import BASE_DIR, DOCS, _database, _environment, _step

RESULTS_START = "<!-- bench:digests:start -->"
RESULTS_END = "<!-- bench:digests:end -->"
TARGET_SECONDS = 600
FREQUENCY = "weekly"
RUN_DEADLINE_SECONDS = 3600


@dataclass
class Counted:
    batch_size: int
    people: int = 0
    batch_queries: list[int] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Timed:
    workers: int
    seconds: float = 0.0
    worker_cpu_seconds: float = 0.0
    emails: int = 0
    received: int = 0
    duplicates: int = 0
    batches: int = 0
    load_before: float = 0.0
    load_after: float = 0.0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="dugnad-bench-digests-"))
    drop_database = None
    sink = None
    try:
        database_url, drop_database = _database(workdir)
        environment = _environment(workdir, database_url)
        from tests.e2e.smtp_sink import SmtpSink

        sink = SmtpSink(headers_only=True).start()
        environment.update(
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.port),
                "DEFAULT_FROM_EMAIL": "Dugnad <noreply@dugnad.example.org>",
            }
        )
        os.environ.update(environment)
        import django

        django.setup()
        from django.core.management import call_command

        _step("Migrating")
        call_command("migrate", interactive=False, verbosity=0)
        _step("Seeding the demo hub")
        from tests.bench.seed import seed_site

        hub = seed_site().hub
        _step(f"Writing {args.people} people, their follows and a week's notifications")
        started = time.monotonic()
        seeded = _seed_people(hub, args.people)
        print(f"  {seeded} notifications in {time.monotonic() - started:.0f} s", flush=True)

        counted = []
        for batch_size in (args.batch_size, args.compare):
            _step(f"Queries per batch, {batch_size} people per batch, the first {args.count_people} people")
            counted.append(_count_queries(batch_size, args.count_people, profile=args.profile and not counted))
            print(f"  queries per batch: {_batch_counts(counted[-1])}", flush=True)
            sink.clear()

        timed = []
        for workers in args.workers:
            _mark_unsent()
            _step(f"Timed run: manage.py send_digests {FREQUENCY}, {workers} db_worker process(es)")
            timed.append(_timed_run(workers, environment, sink))
            _print_timed(timed[-1], args.people)
        report = _report(args, seeded, counted, timed)
        print()
        print(report)
        if not args.no_docs:
            _write_docs(report)
            print(f"Results written to {DOCS.name}.")
        return 0 if all(run.received == args.people and not run.duplicates for run in timed) else 1
    finally:
        if sink is not None:
            sink.stop()
        if drop_database is not None:
            from django.db import connections

            connections.close_all()
            drop_database()
        shutil.rmtree(workdir, ignore_errors=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --digests", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200_000, help="people with a weekly digest (200000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="db_worker processes (1 2 4)")
    parser.add_argument("--batch-size", type=int, default=500, help="people per batch (500)")
    parser.add_argument("--compare", type=int, default=100, help="another batch size, for query counts (100)")
    parser.add_argument("--count-people", type=int, default=2000, help="people in the query-count run (2000)")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process run (printed)")
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    return parser.parse_args(argv)


# --- Seeding --------------------------------------------------------------------------------------


def _seed_people(hub, count: int) -> int:
    """Bulk-write the people, their follows and their notifications; return the notifications' count."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from discussions.models import ChangeType, Comment, Thread
    from discussions.services import project_thread_ensure
    from notifications import services
    from notifications.models import EmailFrequency, EmailPreference, EventKind, Follow, Notification
    from projects.models import ProjectPage

    rng = random.Random(13)
    User = get_user_model()
    projects = list(ProjectPage.objects.live().descendant_of(hub).order_by("pk")[:5])
    followed_projects, newer = projects[:4], projects[4]
    threads = {project.pk: project_thread_ensure(project) for project in followed_projects}
    topics = [Thread.objects.create(hub=hub, title=title) for title in ("Sykkelveier i sentrum", "Ryddedag ved elva")]
    actor = User.objects.create(email="bench-actor@example.org", display_name="Kari Nordmann", password="!")
    languages = ["", "", "", "nb", "nn", "en"]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench-digest-{n}@example.org",
                    display_name=f"Innbygger {n}",
                    password="!",
                    preferred_language=rng.choice(languages),
                )
                for n in range(count)
            ],
            batch_size=5000,
        )
    ids = [user.pk for user in users]
    with transaction.atomic():
        EmailPreference.objects.bulk_create(
            [
                EmailPreference(
                    user_id=pk,
                    kind=kind,
                    frequency=EmailFrequency.IMMEDIATELY
                    if kind in {EventKind.REPLY, EventKind.MENTION}
                    else EmailFrequency.WEEKLY,
                )
                for pk in ids[::10]
                for kind in EventKind.values
            ],
            batch_size=10000,
        )
    targets = [("project", p.pk) for p in followed_projects] + [("thread", t.pk) for t in topics]
    followers: dict[tuple[str, int], list[int]] = {target: [] for target in targets}
    hub_followers = []
    for pk in ids:
        for target in rng.sample(targets, rng.randint(1, 3)):
            followers[target].append(pk)
        if rng.random() < 0.3:
            hub_followers.append(pk)
    table = connection.ops.quote_name(Follow._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        for (column, target_id), people in [*followers.items(), (("hub", hub.pk), hub_followers)]:
            for start in range(0, len(people), 50_000):
                chunk = people[start : start + 50_000]
                cursor.execute(
                    f"INSERT INTO {table} (user_id, {column}_id, active, automatic, created_at) "
                    f"VALUES {', '.join(['(%s, %s, true, false, CURRENT_TIMESTAMP)'] * len(chunk))}",
                    [value for pk in chunk for value in (pk, target_id)],
                )

    def comment(on, body):
        on.last_seq += 1
        on.save(update_fields=["last_seq"])
        return Comment.objects.create(
            thread=on, author=actor, body=body, html=f"<p>{body}</p>", seq=on.last_seq,
            last_change=ChangeType.COMMENT_CREATED,
        )  # fmt: skip

    def write(kind, recipients, **fields):
        # notify()'s own bulk writer, without its live announcement and immediate e-mails.
        with transaction.atomic():
            about = {"kind": kind, "actor_id": actor.pk, "hub_id": hub.pk, "data": {}, **fields}
            services._write(sorted(recipients), about)

    bodies = ("Vi trenger flere frivillige på lørdag.", "Jeg kan ta med verktøy og hansker, og kaffe til alle.")
    for project in followed_projects:
        people, thread = followers[("project", project.pk)], threads[project.pk]
        for body in bodies:
            made = comment(thread, body)
            write(EventKind.COMMENT, people, url=f"{project.url}#comment-{made.pk}", thread_id=thread.pk,
                  project_id=project.pk, comment_id=made.pk)  # fmt: skip
        write(EventKind.PROJECT_UPDATE, people, url=project.url, project_id=project.pk)
    for topic in topics:
        for body in bodies:
            made = comment(topic, body)
            write(EventKind.COMMENT, followers[("thread", topic.pk)], url=f"/forum/{topic.pk}/#comment-{made.pk}",
                  thread_id=topic.pk, comment_id=made.pk)  # fmt: skip
    write(EventKind.NEW_PROJECT, hub_followers, url=newer.url, project_id=newer.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    return Notification.objects.count()


def _mark_unsent() -> None:
    from django_tasks_db.models import DBTaskResult

    from notifications.models import Notification

    Notification.objects.exclude(emailed_at=None).update(emailed_at=None)
    DBTaskResult.objects.all().delete()


# --- Measuring ------------------------------------------------------------------------------------


def _count_queries(batch_size: int, people: int, *, profile: bool = False) -> Counted:
    import cProfile
    import pstats

    from django.db import connection

    from notifications.digests import recipients_due, send_digests

    counted = Counted(batch_size=batch_size)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def on_batch(people, emails):
        nonlocal queries
        counted.batch_queries.append(queries - emails)
        queries = 0

    chosen = recipients_due(FREQUENCY)[:people]
    profiler = cProfile.Profile() if profile else None
    started = time.monotonic()
    with connection.execute_wrapper(count):
        if profiler:
            profiler.enable()
        run = send_digests(FREQUENCY, batch_size=batch_size, user_ids=chosen, on_batch=on_batch)
        if profiler:
            profiler.disable()
    counted.seconds = time.monotonic() - started
    print(f"  {run.emails} e-mails in {counted.seconds:.1f} s in this process", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    counted.people = run.people
    _mark_unsent()
    return counted


def _timed_run(workers: int, environment: dict, sink) -> Timed:
    from django.core.management import call_command
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from tests.polling import poll_until

    timed = Timed(workers=workers, load_before=os.getloadavg()[0])
    sink.clear()
    connections.close_all()
    env = {**os.environ, **environment}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    call_command("send_digests", FREQUENCY, stdout=open(os.devnull, "w"))  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5", "--worker-id", f"bench-{n}"],
            cwd=BASE_DIR,
            env=env,
        )
        for n in range(workers)
    ]

    reported = started

    def finished() -> bool:
        nonlocal reported
        statuses = Counter(DBTaskResult.objects.values_list("status", flat=True))
        if time.monotonic() - reported > 30:
            reported = time.monotonic()
            print(f"  {reported - started:.0f} s: {dict(statuses)}, {len(sink.recorded())} received", flush=True)
        return statuses["SUCCESSFUL"] > 1 and not statuses["READY"] and not statuses["RUNNING"]

    try:
        poll_until(finished, RUN_DEADLINE_SECONDS, "the digests were not all sent", interval=0.25)
        timed.seconds = time.monotonic() - started
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed.worker_cpu_seconds = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    timed.load_after = os.getloadavg()[0]
    results = list(DBTaskResult.objects.filter(task_path__endswith="send_digest_batch_task"))
    timed.batches = len(results)
    timed.emails = sum((r.return_value or {}).get("emails", 0) for r in results)
    messages = sink.recorded()
    recipients = Counter(message.get("To") for message in messages)
    timed.received = len(recipients)
    timed.duplicates = len(messages) - len(recipients)
    return timed


def _batch_counts(run: Counted) -> str:
    first, *others = run.batch_queries
    text = f"first {first}"
    if others:
        text += f", then {' or '.join(map(str, sorted(set(others))))}"
    return text + " + 1 per digest"


def _print_timed(run: Timed, people: int) -> None:
    print(
        f"  {run.emails} e-mails in {run.batches} batches, {run.seconds:.0f} s; {run.received} of {people} people "
        f"received one, {run.duplicates} duplicates; workers' CPU {run.worker_cpu_seconds:.0f} s "
        f"({1000 * run.worker_cpu_seconds / max(run.emails, 1):.2f} ms per e-mail); "
        f"load average {run.load_before:.1f} → {run.load_after:.1f}",
        flush=True,
    )


def _report(args, seeded: int, counted: list[Counted], timed: list[Timed]) -> str:
    import django
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"Run of {date}: {args.people} people, {seeded} notifications waiting for the weekly digest, "
        f"{os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Django {django.get_version()}, {database}, tests.bench.settings "
        f"(production, DEBUG off), SMTP to a sink in the benchmark's process, {args.batch_size} people per batch.",
        "",
        "| db_worker processes | e-mails | batches | seconds | workers' CPU seconds | ms CPU per e-mail "
        "| people with exactly one | load average (1 min) before → after |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in timed:
        lines.append(
            f"| {run.workers} | {run.emails} | {run.batches} | {run.seconds:.0f} | {run.worker_cpu_seconds:.0f} | "
            f"{1000 * run.worker_cpu_seconds / max(run.emails, 1):.2f} | "
            f"{run.received - (run.duplicates > 0)} of {args.people} | {run.load_before:.1f} → {run.load_after:.1f} |"
        )
    best = min(timed, key=lambda run: run.seconds)
    lines += [
        "",
        f"- Fastest: {best.workers} worker(s), {best.seconds:.0f} s: "
        f"{'within' if best.seconds <= TARGET_SECONDS else 'over'} the target of {TARGET_SECONDS} s.",
        "- SQL queries per batch (in-process, the first people): "
        + "; ".join(f"{run.batch_size} people per batch: {_batch_counts(run)}" for run in counted)
        + ".",
    ]
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    text = DOCS.read_text()
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip() + f"\n\n## Latest digest results\n\n{RESULTS_START}\n{RESULTS_END}\n"
    before, rest = text.split(RESULTS_START, 1)
    after = rest.split(RESULTS_END, 1)[1]
    DOCS.write_text(f"{before}{RESULTS_START}\n{report}\n{RESULTS_END}{after}")
