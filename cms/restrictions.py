"""Which parts of the page tree are private (Wagtail's page view restrictions), from the versioned cache.

Wagtail asks the database on every page served (the page's ancestors, then their restrictions)
and in every list of pages (``public()``), although restrictions are few and rarely change. Here
the site's restrictions are read once per content version (``cms.versioned_cache``; saving or
deleting a restriction, or moving a page, changes the version) and matched by tree path.
"""

from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from cms.versioned_cache import versioned


@dataclass(frozen=True)
class _Restricted:
    restriction_ids_by_path: dict[str, list[int]]
    alias_paths: tuple[str, ...]


def _restricted() -> _Restricted:
    def compute() -> _Restricted:
        by_path: dict[str, list[int]] = {}
        for restriction_id, path in PageViewRestriction.objects.values_list("pk", "page__path"):
            by_path.setdefault(path, []).append(restriction_id)
        # Aliases take their source page's restrictions: pages below one are left to Wagtail.
        aliases = tuple(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)) if by_path else ()
        return _Restricted(by_path, aliases)

    return versioned("view-restrictions", compute)


def view_restrictions_for(page: Page):
    """The restrictions on ``page`` and its ancestors, as ``Page.get_view_restrictions()`` returns them.

    No query when none applies, which is the usual case.
    """
    restricted = _restricted()
    if any(page.path.startswith(path) for path in restricted.alias_paths):
        return None  # the caller falls back to Wagtail's own lookup
    ids = [
        restriction_id
        for path, restriction_ids in restricted.restriction_ids_by_path.items()
        if page.path.startswith(path)
        for restriction_id in restriction_ids
    ]
    if not ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=ids)


def public_q() -> Q:
    """A filter for pages outside every private section: ``queryset.filter(public_q())`` is ``public()``."""
    condition = Q()
    for path in _restricted().restriction_ids_by_path:
        condition &= ~Q(path__startswith=path)
    return condition
