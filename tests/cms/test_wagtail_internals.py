"""The private parts of Wagtail (and treebeard) that cms/routing.py and cms/middleware.py rely on.

``CachedSiteMiddleware`` calls ``Site._find_for_request`` and fills ``request._wagtail_site``;
``PathRouteMixin`` copies the rules of ``Page.route`` and ``RoutablePageMixin.route``, sets
``request.routable_resolver_match`` and ``_cached_parent_obj`` as they do, and splits tree paths with
``Page.steplen``. None of this is Wagtail's public API, so an upgrade may change it without notice.
Each test names what changed and which of our files must follow; read that file's docstring first.
"""

import inspect

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from cms.middleware import CachedSiteMiddleware
from cms.routing import PathRouteMixin
from tests.cms.factories import hub_page_create, standard_page_create
from tests.partners.factories import partner_index_create

pytestmark = pytest.mark.django_db

MIDDLEWARE = "cms/middleware.py (CachedSiteMiddleware)"
ROUTING = "cms/routing.py (PathRouteMixin)"


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def _request(path: str = "/"):
    return RequestFactory().get(path)


# --- Site: the middleware ------------------------------------------------------------------------


def test_site_find_for_request_private_helper_is_unchanged(home):
    finder = inspect.getattr_static(Site, "_find_for_request", None)
    assert finder is not None, f"Wagtail removed Site._find_for_request, which {MIDDLEWARE} calls"
    assert isinstance(finder, staticmethod), f"Site._find_for_request is no longer a staticmethod: {MIDDLEWARE}"
    assert _parameters(Site._find_for_request) == ["request"], (
        f"Site._find_for_request's parameters changed to {_parameters(Site._find_for_request)}: {MIDDLEWARE}"
    )
    site = Site._find_for_request(_request())
    assert site == Site.objects.get(is_default_site=True), (
        f"Site._find_for_request no longer returns the request's site (got {site!r}): {MIDDLEWARE}"
    )


def test_site_find_for_request_reads_and_fills_request_wagtail_site(home):
    request = _request()
    given = object()
    request._wagtail_site = given
    assert Site.find_for_request(request) is given, (
        f"Site.find_for_request no longer reads request._wagtail_site, which {MIDDLEWARE} fills from the cache"
    )

    request = _request()
    found = Site.find_for_request(request)
    assert getattr(request, "_wagtail_site", None) is found, (
        f"Site.find_for_request no longer keeps its answer in request._wagtail_site: {MIDDLEWARE}"
    )


def test_the_middleware_gives_the_site_wagtail_would_find(home):
    request = _request()
    CachedSiteMiddleware(lambda request: None)(request)
    assert request._wagtail_site == Site.find_for_request(_request())
    assert request._wagtail_site.root_page == home
    assert type(request._wagtail_site.root_page) is type(home), "the root page is specific, ready to route"


# --- Treebeard's parent cache and paths: the routing -----------------------------------------------


def test_get_parent_uses_cached_parent_obj(home, django_assert_num_queries):
    hub = hub_page_create(parent=home)
    page = Page.objects.get(pk=hub.pk)
    page._cached_parent_obj = home
    with django_assert_num_queries(0):
        parent = page.get_parent()
    assert parent is home, (
        f"Page.get_parent() no longer returns _cached_parent_obj (treebeard changed): {ROUTING} caches "
        "each routed page's parent there, and routed_ancestors() reads it"
    )
    del page._cached_parent_obj
    assert page.get_parent().pk == home.pk


def test_a_pages_tree_path_is_its_parents_path_and_steplen_characters(home):
    hub = hub_page_create(parent=home)
    child = standard_page_create(parent=hub)
    assert isinstance(Page.steplen, int) and Page.steplen > 0, f"Page.steplen changed to {Page.steplen!r}: {ROUTING}"
    assert child.path[: -Page.steplen] == hub.path and len(child.path) == Page.steplen * child.depth, (
        f"treebeard's materialised paths changed (steplen {Page.steplen}): {ROUTING} finds parents by path"
    )


# --- Page.route and RoutablePageMixin.route: the routing -----------------------------------------


