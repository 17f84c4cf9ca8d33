"""``python -m tests.bench --digests``: a daily digest run for many people, timed, with its queries
counted batch by batch.

1. A fresh database as for the page benchmark (``tests.bench.run``: SQLite in a temporary folder,
   or ``<name>_bench`` next to ``DATABASE_URL``'s PostgreSQL database), migrated, and the demo hub.
2. ``--people`` accounts (10,000) who want every kind of notification in a daily digest, and five
   events each of them is told about, written by ``notifications.services.notify`` as in
   production: two comments in a project's discussion, a progress update on that project, a new
   project, and a comment in a forum topic (50,000 notifications).
3. ``send_digests("daily")`` in this process with the production settings (DEBUG off), e-mail to
   the in-memory backend (each message is still built as MIME, as for SMTP), batch by batch:
   wall time and SQL queries per batch. Then again (the notifications marked unsent) at two other
   batch sizes, to show that a batch's query count does not depend on how many people it holds.

The issue's target: the run for 10,000 people finishes within a minute on this machine.
"""

import argparse
import datetime
import os
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.run import DOCS, _database, _environment, _prepare, _step

RESULTS_START = "<!-- bench:digests:start -->"
RESULTS_END = "<!-- bench:digests:end -->"
TARGET_SECONDS = 60


@dataclass
class Measured:
    batch_size: int
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    load_average: float = 0.0
    emails: int = 0
    notifications: int = 0
    batch_queries: list[int] = field(default_factory=list)
    batch_seconds: list[float] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="dugnad-bench-digests-"))
    drop_database = None
    try:
        database_url, drop_database = _database(workdir)
        os.environ.update(_environment(workdir, database_url))
        import django

        django.setup()
        _step("Migrating")
        _prepare()
        _step("Seeding the demo hub")
        from tests.bench.seed import seed_site

        hub = seed_site().hub
        _step(f"Writing {args.people} people with five notifications each")
        started = time.monotonic()
        _seed_people(hub, args.people)
        print(f"  in {time.monotonic() - started:.0f} s", flush=True)

        runs = []
        for batch_size in (args.batch_size, *args.compare):
            if runs:
                _mark_unsent()
            _step(f"Daily digests, {batch_size} people per batch")
            runs.append(_measure(batch_size))
            _print_run(runs[-1])
        report = _report(args, runs)
        print()
        print(report)
        if not args.no_docs:
            _write_docs(report)
            print(f"Results written to {DOCS.name}.")
        return 0 if runs[0].emails == args.people else 1
    finally:
        if drop_database is not None:
            from django.db import connections

            connections.close_all()
            drop_database()
        shutil.rmtree(workdir, ignore_errors=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench --digests", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people with a daily digest (10000)")
    parser.add_argument("--batch-size", type=int, default=500, help="people per batch in the timed run (500)")
    parser.add_argument(
        "--compare", type=int, nargs="*", default=[100, 2000], help="further batch sizes, for query counts (100 2000)"
    )
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    return parser.parse_args(argv)


def _seed_people(hub, count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from discussions.models import ChangeType, Comment, Thread
    from discussions.services import project_thread_ensure
    from notifications import services
    from notifications.models import EmailFrequency, EmailPreference, EventKind
    from projects.models import ProjectPage

    User = get_user_model()
    projects = list(ProjectPage.objects.live().descendant_of(hub).order_by("pk")[:2])
    project, newer = projects
    thread = project_thread_ensure(project)
    topic = Thread.objects.create(hub=hub, title="Sykkelveier i sentrum")
    actor = User.objects.create(email="bench-actor@example.org", display_name="Kari Nordmann", password="!")

    def comment(on, body):
        on.last_seq += 1
        on.save(update_fields=["last_seq"])
        return Comment.objects.create(
            thread=on,
            author=actor,
            body=body,
            html=f"<p>{body}</p>",
            seq=on.last_seq,
            last_change=ChangeType.COMMENT_CREATED,
        )

    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"bench-digest-{n}@example.org", display_name=f"Innbygger {n}", password="!")
                for n in range(count)
            ],
            batch_size=2000,
        )
        EmailPreference.objects.bulk_create(
            [
                EmailPreference(user=user, kind=kind, frequency=EmailFrequency.DAILY)
                for user in users
                for kind in EventKind.values
            ],
            batch_size=5000,
        )
    ids = [user.pk for user in users]
    about = {"actor_id": actor.pk, "hub_id": hub.pk}
    for body in ("Vi trenger flere frivillige på lørdag.", "Jeg kan ta med verktøy og hansker."):
        made = comment(thread, body)
        services.notify(
            kind=EventKind.COMMENT,
            recipient_ids=ids,
            url=f"{project.url}#comment-{made.pk}",
            thread_id=thread.pk,
            project_id=project.pk,
            comment_id=made.pk,
            **about,
        )
    services.notify(kind=EventKind.PROJECT_UPDATE, recipient_ids=ids, url=project.url, project_id=project.pk, **about)
    services.notify(kind=EventKind.NEW_PROJECT, recipient_ids=ids, url=newer.url, project_id=newer.pk, **about)
    made = comment(topic, "Hvem blir med på befaring langs elva?")
    services.notify(
        kind=EventKind.COMMENT,
        recipient_ids=ids,
        url=f"/forum/{topic.pk}/#comment-{made.pk}",
        thread_id=topic.pk,
        comment_id=made.pk,
        **about,
    )


