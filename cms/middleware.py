"""Find the request's Wagtail site, with its root page ready to route, from the versioned cache.

Wagtail looks the site up in the database on every request (``Site.find_for_request``) and then
fetches the specific root page to start routing: two queries on every page, for data that
changes only when an administrator edits a site or publishes the root page. Both change the
version of ``site``, so the cached copy is never stale (``cms.versioned_cache``).
"""

from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from wagtail.models import Site

from cms import dependency
from cms.versioned_cache import versioned


def _site_with_specific_root(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None and site.root_page_id is not None:
        # Routing starts at ``site.root_page.localized.specific``: a specific page is its own
        # ``specific``, so routing asks for nothing more.
        site.root_page = site.root_page.specific
    return site


# The health check must answer even when the database or cache is down, and needs no site.
PATHS_WITHOUT_SITE = frozenset({"/healthz"})


class CachedSiteMiddleware:
    """Give ``request._wagtail_site`` (which ``Site.find_for_request`` reads) from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in PATHS_WITHOUT_SITE:
            return self.get_response(request)
        try:
            hostname = split_domain_port(request.get_host())[0]
            port = request.get_port()
        except DisallowedHost:
            return self.get_response(request)  # Wagtail and Django answer this as before
        request._wagtail_site = versioned(
            f"site:{hostname}:{port}", lambda: _site_with_specific_root(request), depends_on=[dependency.SITE]
        )
        return self.get_response(request)
