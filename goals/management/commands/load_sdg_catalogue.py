"""Refreshes the SDG catalogue from goals/data/sdg/ after the files have been replaced."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from goals.loading import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Create or update the SDG goals, targets and indicators from the files in goals/data/sdg/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            help="Read the YAML files from this folder instead of goals/data/sdg/ (to try a new download).",
        )

    def handle(self, *args, data_dir=None, **options):
        try:
            summaries = load_catalogue(apps, data_dir=data_dir)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        for name, summary in summaries.items():
            line = f"{name}: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged"
            if summary.not_in_files:
                line += f", {summary.not_in_files} kept although no longer in the files"
            self.stdout.write(line)
