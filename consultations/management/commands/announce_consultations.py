"""Tell followers about consultations that have opened since the last run (run it from cron every
few minutes; a consultation saved while already open is announced at once by its service)."""

from django.core.management.base import BaseCommand

from consultations.services import consultations_announce_opened


class Command(BaseCommand):
    help = "Announce consultations that have opened and were not announced yet."

    def handle(self, *args, **options):
        announced = consultations_announce_opened()
        self.stdout.write(f"Announced {len(announced)} consultation(s).")
