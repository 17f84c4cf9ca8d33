"""The files in deploy/ are valid and agree with the application: nginx accepts the site, systemd the
units, the environment template names every setting, and the limits and private paths match."""

import re
import shutil
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from tests.deploy.rendering import (
    DEPLOY_DIR,
    NGINX_DIR,
    SITE,
    SYSTEMD_DIR,
    nginx_main,
    nginx_site,
    systemd_unit,
    tls_snippet,
)

BASE_DIR = Path(settings.BASE_DIR)
NGINX = "/usr/sbin/nginx"
ENV_CALL = re.compile(r"""\b(?:env_\w+|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def _nginx_test(tmp_path: Path, tls_name: str, appended: str = "") -> subprocess.CompletedProcess:
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=dugnad.example.no"]
        + ["-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    snippet = tmp_path / "tls.conf"
    snippet.write_text(tls_snippet(tls_name, port=8443, certificate=certificate, key=key))
    site = tmp_path / "site.conf"
    site.write_text(
        nginx_site(data_root=tmp_path, run_dir=tmp_path / "run", redirect_port=8080, listen_snippet=snippet) + appended
    )
    main = tmp_path / "nginx.conf"
    main.write_text(nginx_main(tmp_path, site))
    return subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("tls_name", ["dugnad-tls.conf", "dugnad-tls-load-balancer.conf"])
def test_nginx_accepts_the_site_with_each_tls_snippet(tmp_path, tls_name):
    result = _nginx_test(tmp_path, tls_name)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def test_nginx_rejects_a_broken_site(tmp_path):
    """The check above can fail: the same site with one unknown directive is refused."""
    result = _nginx_test(tmp_path, "dugnad-tls.conf", appended="\nbogus_directive on;\n")
    assert result.returncode != 0 and "bogus_directive" in result.stderr


def test_the_nginx_body_limit_is_the_applications():
    limit = re.findall(r"^\s*client_max_body_size (\d+)m;", SITE.read_text(), flags=re.MULTILINE)
    assert [int(megabytes) * 1024 * 1024 for megabytes in limit] == [settings.REQUEST_MAX_BYTES]
    template = _template_values()
    assert int(template["REQUEST_MAX_BYTES"]) == settings.REQUEST_MAX_BYTES


def test_nginx_never_serves_confidential_uploads_from_disk():
    site = SITE.read_text()
    for private in ("/media/challenges/submissions/", "/media/documents/"):
        block = re.search(r"location \^~ " + re.escape(private) + r" \{\s*deny all;\s*\}", site)
        assert block, f"{private} must be denied with its own ^~ location"
    # The application stores submissions' attachments there (challenges.models._attachment_path).
    from challenges.models import _attachment_path

    assert _attachment_path(None, "x.pdf").startswith("challenges/submissions/")


def test_nginx_forwards_what_the_application_relies_on():
    site = SITE.read_text()
    for header in (
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Port $server_port;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Request-ID $request_id;",
        "proxy_set_header Upgrade $http_upgrade;",
    ):
        assert header in site
    assert settings.STATIC_URL == "/static/" and settings.MEDIA_URL == "/media/"
    assert "location /ws/ {" in site
    assert "return 301 https://$host$request_uri;" in site


def _unit(name: str) -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read_string((SYSTEMD_DIR / name).read_text())
    return parser


def test_the_web_unit_runs_uvicorn_on_the_sockets_nginx_proxies_to():
    service = _unit("dugnad-web@.service")["Service"]
    command = service["ExecStart"].split()
    assert command[:2] == ["/srv/dugnad/app/.venv/bin/uvicorn", "hub.asgi:application"]
    arguments = " ".join(command[2:])
    flags = ("--proxy-headers", "--ws-per-message-deflate false", "--no-access-log", "--forwarded-allow-ips=*")
    # A deploy's SIGTERM drains the process (sockets closed with 1012) within systemd's stop timeout.
    assert int(re.search(r"--timeout-graceful-shutdown (\d+)", " ".join(command)).group(1)) < int(
        service["TimeoutStopSec"]
    )
    for flag in flags:
        assert flag in arguments
    assert "--uds /run/dugnad/web-%i.sock" in arguments
    sockets = re.findall(r"server unix:/run/dugnad/web-(\d+)\.sock;", SITE.read_text())
    assert sockets == ["1", "2"]
    # The README's command is the one the unit runs, with a socket instead of a port.
    readme = (BASE_DIR / "README.md").read_text()
    assert "--proxy-headers --ws-per-message-deflate false" in readme
    assert service["Environment"] == "PROMETHEUS_MULTIPROC_DIR=/run/dugnad/metrics"
    assert service["RuntimeDirectory"].split() == ["dugnad", "dugnad/metrics"]
    assert _template_values()["PROMETHEUS_MULTIPROC_DIR"] == "/run/dugnad/metrics"


def test_every_unit_is_hardened_and_reads_the_environment_file():
    units = sorted(path.name for path in SYSTEMD_DIR.glob("*.service"))
    assert len(units) == 7
    for name in units:
        service = _unit(name)["Service"]
        assert service["EnvironmentFile"] == "/etc/dugnad/dugnad.env", name
        assert service["User"] == "dugnad", name
        assert service["NoNewPrivileges"] == "yes", name
        assert service["ProtectSystem"] == "strict", name
        assert "/srv/dugnad/media" in service["ReadWritePaths"].split(), name
    assert _unit("dugnad-worker@.service")["Service"]["Restart"] == "always"
    assert _unit("dugnad-worker@.service")["Service"]["ExecStart"].endswith("manage.py db_worker")


def test_every_timer_starts_a_one_shot_management_command_that_exists():
    timers = sorted(SYSTEMD_DIR.glob("*.timer"))
    commands = set()
    for timer in timers:
        assert _unit(timer.name)["Timer"]["OnCalendar"]
        service = _unit(timer.with_suffix(".service").name)["Service"]
        assert service["Type"] == "oneshot"
        command = service["ExecStart"].split()
        assert command[:2] == ["/srv/dugnad/app/.venv/bin/python", "manage.py"]
        assert command[2] in get_commands(), command
        commands.add(" ".join(command[2:]))
    assert commands == {
        "send_digests daily",
        "send_digests weekly",
        "send_event_reminders",
        "apply_retention",
        "prune_db_task_results",
    }


def test_systemd_accepts_the_units(tmp_path):
    for path in SYSTEMD_DIR.iterdir():
        # A template unit is verified as one of its instances.
        name = path.name.replace("@.", "@1.")
        (tmp_path / name).write_text(systemd_unit(path.name, code_dir=BASE_DIR))
    names = sorted(str(path) for path in tmp_path.iterdir())
    if shutil.which("systemd-analyze"):
        result = subprocess.run(["systemd-analyze", "verify", "--man=no", *names], capture_output=True, text=True)
        # Unknown keys are only warned about: any output is a fault.
        assert (result.returncode, result.stdout + result.stderr) == (0, "")
    else:
        for name in names:
            parser = ConfigParser(strict=True, interpolation=None, delimiters=("="))
            parser.optionxform = str
            parser.read_string(Path(name).read_text())
            assert parser.has_section("Unit")


def _template_values() -> dict[str, str]:
    text = (DEPLOY_DIR / "dugnad.env.example").read_text()
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.MULTILINE))


def test_the_environment_template_lists_every_setting_production_reads():
    read = set()
    for module in ("base.py", "production.py"):
        read |= set(ENV_CALL.findall((BASE_DIR / "hub" / "settings" / module).read_text()))
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REQUEST_MAX_BYTES"} <= read
    template = _template_values()
    assert sorted(read - template.keys()) == []
    example = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (BASE_DIR / ".env.example").read_text(), flags=re.MULTILINE))
    assert sorted(example - template.keys()) == []
    assert {"LOG_FORMAT", "ACCESS_LOG", "METRICS_TOKEN", "PROMETHEUS_MULTIPROC_DIR"} <= template.keys()
    assert template["DJANGO_SETTINGS_MODULE"] == "hub.settings.production"
    assert template["SECRET_KEY"] == ""
    # nginx serves /static/ and /media/ from the folders the template gives the application.
    assert (template["STATIC_ROOT"], template["MEDIA_ROOT"]) == ("/srv/dugnad/static", "/srv/dugnad/media")
    assert NGINX_DIR.joinpath("dugnad.conf").read_text().count("root /srv/dugnad;") == 2


def test_production_takes_the_port_nginx_forwards(tmp_path):
    """The web processes' sockets have no port; without the forwarded one Wagtail cannot find the site."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "dugnad.example.no",
        "DUGNAD_VAR_DIR": str(tmp_path),
    }
    script = "import django; django.setup(); from django.conf import settings as s; print(s.USE_X_FORWARDED_PORT)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip() == "True", result.stderr
    assert "proxy_set_header X-Forwarded-Port $server_port;" in SITE.read_text()


def test_the_environment_template_reads_the_same_in_a_shell(tmp_path):
    """deploy/README.md loads it with `set -a; . /etc/dugnad/dugnad.env` for the install steps."""
    template = DEPLOY_DIR / "dugnad.env.example"
    script = f"set -a; . {template}; set +a; env -0"
    result = subprocess.run(["bash", "-euc", script], env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    for name, value in _template_values().items():
        assert loaded[name] == value.removeprefix('"').removesuffix('"'), name
    assert loaded["DEFAULT_FROM_EMAIL"] == "Dugnad <noreply@dugnad.example.no>"
