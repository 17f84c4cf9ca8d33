"""Fictional demo data: a home page, one hub with pages, news and its own menu, the
privacy and accessibility statements, and the demo accounts.

Under DEBUG the demo accounts get the documented passwords of ``cms.demo_logins`` (one per role,
listed in README.md), printed in one short block at the end, and a site administrator is added;
with DEBUG off (production settings) new accounts get random passwords, printed once. Seeding is
quiet: page logs and the e-mails that workflows send to the fictional addresses are kept back.

Idempotent: a second run finds what the first made and creates nothing. ``make run`` calls it
with ``--if-empty`` on every start, so it must stay cheap when there is already a hub.

Apps above cms add their own demo data without cms importing them: every installed app with a
``demo`` module that defines ``seed_demo_extend(hub, stdout)`` is called after the hub, pages and
accounts exist, in ``INSTALLED_APPS`` order and inside the same transaction. An extension must be
idempotent too.
"""

import contextlib
import datetime
import logging
import secrets
from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from accounts.roles import REGISTERED_USERS
from cms.demo_logins import (
    ADMIN_EMAIL,
    COORDINATOR_EMAIL,
    RESIDENT_EMAIL,
    demo_logins,
    documented_passwords_allowed,
    login_lines,
    set_documented_passwords,
)
from cms.models import FooterSettings, HomePage, HubPage, NavigationSettings, NewsIndexPage, NewsPage, StandardPage
from cms.services import hub_coordinator_add, hub_menu_seed, statement_pages_ensure

FICTION_NOTE = "<p><strong>Fiktive demodata.</strong> Alt innhold her er oppdiktet og kan slettes.</p>"
HOME_SLUG = "forside"
HUB_SLUG = "fjordvik-framtidslab"
# The hub's news (slug, title, date, introduction): enough for a row of cards on the front page.
DEMO_NEWS = (
    (
        "framtidslaben-apner",
        "Framtidslaben åpner (fiktiv nyhet)",
        datetime.date(2026, 1, 15),
        "Fiktive demodata: en oppdiktet åpning.",
    ),
    (
        "tolv-partnere",
        "Tolv partnere på plass (fiktiv nyhet)",
        datetime.date(2026, 2, 20),
        "Fiktive demodata: bedrifter, lag og skoler har sluttet seg til laben.",
    ),
    (
        "sykkelvei-apnet",
        "Første strekning av sykkelveien er åpnet (fiktiv nyhet)",
        datetime.date(2026, 3, 12),
        "Fiktive demodata: 800 meter ny sykkelvei langs fjorden.",
    ),
)
DEMO_MODULE = "demo"


@contextlib.contextmanager
def _quiet():
    """No page logs and no e-mail (kept in memory) while seeding: the log-ins must not scroll away."""
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        logging.disable(previous)


