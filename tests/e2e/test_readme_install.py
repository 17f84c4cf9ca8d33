"""The README's "Running in production" section, followed literally on a fresh copy of the code.

Every ```` ```sh ```` block of that section runs as it stands, in order, with bash, in a copy of the
working tree without .venv, node_modules or var (what a fresh clone has), against a PostgreSQL
database made for the test, with only the environment an administrator would set (plus PATH, HOME
for pip's and npm's caches, and the machine's own package-index settings). Then the install is
checked: a new virtual environment with the app group only, tables created, static files collected
with hashed names by the production storage, every catalogue compiled, `check --deploy` silent.
"""

import os
import re
import secrets
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from tests.e2e.harness import BASE_DIR

LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SECTION = "## Running in production"
# The first run fills pip's and npm's caches from the registries; later runs install from them.
BLOCK_TIMEOUT = 540


def production_blocks(readme: str) -> list[str]:
    """The ```sh blocks of the README's production section, in order, without their indentation."""
    section = readme.split(SECTION + "\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^( *)```sh\n(.*?)^\1```$", section, flags=re.MULTILINE | re.DOTALL)
    return ["\n".join(line.removeprefix(indent) for line in body.splitlines()) for indent, body in blocks]


def _copy_working_tree(destination: Path) -> None:
    """The files git tracks (as they are on disk) and new ones it would track: a fresh clone's files."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listing.split("\0")):
        source = BASE_DIR / name
        if not source.is_file():  # deleted in the working tree, or a submodule
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        target.chmod(source.stat().st_mode & 0o777)


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database on the tests' server (DATABASE_URL's, else the local one)."""
    url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES_URL
    parts = urlsplit(url)
    assert parts.scheme.startswith("postgres"), f"The install test needs PostgreSQL, not {url}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    name = f"readme_install_{secrets.token_hex(4)}"

    def execute(statement: str) -> None:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))

    execute("CREATE DATABASE {}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def test_the_readme_production_steps_install_a_working_site(tmp_path, fresh_database):
    blocks = production_blocks((BASE_DIR / "README.md").read_text())
    assert len(blocks) >= 3, blocks
    assert any("pip install" in block for block in blocks)
    assert any("check --deploy" in block for block in blocks)

    site = tmp_path / "dugnad"
    _copy_working_tree(site)
    assert not (site / ".venv").exists() and not (site / "node_modules").exists()
    data = tmp_path / "data"
    machine = {
        key: value for key, value in os.environ.items() if key.startswith(("PIP_", "npm_config_", "NPM_CONFIG_"))
    }
    environment = {
        **machine,
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "dugnad.example.no",
        "DATABASE_URL": fresh_database,
        "DUGNAD_VAR_DIR": str(data / "var"),
        "MEDIA_ROOT": str(data / "media"),
        "STATIC_ROOT": str(data / "static"),
    }

    timings = []
    outputs = []
    for block in blocks:
        started = time.monotonic()
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=site,
            env=environment,
            capture_output=True,
            text=True,
            timeout=BLOCK_TIMEOUT,
        )
        timings.append(round(time.monotonic() - started, 1))
        assert result.returncode == 0, f"{block}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        outputs.append(result.stdout + result.stderr)
    print(f"README blocks took {timings} s")

    python = site / ".venv" / "bin" / "python"
    packages = subprocess.run([python, "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True).stdout
    assert "polib==" in packages and "Django==" in packages
    assert "pytest==" not in packages, "the production install must not bring the test tools"

    # The production storage: hashed names in its manifest, and a compressed copy for nginx.
    static = data / "static"
    manifest = (static / "staticfiles.json").read_text()
    hashed = re.search(r'"css/dugnad\.css": "(css/dugnad\.[0-9a-f]{12}\.css)"', manifest)
    assert hashed, manifest[:500]
    assert (static / hashed.group(1)).is_file() and (static / (hashed.group(1) + ".gz")).is_file()
    assert (static / "vendor" / "designsystemet" / "designsystemet.css").is_file()

    for catalogue in [
        *site.glob("locale/*/LC_MESSAGES/django.po"),
        *site.glob("locale_third_party/*/LC_MESSAGES/*.po"),
    ]:
        assert catalogue.with_suffix(".mo").is_file(), catalogue
    assert (site / "locale_third_party" / "nn" / "LC_MESSAGES" / "django.mo").is_file()

    with psycopg.connect(fresh_database) as connection:
        applied = connection.execute("SELECT count(*) FROM django_migrations WHERE app = 'discussions'").fetchone()[0]
    assert applied > 0
    pending = subprocess.run(
        [python, "manage.py", "migrate", "--check"], cwd=site, env=environment, capture_output=True, text=True
    )
    assert pending.returncode == 0, pending.stdout + pending.stderr

    assert "System check identified no issues" in outputs[-1], outputs[-1]
