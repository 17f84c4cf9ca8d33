"""Erase closed accounts whose grace period has ended, and prune what is kept only for a while.

Run once a day (cron or a systemd timer, see the README). Safe to run any number of times.
"""

from django.core.management.base import BaseCommand

from accounts.services import retention_apply


class Command(BaseCommand):
    help = (
        "Erase closed accounts after their grace period; remove unconfirmed accounts, old notifications and sessions."
    )

    def handle(self, *args, **options):
        for what, count in retention_apply().items():
            self.stdout.write(f"{what}: {count}")