class Command(BaseCommand):
    help = (
        "Create fictional demo content (a hub, pages, menus) and demo accounts; under DEBUG with the "
        "documented passwords that `manage.py demo_logins` prints."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any hub already exists.")
        parser.add_argument(
            "--password",
            help=(
                "Password for demo accounts that are created now (default: under DEBUG the documented "
                "ones, else a random one, printed)."
            ),
        )

    def handle(self, *args, if_empty=False, password=None, **options):
        documented = password is None and documented_passwords_allowed()
        if if_empty and HubPage.objects.exists():
            self.stdout.write("A hub already exists; demo data left alone.")
            if documented:
                self.stdout.write("\n".join(login_lines()))
            return
        with _quiet(), transaction.atomic():
            site, home = self._home_and_site()
            hub = self._hub(home)
            self._about_page(hub, home)
            statement_pages_ensure(parent=home)
            self._news(hub)
            self._settings(site, hub)
            passwords = {login.email: login.password for login in demo_logins()} if documented else {}
            logins = [
                self._account(
                    email=COORDINATOR_EMAIL,
                    display_name="Kari Koordinator (fiktiv)",
                    password=passwords.get(COORDINATOR_EMAIL, password),
                    hub=hub,
                ),
                self._account(
                    email=RESIDENT_EMAIL,
                    display_name="Ola Innbygger (fiktiv)",
                    password=passwords.get(RESIDENT_EMAIL, password),
                ),
            ]
            if documented:
                self._account(
                    email=ADMIN_EMAIL,
                    display_name="Siv Sideadmin (fiktiv)",
                    password=passwords[ADMIN_EMAIL],
                    superuser=True,
                )
            self._extensions(hub)
            # Last, so that the menu lists the index pages the other apps have just added.
            hub_menu_seed(hub=hub)
            if documented:
                set_documented_passwords()
        # Search index updates are background tasks, and the worker may not run yet: index the demo
        # now, so that its search finds everything at once.
        call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (fictional): {hub.title} at {hub.url}"))
        if documented:
            self.stdout.write("\n".join(login_lines()))
            return
        for email, secret in logins:
            if secret is None:
                self.stdout.write(f"  {email}: account exists, password left unchanged")
            else:
                self.stdout.write(f"  log in as {email} with password {secret}")

    def _extensions(self, hub: HubPage) -> None:
        """Let each app that has a ``demo`` module add its part to the demo hub."""
        for app_config in apps.get_app_configs():
            if not module_has_submodule(app_config.module, DEMO_MODULE):
                continue
            extend = getattr(import_module(f"{app_config.name}.{DEMO_MODULE}"), "seed_demo_extend", None)
            if extend is not None:
                extend(hub, self.stdout)

    def _home_and_site(self) -> tuple[Site, HomePage]:
        """The default Site with a HomePage as its root, replacing Wagtail's welcome page."""
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None and isinstance(site.root_page.specific, HomePage):
            return site, site.root_page.specific

        home = HomePage.objects.filter(depth=2).first()
        if home is None:
            home = HomePage(
                title="Dugnad",
                slug=HOME_SLUG,
                intro=RichText(
                    "<p>Lokale partnerskap for bærekraftsmålene. <strong>Fiktive demodata</strong> "
                    "viser hvordan en samarbeidsarena kan se ut.</p>"
                ),
            )
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()

        old_root = site.root_page if site is not None else None
        if site is None:
            site = Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Dugnad"
            )
        else:
            site.root_page = home
            # Wagtail's own first site has no name, and the admin's dashboard then shows "localhost".
            site.site_name = site.site_name or "Dugnad"
            site.save(update_fields=["root_page", "site_name"])
        # Only Wagtail's bare welcome page goes; a real page that happened to be the root stays.
        if old_root is not None and old_root.pk != home.pk and old_root.specific_class is Page:
            old_root.delete()
        return site, home

    def _hub(self, home: HomePage) -> HubPage:
        hub = HubPage.objects.child_of(home).filter(slug=HUB_SLUG).first()
        if hub is None:
            hub = HubPage(
                title="Fjordvik framtidslab (fiktiv)",
                slug=HUB_SLUG,
                municipality="Fjordvik (fiktiv kommune)",
                default_language="nb",
                introduction=RichText(
                    "<p>Framtidslaben i Fjordvik samler kommunen, næringslivet, skolene og frivilligheten "
                    "om bærekraftsmålene. <strong>Fiktive demodata.</strong></p>"
                ),
                contact_email="post@fjordvik.example",
                contact_phone="+47 700 00 000",
                contact_address="Kaigata 1\n6000 Fjordvik (fiktiv adresse)",
                body=[
                    ("heading", {"text": "Slik jobber vi", "level": "h2"}),
                    ("text", RichText(FICTION_NOTE)),
                ],
            )
            home.add_child(instance=hub)
            hub.save_revision().publish()
        return hub

    def _about_page(self, hub: HubPage, home: HomePage) -> StandardPage:
        about = StandardPage.objects.child_of(hub).filter(slug="om-laben").first()
        if about is None:
            about = StandardPage(
                title="Om laben",
                slug="om-laben",
                show_in_menus=True,
                intro=RichText("<p>Hvem vi er og hvordan du kan bli med. <strong>Fiktive demodata.</strong></p>"),
                body=[
                    ("heading", {"text": "Et samarbeid for hele kommunen", "level": "h2"}),
                    ("text", RichText(FICTION_NOTE + "<ul><li>Kommunen</li><li>Næringslivet</li></ul>")),
                    ("heading", {"text": "Partnerne", "level": "h3"}),
                    (
                        "quote",
                        {
                            "text": "Sammen får vi til mer enn hver for oss.",
                            "attribution": "Fiktiv ordfører i Fjordvik",
                        },
                    ),
                    (
                        "call_to_action",
                        {
                            "heading": "Bli partner",
                            "text": RichText("<p>Ta kontakt, så finner vi ut av det sammen.</p>"),
                            "page": home,
                            "url": "",
                            "button_label": "Til forsiden",
                        },
                    ),
                ],
            )
            hub.add_child(instance=about)
            about.save_revision().publish()
        return about

    def _news(self, hub: HubPage) -> None:
        index = NewsIndexPage.objects.child_of(hub).first()
        if index is None:
            index = NewsIndexPage(title="Nyheter", slug="nyheter", intro=RichText(FICTION_NOTE))
            hub.add_child(instance=index)
            index.save_revision().publish()
        for slug, title, date, intro in DEMO_NEWS:
            if NewsPage.objects.child_of(index).filter(slug=slug).exists():
                continue
            news = NewsPage(
                title=title,
                slug=slug,
                date=date,
                intro=RichText(f"<p>{intro}</p>"),
                body=[("text", RichText(FICTION_NOTE))],
            )
            index.add_child(instance=news)
            news.save_revision().publish()

    def _settings(self, site: Site, hub: HubPage) -> None:
        """The site-wide menu and footer (home page, goals, accounts); the hub has its own."""
        navigation = NavigationSettings.for_site(site)
        if not navigation.links:
            navigation.links = [
                (
                    "link",
                    {
                        "label": "Fjordvik framtidslab",
                        "label_nn": "",
                        "label_en": "Fjordvik Future Lab",
                        "page": hub,
                        "url": "",
                    },
                ),
            ]
            navigation.save()
        footer = FooterSettings.for_site(site)
        if not footer.text:
            footer.text = "Dugnad – lokale partnerskap for bærekraftsmålene. Fiktive demodata."
            footer.save()

    def _account(
        self,
        *,
        email: str,
        display_name: str,
        password: str | None,
        hub: HubPage | None = None,
        superuser: bool = False,
    ) -> tuple[str, str | None]:
        """Get or create a verified demo account; returns the password only if it was set now."""
        user_model = get_user_model()
        user = user_model.objects.filter(email=email).first()
        secret = None
        if user is None:
            secret = password or secrets.token_urlsafe(12)
            create = user_model.objects.create_superuser if superuser else user_model.objects.create_user
            user = create(email=email, password=secret, display_name=display_name)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        registered, _created = Group.objects.get_or_create(name=REGISTERED_USERS)
        user.groups.add(registered)
        if hub is not None:
            hub_coordinator_add(hub=hub, user=user)
        return email, secret
