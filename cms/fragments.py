"""Parts of a page that are the same for every visitor, rendered once per content version.

Logged-in members are never served from the anonymous page cache, so the expensive public parts
of their pages (a goal's projects and indicators, a hub's featured projects) are kept as HTML in
the versioned cache, by language, host and day (cards say how fresh a project is). Only parts that
read nothing of the visitor qualify: follow buttons, the bell and anything with a form stay live.
``depends_on`` names what the part shows, so that a change to it (and only to it) renews it.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cms.versioned_cache import TIMEOUT, versioned


def cached_fragment(
    request, name: str, render: Callable[[], str], *, depends_on: tuple[str, ...], timeout: int = TIMEOUT
) -> SafeString:
    """``render()``'s HTML for ``name``, from the versioned cache while what it depends on is unchanged
    (and at most ``timeout`` seconds, for parts that change with time alone)."""
    host = request.get_host() if request is not None else ""
    key = f"fragment:{name}:{get_language()}:{host}:{timezone.localdate().isoformat()}"
    return mark_safe(versioned(key, lambda: str(render()), depends_on=depends_on, timeout=timeout))
