"""Which parts of the page tree are private (Wagtail's page view restrictions), from the versioned cache.

Wagtail asks the database on every page served (the page's ancestors, then their restrictions)
and in every list of pages (``public()``), although restrictions are few and rarely change. Here
the site's restrictions are read once per version of the page tree (``cms.versioned_cache``,
``tree``; saving or deleting a restriction, or moving a page, replaces everything) and matched by
tree path.
"""

from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from cms import dependency
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

    return versioned("view-restrictions", compute, depends_on=[dependency.TREE])


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


def published_q() -> Q:
    """A filter for pages that everyone may see: live, outside every private section, and below no
    unpublished page (Wagtail's ``live()`` looks at the page alone). From the versioned cache."""
    condition = Q(live=True) & public_q()
    for path in _unpublished_branches():
        condition &= ~Q(path__startswith=path)
    return condition


# --- Who may see a page -----------------------------------------------------------------------------

PASSED_SESSION_KEY = PageViewRestriction.passed_view_restrictions_session_key


@dataclass(frozen=True)
class PageAudience:
    """Who may see a page as Wagtail serves it: whether it and every page above it are live, and the
    view restrictions on it and its ancestors (every one must be passed, as Wagtail's
    ``check_view_restrictions`` hook requires)."""

    live: bool
    password_ids: tuple[int, ...] = ()
    login: bool = False
    # One set of group ids per group restriction: a person must belong to a group of each.
    group_sets: tuple[frozenset[int], ...] = ()

    @property
    def public(self) -> bool:
        return self.live and not (self.password_ids or self.login or self.group_sets)


NOBODY = PageAudience(live=False)


def _unpublished_branches() -> tuple[str, ...]:
    """The tree paths of unpublished pages that have pages below them (below the root), from the
    versioned cache: few, and publishing, unpublishing or adding a page changes the version."""
    return versioned(
        "unpublished-branches",
        lambda: tuple(Page.objects.filter(live=False, numchild__gt=0, depth__gt=1).values_list("path", flat=True)),
        depends_on=[dependency.TREE],
    )


def page_audience(page: Page | None, *, require_live: bool = True) -> PageAudience:
    """The audience of ``page`` (None: no page, nobody): no query for a page without restrictions
    once the versioned cache is warm. ``require_live=False`` gives the restrictions alone (for a
    draft, which its own people see on another page)."""
    if page is None or (require_live and not page.live):
        return NOBODY
    if require_live and any(page.path.startswith(path) and page.path != path for path in _unpublished_branches()):
        return NOBODY
    password_ids, login, group_sets = [], False, []
    for restriction in page.get_view_restrictions().prefetch_related("groups"):
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            password_ids.append(restriction.pk)
        elif restriction.restriction_type == PageViewRestriction.LOGIN:
            login = True
        elif restriction.restriction_type == PageViewRestriction.GROUPS:
            group_sets.append(frozenset(group.pk for group in restriction.groups.all()))
    return PageAudience(live=True, password_ids=tuple(password_ids), login=login, group_sets=tuple(group_sets))


def audience_allows(audience: PageAudience, user, session=None) -> bool:
    """Whether ``user`` (with ``session``, the request's or the websocket's; None when there is none,
    as for e-mails and notifications) may see a page of ``audience``, by Wagtail's rules
    (``BaseViewRestriction.accept_request``): a password restriction is passed only in a session
    that entered the password; a login restriction by anyone logged in; a group restriction by
    superusers and members of one of its groups."""
    if not audience.live:
        return False
    if audience.public:
        return True
    if audience.password_ids:
        passed = set(session.get(PASSED_SESSION_KEY, [])) if session is not None else set()
        if not set(audience.password_ids) <= passed:
            return False
    authenticated = user is not None and user.is_authenticated and user.is_active
    if (audience.login or audience.group_sets) and not authenticated:
        return False
    if audience.group_sets and not user.is_superuser:
        user_groups = set(user.groups.values_list("pk", flat=True))
        if any(not (groups & user_groups) for groups in audience.group_sets):
            return False
    return True


def audience_users_q(audience: PageAudience) -> Q | None:
    """A filter on users for those who may see a page of ``audience`` without a session (whom a
    notification or an e-mail may tell of it); None when everyone may."""
    from django.contrib.auth import get_user_model

    if audience.public:
        return None
    if not audience.live or audience.password_ids:
        return Q(pk__in=[])
    condition = Q()
    memberships = get_user_model().groups.through.objects
    for groups in audience.group_sets:
        condition &= Q(is_superuser=True) | Q(pk__in=memberships.filter(group_id__in=groups).values("user_id"))
    return condition
