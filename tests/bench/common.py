"""What the one-off benchmark scripts share: a throw-away site to measure, percentiles, and writing
their results into docs/benchmarks.md between their own markers."""

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.bench.run import DOCS, _database, _environment, _prepare, _step


@contextlib.contextmanager
def bench_site(name: str, **environment: str) -> Iterator[Path]:
    """A fresh database (dropped afterwards) and work directory, Django set up and migrated.

    ``environment`` adds to or overrides the benchmark settings' environment (run._environment).
    """
    workdir = Path(tempfile.mkdtemp(prefix=f"dugnad-bench-{name}-"))
    drop_database = None
    try:
        database_url, drop_database = _database(workdir)
        os.environ.update(_environment(workdir, database_url))
        os.environ.update(environment)
        import django

        django.setup()
        _step("Migrating")
        _prepare()
        yield workdir
    finally:
        if drop_database is not None:
            from django.db import connections

            connections.close_all()
            drop_database()
        shutil.rmtree(workdir, ignore_errors=True)


def publish(report: str, *, write=None) -> None:
    """Print ``report``, and write it into DOCS with ``write`` unless that is None (--no-docs)."""
    print()
    print(report)
    if write is not None:
        write(report)
        print(f"Results written to {DOCS.name}.")


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def write_results(report: str, *, start: str, end: str, heading: str, intro: str = "") -> None:
    """Put ``report`` between the ``start`` and ``end`` markers of DOCS, or add a section for it."""
    text = DOCS.read_text()
    block = f"{start}\n{report}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n" + (intro.strip() + "\n\n" if intro.strip() else "") + block + "\n"
    DOCS.write_text(text)