def test_the_route_methods_we_follow_keep_their_signatures():
    for method in (Page.route, RoutablePageMixin.route):
        assert _parameters(method) == ["self", "request", "path_components"], (
            f"{method.__qualname__}'s parameters changed to {_parameters(method)}: {ROUTING}"
        )
    assert _parameters(RoutablePageMixin.resolve_subpage) == ["self", "path"], (
        f"RoutablePageMixin.resolve_subpage's parameters changed: {ROUTING} (_own_route)"
    )
    resolver = inspect.getattr_static(RoutablePageMixin, "get_resolver", None)
    assert isinstance(resolver, classmethod), (
        f"RoutablePageMixin.get_resolver is no longer a classmethod: {ROUTING} (_may_route_itself) calls it"
    )
    assert _parameters(RouteResult) == ["page", "args", "kwargs"], f"RouteResult changed: {ROUTING}"


@pytest.fixture
def tree(home):
    hub = hub_page_create(parent=home, title="Fjordvik")
    about = standard_page_create(parent=hub, title="About")
    team = standard_page_create(parent=about, title="Team")
    draft = standard_page_create(parent=hub, title="Draft")
    draft.unpublish()
    index = partner_index_create(hub)
    below_index = standard_page_create(parent=index, title="Below")
    # The path below the hub, and the page that serves it (its route's name for the partner index).
    return hub, [
        ([], hub.pk),
        ([about.slug], about.pk),
        ([about.slug, team.slug], team.pk),
        ([draft.slug], "404"),
        ([draft.slug, "nothing"], "404"),
        (["nothing"], "404"),
        ([index.slug], (index.pk, "directory_route")),
        ([index.slug, "apply"], (index.pk, "apply_route")),
        ([index.slug, "some-partner"], (index.pk, "partner_route")),
        ([index.slug, below_index.slug], (index.pk, "partner_route")),  # its own routes come first
        ([index.slug, "apply", "nothing"], "404"),
    ]


def _comparable(value):
    """Bound methods compare their pages by identity: compare the function and the page's pk."""
    if inspect.ismethod(value):
        return value.__func__, type(value.__self__), value.__self__.pk
    if isinstance(value, (tuple, list)):
        return tuple(_comparable(item) for item in value)
    return value


def _outcome(route, request, components):
    try:
        result = route(request, components)
    except Http404:
        return "404"
    page = result.page
    match = getattr(request, "routable_resolver_match", None)
    return (
        type(page),
        page.pk,
        _comparable(result.args),
        result.kwargs,
        None if match is None else _comparable((match.func, match.args, match.kwargs)),
    )


def test_path_routing_answers_as_wagtails_own_routing(tree, home):
    """Below the hub, Page.route and RoutablePageMixin.route are Wagtail's own: compare their answers."""
    hub, paths = tree
    assert type(hub).route is PathRouteMixin.route
    for components, expected in paths:
        wagtails = _outcome(lambda request, rest: Page.route(hub, request, rest), _request(), components)
        ours_from_hub = _outcome(hub.route, _request(), components)
        ours_from_home = _outcome(home.route, _request(), [hub.slug, *components])
        assert ours_from_hub == ours_from_home == wagtails, (
            f"/{'/'.join(components)}: Wagtail's routing answers {wagtails}, {ROUTING} answers {ours_from_hub}"
            f" (from the hub) and {ours_from_home} (from the home page); Wagtail's Page.route or"
            " RoutablePageMixin.route changed, so PathRouteMixin no longer keeps their rules"
        )
        if isinstance(expected, tuple):
            assert (ours_from_hub[1], ours_from_hub[2][0][0].__name__) == expected, components
        else:
            assert (ours_from_hub if ours_from_hub == "404" else ours_from_hub[1]) == expected, components


def test_wagtails_routing_caches_the_parent_as_ours_does(tree):
    hub, paths = tree
    about_slug = paths[1][0][0]
    result = Page.route(hub, _request(), [about_slug])
    assert result.page.__dict__.get("_cached_parent_obj") == hub, (
        f"Wagtail's Page.route no longer caches the parent in _cached_parent_obj: check {ROUTING}"
    )
    ours = hub.route(_request(), [about_slug])
    assert ours.page.__dict__.get("_cached_parent_obj") == hub
