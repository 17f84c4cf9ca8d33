"""Create the privacy and accessibility statements on an installation that has none yet."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from cms.services import statement_pages_ensure


class Command(BaseCommand):
    help = "Create the privacy and accessibility statement pages (default text) under the default site's root page."

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("No default site: create the site's root page first.")
        created = statement_pages_ensure(parent=site.root_page.specific)
        for page in created:
            self.stdout.write(f"Created {page.title} at {page.url}")
        if not created:
            self.stdout.write("Both statements exist already.")
