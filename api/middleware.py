"""What every response under ``/api/`` shares: CORS, the rate limit, validators and conditional
requests, caching headers, and errors as JSON.

It sits last in ``MIDDLEWARE``, so it sees the response of the URL's view, Django's 404/500 pages
included (each middleware's inner handler turns exceptions into responses), and turns every error
into the API's error shape. The anonymous page cache (``hub.page_cache``) stores only HTML, so it
never holds an API response; the API's own caching is by validators: ``ETag`` (a hash of the body)
and ``Last-Modified`` (when the API first answered under the current content version, see
``api.selectors.content_seen_at``), with ``Cache-Control: public`` and a short ``max-age``.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from api.selectors import content_seen_at
from cms.rate_limits import rate_limit_hit

PREFIX = "/api/"
DOCS_SUFFIX = "/docs"
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
        response = self.get_response(request)
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
