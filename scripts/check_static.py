"""Collect the static files as production does, and fail on any that is missing.

Run by `make test`: production's storage (hub/settings/production.py, whitenoise's
CompressedManifestStaticFilesStorage) refuses a style sheet whose url() names a missing file, and
`{% static %}` raises for a name not in its manifest; the development and test settings serve files
as they find them, so without this a missing file is first noticed in production. Collects into a
temporary directory (the settings' STATIC_ROOT is not touched), then looks up every literal
`{% static '…' %}` in the templates in the manifest.

Usage: python scripts/check_static.py
"""

import os
import re
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_TAG = re.compile(r"""{%\s*static\s+(['"])([^'"]+)\1""")
SKIP_DIRS = {".venv", "node_modules", "var", ".git", "tests"}


def template_files() -> list[Path]:
    found = []
    for path in BASE_DIR.rglob("*.html"):
        parts = set(path.relative_to(BASE_DIR).parts)
        if parts & SKIP_DIRS or "templates" not in parts:
            continue
        found.append(path)
    return sorted(found)


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    with tempfile.TemporaryDirectory(prefix="dugnad-static-") as scratch:
        # Production settings refuse to start without these; nothing here uses them.
        os.environ.update(
            DJANGO_SETTINGS_MODULE="hub.settings.production",
            SECRET_KEY="collectstatic-check-" + "x" * 40,
            ALLOWED_HOSTS="localhost",
            STATIC_ROOT=str(Path(scratch) / "static"),
            DUGNAD_VAR_DIR=scratch,
        )
        for name in ("DATABASE_URL", "REDIS_URL"):
            os.environ.pop(name, None)
        import django
        from django.conf import settings
        from django.contrib.staticfiles.storage import staticfiles_storage
        from django.core.management import call_command

        django.setup()
        call_command("collectstatic", interactive=False, verbosity=0)
        missing = []
        for path in template_files():
            for match in STATIC_TAG.finditer(path.read_text(encoding="utf-8")):
                name = match.group(2)
                try:
                    staticfiles_storage.url(name)
                except ValueError:
                    missing.append(f"{path.relative_to(BASE_DIR)}: {{% static '{name}' %}} names no static file")
        for line in missing:
            print(line, file=sys.stderr)
        if missing:
            return 1
        backend = settings.STORAGES["staticfiles"]["BACKEND"]
        print(f"Static files: collected with {backend}, every template reference found.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
