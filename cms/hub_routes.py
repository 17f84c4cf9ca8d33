"""Addresses below a hub that belong to higher apps: ``<hub>/dashboard/``, ``<hub>/indicators/<code>/``.

cms may not import the apps above it, so they lend it their URL patterns through the Wagtail hook
``register_hub_routes``: a function returning a list of ``django.urls.path()`` patterns, relative to
the hub's own address. Their views are called as ``view(request, hub, **kwargs)`` with the live,
specific hub, after Wagtail's ``before_serve_page`` hooks (privacy, restrictions) have run for the hub.
A hub route wins over a child page of the same slug.

The apps also name their sections for the hub page's "In this hub" navigation through the hook
``register_hub_section``: a function returning one ``HubSection``.
"""

from dataclasses import dataclass
from functools import cache

from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern
from wagtail import hooks


@cache
def _resolver() -> URLResolver:
    patterns = [pattern for hook in hooks.get_hooks("register_hub_routes") for pattern in hook()]
    return URLResolver(RegexPattern(r"^"), patterns)


def hub_route_match(path_components: list[str]):
    """(view, args, kwargs) for the rest of a hub's path, or None when no app claims it."""
    try:
        match = _resolver().resolve("/".join(path_components) + "/")
    except Resolver404:
        return None
    return match.func, match.args, match.kwargs


@dataclass(frozen=True)
class HubSection:
    """A link on the hub page to an app's pages below the hub (``label`` may be a lazy translation)."""

    label: str
    subpath: str
    order: int


@cache
def hub_sections() -> tuple[HubSection, ...]:
    """Every app's hub section, in the order the apps give."""
    return tuple(sorted((hook() for hook in hooks.get_hooks("register_hub_section")), key=lambda s: s.order))
