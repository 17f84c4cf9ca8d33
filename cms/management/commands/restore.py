"""``manage.py restore <dir>``: a backup made by ``manage.py backup`` into an empty database (cms.backup)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup: the database (which must be empty, unless --force) "
        "and the media files (into MEDIA_ROOT)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="empty a database that is not empty first (everything in it is lost)"
        )

    def handle(self, *args, directory, force, **options):
        try:
            summary = backup_restore(directory=directory, force=force)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Restored the database and {summary.media_files} media files from {directory}.")
        if summary.unapplied:
            self.stdout.write(
                f"This code has {len(summary.unapplied)} migrations the backup lacks: run manage.py migrate now."
            )
        if summary.unknown:
            self.stderr.write(
                "The backup was made by newer code (migrations unknown here: "
                f"{', '.join(summary.unknown[:5])}): deploy that version before serving it."
            )
