"""Production: secrets required, DEBUG off, HTTPS everywhere.

Run behind a TLS-terminating proxy that sets X-Forwarded-Proto and X-Forwarded-Port (deploy/nginx).
"""

import os
from urllib.parse import urlsplit

os.environ["DEBUG"] = "false"

from django.http.request import validate_host

from hub.env import env_bool, env_int, env_list, env_site_url, env_str
from hub.settings.base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The environment variable SECRET_KEY must be a random string of at least 50 characters.")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS must list the site's host names.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS])
# Links in e-mails and feeds: SITE_URL, else https:// and the first allowed host when that is one
# host name (not a wildcard); it must be a host the site answers to, or every link would be dead.
_first_host = ALLOWED_HOSTS[0]
SITE_URL = env_site_url("SITE_URL", None if _first_host.startswith((".", "*")) else f"https://{_first_host}")
WAGTAILADMIN_BASE_URL = SITE_URL
if not validate_host(urlsplit(SITE_URL).hostname or "", ALLOWED_HOSTS):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"The host of SITE_URL ({SITE_URL}) must be one of ALLOWED_HOSTS.")
ACCOUNT_EMAIL_VERIFICATION = "mandatory"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The web processes listen on Unix sockets (deploy/systemd/dugnad-web@.service), which have no port;
# the proxy states the public one (deploy/nginx/dugnad.conf), and Wagtail finds the site by it.
USE_X_FORWARDED_PORT = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# The anonymous page cache needs a cache every process shares: a content change handled by one
# process must reach the others. Without Redis (or a shared file cache) it stays off unless
# turned on explicitly, which is right only for a single process.
DUGNAD_PAGE_CACHE = env_bool("DUGNAD_PAGE_CACHE", bool(REDIS_URL or globals().get("FILE_CACHE_DIR")))  # noqa: F405

# PostgreSQL through a pool of connections per process (psycopg_pool, Django 5.1+), rather than a
# connection per request: under ASGI each request runs on a thread of its own, so CONN_MAX_AGE
# keeps nothing for the next request and every request would pay PostgreSQL's connection set-up.
# Each process holds at most DATABASE_POOL_MAX_SIZE connections: with N web processes and a worker,
# N × that + a few must stay under PostgreSQL's max_connections (100 by default). A request that
# finds every connection busy waits up to DATABASE_POOL_TIMEOUT seconds, then fails (503).
DATABASE_POOL = env_bool("DATABASE_POOL", True)
if DATABASE_POOL and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Django refuses persistent connections beside a pool; the pool keeps them instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 5),
    }
    # With CONN_HEALTH_CHECKS (base settings) the pool checks a connection as it hands it out, so
    # one broken by a database restart is replaced instead of failing the request.