def _mark_unsent() -> None:
    from notifications.models import Notification

    Notification.objects.update(emailed_at=None)


def _measure(batch_size: int) -> Measured:
    from django.core import mail
    from django.db import connection

    from notifications.digests import send_digests

    measured = Measured(batch_size=batch_size)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def on_batch(people, emails):
        nonlocal queries, batch_started
        measured.batch_queries.append(queries)
        measured.batch_seconds.append(time.monotonic() - batch_started)
        queries = 0
        batch_started = time.monotonic()

    mail.outbox = []
    started = batch_started = time.monotonic()
    cpu_started = time.process_time()
    with connection.execute_wrapper(count):
        run = send_digests("daily", batch_size=batch_size, on_batch=on_batch)
    measured.seconds = time.monotonic() - started
    measured.cpu_seconds = time.process_time() - cpu_started
    measured.load_average = os.getloadavg()[0]
    measured.emails, measured.notifications = run.emails, run.notifications
    assert len(mail.outbox) == run.emails
    mail.outbox = []
    return measured


def _batch_counts(run: Measured) -> str:
    """The first batch's count includes the run's one query for who has news; the others are alike."""
    first, *others = run.batch_queries
    text = f"first {first} (with the run's listing query)"
    if others:
        text += f", then {' or '.join(map(str, sorted(set(others))))}"
    return text


def _print_run(run: Measured) -> None:
    print(
        f"  {run.emails} e-mails ({run.notifications} notifications) in {run.seconds:.1f} s "
        f"({run.cpu_seconds:.1f} s CPU in this process), "
        f"{len(run.batch_queries)} batches; queries per batch: {_batch_counts(run)}; "
        f"slowest batch {max(run.batch_seconds):.2f} s; machine load average {run.load_average:.1f}",
        flush=True,
    )


def _report(args, runs: list[Measured]) -> str:
    import django
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} (a file, WAL)"
    else:
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    timed = runs[0]
    lines = [
        f"Run of {date}: {args.people} people, five notifications each, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {database}, "
        "tests.bench.settings (production, DEBUG off), in-memory e-mail backend.",
        "",
        "| people per batch | batches | e-mails | notifications | seconds | CPU seconds | ms per e-mail "
        "| SQL queries per batch | load average (1 min) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for run in runs:
        lines.append(
            f"| {run.batch_size} | {len(run.batch_queries)} | {run.emails} | {run.notifications} | "
            f"{run.seconds:.1f} | {run.cpu_seconds:.1f} | {1000 * run.seconds / max(run.emails, 1):.2f} | "
            f"{_batch_counts(run)} | {run.load_average:.1f} |"
        )
    within = timed.seconds <= TARGET_SECONDS
    same = len({count for run in runs for count in run.batch_queries[1:]}) == 1 and (
        len({run.batch_queries[0] for run in runs}) == 1
    )
    lines += [
        "",
        f"- {args.people} people in {timed.seconds:.1f} s at {timed.batch_size} per batch: "
        f"{'within' if within else 'over'} the target of {TARGET_SECONDS} s.",
        "- The query count per batch "
        + ("does not depend" if same else "DEPENDS")
        + " on the number of people in the batch.",
    ]
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    text = DOCS.read_text()
    if RESULTS_START not in text or RESULTS_END not in text:
        text = text.rstrip() + f"\n\n## Latest digest results\n\n{RESULTS_START}\n{RESULTS_END}\n"
    before, rest = text.split(RESULTS_START, 1)
    after = rest.split(RESULTS_END, 1)[1]
    DOCS.write_text(f"{before}{RESULTS_START}\n{report}\n{RESULTS_END}{after}")
