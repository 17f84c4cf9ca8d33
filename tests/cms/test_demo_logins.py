"""The demo's log-ins: documented passwords under DEBUG, printed in one short block by seed_demo
and again by ``manage.py demo_logins``; never with DEBUG off (production settings)."""

import logging
import os
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.demo_logins import ADMIN_EMAIL, COORDINATOR_EMAIL, demo_logins
from cms.models import HubPage
from cms.permissions import is_hub_coordinator
from hub.settings.base import BASE_DIR
from partners.demo import CONTACT_EMAIL
from partners.models import PartnerMember

pytestmark = pytest.mark.django_db

# What a terminal may show for the whole of seed_demo: a few summary lines and the log-ins.
MAX_LINES = 16


def _command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_under_debug_seed_demo_prints_only_a_short_summary_ending_with_every_log_in(settings, capsys, caplog):
    settings.DEBUG = True
    # As under `make run`: e-mail on the console, page logs at INFO.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    caplog.set_level(logging.INFO)

    output = _command("seed_demo")

    printed = capsys.readouterr()
    logged = [record.getMessage() for record in caplog.records]
    everything = output.splitlines() + printed.out.splitlines() + printed.err.splitlines() + logged
    assert len(everything) <= MAX_LINES, "\n".join(everything)
    lines = output.splitlines()
    block = lines[-len(demo_logins()) :]
    user_model = get_user_model()
    roles = {login.role for login in demo_logins()}
    assert roles == {"Site administrator", "Hub coordinator", "Partner member", "Citizen"}
    for login, line in zip(demo_logins(), block, strict=True):
        assert line.split() == [*login.role.split(), login.email, login.password]
        user = user_model.objects.get(email=login.email)
        assert user.check_password(login.password), login
        assert EmailAddress.objects.filter(user=user, email=login.email, verified=True).exists()
    assert user_model.objects.get(email=ADMIN_EMAIL).is_superuser
    hub = HubPage.objects.get()
    assert is_hub_coordinator(user_model.objects.get(email=COORDINATOR_EMAIL), hub)
    assert PartnerMember.objects.filter(user__email=CONTACT_EMAIL).exists()


def test_the_log_ins_are_printed_again_after_a_restart_and_by_demo_logins(settings):
    settings.DEBUG = True
    _command("seed_demo")

    again = _command("seed_demo", "--if-empty").splitlines()
    listed = _command("demo_logins").splitlines()

    assert again[0] == "A hub already exists; demo data left alone."
    assert again[1:] == listed
    assert len(listed) == len(demo_logins()) + 1
    for login in demo_logins():
        assert any(line.split()[-2:] == [login.email, login.password] for line in listed), login

    # A password changed since is not printed as if it still worked.
    coordinator = get_user_model().objects.get(email=COORDINATOR_EMAIL)
    coordinator.set_password(secrets.token_urlsafe(16))
    coordinator.save()
    line = next(line for line in _command("demo_logins").splitlines() if COORDINATOR_EMAIL in line)
    assert line.endswith("(password changed: `manage.py demo_logins --reset` restores it)")
    assert "fjordvik-koordinator" not in line
    # --reset gives it back (an installation seeded before the passwords were documented, too).
    line = next(line for line in _command("demo_logins", "--reset").splitlines() if COORDINATOR_EMAIL in line)
    assert line.split()[-2:] == [COORDINATOR_EMAIL, "fjordvik-koordinator"]
    coordinator.refresh_from_db()
    assert coordinator.check_password("fjordvik-koordinator")


def test_with_debug_off_seed_demo_never_uses_the_documented_passwords(settings):
    settings.DEBUG = False

    output = _command("seed_demo")

    user_model = get_user_model()
    for login in demo_logins():
        assert login.password not in output
        user = user_model.objects.filter(email=login.email).first()
        assert user is None or not user.check_password(login.password), login
    assert not user_model.objects.filter(email=ADMIN_EMAIL).exists()
    assert not user_model.objects.get(email=CONTACT_EMAIL).has_usable_password()
    # The accounts it made have random passwords, printed once.
    assert f"log in as {COORDINATOR_EMAIL} with password " in output
    for args in ([], ["--reset"]):
        with pytest.raises(CommandError, match="only under DEBUG"):
            _command("demo_logins", *args)
    assert not user_model.objects.get(email=COORDINATOR_EMAIL).check_password("fjordvik-koordinator")
    # A restart prints no log-ins either.
    assert _command("seed_demo", "--if-empty").splitlines() == ["A hub already exists; demo data left alone."]


def test_demo_logins_refuses_with_production_settings():
    environment = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "hub.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "dugnad.example.no",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_logins"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "only under DEBUG" in result.stderr
    assert not any(login.password in result.stdout + result.stderr for login in demo_logins())


def test_the_readme_lists_every_log_in():
    readme = (BASE_DIR / "README.md").read_text()
    for login in demo_logins():
        assert f"`{login.email}`" in readme and f"`{login.password}`" in readme, login
