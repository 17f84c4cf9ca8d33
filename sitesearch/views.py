"""The search page: ``/search/`` searches every hub, ``/search/?hub=<id>`` one hub (shown in that
hub's header, menu and breadcrumbs). A GET form: it works without JavaScript, and anonymous
visitors' result pages are cached per full URL by the page cache (no cookie, no token)."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from cms import dependency
from cms.selectors import page_breadcrumbs
from sitesearch.selectors import FACETS, clean_filters, public_hubs, site_search

MAX_QUERY_LENGTH = 200
FACET_LABELS = {
    "type": _("Type"),
    "hub": _("Hub"),
    "goal": _("Goal"),
    "status": _("Project status"),
    "kind": _("Kind of organisation"),
}


def search(request):
    # Results depend on every write and, after it, on the index task having run (sitesearch.receivers).
    dependency.page_depends_on(dependency.ANY, dependency.SEARCH)
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    filters = clean_filters(request.GET)
    hubs = public_hubs()
    hub = hubs.get(int(filters["hub"])) if filters.get("hub", "").isdigit() else None
    if hub is None:
        filters.pop("hub", None)
    else:
        _activate_hub_language(request, hub)
    result = site_search(query, filters=filters, page_number=request.GET.get("page"), request=request, hubs=hubs)
    breadcrumbs = []
    if hub is not None:
        breadcrumbs = [*page_breadcrumbs(hub, Site.find_for_request(request)), hub]
    response = render(
        request,
        "sitesearch/search.html",
        {
            "hub": hub,
            "breadcrumbs": breadcrumbs,
            "query": query,
            "result": result,
            "facets": [(facet, FACET_LABELS[facet], result.facets[facet]) for facet in FACETS if result.facets[facet]],
            "is_filtered": bool(filters),
            "page_obj": result.page_obj,
            "paginator": result.paginator,
            "page_range": list(
                result.paginator.get_elided_page_range(result.page_obj.number, on_each_side=1, on_ends=1)
            ),
        },
    )
    # The same URL answers in different languages depending on the cookie (as hub pages do).
    patch_vary_headers(response, ("Cookie",))
    return response


def _activate_hub_language(request, hub) -> None:
    """A hub's search speaks its hub's language unless the visitor chose one (``HubSectionMixin.serve``)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not (chosen and translation.check_for_language(chosen)) and hub.default_language:
        translation.activate(hub.default_language)
        request.LANGUAGE_CODE = hub.default_language
