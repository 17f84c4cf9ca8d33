"""What cached pages and fragments depend on, and the versions that say whether they are current.

The anonymous page cache (``hub.page_cache``) and the versioned cache (``cms.versioned_cache``)
store each entry with the versions of the *dependency keys* it was built from, and serve it only
while every one of them is still current. A write replaces the versions of the keys it touches
(``changed()``), so it makes out of date exactly the entries that show it and nothing else.

The keys (build them with the functions below, never by hand):

- ``site``: site-wide things: sites, site settings, menus and footers, the set of hubs, the goal
  catalogue, view restrictions, images and documents.
- ``hub:<id>``: a hub's lists, menu, counters, and everything shown on its pages that is not its
  own page (when unsure which page shows something, it is the hub's).
- ``page:<id>``, ``goal:<number>``, ``partner:<id>``, ``thread:<id>``: one page, one goal's
  page, one organisation's page, one discussion.
- ``hub-discussions:<id>``: what a hub's lists show of its discussions; a comment replaces it and
  not ``hub:<id>``, so the hub's other thread pages stay cached.
- ``person:<id>``: a person's public name and picture, wherever they are shown.
- ``home``: the front page's counters and lists across hubs.
- ``tree``: which pages are live and where (a page created, deleted, published for the first
  time or unpublished): the lists of what is public (``cms.restrictions``) depend on it, an edit
  of a live page does not replace it.
- ``search``: search results (the search index is updated after the write, by a task).
- ``any``: replaced by every write. An entry that names no dependencies depends on it, so it is
  as safe (and as short-lived) as before dependencies existed.
- ``everything``: replaced when each process starts (new code and templates) and by writes whose
  effect is unknown (``everything_changed()``: restoring a backup, bulk imports). Every entry
  depends on it.

A version is a random token in the shared cache, never a counter: if a key is evicted or the cache
is cleared, a fresh token can never coincide with the version an old entry was stored with, and a
missing version makes every entry that names it a miss.

Writes reach ``changed()`` two ways. Services call it (or ``everything_changed()``) for writes
that send no model signals (``QuerySet.update()``, ``bulk_create()``, raw SQL). Ordinary saves,
deletes and many-to-many changes arrive through the model signals connected here, and are mapped
to keys by the functions each app registers in its ``content_dependencies`` module
(``register()``); models that never appear on public pages are registered with ``never_public()``
and replace nothing. A model of a content app that is neither is treated as unknown
(``everything``), and a test fails until it is classified.

Per-write cost: two ``set_many`` round trips (now and after the commit) of a few keys each.
"""

import contextvars
import logging
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

VERSION_PREFIX = "dugnad:dep:"
EVERYTHING = "everything"
ANY = "any"
SITE = "site"
HOME = "home"
SEARCH = "search"
TREE = "tree"

# Apps whose every model must be classified (``register()`` or ``never_public()``).
CONTENT_APPS = frozenset(
    {
        "accounts",
        "cms",
        "goals",
        "partners",
        "indicators",
        "events",
        "projects",
        "consultations",
        "ideas",
        "challenges",
        "discussions",
    }
)

Resolver = Callable[[object], Iterable[str]]
_resolvers: dict[type, Resolver] = {}
_not_on_create: set[type] = set()
_shown_fields: dict[type, frozenset[str]] = {}
_referenced: dict[type, Resolver] = {}
_never_public: set[type] = set()


def hub(pk) -> str:
    return f"hub:{pk}"


def page(pk) -> str:
    return f"page:{pk}"


def goal(number) -> str:
    return f"goal:{number}"


def person(pk) -> str:
    return f"person:{pk}"


def partner(pk) -> str:
    return f"partner:{pk}"


def thread(pk) -> str:
    return f"thread:{pk}"


def hub_discussions(pk) -> str:
    """What a hub's lists show of its discussions (counts, latest topics): every comment in the hub
    replaces it, so that the pages of other threads, which do not show it, stay cached."""
    return f"hub-discussions:{pk}"


def version_key(dependency: str) -> str:
    return VERSION_PREFIX + dependency


# --- Reading versions -----------------------------------------------------------------------------


def read(entry_key: str, dependencies: Iterable[str]) -> tuple[object, dict[str, str | None]]:
    """The entry under ``entry_key`` and the current versions of ``dependencies`` and ``everything``,
    in one round trip. A version the cache does not hold is None."""
    wanted = {EVERYTHING, *dependencies}
    found = cache.get_many([entry_key, *(version_key(d) for d in wanted)])
    return found.get(entry_key), {d: found.get(version_key(d)) for d in wanted}


def read_versions(dependencies: Iterable[str]) -> dict[str, str | None]:
    """The current versions of ``dependencies``, in one round trip (None where the cache holds none)."""
    wanted = set(dependencies)
    found = cache.get_many([version_key(d) for d in wanted])
    return {d: found.get(version_key(d)) for d in wanted}


