"""Print the demo's log-ins again (``seed_demo`` printed them once): development settings only."""

from django.core.management.base import BaseCommand

from cms.demo_logins import login_lines, refuse_without_debug, set_documented_passwords


class Command(BaseCommand):
    help = "Print the demo accounts' e-mail addresses and documented passwords (only with DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First give every existing demo account its documented password again.",
        )

    def handle(self, *args, reset=False, **options):
        refuse_without_debug()
        if reset:
            set_documented_passwords(reset=True)
        self.stdout.write("\n".join(login_lines()))
