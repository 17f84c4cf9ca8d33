"""``manage.py send_digests daily|weekly``: from cron or a systemd timer (see README)."""

from django.core.management.base import BaseCommand

from notifications.digests import BATCH_SIZE, DIGEST_FREQUENCIES, send_digests, send_digests_task
from notifications.emails import retry_later


class Command(BaseCommand):
    help = (
        "Send the daily or weekly digest e-mails. By default the work is queued for the task workers "
        "(manage.py db_worker), one task per batch of people, which every worker takes from; --now sends "
        "them from this process and prints what was sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=[str(f) for f in DIGEST_FREQUENCIES])
        parser.add_argument("--now", action="store_true", help="send from this process instead of queueing")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"people per batch ({BATCH_SIZE})")

    def handle(self, *args, frequency, now, batch_size, **options):
        if not now:
            result = send_digests_task.enqueue(frequency=frequency, batch_size=batch_size)
            self.stdout.write(f"Queued the {frequency} digests (task {result.id}).")
            return
        run = send_digests(frequency, batch_size=batch_size)
        self.stdout.write(
            f"{run.emails} {frequency} digests sent to {run.people} people ({run.notifications} notifications, "
            f"{run.batches} batches); {len(run.failed_user_ids)} failed and will be tried again."
        )
        if run.failed_user_ids:
            retry_later(send_digests_task, attempt=1, frequency=frequency, user_ids=run.failed_user_ids)
