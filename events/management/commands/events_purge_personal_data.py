"""``manage.py events_purge_personal_data``: daily from cron or a systemd timer (see README).

Deletes the registrations (who came, their dietary and accessibility needs) of events that ended
more than ``EVENT_PERSONAL_DATA_RETENTION_DAYS`` days ago, as the registration form promises.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.services import personal_data_purge


class Command(BaseCommand):
    help = "Delete event registrations (names, needs) some days after the event (EVENT_PERSONAL_DATA_RETENTION_DAYS)."

    def handle(self, *args, **options):
        count = personal_data_purge()
        self.stdout.write(
            f"{count} registrations deleted of events that ended more than "
            f"{settings.EVENT_PERSONAL_DATA_RETENTION_DAYS} days ago."
        )