def current_versions(versions: dict[str, str | None], more: Iterable[str] = ()) -> dict[str, str]:
    """``versions`` with ``more`` read and every missing version created (a new random token).

    Called before a value is computed: the versions it is stored with must be older than the data.
    """
    versions = dict(versions)
    extra = [d for d in more if d not in versions]
    if extra:
        found = cache.get_many([version_key(d) for d in extra])
        versions.update({d: found.get(version_key(d)) for d in extra})
    for dependency, version in list(versions.items()):
        if version is None:
            # add(), not set(): another process may have created it meanwhile, and theirs wins.
            cache.add(version_key(dependency), uuid.uuid4().hex, timeout=None)
            versions[dependency] = cache.get(version_key(dependency)) or ""
    return versions


# ``any`` is replaced by every write, ``everything_changed()`` included: one version for the caches
# that depend on all public content (the API's answers, the notification bell's count).
ANY_VERSION_KEY = VERSION_PREFIX + ANY


def any_version_reset() -> str:
    """Create the ``any`` version if there is none and return whichever won (another process may race)."""
    cache.add(ANY_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(ANY_VERSION_KEY) or ""


def version(dependency: str) -> str:
    """The current version of one dependency, created if the cache holds none."""
    return current_versions({dependency: cache.get(version_key(dependency))})[dependency]


def versions_after(known: dict[str, str], depends_on: Iterable[str]) -> dict[str, str | None]:
    """The versions to store an entry with that depends on ``depends_on``: ``known`` (read before it
    was built, ``any`` among them) and those of the dependencies first declared while it was built,
    if no write happened meanwhile.

    Every write replaces ``any`` in the same ``set_many`` as its own keys, so if ``any`` is unchanged
    now, nothing was replaced since ``known`` was read and the versions read now are those of then.
    Otherwise they are stored as unknown (None), which makes the entry a miss; its dependencies are
    then known, and read before it is built again.
    """
    depends_on = set(depends_on)
    versions = {d: known[d] for d in depends_on if d in known}
    late = depends_on - versions.keys()
    if not late:
        return versions
    now = read_versions({ANY, *late})
    if known.get(ANY) is not None and now.get(ANY) == known.get(ANY):
        versions.update(current_versions({d: now[d] for d in late}))
    else:
        versions.update(dict.fromkeys(late))
    return versions


def is_current(stored: dict[str, str | None], versions: dict[str, str | None]) -> bool:
    """Whether an entry stored with ``stored`` versions is current, given the ``versions`` read now."""
    if EVERYTHING not in stored:
        return False
    return all(version is not None and versions.get(d) == version for d, version in stored.items())


# --- What a page depends on -----------------------------------------------------------------------


class Collected:
    """The dependencies a page being rendered has declared so far."""

    def __init__(self):
        self.keys: set[str] = set()  # of the fragments, lists and names shown
        self.view_keys: set[str] | None = None  # of the view's own content; None: not said

    def dependencies(self) -> set[str]:
        # A view that did not say what its own content depends on depends on every write.
        return self.keys | (self.view_keys if self.view_keys is not None else {ANY})


_collecting: contextvars.ContextVar[Collected | None] = contextvars.ContextVar("dugnad_dependencies", default=None)


def collect() -> tuple[Collected, contextvars.Token]:
    """Start collecting what the page being rendered depends on (the page cache does)."""
    collected = Collected()
    return collected, _collecting.set(collected)


def stop_collecting(token: contextvars.Token) -> None:
    _collecting.reset(token)


def uses(*dependencies: str) -> None:
    """Part of the page being rendered (a fragment, a list, a name) shows data of ``dependencies``."""
    collected = _collecting.get()
    if collected is not None:
        collected.keys.update(dependencies)


def page_depends_on(*dependencies: str, replace: bool = False) -> None:
    """The view states what its own content depends on. Without this call a page depends on ``any``.

    ``replace``: a route of a page says better than the page's defaults (a forum topic depends on
    its thread, not on the forum's list of topics).
    """
    collected = _collecting.get()
    if collected is not None:
        if replace or collected.view_keys is None:
            collected.view_keys = set()
        collected.view_keys.update(dependencies)


# --- Writes ---------------------------------------------------------------------------------------


class _PendingBump:
    """The keys to replace once the current transaction commits (one callback per transaction)."""

    def __init__(self):
        self.keys: set[str] = set()

    def __call__(self):
        _bump(self.keys)


def _bump(dependencies: Iterable[str]) -> None:
    cache.set_many({version_key(d): uuid.uuid4().hex for d in dependencies}, timeout=None)


def changed(*dependencies: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make out of date every entry that depends on ``dependencies`` (and on ``any``), now and
    again once the current transaction commits.

    The replacement after the commit is the guarantee: an entry built while the transaction was
    open read the old data, and whatever versions it was stored with are replaced after the
    commit. The replacement now shows the change at once to later requests on this connection, and
    to tests, whose transactions never commit. One callback per transaction collects every key.
    """
    keys = {ANY, *dependencies}
    _bump(keys)
    connection = connections[using]
    if connection.in_atomic_block:
        for entry in getattr(connection, "run_on_commit", ()):
            if isinstance(entry[1], _PendingBump):
                entry[1].keys.update(keys)
                return
        pending = _PendingBump()
        pending.keys.update(keys)
        transaction.on_commit(pending, using=using)


def everything_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached page and fragment out of date (a deploy, or a write whose effect is unknown)."""
    changed(EVERYTHING, using=using)


def register(
    model: type,
    resolver: Resolver,
    *,
    on_create: bool = True,
    fields: Iterable[str] = (),
    referenced: Resolver | None = None,
) -> None:
    """Saving, deleting or changing a many-to-many relation of ``model`` (or a subclass) replaces
    ``resolver(instance)``'s keys; with ``on_create=False`` creating one replaces nothing (it is
    shown only once another write refers to it); with ``fields``, a save of other fields only
    (``update_fields``: a login's ``last_login``) replaces nothing. Called from the apps'
    ``content_dependencies`` modules. ``referenced(instance)``: what adding or removing a
    many-to-many link to one replaces on its side (a goal's page, not the whole catalogue)."""
    _resolvers[model] = resolver
    if referenced is not None:
        _referenced[model] = referenced
    if fields:
        _shown_fields[model] = frozenset(fields)
    if not on_create:
        _not_on_create.add(model)


def never_public(*models: type) -> None:
    """``models`` never appear on public pages: writing them replaces nothing."""
    _never_public.update(models)


def classification(model: type) -> str:
    """``"public"``, ``"never-public"`` or ``"unknown"`` (for the test that every model has one)."""
    if _resolver_for(model) is not None:
        return "public"
    if any(m in _never_public for m in model.__mro__):
        return "never-public"
    return "unknown"


def _resolver_for(model: type) -> Resolver | None:
    for cls in model.__mro__:
        if cls in _resolvers:
            return _resolvers[cls]
    return None


def dependencies_of(instance) -> set[str]:
    """The keys a write to ``instance`` replaces; ``{everything}`` for a model nobody classified."""
    model = type(instance)
    resolver = _resolver_for(model)
    if resolver is not None:
        return set(resolver(instance))
    if any(m in _never_public for m in model.__mro__):
        return set()
    # Wagtail's and other third-party models that public pages show (pages, sites, images,
    # documents, tags) are registered; the rest of theirs (revisions, logs, renditions) is not shown.
    if model._meta.app_label in CONTENT_APPS:
        return {EVERYTHING}
    return set()


def _on_model_change(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loaddata: fixtures are loaded before any page is served
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    if kwargs.get("created"):
        from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

        if isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
            # Rendering a page creates a site's settings with their defaults on its first visit;
            # the page was rendered with exactly those.
            return
        if any(m in _not_on_create for m in type(instance).__mro__):
            return
    update_fields = kwargs.get("update_fields")
    shown = _shown_fields.get(type(instance))
    if update_fields and shown and not shown & set(update_fields):
        return
    try:
        keys = dependencies_of(instance)
        if action is not None and kwargs.get("pk_set"):
            # The other side of a many-to-many change: a goal removed from a project must leave
            # the goal's page too.
            related_model = kwargs["model"]
            resolve = _referenced.get(related_model, dependencies_of)
            for related in related_model._default_manager.filter(pk__in=kwargs["pk_set"]):
                keys |= set(resolve(related))
    except Exception:  # a resolver that cannot follow a relation (a row already gone)
        logger.warning("Dependencies of %r unknown; everything replaced", instance, exc_info=True)
        keys = {EVERYTHING}
    if keys:
        changed(*keys, using=kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_page_signal(sender, instance, **kwargs):
    changed(*dependencies_of(instance))


def _on_page_move(sender, instance, **kwargs):
    # The page leaves one hub's lists and menus for another's, and every URL below it changes.
    everything_changed()


def connect_signals() -> None:
    """Load the apps' ``content_dependencies`` and connect the model and Wagtail signals (``CmsConfig.ready``)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    autodiscover_modules("content_dependencies")
    post_save.connect(_on_model_change, dispatch_uid="cms_dependency_post_save")
    post_delete.connect(_on_model_change, dispatch_uid="cms_dependency_post_delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="cms_dependency_m2m_changed")
    page_published.connect(_on_page_signal, dispatch_uid="cms_dependency_published")
    page_unpublished.connect(_on_page_signal, dispatch_uid="cms_dependency_unpublished")
    post_page_move.connect(_on_page_move, dispatch_uid="cms_dependency_moved")
