"""Routing a request to its page with one query for the whole path, not two for every level.

Wagtail's ``Page.route`` walks a URL one slug at a time, asking the database for the child and
then for its specific page at every level. Dugnad's pages sit three or four levels below the
site's root (hub, project list, project), so routing alone cost eight queries on every page.
``PathRouteMixin``, on the page types that can be a site's root, fetches the pages of every level
of the path in one query and walks them in memory; the database is asked only for the specific
page served.

The walk keeps Wagtail's rules:

- a page whose class routes like ``Page`` passes the rest of the path to its child by slug;
- a ``RoutablePageMixin`` page first tries its own routes, then its children (Wagtail's order);
  whether its routes match is judged from its class, so a child page below it costs no query;
- a page with any other ``route`` of its own gets the rest of the path and decides;
- only a live page is served; the pages above it need not be live;
- a hub (``serves_hub_routes``) first offers the rest of the path to ``cms.hub_routes``.

Each page on the way gets its parent cached (as Wagtail's routing does), so ``get_parent()`` and
``routed_ancestors()`` cost no query afterwards.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from cms.hub_routes import hub_route_match


class PathRouteMixin:
    """Route below this page with one query for the path (see the module's docstring)."""

    # A hub's own addresses from higher apps (``cms.hub_routes``) come before its child pages.
    serves_hub_routes = False

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        if self.serves_hub_routes:
            result = _hub_route(self, path_components)
            if result is not None:
                return result
        children = _pages_on_path(self, path_components)
        parent, remaining = self, list(path_components)
        while remaining:
            child = children.get((parent.path, remaining[0]))
            if child is None:
                raise Http404
            child._cached_parent_obj = parent
            remaining = remaining[1:]
            if remaining and getattr(child.specific_class, "serves_hub_routes", False):
                result = _hub_route(child, remaining)
                if result is not None:
                    return result
            route = getattr(child.specific_class, "route", None)
            if route in _PLAIN_ROUTES:
                parent = child
                continue
            if route is RoutablePageMixin.route:
                if _may_route_itself(child, remaining):
                    specific = child.specific
                    result = _own_route(specific, request, remaining)
                    if result is not None:
                        return result
                    child = specific
                parent = child
                continue
            return child.specific.route(request, remaining)
        page = parent.specific
        if page.live:
            return RouteResult(page)
        raise Http404


_PLAIN_ROUTES = (Page.route, PathRouteMixin.route)


def _hub_route(page: Page, remaining: list[str]) -> RouteResult | None:
    """A higher app's address below a hub (``cms.hub_routes``), served by the live hub; None if none claims it."""
    match = hub_route_match(remaining)
    if match is None:
        return None
    page = page.specific
    if not page.live:
        raise Http404
    view, args, kwargs = match
    return RouteResult(page, args=(view, *args), kwargs=kwargs)


def _pages_on_path(root: Page, path_components: list[str]) -> dict[tuple[str, str], Page]:
    """The pages below ``root`` that could be on the path, by (parent's tree path, slug)."""
    steplen = Page.steplen
    levels = [Q(depth=root.depth + level, slug=slug) for level, slug in enumerate(path_components, start=1)]
    # The URL path of each level narrows the rows to those on this path: by slug and depth alone,
    # "projects" at the second level matched every hub's project list (356 rows at national size).
    # The slugs' index still finds the rows; ``url_path`` is what Wagtail builds every page's URL from.
    url_paths, url_path = [], root.url_path or "/"
    for slug in path_components:
        url_path = f"{url_path}{slug}/"
        url_paths.append(url_path)
    pages = Page.objects.filter(path__startswith=root.path, url_path__in=url_paths).filter(reduce(or_, levels))
    return {(page.path[:-steplen], page.slug): page for page in pages}


def _subpath(remaining: list[str]) -> str:
    return "/" + "".join(f"{component}/" for component in remaining)


def _may_route_itself(page: Page, remaining: list[str]) -> bool:
    """Whether a live routable page may answer the rest of the path itself, judged by its class's
    routes, so that a routable page on the way to a child page costs no query."""
    if not page.live:
        return False
    cls = page.specific_class
    if cls.resolve_subpage is not RoutablePageMixin.resolve_subpage:
        return True  # routes that depend on the instance: let the page decide
    try:
        cls.get_resolver().resolve(_subpath(remaining))
    except Http404:
        return False
    return True


def _own_route(page, request, remaining: list[str]) -> RouteResult | None:
    """What ``RoutablePageMixin.route`` does before it falls back to the page's children."""
    if not page.live:
        return None
    try:
        match = page.resolve_subpage(_subpath(remaining))
    except Http404:
        return None
    request.routable_resolver_match = match
    view, args, kwargs = match
    return RouteResult(page, args=(view, args, kwargs))


def routed_ancestors(page: Page, root_page_id: int | None) -> list[Page] | None:
    """The pages from the site's root page down to ``page``'s parent, as routing left them cached.

    Empty on the root page itself; None when routing did not reach ``page`` from the root (a
    preview, a page loaded some other way), so the caller asks the database instead.
    """
    if root_page_id is None:
        return None
    if page.pk == root_page_id:
        return []
    ancestors = []
    current = page
    while True:
        parent = current.__dict__.get("_cached_parent_obj")
        if parent is None:
            return None
        ancestors.append(parent)
        if parent.pk == root_page_id:
            return ancestors[::-1]
        current = parent
