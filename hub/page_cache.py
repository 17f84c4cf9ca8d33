"""A full-page cache for visitors who are not logged in.

Most of a public page's cost is being a Wagtail page at all (routing, menus, settings, the
hub; see docs/benchmarks.md), the same for every anonymous visitor. This middleware keeps the
HTML of such pages in the default cache and serves it from there while the versions of what the
page depends on (``cms.dependency``) are unchanged; every write to public content replaces the
versions of what shows it on commit. A cached page is therefore never older than the last committed
change to anything it shows; ``TIMEOUT`` only bounds memory and anything that changes with time
alone.

What a page depends on is collected while it renders: the view says what its own content depends
on (``dependency.page_depends_on``: Wagtail pages through ``before_serve_page``, other views
themselves) and every fragment, list and name it shows adds its own (``dependency.uses``, which
``cms.versioned_cache`` calls). A page whose view said nothing depends on every write (``any``).

What is cached, and what is not:

- Only ``GET`` responses with status 200 and an HTML body are stored; ``HEAD`` is answered from
  a stored ``GET``. Everything else (POST, redirects, 404s, files, JSON) passes through.
- Only requests that carry no session cookie, no messages cookie and no ``Authorization``
  header: a logged-in visitor, or one whose session holds anything, always gets a fresh page. An
  htmx request (``HX-Request``) is never cached either: its response may be a fragment.
- A response that sets a cookie, says ``private``, ``no-store`` or ``no-cache``, varies on a
  header we do not key on, or is compressed is not stored. A page that renders a CSRF token sets
  the CSRF cookie and is therefore never stored: pages anonymous visitors see must not contain
  per-visitor data (the header's language switcher uses GET for them for this reason).
- Paths under ``EXCLUDED_PREFIXES`` (admin, accounts, a visitor's own organisations, ...) never.

The key is the host, the full path with the query string, the language cookie and the language
``LocaleMiddleware`` would pick from the request (cookie, then Accept-Language, then the default;
hub pages then apply the hub's default unless the cookie chose), so the three languages of a page
are three entries. The entry records the versions of its dependencies as they were *before*
rendering: those known then are read with the lookup, those first declared while rendering are read
after it, and count only if no write happened meanwhile (``dependency.versions_after``). The
lookup is one round trip: ``get_many`` of the entry and the versions of the dependencies this
process last saw the URL depend on; only if the entry names others is there a second.
``FORMAT`` is in the key and the value: after a deploy that changes it old entries are misses.

It sits right after WhiteNoise, before sessions and LocaleMiddleware: a hit costs no session,
language, CSRF or authentication work. Security headers added by the middleware above it are
added to hits too; the rest (CSP, X-Frame-Options, Vary, Content-Language) are stored with the
page. Each process makes the cached pages out of date when it starts (a deploy brings new
templates and code); ``DUGNAD_PAGE_CACHE`` turns the cache off.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_request

from cms import dependency

logger = logging.getLogger(__name__)

TIMEOUT = 10 * 60
# The layout of an entry; change it with the layout, and old entries become misses.
FORMAT = 2
KEY_PREFIX = f"dugnad:page:{FORMAT}:"
# What the pages of views below cms (which cannot name dependency keys) depend on, by URL name.
VIEW_DEPENDENCIES = {
    "goal_list": lambda kwargs: [dependency.SITE],
    "goal_detail": lambda kwargs: [dependency.SITE, dependency.goal(kwargs["number"])],
}
# Dependencies of recently seen keys, so that the lookup reads their versions with the entry.
HINTS_LIMIT = 10_000
_hints: dict[str, frozenset[str]] = {}
CACHE_HEADER = "X-Dugnad-Cache"
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/partners/mine/",
    "/partners/invitations/",
    "/healthz",
    "/bench/",
    "/ws/",
    "/documents/",
    "/media/",
    "/static/",
    "/i18n/",
)
# The headers a stored page may vary on: the key covers the language, which is all they select.
KEYED_VARY_HEADERS = frozenset({"cookie", "accept-language"})
# Response headers not worth storing: the cache adds its own marker, and a hit must not claim a date.
UNSTORED_HEADERS = frozenset({CACHE_HEADER.lower(), "date"})
# ``settings.MESSAGE_STORAGE``'s cookie: a visitor with a pending message must see it.
MESSAGES_COOKIE = "messages"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = tuple(getattr(settings, "DUGNAD_PAGE_CACHE_EXCLUDED_PREFIXES", EXCLUDED_PREFIXES))
        if getattr(settings, "DUGNAD_PAGE_CACHE", True):
            # A new process may run new code and templates: pages cached by the old one must go.
            try:
                dependency.everything_changed()
            except Exception:
                logger.exception("Page cache unavailable")

    def __call__(self, request):
        if not (getattr(settings, "DUGNAD_PAGE_CACHE", True) and self._request_is_cacheable(request)):
            return self.get_response(request)
        key = self._key(request)
        try:
            entry, versions = dependency.read(key, _hints.get(key, {dependency.ANY}) | {dependency.ANY})
            if not _is_entry(entry):
                entry = None
            elif not entry["versions"].keys() <= versions.keys():
                versions = dependency.current_versions(versions, entry["versions"])
        except Exception:  # a cache outage (or an entry older code wrote) must not take the site down
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        if entry is not None and dependency.is_current(entry["versions"], versions):
            return self._response_from(entry)
        try:
            known = dependency.current_versions(versions, entry["versions"] if entry is not None else ())
        except Exception:
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        collected, token = dependency.collect()
        try:
            response = self.get_response(request)
        finally:
            dependency.stop_collecting(token)
        if request.method == "GET" and self._response_is_cacheable(request, response):
            match = getattr(request, "resolver_match", None)
            if collected.view_keys is None and match is not None and match.url_name in VIEW_DEPENDENCIES:
                collected.view_keys = set(VIEW_DEPENDENCIES[match.url_name](match.kwargs))
            depends_on = collected.dependencies() | {dependency.EVERYTHING}
            if len(_hints) >= HINTS_LIMIT:
                _hints.clear()
            _hints[key] = frozenset(depends_on)
            headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
            try:
                versions = dependency.versions_after(known, depends_on)
            except Exception:
                logger.exception("Page cache unavailable")
                return response
            stored = {
                "format": FORMAT,
                "versions": versions,
                "status": response.status_code,
                "headers": headers,
                "content": response.content,
            }
            try:
                cache.set(key, stored, TIMEOUT)
            except Exception:
                logger.exception("Page cache unavailable")
            response[CACHE_HEADER] = "miss"
        return response

    def _request_is_cacheable(self, request):
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(self.excluded):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
            return False
        headers = request.headers
        return "Authorization" not in headers and "HX-Request" not in headers

    def _key(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = get_language_from_request(request)
        raw = "\n".join([request.get_host(), request.get_full_path(), chosen, language])
        return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def _response_is_cacheable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        if response.has_header("Content-Encoding"):
            return False
        cache_control = {
            part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if cache_control & {"private", "no-store", "no-cache"}:
            return False
        vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()}
        if not vary <= KEYED_VARY_HEADERS:
            return False
        # The view may have logged someone in or started a session without a cookie yet sent.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        session = getattr(request, "session", None)
        return not (session is not None and session.modified)

    @staticmethod
    def _response_from(entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response[CACHE_HEADER] = "hit"
        return response


def _is_entry(entry) -> bool:
    """Whether ``entry`` has this code's layout (anything else is a miss, never an error)."""
    return isinstance(entry, dict) and entry.get("format") == FORMAT and isinstance(entry.get("versions"), dict)
