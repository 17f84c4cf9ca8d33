import json
import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from hub.env import env_bool, env_int, env_list, env_site_url, env_str
from hub.settings.base import BASE_DIR


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "hub.settings.production", "ALLOWED_HOSTS": "dugnad.example.no"}


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key_and_names_it():
    result = _manage("check", **PRODUCTION)

    assert result.returncode != 0
    assert "The environment variable SECRET_KEY must be set." in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", SECRET_KEY="too-short", **PRODUCTION)

    assert result.returncode != 0
    assert "SECRET_KEY must be a random string of at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts_and_names_it():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="",
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_derives_site_url_from_the_allowed_host_and_wagtail_uses_it():
    script = "from django.conf import settings; print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)"
    result = _manage("shell", "-c", script, SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["https://dugnad.example.no", "https://dugnad.example.no"]


def test_production_refuses_a_site_url_on_a_host_it_does_not_serve():
    result = _manage("check", SECRET_KEY=secrets.token_urlsafe(64), SITE_URL="https://annen.example.no", **PRODUCTION)

    assert result.returncode != 0
    assert "The host of SITE_URL (https://annen.example.no) must be one of ALLOWED_HOSTS." in result.stderr


def test_production_needs_site_url_when_the_allowed_hosts_are_a_wildcard():
    env = {**PRODUCTION, "ALLOWED_HOSTS": ".example.no"}
    result = _manage("check", SECRET_KEY=secrets.token_urlsafe(64), **env)

    assert result.returncode != 0
    assert "The environment variable SITE_URL must be set." in result.stderr


@pytest.mark.parametrize("value", ["dugnad.example.no", "https://dugnad.example.no/sub/", "ftp://x", "http://x:port"])
def test_a_malformed_site_url_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("SITE_URL", value)

    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be the site's address"):
        env_site_url("SITE_URL", "http://127.0.0.1:8000")


def test_site_url_loses_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://dugnad.example.no:8443/")

    assert env_site_url("SITE_URL") == "https://dugnad.example.no:8443"


def test_a_malformed_boolean_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")

    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False)


def test_a_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("UPLOAD_IMAGE_MAX_BYTES", "5MB")

    with pytest.raises(ImproperlyConfigured, match="UPLOAD_IMAGE_MAX_BYTES must be a whole number"):
        env_int("UPLOAD_IMAGE_MAX_BYTES", 1)


def test_environment_helpers_read_values_and_defaults(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example , ,b.example")
    monkeypatch.setenv("DEBUG", "On")
    monkeypatch.delenv("EMAIL_PORT", raising=False)
    monkeypatch.setenv("EMAIL_HOST", "")

    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    assert env_bool("DEBUG", False) is True
    assert env_int("EMAIL_PORT", 25) == 25
    assert env_str("EMAIL_HOST", "localhost") == "localhost"


@pytest.mark.django_db
def test_the_public_site_gets_a_strict_content_security_policy(client):
    policy = client.get("/healthz")["Content-Security-Policy"]

    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_only_the_wagtail_admin_may_run_inline_scripts(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]

    assert "script-src 'self' 'unsafe-inline'" in policy


def _dev_settings(**env: str) -> dict:
    """The channel layer and cache that `make run`'s settings choose with ``env``."""
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'layer': settings.CHANNEL_LAYERS['default'], 'cache': settings.CACHES['default']}))"
    )
    environment = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DUGNAD_FILE_CACHE_DIR"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "hub.settings.dev", **env})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_without_redis_relays_live_messages_and_shares_a_cache_between_its_processes(tmp_path):
    chosen = _dev_settings(DUGNAD_VAR_DIR=str(tmp_path))

    assert chosen["layer"]["BACKEND"] == "hub.relay.layers.DatabaseRelayChannelLayer"
    # The web server and the task worker both read the bell's inbox numbers from it.
    assert chosen["cache"] == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
    }


def test_with_redis_the_channel_layer_and_cache_are_redis_as_before(tmp_path):
    chosen = _dev_settings(DUGNAD_VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/9")

    assert chosen["layer"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert chosen["cache"]["BACKEND"] == "hub.cache.TolerantRedisCache"
