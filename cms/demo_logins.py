"""The demo's log-ins: one fictional account per role, with a documented password under DEBUG only.

``seed_demo`` gives these passwords to the accounts it creates (and to demo accounts that have no
usable password) when ``settings.DEBUG`` is on, and prints them; ``manage.py demo_logins`` prints
them again. With DEBUG off (production settings) neither ever uses them: ``seed_demo`` gives new
accounts random passwords, and ``demo_logins`` refuses to run. README.md lists them.

Apps above cms add their own roles without cms importing them: a ``demo`` module may define
``DEMO_LOGINS``, a list of ``DemoLogin``.
"""

from dataclasses import dataclass
from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.module_loading import module_has_submodule

DEMO_MODULE = "demo"
ADMIN_EMAIL = "admin@fjordvik.example"
COORDINATOR_EMAIL = "koordinator@fjordvik.example"
RESIDENT_EMAIL = "innbygger@fjordvik.example"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str  # documented in README.md: used under DEBUG only


CMS_LOGINS = [
    DemoLogin("Site administrator", ADMIN_EMAIL, "fjordvik-admin"),
    DemoLogin("Hub coordinator", COORDINATOR_EMAIL, "fjordvik-koordinator"),
    DemoLogin("Citizen", RESIDENT_EMAIL, "fjordvik-innbygger"),
]


def demo_logins() -> list[DemoLogin]:
    """Every role's log-in: cms's own, then each installed app's ``demo.DEMO_LOGINS``."""
    found = list(CMS_LOGINS)
    for app_config in apps.get_app_configs():
        if app_config.name == "cms" or not module_has_submodule(app_config.module, DEMO_MODULE):
            continue
        found += getattr(import_module(f"{app_config.name}.{DEMO_MODULE}"), "DEMO_LOGINS", [])
    return found


def documented_passwords_allowed() -> bool:
    """Documented passwords are for a developer's machine: never with DEBUG off."""
    return bool(settings.DEBUG)


def refuse_without_debug() -> None:
    if not documented_passwords_allowed():
        raise CommandError(
            "The demo's documented passwords exist only under DEBUG (development settings); "
            "with DEBUG off, seed_demo gives demo accounts random passwords and prints them once."
        )


def set_documented_passwords(*, reset: bool = False) -> None:
    """Give each demo account that has no usable password (every one if ``reset``) its documented
    one, with its (fictional) address verified, so that one can log in as every role (DEBUG only)."""
    refuse_without_debug()
    user_model = get_user_model()
    for login in demo_logins():
        user = user_model.objects.filter(email=login.email).first()
        if user is not None and (reset or not user.has_usable_password()):
            user.set_password(login.password)
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=login.email, defaults={"verified": True, "primary": True}
            )


def login_lines() -> list[str]:
    """The log-ins block: one line per role, saying so where the account is missing or its
    password is no longer the documented one (DEBUG only)."""
    refuse_without_debug()
    logins = demo_logins()
    users = {user.email: user for user in get_user_model().objects.filter(email__in=[x.email for x in logins])}
    role_width = max(len(login.role) for login in logins)
    email_width = max(len(login.email) for login in logins)
    lines = ["Demo log-ins (fictional accounts, DEBUG only; `manage.py demo_logins` prints them again):"]
    for login in logins:
        user = users.get(login.email)
        if user is None:
            password = "(no such account: run `manage.py seed_demo`)"
        elif not user.check_password(login.password):
            password = "(password changed: `manage.py demo_logins --reset` restores it)"
        else:
            password = login.password
        lines.append(f"  {login.role:<{role_width}}  {login.email:<{email_width}}  {password}")
    return lines
