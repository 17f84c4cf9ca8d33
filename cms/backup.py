"""Backup and restore of an installation: the database and the uploaded files (``MEDIA_ROOT``).

A backup is a directory holding:

- ``database.dump``: ``pg_dump --format=custom`` of a PostgreSQL database (restored with
  ``pg_restore``, which can also pick single tables out of it), or ``database.sqlite3``, a copy of
  an SQLite database made with SQLite's online backup API (consistent while the site runs);
- ``media.tar.gz``: every file under ``MEDIA_ROOT`` (pictures, documents, logos);
- ``manifest.json``: when it was made, Dugnad's version, the database's kind and the migrations
  applied to it, and the number of media files.

``manage.py backup <dir>`` writes one (the directory must be new or empty); ``manage.py restore
<dir>`` restores one into an empty database of the same kind (``--force`` first empties a database
that is not) and unpacks the media. Restoring into code with migrations the backup lacks is fine:
run ``manage.py migrate`` after it (the command says so). People's data exports
(``DATA_EXPORT_ROOT``) are left out on purpose: they expire within days and are made again on request.
"""

import json
import os
import sqlite3
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from cms import dependency

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
FORMAT = 1


def dugnad_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _postgres_environment() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    completed = subprocess.run(command, env=_postgres_environment(), capture_output=True, text=True)
    if completed.returncode != 0:
        raise ValidationError(f"{command[0]} failed: {completed.stderr.strip()}")


@dataclass
class BackupSummary:
    directory: Path
    database: str
    media_files: int


def backup_create(*, directory: Path) -> BackupSummary:
    """Write a backup of the database and MEDIA_ROOT into ``directory`` (new or empty)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise ValidationError(f"{directory} is not empty: give a new directory for each backup.")
    directory.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database = POSTGRES_DUMP
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(directory / database)]
            + [connection.settings_dict["NAME"]]
        )
    elif vendor == "sqlite":
        database = SQLITE_COPY
        connection.ensure_connection()
        target = sqlite3.connect(directory / database)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise ValidationError(f"Backing up a {vendor} database is not supported.")
    media_root = Path(settings.MEDIA_ROOT)
    media_files = 0
    with tarfile.open(directory / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)))
                    media_files += 1
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "dugnad_version": dugnad_version(),
        "database": {"vendor": vendor, "file": database},
        "migrations": _applied_migrations(),
        "media": {"file": MEDIA_ARCHIVE, "files": media_files},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return BackupSummary(directory=directory, database=database, media_files=media_files)


@dataclass
class RestoreSummary:
    media_files: int
    # Migrations this code has that the backup's database had not applied: run `manage.py migrate`.
    unapplied: list[str]
    # Migrations the backup's database had that this code does not know (a backup from newer code).
    unknown: list[str]


def _manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise ValidationError(f"{directory} holds no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise ValidationError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _empty_database() -> None:
    """Drop every table (``--force``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")


def backup_restore(*, directory: Path, force: bool = False) -> RestoreSummary:
    """Restore the backup in ``directory`` into this installation's database (which must be empty
    unless ``force``) and MEDIA_ROOT (files of the same name are replaced)."""
    directory = Path(directory)
    manifest = _manifest(directory)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise ValidationError(f"The backup is of a {vendor} database; this installation uses {connection.vendor}.")
    if connection.introspection.table_names():
        if not force:
            raise ValidationError(
                f"The database {connection.settings_dict['NAME']} is not empty: restore into a new database, "
                "or give --force to replace everything in it."
            )
        _empty_database()
    source = directory / manifest["database"]["file"]
    if vendor == "postgresql":
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            + ["--dbname", connection.settings_dict["NAME"], str(source)]
        )
    else:
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    connection.close()
    # Pages cached from the database that was there before (Redis outlives it) are out of date.
    dependency.everything_changed()
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / manifest["media"]["file"], "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        if hasattr(tarfile, "data_filter"):
            archive.extractall(media_root, members=members, filter="data")
        else:  # Python before 3.11.4: refuse paths that would leave MEDIA_ROOT
            for member in members:
                if not (media_root / member.name).resolve().is_relative_to(media_root.resolve()):
                    raise ValidationError(f"Refusing to unpack {member.name} outside MEDIA_ROOT.")
            archive.extractall(media_root, members=members)
    known = {(app, name) for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    return RestoreSummary(
        media_files=len(members),
        unapplied=sorted(f"{app}.{name}" for app, name in known - applied),
        unknown=sorted(f"{app}.{name}" for app, name in applied - known),
    )
