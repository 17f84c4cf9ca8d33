"""Backup and restore: the demo data backed up with ``manage.py backup``, restored with
``manage.py restore`` into a fresh database of the private PostgreSQL cluster and a fresh media
folder, then served by a second server: the same pages, API answers and media files as the original.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.pg_cluster import TEMPLATE
from tests.e2e.test_faults_database import PrivateDatabaseServer, fetch


def manage(database_url: str, media: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "hub.settings.test", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media)})
    env.update({"REDIS_URL": "", "DUGNAD_VAR_DIR": str(media.parent)})
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)


def served(server, path: str) -> tuple[int, str]:
    status, _headers, body = fetch(server.url + path, language="nb")
    return status, body.replace(server.url, "SITE")


@pytest.fixture
def servers(private_postgres, tmp_path):
    original_media, restored_media, backup = tmp_path / "media", tmp_path / "restored-media", tmp_path / "backup"
    private_postgres.create_database("original", template=TEMPLATE)
    seeded = manage(private_postgres.url("original"), original_media, "seed_demo")
    assert seeded.returncode == 0, seeded.stderr
    made = manage(private_postgres.url("original"), original_media, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"] == {"vendor": "postgresql", "file": "database.dump"}
    assert "0003_email_claims" in manifest["migrations"]["notifications"]

    private_postgres.create_database("restored")  # fresh and empty: no template
    restored = manage(private_postgres.url("restored"), restored_media, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    again = manage(private_postgres.url("restored"), restored_media, "restore", str(backup))
    assert again.returncode != 0 and "is not empty" in again.stderr, "a database in use is never overwritten"

    pair = []
    for name, media in (("original", original_media), ("restored", restored_media)):
        server = PrivateDatabaseServer(private_postgres.url(name), outbox=tmp_path / f"outbox-{name}", media=media)
        server.start()
        pair.append(server)
    yield pair, original_media
    for server in pair:
        server.stop()


def test_a_restored_backup_serves_the_same_pages_and_files(servers):
    (original, restored), media = servers
    status, body = served(original, "/api/v1/projects?limit=3")
    assert status == 200
    project_paths = [item["url"].removeprefix("SITE") for item in json.loads(body)["data"]]
    assert project_paths, "the demo has projects"
    files = sorted(path for path in media.rglob("*") if path.is_file())
    assert files, "the demo has uploaded files"
    paths = [
        "/",
        "/goals/",
        "/api/v1/projects?limit=3",
        "/api/v1/partners",
        *project_paths,
        f"/media/{files[0].relative_to(media)}",
    ]

    for path in paths:
        expected = served(original, path)
        assert expected[0] == 200, path
        assert served(restored, path) == expected, path
