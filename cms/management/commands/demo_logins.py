"""Print the demo's log-ins again (``seed_demo`` printed them once): development settings only."""

from django.core.management.base import BaseCommand

from cms.demo_logins import login_lines, refuse_without_debug


class Command(BaseCommand):
    help = "Print the demo accounts' e-mail addresses and documented passwords (only with DEBUG on)."

    def handle(self, *args, **options):
        refuse_without_debug()
        self.stdout.write("\n".join(login_lines()))
