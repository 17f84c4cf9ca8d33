"""What every response under ``/api/`` shares: CORS, the rate limit, validators and conditional
requests, caching headers, and errors as JSON.

It sits last in ``MIDDLEWARE``, so it sees the response of the URL's view, Django's 404/500 pages
included (each middleware's inner handler turns exceptions into responses), and turns every error
into the API's error shape. The anonymous page cache (``hub.page_cache``) stores only HTML, so it
never holds an API response; the API's own caching is by validators: ``ETag`` (a hash of the body)
and ``Last-Modified`` (when the API first answered under the current content version, see
``api.selectors.content_seen_at``), with ``Cache-Control: public`` and a short ``max-age``.

The server keeps each successful JSON answer (``API_RESPONSE_CACHE``) in the shared cache under the
content version (``cms.dependency``'s ``any``), keyed by its full path with the query string and the day (a
project's reporting freshness depends on it): the version is read *before* the view runs, so an
answer computed while content changed is stored under the old version and never served. Every
committed change to public content replaces the version, so a kept answer is never stale. Answers
are the same for everyone (public data, no cookies), so logged-in callers share them.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from accounts.urls_absolute import site_url
from api.selectors import content_seen_at
from cms.dependency import ANY_VERSION_KEY, any_version_reset
from cms.rate_limits import rate_limit_hit

logger = logging.getLogger(__name__)

PREFIX = "/api/"
DOCS_SUFFIX = "/docs"
RESPONSE_KEY_PREFIX = "dugnad:api-response:"
# Bounds memory only: a new content version makes an entry unusable at once.
RESPONSE_TIMEOUT = 60 * 60
RATE_LIMIT = "api"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"
ERROR_CODES = {
    400: ("bad_request", "Bad request"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed: use GET"),
    429: ("rate_limited", "Too many requests"),
    500: ("server_error", "Server error"),
}


def _error(status: int, code: str = "", message: str = "") -> JsonResponse:
    default_code, default_message = ERROR_CODES.get(status, ("error", "Error"))
    body = {"error": {"code": code or default_code, "message": message or default_message, "details": []}}
    return JsonResponse(body, status=status)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return self._cors(self._preflight())
        wait = rate_limit_hit(request, RATE_LIMIT)
        if wait:
            response = _error(429, message=f"Too many requests: try again in {wait} seconds")
            response["Retry-After"] = str(wait)
            response["Cache-Control"] = "no-store"
            return self._cors(response)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"  # answered as a GET without its body
        response = self._cached_response(request)
        if response.status_code >= 400 and not _is_json(response):
            allow = response.get("Allow")
            response = _error(response.status_code)
            if allow:
                response["Allow"] = allow
        if response.status_code == 405:
            response["Allow"] = ALLOWED_METHODS
        if request.method == "GET" and response.status_code == 200 and not response.streaming:
            response = self._validated(request, response)
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return self._cors(response)

    def _cached_response(self, request):
        """The view's response, from the shared cache while the content version is unchanged."""
        if not (settings.API_RESPONSE_CACHE and request.method == "GET") or request.path.endswith(DOCS_SUFFIX):
            return self.get_response(request)
        day = timezone.localdate().isoformat()
        key = RESPONSE_KEY_PREFIX + hashlib.sha256(f"{site_url()} {day} {request.get_full_path()}".encode()).hexdigest()
        try:
            found = cache.get_many([ANY_VERSION_KEY, key])
            version = found.get(ANY_VERSION_KEY) or any_version_reset()
        except Exception:  # a cache outage must not take the API down with it
            logger.exception("API response cache unavailable")
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            content, content_type = entry[1], entry[2]
            return HttpResponse(content, content_type=content_type)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("application/json")
        ):
            try:
                cache.set(key, (version, response.content, response["Content-Type"]), RESPONSE_TIMEOUT)
            except Exception:
                logger.exception("API response cache unavailable")
        return response

    def _preflight(self) -> HttpResponse:
        response = HttpResponse(status=204)
        response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
        return response

    def _validated(self, request, response):
        """Add the validators and caching headers; 304 when the client's copy is current."""
        digest = hashlib.sha256(response.content).hexdigest()[:32]
        response["ETag"] = f'"{digest}"'
        last_modified = content_seen_at()
        response["Last-Modified"] = http_date(last_modified.timestamp())
        if request.path.endswith(DOCS_SUFFIX):
            return response  # an HTML page: the site's own caching rules
        response["Cache-Control"] = f"public, max-age={settings.API_MAX_AGE}"
        patch_vary_headers(response, ("Accept-Encoding",))
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )

    @staticmethod
    def _cors(response):
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response


def _is_json(response) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    if response.streaming:
        return True
    try:
        json.loads(response.content or b"null")
    except ValueError:
        return False
    return True
