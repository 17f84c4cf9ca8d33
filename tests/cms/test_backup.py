"""``manage.py backup`` and ``restore`` on SQLite (the backup API), in processes of their own with
their own database files; PostgreSQL is tests/e2e/test_backup_restore.py."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def manage(database: Path, media: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hub.settings.test",
            "DATABASE_URL": f"sqlite:///{database}",
            "MEDIA_ROOT": str(media),
            "REDIS_URL": "",
        }
    )
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)


def test_a_sqlite_backup_restores_the_rows_and_files_into_an_empty_database_only(tmp_path):
    original, media = tmp_path / "original.sqlite3", tmp_path / "media"
    with sqlite3.connect(original) as db:
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        db.executemany("INSERT INTO note (body) VALUES (?)", [("første",), ("andre",)])
    (media / "images").mkdir(parents=True)
    (media / "images" / "logo.png").write_bytes(b"\x89PNG not really")
    backup = tmp_path / "backup"

    made = manage(original, media, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"] == {"vendor": "sqlite", "file": "database.sqlite3"}
    assert manifest["media"]["files"] == 1
    assert manage(original, media, "backup", str(backup)).returncode != 0, "never into a directory in use"

    restored, restored_media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    done = manage(restored, restored_media, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "run manage.py migrate" in done.stdout  # this database had no migrations applied
    with sqlite3.connect(restored) as db:
        assert db.execute("SELECT body FROM note ORDER BY id").fetchall() == [("første",), ("andre",)]
    assert (restored_media / "images" / "logo.png").read_bytes() == b"\x89PNG not really"

    with sqlite3.connect(restored) as db:
        db.execute("INSERT INTO note (body) VALUES ('tredje')")
    refused = manage(restored, restored_media, "restore", str(backup))
    assert refused.returncode != 0 and "is not empty" in refused.stderr
    forced = manage(restored, restored_media, "restore", "--force", str(backup))
    assert forced.returncode == 0, forced.stderr
    with sqlite3.connect(restored) as db:
        assert db.execute("SELECT count(*) FROM note").fetchone() == (2,)
