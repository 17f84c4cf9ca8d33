"""Rate limits for actions that reach other people (e-mails to coordinators, invitations).

Each attempt is counted against the person and against their address (``REMOTE_ADDR``, which
uvicorn's ``--proxy-headers`` sets from the proxy) in fixed windows in the shared cache. Redis and
the in-memory cache count atomically; the file cache of the embedded default does not quite, which
is fine for one machine's development server.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext


@dataclass(frozen=True)
class RateLimit:
    name: str
    per_person: int
    per_address: int
    window_seconds: int


def _limit(name: str) -> RateLimit:
    per_person, per_address, window = settings.DUGNAD_RATE_LIMITS[name]
    return RateLimit(name=name, per_person=per_person, per_address=per_address, window_seconds=window)


def _count(key: str, window: int) -> tuple[int, float]:
    """Add one to ``key``'s window; returns the new count and when the window started."""
    now = time.time()
    cache.add(f"{key}:start", now, window)
    if cache.add(key, 1, window):
        return 1, now
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, window)
        count = 1
    return count, cache.get(f"{key}:start", now)


def rate_limit_hit(request, name: str) -> int | None:
    """Count this attempt; None if it may go ahead, else the seconds until it may be tried again.

    ``name`` is a key of ``settings.DUGNAD_RATE_LIMITS`` (per person, per address, window seconds).
    """
    limit = _limit(name)
    waits = []
    checks = [(f"rl:{limit.name}:addr:{request.META.get('REMOTE_ADDR', '')}", limit.per_address)]
    if request.user.is_authenticated:
        checks.append((f"rl:{limit.name}:user:{request.user.pk}", limit.per_person))
    for key, allowed in checks:
        count, started = _count(key, limit.window_seconds)
        if count > allowed:
            waits.append(max(1, int(started + limit.window_seconds - time.time()) + 1))
    return max(waits) if waits else None


def rate_limited_message(wait_seconds: int) -> str:
    minutes = max(1, round(wait_seconds / 60))
    return ngettext(
        "You have done this many times in a short while. Please try again in %(minutes)d minute.",
        "You have done this many times in a short while. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def with_retry_after(response, wait_seconds: int | None):
    """Mark ``response`` as refused for now (429 with Retry-After) when ``wait_seconds`` is set."""
    if wait_seconds:
        response.status_code = 429
        response["Retry-After"] = str(wait_seconds)
    return response
