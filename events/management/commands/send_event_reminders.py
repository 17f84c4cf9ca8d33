"""``manage.py send_event_reminders [--date YYYY-MM-DD]``: daily from cron or a systemd timer (see README).

Marks the reminders due for the events starting the next day (or on ``--date``) and announces
them; the notifications app writes the reminders and the task worker (``manage.py db_worker``)
e-mails them as each person prefers. Running it twice reminds nobody twice.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from events.services import reminders_send


class Command(BaseCommand):
    help = "Remind the people registered for tomorrow's events (or those on --date), once each."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day of the events, YYYY-MM-DD (default: tomorrow, Norwegian time)")

    def handle(self, *args, date=None, **options):
        day = None
        if date:
            try:
                day = _parse(date)
            except ValueError as error:
                raise CommandError(f"Not a date: {date}") from error
        count = reminders_send(day=day)
        self.stdout.write(f"{count} event reminders queued.")


def _parse(text: str) -> date:
    return date.fromisoformat(text)
