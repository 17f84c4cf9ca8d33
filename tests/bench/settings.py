"""Production settings for the benchmark, on this machine, over plain HTTP on the loopback.

The runner (``tests.bench.run``) sets the environment (a generated ``SECRET_KEY``, a temporary
database, static and media folder) before Django starts, in its own process and in the server's.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
# The load generator speaks plain HTTP to 127.0.0.1; in production a proxy terminates TLS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# One uvicorn worker by default, so the per-process cache is safe for the anonymous page cache;
# DUGNAD_PAGE_CACHE=false measures every page rendered.
os.environ.setdefault("DUGNAD_PAGE_CACHE", "true")
# The load generator is one address: the API's per-address limit would refuse most of its requests.
os.environ.setdefault("API_RATE_LIMIT_PER_MINUTE", "100000000")

from hub.settings.production import *  # noqa: F403

# The in-process query count uses Django's test client, which calls itself "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
DUGNAD_BENCH_VIEWS = True
