"""``manage.py backup <dir>``: the database and the uploaded files into a new directory (cms.backup)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.backup import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump's custom format for PostgreSQL, a copy for SQLite) and MEDIA_ROOT, "
        "with a manifest, into a new or empty directory. Restore with manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            summary = backup_create(directory=directory)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Backed up the database ({summary.database}) and {summary.media_files} media files to {summary.directory}."
        )
